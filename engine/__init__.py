"""Wordloom's core: plain Python, never imports Qt."""
