"""`-i` writes only regular files inside what was named, keeps owner and mode, refuses
read-only files; the pre-commit hooks read every file name as a path (R15-R17)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
import yaml

from .helpers import POD, run

HOOKS = Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml"


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_R15_in_place_keeps_the_owner_group_and_mode(tmp_path: Path) -> None:
    path = tmp_path / "owned.yaml"
    path.write_text(POD)
    os.chown(path, 65534, 65534)
    path.chmod(0o640)
    result = run("-i", "-q", str(path))
    assert result.exit_code == 0, result.stderr
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o640)
    assert "istio-proxy" in path.read_text()


def test_R15_in_place_refuses_a_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "ro.yaml"
    path.write_text(POD)
    path.chmod(0o444)
    result = run("-i", "-q", str(path))
    assert result.exit_code == 123
    assert f"{path}: the file is read-only" in result.stderr
    assert path.read_text() == POD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ro.yaml"]


def test_R15_in_place_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("w") as handle:
            handle.write(POD)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    result = run("-i", "-q", str(fifo))
    writer.join(5)
    assert result.exit_code == 123
    assert "not a regular file" in result.stderr


def test_R16_in_place_does_not_follow_a_link_out_of_the_named_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "repo" / "k8s").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    victim = tmp_path / "elsewhere" / "victim.yaml"
    victim.write_text(POD)
    (tmp_path / "repo" / "k8s" / "app.yaml").symlink_to("../../elsewhere/victim.yaml")
    inside = tmp_path / "repo" / "k8s" / "real.yaml"
    inside.write_text(POD)
    (tmp_path / "repo" / "k8s" / "alias.yaml").symlink_to("real.yaml")
    monkeypatch.chdir(tmp_path / "repo")
    result = run("-i", "-q", "k8s/")
    assert result.exit_code == 123
    assert "k8s/app.yaml: a symbolic link to a file outside k8s/" in result.stderr
    assert victim.read_text() == POD
    assert "istio-proxy" in inside.read_text()  # a link inside the folder is fine


def test_R17_the_hooks_end_their_options_before_the_file_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooks = yaml.safe_load(HOOKS.read_text())
    monkeypatch.chdir(tmp_path)
    Path("app.yaml").write_text(POD)
    Path("evil.yaml").write_text("{global: {hub: evil.example.com/pwn, tag: latest}}\n")
    Path("--values=evil.yaml").write_text("x\n")
    for hook in hooks:
        assert hook["args"][-1] == "--"
        argv = [*hook["entry"].split()[1:], *hook["args"], "--values=evil.yaml", "app.yaml"]
        result = run(*argv)
        assert "evil.example.com" not in Path("app.yaml").read_text()
        assert "--values=evil.yaml" in result.stderr  # read as a (bad) manifest file
