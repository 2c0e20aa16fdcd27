"""parity-gaps.md G: re-injection (P52, P53).

Both are deliberate differences, written up in the README: meshinject re-injects by taking
out everything the status annotation lists first, so injecting an injected file gives
exactly what injecting the original gives, whichever version or settings injected it.
"""

from __future__ import annotations

import json
from typing import Any

from tests.parity.helpers import (
    container,
    error_of,
    inject,
    names,
    pod_annotations,
    pod_doc,
    pod_spec,
)

OLD_STATUS = {
    "initContainers": ["istio-init"],
    "containers": ["istio-proxy"],
    "volumes": ["istio-certs"],
    "imagePullSecrets": None,
}


def old_injection() -> dict[str, Any]:
    """The base Pod as an old Istio release injected it."""
    doc = pod_doc({"sidecar.istio.io/status": json.dumps(OLD_STATUS)})
    spec = doc["spec"]
    spec["initContainers"] = [{"name": "istio-init", "image": "docker.io/istio/proxyv2:1.0.0"}]
    spec["containers"].append(
        {
            "name": "istio-proxy",
            "image": "docker.io/istio/proxyv2:1.0.0",
            "env": [{"name": "ISTIO_META_OLD_THING", "value": "1"}],
            "volumeMounts": [{"mountPath": "/etc/certs/", "name": "istio-certs"}],
        }
    )
    spec["volumes"] = [{"name": "istio-certs", "secret": {"secretName": "istio.default"}}]
    return doc


def test_P52_reinjection_gives_what_injecting_the_original_gives() -> None:
    again = inject(old_injection())
    assert again == inject(pod_doc())
    assert "ISTIO_META_OLD_THING" not in json.dumps(again)
    assert "istio-certs" not in names(pod_spec(again).get("volumes"))
    assert "/etc/certs/" not in json.dumps(container(again, "istio-proxy"))


def test_P52_turning_native_sidecars_off_leaves_one_proxy() -> None:
    native = inject(pod_doc())
    legacy = inject(native, "pilot.env.ENABLE_NATIVE_SIDECARS=false")
    spec = pod_spec(legacy)
    assert names(spec["containers"]).count("istio-proxy") == 1
    assert "istio-proxy" not in names(spec.get("initContainers"))
    assert legacy == inject(pod_doc(), "pilot.env.ENABLE_NATIVE_SIDECARS=false")


def test_P52_a_status_that_is_not_json_is_a_located_error() -> None:
    doc = old_injection()
    doc["metadata"]["annotations"]["sidecar.istio.io/status"] = "not json"
    assert "sidecar.istio.io/status is not the JSON object injection writes" in error_of(doc)


def user_proxy_pod() -> dict[str, Any]:
    proxy = {"name": "istio-proxy", "image": "auto", "resources": {"requests": {"cpu": "50m"}}}
    return pod_doc(extra_containers=[proxy])


def test_P53_recorded_overrides_win_on_reinjection_as_on_the_first_injection() -> None:
    first = inject(user_proxy_pod())
    again = inject(first, "global.proxy.resources.requests.cpu=300m")
    assert container(again, "istio-proxy")["resources"]["requests"]["cpu"] == "50m"
    assert again == inject(user_proxy_pod(), "global.proxy.resources.requests.cpu=300m")
    overrides = "proxy.istio.io/overrides"
    assert pod_annotations(again)[overrides] == pod_annotations(first)[overrides]
