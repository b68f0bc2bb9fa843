import socket
import time
from pathlib import Path

import pytest

from conftest import PIZZA, REPO
from engine.errors import OntologyError
from ontology.knowledge import Knowledge
from ontology.matcher import EntityMatcher
from ontology.reasoner import check_consistency
from ontology.store import OntologyStore

TRAVEL = REPO / "resources" / "ontology" / "travel.owl"
PZ = "https://raw.githubusercontent.com/owlcs/pizza-ontology/refs/heads/master/pizza.owl#"
TR = "http://wordloom.app/ontology/travel#"
RDF_HEAD = ('<?xml version="1.0"?>\n<rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:owl="http://www.w3.org/2002/07/owl#" '
            'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#" '
            'xml:base="http://example.org/gen">\n')


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every outgoing connection attempt is recorded and refused."""
    attempts: list[object] = []
    real = socket.socket.connect

    def guard(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in ("::1", "localhost")):
            return real(self, address)
        attempts.append(address)
        raise OSError("network refused by the test")

    monkeypatch.setattr(socket.socket, "connect", guard)
    return attempts


def write(path: Path, body: str) -> Path:
    path.write_text(RDF_HEAD + body + "\n</rdf:RDF>\n", encoding="utf-8")
    return path


def test_pizza_loads_offline_with_portuguese_labels(no_network):
    store = OntologyStore.open(PIZZA)
    entities = store.by_iri()
    assert len(entities) > 100
    margherita = entities[PZ + "Margherita"]
    assert any(n.lang == "pt" for n in margherita.names)
    topping = entities[PZ + "TomatoTopping"]
    assert topping.label("pt") == "CoberturaDeTomate"
    assert topping.label("en") == "Tomato Topping"
    assert no_network == [] and store.warnings == []


def test_reopening_an_unchanged_file_uses_the_cache(tmp_path):
    copy = tmp_path / "pizza.owl"
    copy.write_bytes(PIZZA.read_bytes())
    first = OntologyStore.open(copy)
    assert not first.from_cache
    first.entities()
    first.close()
    started = time.perf_counter()
    second = OntologyStore.open(copy)
    elapsed = time.perf_counter() - started
    assert second.from_cache and len(second.entities()) == len(first.entities())
    assert elapsed < 0.5
    second.close()
    copy.write_bytes(PIZZA.read_bytes().replace(b"Margherita", b"Margarethe"))
    changed = OntologyStore.open(copy)
    assert not changed.from_cache
    assert PZ + "Margarethe" in changed.by_iri()


def test_sample_ontology_has_sixty_bilingual_entities():
    store = OntologyStore.open(TRAVEL)
    entities = store.entities()
    assert len(entities) >= 60
    individuals = [e for e in entities if e.kind == "individual"]
    for entity in individuals:
        langs = {n.lang for n in entity.names if n.source == "label"}
        assert {"en", "zh"} <= langs, entity.iri
    hangzhou = store.by_iri()[TR + "Hangzhou"]
    assert hangzhou.label("zh") == "杭州" and hangzhou.label("en") == "Hangzhou"
    assert "Hangchow" in [n.text for n in hangzhou.names if n.source == "altLabel"]


def test_mentions_with_typos_plurals_and_chinese():
    knowledge = Knowledge.open(TRAVEL)
    text = "We loved the Eifel Tower, two bagels, and Hangchow. 我们在杭州的西湖边喝龙井茶。"
    found = {text[m.start:m.end]: m for m in knowledge.lookup(text).mentions}
    assert found["Eifel Tower"].iri == TR + "EiffelTower" and found["Eifel Tower"].score < 1
    assert found["bagels"].iri == TR + "Bagel" and found["bagels"].score == 1.0
    assert found["Hangchow"].iri == TR + "Hangzhou"
    assert found["杭州"].iri == TR + "Hangzhou"
    assert found["西湖"].iri == TR + "WestLake"
    assert found["龙井茶"].iri == TR + "LongjingTea"


def test_pizza_typo_and_restriction_facts():
    knowledge = Knowledge.open(PIZZA)
    result = knowledge.lookup("A Margheritta, please.", budget=400)
    assert [knowledge.label(m.iri) for m in result.mentions] == ["Margherita"]
    texts = [f.text for f in result.facts]
    assert "a Margherita has some tomato topping" in texts
    assert all(f.iri == PZ + "Margherita" for f in result.facts)


def test_no_false_hits_inside_words(tmp_path):
    path = write(tmp_path / "ears.owl", '<owl:Class rdf:about="#Ear">'
                 '<rdfs:label xml:lang="en">ears</rdfs:label></owl:Class>'
                 '<owl:Class rdf:about="#Gear"><rdfs:label>gear</rdfs:label></owl:Class>')
    matcher = EntityMatcher(OntologyStore.open(path).entities())
    text = "The gears turned and the yearly report appeared."
    hits = [(text[m.start:m.end], m.iri.rsplit("#")[-1]) for m in matcher.find(text)]
    assert hits == [("gears", "Gear")]


def test_overlaps_resolve_to_the_longest_name():
    knowledge = Knowledge.open(TRAVEL)
    text = "Order the West Lake fish in vinegar gravy."
    (mention,) = knowledge.lookup(text).mentions
    assert mention.iri == TR + "WestLakeFishInVinegarGravy"
    assert text[mention.start:mention.end] == "West Lake fish in vinegar gravy"


def test_entities_without_labels_get_readable_names(tmp_path):
    path = write(tmp_path / "bare.owl",
                 '<owl:Class rdf:about="#BondiBeach"/><owl:Class rdf:about="#Tea_Garden"/>'
                 '<owl:Class rdf:about="#Caf%C3%A9Royal"/>')
    labels = sorted(e.label() for e in OntologyStore.open(path).entities())
    assert labels == ["Bondi Beach", "Café Royal", "Tea Garden"]


def test_web_imports_are_skipped_without_touching_the_network(tmp_path, no_network):
    path = write(tmp_path / "imports.owl",
                 '<owl:Ontology rdf:about="http://example.org/gen">'
                 '<owl:imports rdf:resource="http://purl.obolibrary.org/obo/bfo.owl"/>'
                 '<owl:imports rdf:resource="http://example.org/local-part.owl"/>'
                 '</owl:Ontology><owl:Class rdf:about="#Harbour"/>')
    (tmp_path / "local-part.owl").write_text(
        RDF_HEAD.replace("http://example.org/gen", "http://example.org/local-part.owl")
        + '<owl:Ontology rdf:about="http://example.org/local-part.owl"/>'
        '<owl:Class rdf:about="http://example.org/local-part.owl#Lighthouse"/></rdf:RDF>')
    store = OntologyStore.open(path)
    assert no_network == []
    assert len(store.warnings) == 1 and "bfo.owl" in store.warnings[0]
    assert store.entity("http://example.org/local-part.owl#Lighthouse") is not None


@pytest.mark.parametrize("name, content, reason", [
    ("bad.owl", b"<rdf:RDF><owl:Class></rdf:RDF", "not a readable ontology"),
    ("empty.owl", b"", "empty"),
    ("blob.owl", bytes(range(256)) * 4, "binary"),
    ("notes.owl", b"just some words, no ontology here", "unknown ontology format"),
    ("broken.ttl", b"@prefix ex: <http://e/> . ex:a ex:b", "Turtle"),
])
def test_malformed_files_name_the_file_and_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(OntologyError) as err:
        OntologyStore.open(path)
    assert name in str(err.value) and reason in str(err.value)


def test_other_formats(tmp_path):
    nt = tmp_path / "tiny.nt"
    nt.write_text('<http://e.org/t#Harbour> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
                  '<http://www.w3.org/2002/07/owl#Class> .\n'
                  '<http://e.org/t#Harbour> <http://www.w3.org/2000/01/rdf-schema#label> '
                  '"harbour"@en .\n')
    ttl = tmp_path / "tiny.ttl"
    ttl.write_text('@prefix owl: <http://www.w3.org/2002/07/owl#> .\n'
                   '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                   '<http://e.org/t#Pier> a owl:Class ; skos:prefLabel "pier"@en ; '
                   'skos:altLabel "jetty"@en .\n')
    owx = tmp_path / "tiny.owx"
    owx.write_text('<?xml version="1.0"?>\n<Ontology xmlns="http://www.w3.org/2002/07/owl#" '
                   'ontologyIRI="http://e.org/x"><Declaration><Class IRI="http://e.org/x#Quay"/>'
                   '</Declaration></Ontology>')
    assert [e.label() for e in OntologyStore.open(nt).entities()] == ["harbour"]
    (pier,) = OntologyStore.open(ttl).entities()
    assert pier.label() == "pier" and "jetty" in [n.text for n in pier.names]
    assert [e.label() for e in OntologyStore.open(owx).entities()] == ["Quay"]


def test_facts_fit_the_budget_and_rank_related_first():
    knowledge = Knowledge.open(TRAVEL)
    text = "Hangzhou and West Lake in spring."
    wide = knowledge.lookup(text, budget=400)
    narrow = knowledge.lookup(text, budget=40, count_tokens=lambda s: len(s.split()))
    assert len(narrow.facts) < len(wide.facts)
    assert sum(len((f.text + "\n").split()) for f in narrow.facts) <= 40
    assert "Hangzhou — famous for → West Lake" in [f.text for f in narrow.facts[:3]]
    assert len({f.text for f in wide.facts}) == len(wide.facts)


@pytest.mark.java
def test_hermit_explains_unsatisfiable_classes():
    report = check_consistency(OntologyStore.open(PIZZA))
    assert report.consistent
    assert {PZ + "CheeseyVegetableTopping", PZ + "IceCream"} <= set(report.unsatisfiable)
    assert any("declared disjoint" in e for e in report.explanations)


@pytest.mark.java
def test_hermit_explains_an_inconsistency(tmp_path):
    path = write(tmp_path / "clash.owl",
                 '<owl:Class rdf:about="#Cat"/><owl:Class rdf:about="#Dog">'
                 '<owl:disjointWith rdf:resource="#Cat"/></owl:Class>'
                 '<owl:NamedIndividual rdf:about="#Rex"><rdf:type rdf:resource="#Cat"/>'
                 '<rdf:type rdf:resource="#Dog"/></owl:NamedIndividual>')
    report = check_consistency(OntologyStore.open(path))
    assert not report.consistent
    assert report.explanations == ["Rex is both a Cat and a Dog, but those are declared "
                                   "disjoint."]


@pytest.mark.parametrize("sentence", [
    "There is many reason why people go to the mountains.",  # reason is no typo of Season
    "A margarita by the sea.",  # a real word, not a misspelt Margherita
])
def test_dictionary_words_are_not_fuzzy_hits(sentence):
    knowledge = Knowledge.open(REPO / "resources" / "ontology" / "travel.owl")
    pizza = Knowledge.open(PIZZA)
    assert knowledge.matcher.find(sentence) == []
    assert pizza.matcher.find(sentence) == []


def test_properties_are_not_mentions_but_stay_in_facts():
    knowledge = Knowledge.open(REPO / "resources" / "ontology" / "travel.owl")
    found = knowledge.lookup("Darjeeling is famous for its tea. Hangzhou is lovely.", 400)
    kinds = {knowledge.entities[m.iri].kind for m in found.mentions}
    assert kinds and not any(k.endswith("property") for k in kinds)
    assert TR + "famousFor" not in {m.iri for m in found.mentions}
    assert any("famous for" in f.text for f in found.facts)
