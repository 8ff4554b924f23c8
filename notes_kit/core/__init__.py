"""Values and plain I/O: findings and edits, the page model, bounded reads and atomic writes.
Imports nothing else of notes_kit.
"""
