"""The fast JSON path (orjson) writes exactly what json.dumps writes, or leaves the data to json.dumps;
and the atomic writes keep their promises: the umask's mode, the folder made on demand, nothing left
behind when a write fails."""

from __future__ import annotations

import math
import os
import random
import stat
import struct
from pathlib import Path

import pytest

from stemwire.flows.output.files import (
    dump_json,
    json_bytes,
    plain_json,
    replace_if_changed,
    write_json_atomic,
    write_text_atomic,
)


def _same(data: object) -> None:
    for compact in (True, False):
        assert json_bytes(data, compact=compact) == dump_json(data, compact=compact).encode("utf-8")


def test_every_character_is_written_alike() -> None:
    chars = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    _same({"text": chars, chars[:300]: [chars[-50:]]})
    _same([chr(c) for c in range(0x80)])


def test_floats_are_written_alike_or_left_to_json() -> None:
    rng = random.Random(7)
    floats = [struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0] for _ in range(20000)]
    floats += [m * 10.0**e for e in range(-8, 20) for m in (1, 3, 7.5, 9.999999999999999, 123.456)]
    floats += [0.0, -0.0, 1e-4, -1e-4, 9.999999999999999e-05, 1e16, 9999999999999998.0, 5e-324, math.pi]
    floats += [math.nan, math.inf, -math.inf]
    for value in floats:
        _same({"value": value, "list": [value, -value]})
    _same({"values": floats})


def test_plain_json_says_which_data_orjson_may_write() -> None:
    assert plain_json({"a": [1, "x", None, True, 2.5, (3, 0.0)], "b": {"c": 1e-4}})
    for bad in (math.nan, math.inf, 1e-5, 1e16, -2e20):
        assert not plain_json({"a": [{"b": bad}]})
    assert not plain_json({"a": b"bytes"})

    class Sub(dict):  # type: ignore[type-arg]
        pass

    assert not plain_json([Sub(a=math.nan)])


def test_what_orjson_refuses_is_written_by_json() -> None:
    for data in ({"big": 2**70}, {"neg": -(2**64)}, {1: "int key"}, {"deep": [[[[[[[[1]]]]]]]] * 3}):
        _same(data)
    deep: list[object] = []
    node = deep
    for _ in range(400):
        node.append([])
        node = node[0]  # type: ignore[assignment]
    _same(deep)
    for compact in (True, False):
        with pytest.raises(UnicodeEncodeError):
            json_bytes({"lone": "\ud800"}, compact=compact)


def test_indented_json_is_json_dumps() -> None:
    for data in ({"b": [1, 2.5, {"c": None}], "a": "中文"}, {}, [], {"a": {}, "b": [[]], "c": [{}]}, [1e-5, 2e20]):
        _same(data)


def test_writes_make_the_folder_follow_the_umask_and_leave_no_temporary(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        target = tmp_path / "new" / "deeper" / "a.json"
        write_json_atomic(target, {"x": 1}, compact=True, durable=False)
        assert target.read_bytes() == b'{"x":1}\n'
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
        write_text_atomic(target, "replaced", durable=True)
        assert target.read_text() == "replaced"
    finally:
        os.umask(old)
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(tmp_path / "bad.txt", "\ud800")
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["a.json"]


def test_a_file_in_the_way_of_the_folder_is_an_os_error(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("x")
    with pytest.raises(FileExistsError):
        write_text_atomic(tmp_path / "blocker" / "a.txt", "x")


def test_what_articles_publish_beside_the_record_is_plain() -> None:
    """write_article gives the record's plain_json verdict to its JSON-LD and annotations: what they
    add to the record's own values must be plain too."""
    from stemwire.flows.publish import annotations
    from stemwire.flows.publish.vocabulary import inline_context

    assert plain_json(inline_context()) and plain_json(annotations.CONTEXT)
    assert plain_json(annotations._provenance())
    deep: list[object] = []
    node = deep
    for _ in range(5000):
        node.append([])
        node = node[0]  # type: ignore[assignment]
    with pytest.raises(RecursionError):
        dump_json(deep, compact=True)
    with pytest.raises(RecursionError):  # as json.dumps does, not a check of its own
        json_bytes(deep, compact=True)
    with pytest.raises(RecursionError):
        json_bytes(deep)


def test_replace_if_changed_writes_only_new_bytes(tmp_path: Path) -> None:
    path = tmp_path / "view.json"
    assert replace_if_changed(path, b"[1]\n", durable=False)  # missing: written
    stamp = path.stat().st_ino, path.stat().st_mtime_ns
    assert not replace_if_changed(path, b"[1]\n", durable=False)
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == stamp
    assert replace_if_changed(path, b"[2]\n", durable=False)  # same size, other bytes
    assert path.read_bytes() == b"[2]\n" and list(tmp_path.iterdir()) == [path]
