"""Push the store's article graphs to any SPARQL server through the SPARQL 1.1 Graph Store HTTP
Protocol (PUT and DELETE of ?graph=<IRI>): Oxigraph's server, Apache Jena Fuseki, GraphDB.

What was pushed is recorded in the store's bookkeeping graph (sw:pushedSha256, the hash of the file
the pushed graph came from), so a push that fails part-way is finished by the next run.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox

from stemwire.flows.publish.vocabulary import SW
from stemwire.flows.store.bookkeeping import BOOKKEEPING, recorded_graphs
from stemwire.flows.store.query import EndpointError, auth_header

PUSHED = ox.NamedNode(SW + "pushedSha256")
# The Graph Store Protocol URL (e.g. http://host:7878/store for `oxigraph serve`); credentials come
# from STEMWIRE_SPARQL_USER / STEMWIRE_SPARQL_PASSWORD.
GRAPH_STORE_ENV = "STEMWIRE_GRAPH_STORE"


def _send(url: str, method: str, iri: str, body: bytes | None = None, timeout: float = 60) -> None:
    target = f"{url}?{urllib.parse.urlencode({'graph': iri})}"
    headers = {**auth_header(), **({"Content-Type": "application/n-triples"} if body is not None else {})}
    request = urllib.request.Request(target, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout):
            pass
    except urllib.error.HTTPError as error:
        if method == "DELETE" and error.code == 404:  # already gone
            return
        raise EndpointError(f"{method} {target} answered {error.code} {error.reason}") from error
    except (urllib.error.URLError, OSError) as error:
        raise EndpointError(f"{method} {target} could not be reached: {getattr(error, 'reason', error)}") from error


def _pushed(store: ox.Store) -> dict[str, str]:
    found = {}
    for quad in store.quads_for_pattern(None, PUSHED, None, BOOKKEEPING):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
            found[quad.subject.value] = quad.object.value
    return found


def _set_pushed(store: ox.Store, iri: str, sha: str | None) -> None:
    graph = ox.NamedNode(iri)
    for quad in list(store.quads_for_pattern(graph, PUSHED, None, BOOKKEEPING)):
        store.remove(quad)
    if sha:
        store.add(ox.Quad(graph, PUSHED, ox.Literal(sha), BOOKKEEPING))


def push_store(store: ox.Store, url: str) -> tuple[int, int]:
    """PUT every graph the endpoint lacks or holds an older version of, DELETE those it holds of
    withdrawn articles; (put, deleted). Raises EndpointError at the first refusal (what was pushed
    before it stays recorded)."""
    recorded = {iri: sha for iri, (sha, _) in recorded_graphs(store).items()}
    pushed = _pushed(store)
    put = deleted = 0
    for iri in sorted(set(pushed) - set(recorded)):
        _send(url, "DELETE", iri)
        _set_pushed(store, iri, None)
        deleted += 1
    for iri, sha in sorted(recorded.items()):
        if pushed.get(iri) == sha:
            continue
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(iri))
        ]
        _send(url, "PUT", iri, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        _set_pushed(store, iri, sha)
        put += 1
    return put, deleted
