"""The knowledge base's checked save. Nothing the writer did not touch is re-serialised:
the file as it was loaded is parsed with rdflib, the triples of the entities the writer
changed are replaced by their current ones, and before the result is written it is parsed
back and compared: every triple of the untouched entities must be there, unchanged."""

from __future__ import annotations

import hashlib
import io
import os
from collections import Counter
from pathlib import Path
from typing import Any

from engine.errors import OntologyError
from engine.paths import resource_dir
from ontology.kb_types import ChangedOnDiskError
from ontology.rdf_graph import signature, triples_of
from ontology.store import OntologyStore

WRITABLE = {"rdfxml": "xml", "ntriples": "nt", "turtle": "turtle"}  # ours -> rdflib's
SUFFIXES = {".owl": "rdfxml", ".rdf": "rdfxml", ".xml": "rdfxml", ".nt": "ntriples",
            ".ttl": "turtle"}


def save_format(path: Path, fmt: str, target: Path) -> str:
    """The format ``target`` is written in: the file's own, or (Save As) its suffix's."""
    if target != path:
        fmt = SUFFIXES.get(target.suffix.lower(), "")
        if not fmt:
            raise OntologyError(f"{target.name}: save as .owl (RDF/XML), .nt or .ttl")
    if fmt not in WRITABLE:
        raise OntologyError(f"{target.name}: OWL/XML cannot be written back; use Save As "
                            "to keep your changes as RDF/XML (.owl)")
    return fmt


def check_in_place(path: Path, loaded_digest: str, force: bool) -> None:
    """Saving over the file it was loaded from: not the bundled sample, and (unless
    ``force``) not a file someone else changed since."""
    if path.resolve().is_relative_to(resource_dir().resolve()):
        raise OntologyError(f"{path.name} is the sample that comes with Wordloom; "
                            "use Save As to keep your changes in a file of yours")
    try:
        now = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return  # gone: saving puts it back
    if now != loaded_digest and not force:
        raise ChangedOnDiskError(f"{path.name} was changed on disk since it was "
                                 "loaded; overwrite it with your version, or reload")


def check_writable(target: Path) -> None:
    folder = target.parent
    if (target.exists() and not os.access(target, os.W_OK)) or \
            not os.access(folder, os.W_OK):
        raise OntologyError(f"{target}: the file is read-only; use Save As to keep your "
                            "changes elsewhere")


class CheckedSave:
    """The bytes of one save: the loaded file with the touched entities made current."""

    def __init__(self, store: OntologyStore, path: Path, loaded: bytes, fmt: str,
                 touched: set[str]) -> None:
        """``loaded``: the bytes of ``path`` (in format ``fmt``) as last loaded or saved."""
        self.store, self.path, self.loaded, self.format = store, path, loaded, fmt
        self.touched = touched
        self.name = path.name

    def data(self, live: Any, target_format: str) -> bytes:
        """Serialised in ``target_format`` (ours) from the live graph ``live``; raises
        (and nothing is written) when the result would not read back as it should."""
        import rdflib

        rdf_format = WRITABLE[target_format]
        graph = rdflib.Graph()
        self._parse_loaded(graph)  # once a save: the check below reuses what it gives
        self._drop_touched(graph)
        untouched = signature(graph)
        renamed: dict[Any, Any] = {}

        def term(t: Any) -> Any:
            if isinstance(t, rdflib.BNode):
                return renamed.setdefault(t, rdflib.BNode())
            return t

        for iri in self.touched:
            for s, p, o in triples_of(live, rdflib.URIRef(iri)):
                graph.add((term(s), term(p), term(o)))
        data = bytes(graph.serialize(format=rdf_format, encoding="utf-8"))
        self._round_trip(data, graph, untouched, rdf_format)
        return data

    def _drop_touched(self, graph: Any) -> None:
        from rdflib import URIRef

        for iri in self.touched:
            for triple in triples_of(graph, URIRef(iri)):
                graph.remove(triple)

    def _parse_loaded(self, graph: Any) -> None:
        """The file as it was loaded, as rdflib reads it. OWL/XML, which rdflib does not
        read, comes from owlready2's copy of everything instead (for Save As)."""
        fmt = WRITABLE.get(self.format)
        if fmt is None:
            buffer = io.BytesIO()
            self.store.onto.save(file=buffer, format="ntriples")
            graph.parse(data=buffer.getvalue(), format="nt")
            return
        graph.parse(data=self.loaded, format=fmt, publicID=str(self.path.resolve()))

    def _round_trip(self, data: bytes, expected: Any, untouched: Counter[Any],
                    rdf_format: str) -> None:
        """Parse what is about to be written; compare it with what should be there, and its
        untouched part with the file as it was loaded."""
        import rdflib

        written = rdflib.Graph()
        written.parse(data=data, format=rdf_format)
        if signature(written) != signature(expected):
            raise OntologyError(f"{self.name}: the saved file would not read back as "
                                "written; nothing was saved")
        self._drop_touched(written)
        if signature(written) != untouched:
            raise OntologyError(f"{self.name}: saving would change statements you did "
                                "not edit; nothing was saved")
