"""The real command in a real process: interrupted, killed, and fed huge or explosive input.

`-i` writes each file to a temporary file and renames it over the original, so however the
process ends, every file is either the original or the complete injected version.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile.conftest import GOOD

COMMAND = [sys.executable, "-m", "meshinject"]
FILES = 200


def _manifest(index: int) -> str:
    return GOOD.replace("good", f"app{index}")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of the 200 files after one clean `-i` run."""
    folder = tmp_path_factory.mktemp("reference")
    _write_originals(folder)
    done = subprocess.run(
        [*COMMAND, "-i", "-q", str(folder)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture(scope="module")
def injected_texts(reference: Path) -> dict[str, str]:
    """What each of the 200 files looks like once injected."""
    texts = {p.name: p.read_text() for p in reference.glob("*.yaml")}
    assert len(texts) == FILES
    assert all("istio-proxy" in t for t in texts.values())
    return texts


def _write_originals(folder: Path) -> None:
    for index in range(FILES):
        (folder / f"app{index:03}.yaml").write_text(_manifest(index))


def _start_and_wait_for_first_rewrite(folder: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [*COMMAND, "-i", "-q", str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if any(
            ".meshinject" in p.name or "istio-proxy" in p.read_text()
            for p in folder.iterdir()
            if p.is_file()
        ):
            break
        time.sleep(0.005)
    return process


def _check_every_file_whole(folder: Path, injected: dict[str, str]) -> tuple[int, list[str]]:
    """Each file is the original or the full injected text; return (injected, leftovers)."""
    count = 0
    for index in range(FILES):
        name = f"app{index:03}.yaml"
        text = (folder / name).read_text()
        assert text in (_manifest(index), injected[name]), f"{name} is neither: {len(text)} chars"
        count += text == injected[name]
    leftovers = sorted(p.name for p in folder.iterdir() if not p.name.endswith(".yaml"))
    return count, leftovers


@pytest.mark.slow
def test_sigkill_at_random_points_never_leaves_a_partial_file(
    tmp_path: Path, injected_texts: dict[str, str]
) -> None:
    rng = random.Random(20261125)
    partial_runs = 0
    for round_ in range(3):
        folder = tmp_path / f"round{round_}"
        folder.mkdir()
        _write_originals(folder)
        process = _start_and_wait_for_first_rewrite(folder)
        time.sleep(rng.uniform(0.0, 1.5))
        process.kill()
        process.communicate()
        count, leftovers = _check_every_file_whole(folder, injected_texts)
        partial_runs += 0 < count < FILES
        # A SIGKILL can strand at most the one temporary file being written; it is hidden
        # and named after its file, never a .yaml that a later run would pick up.
        assert all(name.startswith(".app") and name.endswith(".meshinject") for name in leftovers)
    # A later run finishes the job and leaves the stranded temporary files alone.
    finished = subprocess.run([*COMMAND, "-i", "-q", str(folder)], capture_output=True, check=False)
    assert finished.returncode == 0
    assert _check_every_file_whole(folder, injected_texts) == (FILES, leftovers)
    assert partial_runs, "no kill landed in the middle of a run; the test proved nothing"


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_with_exit_130(tmp_path: Path, injected_texts: dict[str, str]) -> None:
    _write_originals(tmp_path)
    process = _start_and_wait_for_first_rewrite(tmp_path)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    if process.returncode == 0:
        pytest.skip("the run finished before the interrupt arrived")
    assert process.returncode == 130
    assert stderr.decode() == "meshinject: interrupted; files not yet rewritten are unchanged\n"
    count, leftovers = _check_every_file_whole(tmp_path, injected_texts)
    assert count < FILES
    assert leftovers == []


def test_a_clean_in_place_run_leaves_no_temporary_files(
    reference: Path, injected_texts: dict[str, str]
) -> None:
    assert _check_every_file_whole(reference, injected_texts) == (FILES, [])
    assert sorted(p.name for p in reference.iterdir()) == sorted(injected_texts)


def _limit_memory() -> None:
    one_gib = 1 << 30
    resource.setrlimit(resource.RLIMIT_AS, (3 * one_gib, 3 * one_gib))


@pytest.mark.slow
def test_a_50_mb_scalar_passes_through_unchanged(tmp_path: Path) -> None:
    blob = "x" * 50_000_000
    big = tmp_path / "big.yaml"
    big.write_text(
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: {blob}\n"
    )
    app = tmp_path / "app.yaml"
    app.write_text(GOOD)
    done = subprocess.run(
        [*COMMAND, "-i", "-q", str(big), str(app)],
        capture_output=True,
        timeout=120,
        preexec_fn=_limit_memory,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert big.read_text().endswith(f"blob: {blob}\n")
    assert "istio-proxy" in app.read_text()


def test_a_large_alias_bomb_fails_fast_in_bounded_memory(tmp_path: Path) -> None:
    """Twelve levels of nine aliases would expand to 9**12 nodes; we stop at 100,000."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 12)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n")
    started = time.monotonic()
    done = subprocess.run(
        [*COMMAND, str(bomb)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory,
        check=False,
    )
    assert time.monotonic() - started < 20
    assert done.returncode == 123
    assert done.stdout == ""
    assert f"error: {bomb}:6:10: too many alias expansions" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_no_python_traceback_when_stdout_is_closed_early(tmp_path: Path) -> None:
    """`meshinject dir | head -1` must not end with a BrokenPipeError traceback."""
    for index in range(50):
        (tmp_path / f"app{index}.yaml").write_text(_manifest(index))
    shell = f"{shutil.which(sys.executable)} -m meshinject -q {tmp_path} | head -1"
    done = subprocess.run(
        ["sh", "-c", shell], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout == "apiVersion: apps/v1\n"
    assert "Traceback" not in done.stderr
    assert "BrokenPipe" not in done.stderr
