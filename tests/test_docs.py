"""Docs that cannot drift: the README's command reference is generated from the CLI."""

from stemwire.flows import cli_reference
from tests.helpers import ROOT


def test_readme_command_reference_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert cli_reference.updated(readme) == readme, cli_reference.FIX_IT


def test_reference_covers_every_command_with_its_options() -> None:
    reference = cli_reference.render()
    for command in ("run", "serve", "extract", "eval", "validate", "report", "bench", "schema"):
        assert f"### `stemwire {command}`" in reference
    assert "`--jsonl`" in reference and "`--published`" in reference
