"""The store's bookkeeping graph: for each article graph held in full, the sha256 of the file it was
loaded from and the file's size and modification time; and for each graph a change the changes feed
has not yet announced (Create, Update or Delete, with the hash it concerns).

The record is removed before its graph is touched and written only after the graph is flushed in
full, so "recorded" always means "complete". The pending change is written with the record and
cleared only after the feed's page is on disk, so a run killed at any point announces every change
at least once (flows/store/changes.py). Whatever removes a graph's record or its pending change
writes what replaces them in the same transaction (replace()): a kill between the two would leave a
graph neither recorded nor pending, which the next run would announce as new, or not at all.
"""

from __future__ import annotations

import pyoxigraph as ox

from stemwire.flows.publish.vocabulary import SW

BOOKKEEPING = ox.NamedNode("urn:stemwire:store")
SHA256 = ox.NamedNode(SW + "graphSha256")
FILE_STAT = ox.NamedNode(SW + "graphFileStat")
PENDING = ox.NamedNode(SW + "pendingChange")
PENDING_SHA256 = ox.NamedNode(SW + "pendingSha256")
STORE_FORMAT = ox.NamedNode(SW + "storeFormat")


def recorded_graphs(store: ox.Store) -> dict[str, tuple[str, str]]:
    """{article IRI: (sha256, file stat)} of every graph the store holds in full."""
    query = f"SELECT ?g ?sha ?stat WHERE {{ GRAPH {BOOKKEEPING} {{ ?g {SHA256} ?sha ; {FILE_STAT} ?stat }} }}"
    rows = store.query(query)
    assert isinstance(rows, ox.QuerySolutions)
    return {row["g"].value: (row["sha"].value, row["stat"].value) for row in rows}


def store_format(store: ox.Store) -> str:
    """What the store's graphs were made from (flows/store/documents.py's GRAPH_FORMAT); "" if unknown."""
    for quad in store.quads_for_pattern(BOOKKEEPING, STORE_FORMAT, None, BOOKKEEPING):
        if isinstance(quad.object, ox.Literal):
            return quad.object.value
    return ""


def set_store_format(store: ox.Store, value: str) -> None:
    for quad in list(store.quads_for_pattern(BOOKKEEPING, STORE_FORMAT, None, BOOKKEEPING)):
        store.remove(quad)
    store.add(ox.Quad(BOOKKEEPING, STORE_FORMAT, ox.Literal(value), BOOKKEEPING))


def pending_changes(store: ox.Store) -> dict[str, tuple[str, str]]:
    """{article IRI: (Create | Update | Delete, sha256)} of the changes not yet in the feed."""
    query = f"SELECT ?g ?kind ?sha WHERE {{ GRAPH {BOOKKEEPING} {{ ?g {PENDING} ?kind ; {PENDING_SHA256} ?sha }} }}"
    rows = store.query(query)
    assert isinstance(rows, ox.QuerySolutions)
    return {row["g"].value: (row["kind"].value, row["sha"].value) for row in rows}


# What a graph's record and its pending change are made of (what was pushed of it, flows/store/push.py,
# is neither).
RECORD = (SHA256, FILE_STAT)
CHANGE = (PENDING, PENDING_SHA256)


def replace(
    store: ox.Store, iris: list[str], predicates: tuple[ox.NamedNode, ...], quads: list[ox.Quad] | None = None
) -> None:
    """Remove what the bookkeeping graph says of each graph of `iris` through `predicates`, and add
    `quads` (bookkeeping quads), in one transaction: one SPARQL update, which Oxigraph applies in
    full or not at all."""
    operations = []
    if iris and predicates:
        graphs = " ".join(str(ox.NamedNode(iri)) for iri in iris)
        kinds = " ".join(map(str, predicates))
        operations.append(
            f"DELETE {{ GRAPH {BOOKKEEPING} {{ ?g ?p ?o }} }} WHERE {{ VALUES ?g {{ {graphs} }} "
            f"VALUES ?p {{ {kinds} }} GRAPH {BOOKKEEPING} {{ ?g ?p ?o }} }}"
        )
    if quads:
        if any(quad.graph_name != BOOKKEEPING for quad in quads):
            raise ValueError("replace() writes bookkeeping quads only")
        triples = " ".join(f"{quad.subject} {quad.predicate} {quad.object} ." for quad in quads)
        operations.append(f"INSERT DATA {{ GRAPH {BOOKKEEPING} {{ {triples} }} }}")
    if operations:
        store.update(" ;\n".join(operations))


def clear_pending(store: ox.Store, iris: list[str]) -> None:
    replace(store, iris, CHANGE)


def record(iri: str, sha: str, stat: str) -> list[ox.Quad]:
    graph = ox.NamedNode(iri)
    return [
        ox.Quad(graph, SHA256, ox.Literal(sha), BOOKKEEPING),
        ox.Quad(graph, FILE_STAT, ox.Literal(stat), BOOKKEEPING),
    ]


def pending(iri: str, kind: str, sha: str) -> list[ox.Quad]:
    graph = ox.NamedNode(iri)
    return [
        ox.Quad(graph, PENDING, ox.Literal(kind), BOOKKEEPING),
        ox.Quad(graph, PENDING_SHA256, ox.Literal(sha), BOOKKEEPING),
    ]


def change_on_load(iri: str, recorded: dict[str, tuple[str, str]], waiting: dict[str, tuple[str, str]]) -> str:
    """What loading the graph `iri` announces: a graph the feed has not yet announced stays a Create;
    one a consumer may hold (announced, or withdrawn but not yet announced so) is an Update. A reload
    writes its pending change before it touches the graph, so a reload cut short still says Update."""
    kind = waiting.get(iri, ("", ""))[0]
    if kind == "Create" or (not kind and iri not in recorded):
        return "Create"
    return "Update"
