"""Wordloom desktop app (PySide6). Talks to engine/ and ontology/ through lanes (gui/lane.py)
that own their hosts (gui/hosts.py)."""
