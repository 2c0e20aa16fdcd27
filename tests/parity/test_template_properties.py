"""Every template switch and annotation combination renders valid YAML (issue 15).

A built-in template producing invalid YAML would reach the user as a meshinject bug; these
properties walk combinations of the annotations the templates read, the settings that
switch template branches and the built-in templates, and require that injection either
succeeds or fails with a validation message naming an annotation, never with a template
error. A second property checks the line markers used to locate template errors never
change the rendered output.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from meshinject.api import RunOptions, build_request
from meshinject.errors import TemplateError
from meshinject.inject.context import build_context
from meshinject.inject.render import builtin_template_names, render_builtin, render_builtin_marked
from meshinject.inject.template_data import Workload, sidecar_template_data
from tests.parity.helpers import pod_doc, run

ANNOTATION_VALUES: dict[str, list[str]] = {
    "sidecar.istio.io/interceptionMode": ["REDIRECT", "TPROXY", "NONE"],
    "sidecar.istio.io/nativeSidecar": ["true", "false", "False", ""],
    "sidecar.istio.io/proxyImage": ["example.com/p:1", "p", ""],
    "sidecar.istio.io/proxyImageType": ["debug", "default", ""],
    "sidecar.istio.io/proxyCPU": ["100m"],
    "sidecar.istio.io/proxyMemoryLimit": ["1Gi"],
    "sidecar.istio.io/logLevel": ["debug", "a'b\"c: {d}"],
    "sidecar.istio.io/agentLogLevel": ["default:debug"],
    "sidecar.istio.io/bootstrapOverride": ["boot", "#x: y"],
    "sidecar.istio.io/userVolume": ['{"v":{"emptyDir":{}}}', "null", "{}"],
    "sidecar.istio.io/userVolumeMount": ['{"v":{"mountPath":"/v"}}', "null"],
    "sidecar.istio.io/capNetBindService": ["true", "false"],
    "status.sidecar.istio.io/port": ["0", "15020", "15030"],
    "readiness.status.sidecar.istio.io/initialDelaySeconds": ["0", "5"],
    "readiness.status.sidecar.istio.io/periodSeconds": ["0", "10"],
    "traffic.sidecar.istio.io/includeOutboundIPRanges": ["*", "", "10.0.0.0/8"],
    "traffic.sidecar.istio.io/excludeOutboundIPRanges": ["", "10.1.0.0/16"],
    "traffic.sidecar.istio.io/includeInboundPorts": ["*", "", "80"],
    "traffic.sidecar.istio.io/excludeInboundPorts": ["", "81"],
    "traffic.sidecar.istio.io/includeOutboundPorts": ["", "443", "x: y"],
    "traffic.sidecar.istio.io/excludeOutboundPorts": ["", "444"],
    "traffic.sidecar.istio.io/kubevirtInterfaces": ["net1", ""],
    "istio.io/reroute-virtual-interfaces": ["net2"],
    "traffic.sidecar.istio.io/excludeInterfaces": ["eth1"],
    "kubectl.kubernetes.io/default-container": ["web"],
    "k8s.v1.cni.cncf.io/networks": ["macvlan", '[{"name":"m"}]', "[]"],
    "prometheus.io/scrape": ["false", "true"],
    "prometheus.io/port": ["9100"],
    "prometheus.istio.io/scrape-targets": ["9100,9200:/m"],
    "prometheus.istio.io/merge-metrics": ["false", "true"],
    "proxy.istio.io/config": [
        "holdApplicationUntilProxyStarts: true",
        '{"interceptionMode":"TPROXY"}',
        "proxyMetadata: {IPTABLES_TRACE_LOGGING: 'true', ISTIO_META_ENABLE_HBONE: 'true'}",
        "image: {imageType: distroless}",
    ],
    "apm.datadoghq.com/env": ['{"DD_ENV":"prod","N":1}'],
    "inject.istio.io/templates": ["sidecar", "gateway", "grpc-agent", "grpc-simple"],
}

SETTINGS = [
    "pilot.env.ENABLE_NATIVE_SIDECARS=false",
    "pilot.cni.enabled=true",
    "pilot.cni.provider=multus",
    "meshConfig.defaultConfig.interceptionMode=TPROXY",
    "meshConfig.defaultConfig.holdApplicationUntilProxyStarts=true",
    "global.proxy.tracer=datadog",
    "global.proxy.seccompProfile.type=RuntimeDefault",
    "global.imagePullPolicy=Always",
    "global.network=n1",
    "global.multiCluster.clusterName=c1",
    "global.proxy.startupProbe.enabled=false",
    "global.proxy.statusPort=0",
    "global.pilotCertProvider=kubernetes",
    "global.caName=GkeWorkloadCertificate",
    "global.mountMtlsCerts=true",
    "global.logAsJson=true",
    "global.nativeNftables=true",
    "global.proxy_init.forceApplyIptables=true",
    "global.sts.servicePort=15463",
    "global.proxy.outlierLogPath=/dev/stdout",
    "global.proxy.lifecycle.preStop.exec.command[0]=sleep",
    "global.imagePullSecrets[0]=reg",
    "pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API=true",
    "meshConfig.inboundTrafficPolicy.mode=LOCALHOST",
    "meshConfig.defaultConfig.proxyMetadata.ENVOY_SECURE_MERGED_METRICS_PORT=15022",
]

annotation_sets = st.dictionaries(
    st.sampled_from(sorted(ANNOTATION_VALUES)), st.just(""), max_size=8
).flatmap(
    lambda keys: st.fixed_dictionaries({k: st.sampled_from(ANNOTATION_VALUES[k]) for k in keys})
)
setting_sets = st.lists(st.sampled_from(SETTINGS), unique=True, max_size=6)
extra_proxy = st.sampled_from(
    [None, {"name": "istio-proxy", "image": "auto", "securityContext": {"runAsUser": 1500}}]
)
init_containers = st.sampled_from([None, [{"name": "init-one", "image": "busybox"}]])


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(annotation_sets, setting_sets, extra_proxy, init_containers)
def test_every_combination_renders_valid_yaml(
    annotations: dict[str, str],
    sets: list[str],
    proxy: dict[str, Any] | None,
    inits: list[dict[str, Any]] | None,
) -> None:
    doc = pod_doc(annotations, init_containers=inits, extra_containers=[proxy] if proxy else None)
    _, errors = run(doc, *sets)
    event("refused by validation" if errors else "injected")
    for error in errors:
        assert not isinstance(error, TemplateError), error.render()
        assert "rendered invalid YAML" not in error.message
        assert re.search(r"annotation '[^']+'|prometheus|requested template", error.message), (
            error.render()
        )


_MARKER = re.compile("\ue000[0-9]+\ue001")


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(annotation_sets, setting_sets)
def test_line_markers_never_change_a_builtin_rendering(
    annotations: dict[str, str], sets: list[str]
) -> None:
    annotations.pop("inject.istio.io/templates", None)
    for bad in ("sidecar.istio.io/userVolume", "sidecar.istio.io/userVolumeMount"):
        annotations.pop(bad, None)
    request = build_request(RunOptions(set_args=tuple(sets)))
    config = request.settings
    pod = pod_doc(annotations)
    stripped = {"metadata": pod["metadata"], "spec": pod["spec"]}
    data = sidecar_template_data(
        settings=config,
        pod=stripped,
        workload=Workload(kind="Pod", api_version="v1", name="web", namespace="shop"),
        proxy_config=dict(config.proxy_config),
    )
    context = build_context(data=data, settings=config, pod=stripped, proxy_config_json="{}")
    for name in builtin_template_names():
        plain = render_builtin(name, context)
        assert _MARKER.sub("", render_builtin_marked(name, context)) == plain
