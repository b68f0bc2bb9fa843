"""Wordloom desktop app (PySide6). Talks to engine/ and ontology/ through workers."""
