"""Validation of the injection annotations, with Istio's wording.

A bad value fails the workload (not the run) with
`invalid value '<v>' for annotation '<name>': <why>`, as Istio's injector reports it.
"""

from __future__ import annotations

import ipaddress
import json
import re
import unicodedata
from collections.abc import Callable, Mapping

from meshinject.config.scalars import parse_duration
from meshinject.gostring import go_string
from meshinject.inject.jsonmap import MAX_JSON_DEPTH, too_deep
from meshinject.quantity import QuantityError, parse_quantity

Check = Callable[[str], None]

_UINT = re.compile(r"[0-9]+")
_INTERFACE = re.compile(r"[a-zA-Z][a-zA-Z0-9_.\-]*")
_DNS_LABEL = re.compile(r"[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?")


def _go_quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _parse_uint(text: str, bits: int) -> int:
    """Go's strconv.ParseUint(text, 10, bits), with its error text."""
    if not _UINT.fullmatch(text):
        raise ValueError(f"strconv.ParseUint: parsing {_go_quote(text)}: invalid syntax")
    value = int(text)
    if value >= 1 << bits:
        raise ValueError(f"strconv.ParseUint: parsing {_go_quote(text)}: value out of range")
    return value


def _parse_port(text: str) -> int:
    try:
        return _parse_uint(text.strip(), 16)
    except ValueError as exc:  # Istio wraps this twice; once reads better
        raise ValueError(f"failed parsing port '{text}': {exc}") from None


def _port_list(name: str) -> Check:
    """Comma-separated ports (each trimmed); "" is no ports; an empty item is an error."""

    def check(text: str) -> None:
        if not text.strip():
            return
        for part in text.strip().split(","):
            try:
                _parse_port(part)
            except ValueError as exc:
                raise ValueError(f"{name} invalid: {exc}") from None

    return check


def _or_star(check: Check) -> Check:
    def star(text: str) -> None:
        if text != "*":
            check(text)

    return star


def _cidr_list(name: str) -> Check:
    """Comma-separated prefixes (`10.0.0.0/8`), no spaces, no bare addresses, no empty items."""

    def check(text: str) -> None:
        if not text:
            return
        for part in text.split(","):
            why = _prefix_problem(part)
            if why:
                raise ValueError(
                    f"{name} invalid: failed parsing cidr '{part}': "
                    f"netip.ParsePrefix({_go_quote(part)}): {why}"
                )

    return check


def _prefix_problem(text: str) -> str:
    """Why Go's netip.ParsePrefix rejects `text` ("" when it parses)."""
    address, slash, bits = text.partition("/")
    if not slash:
        return "no '/'"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"ParseAddr({_go_quote(address)}): not an IP address"
    if not re.fullmatch(r"0|[1-9][0-9]*", bits) or int(bits) > ip.max_prefixlen:
        return f"bad bits after slash: {_go_quote(bits)}"
    return ""


def _interception_mode(text: str) -> None:
    if text not in ("REDIRECT", "TPROXY", "NONE"):
        raise ValueError(f"interceptionMode invalid, use REDIRECT,TPROXY,NONE: {text}")


def _status_port(text: str) -> None:
    try:
        _parse_port(text)
    except ValueError as exc:
        raise ValueError(f"excludeInboundPorts invalid: {exc}") from None


def _uint32(text: str) -> None:
    _parse_uint(text, 32)


def _bool(text: str) -> None:
    if text not in (
        "1",
        "t",
        "T",
        "TRUE",
        "true",
        "True",
        "0",
        "f",
        "F",
        "FALSE",
        "false",
        "False",
    ):
        raise ValueError(f"strconv.ParseBool: parsing {_go_quote(text)}: invalid syntax")


def _quantity(text: str) -> None:
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise ValueError("value contains control characters")
    if text != text.strip():
        raise ValueError("quantities must match the regular expression (no spaces)")
    try:
        parse_quantity(text)
    except QuantityError as exc:
        raise ValueError(str(exc)) from None


def _interfaces(text: str) -> None:
    if not text:
        return
    for raw in text.split(","):
        name = raw.strip()
        if not name:
            raise ValueError("empty interface name")
        if len(name) > 15:
            raise ValueError(f"interface name {_go_quote(name)} too long (max 15 chars)")
        if not _INTERFACE.fullmatch(name):
            raise ValueError(f"interface name {_go_quote(name)} contains invalid characters")


def _proxy_address(address: str) -> None:
    """Istio's ValidateProxyAddress: `host:port`, a valid port, a DNS name or an IP."""
    host, sep, port = address.rpartition(":")
    if not sep or (host.count(":") and not (host.startswith("[") and host.endswith("]"))):
        raise ValueError(f"unable to split {_go_quote(address)}: missing port in address")
    host = host.removeprefix("[").removesuffix("]")
    if not re.fullmatch(r"[+-]?[0-9]+", port):
        raise ValueError(f"port ({port}) is not a number")
    if not 1 <= int(port) <= 65535:
        raise ValueError(f"port number {int(port)} must be in the range 1..65535")
    labels = host.split(".")
    if labels and labels[-1] == "":
        labels = labels[:-1]
    fqdn = (
        0 < len(host) <= 255
        and bool(labels)
        and not labels[-1].isdigit()
        and all(len(lb) <= 63 and _DNS_LABEL.fullmatch(lb) for lb in labels)
    )
    if not fqdn:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise ValueError(
                f"{_go_quote(host)} is not a valid hostname or an IP address"
            ) from None


def _proxy_config(text: str) -> None:
    """Applied over the default ProxyConfig, then Istio's proxy-config checks."""
    # pydantic is imported here, not at the top: most runs never see this annotation and
    # importing pydantic costs more than injecting one workload.
    from pydantic import ValidationError

    from meshinject.config.mesh_model import ProxyConfigModel
    from meshinject.errors import MeshInjectError
    from meshinject.yamltext import load_document

    try:
        data = load_document(text).data
    except MeshInjectError as exc:
        raise ValueError(f"failed to convert to apply proxy config: {exc.message}") from None
    if data is None:
        return
    if not isinstance(data, dict):
        raise ValueError("failed to convert to apply proxy config: not a ProxyConfig mapping")
    try:
        model = ProxyConfigModel.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(
            f"failed to convert to apply proxy config: {where}: {first['msg']}"
        ) from None
    for field, what in (
        ("configPath", "config path must be set"),
        ("binaryPath", "binary path must be set"),
        ("discoveryAddress", "discovery address must be set to the proxy discovery service"),
    ):
        if getattr(model, field) == "":
            raise ValueError(what)
    if model.drainDuration is not None:
        seconds, nanos = parse_duration(model.drainDuration)
        if seconds * 10**9 + nanos < 10**6:
            raise ValueError("invalid drain duration: duration must be greater than 1ms")
        if nanos:
            raise ValueError("drain time only supports durations to seconds precision")
    addresses = {
        "invalid discovery address: ": model.discoveryAddress,
        f"invalid statsd udp address {_go_quote(model.statsdUdpAddress or '')}: ": (
            model.statsdUdpAddress
        ),
        "invalid envoy metrics service address: ": (model.envoyMetricsService or {}).get("address"),
    }
    for prefix, address in addresses.items():
        if address:
            try:
                _proxy_address(str(address))
            except ValueError as exc:
                raise ValueError(f"{prefix}{exc}") from None


#: Every annotation Istio validates before injecting, with Istio's rule (validate.go).
#: Annotations not listed here are not validated by Istio either (e.g. includeOutboundPorts,
#: rewriteAppHTTPProbers): they take effect or fall back as Istio's template or code does.
CHECKS: dict[str, Check] = {
    "sidecar.istio.io/interceptionMode": _interception_mode,
    "status.sidecar.istio.io/port": _status_port,
    "readiness.status.sidecar.istio.io/initialDelaySeconds": _uint32,
    "readiness.status.sidecar.istio.io/periodSeconds": _uint32,
    "readiness.status.sidecar.istio.io/failureThreshold": _uint32,
    "traffic.sidecar.istio.io/includeOutboundIPRanges": _or_star(_cidr_list("includeIPRanges")),
    "traffic.sidecar.istio.io/excludeOutboundIPRanges": _cidr_list("excludeIPRanges"),
    "traffic.sidecar.istio.io/includeInboundPorts": _or_star(_port_list("includeInboundPorts")),
    "traffic.sidecar.istio.io/excludeInboundPorts": _port_list("excludeInboundPorts"),
    "traffic.sidecar.istio.io/excludeOutboundPorts": _port_list("excludeOutboundPorts"),
    "traffic.sidecar.istio.io/excludeInterfaces": _interfaces,
    "traffic.sidecar.istio.io/kubevirtInterfaces": _interfaces,
    "istio.io/reroute-virtual-interfaces": _interfaces,
    "prometheus.istio.io/merge-metrics": _bool,
    "proxy.istio.io/config": _proxy_config,
    "sidecar.istio.io/proxyCPU": _quantity,
    "sidecar.istio.io/proxyMemory": _quantity,
    "sidecar.istio.io/proxyCPULimit": _quantity,
    "sidecar.istio.io/proxyMemoryLimit": _quantity,
}


# Annotations injection reads as JSON (or YAML): bounded nesting, like YAML documents.
NESTED = (
    "proxy.istio.io/config",
    "proxy.istio.io/overrides",
    "sidecar.istio.io/status",
    "sidecar.istio.io/userVolume",
    "sidecar.istio.io/userVolumeMount",
    "apm.datadoghq.com/env",
)


def annotation_problems(annotations: Mapping[str, object]) -> list[tuple[str, str]]:
    """Return (annotation name, message) for every invalid injection annotation."""
    problems = []
    for name in NESTED:
        value = annotations.get(name)
        if isinstance(value, str) and too_deep(value):
            problems.append(
                (name, f"annotation '{name}' nests more than {MAX_JSON_DEPTH} levels deep")
            )
        elif name.startswith("sidecar.istio.io/userVolume") and isinstance(value, str):
            try:
                json.loads(value)
            except json.JSONDecodeError as exc:
                problems.append((name, f"annotation '{name}' is not valid JSON: {exc.msg}"))
    if problems:
        return problems
    for name, check in CHECKS.items():
        if name not in annotations:
            continue
        value = annotations[name]
        if not isinstance(value, str):
            spelled = go_string(value)
            problems.append(
                (name, f"annotation '{name}' must be a string; quote the value: \"{spelled}\"")
            )
            continue
        try:
            check(value)
        except ValueError as exc:
            problems.append((name, f"invalid value '{value}' for annotation '{name}': {exc}"))
    return problems
