"""Running over files: discovery, the result cache and its index, the process pool, collection
rules over page facts, changed-since, and the tools that write pages.
"""
