"""Unusual but valid input is injected, and what we write is valid Kubernetes.

Every injected output below is checked against the Kubernetes OpenAPI schemas bundled
with kubernetes-validate (offline), for two Kubernetes minor versions, in strict mode
(no unknown fields). Inputs: the golden cases, the examples, the fuzz seeds, and the
hostile-but-valid manifests of this file (anchors, merge keys, BOM, empty documents...).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.hostile.conftest import GOOD
from tests.runner import invoke

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = ("1.30.0", "1.34.0")
# Kinds with no schema in kubernetes-validate (OpenShift, kustomize): checked by us only.
NO_SCHEMA = {"DeploymentConfig", "Kustomization"}


def validate_stream(text: str) -> int:
    """Validate every Kubernetes object of a YAML stream; return how many were checked."""
    checked = 0
    for doc in yaml.safe_load_all(text):
        objects: list[Any] = doc.get("items") or [] if _kind(doc) == "List" else [doc]
        for obj in objects:
            if _kind(obj) in NO_SCHEMA or not isinstance(obj, dict) or "apiVersion" not in obj:
                continue
            for version in VERSIONS:
                kubernetes_validate.validate(obj, version, strict=True)
            checked += 1
    return checked


def _kind(doc: Any) -> str:
    return str(doc.get("kind")) if isinstance(doc, dict) else ""


def test_the_bundled_schemas_cover_the_versions_we_check() -> None:
    for version in VERSIONS:
        assert kubernetes_validate.validate(yaml.safe_load(GOOD), version, strict=True)


def test_an_invalid_object_is_caught_by_the_check() -> None:
    """The check can fail: a string container port is rejected."""
    bad = GOOD.replace("image: good:1", "image: good:1\n        ports: [{containerPort: http}]")
    with pytest.raises(kubernetes_validate.ValidationError):
        validate_stream(bad)


SUITE_INPUTS = sorted(
    [
        *ROOT.glob("tests/cases/*/input.yaml"),
        ROOT / "examples/deployment.yaml",
        *ROOT.glob("fuzz/seeds/*.yaml"),
    ]
)


@pytest.mark.parametrize("style", ["istio", "minimal"])
@pytest.mark.parametrize("path", SUITE_INPUTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_injected_output_of_the_suite_inputs_is_valid(path: Path, style: str) -> None:
    result = invoke("--style", style, str(path))
    assert result.exit_code == 0, result.stderr
    validate_stream(result.stdout)
    uninjected = invoke("uninject", "-f", "-", input=result.stdout)
    assert uninjected.exit_code == 0, uninjected.stderr
    validate_stream(uninjected.stdout)


DEPLOYMENT_HEAD = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"

VALID_BUT_UNUSUAL = [
    pytest.param(
        DEPLOYMENT_HEAD + "spec:\n  selector:\n    matchLabels: &labels\n      app: web\n"
        "  template:\n    metadata:\n      labels: *labels\n    spec:\n"
        "      containers:\n      - name: web\n        image: web:1\n",
        id="selector-labels-anchor",
    ),
    pytest.param(
        DEPLOYMENT_HEAD + "spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n"
        "    metadata:\n      labels: &l {app: web}\n      annotations: *l\n    spec:\n"
        "      containers:\n      - name: web\n        image: web:1\n",
        id="labels-aliased-as-annotations",
    ),
    pytest.param(
        "x-defaults: &defaults\n  imagePullPolicy: Always\n  image: web:1\n---\n"
        + DEPLOYMENT_HEAD
        + "spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n"
        "    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n"
        "      - <<: {imagePullPolicy: Always, image: 'web:1'}\n        name: web\n",
        id="merge-key-in-a-container",
    ),
    pytest.param(
        "\ufeff" + GOOD,
        id="byte-order-mark",
    ),
    pytest.param(
        "# only a comment\n---\n---\n" + GOOD + "...\n---\n# trailing comment only\n",
        id="empty-and-comment-only-documents",
    ),
    pytest.param(
        DEPLOYMENT_HEAD + "spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n"
        "    metadata:\n      labels:\n      annotations:\n"
        "        inject.istio.io/templates: grpc-simple\n    spec:\n"
        "      containers:\n      - name: web\n        image: web:1\n",
        id="null-labels-with-grpc-template",
    ),
]


@pytest.mark.parametrize("content", VALID_BUT_UNUSUAL)
def test_valid_but_unusual_input_is_injected_validly(tmp_path: Path, content: str) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(content, encoding="utf-8")
    result = invoke("-i", str(path))
    assert result.exit_code == 0, result.stderr
    assert "error" not in result.stderr
    written = path.read_text(encoding="utf-8")
    assert "sidecar.istio.io/status" in written  # (grpc-simple is proxyless: no istio-proxy)
    assert written.startswith("\ufeff") == content.startswith("\ufeff")
    assert validate_stream(written.removeprefix("\ufeff")) >= 1
    assert invoke("--check", str(path)).exit_code == 0  # injecting again changes nothing


def test_aliased_labels_stay_what_the_user_wrote_where_injection_does_not_write(
    tmp_path: Path,
) -> None:
    """Injection adds labels to the pod template only; the selector alias keeps its value."""
    path = tmp_path / "app.yaml"
    path.write_text(str(VALID_BUT_UNUSUAL[0].values[0]))
    assert invoke("-i", str(path)).exit_code == 0
    data = yaml.safe_load(path.read_text())
    assert data["spec"]["selector"]["matchLabels"] == {"app": "web"}
    labels = data["spec"]["template"]["metadata"]["labels"]
    assert labels["app"] == "web"
    assert labels["security.istio.io/tlsMode"] == "istio"
