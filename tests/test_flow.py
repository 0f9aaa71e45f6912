import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stemwire.flows.cli import app
from tests.helpers import FIXTURES

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_flow_runs_end_to_end(tmp_path: Path) -> None:
    from stemwire.flows.run_flow import stemwire_run

    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("cardio-ipsc-hans", "ms-hsct-hant", "retina-rpe-mixed", "broken-empty"):
        shutil.copy(FIXTURES / "articles" / f"{name}.txt", raw)
    (raw / "notes.csv").write_text("not,an,article,type", encoding="utf-8")
    out = tmp_path / "out"
    summary = stemwire_run(raw_dir=raw, out_dir=out, batch_size=2)
    assert summary.articles_read == 4 and summary.published == 3
    assert summary.failures == [(str(raw / "broken-empty.txt"), "file is empty")]
    assert summary.facts["trials"] == 4
    for name in ("cardio-ipsc-hans", "ms-hsct-hant", "retina-rpe-mixed"):
        record = json.loads((out / "records" / f"{name}.json").read_text(encoding="utf-8"))
        assert record["id"] == name and (out / "jsonld" / f"{name}.jsonld").exists()
    assert sorted(p.name for p in (out / "csv").iterdir()) == [
        "articles.csv",
        "cell_types.csv",
        "conditions.csv",
        "csv-metadata.json",
        "datapackage.json",  # the Frictionless Data Package beside the CSVW metadata (issue 18)
        "dates.csv",
        "durations.csv",
        "metrics.csv",
        "references.csv",
        "trial_summary.csv",  # one view of each trial across articles (issue 19)
        "trials.csv",
    ]
    assert not list(out.rglob("*.tmp")), "no temporary file may be left behind"


def test_cli_run_reports_failures_with_exit_status(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", "--raw", str(FIXTURES / "articles"), "--out", str(out)])
    assert result.exit_code == 1
    assert "broken-empty.txt: file is empty" in result.output
    assert (out / "records" / "retina-rpe-mixed.json").exists()


def test_cli_run_names_a_missing_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "raw folder does not exist" in result.output


def test_cli_validate_passes_a_run_and_fails_a_damaged_one(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / "articles" / "ms-hsct-hant.txt", raw)
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["run", "--raw", str(raw), "--out", str(out)]).exit_code == 0
    result = CliRunner().invoke(app, ["validate", "--out", str(out)])
    assert result.exit_code == 0 and "CSVW" in result.output
    (out / "csv" / "articles.csv").unlink()
    result = CliRunner().invoke(app, ["validate", "--out", str(out)])
    assert result.exit_code == 1 and "articles.csv" in result.output


def test_cli_validate_names_a_folder_without_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "no records folder" in result.output
