"""SPARQL over the embedded store or a SPARQL endpoint, and the example queries shipped with stemwire.

Cells come back as plain text: an IRI or a literal's lexical form, numbers in one canonical spelling
(JSON-LD's 11.0 is the double "1.1E1" to one engine and "11.0" to another), so that rows from different
engines compare equal.
"""

from __future__ import annotations

import base64
import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}
DECIMALS = {XSD + t for t in ("decimal", "double", "float")}
DURATIONS = {XSD + t for t in ("duration", "yearMonthDuration")}
YEAR_MONTH = re.compile(r"(-?)P(?:(\d+)Y)?(?:(\d+)M)?")
# Credentials for an endpoint come from the environment only, never from the command line.
USER_ENV, PASSWORD_ENV = "STEMWIRE_SPARQL_USER", "STEMWIRE_SPARQL_PASSWORD"


@dataclass
class Result:
    columns: list[str]
    rows: list[list[str]]


class EndpointError(RuntimeError):
    """An endpoint that cannot be reached or refuses: says which URL and what status."""


def _year_month(lexical: str) -> str:
    """P12M and P1Y are one duration; spelled the canonical way (Oxigraph stores only that one)."""
    match = YEAR_MONTH.fullmatch(lexical)
    if not match or lexical in ("P", "-P"):
        return lexical
    months = int(match[2] or 0) * 12 + int(match[3] or 0)
    years, months = divmod(months, 12)
    if not years and not months:
        return lexical
    return f"{match[1]}P" + (f"{years}Y" if years else "") + (f"{months}M" if months else "")


def cell_text(lexical: str, datatype: str | None) -> str:
    if datatype in DURATIONS:
        return _year_month(lexical)
    if datatype in INTEGERS:
        return str(int(lexical))
    if datatype in DECIMALS:
        try:
            number = Decimal(lexical)
        except InvalidOperation:
            return lexical
        return format(number.normalize(), "f") if number == number.to_integral() else str(float(number))
    return lexical


def named_queries() -> dict[str, str]:
    """{name: SPARQL text} of the example queries (flows/store/queries/*.rq)."""
    folder = resources.files("stemwire.flows.store").joinpath("queries")
    found = {p.name[:-3]: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith(".rq")}
    return dict(sorted(found.items()))


def description(text: str) -> str:
    """A query's first comment lines: what it answers."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("# ").strip())
    return " ".join(lines)


def _ox_cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return cell_text(term.value, term.datatype.value)
    return str(getattr(term, "value", term))


def query_store(store_dir: Path, text: str) -> Result:
    store = ox.Store.read_only(str(store_dir))
    solutions = store.query(text)
    if not isinstance(solutions, ox.QuerySolutions):
        raise ValueError("only SELECT queries give a table")
    columns = [v.value for v in solutions.variables]
    return Result(columns, [[_ox_cell(row[c]) for c in columns] for row in solutions])


def auth_header() -> dict[str, str]:
    user = os.environ.get(USER_ENV)
    if not user:
        return {}
    token = base64.b64encode(f"{user}:{os.environ.get(PASSWORD_ENV, '')}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def query_endpoint(url: str, text: str, timeout: float = 60) -> Result:
    """A SELECT through the SPARQL 1.1 Protocol (a POST of the query)."""
    headers = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
    request = urllib.request.Request(url, data=text.encode("utf-8"), headers={**headers, **auth_header()})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise EndpointError(f"{url} answered {error.code} {error.reason}") from error
    except (urllib.error.URLError, OSError) as error:
        raise EndpointError(f"{url} could not be reached: {getattr(error, 'reason', error)}") from error
    columns = list(body["head"]["vars"])
    rows = []
    for binding in body["results"]["bindings"]:
        row = []
        for c in columns:
            cell = binding.get(c)
            row.append("" if cell is None else cell_text(cell["value"], cell.get("datatype")))
        rows.append(row)
    return Result(columns, rows)
