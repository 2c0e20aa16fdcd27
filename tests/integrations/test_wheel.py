"""The package as users install it: build the sdist and the wheel (the wheel from the sdist,
as `python -m build` does), check what they contain, install the wheel into a fresh venv
and inject with every built-in template from there, far from this checkout."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p.name for p in (ROOT / "meshinject" / "templates").glob("*.yaml.j2"))
POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: shop
  annotations:
    inject.istio.io/templates: {template}
spec:
  containers:
  - name: app
    image: app:1
"""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    pytest.importorskip("build", reason="needs the [test] extra (build, hatchling)")
    pytest.importorskip("hatchling", reason="needs the [test] extra (build, hatchling)")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return out


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with only the wheel installed; dependencies come from the test venv."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (wheel,) = dist.glob("meshinject-*.whl")
    own_script = Path(sys.executable).parent / "meshinject"
    had_script = own_script.exists()
    # Install first: pip must see only the fresh venv (it would uninstall the editable
    # meshinject it finds on the path below, out of the test venv).
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    # Then the test venv's site-packages as a plain path entry, for the dependencies: its
    # .pth files (this checkout's editable install among them) are not processed, so only
    # the wheel provides meshinject.
    (site / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    assert own_script.exists() == had_script, "installing the wheel touched the test venv"
    return env_dir


def test_wheel_ships_templates_typing_marker_and_defaults(dist: Path) -> None:
    (wheel,) = dist.glob("meshinject-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"meshinject/templates/{name}" for name in TEMPLATES} <= names
    assert "meshinject/py.typed" in names
    assert "meshinject/config/defaults/values.yaml" in names
    assert "meshinject/config/defaults/mesh.yaml" in names
    assert not any(name.startswith(("tests/", "templates/")) for name in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "meshinject = meshinject.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_sdist_ships_the_pre_commit_hooks_and_templates(dist: Path) -> None:
    (sdist,) = dist.glob("meshinject-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert ".pre-commit-hooks.yaml" in names
    assert {f"meshinject/templates/{name}" for name in TEMPLATES} <= names
    assert "meshinject/py.typed" in names


def test_installed_wheel_runs_from_its_own_files(installed: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import meshinject, meshinject.inject.render as r; "
            "print(meshinject.__file__); print(r.templates_dir())",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    )
    module, templates = done.stdout.splitlines()
    assert module.startswith(str(installed))
    assert templates.startswith(str(installed))
    assert templates.endswith("meshinject/templates")


@pytest.mark.parametrize("template", [name.removesuffix(".yaml.j2") for name in TEMPLATES])
def test_installed_wheel_renders_each_built_in_template(
    installed: Path, tmp_path: Path, template: str
) -> None:
    done = subprocess.run(
        [str(installed / "bin" / "meshinject"), "-f", "-"],
        input=POD.format(template=template),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 workload injected" in done.stderr
    assert done.stdout.startswith("apiVersion: v1\nkind: Pod\n")
    assert f"inject.istio.io/templates: {template}" in done.stdout
    assert done.stdout != POD.format(template=template)
