"""Wordloom desktop app (PySide6). Talks to engine/ and ontology/ through lanes (gui/window/lane.py)
that own their hosts (gui/window/hosts.py)."""
