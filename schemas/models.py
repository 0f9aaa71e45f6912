"""Pydantic models of one article's record. The JSON Schema under schemas/ is generated from these.

Offsets (`start`, `end`) are Unicode code points into the original decoded text, so that
`original[start:end] == text` holds for every span.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from stemwire.schemas import SCHEMA_VERSION

Precision = Literal["year", "month", "week", "day"]
Direction = Literal["increase", "decrease", "improvement"]
Qualifier = Literal["~", ">=", "<=", ">", "<"]
MentionType = Literal[
    "cell_type", "condition", "trial", "date", "duration", "metric", "reference", "measure", "citation"
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Span(Model):
    start: int = Field(ge=0, description="Code-point offset of the first character in the original text.")
    end: int = Field(ge=0, description="Code-point offset just past the last character.")
    text: str = Field(description="original[start:end], verbatim.")


class Mention(Span):
    type: MentionType
    key: str = Field(description="Which fact the mention belongs to (cell-type key, registry id, fact index).")


class Source(Model):
    path: str = Field(description="Path of the raw file as given to the pipeline.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    encoding: str = Field(description="Encoding the bytes were decoded with (utf-8, gb18030, big5, utf-16, ...).")
    format: Literal["text", "markdown", "html"] = Field(description="What the file holds; offsets refer to its text.")
    bytes: int = Field(ge=0)
    chars: int = Field(ge=0, description="Length of the decoded text in code points.")
    script: Literal["traditional", "simplified", "mixed", "unknown"]
    language: Literal["zh-Hant", "zh-Hans"]
    traditional_chars: int = Field(ge=0, description="Characters only Traditional writing uses.")
    simplified_chars: int = Field(ge=0, description="Characters only Simplified writing uses.")
    normalised_sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the text in Simplified script without whitespace: equal for the same article "
        "in either script or wrapping, so duplicates can be found.",
    )


class CellType(Model):
    key: str = Field(description="Gazetteer key of the cell type.")
    name: str = Field(description="Canonical English label (the Cell Ontology label where CL has the class).")
    cl_id: str | None = Field(pattern=r"^CL:[0-9]{7}$", description="Cell Ontology id, or null where CL has none.")
    name_zh_hans: str = Field(description="The name in Simplified script.")
    name_zh_hant: str = Field(description="The name in Traditional script.")
    abbreviations: list[str] = Field(default_factory=list, description="Abbreviations the gazetteer knows.")
    products: list[str] = Field(
        default_factory=list, description="Product names in the article made of this cell type."
    )
    mention_count: int = Field(ge=1, description="How many times the article mentions it.")


class Condition(Model):
    key: str = Field(description="Vocabulary key of the condition.")
    name: str = Field(description="Canonical English name.")
    icd10: str | None = Field(
        pattern=r"^[A-Z][0-9]{2}(\.[0-9]{1,2})?$", description="WHO ICD-10 category, where one fits."
    )
    name_zh: str = Field(description="The name as the article first writes it.")
    mention_count: int = Field(ge=1, description="How many times the article mentions it.")


class Trial(Model):
    registry_id: str = Field(description="Id as the registry writes it, e.g. NCT04631406.")
    registry: str = Field(description="Registry name.")
    url: str = Field(description="Public page of the registration.")
    phase: str | None = Field(default=None, description='Normalised phase: "1", "1/2a", "2", "3", ...')
    phase_text: str | None = None
    enrollment: int | None = Field(default=None, ge=0, description="Participants enrolled, as the article states.")
    enrollment_text: str | None = None
    enrollment_type: Literal["anticipated", "actual"] | None = Field(
        default=None,
        description="As registries distinguish: anticipated (a planned size: 计划纳入554名) or actual (patients "
        "enrolled: 共入组了196人); null where the text does not say which.",
    )
    enrollment_anticipated: int | None = Field(
        default=None,
        ge=0,
        description="The planned size where the text gives it beside the actual one (原计划招募200名 … 最终186名被随机): "
        "`enrollment` then holds the actual count.",
    )
    conditions: list[str] = Field(
        default_factory=list, description="Keys of the conditions the trial studies (see the record's conditions)."
    )
    interventions: list[str] = Field(
        default_factory=list, description="Keys of the cell types the trial gives (see the record's cell_types)."
    )
    follow_up: str | None = Field(default=None, description="Follow-up length, ISO 8601 duration.")
    follow_up_text: str | None = None
    study: str | None = Field(default=None, description="Id of the study this trial registers.")
    also_registered_as: list[str] = Field(
        default_factory=list,
        description="Ids of other registries the text names as the same study (NCT… and ChiCTR…); it shares their "
        "phase and size.",
    )
    mention_count: int = Field(ge=1, description="How many times the article mentions it.")


class DateFact(Span):
    value: str | None = Field(
        description="ISO 8601 calendar date at the text's precision (2025-02-17, 2025-08, 2025, 2025-W10); "
        "null when a relative expression has nothing to resolve against."
    )
    precision: Precision | None = Field(description="year, month, week or day.")
    role: Literal["event", "dateline", "reference"] = Field(
        description="event (in the text), dateline (the article's own date) or reference (in a cited entry)."
    )
    relative: bool = Field(description="Resolved from context (同年, 去年, 4月17日 without a year).")
    underspecified: bool = Field(
        default=False,
        description="The text leaves part of the date out (4月20日 and 29日 give no year, 08年 no century): "
        "the value takes the missing part from reference_date.",
    )
    reference_date: str | None = Field(
        default=None,
        description="What a relative or underspecified date was resolved against, ISO 8601: the publication "
        "date or dateline (2025-03-14), or a year the text gave nearby (2018); null for dates the text gives in full.",
    )


class DurationFact(Span):
    value: str = Field(
        pattern=r"^P(?:(?:[0-9]+(?:\.[0-9]+)?[YMWD])+(?:T(?:[0-9]+(?:\.[0-9]+)?[HMS])+)?|T(?:[0-9]+(?:\.[0-9]+)?[HMS])+)$",
        description="ISO 8601 duration: P12M, P7D, P6W, PT24H.",
    )
    kind: Literal["length", "time_point"] = Field(description="A span of time, or a point such as 第7天.")
    qualifier: Qualifier | None = Field(default=None, description="~ about, >= at least, <= at most; null if exact.")
    range_part: Literal["start", "end"] | None = Field(default=None, description="start or end of a range.")
    study: str | None = Field(default=None, description="Id of the study it belongs to.")


class Metric(Span):
    value: float
    unit: str | None = Field(description="point, percent, fold, cells, cells/kg, count, hours, days, m, ... or null.")
    measure: str | None = Field(description="Canonical name of what was measured.")
    measure_key: str | None = None
    measure_text: str | None = Field(default=None, description="The words in the text that name the measure.")
    direction: Direction | None = Field(default=None, description="increase, decrease or improvement.")
    qualifier: Qualifier | None = Field(default=None, description="~ about, >= at least, <= at most; null if exact.")
    range_part: Literal["start", "end"] | None = Field(default=None, description="start or end of a range.")
    study: str | None = Field(default=None, description="Id of the study it belongs to.")
    arm: Literal["intervention", "control", "comparison"] | None = Field(
        default=None,
        description="The group the value describes: intervention (the therapy studied), control (placebo, sham, "
        "standard care, a comparator), or comparison (a between-group difference, a hazard, odds or risk ratio); "
        "null where the study states no comparator or the text leaves the group unclear.",
    )
    time_point: str | None = Field(
        default=None,
        pattern=r"^P(?:(?:[0-9]+(?:\.[0-9]+)?[YMWD])+(?:T(?:[0-9]+(?:\.[0-9]+)?[HMS])+)?|T(?:[0-9]+(?:\.[0-9]+)?[HMS])+)$",
        description="When the value was measured, as an ISO 8601 duration from the start of treatment "
        "(第24周 -> P24W, 12个月时 -> P12M, baseline -> P0D); null where the text ties no time to it.",
    )
    time_point_text: str | None = Field(
        default=None, description="The words in the text that give the time point (第24周, 术后3个月)."
    )
    primary: bool | None = Field(
        default=None,
        description="true where the text names the figure as the primary endpoint (主要终点, 主要结局), false where "
        "it names a secondary one (次要终点); null where it says neither (never guessed from order).",
    )
    subgroup: str | None = Field(
        default=None,
        description="The subgroup the figure describes, as written (65岁以上亚组), where the text names one: such a "
        "figure is not the whole trial's; null for the whole study population.",
    )


class Reference(Model):
    number: int | None = Field(default=None, description="The list number, where the entry has one.")
    start: int = Field(ge=0, description="Code-point offset of the entry's first character in the original text.")
    end: int = Field(ge=0, description="Code-point offset just past the entry's last character.")
    text: str = Field(description="The entry as written.")
    doi: str | None = Field(default=None, description="DOI the entry cites (10.xxxx/...).")
    pmid: str | None = Field(default=None, description="PubMed id.")
    pmcid: str | None = Field(default=None, description="PubMed Central id (PMC...).")
    url: str | None = Field(default=None, description="Web address the entry cites.")
    cited_at: list[int] = Field(default_factory=list, description="Offsets of the citation markers that point here.")


class Study(Model):
    id: str
    kind: Literal["registered_trial", "clinical", "preclinical", "other"]
    label: str
    trial_ids: list[str] = Field(default_factory=list)
    reference_numbers: list[int] = Field(default_factory=list)
    start: int = Field(ge=0)
    end: int = Field(ge=0)


DateSource = Literal["caller", "meta", "json-ld", "time", "markup", "url", "byline", "body"]


class PageInfo(Model):
    title: str | None = Field(
        default=None, description="The headline: og:title, the page's h1, or <title> without its site suffix."
    )
    date_published: str | None = Field(default=None, description="Publication date, ISO 8601 (no invented time).")
    date_modified: str | None = Field(
        default=None, description="Last modification date where the page states one apart from publication."
    )
    date_source: DateSource | None = Field(
        default=None,
        description="Where date_published came from: caller (given with the article), meta (a meta tag), json-ld, "
        "time (a <time> element), markup (other page markup, read by htmldate), url (the page's address), "
        "byline (a dateline or 发布日期 line under the title), body (the opening of the first paragraph).",
    )
    site_name: str | None = Field(default=None, description="The site that published the page (og:site_name).")
    author: str | None = Field(default=None, description="Author as the page names them (meta tag or 作者 line).")
    canonical_url: str | None = Field(default=None, description="The page's own address (canonical link, og:url).")
    language: str | None = Field(default=None, description="Language the page declares (<html lang>), BCP 47.")


class Record(Model):
    schema_version: Literal[SCHEMA_VERSION] = SCHEMA_VERSION  # type: ignore[valid-type]
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", description="Stable article id, from the source file name.")
    source: Source
    title: str | None
    text: str = Field(description="The text every offset refers to: the decoded file, or the text of its markup.")
    date_published: str | None = Field(description="The article's own dateline, ISO 8601.")
    page: PageInfo | None = Field(
        default=None,
        description="What the page says about itself (title, dates and their source, site, author, address, "
        "language): from an HTML page's metadata, or from what a text paste prints; null where nothing is known.",
    )
    cell_types: list[CellType]
    conditions: list[Condition]
    trials: list[Trial]
    dates: list[DateFact] = Field(description="Dates with an ISO 8601 value.")
    unresolved_dates: list[DateFact] = Field(
        default_factory=list,
        description="Relative dates with nothing to resolve them against (上周三 with no dated dateline): text, no value.",
    )
    durations: list[DurationFact]
    metrics: list[Metric]
    references: list[Reference]
    studies: list[Study]
    mentions: list[Mention]
