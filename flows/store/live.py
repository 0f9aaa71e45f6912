"""The store's part of a run while it runs: each batch's published articles go into the embedded
store as the flow receives the batch, while the workers extract the next ones, so that a run's end
only reconciles what changed behind its back (flows/store/update.py). Off with `--no-store`."""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType
from typing import Protocol

import pyoxigraph as ox

from stemwire.flows.output.layout import OutputLayout
from stemwire.flows.publish.vocabulary import article_iri
from stemwire.flows.store.embedded import GraphLoader, Prepared


class Published(Protocol):
    """What the flow hears of a published article (flows/outcome.py's ArticleOutcome)."""

    article_id: str
    graph_sha256: str
    graph_stat: str
    graph: str


class LiveStore:
    """Opened on the first article it is given (so a run that publishes nothing leaves no store)."""

    def __init__(self, layout: OutputLayout, base_iri: str) -> None:
        self.layout, self.base_iri = layout, base_iri
        self.loader: GraphLoader | None = None

    def published(self, articles: Iterable[Published]) -> None:
        for article in articles:
            path = self.layout.jsonld(article.article_id)
            if not article.graph and not path.exists():
                continue
            if self.loader is None:
                self.layout.store_dir.mkdir(parents=True, exist_ok=True)
                self.loader = GraphLoader(ox.Store(str(self.layout.store_dir)))
            prepared = Prepared(article.graph_sha256, article.graph_stat, article.graph) if article.graph else None
            self.loader.add(article_iri(self.base_iri, article.article_id), path, prepared)

    def close(self) -> None:
        """Load what is queued and release the database's lock (the run's end opens it again)."""
        if self.loader is not None:
            self.loader.flush()
            self.loader = None

    def __enter__(self) -> LiveStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.loader = None  # an interrupted run loads no more; the next run reconciles
