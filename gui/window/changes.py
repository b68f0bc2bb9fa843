"""What an operation changed, broadcast to the views that show it (Anki's ``OpChanges``):
the operation says what it changed, and each view that subscribed refreshes itself, so
no part of the window pushes changes into another by hand."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Changes(QObject):
    # the settings as they were and as they are now (both Settings; the new ones are saved)
    settings = Signal(object, object)
    dictionary = Signal(list)  # the writer's own words, all of them
    knowledge = Signal(object)  # a change to the knowledge base (ontology.kb_types.Change)
    templates = Signal()  # the prompt templates were edited
    # the document is about to take a change the writer accepted: "suggestion" or "review"
    # (the history keeps the text as it was)
    accepting = Signal(str)
