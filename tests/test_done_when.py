"""Issue 13's "done when", end to end through the real command line: a raw folder with a 244-byte
file name, a name that is not UTF-8, a symlink to a file outside raw/, a FIFO and a fuzzed article
beside good articles. Every good article is published, nothing from outside raw/ is, and each bad
entry is explained in the run's summary (an article that was read and failed, under OUT/errors too)."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

from stemwire.flows.output.manifest import load_manifest
from tests.helpers import FIXTURES
from tests.test_fuzz import mutate

GOOD = ("ms-hsct-hant", "islet-t1d-hans", "knee-admsc-hans")
SECRET = "这是raw之外的机密文件"


def test_a_hostile_raw_folder_beside_good_articles(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for name in GOOD:
        shutil.copy(FIXTURES / "articles" / f"{name}.txt", raw)
    long_name = "长" * 80 + "a.txt"  # 80 x 3 bytes + 5 = 245 bytes; with a temporary suffix it would pass 255
    shutil.copy(FIXTURES / "articles" / "cardio-ipsc-hans.txt", raw / long_name)
    with open(os.path.join(os.fsencode(raw), b"latin-\xe9.txt"), "wb") as fh:
        fh.write((FIXTURES / "articles" / "islet-t1d-hans.txt").read_bytes())
    (tmp_path / "secret.txt").write_text(f"标题\n{SECRET}，2025年1月1日。\n", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", raw / "leak.txt")
    os.mkfifo(raw / "pipe.txt")
    fuzzed = mutate((FIXTURES / "articles" / "heart-bmmsc-hans.txt").read_text(encoding="utf-8"), random.Random(13))
    (raw / "fuzzed.txt").write_text(fuzzed, encoding="utf-8")

    command = [sys.executable, "-m", "stemwire.flows.cli", "run", "--raw", str(raw), "--out", str(out)]
    done = subprocess.run([*command, "--workers", "1"], capture_output=True, timeout=300)
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 1, stderr  # some inputs failed; everything else is published
    assert "Traceback" not in stderr

    manifest = load_manifest(out)
    published = {e.name for e in manifest.published()}
    assert {f"{n}.txt" for n in GOOD} | {long_name} <= published
    everything = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert SECRET.encode() not in everything and not (out / "records" / "leak.json").exists()
    assert all(len(p.name.encode()) <= 255 for p in out.rglob("*"))
    assert "leak.txt: " in stderr and "outside the raw folder" in stderr
    assert "pipe.txt: " in stderr and "not a regular file" in stderr
    assert "latin-" in stderr and "not valid UTF-8" in stderr
    # the fuzzed article is either published or explained, never lost
    assert "fuzzed.txt" in published or "fuzzed.txt: " in stderr
    # what was read and failed also has its error file, with the same reason
    for error in (out / "errors").glob("*.json"):
        assert json.loads(error.read_text(encoding="utf-8"))["reason"]
