"""meshinject as a kustomize transformer: the real `kubectl kustomize` on the example
overlay (exec plugin), and the KRM function protocol on a ResourceList fixture."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.runner import invoke as run

ROOT = Path(__file__).resolve().parents[2]
OVERLAY = ROOT / "examples" / "kustomize" / "overlays" / "prod"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")


def by_kind_and_name(docs: list[Any]) -> dict[tuple[str, str], Any]:
    return {(d["kind"], d["metadata"]["name"]): d for d in docs if d}


def container_names(pod_spec: dict[str, Any]) -> list[str]:
    return [c["name"] for c in pod_spec.get("initContainers", []) + pod_spec["containers"]]


@pytest.fixture
def plugin_home(tmp_path: Path) -> Path:
    home = tmp_path / "config"
    result = run("kustomize-plugin", "install", "--config-home", str(home))
    assert result.exit_code == 0, result.stderr
    return home


def kustomize(folder: Path, plugin_home: Path) -> subprocess.CompletedProcess[str]:
    assert KUBECTL is not None
    env = {**os.environ, "XDG_CONFIG_HOME": str(plugin_home)}
    return subprocess.run(
        [KUBECTL, "kustomize", "--enable-alpha-plugins", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


# --------------------------------------------------------------------------- install


def test_install_puts_an_executable_where_kustomize_looks(tmp_path: Path) -> None:
    result = run("kustomize-plugin", "install", "--config-home", str(tmp_path))
    expected = tmp_path / "kustomize/plugin/meshinject.dev/v1/sidecarinjector/SidecarInjector"
    assert result.exit_code == 0
    assert result.stdout == f"{expected}\n"
    assert "kubectl kustomize --enable-alpha-plugins" in result.stderr
    assert expected.stat().st_mode & stat.S_IXUSR
    assert "-m meshinject kustomize-plugin run" in expected.read_text()


def test_install_defaults_to_xdg_config_home(tmp_path: Path) -> None:
    result = run("kustomize-plugin", "install", env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert result.exit_code == 0
    assert result.stdout.startswith(str(tmp_path / "kustomize" / "plugin"))


# --------------------------------------------------------------------------- kubectl kustomize


@pytest.mark.slow
@needs_kubectl
def test_kubectl_kustomize_injects_the_example_overlay(plugin_home: Path) -> None:
    built = kustomize(OVERLAY, plugin_home)
    assert built.returncode == 0, built.stderr
    docs = by_kind_and_name(list(yaml.safe_load_all(built.stdout)))

    web = docs[("Deployment", "web")]
    pod = web["spec"]["template"]
    assert web["metadata"]["namespace"] == "shop"  # kustomize's own transformers ran first
    assert container_names(pod["spec"]) == ["istio-init", "istio-proxy", "web"]
    assert pod["metadata"]["annotations"]["istio.io/rev"] == "canary"
    proxy = pod["spec"]["initContainers"][1]
    assert proxy["image"] == "registry.example.com/istio/proxyv2:1.31.0"  # istio-values.yaml
    assert proxy["resources"]["requests"] == {"cpu": "50m", "memory": "64Mi"}
    env = {e["name"]: e.get("value") for e in proxy["env"]}
    assert env["PROXY_CONFIG"] == '{"holdApplicationUntilProxyStarts":true}\n'  # mesh.yaml
    assert env["CA_ADDR"] == "istiod-canary.istio-system.svc:15012"

    job = docs[("Job", "db-migrate")]  # opted out with sidecar.istio.io/inject: "false"
    assert container_names(job["spec"]["template"]["spec"]) == ["migrate"]
    assert docs[("Service", "web")]["spec"]["ports"] == [{"port": 80, "targetPort": "http"}]
    assert "kustomize.config.k8s.io/id" not in built.stdout


@pytest.mark.slow
@needs_kubectl
def test_kubectl_kustomize_reports_a_bad_setting_and_fails(
    plugin_home: Path, tmp_path: Path
) -> None:
    example = tmp_path / "example"
    shutil.copytree(OVERLAY.parents[1], example)
    config = example / "overlays" / "prod" / "sidecars.yaml"
    config.write_text(config.read_text().replace("revision: canary", "revison: canary"))

    built = kustomize(example / "overlays" / "prod", plugin_home)

    assert built.returncode != 0
    assert built.stdout == ""
    # kustomize hands the plugin a temporary copy: the message names the real file (U30).
    assert "overlays/prod/sidecars.yaml:" in built.stderr
    assert "spec.revison: unknown setting" in built.stderr


# --------------------------------------------------------------------------- exec protocol


def test_exec_protocol_resolves_files_against_the_kustomization(tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text("global:\n  tag: 9.9.9\n")
    (tmp_path / "sidecars.yaml").write_text(
        "apiVersion: meshinject.dev/v1\nkind: SidecarInjector\nmetadata: {name: s}\n"
        "spec:\n  values: values.yaml\n"
    )
    resources = (ROOT / "examples" / "deployment.yaml").read_text()

    result = run(
        "kustomize-plugin",
        "run",
        str(tmp_path / "sidecars.yaml"),
        input=resources,
        env={"KUSTOMIZE_PLUGIN_CONFIG_ROOT": str(tmp_path)},
    )

    assert result.exit_code == 0, result.stderr
    assert "image: docker.io/istio/proxyv2:9.9.9" in result.stdout
    assert result.stdout.startswith("# Example: a small web service")  # comments kept
    assert result.stderr == ""


def test_exec_protocol_prints_nothing_when_injection_fails(tmp_path: Path) -> None:
    (tmp_path / "sidecars.yaml").write_text(
        "apiVersion: meshinject.dev/v1\nkind: SidecarInjector\nspec: {revision: canary}\n"
    )
    bad = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n"
        "    sidecar.istio.io/proxyCPU: lots\nspec:\n  containers: [{name: c, image: c}]\n"
    )
    result = run("kustomize-plugin", "run", str(tmp_path / "sidecars.yaml"), input=bad)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        "meshinject: error: Pod default/p: invalid value 'lots' for annotation "
        "'sidecar.istio.io/proxyCPU'"
    )


def test_config_must_be_a_sidecar_injector(tmp_path: Path) -> None:
    config = tmp_path / "sidecars.yaml"
    config.write_text("apiVersion: v1\nkind: Secret\n")
    result = run("kustomize-plugin", "run", str(config), input="")
    assert result.exit_code == 1
    assert "expected apiVersion: meshinject.dev/v1 and kind: SidecarInjector" in result.stderr


def test_settings_outside_spec_are_refused_with_a_hint(tmp_path: Path) -> None:
    config = tmp_path / "sidecars.yaml"
    config.write_text("apiVersion: meshinject.dev/v1\nkind: SidecarInjector\nrevision: canary\n")
    result = run("kustomize-plugin", "run", str(config), input="")
    assert result.exit_code == 1
    assert "revision: unknown field 'revision': settings go under spec:" in result.stderr


# --------------------------------------------------------------------------- KRM function


def krm(text: str) -> tuple[Any, Any]:
    result = run("kustomize-plugin", "run", input=text)
    return result, yaml.safe_load(result.stdout) if result.stdout else None


def test_krm_function_injects_items_and_reports_results() -> None:
    result, out = krm((FIXTURES / "resource-list.yaml").read_text())

    assert result.exit_code == 0, result.stderr
    assert out["kind"] == "ResourceList"
    items = by_kind_and_name(out["items"])
    web = items[("Deployment", "web")]
    assert container_names(web["spec"]["template"]["spec"]) == ["istio-init", "istio-proxy", "web"]
    proxy = web["spec"]["template"]["spec"]["initContainers"][1]
    assert proxy["resources"]["requests"]["cpu"] == "50m"  # spec.set
    # Strings that look like other types stay strings through the round trip.
    assert {"name": "FEATURE_FLAG", "value": "true"} in web["spec"]["template"]["spec"][
        "containers"
    ][0]["env"]
    assert items[("ConfigMap", "settings")]["data"] == {"mode": "on"}
    # The orchestrator's bookkeeping annotations survive.
    assert web["metadata"]["annotations"]["internal.config.kubernetes.io/path"] == "web.yaml"

    results = {r["resourceRef"]["name"]: r for r in out["results"]}
    assert results["web"]["severity"] == "info"
    assert results["web"]["message"] == "injected (revision canary)"
    assert results["web"]["file"] == {"path": "web.yaml", "index": 0}
    assert results["debug"]["message"].startswith("skipped: ")
    assert out["functionConfig"]["kind"] == "SidecarInjector"


def test_krm_function_decides_from_namespace_items_as_the_webhook_would() -> None:
    _, out = krm((FIXTURES / "resource-list.yaml").read_text())
    debug = by_kind_and_name(out["items"])[("Pod", "debug")]
    assert container_names(debug["spec"]) == ["shell"]  # namespace tools is not labelled


def test_krm_function_bad_config_returns_items_unchanged_with_an_error_result() -> None:
    text = (FIXTURES / "resource-list.yaml").read_text().replace("revision:", "revisoin:")
    original = yaml.safe_load(text)

    result, out = krm(text)

    assert result.exit_code == 1
    assert out["items"] == original["items"]
    assert out["results"] == [
        {
            "message": "functionConfig: spec.revisoin: unknown setting (known: injectConfig, iop, "
            "kubeVersion, meshConfig, mode, namespace, namespaceLabels, revision, "
            "revisionValues, set, style, tags, values)",
            "severity": "error",
        }
    ]
    assert "meshinject: error: functionConfig: spec.revisoin" in result.stderr


def test_krm_function_accepts_a_kpt_configmap_function_config() -> None:
    rl = yaml.safe_load((FIXTURES / "resource-list.yaml").read_text())
    rl["functionConfig"] = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "fn"},
        "data": {"revision": "stable", "mode": "manual"},
    }
    result, out = krm(yaml.safe_dump(rl))
    assert result.exit_code == 0, result.stderr
    debug = by_kind_and_name(out["items"])[("Pod", "debug")]
    assert container_names(debug["spec"]) == ["istio-init", "istio-proxy", "shell"]
    assert debug["metadata"]["annotations"]["istio.io/rev"] == "stable"


def test_krm_function_inline_namespace_labels() -> None:
    rl = yaml.safe_load((FIXTURES / "resource-list.yaml").read_text())
    rl["functionConfig"]["spec"]["namespaceLabels"] = {"tools": {"istio.io/rev": "canary"}}
    _, out = krm(yaml.safe_dump(rl))
    debug = by_kind_and_name(out["items"])[("Pod", "debug")]
    assert "istio-proxy" in container_names(debug["spec"])


def test_krm_function_error_in_an_item_names_the_resource() -> None:
    rl = yaml.safe_load((FIXTURES / "resource-list.yaml").read_text())
    pod = rl["items"][2]
    pod["metadata"]["namespace"] = "shop"
    pod["metadata"]["annotations"]["sidecar.istio.io/proxyCPU"] = "lots"
    result, out = krm(yaml.safe_dump(rl))
    assert result.exit_code == 1
    errors = [r for r in out["results"] if r["severity"] == "error"]
    assert len(errors) == 1
    assert errors[0]["resourceRef"]["name"] == "debug"
    assert errors[0]["file"]["path"] == "debug.yaml"
    assert out["items"] == rl["items"]


def test_stdin_that_is_not_a_resource_list_is_refused() -> None:
    result = run("kustomize-plugin", "run", input="apiVersion: v1\nkind: Pod\n")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "expected a ResourceList" in result.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("kpt") is None, reason="kpt is not installed")
def test_kpt_runs_the_krm_function(tmp_path: Path) -> None:
    shutil.copy(ROOT / "examples" / "kustomize" / "base" / "web.yaml", tmp_path / "web.yaml")
    command = f"{Path(sys.executable).parent / 'meshinject'} kustomize-plugin run"
    done = subprocess.run(
        ["kpt", "fn", "eval", str(tmp_path), "--exec", command, "--", "revision=canary"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    injected = (tmp_path / "web.yaml").read_text()
    assert injected.startswith("# The web service")  # kpt keeps the comments
    assert "name: istio-proxy" in injected
    assert "istio.io/rev: canary" in injected
