import json

from stemwire.schemas import SCHEMA_VERSION
from stemwire.schemas.export import FIX_IT, main, render_schema, schema_is_current
from stemwire.schemas.validation import record_errors
from tests.helpers import FIXTURES


def test_committed_schema_is_current() -> None:
    assert schema_is_current(), FIX_IT


def test_check_reports_drift(tmp_path, capsys, monkeypatch) -> None:
    stale = tmp_path / "article.schema.json"
    stale.write_text(render_schema().replace(f'"{SCHEMA_VERSION}"', '"0.0.0"', 1), encoding="utf-8")
    monkeypatch.setattr("stemwire.schemas.export.SCHEMA_PATH", stale)
    monkeypatch.setattr(
        "stemwire.schemas.export.schema_is_current", lambda path=stale: path.read_text() == render_schema()
    )
    assert main(["--check"]) == 1
    assert "run `stemwire schema`" in capsys.readouterr().err


def test_schema_is_2020_12_with_id_and_version() -> None:
    schema = json.loads(render_schema())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("article.schema.json") and schema["version"]


def test_valid_example_passes_and_invalid_examples_fail() -> None:
    valid = json.loads((FIXTURES / "records" / "valid.json").read_text(encoding="utf-8"))
    assert record_errors(valid) == []
    for mutate in (
        lambda r: r["trials"][0].update(enrollment=-3),
        lambda r: r["durations"][0].update(value="12 months"),
        lambda r: r["cell_types"][0].update(cl_id="CL_47"),
        lambda r: r.pop("source"),
        lambda r: r.update(unexpected=True),
    ):
        broken = json.loads(json.dumps(valid))
        mutate(broken)
        assert record_errors(broken), "an invalid record must not validate"


def test_prepared_validator_gives_the_committed_schemas_verdicts() -> None:
    """The speed-ups in schemas/validation.py must not change what passes: compare with a plain
    validator of the committed schema on a valid record and on many broken ones."""
    import copy
    import json as _json

    from jsonschema import Draft202012Validator

    from stemwire.schemas.export import SCHEMA_PATH
    from stemwire.schemas.validation import record_validator

    plain = Draft202012Validator(_json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    valid = _json.loads((FIXTURES / "records" / "valid.json").read_text(encoding="utf-8"))
    cases = [valid]
    for family in ("cell_types", "conditions", "trials", "dates", "durations", "metrics", "mentions"):
        for field in valid[family][0]:
            for bad in (None, "x", -1, 1.5, [], {}, True):
                broken = copy.deepcopy(valid)
                broken[family][0][field] = bad
                cases.append(broken)
    for case in cases:
        assert record_validator().is_valid(case) == plain.is_valid(case), case
