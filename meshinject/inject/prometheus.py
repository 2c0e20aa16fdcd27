"""Prometheus metrics merge: scrape the agent, which merges app and proxy metrics.

Unless scraping is off for the pod or merging is disabled, the pod's `prometheus.io/*`
annotations are pointed at the agent (status port, `/stats/prometheus`) and the app's own
scrape settings move into the sidecar env `ISTIO_PROMETHEUS_ANNOTATIONS`.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from meshinject.inject.jsonmap import json_mapping

if TYPE_CHECKING:
    from meshinject.inject.settings import InjectSettings

SCRAPE, PORT, PATH = "prometheus.io/scrape", "prometheus.io/port", "prometheus.io/path"
AGENT_PATH = "/stats/prometheus"
ENV = "ISTIO_PROMETHEUS_ANNOTATIONS"


def _norm(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", key)


def _lookup(annotations: dict[str, Any], key: str) -> tuple[str, Any] | None:
    wanted = _norm(key)
    for name, value in annotations.items():
        if _norm(str(name)) == wanted:
            return name, value
    return None


def _parse_bool(value: Any) -> bool | None:
    text = str(value).strip().lower()
    if text in ("1", "t", "true"):
        return True
    if text in ("0", "f", "false"):
        return False
    return None


def apply_merge(
    pod: dict[str, Any],
    sidecar: dict[str, Any] | None,
    status_port: int,
    settings: InjectSettings,
) -> None:
    annotations = pod.setdefault("metadata", {}).setdefault("annotations", {})
    scrape = _lookup(annotations, SCRAPE)
    if scrape is not None and _parse_bool(scrape[1]) is False:
        return
    if settings.mesh.get("enablePrometheusMerge", True) is False:
        return
    merge = annotations.get("prometheus.istio.io/merge-metrics")
    if merge is not None and _parse_bool(merge) is False:
        return
    target = str(status_port)
    port = _lookup(annotations, PORT)
    if port is not None and str(port[1]) == target:
        return
    original: dict[str, str] = {}
    for field, key in (("scrape", SCRAPE), ("path", PATH), ("port", PORT)):
        found = _lookup(annotations, key)
        if found is not None and found[1] not in (None, ""):
            original[field] = str(found[1])
    if sidecar is not None and original:
        sidecar.setdefault("env", []).append(
            {"name": ENV, "value": json.dumps(original, separators=(",", ":"))}
        )
    annotations[PORT] = target
    annotations[PATH] = AGENT_PATH
    annotations[SCRAPE] = "true"


def restore(pod: dict[str, Any], recorded: str | None) -> None:
    """Undo `apply_merge`: put back the app's own scrape annotations, or drop ours."""
    annotations = (pod.get("metadata") or {}).get("annotations")
    if not isinstance(annotations, dict):
        return
    if annotations.get(PATH) != AGENT_PATH:
        return
    for key in (SCRAPE, PORT, PATH):
        annotations.pop(key, None)
    data = json_mapping(recorded)
    for field, key in (("scrape", SCRAPE), ("path", PATH), ("port", PORT)):
        if field in data:
            annotations[key] = data[field]
