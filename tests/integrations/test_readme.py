"""Every command in README.md, run as written on a fresh venv (U22).

The README's fenced blocks are read from the file itself (never retyped here), so a
command that stops working fails this test. Each test claims its blocks by a line they
contain, and `test_every_block_is_run_or_named` makes sure no block goes unclaimed.

What "as written" needs from the machine:

- The install commands run in a copy of this checkout (tracked and new files, committed
  in its own git repository), so `<git-url>` is that copy's `file://` URL and `<commit>` its
  commit: these are the two placeholders the README asks the reader to fill in.
- The usage, CI and pre-commit commands run in a small GitOps repository made here
  (`deployment.yaml`, `k8s/`, `istio/values.yaml`, as the README's examples name them), with
  `HOME` in a temporary folder and the fresh venv first on `PATH`.
- Programs that are not installed here (`kubectl`, `kpt`) are skipped by name, with a
  reason; the kustomize plugin they drive is tested in test_kustomize.py.

pip needs the package index (as any first install does): the tests take a few minutes,
hence the `slow` marker (CI runs slow tests too).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"

pytestmark = pytest.mark.slow

# Blocks that are not commands for a user's shell, or that this test suite cannot run from
# inside itself: a line each block contains, and why it is not run here.
NOT_RUN = {
    "nox -s tests lint typecheck": "runs this test suite (and this test) itself",
    ".venv/bin/python -m pytest -m": "runs this test suite (and this test) itself",
    "run_corpus.py": "the conformance corpus runs in tests/test_conformance.py",
    "error: values.yaml:6:9": "an example message, not a command",
    "@@ -16,6 +16,17 @@": "an abridged diff, not a command",
    "# overlays/prod/kustomization.yaml": "the kustomize example in examples/kustomize",
    "# .meshinject.yaml: every setting": "the configuration file's reference, tested with it",
    "# or in pyproject.toml": "the configuration file's reference, tested with it",
    "error: .meshinject.yaml:2:1": "an example message, not a command",
}
MISSING_PROGRAMS = ("kubectl", "kpt")


@dataclass(frozen=True)
class Block:
    lang: str
    text: str
    line: int

    def lines(self) -> list[str]:
        """Logical command lines: `\\` continuations joined, comments and blanks dropped."""
        joined = re.sub(r"\\\n\s*", " ", self.text)
        return [line for line in joined.splitlines() if line.strip() and not line.startswith("#")]


def readme_blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    return [
        Block(m["lang"], m["body"], text.count("\n", 0, m.start()) + 1)
        for m in re.finditer(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```$", text, re.S | re.M)
    ]


def block(containing: str) -> Block:
    found = [b for b in readme_blocks() if containing in b.text]
    assert len(found) == 1, f"README.md: {len(found)} blocks contain {containing!r}"
    return found[0]


CLAIMED = [
    "python3 -m venv .venv && .venv/bin/pip install -e .",
    'pip install "git+<git-url>@<commit>"\n~/.venvs',
    "meshinject -f deployment.yaml > injected.yaml",
    "# .github/workflows/sidecars.yaml",
    "# .gitlab-ci.yml",
    "    rev: <commit>",
    "  - repo: local",
    "pre-commit install\npre-commit run --all-files",
    "|| { meshinject --diff",
    "kubernetes-validate -k",
    "meshinject kustomize-plugin install",
    "kpt fn eval",
    "meshinject completion bash",
]


def test_every_block_is_run_or_named() -> None:
    """A new block in the README needs a test here, or a reason in NOT_RUN."""
    for b in readme_blocks():
        claims = [c for c in [*CLAIMED, *NOT_RUN] if c in b.text]
        assert len(claims) == 1, f"README.md:{b.line}: claimed by {claims}\n{b.text}"


# --- the machine: a checkout copy, fresh venvs, a user's GitOps repository -------------


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
    return done.stdout.strip()


@dataclass
class Machine:
    checkout: Path  # a committed copy of this checkout
    commit: str
    home: Path
    venv_bin: Path | None = None  # the checkout's fresh .venv, once installed

    @property
    def git_url(self) -> str:
        return self.checkout.as_uri()

    def fill(self, line: str) -> str:
        """The README's placeholders, filled in as its reader is asked to."""
        return line.replace("<git-url>", self.git_url).replace("<commit>", self.commit)

    def env(self, path_first: Path | None = None, **extra: str) -> dict[str, str]:
        drop = ("CI", "GITHUB_ACTIONS", "VIRTUAL_ENV", "PYTHONPATH", "PRE_COMMIT_HOME")
        env = {k: v for k, v in os.environ.items() if k not in drop}
        bins = [str(p) for p in (path_first, self.venv_bin) if p is not None]
        env["PATH"] = os.pathsep.join([*bins, _system_path()])
        env.update(HOME=str(self.home), NO_COLOR="1", XDG_CONFIG_HOME=str(self.home / ".config"))
        env.update(extra)
        return env

    def sh(self, line: str, cwd: Path, path_first: Path | None = None, **env: str) -> Ran:
        program = line.split(maxsplit=1)[0]
        if program in MISSING_PROGRAMS and not shutil.which(program):
            return Ran(line, -1, "", f"{program}: not installed here")
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", self.fill(line)],
            cwd=cwd,
            env=self.env(path_first, **env),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        return Ran(line, done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class Ran:
    line: str
    returncode: int
    stdout: str
    stderr: str

    @property
    def skipped(self) -> bool:
        return self.returncode == -1

    def ok(self) -> Ran:
        assert self.returncode == 0, f"$ {self.line}\nrc={self.returncode}\n{self.stderr}"
        return self


def _system_path() -> str:
    """PATH without this test run's own venv, so only the README's installs are found."""
    ours = str(Path(sys.executable).parent)
    return os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p != ours)


def _snapshot(dest: Path) -> str:
    files = git(ROOT, "ls-files", "-co", "--exclude-standard", "-z").split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return git(dest, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def machine(tmp_path_factory: pytest.TempPathFactory) -> Machine:
    checkout = tmp_path_factory.mktemp("meshinject")
    commit = _snapshot(checkout)
    home = tmp_path_factory.mktemp("home")
    m = Machine(checkout, commit, home)
    # The README's first block: install from the checkout into a fresh .venv.
    for line in block("python3 -m venv .venv && .venv/bin/pip install -e .").lines():
        m.sh(line, checkout).ok()
    m.venv_bin = checkout / ".venv" / "bin"
    return m


MANIFESTS = {
    "k8s/shop/web.yaml": (ROOT / "examples" / "deployment.yaml").read_text(encoding="utf-8"),
    "k8s/shop/db.yaml": """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres:16
""",
    "k8s/shop/db-service.yaml": """\
apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: shop
spec:
  selector: {app: db}
  ports:
  - port: 5432
""",
}
VALUES = """\
global:
  proxy:
    resources:
      requests:
        cpu: 50m
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A user's GitOps repository, as the README's examples name its parts."""
    repo = tmp_path / "gitops"
    for name, text in {
        "deployment.yaml": MANIFESTS["k8s/shop/web.yaml"],
        "istio/values.yaml": VALUES,
        **MANIFESTS,
    }.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "manifests")
    return repo


def manifests(repo: Path) -> dict[str, str]:
    return {name: (repo / name).read_text(encoding="utf-8") for name in MANIFESTS}


def run_block(m: Machine, b: Block, cwd: Path, path_first: Path | None = None) -> Iterator[Ran]:
    for line in b.lines():
        yield m.sh(line, cwd, path_first)


# --- Install ---------------------------------------------------------------------------


def test_install_from_a_checkout(machine: Machine) -> None:
    """Done by the fixture; here, its second line: the example comes out injected."""
    assert machine.venv_bin is not None
    ran = [machine.sh(line, machine.checkout).ok() for line in block("-e .").lines()[1:]]
    assert "name: istio-proxy" in ran[-1].stdout


@pytest.fixture(scope="module")
def git_venv(machine: Machine) -> Path:
    """The README's install from git, into ~/.venvs/meshinject."""
    ran = [
        machine.sh(line, machine.home).ok()
        for line in block('pip install "git+<git-url>@<commit>"\n~/.venvs').lines()
    ]
    assert ran[-1].stdout.startswith("meshinject ")
    return machine.home / ".venvs" / "meshinject" / "bin"


def test_install_from_git_pinned_to_a_commit(git_venv: Path) -> None:
    assert (git_venv / "meshinject").exists()


# --- Use -------------------------------------------------------------------------------


def test_use(machine: Machine, repo: Path) -> None:
    ran = [r.ok() for r in run_block(machine, block("> injected.yaml"), repo)]
    assert "name: istio-proxy" in (repo / "injected.yaml").read_text()
    assert "would rewrite" not in ran[5].stderr  # --check after -i: everything up to date
    assert all(
        "name: istio-proxy" in text
        for name, text in manifests(repo).items()
        if "service" not in name
    )


# --- CI --------------------------------------------------------------------------------


def _ci_commands(m: Machine, b: Block, key: str) -> list[str]:
    data = yaml.safe_load(b.text)
    if key == "run":
        steps = data["jobs"]["meshinject"]["steps"]
        return [step["run"] for step in steps if "run" in step]
    return list(data["meshinject"]["script"])


@pytest.mark.parametrize(
    ("marker", "key"),
    [("# .github/workflows/sidecars.yaml", "run"), ("# .gitlab-ci.yml", "script")],
)
def test_ci_pipelines(machine: Machine, git_venv: Path, repo: Path, marker: str, key: str) -> None:
    """On an injected repository the pipeline passes; on a stale one its check fails."""
    commands = _ci_commands(machine, block(marker), key)
    machine.sh("meshinject -i -q --values istio/values.yaml k8s/", repo, git_venv).ok()
    for command in commands:
        machine.sh(command, repo, git_venv).ok()
    (repo / "k8s/shop/new.yaml").write_text(MANIFESTS["k8s/shop/db.yaml"].replace("db", "new"))
    last = machine.sh(commands[-1], repo, git_venv)
    assert last.returncode == 1, last.stderr
    assert "would rewrite k8s/shop/new.yaml" in last.stderr


def test_ci_any_shell(machine: Machine, git_venv: Path, repo: Path) -> None:
    b = block("|| { meshinject --diff")
    machine.sh("meshinject -i -q --values istio/values.yaml k8s/", repo, git_venv).ok()
    for ran in run_block(machine, b, repo, git_venv):
        ran.ok()
    (repo / "k8s/shop/new.yaml").write_text(MANIFESTS["k8s/shop/db.yaml"].replace("db", "new"))
    check = machine.sh(b.lines()[-1], repo, git_venv)
    assert check.returncode == 1
    assert "+++ b/k8s/shop/new.yaml" in check.stdout  # the diff, for the CI log


# --- pre-commit ------------------------------------------------------------------------


@pytest.mark.parametrize("marker", ["    rev: <commit>", "  - repo: local"])
def test_pre_commit(machine: Machine, repo: Path, marker: str) -> None:
    """The README's config and commands: the first run fixes the files (pre-commit exits 1
    because files changed), the next one passes."""
    config = machine.fill(block(marker).text)
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    git(repo, "add", ".pre-commit-config.yaml")
    # pre-commit itself comes from the test extras: only it is added to PATH.
    tools = repo.parent / "tools"
    tools.mkdir()
    (tools / "pre-commit").symlink_to(Path(sys.executable).with_name("pre-commit"))
    cache = {"PRE_COMMIT_HOME": str(machine.home / "pre-commit-cache")}
    commands = block("pre-commit install\npre-commit run --all-files").lines()
    before = manifests(repo)
    machine.sh(commands[0], repo, tools, **cache).ok()
    fix = machine.sh(commands[1], repo, tools, **cache)
    assert fix.returncode == 1, fix.stdout + fix.stderr
    assert "files were modified by this hook" in fix.stdout
    after = manifests(repo)
    assert after["k8s/shop/db-service.yaml"] == before["k8s/shop/db-service.yaml"]
    assert "name: istio-proxy" in after["k8s/shop/web.yaml"]
    git(repo, "add", "-A")
    again = machine.sh(commands[1], repo, tools, **cache)
    assert again.returncode == 0, again.stdout + again.stderr


# --- Checking the output without a cluster ---------------------------------------------


def test_validate_without_a_cluster(machine: Machine, repo: Path) -> None:
    ran = [r.ok() for r in run_block(machine, block("kubernetes-validate -k"), repo)]
    assert "passed for resource deployment/web" in ran[-1].stdout + ran[-1].stderr


# --- kustomize, completion -------------------------------------------------------------


def test_kustomize_plugin(machine: Machine) -> None:
    ran = list(run_block(machine, block("meshinject kustomize-plugin install"), machine.checkout))
    ran[0].ok()
    plugin = machine.home / ".config/kustomize/plugin/meshinject.dev/v1/sidecarinjector"
    assert (plugin / "SidecarInjector").exists()
    for r in ran[1:]:
        if r.skipped:
            pytest.skip(r.stderr)
        assert "name: istio-proxy" in r.ok().stdout


def test_kpt(machine: Machine, repo: Path) -> None:
    (ran,) = run_block(machine, block("kpt fn eval"), repo)
    if ran.skipped:
        pytest.skip(ran.stderr)
    ran.ok()
    assert "istio.io/rev: canary" in (repo / "k8s/shop/web.yaml").read_text()


def test_completion(machine: Machine) -> None:
    for ran in run_block(machine, block("meshinject completion bash"), machine.home):
        ran.ok()
    script = machine.home / ".local/share/bash-completion/completions/meshinject"
    assert "_MESHINJECT_COMPLETE" in script.read_text()
    assert (machine.home / ".zfunc/_meshinject").stat().st_size
    assert (machine.home / ".config/fish/completions/meshinject.fish").stat().st_size
