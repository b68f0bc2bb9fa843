"""A whole writing session with every connection beyond this machine refused."""

import ipaddress
import socket

import psutil
import pytest
from test_ontology import TRAVEL

from conftest import PIZZA, base_settings
from engine.documents.files import open_document, save_document
from engine.grammar.checker import GrammarChecker
from engine.writing.assistant import Assistant, AssistRequest
from engine.writing.evaluate import Evaluator
from engine.writing.optimize import suggest
from engine.writing.templates import TemplateLibrary
from ontology.knowledge import Knowledge


def _loopback(host: object) -> bool:
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        address = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1
    return (mapped or address).is_loopback


@pytest.fixture
def outside_refused(monkeypatch):
    attempts: list[object] = []
    real_connect = socket.socket.connect
    real_lookup = socket.getaddrinfo

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if self.family == socket.AF_UNIX or _loopback(host):
            return real_connect(self, address)
        attempts.append(address)
        raise OSError(101, "network refused by the offline test")

    def lookup(host, *args, **kwargs):
        if host is None or _loopback(host):
            return real_lookup(host, *args, **kwargs)
        attempts.append(host)
        raise socket.gaierror(-2, "name lookups refused by the offline test")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return attempts


def test_a_whole_session_stays_on_this_machine(tmp_path, runner, outside_refused, lt_ready):
    path = tmp_path / "trip.md"
    path.write_text("We visited Hangzhou and walked around West Lake. He go home late.\n")
    doc = open_document(path)

    grammar = GrammarChecker(base_settings())
    grammar.start(wait=True)
    assert grammar.states()["languagetool"] == "ready"
    issues = grammar.check(doc.text).issues
    assert any(i.engine != "harper" for i in issues)
    jvm = psutil.Process(grammar.lt.server.pid)
    listening = [c for c in jvm.net_connections("inet") if c.status == psutil.CONN_LISTEN]
    assert listening and all(_loopback(c.laddr.ip) for c in listening)
    remote = [c.raddr for c in jvm.net_connections("inet") if c.raddr]
    assert all(_loopback(addr.ip) for addr in remote)

    travel = Knowledge.open(TRAVEL)
    pizza = Knowledge.open(PIZZA)  # full of web IRIs; nothing is fetched
    facts = travel.lookup(doc.text).facts
    assert facts and pizza.lookup("A margherita").mentions

    assistant = Assistant(runner, TemplateLibrary())
    request = AssistRequest(template="rewrite", selection=doc.text.strip(), seed=4,
                            candidates=1, facts=[f.text for f in facts][:3])
    outcome = suggest(assistant, Evaluator(grammar, travel.matcher), request, max_rounds=1)
    assert outcome.candidates

    save_document(doc, outcome.candidates[0].text or doc.text)
    grammar.close()
    assert outside_refused == [], f"tried to reach: {outside_refused}"
