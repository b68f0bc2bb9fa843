"""Build resources/ontology/travel.owl (RDF/XML) from resources/ontology/travel.toml.

    .venv/bin/python packaging/build_sample_ontology.py [OUT]
"""

from __future__ import annotations

import sys
import tomllib
import types
from pathlib import Path

import owlready2
from owlready2 import AnnotationProperty, DataProperty, ObjectProperty, Thing, locstr

HERE = Path(__file__).resolve().parent.parent / "resources" / "ontology"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def build(source: Path, out: Path) -> int:
    spec = tomllib.loads(source.read_text(encoding="utf-8"))
    world = owlready2.World()
    onto = world.get_ontology(spec["iri"] + "#")
    skos = onto.get_namespace(SKOS)
    with onto:
        class altLabel(AnnotationProperty):
            namespace = skos

        onto.metadata.comment.append(locstr(spec["comment"], "en"))
        classes: dict[str, type] = {}
        for name, info in spec["classes"].items():
            parent = classes[info["parent"]] if "parent" in info else Thing
            classes[name] = types.new_class(name, (parent,))
            _labels(classes[name], info)
        props: dict[str, type] = {}
        for name, info in spec["object_properties"].items():
            props[name] = types.new_class(name, (ObjectProperty,))
            _labels(props[name], info)
            if "domain" in info:
                props[name].domain = [classes[info["domain"]]]
            if "range" in info:
                props[name].range = [classes[info["range"]]]
        for name, info in spec["data_properties"].items():
            props[name] = types.new_class(name, (DataProperty,))
            _labels(props[name], info)
            props[name].range = [int]
        individuals = {name: classes[info["type"]](name)
                       for name, info in spec["individuals"].items()}
        for name, info in spec["individuals"].items():
            thing = individuals[name]
            _labels(thing, info)
            for alt in info.get("alt", []):
                thing.altLabel.append(locstr(alt, "en"))
            if "comment" in info:
                thing.comment.append(locstr(info["comment"], "en"))
            for prop, targets in info.get("relations", {}).items():
                getattr(thing, prop).extend(individuals[t] for t in targets)
            for prop, value in info.get("values", {}).items():
                getattr(thing, prop).append(value)
    onto.save(file=str(out), format="rdfxml")
    return len(classes) + len(props) + len(individuals)


def _labels(thing: object, info: dict) -> None:
    thing.label.append(locstr(info["en"], "en"))
    thing.label.append(locstr(info["zh"], "zh"))


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "travel.owl"
    count = build(HERE / "travel.toml", target)
    print(f"{target}: {count} entities")
