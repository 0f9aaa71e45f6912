"""Where everything lives under the output folder OUT: the one place that knows its layout.

OUT/records/<id>.json         the validated record
OUT/jsonld/<id>.jsonld        its JSON-LD
OUT/text/<id>.txt             the text every offset refers to (code points; UTF-8)
OUT/annotations/<id>.jsonld   every mention as a W3C Web Annotation on that text
OUT/report/articles/<id>.html its review page; OUT/report/index.html the index
OUT/csv/*.csv                 the tables, with csv/csv-metadata.json (CSVW) and csv/datapackage.json
OUT/context.jsonld            the JSON-LD context; OUT/catalog.jsonld the catalog; OUT/vocab.ttl the
                              project's vocabulary; OUT/schemas/ the SHACL shapes and the JSON Schema
OUT/store/                    the embedded Oxigraph store: one named graph per article (flows/store/)
OUT/trials/<registry-id>.jsonld one view of each trial across articles, with csv/trial_summary.csv
OUT/changes/                  the changes feed (ActivityStreams), a page per run
OUT/errors/<file>.json        why an input could not be published
OUT/state/manifest.jsonl      what each source file was when last read; state/rows/<id>.json its table rows
OUT/state/processes.json      the processes the running (or a killed) run started, to end leftovers
OUT/.stemwire.lock            held by the run writing the folder
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

CONTEXT_FILE = "context.jsonld"
MAX_NAME_BYTES = 200  # file names under OUT stay well below the 255-byte limit of file systems
CSV_METADATA_FILE = "csv-metadata.json"
DATAPACKAGE_FILE = "datapackage.json"


@dataclass(frozen=True)
class OutputLayout:
    root: Path

    def record(self, article_id: str) -> Path:
        return self.records_dir / f"{article_id}.json"

    def jsonld(self, article_id: str) -> Path:
        return self.jsonld_dir / f"{article_id}.jsonld"

    def text(self, article_id: str) -> Path:
        return self.text_dir / f"{article_id}.txt"

    def annotations(self, article_id: str) -> Path:
        return self.annotations_dir / f"{article_id}.jsonld"

    def rows(self, article_id: str) -> Path:
        return self.rows_dir / f"{article_id}.json"

    def page(self, article_id: str) -> Path:
        return self.pages_dir / f"{article_id}.html"

    def error(self, source_name: str) -> Path:
        """errors/<source file name>.json; a name too long for that gets its start and a hash."""
        if len(source_name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
            digest = hashlib.sha256(source_name.encode("utf-8", "surrogateescape")).hexdigest()[:12]
            source_name = f"{source_name[:60]}-{digest}"
        return self.root / "errors" / f"{source_name}.json"

    def article_files(self, article_id: str) -> list[Path]:
        """Everything an article publishes, in the order it is written: the record last, so that a
        record on disk always has the rest."""
        return [
            self.jsonld(article_id),
            self.text(article_id),
            self.annotations(article_id),
            self.rows(article_id),
            self.page(article_id),
            self.record(article_id),
        ]

    def per_article(self) -> list[tuple[Path, str]]:
        """(folder, suffix) of the files named after an article id that the manifest owns."""
        return [
            (self.records_dir, ".json"),
            (self.jsonld_dir, ".jsonld"),
            (self.text_dir, ".txt"),
            (self.annotations_dir, ".jsonld"),
            (self.rows_dir, ".json"),
        ]

    def folders(self) -> list[Path]:
        """Every folder a run writes files into (where its temporary files may be left behind)."""
        dirs = [self.records_dir, self.jsonld_dir, self.root / "errors", self.csv_dir, self.state_dir, self.rows_dir]
        dirs += [self.report_dir, self.pages_dir, self.text_dir, self.annotations_dir, self.schemas_dir]
        return [*dirs, self.trials_dir, self.changes_dir]

    @property
    def records_dir(self) -> Path:
        return self.root / "records"

    @property
    def jsonld_dir(self) -> Path:
        return self.root / "jsonld"

    @property
    def text_dir(self) -> Path:
        return self.root / "text"

    @property
    def annotations_dir(self) -> Path:
        return self.root / "annotations"

    @property
    def vocabulary(self) -> Path:
        return self.root / "vocab.ttl"

    @property
    def schemas_dir(self) -> Path:
        """Copies of the SHACL shapes and the JSON Schema the output conforms to."""
        return self.root / "schemas"

    @property
    def csv_dir(self) -> Path:
        return self.root / "csv"

    @property
    def csv_metadata(self) -> Path:
        return self.csv_dir / CSV_METADATA_FILE

    @property
    def datapackage(self) -> Path:
        return self.csv_dir / DATAPACKAGE_FILE

    @property
    def report_dir(self) -> Path:
        return self.root / "report"

    @property
    def pages_dir(self) -> Path:
        return self.report_dir / "articles"

    @property
    def report_index(self) -> Path:
        return self.report_dir / "index.html"

    @property
    def store_dir(self) -> Path:
        return self.root / "store"

    @property
    def store_push_pending(self) -> Path:
        """Present while the store's last push to a SPARQL server failed."""
        return self.state_dir / "store-push-pending"

    @property
    def store_format(self) -> Path:
        """Which rules made the store's graphs, as the last run that reconciled it left them (a run
        with nothing new still reconciles a store made by other rules)."""
        return self.state_dir / "store-format"

    @property
    def store_behind(self) -> Path:
        """Present while the store, the trial views and the changes feed lag the published files
        (a run with --no-store published after the last run that kept them)."""
        return self.state_dir / "store-behind"

    @property
    def changes_dir(self) -> Path:
        """The changes feed: index.jsonld and one page per run that changed something."""
        return self.root / "changes"

    @property
    def trials_dir(self) -> Path:
        return self.root / "trials"

    @property
    def trial_summary(self) -> Path:
        return self.csv_dir / "trial_summary.csv"

    @property
    def state_dir(self) -> Path:
        return self.root / "state"

    @property
    def rows_dir(self) -> Path:
        return self.state_dir / "rows"

    @property
    def manifest(self) -> Path:
        return self.state_dir / "manifest.jsonl"

    @property
    def manifest_v1(self) -> Path:
        """The version-1 manifest (one JSON document), read once to migrate."""
        return self.state_dir / "manifest.json"

    @property
    def processes(self) -> Path:
        return self.state_dir / "processes.json"

    @property
    def lock(self) -> Path:
        return self.root / ".stemwire.lock"

    @property
    def context(self) -> Path:
        return self.root / CONTEXT_FILE

    @property
    def catalog(self) -> Path:
        return self.root / "catalog.jsonld"
