"""The per-shape cache of injected documents gives what injecting each document gives.

Workloads of one shape (the same document apart from names, namespaces, `app`/`version`
labels, images, environment values, mount paths, volume sources and service account)
are injected for real twice, then filled in. Whatever the strings (names like Istio's own
containers, system namespaces, numbers, booleans, 63-character names, names ending in
`-`) and whatever the shape and settings (annotations that steer the sidecar, probes,
init containers, a user's istio-proxy, both output styles, native sidecars, a revision,
webhook mode), a stream injected with the cache must be byte for byte and report for
report the stream injected without it.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from meshinject.api import RunOptions, build_request, inject_text
from meshinject.inject import document_cache

_WORKLOAD = """\
# {name} of team {namespace}
apiVersion: {api}
kind: {kind}
metadata:
  name: {name}
  namespace: {namespace}
  labels:
    app: {app}
    app.kubernetes.io/version: "{version}"
spec:
{spec}"""
_DEPLOYMENT_SPEC = """\
  selector:
    matchLabels:
      app: {app}
  template:
{pod}"""
_CRONJOB_SPEC = """\
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
{pod}"""
_POD = """\
metadata:
  labels:
    app: {app}
    version: {version}
  annotations:
{annotations}
spec:
  serviceAccountName: {account}
{init}  containers:
{proxy}    - name: {container}
      image: "{image}"
      env:
        - name: OPTS
          value: "-Xmx{amount} {env}"
      volumeMounts:
        - name: config
          mountPath: /etc/{mount}
{probe}  volumes:
    - name: config
      configMap:
        name: {config}
"""
_ANNOTATIONS = [
    'sidecar.istio.io/rewriteAppHTTPProbers: "false"',
    'prometheus.io/scrape: "true"',
    'prometheus.io/port: "9090"',
    "sidecar.istio.io/proxyCPU: 200m",
    "sidecar.istio.io/interceptionMode: TPROXY",
    'sidecar.istio.io/nativeSidecar: "true"',
    "proxy.istio.io/config: '{holdApplicationUntilProxyStarts: true}'",
    'sidecar.istio.io/inject: "false"',
    'traffic.sidecar.istio.io/excludeOutboundPorts: "9000"',
    "istio.io/rev: canary",
    "kubectl.kubernetes.io/default-container: app",
]
_INIT = "  initContainers:\n    - name: migrate\n      image: {image}-migrate\n"
_PROXY = "    - name: istio-proxy\n      image: auto\n      resources: {{limits: {{cpu: 300m}}}}\n"
_PROBE = "      readinessProbe:\n        httpGet:\n          path: /ready\n          port: 8080\n"
# Strings placed in the slots: names like Istio's own, system namespaces, words YAML reads
# as other types, long and awkward names.
_STRINGS = st.sampled_from(
    [
        "web",
        "svc-00001",
        "svc-00002",
        "team-a",
        "team-b",
        "istio-proxy",
        "istio-system",
        "kube-system",
        "default",
        "app",
        "true",
        "8080",
        "1e3",
        "v1",
        "v1.2.3",
        "x" * 63,
        "y" * 70,
        "ends-with-",
        "dotted.name",
        "latest",
        "istio",
        "registry.io/shop/web:1.0",
    ]
)
_KINDS = [("apps/v1", "Deployment"), ("apps/v1", "StatefulSet"), ("batch/v1", "CronJob")]


@st.composite
def shapes(draw: st.DrawFn) -> dict[str, Any]:
    api, kind = draw(st.sampled_from(_KINDS))
    return {
        "api": api,
        "kind": kind,
        "annotations": draw(st.lists(st.sampled_from(_ANNOTATIONS), unique=True, max_size=3)),
        "init": draw(st.booleans()),
        "proxy": draw(st.booleans()),
        "probe": draw(st.booleans()),
        "container": draw(st.sampled_from(["app", "web"])),
        "amount": draw(st.sampled_from(["256m", "512m"])),
    }


def _document(shape: dict[str, Any], strings: list[str]) -> str:
    name, namespace, app, version, image, env, mount, config, account = strings
    annotations = "".join(f"    {a}\n" for a in shape["annotations"]) or "    note: x\n"
    pod = _POD.format(
        app=app,
        version=version,
        annotations=annotations,
        account=account,
        init=_INIT.format(image=image) if shape["init"] else "",
        proxy=_PROXY if shape["proxy"] else "",
        container=shape["container"],
        image=image,
        amount=shape["amount"],
        env=env,
        mount=mount,
        probe=_PROBE if shape["probe"] else "",
        config=config,
    )
    indent = " " * (8 if shape["kind"] == "CronJob" else 4)
    pod = "".join(indent + line if line else line for line in pod.splitlines(keepends=True))
    spec = (_CRONJOB_SPEC if shape["kind"] == "CronJob" else _DEPLOYMENT_SPEC).format(
        app=app, pod=pod
    )
    return _WORKLOAD.format(
        api=shape["api"],
        kind=shape["kind"],
        name=name,
        namespace=namespace,
        app=app,
        version=version,
        spec=spec,
    )


_OPTIONS = st.sampled_from(
    [
        RunOptions(),
        RunOptions(output_style="istio"),
        RunOptions(revision="canary"),
        RunOptions(mode="webhook"),
        RunOptions(set_args=("values.sidecarInjectorWebhook.rewriteAppHTTPProbe=false",)),
        RunOptions(set_args=("values.global.proxy.holdApplicationUntilProxyStarts=true",)),
    ]
)


def _outcome(text: str, options: RunOptions) -> tuple[Any, ...]:
    result = inject_text(text, build_request(options))
    reports = [
        (
            r.kind,
            r.name,
            r.namespace,
            r.outcome,
            r.reason,
            r.rule,
            r.revision,
            r.templates,
            tuple(r.warnings),
            r.changed,
            r.error is None,
        )
        for r in result.workloads
    ]
    return result.text, reports, [str(e) for e in result.errors], result.passed_through


_SLOTS = ("name", "ns", "app", "ver", "img", "env", "mnt", "cfg", "sa")


@st.composite
def streams(draw: st.DrawFn) -> list[list[str]]:
    """4 to 6 documents' strings: per slot, a string of its own per document (`app-3`,
    like real workloads) or one from `_STRINGS` (tricky ones), drawn per document."""
    odds = st.sampled_from([False, False, False, True])  # mostly real-looking strings
    tricky = draw(st.lists(odds, min_size=len(_SLOTS), max_size=len(_SLOTS)))
    count = draw(st.integers(4, 6))
    return [
        [
            draw(_STRINGS) if odd else f"{slot}-{index}"
            for slot, odd in zip(_SLOTS, tricky, strict=True)
        ]
        for index in range(count)
    ]


_PLAIN_SHAPE = {
    "api": "apps/v1",
    "kind": "Deployment",
    "annotations": [],
    "init": False,
    "proxy": False,
    "probe": False,
    "container": "app",
    "amount": "256m",
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shapes(), _OPTIONS, streams())
# Found by this test: a fourth workload's version `1e3` is copied into the canonical
# revision label, where the splice quotes it ("1e3" looks like a number) and the first
# three workloads' `web` was plain: same meaning, other bytes.
@example(
    _PLAIN_SHAPE,
    RunOptions(),
    [[f"{s}-{i}" if s != "ver" else ("web" if i < 3 else "1e3") for s in _SLOTS] for i in range(4)],
)
# Found by this test: two workloads whose service account is `istio-proxy` (the sidecar's
# own name, so its masked injection masks the sidecar's name too) must not make a third
# one's `web` rename the sidecar.
@example(
    _PLAIN_SHAPE,
    RunOptions(),
    [
        [f"{s}-{i}" if s != "sa" else ("istio-proxy" if i < 2 else "web") for s in _SLOTS]
        for i in range(4)
    ],
)
def test_a_stream_injected_through_the_cache_is_the_stream_injected_without_it(
    shape: dict[str, Any], options: RunOptions, documents: list[list[str]]
) -> None:
    text = "".join("---\n" + _document(shape, strings) for strings in documents)
    document_cache.clear_cache()
    cached = _outcome(text, options)
    with mock.patch.object(document_cache, "lookup", return_value=None):
        uncached = _outcome(text, options)
    assert cached == uncached


def test_workloads_of_one_shape_are_filled_in_after_two_real_injections() -> None:
    """Five Deployments of one shape: two are injected (the witnesses), three filled in;
    the output is the output without the cache."""
    shape = {
        "api": "apps/v1",
        "kind": "Deployment",
        "annotations": ['prometheus.io/scrape: "true"'],
        "init": True,
        "proxy": False,
        "probe": True,
        "container": "app",
        "amount": "256m",
    }
    text = "".join(  # every document with its `---` line, so all five have one shape
        "---\n"
        + _document(
            shape,
            [
                f"svc-{i}",
                f"team-{i}",
                f"svc-{i}",
                f"1.{i}.0",
                f"reg.io/svc-{i}:1.{i}",
                f"mode-{i}",
                f"svc-{i}",
                f"svc-{i}-config",
                f"svc-{i}",
            ],
        )
        for i in range(5)
    )
    document_cache.clear_cache()
    real = []
    from meshinject import stream

    original = stream._transform_one

    def counting(*args: Any, **kwargs: Any) -> Any:
        real.append(args[0].index)
        return original(*args, **kwargs)

    with mock.patch.object(stream, "_transform_one", side_effect=counting):
        cached = _outcome(text, RunOptions())
    assert real == [0, 1]
    with mock.patch.object(document_cache, "lookup", return_value=None):
        assert cached == _outcome(text, RunOptions())
    assert "svc-4" in cached[0]
    assert "ISTIO_META_WORKLOAD_NAME" in cached[0]


def test_a_run_never_fills_in_what_another_run_injected() -> None:
    """The same stream injected with other settings (a later run in the same process, as
    in the library or the kustomize plugin) is injected for real, not filled in."""
    text = "".join(
        "---\n" + _document(_PLAIN_SHAPE, [f"{slot}-{index}" for slot in _SLOTS])
        for index in range(4)
    )
    document_cache.clear_cache()
    debug = RunOptions(set_args=("values.global.proxy.logLevel=debug",))
    first = _outcome(text, RunOptions())
    second = _outcome(text, debug)
    assert "--proxyLogLevel=debug" in second[0]
    assert "--proxyLogLevel=debug" not in first[0]
    with mock.patch.object(document_cache, "lookup", return_value=None):
        assert second == _outcome(text, debug)
