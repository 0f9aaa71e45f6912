import typer.main
from typer.testing import CliRunner

from stemwire.flows.cli import app


def test_every_command_has_help_with_an_example() -> None:
    runner = CliRunner()
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0 and "Example" in top.output
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert {"run", "extract", "schema", "eval"} <= set(commands)
    for name in commands:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in result.output and "stemwire " + name in result.output, name
