"""Validation of the injection annotations, with Istio's wording.

A bad value fails the workload (not the run) with
`invalid value '<v>' for annotation '<name>': <why>`, as Istio's injector reports it.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable, Mapping

from meshinject.quantity import QuantityError, parse_quantity

Check = Callable[[str], None]


def _port(text: str) -> int:
    try:
        port = int(text.strip())
    except ValueError:
        raise ValueError(f'"{text}" is not a valid port') from None
    if not 0 < port <= 65535:
        raise ValueError(f"port number {port} must be in the range 1..65535")
    return port


def _port_list(text: str) -> None:
    for part in text.split(","):
        if part.strip():
            _port(part)


def _port_list_or_star(text: str) -> None:
    if text.strip() != "*":
        _port_list(text)


def _cidr_list(text: str) -> None:
    for raw in text.split(","):
        part = raw.strip()
        if part:
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ValueError(f"invalid CIDR address: {part}") from None


def _cidr_list_or_star(text: str) -> None:
    if text.strip() != "*":
        _cidr_list(text)


def _interception_mode(text: str) -> None:
    if text not in ("REDIRECT", "TPROXY", "NONE"):
        raise ValueError("must be one of REDIRECT, TPROXY or NONE")


def _status_port(text: str) -> None:
    try:
        port = int(text)
    except ValueError:
        raise ValueError(f'"{text}" is not a valid port') from None
    if not 0 <= port <= 65535:
        raise ValueError(f"port number {port} must be in the range 0..65535")


def _non_negative_int(text: str) -> None:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f'"{text}" is not an integer') from None
    if value < 0:
        raise ValueError(f"{value} must be zero or more")


def _positive_int(text: str) -> None:
    _non_negative_int(text)
    if int(text) == 0:
        raise ValueError("must be greater than zero")


def _bool(text: str) -> None:
    if text.lower() not in ("true", "false", "1", "0", "t", "f"):
        raise ValueError(f'"{text}" is not a boolean')


def _quantity(text: str) -> None:
    try:
        parse_quantity(text)
    except QuantityError as exc:
        raise ValueError(str(exc)) from None


def _interfaces(text: str) -> None:
    for part in text.split(","):
        if part and not part.strip():
            raise ValueError("interface names must not be blank")


def _json_or_yaml_mapping(text: str) -> None:
    # The proxy config annotation is YAML (JSON is YAML too); the stream layer parses it.
    if text.lstrip().startswith("{"):
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON: {exc.msg}") from None


CHECKS: dict[str, Check] = {
    "sidecar.istio.io/interceptionMode": _interception_mode,
    "status.sidecar.istio.io/port": _status_port,
    "readiness.status.sidecar.istio.io/initialDelaySeconds": _non_negative_int,
    "readiness.status.sidecar.istio.io/periodSeconds": _positive_int,
    "readiness.status.sidecar.istio.io/failureThreshold": _positive_int,
    "traffic.sidecar.istio.io/includeOutboundIPRanges": _cidr_list_or_star,
    "traffic.sidecar.istio.io/excludeOutboundIPRanges": _cidr_list,
    "traffic.sidecar.istio.io/includeInboundPorts": _port_list_or_star,
    "traffic.sidecar.istio.io/excludeInboundPorts": _port_list,
    "traffic.sidecar.istio.io/includeOutboundPorts": _port_list,
    "traffic.sidecar.istio.io/excludeOutboundPorts": _port_list,
    "traffic.sidecar.istio.io/excludeInterfaces": _interfaces,
    "traffic.sidecar.istio.io/kubevirtInterfaces": _interfaces,
    "istio.io/reroute-virtual-interfaces": _interfaces,
    "prometheus.istio.io/merge-metrics": _bool,
    "sidecar.istio.io/rewriteAppHTTPProbers": _bool,
    "sidecar.istio.io/proxyCPU": _quantity,
    "sidecar.istio.io/proxyMemory": _quantity,
    "sidecar.istio.io/proxyCPULimit": _quantity,
    "sidecar.istio.io/proxyMemoryLimit": _quantity,
    "proxy.istio.io/config": _json_or_yaml_mapping,
}


def annotation_problems(annotations: Mapping[str, object]) -> list[tuple[str, str]]:
    """Return (annotation name, message) for every invalid injection annotation."""
    problems = []
    for name, check in CHECKS.items():
        if name not in annotations:
            continue
        value = annotations[name]
        if not isinstance(value, str):
            problems.append(
                (name, f"annotation '{name}' must be a string; quote the value: \"{value}\"")
            )
            continue
        try:
            check(value)
        except ValueError as exc:
            problems.append((name, f"invalid value '{value}' for annotation '{name}': {exc}"))
    return problems
