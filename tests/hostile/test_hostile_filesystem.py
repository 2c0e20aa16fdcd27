"""Files that cannot be read or written: one located line each, exit 123, and everything
else is still processed."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.conftest import GOOD, Run
from tests.runner import invoke


def test_a_folder_given_as_a_file_cannot_be_read(run_with_good: Callable[..., Run]) -> None:
    run = run_with_good("placeholder")
    folder = run.bad.parent / "manifests.yaml"
    folder.mkdir()
    result = invoke(str(folder / "missing.yaml"), str(run.good))
    assert result.stderr.splitlines()[0] == (
        f"error: {folder / 'missing.yaml'}: cannot read file: No such file or directory"
    )
    assert result.exit_code == 123
    assert result.stdout == run.good_alone


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file whatever its mode")
def test_a_file_without_read_permission(run_with_good: Callable[..., Run]) -> None:
    run = run_with_good(GOOD)
    run.bad.chmod(0)
    result = invoke(str(run.bad), str(run.good))
    assert result.stderr.splitlines()[0] == f"error: {run.bad}: cannot read file: Permission denied"
    assert result.exit_code == 123


def test_a_folder_with_symlink_loops_is_walked_once(tmp_path: Path, good_output: str) -> None:
    manifests = tmp_path / "k8s"
    (manifests / "apps").mkdir(parents=True)
    (manifests / "apps" / "good.yaml").write_text(GOOD)
    (manifests / "apps" / "loop").symlink_to(manifests)  # k8s/apps/loop -> k8s
    (manifests / "self.yaml").symlink_to(manifests / "self.yaml")  # a link to itself
    result = invoke(str(manifests))
    assert result.stderr.splitlines()[0] == (
        f"error: {manifests / 'self.yaml'}: cannot read file: Too many levels of symbolic links"
    )
    assert result.exit_code == 123
    assert result.stdout == good_output  # good.yaml once, not once per trip round the loop


def test_an_output_file_in_a_missing_folder(tmp_path: Path) -> None:
    app = tmp_path / "app.yaml"
    app.write_text(GOOD)
    target = tmp_path / "missing" / "out.yaml"
    result = invoke(str(app), "-o", str(target))
    assert result.stderr.splitlines()[0] == (
        f"error: {target}: cannot write file: No such file or directory"
    )
    assert result.exit_code == 123
    assert result.stdout == ""
    assert not target.parent.exists()


def test_an_output_path_that_is_a_folder(tmp_path: Path) -> None:
    app = tmp_path / "app.yaml"
    app.write_text(GOOD)
    result = invoke(str(app), "-o", str(tmp_path))
    # A usage error before anything runs (U12), not a failed write after the work.
    assert f"Error: -o/--output '{tmp_path}' is a folder" in result.stderr
    assert result.exit_code == 2


def test_an_unwritable_file_in_place_is_reported_and_the_others_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(Simulated: as root no file is unwritable, so the temp file creation is refused.)"""
    locked, free = tmp_path / "locked", tmp_path / "free"
    locked.mkdir()
    free.mkdir()
    (locked / "app.yaml").write_text(GOOD)
    (free / "app.yaml").write_text(GOOD)
    from meshinject.files import atomic

    real_temporary = atomic._temporary

    def refuse_in_locked(target: Path) -> tuple[int, str | None]:
        if target.parent == locked:
            raise PermissionError(13, "Permission denied")
        return real_temporary(target)

    monkeypatch.setattr(atomic, "_temporary", refuse_in_locked)
    result = invoke("-i", "-j", "1", str(locked), str(free))
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert errors == [f"error: {locked / 'app.yaml'}: cannot write file: Permission denied"]
    assert f"rewrote {free / 'app.yaml'}" in result.stderr
    assert result.exit_code == 123
    assert (locked / "app.yaml").read_text() == GOOD
    assert "istio-proxy" in (free / "app.yaml").read_text()
    assert sorted(p.name for p in locked.iterdir()) == ["app.yaml"]


def test_in_place_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text(GOOD)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert invoke("-i", str(link)).exit_code == 0
    assert link.is_symlink()
    assert "istio-proxy" in real.read_text()


def test_output_to_dev_stdout_is_written_not_replaced(tmp_path: Path) -> None:
    """`-o /dev/stdout` (a character device) is written to, never renamed over."""
    app = tmp_path / "app.yaml"
    app.write_text(GOOD)
    result = invoke(str(app), "-q", "-o", os.devnull)
    assert result.exit_code == 0, result.stderr
    assert Path(os.devnull).is_char_device()
