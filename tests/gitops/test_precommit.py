"""The hooks in `.pre-commit-hooks.yaml`, run by the real `pre-commit` against this checkout
(`pre-commit try-repo`) on a staged manifest in a throwaway git repository.

pre-commit installs the hook repository with pip into its own environment, so this test
needs the package index (like any first pre-commit run); it takes about half a minute.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gitops.support import CASES, inject

ROOT = Path(__file__).resolve().parent.parent.parent
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
MANIFEST = (CASES / "gitops-helm-four-space" / "input.yaml").read_bytes()

pytestmark = pytest.mark.slow


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def snapshot(dest: Path) -> Path:
    """This checkout as it is now (tracked and new files), committed in its own repo."""
    files = git(ROOT, "ls-files", "-co", "--exclude-standard", "-z").split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return dest


def try_repo(repo: Path, hooks: Path, hook: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(cache), "NO_COLOR": "1"}
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(hooks), hook, "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_both_hooks_on_a_staged_manifest(tmp_path: Path) -> None:
    hooks = snapshot(tmp_path / "hooks")
    repo = tmp_path / "repo"
    (repo / "k8s").mkdir(parents=True)
    git(repo, "init", "-q")
    manifest = repo / "k8s" / "payments.yaml"
    manifest.write_bytes(MANIFEST)
    git(repo, "add", "k8s/payments.yaml")
    cache = tmp_path / "pre-commit-cache"

    check = try_repo(repo, hooks, "meshinject-check", cache)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "would rewrite k8s/payments.yaml" in check.stdout
    assert manifest.read_bytes() == MANIFEST  # --check writes nothing

    fix = try_repo(repo, hooks, "meshinject", cache)
    assert fix.returncode == 1, fix.stdout + fix.stderr  # pre-commit fails: files were modified
    assert "files were modified by this hook" in fix.stdout
    assert manifest.read_bytes() == inject(MANIFEST, "minimal")

    git(repo, "add", "k8s/payments.yaml")
    again = try_repo(repo, hooks, "meshinject", cache)
    assert again.returncode == 0, again.stdout + again.stderr
    assert manifest.read_bytes() == inject(MANIFEST, "minimal")  # idempotent: untouched
    check = try_repo(repo, hooks, "meshinject-check", cache)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Passed" in check.stdout
