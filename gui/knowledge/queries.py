"""What the knowledge controller asks of the knowledge base, as functions that run on the
ontology lane (no widgets): the undo state, the entry dialog's completions, a save."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from engine.errors import OntologyError

if TYPE_CHECKING:
    from gui.window.ontology_host import OntologyHost
    from ontology.kb import KnowledgeBase

State = tuple[bool, str, str, bool]  # can undo, undo text, redo text, dirty


def kb_state(kb: KnowledgeBase) -> State:
    undo = kb.undo_stack[-1].description if kb.undo_stack else ""
    redo = kb.redo_stack[-1].description if kb.redo_stack else ""
    return bool(undo), f"Undo {undo}" if undo else "", f"Redo {redo}" if redo else "", kb.dirty


def entry_choices(kb: KnowledgeBase) -> tuple[list[str], list[str], list[str]]:
    """What the entry dialog completes: classes, entries (the first 5,000), relations."""
    entries = [label for _i, label, kind in kb.search("", 5000) if kind != "object_property"]
    return ([n.label for n in kb.classes()], entries,
            [kb.label(p) for p in kb.all_of("object_property")])


SaveOutcome = tuple[str, str, State | None]  # "saved", "changed" or "save-as"; text; state


def save_work(force: bool, path: str) -> Callable[[OntologyHost, object], SaveOutcome]:
    """The lane's part of a save: what happened, the file or the reason, the state."""

    def work(host: OntologyHost, _ctx: object) -> SaveOutcome:
        from ontology.kb_types import ChangedOnDiskError

        kb = host.browse()
        try:
            saved = kb.save(path or None, force=force)
        except ChangedOnDiskError as exc:
            return "changed", str(exc), None
        except OntologyError as exc:
            if "Save As" in str(exc):
                return "save-as", str(exc), None
            raise
        return "saved", str(saved), kb_state(kb)

    return work
