"""Prometheus metrics merge: scrape the agent, which merges app and proxy metrics.

Unless scraping is off for the pod or merging is disabled, the pod's `prometheus.io/*`
annotations (any spelling Prometheus sanitises to the same label name) are pointed at the
agent (status port, `/stats/prometheus`) and the app's own scrape settings move into the
sidecar env `ISTIO_PROMETHEUS_ANNOTATIONS`. A scrape port the agent cannot scrape (not a
port, the agent's own, or one Istio reserves) fails the workload, as in Istio.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from meshinject.errors import InjectionError
from meshinject.gotemplate.gojson import marshal, quote

if TYPE_CHECKING:
    from meshinject.inject.settings import InjectSettings

SCRAPE, PORT, PATH = "prometheus.io/scrape", "prometheus.io/port", "prometheus.io/path"
TARGETS = "prometheus.istio.io/scrape-targets"
MERGE = "prometheus.istio.io/merge-metrics"
SECURE_PORT = "prometheus.istio.io/secure-port"
AGENT_PATH = "/stats/prometheus"
ENV = "ISTIO_PROMETHEUS_ANNOTATIONS"
SECURE_PORT_ENV = "ENVOY_SECURE_MERGED_METRICS_PORT"

#: Ports of the Istio data plane that a merged scrape must not point at, and why.
RESERVED_PORTS = {
    "15000": "Envoy admin",
    "15001": "outbound traffic capture",
    "15004": "pilot debug",
    "15006": "inbound traffic capture",
    "15008": "HBONE tunnel",
    "15020": "pilot-agent status / merged Prometheus",
    "15021": "Envoy health",
    "15053": "DNS proxy",
    "15090": "Envoy Prometheus (already merged)",
}

_GO_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True}
_GO_BOOLS |= {"0": False, "f": False, "F": False, "FALSE": False, "false": False}
_GO_BOOLS |= {"False": False}
_GO_INT = re.compile(r"[+-]?[0-9]+")


def label_name(key: str) -> str:
    """Prometheus' label-name sanitising: every other character becomes `_`."""
    return re.sub(r"[^A-Za-z0-9_]", "_", key)


def go_bool(value: Any) -> bool | None:
    """Go's strconv.ParseBool, or None where it fails."""
    return _GO_BOOLS.get(str(value))


@dataclass
class ScrapeConfig:
    """The app's own scrape settings (the agent's PrometheusScrapeConfiguration)."""

    scrape: str = ""
    path: str = ""
    port: str = ""
    targets: list[dict[str, str]] = dataclasses.field(default_factory=list)

    def empty(self) -> bool:
        return not (self.scrape or self.path or self.port or self.targets)

    def to_json(self) -> str:
        data: dict[str, Any] = {"scrape": self.scrape, "path": self.path, "port": self.port}
        if self.targets:
            data["targets"] = self.targets
        return marshal(data, sort_keys=False)


def parse_targets(raw: str) -> list[dict[str, str]] | None:
    """`port[:path]` entries (empty path: `/metrics`); None when an entry has no port."""
    targets = []
    for entry in (e.strip() for e in raw.split(",")):
        if not entry:
            continue
        port, _, path = entry.partition(":")
        if not port.strip():
            return None
        targets.append({"port": port.strip(), "path": path.strip() or "/metrics"})
    return targets


def _scrape_config(annotations: dict[str, Any]) -> tuple[ScrapeConfig, dict[str, str]]:
    """The app's scrape settings, and which annotation each came from."""
    config = ScrapeConfig()
    keys: dict[str, str] = {}
    for key, value in annotations.items():
        name = label_name(str(key))
        if name == label_name(PORT):
            config.port, keys["port"] = str(value), key
        elif name == label_name(SCRAPE):
            config.scrape = str(value)
        elif name == label_name(PATH):
            config.path = str(value)
        elif name == label_name(TARGETS):
            targets = parse_targets(str(value))
            if targets is not None:  # Istio logs a warning and ignores the annotation
                config.targets, keys["targets"] = targets, key
    return config, keys


def _check_port(port: str, agent_port: str, what: str, noun: str, key: str) -> None:
    """Istio's checks of a port the agent is to scrape; `key` is the annotation it came from."""
    number = int(port) if _GO_INT.fullmatch(port) else 0
    canonical = str(number)
    if not 1 <= number <= 65535:
        problem = f"invalid {noun} {quote(port, escape_html=False)}"
    elif canonical == agent_port:
        problem = f"{noun} {port} conflicts with agent port"
    elif canonical in RESERVED_PORTS:
        problem = (
            f"{noun} {port} is reserved for Istio ({RESERVED_PORTS[canonical]}) "
            "and cannot be scraped"
        )
    else:
        return
    raise InjectionError(
        f"invalid prometheus {what}: {problem}", data_path=("metadata", "annotations", key)
    )


def scrape_enabled(annotations: dict[str, Any]) -> bool:
    for key, value in annotations.items():
        if label_name(str(key)) == label_name(SCRAPE):
            parsed = go_bool(value)
            if parsed is not None:
                return parsed
    return True


def merge_enabled(annotations: dict[str, Any], settings: InjectSettings) -> bool:
    """The pod's `merge-metrics` annotation when it parses, else the mesh setting."""
    if MERGE in annotations:
        parsed = go_bool(annotations[MERGE])
        if parsed is not None:
            return parsed
    return settings.mesh.get("enablePrometheusMerge", True) is not False


def apply_merge(
    pod: dict[str, Any],
    sidecar: dict[str, Any] | None,
    status_port: int,
    settings: InjectSettings,
) -> None:
    annotations = pod.setdefault("metadata", {}).setdefault("annotations", {})
    if not (scrape_enabled(annotations) and merge_enabled(annotations, settings)):
        return
    target = str(status_port)
    for key, value in annotations.items():
        if label_name(str(key)) == label_name(PORT):
            if str(value) == target:  # set already: the user's choice, or a re-injection
                return
            break
    config, keys = _scrape_config(annotations)
    if config.targets:
        config.port, config.path = config.targets[0]["port"], config.targets[0]["path"]
        for t in config.targets:
            _check_port(t["port"], target, "scrape targets", "target port", keys["targets"])
    elif config.port:
        _check_port(config.port, target, "scrape configuration", "port", keys["port"])
    if sidecar is not None and not config.empty():
        sidecar.setdefault("env", []).append({"name": ENV, "value": config.to_json()})
    # Every spelling goes; the canonical keys are rewritten in place (a smaller git diff).
    cleared = {label_name(k) for k in (PORT, PATH, SCRAPE, TARGETS)}
    for key in [k for k in annotations if label_name(str(k)) in cleared]:
        if key not in (PORT, PATH, SCRAPE):
            del annotations[key]
    annotations[PORT] = target
    annotations[PATH] = AGENT_PATH
    annotations[SCRAPE] = "true"


def apply_secure_port(pod: dict[str, Any], sidecar: dict[str, Any] | None) -> None:
    """Announce the proxy's secure merged-metrics port, unless the user already did."""
    annotations = pod.setdefault("metadata", {}).setdefault("annotations", {})
    if sidecar is None or any(label_name(str(k)) == label_name(SECURE_PORT) for k in annotations):
        return
    for item in sidecar.get("env") or []:
        value = item.get("value") if isinstance(item, dict) else None
        if item.get("name") == SECURE_PORT_ENV and value not in (None, "", "0"):
            annotations[SECURE_PORT] = str(value)
            return


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
