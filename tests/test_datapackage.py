"""csv/datapackage.json: frictionless reads the tables with their types and keys (issue 18)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stemwire.flows.quality.consumer_checks import datapackage
from tests.helpers import FIXTURES, publish


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    return publish(sorted((FIXTURES / "trial_pair").glob("*.txt")), tmp_path_factory.mktemp("out"), bom=True)


def test_frictionless_validates_the_published_package(published: Path) -> None:
    check = datapackage(published)
    assert check.checked == 8 and check.problems == []


def test_frictionless_catches_a_broken_foreign_key_and_a_bad_integer(published: Path, tmp_path) -> None:
    out = tmp_path / "out"
    shutil.copytree(published, out)
    dates = out / "csv" / "dates.csv"
    dates.write_bytes(dates.read_bytes().replace(b"\r\nknee-trial-first,", b"\r\nno-such-article,", 1))
    trials = out / "csv" / "trials.csv"
    trials.write_bytes(trials.read_bytes().replace(b",18,", b",eighteen,", 1))
    problems = datapackage(out).problems
    assert any(p.startswith("trials: Type error") and '"eighteen"' in p and '"enrollment"' in p for p in problems)
    assert any(p.startswith("dates:") and "foreign key" in p and "no-such-article" in p for p in problems)
