"""HTML pieces the review report's pages share: escaping, safe links, tables written row by row, and
the page frame (inline CSS, a Content Security Policy that forbids scripts, no network).

Article text is untrusted: every piece of it goes through `escape`, and links go only to http(s).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from stemwire.schemas.families import mention_colours

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _css() -> str:
    base = CSS_BASE
    return base + "".join(
        f"mark.t-{t}{{background:{c}}}.legend .t-{t}{{background:{c}}}" for t, (_, c) in mention_colours().items()
    )


CSS_BASE = """
*{box-sizing:border-box}body{font:15px/1.6 system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:0;
padding:1rem;max-width:70rem;margin-inline:auto;color:#1d1d1f}h1{font-size:1.4rem}h2{font-size:1.15rem;
margin-top:2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}th,td{border-bottom:1px
solid #ddd;padding:.3rem .4rem;text-align:left;vertical-align:top}.scroll{overflow-x:auto}.num{text-align:right}
.legend span{display:inline-block;padding:0 .4rem;margin:.1rem;border-radius:.3rem}.text{white-space:pre-wrap;
word-break:break-word;background:#fafafa;border:1px solid #eee;padding:.8rem;border-radius:.4rem}
mark.hl{position:relative;border-radius:.2rem;padding:0 .05rem;color:inherit}
mark.hl:hover::after,mark.hl:focus::after{content:attr(data-value);position:absolute;left:0;top:1.6em;z-index:2;
background:#222;color:#fff;padding:.2rem .4rem;border-radius:.3rem;font-size:.8rem;white-space:nowrap}
mark.hl:focus{outline:2px solid #222}.warn{background:#fff3cd;border:1px solid #ffe08a;padding:.5rem;
border-radius:.4rem}.fail{color:#a4161a}#converted-toggle:checked~.text.original{display:none}
#converted-toggle:not(:checked)~.text.converted{display:none}nav a{margin-right:1rem}
@media (max-width:600px){body{padding:.5rem;font-size:14px}th,td{padding:.2rem}}
"""


def escape(value: Any) -> str:
    """html.escape(str(value), quote=True), None as "", written out: pages call it hundreds of times."""
    if value is None:
        return ""
    kind = type(value)
    if kind is int or kind is float:  # digits, sign, point, e, inf, nan: nothing to escape
        return str(value)
    text = value if kind is str else str(value)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def link(url: str | None, label: Any) -> str:
    """A link only to http(s) addresses: an article may carry a javascript: or data: URL."""
    if url and url.lower().startswith(("https://", "http://")):
        return f'<a href="{escape(url)}" rel="noopener noreferrer">{escape(label)}</a>'
    return escape(label)


def page_chunks(title: str, body: Iterable[str], depth: int = 0) -> Iterator[str]:
    home = "../" * depth + "index.html"
    yield (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_css()}</style>\n</head>\n<body>\n"
        f'<nav><a href="{home}">stemwire report</a></nav>\n'
    )
    yield from body
    yield "\n</body>\n</html>\n"


def page(title: str, body: str, depth: int = 0) -> str:
    return "".join(page_chunks(title, [body], depth))


def table_chunks(headers: list[str], rows: Iterable[list[str]], numeric: set[int] | None = None) -> Iterator[str]:
    """A table written row by row, so that a long one is never held whole."""
    numeric = numeric or set()
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        yield "<p>None.</p>"
        return
    head = "".join(f"<th{' class=num' if i in numeric else ''}>{escape(h)}</th>" for i, h in enumerate(headers))
    yield f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>'
    for row in itertools.chain([first], rows):
        yield (
            "<tr>" + "".join(f"<td{' class=num' if i in numeric else ''}>{c}</td>" for i, c in enumerate(row)) + "</tr>"
        )
    yield "</tbody></table></div>"


def table(headers: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> str:
    return "".join(table_chunks(headers, rows, numeric))


def fields(items: list[dict[str, Any]], keys: list[str]) -> list[list[str]]:
    """Table rows of the given fields, escaped."""
    return [list(map(escape, map(item.get, keys))) for item in items]
