"""The `sidecar.istio.io/status` annotation: what an injection added, and undoing it.

Istio records the names of the containers, init containers, volumes and pull secrets a
template added. `unapply` removes exactly those and everything else an injection adds, so
re-injection (and `meshinject uninject`) starts again from the user's own pod. How the
parts the status does not list are recognised without recording anything new (the status
JSON and env vars must stay exactly Istio's) is explained in `meshinject.uninject`.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from meshinject.datacopy import clone
from meshinject.errors import InjectionError
from meshinject.inject import prometheus
from meshinject.inject.jsonmap import json_mapping
from meshinject.inject.probes import PROBES, restore_probes

STATUS = "sidecar.istio.io/status"
OVERRIDES = "proxy.istio.io/overrides"
PROXY = "istio-proxy"


@dataclass(frozen=True)
class InjectionStatus:
    present: bool = False
    readable: bool = True  # False: present but not a JSON object
    init_containers: tuple[str, ...] = ()
    containers: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()
    image_pull_secrets: tuple[str, ...] = ()
    revision: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: object) -> InjectionStatus:
        if not isinstance(text, str):
            return cls()
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            return cls(present=True, readable=False)
        if not isinstance(data, dict):
            return cls(present=True, readable=False)

        def names(key: str) -> tuple[str, ...]:
            value = data.get(key)
            return tuple(str(v) for v in value) if isinstance(value, list) else ()

        return cls(
            present=True,
            init_containers=names("initContainers"),
            containers=names("containers"),
            volumes=names("volumes"),
            image_pull_secrets=names("imagePullSecrets"),
            revision=str(data.get("revision") or ""),
        )

    @classmethod
    def from_template(cls, template_pod: dict[str, Any], revision: str) -> InjectionStatus:
        spec = template_pod.get("spec") or {}

        def names(key: str) -> tuple[str, ...]:
            return tuple(str(i.get("name")) for i in spec.get(key) or [] if isinstance(i, dict))

        return cls(
            present=True,
            init_containers=names("initContainers"),
            containers=names("containers"),
            volumes=names("volumes"),
            image_pull_secrets=names("imagePullSecrets"),
            revision=revision or "default",
        )

    def render(self) -> str:
        def listed(items: tuple[str, ...]) -> list[str] | None:
            return list(items) if items else None

        return json.dumps(
            {
                "initContainers": listed(self.init_containers),
                "containers": listed(self.containers),
                "volumes": listed(self.volumes),
                "imagePullSecrets": listed(self.image_pull_secrets),
                "revision": self.revision,
            },
            separators=(",", ":"),
        )


def find_sidecar(spec: dict[str, Any]) -> dict[str, Any] | None:
    for key in ("containers", "initContainers"):
        for c in spec.get(key) or []:
            if isinstance(c, dict) and c.get("name") == PROXY:
                return c
    return None


def env_value(container: dict[str, Any] | None, name: str) -> str | None:
    for env in (container or {}).get("env") or []:
        if isinstance(env, dict) and env.get("name") == name:
            value = env.get("value")
            return value if isinstance(value, str) else None
    return None


# What an injection adds to the pod's labels and annotations, in the order it adds them.
# Added keys are appended, so they form the tail of the mapping in this order; see
# `_trailing_additions`.
TLS_MODE = "security.istio.io/tlsMode"
LABEL_ORDER = (
    TLS_MODE,
    "networking.istio.io/tunnel",
    "service.istio.io/canonical-name",
    "service.istio.io/canonical-revision",
    "topology.istio.io/network",
)
ANNOTATION_ORDER = (
    "istio.io/rev",
    "kubectl.kubernetes.io/default-logs-container",
    "kubectl.kubernetes.io/default-container",
    "k8s.v1.cni.cncf.io/networks",
    "sidecar.istio.io/interceptionMode",
    "traffic.sidecar.istio.io/includeOutboundIPRanges",
    "traffic.sidecar.istio.io/excludeOutboundIPRanges",
    "traffic.sidecar.istio.io/includeInboundPorts",
    "traffic.sidecar.istio.io/excludeInboundPorts",
    "traffic.sidecar.istio.io/includeOutboundPorts",
    "traffic.sidecar.istio.io/excludeOutboundPorts",
    "istio.io/reroute-virtual-interfaces",
    "traffic.sidecar.istio.io/kubevirtInterfaces",
    "traffic.sidecar.istio.io/excludeInterfaces",
    OVERRIDES,
    prometheus.PORT,
    prometheus.PATH,
    prometheus.SCRAPE,
    STATUS,
)


def _check_probes_restored(spec: dict[str, Any]) -> None:
    """Refuse to leave an app probe pointing at the agent's health port: its original was
    not recorded (ISTIO_KUBE_APP_PROBERS deleted or damaged), and without the sidecar
    nothing would answer it, so the pod would never become ready."""
    for key in ("containers", "initContainers"):
        for container in spec.get(key) or []:
            if not isinstance(container, dict) or container.get("name") == PROXY:
                continue
            for name, _ in PROBES:
                probe = container.get(name)
                action = probe.get("httpGet") if isinstance(probe, dict) else None
                path = action.get("path") if isinstance(action, dict) else None
                if isinstance(path, str) and path.startswith(("/app-health/", "/app-lifecycle/")):
                    raise InjectionError(
                        f"container {container.get('name')!r}: its {name} was rewritten by "
                        "injection and the original is not recorded in ISTIO_KUBE_APP_PROBERS "
                        "(deleted or damaged); cannot restore it",
                        data_path=("metadata", "annotations", STATUS),
                    )


def _trailing_additions(
    mapping: dict[str, Any], order: tuple[str, ...], ours: Any, always: frozenset[str] = frozenset()
) -> set[str]:
    """The keys of `mapping` an injection appended: its tail, read backwards while every
    key is one injection writes (`ours(key, value)`) in strictly decreasing `order`.

    A user's key of the same name sits before that tail (injection only appends), unless
    it was the user's last key and in order: then both readings inject to the same pod.
    Keys in `always` are injection's wherever they are and do not break the tail.
    """
    rank = {key: i for i, key in enumerate(order)}
    found = {k for k in mapping if k in always}
    last = len(order)
    for key in reversed(list(mapping)):
        if key in always:
            continue
        r = rank.get(key)
        if r is None or r >= last or not ours(key, mapping[key]):
            break
        found.add(key)
        last = r
    return found


def _canonical(labels: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if labels.get(key):
            return str(labels[key])
    return None


def unapply(pod: dict[str, Any], *, injected_annotations: tuple[str, ...] = ()) -> dict[str, Any]:
    """Remove what a previous injection added (per its status annotation); copy of `pod`.

    `injected_annotations` are the config's extra annotations (written after the status).
    A pod without a status annotation is returned as it is.
    """
    meta = pod.get("metadata") or {}
    annotations = meta.get("annotations") or {}
    status = InjectionStatus.parse(annotations.get(STATUS))
    if not status.present:
        return pod
    if not status.readable:
        raise InjectionError(
            f"{STATUS} is not the JSON object injection writes, so what injection added "
            "cannot be told: fix the annotation (or remove the sidecar by hand)",
            data_path=("metadata", "annotations", STATUS),
        )
    out = clone(pod)
    spec = out.setdefault("spec", {})
    sidecar = find_sidecar(spec)
    restore_probes(spec, env_value(sidecar, "ISTIO_KUBE_APP_PROBERS"))
    _check_probes_restored(spec)
    # Istio records all three fields, "" for the ones the pod did not set.
    recorded = {k: v for k, v in json_mapping(env_value(sidecar, prometheus.ENV)).items() if v}
    targets = recorded.pop("targets", None)
    if isinstance(targets, list):  # port and path were the first target's: not the pod's
        recorded.pop("port", None)
        recorded.pop("path", None)
    removals = {
        "containers": status.containers,
        "initContainers": status.init_containers,
        "volumes": status.volumes,
        "imagePullSecrets": status.image_pull_secrets,
    }
    claimed_apps = _app_containers(sidecar, annotations)
    removed: dict[str, set[str]] = {}
    for key, names in removals.items():
        if key in spec and isinstance(spec[key], list):
            kept = [i for i in spec[key] if not (isinstance(i, dict) and i.get("name") in names)]
            if len(kept) != len(spec[key]):
                removed[key] = {str(i.get("name")) for i in spec[key] if i not in kept}
                spec[key] = kept
                if not kept:  # only a list injection emptied goes (a user's `[]` stays)
                    del spec[key]
    _restore_overridden(spec, json_mapping(annotations.get(OVERRIDES)))
    _keep_order(spec, pod.get("spec"))
    _check_claims(spec, removed, claimed_apps)
    app = [str(c.get("name")) for c in spec.get("containers") or [] if isinstance(c, dict)]
    out_meta = out.setdefault("metadata", {})
    ann = dict(out_meta.get("annotations") or {})
    labels = dict(out_meta["labels"]) if isinstance(out_meta.get("labels"), dict) else None

    prometheus.restore(ann, recorded)

    def our_annotation(key: str, value: Any) -> bool:
        if key in prometheus.FIELDS:
            return prometheus.added_by_merge(key, value, recorded)
        if key == "istio.io/rev":
            return not status.revision or value == status.revision
        if key.startswith("kubectl.kubernetes.io/default"):
            return bool(app) and value == app[0]
        return True

    order = ANNOTATION_ORDER + tuple(k for k in injected_annotations if k not in ANNOTATION_ORDER)
    # Injection writes the overrides as the JSON text of an object; any other value (a
    # user's `null`, `'true'`) is theirs.
    anywhere = frozenset([STATUS, OVERRIDES] if _json_object(ann.get(OVERRIDES)) else [STATUS])
    added = _trailing_additions(ann, order, our_annotation, anywhere)
    # istioctl sorts Istio's keys in among the user's (Go writes maps sorted), so they are
    # not a tail; meshinject's own output never has sorted annotations (it appends
    # `default-logs-container` before `default-container`, `port` before `path`).
    istioctl = _go_sorted(annotations)
    if istioctl:
        always = (*_ALWAYS_ANNOTATIONS, *prometheus.FIELDS)
        added |= {key for key in always if key in ann and our_annotation(key, ann[key])}
        if not recorded and _agent_scrape(ann):
            added |= set(prometheus.FIELDS) & set(ann)
    merged = bool(env_value(sidecar, prometheus.ENV)) or (
        ann.get(prometheus.PATH) == prometheus.AGENT_PATH
        and str(ann.get(prometheus.PORT)).isdigit()
    )
    if (
        merged
        and ann.get(prometheus.SCRAPE) == "true"
        and prometheus.SCRAPE not in added
        and "scrape" not in recorded
    ):
        # The user's own scrape key, rewritten in place to "true" by the merge, with nothing
        # recorded: Istio records every non-empty value, and one that reads as false stops
        # the merge, so the user's value was "".
        ann[prometheus.SCRAPE] = ""
    for key in added:
        del ann[key]

    if labels is not None:

        def our_label(key: str, value: Any) -> bool:
            rest = {k: v for k, v in labels.items() if k != key}
            if key == "security.istio.io/tlsMode":
                return bool(value == "istio")
            if key == "networking.istio.io/tunnel":
                return bool(value == "http")
            if key == "service.istio.io/canonical-name":
                derived = _canonical(rest, ("app.kubernetes.io/name", "app"))
                return derived is None or str(value) == derived[:63].strip("-_.")
            if key == "service.istio.io/canonical-revision":
                derived = _canonical(rest, ("app.kubernetes.io/version", "version")) or "latest"
                return str(value) == derived
            return True

        added = _trailing_additions(labels, LABEL_ORDER, our_label)
        if istioctl:
            added |= {
                key for key in _ALWAYS_LABELS if key in labels and our_label(key, labels[key])
            }
        # Meshed clients send mTLS to every pod labelled so: never keep it without a sidecar.
        if labels.get(TLS_MODE) == "istio":
            added.add(TLS_MODE)
        for key in added:
            del labels[key]
        if labels:
            out_meta["labels"] = labels
        else:
            out_meta.pop("labels", None)
    if isinstance(targets, list):
        ann[prometheus.TARGETS] = ",".join(
            f"{t.get('port')}:{t.get('path')}" for t in targets if isinstance(t, dict)
        )
    if ann:
        out_meta["annotations"] = ann
    else:
        out_meta.pop("annotations", None)
    return out


# What Istio's templates add to every pod, with values they compute: in a workload that
# istioctl wrote, these are taken as added wherever they are. The others
# (traffic.sidecar.istio.io/*, interception mode, networks...) carry the user's values.
_ALWAYS_ANNOTATIONS = (
    "istio.io/rev",
    "kubectl.kubernetes.io/default-logs-container",
    "kubectl.kubernetes.io/default-container",
)
_ALWAYS_LABELS = (
    TLS_MODE,
    "networking.istio.io/tunnel",
    "service.istio.io/canonical-name",
    "service.istio.io/canonical-revision",
)


def _go_sorted(mapping: dict[str, Any]) -> bool:
    """Keys in sorted order, as Go writes a map (so `istioctl kube-inject` wrote them)."""
    keys = list(mapping)
    return len(keys) > 1 and all(a < b for a, b in itertools.pairwise(keys))


def _agent_scrape(annotations: dict[str, Any]) -> bool:
    """The Prometheus annotations point at the agent: a port number and, if set, the
    agent's path and scrape "true" (istiod clears these on re-injection too)."""
    port = annotations.get(prometheus.PORT)
    path = annotations.get(prometheus.PATH, prometheus.AGENT_PATH)
    scrape = annotations.get(prometheus.SCRAPE, "true")
    return str(port).isdigit() and path == prometheus.AGENT_PATH and scrape == "true"


def _app_containers(sidecar: dict[str, Any] | None, annotations: dict[str, Any]) -> set[str]:
    """The app containers an injection itself named (so it did not add them)."""
    names = {n for n in (env_value(sidecar, "ISTIO_META_APP_CONTAINERS") or "").split(",") if n}
    for key in ("kubectl.kubernetes.io/default-container",):
        value = annotations.get(key)
        if isinstance(value, str) and value:
            names.add(value)
    return names


def _check_claims(
    spec: dict[str, Any], removed: dict[str, set[str]], app_containers: set[str]
) -> None:
    """Refuse to remove what the status annotation claims but injection did not write.

    The annotation is text anyone can edit; removing a user's container or volume
    because it names them would lose the user's data. Evidence that injection did not
    write something: the sidecar lists it as an app container (ISTIO_META_APP_CONTAINERS,
    the default-container annotation), removing it leaves no app container at all, or a
    container that stays still mounts a volume the annotation claims.
    """
    problem = ""
    containers = spec.get("containers")
    gone = removed.get("containers", set())
    restored = {str(c.get("name")) for c in containers or [] if isinstance(c, dict)}
    if gone and (gone - restored) & app_containers:
        names = sorted((gone - restored) & app_containers)
        problem = f"container {names[0]!r} is one of the pod's app containers"
    elif gone and not containers:
        problem = f"container {sorted(gone)[0]!r} is the pod's only app container"
    else:
        volumes = removed.get("volumes", set())
        for key in ("containers", "initContainers"):
            for container in spec.get(key) or []:
                if not isinstance(container, dict):
                    continue
                for mount in container.get("volumeMounts") or []:
                    name = mount.get("name") if isinstance(mount, dict) else None
                    if isinstance(name, str) and name in volumes:
                        owner = container.get("name")
                        problem = f"volume {name!r} is mounted by container {owner!r}"
    if problem:
        raise InjectionError(
            f"{STATUS} claims something injection did not write ({problem}); refusing to "
            "remove it: fix or remove the annotation",
            data_path=("metadata", "annotations", STATUS),
        )


def _keep_order(spec: dict[str, Any], model: Any) -> None:
    """Keys of `spec` in the order `model` (the pod spec before removal) has them: a list
    emptied and then given its user's containers back stays where it was."""
    if not isinstance(model, dict) or list(spec) == [k for k in model if k in spec]:
        return
    rank = {key: i for i, key in enumerate(model)}
    items = sorted(spec.items(), key=lambda item: rank.get(item[0], len(rank)))
    spec.clear()
    spec.update(items)


def _json_object(value: Any) -> bool:
    """Whether `value` is the JSON text of an object (what injection writes)."""
    if not isinstance(value, str):
        return False
    try:
        return isinstance(json.loads(value), dict)
    except ValueError:
        return False


def _restore_overridden(spec: dict[str, Any], overrides: dict[str, Any]) -> None:
    """Put back the user's containers that a template modified (recorded in the overrides).

    A template may change an app container (grpc-simple adds env and mounts to every
    container), so the status annotation lists it as injected; removing it would delete the
    user's container. The overrides annotation holds the user's original, which comes back
    (without the `resources: {}` that Go's serialisation adds).
    """
    for key in ("containers", "initContainers"):
        saved = overrides.get(key)
        if not isinstance(saved, list):
            continue
        raw = spec.get(key)
        current: list[Any] = raw if isinstance(raw, list) else []
        present = {c.get("name") for c in current if isinstance(c, dict)}
        restored = [
            {k: v for k, v in c.items() if not (k == "resources" and v == {})}
            for c in saved
            if isinstance(c, dict) and c.get("name") not in present
        ]
        if restored:
            spec[key] = [*current, *restored]
