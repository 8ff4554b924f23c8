"""The page format: Markdown read and written (markdown/), the YAML form and its schema
(yaml/). The two do not import each other.
"""
