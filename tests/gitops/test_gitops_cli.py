"""`--check`, `--diff` and `-i` as a GitOps pipeline uses them: what is written, what is
printed where, and the exit code (0 ok, 1 would change, 2 usage, 123 failed)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.gitops.support import CASES, inject
from tests.runner import invoke as run

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE = (CASES / "gitops-helm-four-space" / "input.yaml").read_bytes()
OLD = 1_000_000_000  # an mtime far in the past (2001)


def tree(tmp_path: Path) -> tuple[Path, Path]:
    """A folder with one manifest to inject and one already injected (mtimes set old)."""
    todo = tmp_path / "k8s" / "payments.yaml"
    done = tmp_path / "k8s" / "orders.yaml"
    todo.parent.mkdir()
    todo.write_bytes(SOURCE)
    orders = (CASES / "gitops-multidoc-crlf" / "input.yaml").read_bytes()
    done.write_bytes(inject(orders, "minimal"))
    for path in (todo, done):
        os.utime(path, ns=(OLD * 10**9, OLD * 10**9))
    return todo, done


def test_check_lists_the_files_that_would_change_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    todo, done = tree(tmp_path)
    before = done.read_bytes()
    result = run("--check", "--style", "minimal", str(tmp_path / "k8s"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"would rewrite {todo}" in result.stderr
    assert str(done) not in result.stderr
    assert todo.read_bytes() == SOURCE
    assert done.read_bytes() == before
    assert todo.stat().st_mtime_ns == done.stat().st_mtime_ns == OLD * 10**9


def test_check_exits_0_when_everything_is_injected(tmp_path: Path) -> None:
    _, done = tree(tmp_path)
    result = run("--check", "--style", "minimal", str(done))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "would rewrite" not in result.stderr


def test_diff_prints_a_unified_diff_on_stdout_and_writes_nothing(tmp_path: Path) -> None:
    todo, done = tree(tmp_path)
    result = run("--diff", "--style", "minimal", str(todo), str(done))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"--- a/{todo}\n+++ b/{todo}\n@@ ")
    assert str(done) not in result.stdout  # up to date: no diff
    changed = [line for line in result.stdout.splitlines()[2:] if line[:1] in "+-"]
    # Only added lines, plus the rewritten probe and Prometheus lines.
    removed = [line for line in changed if line.startswith("-")]
    assert [line.strip() for line in removed] == [
        "-                prometheus.io/port: '9102'",
        "-                    tcpSocket:",
        "-                        port: http",
        "-                        path: /healthz/ready",
        "-                        port: http",
    ]
    assert todo.read_bytes() == SOURCE


def test_in_place_rewrites_changed_files_and_leaves_the_others_untouched(tmp_path: Path) -> None:
    todo, done = tree(tmp_path)
    before = done.read_bytes()
    result = run("-i", "--style", "minimal", str(tmp_path / "k8s"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert todo.read_bytes() == inject(SOURCE, "minimal")
    assert todo.stat().st_mtime_ns != OLD * 10**9
    assert done.read_bytes() == before
    assert done.stat().st_mtime_ns == OLD * 10**9  # not even touched
    # Atomic: no temporary file is left behind.
    assert sorted(p.name for p in todo.parent.iterdir()) == ["orders.yaml", "payments.yaml"]


def test_in_place_keeps_crlf_and_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "orders.yaml"
    path.write_bytes((CASES / "gitops-multidoc-crlf" / "input.yaml").read_bytes())
    path.chmod(0o640)
    assert run("-i", str(path)).exit_code == 0
    data = path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_broken_file_exits_123_and_is_not_written(tmp_path: Path) -> None:
    todo, _ = tree(tmp_path)
    broken = tmp_path / "k8s" / "broken.yaml"
    broken.write_text("kind: Pod\nspec: [unclosed\n")
    result = run("-i", str(tmp_path / "k8s"))
    assert result.exit_code == 123
    assert "broken.yaml:" in result.stderr
    assert broken.read_text() == "kind: Pod\nspec: [unclosed\n"
    assert todo.read_bytes() != SOURCE  # the others still are processed


def test_usage_errors_exit_2() -> None:
    assert run("--check").exit_code == 2
    assert run("-i", "-f", "-", input="").exit_code == 2


def test_the_exit_codes_are_one_table_in_the_readme_and_in_help() -> None:
    readme = (ROOT / "README.md").read_text()
    table = re.search(r"### Exit codes\n\n((?:\|.*\n)+)", readme)
    assert table is not None
    codes = re.findall(r"^\| (\d+) \|", table.group(1), flags=re.M)
    assert codes == ["0", "1", "2", "123"]
    for command in ((), ("inject",), ("uninject",)):
        help_text = " ".join(run(*command, "--help").stdout.split())
        assert (
            "Exit codes: 0 success; 1 --check found files that would change; 2 usage error; "
            "123 some file could not be processed."
        ) in help_text


def test_the_readme_diff_is_what_meshinject_prints() -> None:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```diff\n\$ (meshinject [^\n#]*?)\s+#[^\n]*\n(.*?)```", readme, re.S)
    assert block is not None
    args = block.group(1).split()[1:]
    real = run(*[str(ROOT / a) if a.endswith(".yaml") else a for a in args]).stdout.splitlines()
    lines = iter(real)
    for line in block.group(2).splitlines():
        if line.strip() == "..." or "{...}" in line:
            continue  # abridged
        assert any(candidate == line for candidate in lines), line
