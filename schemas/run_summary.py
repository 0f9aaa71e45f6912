"""What `stemwire run --json` prints: the run's summary as one JSON object, for scripts and monitors.
Its JSON Schema is committed as schemas/run-summary.schema.json (`stemwire schema` writes it)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

SUMMARY_VERSION = "1.0.0"
SUMMARY_ID = f"https://stemwire.example.org/schemas/run-summary/{SUMMARY_VERSION}/run-summary.schema.json"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PathReason(_Strict):
    path: str = Field(description="The raw file, as the run names it.")
    reason: str = Field(description="One line: why it failed or was left for the next run.")


class Duplicate(_Strict):
    article_id: str
    duplicate_of: str = Field(description="The article it repeats (the same normalised text).")


class Timings(_Strict):
    total_s: float = Field(ge=0, description="Seconds from the command's start to its summary.")


class RunSummaryReport(_Strict):
    """A run's outcome. `exit_status` is the command's: 0 when nothing failed, 1 when an input failed."""

    version: str = SUMMARY_VERSION
    ok: bool = Field(description="No input failed.")
    exit_status: int = Field(ge=0)
    articles_read: int = Field(ge=0, description="New or changed files read by this run.")
    published: int = Field(ge=0)
    unchanged: int = Field(ge=0)
    facts: dict[str, int] = Field(description="Facts published by this run, per fact family.")
    failures: list[PathReason]
    not_ready: list[PathReason] = Field(description="Files still being written or temporary: the next run reads them.")
    withdrawn: list[str] = Field(description="Articles whose source file is gone: their outputs were removed.")
    duplicates: list[Duplicate]
    notes: list[str] = Field(description="What the run found and mended (a damaged manifest, changed options).")
    warnings: list[str] = Field(default_factory=list, description="Findings that are not errors.")
    output: str = Field(description="The output folder.")
    report: str = Field(description="The review report to open.")
    timings: Timings
