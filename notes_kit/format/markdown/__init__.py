"""Markdown <-> model: the mistletoe adapter, the readers of each part of a page, the renderer."""
