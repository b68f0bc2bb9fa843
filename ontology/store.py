"""Open OWL files with owlready2, offline, with a parsed-quadstore cache.

Formats: RDF/XML (.owl, .rdf), OWL/XML (.owx), N-Triples (.nt), and Turtle (.ttl,
converted with rdflib). ``owl:imports`` never reach the network: a copy beside the file
is used when there is one, and every other import is skipped with a warning. The parsed
ontology is kept as an SQLite quadstore in the cache folder, named by the file's content
hash, so reopening an unchanged file skips parsing. One World per store, one thread.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import OntologyError
from engine.paths import app_paths
from ontology.names import readable

CACHE_VERSION = "2"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RESERVED = ("http://www.w3.org/", "http://www.lesfleursdunormal.fr/", "http://anonymous")
KINDS = {11: "class", 12: "individual", 13: "object_property", 14: "data_property",
         15: "annotation_property"}  # owlready2 storids of owl:Class, NamedIndividual, ...
_EMPTY_RDF = (b'<?xml version="1.0"?><rdf:RDF '
              b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')
_LOAD_LOCK = threading.Lock()  # owlready2's onto_path and urlopen are process-wide


@dataclass(frozen=True)
class Name:
    text: str
    lang: str  # "" when the literal has no language
    source: str  # label, prefLabel, altLabel or iri


@dataclass
class Entity:
    iri: str
    kind: str
    names: list[Name] = field(default_factory=list)

    def label(self, language: str = "en") -> str:
        """The best display name for ``language``.

        A label in that language, then one without a language tag, then the IRI's local
        name made readable (unless it is an opaque id), then labels in other languages.
        """
        lang = language.split("-")[0].lower()

        def rank(name: Name) -> int:
            same = name.lang.lower().split("-")[0] == lang
            if name.source in ("label", "prefLabel") and same:
                return 0
            if same:
                return 1
            if name.source != "iri" and not name.lang:
                return 2
            if name.source == "iri":
                return 5 if opaque(name.text) else 3
            return 4

        return min(self.names, key=rank).text if self.names else readable(self.iri)


def opaque(name: str) -> bool:
    """Local names like ``BFO_0000001`` or ``Q90`` say nothing to a reader."""
    digits = sum(c.isdigit() for c in name)
    return digits >= 3 or digits * 2 >= len(name.replace(" ", ""))


def detect_format(path: Path, head: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix == ".owx":
        return "owlxml"
    if suffix == ".nt":
        return "ntriples"
    if suffix in (".ttl", ".n3"):
        return "turtle"
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if "rdf:RDF" in text or "<RDF" in text:
        return "rdfxml"
    if "<Ontology" in text:
        return "owlxml"
    if text.startswith("@prefix") or text.startswith("PREFIX") or "@prefix" in text[:500]:
        return "turtle"
    if text.startswith("<") and text[:200].count("<") >= 3 and "> <" in text[:500]:
        return "ntriples"
    if text.startswith("<"):
        return "rdfxml"
    raise OntologyError(f"{path}: unknown ontology format (expected RDF/XML, OWL/XML, "
                        "N-Triples or Turtle)")


class OntologyStore:
    """One ontology file, parsed into its own owlready2 World."""

    def __init__(self, path: Path, world: Any, iri: str, warnings: list[str],
                 from_cache: bool, digest: str, meta_path: Path) -> None:
        self.path = path
        self.world = world
        self.iri = iri
        self.warnings = warnings
        self.from_cache = from_cache
        self.digest = digest
        self._meta_path = meta_path
        self._entities: list[Entity] | None = None

    @property
    def onto(self) -> Any:
        return self.world.get_ontology(self.iri)

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, cache_dir: Path | None = None,
             editable: bool = False) -> OntologyStore:
        """Open from the cache, parsing first when needed.

        ``editable`` parses into a private in-memory World instead, so edits never leak
        into the cached copy of the file's current content.
        """
        path = Path(path).expanduser()
        data = _read(path)
        if editable:
            world, iri, warnings = _parse_world(path, data, None)
            return cls(path, world, iri, warnings, False, "", Path(os.devnull))
        digest = hashlib.sha256(data + f"|{CACHE_VERSION}|{_owlready_version()}".encode())
        key = digest.hexdigest()[:32]
        cache = cache_dir or app_paths().cache / "ontologies"
        cache.mkdir(parents=True, exist_ok=True)
        db, meta_path = cache / f"{key}.sqlite3", cache / f"{key}.json"
        if db.exists() and meta_path.exists():
            with contextlib.suppress(Exception):
                return cls._from_cache(path, db, meta_path, key)
        iri, warnings = _parse_into(path, data, db, key)
        meta_path.write_text(json.dumps({"iri": iri, "warnings": warnings}))
        return cls._from_cache(path, db, meta_path, key, from_cache=False)

    @classmethod
    def _from_cache(cls, path: Path, db: Path, meta_path: Path, key: str,
                    from_cache: bool = True) -> OntologyStore:
        import owlready2

        meta = json.loads(meta_path.read_text())
        world = owlready2.World(filename=str(db), exclusive=False)
        if meta["iri"] not in world.ontologies:
            world.close()
            raise OntologyError(f"{path}: the cached copy is incomplete")
        return cls(path, world, meta["iri"], list(meta["warnings"]), from_cache, key,
                   meta_path)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.world.close()

    # -- entities ------------------------------------------------------------------------

    def entities(self) -> list[Entity]:
        """Classes, individuals and properties with every name they have."""
        if self._entities is not None:
            return self._entities
        names_file = self._meta_path.with_suffix(".names.json")
        if self.digest and names_file.exists():
            with contextlib.suppress(OSError, ValueError, TypeError):
                rows = json.loads(names_file.read_text(encoding="utf-8"))
                self._entities = [Entity(i, k, [Name(*n) for n in names])
                                  for i, k, names in rows]
                return self._entities
        self._entities = _read_entities(self.world)
        if self.digest:
            rows = [[e.iri, e.kind, [[n.text, n.lang, n.source] for n in e.names]]
                    for e in self._entities]
            with contextlib.suppress(OSError):
                names_file.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        return self._entities

    def forget_entities(self) -> None:
        """After an edit: the next ``entities()`` reads the world again."""
        self._entities = None

    def entity(self, iri: str) -> Any:
        """The owlready2 object for an IRI (None when unknown)."""
        return self.world[iri]

    def by_iri(self) -> dict[str, Entity]:
        return {e.iri: e for e in self.entities()}


def _owlready_version() -> str:
    try:
        from importlib.metadata import version

        return version("owlready2")
    except Exception:
        return "?"


def _read(path: Path) -> bytes:
    if not path.exists():
        raise OntologyError(f"{path}: no such ontology file")
    if path.is_dir():
        raise OntologyError(f"{path}: is a folder, not an ontology file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    if not data.strip():
        raise OntologyError(f"{path}: the file is empty")
    if b"\x00" in data[:4096]:
        raise OntologyError(f"{path}: is a binary file, not an ontology")
    return data


def _parse_into(path: Path, data: bytes, db: Path, key: str) -> tuple[str, list[str]]:
    """Parse ``data`` into a new quadstore at ``db``; its ontology IRI and warnings."""
    tmp = db.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.unlink(missing_ok=True)
    world, iri, warnings = _parse_world(path, data, tmp)
    world.save()
    world.close()
    os.replace(tmp, db)
    return iri, warnings


def _parse_world(path: Path, data: bytes, filename: Path | None) -> tuple[Any, str, list[str]]:
    """A World holding the parsed file (in memory when ``filename`` is None)."""
    import owlready2

    fmt = detect_format(path, data[:4096])
    if fmt == "turtle":
        data, fmt = _turtle_to_ntriples(path, data), "ntriples"
    warnings: list[str] = []
    parser_errors: list[BaseException] = []
    with _LOAD_LOCK, _offline_imports(path.parent, warnings), _quiet_parser(parser_errors):
        world = owlready2.World(filename=str(filename)) if filename else owlready2.World()
        try:
            onto = world.get_ontology(path.resolve().as_uri())
            onto.load(fileobj=io.BytesIO(data), format=fmt)
        except Exception as exc:  # every parser error is the file's fault
            world.close()
            if filename:
                filename.unlink(missing_ok=True)
            cause = parser_errors[0] if parser_errors else exc
            cause = cause.__cause__ or cause
            text = str(cause).strip()
            reason = text.splitlines()[0] if text else type(cause).__name__
            raise OntologyError(f"{path}: not a readable ontology ({reason[:200]})") from exc
    return world, onto.base_iri, warnings


def _turtle_to_ntriples(path: Path, data: bytes) -> bytes:
    import rdflib

    graph = rdflib.Graph()
    try:
        graph.parse(data=data, format="turtle")
        return graph.serialize(format="nt", encoding="utf-8")
    except Exception as exc:  # rdflib raises plain Exceptions for bad IRIs too
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise OntologyError(f"{path}: not readable Turtle ({reason})") from exc


@contextlib.contextmanager
def _quiet_parser(errors: list[BaseException]) -> Iterator[None]:
    """owlready2 prints parser errors through ``sys.excepthook``; keep them instead."""
    import sys

    loader = threading.get_ident()
    real_hook = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        if threading.get_ident() == loader:
            errors.append(value)
        else:
            real_hook(kind, value, tb)

    sys.excepthook = hook
    try:
        yield
    finally:
        sys.excepthook = real_hook


@contextlib.contextmanager
def _offline_imports(folder: Path, warnings: list[str]) -> Iterator[None]:
    """Local copies beside the file serve imports; any other import becomes empty."""
    import urllib.request

    import owlready2
    import owlready2.namespace as namespace

    loader = threading.get_ident()
    real_urlopen = urllib.request.urlopen

    def refuse(url: Any, *args: Any, **kwargs: Any) -> Any:
        if threading.get_ident() != loader:
            return real_urlopen(url, *args, **kwargs)
        target = getattr(url, "full_url", url)
        warnings.append(f"import {target} is not available offline and was skipped "
                        "(put a copy beside the ontology file to use it)")
        return io.BytesIO(_EMPTY_RDF)

    owlready2.onto_path.insert(0, str(folder))
    namespace.urllib.request.urlopen = refuse
    try:
        yield
    finally:
        namespace.urllib.request.urlopen = real_urlopen
        with contextlib.suppress(ValueError):
            owlready2.onto_path.remove(str(folder))


def _read_entities(world: Any) -> list[Entity]:
    graph = world.graph
    label = world._abbreviate("http://www.w3.org/2000/01/rdf-schema#label")
    pref = world._abbreviate(SKOS + "prefLabel")
    alt = world._abbreviate(SKOS + "altLabel")
    sources = {label: "label", pref: "prefLabel", alt: "altLabel"}
    kinds: dict[int, str] = {}
    classes: set[int] = set()
    rows = graph.execute("SELECT s, o FROM objs WHERE p = 6 AND s > 0").fetchall()
    for s, o in rows:
        if o in KINDS:
            kind = KINDS[o]
            if kind == "class":
                classes.add(s)
            if kinds.get(s) != "class":
                kinds[s] = kind
    for s, o in rows:  # members of a user class are individuals too
        if s not in kinds and o in classes:
            kinds[s] = "individual"
    iris = dict(graph.execute("SELECT storid, iri FROM resources").fetchall())
    entities: dict[int, Entity] = {}
    for storid, kind in kinds.items():
        iri = iris.get(storid)
        if not iri or iri.startswith(RESERVED):
            continue
        entities[storid] = Entity(iri, kind, [Name(readable(iri), "", "iri")])
    placeholders = ",".join("?" * len(sources))
    for s, p, o, d in graph.execute(
            f"SELECT s, p, o, d FROM datas WHERE p IN ({placeholders})", tuple(sources)):
        entity = entities.get(s)
        if entity is None or not isinstance(o, str) or not o.strip():
            continue
        lang = d[1:] if isinstance(d, str) and d.startswith("@") else ""
        entity.names.append(Name(o.strip(), lang, sources[p]))
    return sorted(entities.values(), key=lambda e: e.iri)
