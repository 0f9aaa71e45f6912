"""Derive tests/data/schemaorg-current.json from a schema.org release's schemaorg-current-http.ttl.

    git show HEAD:data/releases/30.0/schemaorg-current-http.ttl > sdo.ttl   # in a clone of schemaorg/schemaorg
    python tests/data/derive_schemaorg.py sdo.ttl 30.0 > tests/data/schemaorg-current.json

Every class (with its superclasses) and every property (with domainIncludes, rangeIncludes,
subPropertyOf), and supersededBy for both: the whole vocabulary, so a test over it can fail.
"""

from __future__ import annotations

import json
import sys

from rdflib import RDF, RDFS, Graph, URIRef

S = "http://schema.org/"


def short(node: object) -> str:
    return str(node).removeprefix(S)


def derive(path: str, release: str) -> dict:
    g = Graph().parse(path, format="turtle")
    classes: dict[str, dict] = {}
    properties: dict[str, dict] = {}
    types = [RDFS.Class, URIRef(S + "DataType")]
    for t in types:
        for c in g.subjects(RDF.type, t):
            if str(c).startswith(S):
                classes[short(c)] = {"subClassOf": sorted(short(o) for o in g.objects(c, RDFS.subClassOf))}
    # enumeration members and data types are instances of classes: keep them as named values
    for p in g.subjects(RDF.type, RDF.Property):
        properties[short(p)] = {
            "domainIncludes": sorted(short(o) for o in g.objects(p, URIRef(S + "domainIncludes"))),
            "rangeIncludes": sorted(short(o) for o in g.objects(p, URIRef(S + "rangeIncludes"))),
            "subPropertyOf": sorted(short(o) for o in g.objects(p, RDFS.subPropertyOf) if str(o).startswith(S)),
        }
    for table in (classes, properties):
        for name, entry in table.items():
            superseded = [short(o) for o in g.objects(URIRef(S + name), URIRef(S + "supersededBy"))]
            if superseded:
                entry["supersededBy"] = sorted(superseded)
    members = sorted(
        short(s)
        for s, o in g.subject_objects(RDF.type)
        if str(s).startswith(S) and short(o) in classes and short(s) not in classes and short(s) not in properties
    )
    return {
        "_source": f"schema.org release {release}, data/releases/{release}/schemaorg-current-http.ttl "
        "(https://github.com/schemaorg/schemaorg)",
        "_license": "schema.org vocabulary, CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/); "
        "derived: only names, class hierarchy, domains, ranges and supersession kept",
        "release": release,
        "classes": dict(sorted(classes.items())),
        "properties": dict(sorted(properties.items())),
        "enumerationMembers": members,
    }


if __name__ == "__main__":
    json.dump(derive(sys.argv[1], sys.argv[2]), sys.stdout, indent=0, sort_keys=True)
    sys.stdout.write("\n")
