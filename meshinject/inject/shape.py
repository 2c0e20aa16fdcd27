"""The structure injection relies on: located messages instead of guesses.

Kubernetes would reject a pod whose fields have the wrong YAML type; injection reads and
rewrites those fields, so it checks them first and says what is wrong and where.
"""

from __future__ import annotations

from typing import Any

from meshinject.errors import InjectionError
from meshinject.gostring import go_string
from meshinject.inject.kinds import get_path, pod_paths
from meshinject.quantity import QuantityError, parse_quantity
from meshinject.yamltypes import yaml_type_name


def check_kind(data: dict[str, Any], path: tuple[str | int, ...]) -> None:
    """A Kubernetes object (it has an apiVersion) must say what it is, as a string."""
    kind = data.get("kind")
    if kind is None and "apiVersion" in data:
        raise InjectionError(
            "kind is missing: every Kubernetes object needs one (for example `kind: Deployment`)",
            data_path=(*path, "apiVersion"),
        )
    if kind is not None and not isinstance(kind, str):
        raise InjectionError(
            f"kind must be a string such as Deployment, not {yaml_type_name(kind)}",
            data_path=(*path, "kind"),
        )


def check_shape(doc: dict[str, Any], kind: str) -> None:
    """The structure injection relies on, with messages that say what is wrong and where."""
    meta_path, spec_path = pod_paths(kind)
    top_meta = doc.get("metadata")
    if top_meta is not None and not isinstance(top_meta, dict):
        raise _shape_error(("metadata",), "must be a mapping", top_meta)
    for key, expected in _METADATA_SHAPE.items():
        _check_field(top_meta or {}, ("metadata", key), expected)
    if kind != "Pod" and not isinstance(get_path(doc, spec_path[:-1]), dict):
        where = ".".join(spec_path[:-1])
        raise InjectionError(
            f"{kind} has no pod template: {where} is required",
            data_path=_existing_prefix(doc, spec_path[:-1]),
        )
    spec = get_path(doc, spec_path)
    if not isinstance(spec, dict):
        raise InjectionError(
            f"{kind} has no pod spec: {'.'.join(spec_path)} must be a mapping",
            data_path=_existing_prefix(doc, spec_path),
        )
    for key, expected in _POD_SPEC_SHAPE.items():
        _check_field(spec, (*spec_path, key), expected)
    for field_name in ("containers", "initContainers"):
        containers = spec.get(field_name)
        if containers is None:
            continue
        for index, container in enumerate(containers):
            at: tuple[str | int, ...] = (*spec_path, field_name, index)
            if not isinstance(container, dict):
                raise _shape_error(at, "must be a container (a mapping)", container)
            if not isinstance(container.get("name"), str) or not container["name"]:
                raise InjectionError(
                    f"{_dotted(at)} has no name: every container needs `name`", data_path=at
                )
            for key, expected in _CONTAINER_SHAPE.items():
                _check_field(container, (*at, key), expected)
            _check_resources(container.get("resources") or {}, (*at, "resources"))
            _check_probes(container, at)
            for port_index, port in enumerate(container.get("ports") or []):
                number = port.get("containerPort")
                port_at = (*at, "ports", port_index, "containerPort")
                if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
                    raise _shape_error(port_at, "must be a port number", number)
                _check_port_range(number, port_at)
    meta = get_path(doc, meta_path)
    if meta is not None and not isinstance(meta, dict):
        raise _shape_error(meta_path, "must be a mapping", meta)
    for key, expected in _METADATA_SHAPE.items():
        _check_field(meta or {}, (*meta_path, key), expected)
    _check_label_values(meta or {}, meta_path)


def _check_port_range(number: Any, where: tuple[str | int, ...]) -> None:
    if isinstance(number, int) and not isinstance(number, bool) and not 1 <= number <= 65535:
        raise InjectionError(
            f"{_dotted(where)} must be a port number between 1 and 65535, not {number}",
            data_path=where,
        )


def _check_label_values(meta: dict[str, Any], meta_path: tuple[str | int, ...]) -> None:
    """Label values must be strings: Kubernetes rejects others, and injection copies
    them (canonical name and revision), where Python's spelling (`True`, `1.1` for
    `1.10`) would not be the user's."""
    labels = meta.get("labels")
    for key, value in (labels or {}).items() if isinstance(labels, dict) else ():
        if value is not None and not isinstance(value, str):
            where = (*meta_path, "labels", key)
            raise InjectionError(
                f'{_dotted(where)} must be a string; quote it: "{go_string(value)}"',
                data_path=where,
            )


# Fields of a pod spec and of a container that injection reads, and the YAML type each must
# have ("list of mappings" = a list whose items are all mappings). Kubernetes would reject
# anything else, so we stop with a located message instead of guessing.
_METADATA_SHAPE = {
    "labels": "mapping",
    "annotations": "mapping",
    "ownerReferences": "list of mappings",
}
_POD_SPEC_SHAPE = {
    "containers": "list of containers",
    "initContainers": "list of containers",
    "volumes": "list of mappings",
    "imagePullSecrets": "list",
    "securityContext": "mapping",
}
_CONTAINER_SHAPE = {
    "ports": "list of mappings",
    "env": "list of mappings",
    "volumeMounts": "list of mappings",
    "readinessProbe": "mapping",
    "livenessProbe": "mapping",
    "startupProbe": "mapping",
    "securityContext": "mapping",
    "resources": "mapping",
    "lifecycle": "mapping",
}


def _check_probes(container: dict[str, Any], at: tuple[str | int, ...]) -> None:
    """Probe actions injection rewrites: mappings, with a port number or name."""
    probes: list[tuple[tuple[str | int, ...], Any]] = [
        ((*at, name), container.get(name)) for name in _PROBES
    ]
    lifecycle = container.get("lifecycle")
    if isinstance(lifecycle, dict):
        probes += [((*at, "lifecycle", hook), lifecycle.get(hook)) for hook in _HOOKS]
    for path, probe in probes:
        if not isinstance(probe, dict):
            continue
        for action in ("httpGet", "tcpSocket", "grpc"):
            _check_field(probe, (*path, action), "mapping")
            port = (probe.get(action) or {}).get("port")
            if port is not None and (isinstance(port, bool) or not isinstance(port, int | str)):
                raise _shape_error(
                    (*path, action, "port"), "must be a port number or a port name", port
                )
            _check_port_range(port, (*path, action, "port"))


_PROBES = ("readinessProbe", "livenessProbe", "startupProbe")
_HOOKS = ("postStart", "preStop")


def _check_resources(resources: dict[str, Any], path: tuple[str | int, ...]) -> None:
    """requests and limits must be mappings of valid quantities (injection rewrites them)."""
    for section in ("requests", "limits"):
        values = resources.get(section)
        if values is None:
            continue
        if not isinstance(values, dict):
            raise _shape_error((*path, section), "must be a mapping", values)
        for name, quantity in values.items():
            where = (*path, section, name)
            if isinstance(quantity, bool) or not isinstance(quantity, str | int | float):
                raise _shape_error(where, "must be a quantity such as 100m or 1Gi", quantity)
            try:
                parse_quantity(str(quantity))
            except QuantityError as exc:
                raise InjectionError(f"{_dotted(where)}: {exc}", data_path=where) from None


def _check_field(parent: dict[str, Any], path: tuple[str | int, ...], expected: str) -> None:
    value = parent.get(str(path[-1]))
    if value is None:
        return
    if expected == "mapping":
        if not isinstance(value, dict):
            raise _shape_error(path, "must be a mapping", value)
        return
    if not isinstance(value, list):
        raise _shape_error(path, f"must be a {expected}", value)
    if expected.startswith("list of "):
        what = "a container (a mapping)" if expected == "list of containers" else "a mapping"
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise _shape_error((*path, index), f"must be {what}", item)


def _shape_error(path: tuple[str | int, ...], problem: str, value: Any) -> InjectionError:
    return InjectionError(f"{_dotted(path)} {problem}, not {yaml_type_name(value)}", data_path=path)


def _dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def _existing_prefix(doc: Any, path: tuple[str, ...]) -> tuple[str, ...]:
    """The longest prefix of `path` present in `doc` (where to point a "missing" error)."""
    found: tuple[str, ...] = ()
    for key in path:
        if not isinstance(doc, dict) or key not in doc:
            break
        doc = doc[key]
        found = (*found, key)
    return found
