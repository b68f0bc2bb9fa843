"""What bench/fuzz.py (and tests/test_fuzz.py) throw hostile bytes at.

Each target takes bytes and feeds them to one parser the way the app does. The contract:
it returns, or raises a ``WordloomError`` whose message is one line. Anything else (another
exception, a message over several lines) is a failure; the driver also watches time and
memory. Seeds are real inputs: files from the repository, and small synthetic ones.
"""

from __future__ import annotations

import json
import os
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_TMP = Path(tempfile.mkdtemp(prefix="wordloom-fuzz-"))
os.environ.setdefault("WORDLOOM_HOME", str(_TMP / "home"))

from engine.errors import WordloomError  # noqa: E402 (WORDLOOM_HOME first)


@dataclass
class Target:
    name: str
    run: Callable[[bytes], object]
    seeds: Callable[[], list[bytes]]
    max_len: int = 1 << 20  # mutated inputs are cut to this (the seeds never are)


class ContractBroken(AssertionError):
    """A target broke the contract (not a WordloomError, or a message on several lines)."""


def check(target: Target, data: bytes) -> None:
    """Run one input; raise ContractBroken when the target misbehaves."""
    try:
        target.run(data)
    except WordloomError as exc:
        message = str(exc)
        if "\n" in message or not message.strip():
            raise ContractBroken(f"{target.name}: a message that is not one line: "
                                 f"{message[:300]!r}") from exc
    except Exception as exc:
        raise ContractBroken(f"{target.name}: {type(exc).__name__}: {str(exc)[:300]}") \
            from exc


# -- GGUF ------------------------------------------------------------------------------------

def gguf_bytes(kvs: list[tuple[str, int, bytes]], tensors: list[tuple[str, list[int], int, int]],
               data: bytes = b"", version: int = 3, alignment: int = 32) -> bytes:
    """A GGUF file: ``kvs`` as (key, type, packed value), ``tensors`` as (name, dims, ggml
    type, offset)."""
    out = b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(kvs))
    for key, kind, value in kvs:
        out += gguf_string(key) + struct.pack("<I", kind) + value
    for name, dims, kind, offset in tensors:
        out += gguf_string(name) + struct.pack("<I", len(dims))
        out += b"".join(struct.pack("<Q", d) for d in dims) + struct.pack("<IQ", kind, offset)
    out += b"\0" * (-len(out) % alignment)
    return out + data


def gguf_string(text: str) -> bytes:
    raw = text.encode()
    return struct.pack("<Q", len(raw)) + raw


CHATML = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
          "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


def _gguf_seeds() -> list[bytes]:
    kvs = [("general.architecture", 8, gguf_string("llama")),
           ("general.name", 8, gguf_string("fuzz")),
           ("general.alignment", 4, struct.pack("<I", 32)),
           ("llama.context_length", 4, struct.pack("<I", 2048)),
           ("llama.block_count", 4, struct.pack("<I", 2)),
           ("tokenizer.ggml.tokens", 9, struct.pack("<IQ", 8, 2) + gguf_string("a")
            + gguf_string("b")),
           ("tokenizer.chat_template", 8, gguf_string(CHATML))]
    tensors = [("token_embd.weight", [32, 4], 0, 0), ("output.weight", [32, 2], 2, 512)]
    whole = gguf_bytes(kvs, tensors, b"\1" * (512 + 36))
    return [whole, whole[:200], gguf_bytes(kvs[:2], []), gguf_bytes([], [], version=2)]


def _run_gguf(data: bytes) -> object:
    from engine.model.gguf import read_metadata

    path = _TMP / "fuzz.gguf"
    path.write_bytes(data)
    return read_metadata(path)


# -- chat templates and prompt templates -------------------------------------------------------

def _template_seeds() -> list[bytes]:
    seeds = [CHATML.encode(),
             b"{{ bos_token }}{% for m in messages %}{% if m['role'] == 'user' %}[INST] "
             b"{{ m['content'] | trim }} [/INST]{% else %}{{ m['content'] }}{{ eos_token }}"
             b"{% endif %}{% endfor %}",
             b"{% for i in range(3) %}{{ i * 2 }}{% endfor %}{{ messages | tojson }}",
             b"{% set ns = namespace(x=0) %}{% for m in messages %}{% set ns.x = ns.x + 1 %}"
             b"{% endfor %}{{ ns.x }}{{ raise_exception('no') if ns.x > 9 }}"]
    return seeds


def _run_chat_template(data: bytes) -> object:
    from engine.model.chat_template import ChatTemplate

    template = ChatTemplate(data.decode("utf-8", errors="replace"), "</s>", "<s>")
    return template.render([{"role": "system", "content": "Be brief."},
                            {"role": "user", "content": "Hello there."}])


def _prompt_template_seeds() -> list[bytes]:
    return [p.read_bytes() for p in sorted((REPO / "resources" / "templates").glob("*.toml"))]


def _run_prompt_template(data: bytes) -> object:
    from engine.writing.templates import parse_template

    path = _TMP / "fuzz-template.toml"
    template = parse_template(data.decode("utf-8", errors="replace"), path, "user")
    return template.render({"input_text": "A text.", "length": 40, "facts": ["A fact."]})


# -- documents, settings, journal --------------------------------------------------------------

def _document_seeds() -> list[bytes]:
    text = (REPO / "resources" / "samples" / "sample.md").read_text(encoding="utf-8")
    return [text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"),
            text.encode("utf-16"), text.encode("utf-16-be"), "Grüße, 你好\r\n".encode("gb18030"),
            "caf\u00e9".encode("latin-1"), b"a\0b", b""]


def _run_document(data: bytes) -> object:
    from engine.documents.files import open_document, save_document

    path = _TMP / "fuzz-doc.txt"
    path.write_bytes(data)
    doc = open_document(path)
    return save_document(doc, doc.text + "!", _TMP / "fuzz-doc-out.txt")


def _settings_seeds() -> list[bytes]:
    from dataclasses import asdict

    import tomli_w

    from engine.config import Settings

    return [tomli_w.dumps(asdict(Settings())).encode(), b'theme = "dark"\nthreads = -3\n',
            b"[x]\ny = 1\n"]


def _run_settings(data: bytes) -> object:
    from engine.config import load_settings

    path = _TMP / "fuzz-settings.toml"
    path.write_bytes(data)
    settings, problems = load_settings(path)
    if any("\n" in p for p in problems):
        raise ContractBroken(f"a settings problem on several lines: {problems}")
    return settings


def _journal_seeds() -> list[bytes]:
    entry = {"doc_id": "d1", "path": "/tmp/a.md", "text": "Some text.", "saved_at": 1.0,
             "pid": 999_999, "title": "a.md"}
    return [json.dumps(entry).encode(), b"{}", b"[]"]


def _run_journal(data: bytes) -> object:
    from engine.documents.journal import Journal

    folder = _TMP / "journal"
    folder.mkdir(exist_ok=True)
    (folder / "d1.json").write_bytes(data)
    return Journal(folder).orphans()


# -- LanguageTool answers and the model server's stream -------------------------------------------

def _lt_seeds() -> list[bytes]:
    match = {"offset": 3, "length": 2, "message": "Possible typo", "replacements":
             [{"value": "go"}], "rule": {"id": "MORFOLOGIK", "issueType": "misspelling",
                                         "category": {"id": "TYPOS"}}}
    return [json.dumps({"matches": [match]}).encode(), b'{"matches": []}']


def _run_lt(data: bytes) -> object:
    from engine.grammar.engines import read_matches

    paragraphs = ["He go to school.", "She recieved it."]
    try:  # language-tool-python decodes the JSON; what it hands over is fuzzed here
        response = json.loads(data.decode("utf-8", errors="replace"))
    except ValueError:  # not JSON: the bytes become offsets, lengths and texts instead
        numbers = [int.from_bytes(data[i:i + 2], "little", signed=True)
                   for i in range(0, min(len(data), 24), 2)]
        text = data[24:].decode("utf-8", errors="replace")
        response = {"matches": [{"offset": a, "length": b, "message": text, "rule": {
            "id": text[:8], "category": {"id": text[8:16]}}, "replacements": [
            {"value": text[16:]}]} for a, b in zip(numbers[::2], numbers[1::2], strict=False)]}
    return read_matches(response, paragraphs)


def _stream_seeds() -> list[bytes]:
    event = {"choices": [{"delta": {"content": "Calm"}, "finish_reason": None}]}
    end = {"choices": [{"delta": {}, "finish_reason": "stop"}],
           "usage": {"prompt_tokens": 9, "completion_tokens": 1}}
    return [f"data: {json.dumps(event)}\n\ndata: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode(),
            b"event: ping\ndata: {}\n\n", b": comment\n\n"]


def _run_stream(data: bytes) -> object:
    import httpx

    from engine.model.server import ServerRunner

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=data)

    runner = ServerRunner("http://127.0.0.1:9/v1", model="m", timeout=5)
    runner._client = httpx.Client(transport=httpx.MockTransport(answer))
    runner._loaded = True
    try:
        return runner.generate([{"role": "user", "content": "Hi"}])
    finally:
        runner.close()


# -- ontologies ------------------------------------------------------------------------------

RDF_XML = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:owl="http://www.w3.org/2002/07/owl#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"
         xml:base="http://example.org/fuzz">
  <owl:Ontology rdf:about="http://example.org/fuzz"/>
  <owl:Class rdf:about="#City"><rdfs:label xml:lang="en">City</rdfs:label></owl:Class>
  <owl:NamedIndividual rdf:about="#Hangzhou"><rdf:type rdf:resource="#City"/>
    <rdfs:label xml:lang="en">Hangzhou</rdfs:label><rdfs:label xml:lang="zh">杭州</rdfs:label>
  </owl:NamedIndividual>
</rdf:RDF>
""".encode()
TURTLE = b"""@prefix : <http://example.org/fuzz#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/fuzz> a owl:Ontology .
:City a owl:Class ; rdfs:label "City"@en .
:Hangzhou a owl:NamedIndividual, :City ; rdfs:label "Hangzhou"@en .
"""
NTRIPLES = (b'<http://example.org/fuzz> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
            b'<http://www.w3.org/2002/07/owl#Ontology> .\n<http://example.org/fuzz#City> '
            b'<http://www.w3.org/2000/01/rdf-schema#label> "City"@en .\n')
SUFFIXES = (".owl", ".ttl", ".nt", ".owx")


def _ontology_seeds() -> list[bytes]:
    return [b"\0" + RDF_XML, b"\1" + TURTLE, b"\2" + NTRIPLES,
            b"\0" + (REPO / "resources" / "ontology" / "travel.owl").read_bytes()]


def _run_ontology(data: bytes) -> object:
    from ontology.store import OntologyStore

    if not data:
        data = b"\0"
    path = _TMP / f"fuzz{SUFFIXES[data[0] % len(SUFFIXES)]}"
    path.write_bytes(data[1:])
    store = OntologyStore.open(path, cache_dir=_TMP / "ontology-cache")
    try:
        return store.entities()
    finally:
        store.close()


# -- Word and OpenDocument imports --------------------------------------------------------------

SAMPLE_MD = ("# Notes\n\nSome **bold** and *italic* text.\n\n- one\n- two\n\n1. first\n\n"
             "> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")


def _office_seeds(suffix: str) -> Callable[[], list[bytes]]:
    def seeds() -> list[bytes]:
        from engine.documents.formats import export_document

        path = _TMP / f"seed{suffix}"
        export_document(SAMPLE_MD, path, "Seed")
        return [path.read_bytes()]
    return seeds


def _office_run(suffix: str) -> Callable[[bytes], object]:
    def run(data: bytes) -> object:
        from engine.documents.formats import import_document

        path = _TMP / f"fuzz{suffix}"
        path.write_bytes(data)
        return import_document(path)
    return run


from fuzz_judge import (  # noqa: E402 (bench/ is on the path, as for this module)
    plan_seeds,
    proofread_seeds,
    run_proofread,
    run_scoring_plan,
)

TARGETS: dict[str, Target] = {t.name: t for t in (
    Target("docx", _office_run(".docx"), _office_seeds(".docx")),
    Target("odt", _office_run(".odt"), _office_seeds(".odt")),
    Target("gguf", _run_gguf, _gguf_seeds),
    Target("chat_template", _run_chat_template, _template_seeds),
    Target("prompt_template", _run_prompt_template, _prompt_template_seeds),
    Target("document", _run_document, _document_seeds),
    Target("settings", _run_settings, _settings_seeds),
    Target("journal", _run_journal, _journal_seeds),
    Target("languagetool", _run_lt, _lt_seeds),
    Target("server_stream", _run_stream, _stream_seeds),
    Target("ontology", _run_ontology, _ontology_seeds),
    Target("proofread", run_proofread, proofread_seeds, max_len=400),  # a sentence or two:
    # each costs both checkers and the judge (the seeds hold the long ones)
    Target("scoring_plan", run_scoring_plan, plan_seeds),
)}
