"""Injecting a workload of a known shape by filling in its strings.

A GitOps stream holds many workloads built from one template: their documents differ
only in a few strings (name, namespace, `app`/`version` labels, images, environment
values, mount paths, ConfigMap names, the service account). Injection copies those
strings to where Istio's templates put them and decides nothing on them, so the
injected document of one workload is the injected document of another of the same shape
with the strings exchanged. This cache keeps, per shape, the injected text and the
reports with those strings masked (`masked.mask`), and gives a later document of the
shape its own strings filled into them, without injecting it.

Why the filled text and reports are what injecting the document would give:

1. Which strings, and where (checked per shape). Only strings at these places are
   masked (`_opaque_path`): `metadata.name` and `metadata.namespace` of the workload, the
   values of the `app`, `version` and `app.kubernetes.io/*` labels (of the workload, its
   selector and its pod template), `serviceAccountName`, and of containers not named like
   Istio's own: `image`, env `value`, `volumeMounts[].mountPath`, and the names of
   ConfigMap, Secret and claim volumes. The masked text is parsed once (`shape_of`), and
   the shape is refused if a placeholder sits anywhere else (a key, a container name, an
   annotation, a port...): such a string might steer injection.
2. What injection does with them (the key covers everything else). Every other byte of
   the document is the key, so everything injection decides on (kinds, annotations,
   other labels, container names, ports, probes, amounts, hostNetwork, the pod template's
   own namespace) is the same for every document of the shape. The strings above are only
   copied: into `ISTIO_META_WORKLOAD_NAME`, `ISTIO_META_OWNER`, the canonical name and
   revision labels (cut at 63 characters: masked values are at most 63 characters and
   end with a letter or digit, so the cut never touches them), the `istio.<account>`
   secret name, and into the reports. The decisions that read them are off for a cached
   run: `--mode webhook` (namespace labels, selectors, tags), namespace information
   (OpenShift UIDs), user templates (`custom_templates`: a Go template may read any
   field), OpenTelemetry resource attributes (they parse the image tag), Pods (their
   owner's name is cut at a hash) and documents injected before (re-injection compares
   with the previous injection). Every filled value must be a string (a value that reads
   as a number or boolean in one document is not the same shape).
3. Two witnesses per place. A document is filled in only where its strings differ from
   the first document's in places a second document already confirmed: one with another
   string there that, injected for real, gave the same masked text and masked reports. A
   string that steered anything, or that also occurs in text injection writes on its own
   (the `istio-proxy` container's name when a service account is called `istio-proxy`),
   shows up as a difference and its place stays unconfirmed; strings every workload of
   the shape shares (`app.kubernetes.io/part-of: shop`) need no confirmation, since they
   are the first document's.
4. The bytes. Masking is invertible (`masked`, argument 1): filling a document's strings
   into the masked text of its shape gives its own text back, and into the masked
   injected text gives the injected text with its strings, except where the splice would
   have written a scalar in another style for them (a version `1e3` is quoted, `web` is
   not). So, as for `edit_cache`, the emitter's view (`style_of`) of every scalar of the
   injected text that holds a string is recorded for the first document and compared for
   each later one; a difference means a real injection.

tests/inject/test_document_cache.py checks cached == injected, byte for byte and report
for report, on generated workloads and settings.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from meshinject.inject.kinds import WORKLOAD_KINDS, pod_paths
from meshinject.yamltext import masked as mk
from meshinject.yamltext.edit_cache import Style, style_of

if TYPE_CHECKING:
    from meshinject.inject.document import InjectionRequest, WorkloadReport

MAX_SHAPES = 256

_ISTIO_CONTAINERS = frozenset({"istio-proxy", "istio-init", "istio-validation", "enable-core-dump"})
_LABELS = frozenset({"app", "version"})
_VALUE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._/:-]*[A-Za-z0-9])?")
_MAX_NAME = 63  # a label value's limit; Istio cuts the canonical name there
_STATUS = "sidecar.istio.io/status"


@dataclass(frozen=True, slots=True)
class Injected:
    """A document's injection, masked: the text and what was said of its workloads."""

    text: str
    reports: tuple[WorkloadReport, ...]


@dataclass(slots=True)
class _Shape:
    paths: tuple[tuple[str | int, ...], ...]  # where the placeholders are, in the data
    injected: Injected  # the first document's injection, masked
    first: dict[str, str]  # the first document's strings
    # Placeholders a second document with another string there confirmed (point 3);
    # until then a later document must hold the first document's string in them.
    varying: set[str] = field(default_factory=set)
    # The injected text's scalars that hold placeholders, and the emitter's view of each
    # as the first document filled it (`edit_cache.style_of`, point 4).
    scalars: tuple[str, ...] = ()
    styles: tuple[Style, ...] = ()


# Keyed by the run (its request: another run may inject the same text otherwise) and the
# masked text.
_SHAPES: OrderedDict[tuple[int, str], _Shape | None] = OrderedDict()


def clear_cache() -> None:
    _SHAPES.clear()
    _RUNS.clear()


@dataclass(frozen=True, slots=True)
class Lookup:
    """A document's place in the cache: its masked text and strings, and the injection
    when its shape is known (`injected`, the strings filled in)."""

    key: tuple[int, str]  # the run's request and the masked text
    fill: dict[str, str]
    injected: Injected | None


def lookup(text: str, data: Any, request: InjectionRequest) -> Lookup | None:
    """None when the document or the run is not one the cache serves (see point 2)."""
    if not _cacheable_run(request) or not isinstance(data, dict) or _STATUS in text:
        return None
    kind = data.get("kind")
    if kind.__class__ is not str or kind not in WORKLOAD_KINDS or kind == "Pod":
        return None
    values = _opaque_values(data, kind)
    if not values:
        return None
    masking = mk.mask(text, values)
    if masking is None:
        return None
    masked, fill = masking
    key = (id(request), masked)
    if key not in _SHAPES:
        return Lookup(key, fill, None)
    _SHAPES.move_to_end(key)
    shape = _SHAPES[key]
    if shape is None or not _strings_at(data, shape.paths):
        return None
    if any(p not in shape.varying and fill[p] != v for p, v in shape.first.items()):
        return Lookup(key, fill, None)  # a string no witness varied: injected for real
    if _style_differs(shape, fill):
        return Lookup(key, fill, None)  # a scalar written in another style: injected for real
    return Lookup(key, fill, _unmasked(shape.injected, fill))


def remember(found: Lookup, text: str, reports: Sequence[WorkloadReport]) -> None:
    """Record the injection of the document `found` was looked up for (point 3)."""
    if found.injected is not None:
        return
    injected = _masked(text, reports, found.fill)
    shape = _SHAPES.get(found.key)
    if shape is None:
        if found.key in _SHAPES or injected is None:
            _SHAPES[found.key] = None
            return
        _SHAPES[found.key] = _first_witness(found, injected)
        if len(_SHAPES) > MAX_SHAPES:
            _SHAPES.popitem(last=False)
        return
    if injected == shape.injected:
        shape.varying.update(p for p, v in shape.first.items() if found.fill[p] != v)
    elif not _style_differs(shape, found.fill) and any(
        found.fill[p] != shape.first[p] for p in shape.varying
    ):
        # Another injection although only confirmed places (and maybe unconfirmed ones)
        # differ and every scalar keeps its style: never cached, to be safe.
        _SHAPES[found.key] = None
    # Otherwise an unconfirmed place steers (or collides with text injection writes
    # itself): it stays unconfirmed, and only documents with the first string there are
    # filled in.


def _first_witness(found: Lookup, injected: Injected) -> _Shape | None:
    paths = _placeholder_paths(found.key[1])
    written = mk.shape_of(injected.text)
    if paths is None or written is None:
        return None
    scalars = tuple(slot.masked for slot in written.slots)
    styles = tuple(style_of(mk.unmask(m, found.fill)) for m in scalars)
    return _Shape(paths, injected, found.fill, set(), scalars, styles)


def _style_differs(shape: _Shape, fill: dict[str, str]) -> bool:
    return any(
        style_of(mk.unmask(scalar, fill)) != style
        for scalar, style in zip(shape.scalars, shape.styles, strict=True)
    )


_RUNS: dict[int, tuple[InjectionRequest, bool]] = {}  # the request kept: its id stays its own


def _cacheable_run(request: InjectionRequest) -> bool:
    """The run decides nothing on the masked strings (point 2); worked out once per request."""
    known = _RUNS.get(id(request))
    if known is not None and known[0] is request:
        return known[1]
    if len(_RUNS) > 64:  # ids of requests no longer kept may come back: forget their shapes
        clear_cache()
    answer = (
        request.policy.mode == "manual"
        and not request.namespaces
        and _plain_settings(request.settings.custom_templates, request.settings.mesh)
        and _plain_revisions(request.settings_for_revision)
    )
    _RUNS[id(request)] = (request, answer)
    return answer


def _plain_revisions(settings_for_revision: Any) -> bool:
    if settings_for_revision is None:
        return True
    from meshinject.request import RevisionSettings

    if not isinstance(settings_for_revision, RevisionSettings):
        return False
    return all(
        _plain_settings(s.custom_templates, s.mesh) for s in settings_for_revision.every_settings()
    )


def _plain_settings(templates: Any, mesh: Any) -> bool:
    """No user template (a Go template may read any field) and no OpenTelemetry provider
    (its resource attributes parse the image's tag)."""
    providers = mesh.get("extensionProviders") if isinstance(mesh, dict) else None
    return not templates and not any(
        isinstance(p, dict) and p.get("opentelemetry") for p in providers or []
    )


def _opaque_values(data: dict[str, Any], kind: str) -> list[str]:
    """The strings at the places of point 1, in document order."""
    found: list[str] = []
    meta = data.get("metadata")
    if isinstance(meta, dict):
        _name(meta.get("name"), found)
        _name(meta.get("namespace"), found)
        _labels(meta.get("labels"), found)
    spec = data.get("spec")
    if isinstance(spec, dict):
        selector = spec.get("selector")
        if isinstance(selector, dict):
            _labels(selector.get("matchLabels"), found)
    meta_path, spec_path = pod_paths(kind)
    pod_meta = _at(data, meta_path)
    if isinstance(pod_meta, dict):
        _labels(pod_meta.get("labels"), found)
    pod_spec = _at(data, spec_path)
    if isinstance(pod_spec, dict):
        _name(pod_spec.get("serviceAccountName"), found)
        for field in ("initContainers", "containers"):
            for container in _dicts(pod_spec.get(field)):
                if not _app_container(container):
                    continue
                _value(container.get("image"), found)
                for variable in _dicts(container.get("env")):
                    value = variable.get("value")
                    if value.__class__ is str:
                        found.append(value)  # its words (`-Xmx512m` gives `Xmx512m`)
                for mount in _dicts(container.get("volumeMounts")):
                    _value(mount.get("mountPath"), found)
        for volume in _dicts(pod_spec.get("volumes")):
            for source, key in _VOLUME_NAMES:
                inner = volume.get(source)
                if isinstance(inner, dict):
                    _value(inner.get(key), found)
    return mk.safe_values(found)


_VOLUME_NAMES = (
    ("configMap", "name"),
    ("secret", "secretName"),
    ("persistentVolumeClaim", "claimName"),
)


def _name(value: Any, found: list[str]) -> None:
    if value.__class__ is str and len(value) <= _MAX_NAME and _VALUE.fullmatch(value):
        found.append(value)


def _value(value: Any, found: list[str]) -> None:
    if value.__class__ is str and _VALUE.fullmatch(value.strip("/")):
        found.append(value.strip("/"))


def _labels(labels: Any, found: list[str]) -> None:
    if isinstance(labels, dict):
        for key, value in labels.items():
            if key in _LABELS or key.startswith("app.kubernetes.io/"):
                _name(value, found)


def _app_container(container: dict[str, Any]) -> bool:
    """A container with a name (a string) that is not one of Istio's own."""
    name = container.get("name")
    return name.__class__ is str and name not in _ISTIO_CONTAINERS


def _dicts(items: Any) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _at(data: Any, path: Sequence[str | int]) -> Any:
    for step in path:
        if isinstance(data, dict) and isinstance(step, str):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        else:
            return None
    return data


def _placeholder_paths(masked: str) -> tuple[tuple[str | int, ...], ...] | None:
    """Where the placeholders of a masked document are; None if one is not at a place
    of point 1 (or the masked text is not a shape `masked` can fill)."""
    shape = mk.shape_of(masked)
    if shape is None:
        return None
    data = shape.data
    kind = data.get("kind") if isinstance(data, dict) else None
    if not isinstance(kind, str) or kind not in WORKLOAD_KINDS:
        return None
    meta_path, spec_path = pod_paths(kind)
    paths = []
    for slot in shape.slots:
        if slot.key or not _opaque_path(data, slot.path, meta_path, spec_path):
            return None
        paths.append(slot.path)
    return tuple(paths)


def _opaque_path(
    data: Any,
    path: tuple[str | int, ...],
    meta_path: tuple[str, ...],
    spec_path: tuple[str, ...],
) -> bool:
    if path in (("metadata", "name"), ("metadata", "namespace")):
        return True
    for labels_at in (
        ("metadata", "labels"),
        ("spec", "selector", "matchLabels"),
        (*meta_path, "labels"),
    ):
        if len(path) == len(labels_at) + 1 and path[:-1] == labels_at:
            key = path[-1]
            return isinstance(key, str) and (key in _LABELS or key.startswith("app.kubernetes.io/"))
    n = len(spec_path)
    if path[:n] != spec_path:
        return False
    rest = path[n:]
    if rest == ("serviceAccountName",):
        return True
    if len(rest) == 4 and rest[0] == "volumes":
        return (rest[2], rest[3]) in _VOLUME_NAMES
    if len(rest) >= 3 and rest[0] in ("initContainers", "containers"):
        container = _at(data, (*spec_path, rest[0], rest[1]))
        if not isinstance(container, dict) or not _app_container(container):
            return False
        tail = rest[2:]
        return (
            tail == ("image",)
            or (len(tail) == 3 and tail[0] == "env" and tail[2] == "value")
            or (len(tail) == 3 and tail[0] == "volumeMounts" and tail[2] == "mountPath")
        )
    return False


def _strings_at(data: Any, paths: Sequence[tuple[str | int, ...]]) -> bool:
    """Every slot of the shape holds a string in this document, and a name or label a
    valid one (at most 63 characters, a letter or digit at both ends: point 2)."""
    for path in paths:
        value = _at(data, path)
        if value.__class__ is not str:
            return False
        name_like = path[-1] in ("name", "namespace") or (
            len(path) > 1 and path[-2] in ("labels", "matchLabels")
        )
        if name_like and (len(value) > _MAX_NAME or not _VALUE.fullmatch(value)):
            return False
    return True


def _masked(text: str, reports: Sequence[WorkloadReport], fill: dict[str, str]) -> Injected | None:
    masked_text = mk.mask_like(text, fill)
    if masked_text is None:
        return None
    out = []
    for report in reports:
        if report.error is not None or report.item is not None:
            return None
        strings = _report_strings(report, lambda s: mk.mask_like(s, fill))
        if strings is None:
            return None
        out.append(strings)
    return Injected(masked_text, tuple(out))


def _unmasked(injected: Injected, fill: dict[str, str]) -> Injected:
    def put(text: str) -> str:
        return mk.unmask(text, fill)

    reports = [_report_strings(r, put) for r in injected.reports]
    return Injected(put(injected.text), tuple(r for r in reports if r is not None))


def _report_strings(report: WorkloadReport, convert: Any) -> WorkloadReport | None:
    """A copy of `report` with `convert` applied to each of its strings (None if any
    conversion gives None)."""
    fields = {
        "name": report.name,
        "namespace": report.namespace,
        "reason": report.reason,
        "rule": report.rule,
        "revision": report.revision,
    }
    converted: dict[str, Any] = {}
    for key, value in fields.items():
        converted[key] = convert(value)
        if converted[key] is None:
            return None
    templates = [convert(t) for t in report.templates]
    warnings = [convert(w) for w in report.warnings]
    if None in templates or None in warnings:
        return None
    return replace(report, **converted, templates=tuple(templates), warnings=warnings)
