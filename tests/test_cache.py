"""The start-up cache: compiled templates, parsed defaults and the flags-only configuration
are kept between command-line runs (meshinject/cache.py), and never change an output."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generate import stream
from meshinject import cache


def run(tmp_path: Path, *args: str, cache_home: Path | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MESHINJECT_NO_CACHE"}
    if cache_home is None:
        env["MESHINJECT_NO_CACHE"] = "1"
    else:
        env["XDG_CACHE_HOME"] = str(cache_home)
    return subprocess.run(
        [sys.executable, "-m", "meshinject", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_a_cached_run_writes_what_an_uncached_run_writes(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(stream(2), encoding="utf-8")
    home = tmp_path / "cache"
    uncached = run(tmp_path, "-q", "app.yaml", cache_home=None)
    first = run(tmp_path, "-q", "app.yaml", cache_home=home)
    second = run(tmp_path, "-q", "app.yaml", "--set", "global.tag=1.2.3", cache_home=home)
    third = run(tmp_path, "-q", "app.yaml", cache_home=home)
    assert uncached.returncode == first.returncode == third.returncode == 0, first.stderr
    assert first.stdout == third.stdout == uncached.stdout
    assert "proxyv2:1.2.3" in second.stdout
    kept = sorted(p.name.split("-")[0] for p in (home / "meshinject").glob("*/*.pickle"))
    assert kept == ["config", "config", "default", "default", "request", "request"]
    assert list((home / "meshinject").glob("*/jinja/*"))
    assert not list(tmp_path.glob("cache/meshinject/*/.*"))  # no temporary file left


def test_without_the_command_line_nothing_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "_DIRECTORY", [])
    assert cache.directory() is None
    assert cache.jinja_bytecode_cache() is None
    assert cache.memo("thing", "key", lambda: 42) == 42


def test_an_entry_that_cannot_be_read_is_computed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "_DIRECTORY", [tmp_path])
    assert cache.memo("thing", "key", lambda: {"a": 1}) == {"a": 1}
    (entry,) = tmp_path.glob("thing-*.pickle")
    assert pickle.loads(entry.read_bytes()) == {"a": 1}
    entry.write_bytes(b"not a pickle")
    assert cache.memo("thing", "key", lambda: {"a": 2}) == {"a": 2}
    assert cache.memo("thing", "other key", lambda: 3) == 3


def test_a_folder_that_cannot_be_written_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setattr(cache, "_DIRECTORY", [blocked / "cache"])
    assert cache.memo("thing", "key", lambda: 7) == 7
    assert cache.jinja_bytecode_cache() is None


def test_entries_are_named_after_the_code_that_computed_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "_DIRECTORY", [tmp_path])
    cache.memo("thing", "key", lambda: 1)
    monkeypatch.setattr(cache, "_fingerprint", lambda: "an edited checkout")
    assert cache.memo("thing", "key", lambda: 2) == 2
    assert len(list(tmp_path.glob("thing-*.pickle"))) == 2
