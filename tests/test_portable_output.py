"""Published files are readable by others and name nothing of the machine (issue 18): modes follow the
umask, paths are relative to the raw folder, and the same raw folder at two places gives the same bytes;
the Web Annotation export round-trips on the published text, astral characters included."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pyoxigraph

from stemwire.flows.output.files import write_text_atomic
from stemwire.flows.store.bookkeeping import recorded_graphs
from tests.helpers import FIXTURES, publish

ASTRAL_ARTICLE = (
    "𠮷𝑎干细胞新闻\n\n"
    "2025年4月1日，研究团队报告，脐带间充质干细胞治疗膝骨关节炎的1期试验（NCT05123456）纳入了18名患者。\n"
)
STATE = "state"  # what a run keeps for itself (sizes, times of the source files): not published
# The graph store is a database (its files are not byte-reproducible and its bookkeeping holds file
# times): its content stands for it, each graph's IRI and the hash of the file it came from.
STORE = "store"


def published_files(out: Path) -> dict[str, bytes]:
    found = {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.relative_to(out).parts[0] not in (STATE, STORE) and p.name != ".stemwire.lock"
    }
    if (out / STORE).exists():
        graphs = recorded_graphs(pyoxigraph.Store.read_only(str(out / STORE)))
        found[STORE] = repr(sorted((iri, sha) for iri, (sha, _) in graphs.items())).encode()
    return found


def test_files_follow_the_umask(tmp_path) -> None:
    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "a.txt", "x")
        assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644
        os.umask(0o027)
        write_text_atomic(tmp_path / "b.txt", "x")
        assert stat.S_IMODE((tmp_path / "b.txt").stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_two_raw_folders_at_different_places_publish_the_same_bytes(tmp_path) -> None:
    sources = sorted((FIXTURES / "trial_pair").glob("*.txt"))
    outs = []
    for place in ("one/deep/folder", "two"):
        raw = tmp_path / place / "raw"
        raw.mkdir(parents=True)
        copies = []
        for src in sources:
            shutil.copy2(src, raw / src.name)
            copies.append(raw / src.name)
        old = os.umask(0o022)
        try:
            outs.append(publish(copies, tmp_path / place / "out"))
        finally:
            os.umask(old)
    first, second = published_files(outs[0]), published_files(outs[1])
    assert first == second and len(first) > 15
    for name, content in first.items():
        assert str(tmp_path).encode() not in content, f"{name} names the machine's path"
        mode = stat.S_IMODE((outs[0] / name).stat().st_mode)
        assert mode & 0o044 == 0o044, f"{name} is not readable by others ({oct(mode)})"
    record = json.loads(first["records/knee-trial-first.json"])
    assert record["source"]["path"] == "knee-trial-first.txt"


def test_web_annotations_round_trip_on_the_published_text(tmp_path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "astral.txt").write_text(ASTRAL_ARTICLE, encoding="utf-8")
    out = publish([raw / "astral.txt"], tmp_path / "out")
    text = (out / "text" / "astral.txt").read_text(encoding="utf-8")
    assert text == json.loads((out / "records" / "astral.json").read_text(encoding="utf-8"))["text"]
    units = text.encode("utf-16-le")
    collection = json.loads((out / "annotations" / "astral.jsonld").read_text(encoding="utf-8"))
    items = collection["first"]["items"]
    assert len(items) == collection["total"] >= 4
    assert {"trial", "cell_type", "condition", "date"} <= {a["mentionType"] for a in items}
    for annotation in items:
        position, quote = annotation["target"]["selector"]
        assert annotation["target"]["source"].endswith("/text/astral.txt")
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
        # the same span in UTF-16 code units (two astral characters before it: +2)
        assert position["startUtf16"] == position["start"] + 2
        assert units[2 * position["startUtf16"] : 2 * position["endUtf16"]].decode("utf-16-le") == quote["exact"]
        assert annotation["motivation"] == "identifying" and isinstance(annotation["body"], str)
    generator = collection["generator"]
    assert generator["softwareVersion"] and generator["openccConfig"] == "t2s"
    assert len(generator["vocabularyDigest"]) == 64 and "cell-ontology" in generator["cellOntologyRelease"]


def test_every_component_an_annotation_names_is_in_the_pipeline() -> None:
    from stemwire.extractors.pipeline import COMPONENTS
    from stemwire.flows.publish.annotations import components

    assert set(components().values()) <= set(COMPONENTS)
