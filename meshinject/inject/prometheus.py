"""Prometheus metrics merge: scrape the agent, which merges app and proxy metrics.

Unless scraping is off for the pod or merging is disabled, the pod's `prometheus.io/*`
annotations are pointed at the agent (status port, `/stats/prometheus`) and the app's own
scrape settings move into the sidecar env `ISTIO_PROMETHEUS_ANNOTATIONS`.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

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


# --- Undo (uninject and re-injection) ---------------------------------------------------

#: The annotations `apply_merge` writes, and the field of ENV that keeps the app's own value.
FIELDS = {SCRAPE: "scrape", PATH: "path", PORT: "port"}
_AGENT_VALUES = {PATH: AGENT_PATH, SCRAPE: "true"}


def restore(annotations: dict[str, Any], recorded: dict[str, Any]) -> None:
    """Undo `apply_merge`, in place: the app's own values (`recorded`, from ENV) go back
    where they are, keeping the key order; `added_by_merge` tells which keys to drop."""
    for key, field in FIELDS.items():
        if field in recorded and key in annotations:
            annotations[key] = recorded[field]


def added_by_merge(key: str, value: Any, recorded: dict[str, Any]) -> bool:
    """Whether the annotation `key: value` is one `apply_merge` added (not the app's own)."""
    if FIELDS[key] in recorded:
        return False
    return value == _AGENT_VALUES[key] if key in _AGENT_VALUES else str(value).isdigit()
