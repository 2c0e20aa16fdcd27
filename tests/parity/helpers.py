"""Helpers for the parity tests: inject the conventions' base Pod and read the result.

Each parity test is named after its parity-gaps.md item (P17, ...) and asserts the
fragment Istio produces for that item's input.
"""

from __future__ import annotations

import json
from typing import Any

from meshinject.api import RunOptions, build_request, inject_text
from meshinject.errors import MeshInjectError
from meshinject.yamltext import load_document

BASE_POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"}},
    "spec": {
        "containers": [
            {
                "name": "web",
                "image": "nginx:1.25",
                "ports": [{"containerPort": 8080, "name": "http"}],
            }
        ]
    },
}


def pod_doc(
    annotations: dict[str, str] | None = None,
    *,
    init_containers: list[dict[str, Any]] | None = None,
    extra_containers: list[dict[str, Any]] | None = None,
    container: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The base Pod plus the item's additions."""
    doc = json.loads(json.dumps(BASE_POD))
    if annotations is not None:
        doc["metadata"]["annotations"] = annotations
    if container:
        doc["spec"]["containers"][0].update(container)
    if extra_containers:
        doc["spec"]["containers"].extend(extra_containers)
    if init_containers:
        doc["spec"]["initContainers"] = init_containers
    return doc


def run(
    doc: dict[str, Any] | str,
    *sets: str,
    **options: Any,
) -> tuple[str, list[MeshInjectError]]:
    """Inject `doc` (data or YAML text) in minimal style; return output text and errors."""
    text = doc if isinstance(doc, str) else json.dumps(doc)
    options.setdefault("output_style", "minimal")
    request = build_request(RunOptions(set_args=sets, **options))
    result = inject_text(text, request)
    return result.text, list(result.errors)


def inject(doc: dict[str, Any] | str, *sets: str, **options: Any) -> dict[str, Any]:
    """Inject and return the output document; the injection must succeed."""
    text, errors = run(doc, *sets, **options)
    assert not errors, [e.render() for e in errors]
    data: dict[str, Any] = load_document(text).data
    return data


def error_of(doc: dict[str, Any] | str, *sets: str, **options: Any) -> str:
    """Inject and return the one error message; the injection must fail."""
    _, errors = run(doc, *sets, **options)
    assert errors, "expected injection to fail"
    return errors[0].message


def pod_spec(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("kind") == "Pod":
        spec: dict[str, Any] = data["spec"]
        return spec
    inner: dict[str, Any] = data["spec"]["template"]["spec"]
    return inner


def pod_meta(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("kind") == "Pod":
        meta: dict[str, Any] = data["metadata"]
        return meta
    inner: dict[str, Any] = data["spec"]["template"]["metadata"]
    return inner


def pod_annotations(data: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = pod_meta(data).get("annotations") or {}
    return found


def container(data: dict[str, Any], name: str) -> dict[str, Any]:
    spec = pod_spec(data)
    for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        if c["name"] == name:
            found: dict[str, Any] = c
            return found
    raise AssertionError(f"no container {name}")


def names(items: list[dict[str, Any]] | None) -> list[str]:
    return [str(i["name"]) for i in items or []]


def env(data: dict[str, Any], name: str, container_name: str = "istio-proxy") -> Any:
    for e in container(data, container_name).get("env") or []:
        if e["name"] == name:
            return e.get("value", e.get("valueFrom"))
    return None


def env_names(data: dict[str, Any], container_name: str = "istio-proxy") -> list[str]:
    return names(container(data, container_name).get("env"))


def status(data: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(pod_annotations(data)["sidecar.istio.io/status"])
    return found


def volume(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    for v in pod_spec(data).get("volumes") or []:
        if v["name"] == name:
            found: dict[str, Any] = v
            return found
    return None
