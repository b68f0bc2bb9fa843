"""The writer's knowledge base on the real sample and pizza ontologies: add, edit, delete,
undo, save (checked with rdflib: the statements nobody edited stay as they were),
the matcher following each change, and the command line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from conftest import PIZZA, REPO
from engine.errors import OntologyError
from engine.paths import resource_dir
from ontology.facts import FactBuilder
from ontology.kb import KnowledgeBase
from ontology.kb_types import ChangedOnDiskError, NameTakenError
from ontology.knowledge import Knowledge
from ontology.rdf_graph import signature
from ontology.store import OntologyStore

TRAVEL = resource_dir() / "ontology" / "travel.owl"
T = "http://wordloom.app/ontology/travel#"


@pytest.fixture
def travel(tmp_path: Path) -> Path:
    path = tmp_path / "travel.owl"
    shutil.copy(TRAVEL, path)
    return path


@pytest.fixture
def pizza(tmp_path: Path) -> Path:
    path = tmp_path / "pizza.owl"
    shutil.copy(PIZZA, path)
    return path


def graph(path: Path) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(path, format="xml")
    return g


def test_add_saves_exactly_the_new_statements(travel):
    before = graph(travel)
    kb = KnowledgeBase.open(travel)
    change = kb.add("individual", "Yue Fei Temple", "temple", [("zh", "岳王庙")],
                    "A temple for General Yue Fei.",
                    [("located in", "Hangzhou"), ("remembered by", "West Lake")])
    iri = change.subject
    assert iri == T + "YueFeiTemple" and kb.dirty
    kb.save()
    assert not kb.dirty
    after = graph(travel)
    assert set(before) - set(after) == set()  # nothing of the file was lost
    new = set(after) - set(before)
    u, lit = rdflib.URIRef, rdflib.Literal
    rdfs = rdflib.RDFS
    assert (u(iri), rdfs.label, lit("岳王庙", lang="zh")) in new
    assert (u(iri), rdfs.label, lit("Yue Fei Temple", lang="en")) in new
    assert (u(iri), u(T + "locatedIn"), u(T + "Hangzhou")) in new
    assert (u(T + "rememberedBy"), rdflib.RDF.type, rdflib.OWL.ObjectProperty) in new
    assert all(str(s) in (iri, T + "rememberedBy") for s, _p, _o in new)
    kb.close()
    again = KnowledgeBase.open(travel)  # and owlready2 reads it back
    details = again.details(iri)
    assert details.labels == {"en": ["Yue Fei Temple"], "zh": ["岳王庙"]}
    assert [t.label for t in details.types] == ["temple"]
    assert {(r.prop_label, r.label) for r in details.outgoing} == \
        {("located in", "Hangzhou"), ("remembered by", "West Lake")}
    assert ("located in", "Yue Fei Temple") in {
        (r.prop_label, r.label) for r in again.details(T + "Hangzhou").incoming}
    again.close()


def test_a_new_class_and_its_member_reach_the_store_and_the_facts(travel):
    before = {e.iri for e in OntologyStore.open(travel).entities()}
    kb = KnowledgeBase.open(travel)
    market = kb.add("class", "Night Market", "attraction").subject
    street = kb.add("individual", "Hefang Street", "Night Market",
                    relations=[("located in", "Hangzhou")]).subject
    kb.save()
    kb.close()
    after = OntologyStore.open(travel)
    assert set(after.by_iri()) == before | {market, street}
    facts = [f.text.lower() for f in FactBuilder(after).facts_for(street)]
    assert "hefang street — located in → hangzhou" in facts
    assert "hefang street is a night market" in facts


def test_a_failed_save_leaves_the_file_untouched(travel, monkeypatch):
    original = travel.read_bytes()
    kb = KnowledgeBase.open(travel)
    kb.add("class", "Ferry Pier")

    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OntologyError, match="unchanged"):
        kb.save()
    assert travel.read_bytes() == original and kb.dirty
    assert sorted(p.name for p in travel.parent.iterdir() if p.is_file()) == ["travel.owl"]


def test_edit_delete_undo_redo_on_pizza_and_the_file_round_trips(pizza):
    original = signature(graph(pizza))
    kb = KnowledgeBase.open(pizza)
    american = kb.resolve("American")
    assert american is not None and kb.details(american).types
    kb.update(american, labels=[("en", "American pizza"), ("pt", "Americana")],
              comment="With pepperoni.")
    assert kb.details(american).labels == {"en": ["American pizza"], "pt": ["Americana"]}
    kb.delete(american)
    assert kb.kind(american) is None and kb.resolve("American pizza") is None
    kb.undo()
    assert kb.details(american).comments == ["With pepperoni."]
    kb.undo()
    kb.save()
    assert signature(graph(pizza)) == original  # restrictions (blank nodes) and all
    kb.redo()
    kb.redo()
    kb.save()
    saved = graph(pizza)
    assert not any(str(s) == american for s in saved.subjects())
    assert not any(str(o) == american for o in saved.objects())
    kb.close()


def test_bad_input_is_refused_in_one_line(travel):
    kb = KnowledgeBase.open(travel)
    with pytest.raises(NameTakenError) as taken:
        kb.add("individual", "west lake", "lake")
    assert taken.value.iri == T + "WestLake"
    with pytest.raises(OntologyError, match="'Spaceship': no such class"):
        kb.add("individual", "Apollo", "Spaceship")
    with pytest.raises(OntologyError, match="is not a language code"):
        kb.add("individual", "Apollo", "city", [("english!", "Apollo")])
    with pytest.raises(OntologyError, match="needs a type"):
        kb.add("individual", "Apollo")
    with pytest.raises(OntologyError, match="no such entry to relate to"):
        kb.add("individual", "Apollo", "city", relations=[("near to", "Atlantis")])
    assert not kb.dirty and kb.resolve("Apollo") is None
    kb.close()


def test_a_file_changed_on_disk_is_not_overwritten_without_asking(travel):
    kb = KnowledgeBase.open(travel)
    kb.add("individual", "Apollo Inn", "city")
    travel.write_text(travel.read_text(encoding="utf-8").replace("Hangzhou", "Hangchow"),
                      encoding="utf-8")
    with pytest.raises(ChangedOnDiskError, match="changed on disk"):
        kb.save()
    assert "Apollo" not in travel.read_text(encoding="utf-8")
    kb.save(force=True)
    assert "ApolloInn" in travel.read_text(encoding="utf-8")
    kb.close()


OWX = """<?xml version="1.0"?>
<Ontology xmlns="http://www.w3.org/2002/07/owl#" xml:base="http://example.org/places"
     ontologyIRI="http://example.org/places">
  <Declaration><Class IRI="#City"/></Declaration>
  <Declaration><NamedIndividual IRI="#Lisbon"/></Declaration>
  <ClassAssertion><Class IRI="#City"/><NamedIndividual IRI="#Lisbon"/></ClassAssertion>
  <AnnotationAssertion>
    <AnnotationProperty IRI="http://www.w3.org/2000/01/rdf-schema#label"/><IRI>#Lisbon</IRI>
    <Literal xml:lang="en">Lisbon</Literal>
  </AnnotationAssertion>
</Ontology>
"""


def test_owl_xml_cannot_be_written_back_but_save_as_works(tmp_path):
    owx = tmp_path / "places.owx"
    owx.write_text(OWX, encoding="utf-8")
    kb = KnowledgeBase.open(owx)
    assert kb.resolve("Lisbon") == "http://example.org/places#Lisbon"
    kb.add("individual", "Porto", "City")
    with pytest.raises(OntologyError, match="OWL/XML cannot be written back; use Save As"):
        kb.save()
    assert owx.read_text(encoding="utf-8") == OWX
    out = kb.save(tmp_path / "places.owl")
    assert out.exists() and kb.path == out and not kb.dirty
    saved = graph(out)
    assert (rdflib.URIRef("http://example.org/places#Porto"), rdflib.RDFS.label,
            rdflib.Literal("Porto", lang="en")) in saved
    assert (rdflib.URIRef("http://example.org/places#Lisbon"), rdflib.RDF.type,
            rdflib.URIRef("http://example.org/places#City")) in saved
    kb.close()


def test_a_new_knowledge_base_for_a_project(tmp_path):
    path = KnowledgeBase.create(tmp_path / "novel-cast.owl", "The cast of my novel")
    with pytest.raises(OntologyError, match="already there"):
        KnowledgeBase.create(path)
    kb = KnowledgeBase.open(path)
    kb.add("class", "Character")
    kb.add("individual", "Ada Quill", "Character", [("zh", "艾达")], "The narrator.")
    kb.add("individual", "Tom Reed", "Character", relations=[("sister", "Ada Quill")])
    kb.save()
    kb.close()
    again = KnowledgeBase.open(path)
    tom = again.details(again.resolve("Tom Reed") or "")
    assert [(r.prop_label, r.label) for r in tom.outgoing] == [("sister", "Ada Quill")]
    assert [n.label for n in again.classes()] == ["Character"]
    assert [label for _i, label in again.classes()[0].individuals] == ["Ada Quill", "Tom Reed"]
    assert again.search("艾")[0][1] == "Ada Quill"
    again.close()


def test_the_matcher_and_the_facts_follow_each_change(travel):
    knowledge = Knowledge.open(travel)
    text = "We ended the day at the Yue Fei Temple by the lake."
    assert not any(m.name == "Yue Fei Temple" for m in knowledge.lookup(text).mentions)
    kb = knowledge.edit()
    change = kb.add("individual", "Yue Fei Temple", "temple", [("zh", "岳王庙")],
                    relations=[("located in", "Hangzhou")])
    found = knowledge.lookup(text, budget=400)  # the name index followed by itself
    assert change.subject in {m.iri for m in found.mentions}
    assert any("Yue Fei Temple" in f.text and "Hangzhou" in f.text for f in found.facts)
    assert change.subject in {m.iri for m in knowledge.lookup("我们去了岳王庙。").mentions}
    assert kb.undo() is not None
    assert change.subject not in {m.iri for m in knowledge.lookup(text).mentions}
    chinese = kb.details(T + "WestLake").labels["zh"][0]
    assert T + "WestLake" in {m.iri for m in knowledge.lookup(f"我们去了{chinese}。").mentions}
    kb.update(T + "WestLake", labels=[("en", "Xihu Lake")])  # the Chinese label goes
    assert [m.name for m in knowledge.lookup("A walk by Xihu Lake.").mentions] == ["Xihu Lake"]
    assert T + "WestLake" not in {m.iri for m in knowledge.lookup(f"我们去了{chinese}。").mentions}
    knowledge.close()


# --- the command line -------------------------------------------------------------------

def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], capture_output=True,
                          text=True, timeout=120, env=dict(os.environ))


@pytest.mark.java  # ontology check runs HermiT
def test_ontology_add_show_check(travel):
    out = cli("ontology", "add", "--ontology", str(travel), "--individual", "Yue Fei Temple",
              "--type", T + "Temple", "--label", "zh:岳王庙", "--comment", "For Yue Fei.",
              "--relation", "located in=Hangzhou", "--relation", f"nearTo={T}WestLake",
              "--json")
    assert out.returncode == 0, out.stderr
    added = json.loads(out.stdout)
    assert added["iri"] == T + "YueFeiTemple" and added["labels"]["zh"] == ["岳王庙"]
    shown = json.loads(cli("ontology", "show", "--ontology", str(travel), "岳王庙",
                           "--json").stdout)
    assert shown["types"] == [{"iri": T + "Temple", "label": "temple"}]
    assert {r["label"] for r in shown["relations"]} == {"Hangzhou", "West Lake"}
    hangzhou = json.loads(cli("ontology", "show", "--ontology", str(travel), "Hangzhou",
                              "--json").stdout)
    assert {"property": T + "locatedIn", "property_label": "located in",
            "iri": T + "YueFeiTemple", "label": "Yue Fei Temple"} in hangzhou["incoming"]
    check = cli("ontology", "check", "--ontology", str(travel), "--json")
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout)["consistent"] is True


def test_ontology_errors_are_one_line(travel, tmp_path):
    sample = TRAVEL.read_bytes()
    cases = [
        (("add", "--individual", "Apollo Inn", "--type", "city"),  # the settings' sample
         "is the sample that comes with Wordloom; use Save As"),
        (("add", "--ontology", str(travel), "--individual", "West Lake", "--type", "lake"),
         "already in the knowledge base as West Lake"),
        (("add", "--ontology", str(travel), "--individual", "X", "--type", "Spaceship"),
         "'Spaceship': no such class"),
        (("add", "--ontology", str(travel), "--individual", "X", "--type", "city",
          "--label", "nolang"), "label 'nolang': expected LABEL:"),
        (("show", "--ontology", str(travel), "hangzou"), "did you mean Hangzhou?"),
        (("show", "--ontology", str(tmp_path / "none.owl"), "x"), "cannot read"),
    ]
    for args, message in cases:
        out = cli("ontology", *args)
        assert out.returncode == 1, (args, out.stderr)
        assert out.stderr.count("error:") == 1 and message in out.stderr, out.stderr
        assert "Traceback" not in out.stderr
    assert travel.read_bytes() == TRAVEL.read_bytes() and TRAVEL.read_bytes() == sample


@pytest.mark.java
def test_an_inconsistent_edit_is_explained(pizza):
    out = cli("ontology", "add", "--ontology", str(pizza), "--individual", "Odd Slice",
              "--type", "Margherita")
    assert out.returncode == 0, out.stderr
    kb = KnowledgeBase.open(pizza)
    kb.update(kb.resolve("Odd Slice") or "", add_types=["MozzarellaTopping"])
    kb.save()
    kb.close()
    check = cli("ontology", "check", "--ontology", str(pizza), "--json")
    report = json.loads(check.stdout)
    assert check.returncode == 1 and report["consistent"] is False, check.stderr
    assert "Odd Slice" in report["summary"]


def test_a_read_only_file_is_refused_with_save_as(travel):
    folder = travel.parent
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else \
        ["unshare", "--mount", "--map-root-user"]
    script = (f'mount --bind "{folder}" "{folder}" && '
              f'mount -o remount,ro,bind "{folder}" && exec "$@"')
    out = subprocess.run([*unshare, "sh", "-c", script, "sh", sys.executable,
                          str(REPO / "main.py"), "ontology", "add", "--ontology", str(travel),
                          "--individual", "Apollo Inn", "--type", "city"],
                         capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert out.returncode == 1, out.stderr
    assert "read-only; use Save As" in out.stderr and "Traceback" not in out.stderr
    assert travel.read_bytes() == TRAVEL.read_bytes()
