"""parity-gaps.md F: annotation validation (P45-P51), with Istio's rule in both directions.

`TABLE` walks every annotation Istio's sidecar template or injector code reads (defaults.md
section 7): values Istio accepts must inject, values Istio rejects must fail with Istio's
`invalid value '<v>' for annotation '<name>'` message. Annotations Istio does not validate
have no rejected values here.
"""

from __future__ import annotations

import pytest

from meshinject.inject.validate import CHECKS
from tests.parity.helpers import container, error_of, inject, pod_doc, run

# annotation -> (values Istio accepts, values Istio rejects)
TABLE: dict[str, tuple[list[str], list[str]]] = {
    "sidecar.istio.io/interceptionMode": (["REDIRECT", "TPROXY", "NONE"], ["redirect", "", "X"]),
    "status.sidecar.istio.io/port": (["15020", "0", " 15021 "], ["-1", "70000", "x", ""]),
    "readiness.status.sidecar.istio.io/initialDelaySeconds": (["0", "10"], ["-1", " 3", "1.5"]),
    "readiness.status.sidecar.istio.io/periodSeconds": (["0", "15"], ["", "x", "4294967296"]),
    "readiness.status.sidecar.istio.io/failureThreshold": (["4", "0"], [" 3", "+3"]),
    "traffic.sidecar.istio.io/includeOutboundIPRanges": (
        ["*", "", "10.0.0.0/8", "10.0.0.0/8,fd00::/8"],
        ["10.0.0.1", "10.0.0.0/8,", "10.0.0.0/8, 10.1.0.0/16", " *"],
    ),
    "traffic.sidecar.istio.io/excludeOutboundIPRanges": (
        ["", "192.168.0.0/16"],
        ["*", "10.0.0.0/8, 10.1.0.0/16", "x"],
    ),
    "traffic.sidecar.istio.io/includeInboundPorts": (["*", "", "80, 81", "0"], ["80,", "x"]),
    "traffic.sidecar.istio.io/excludeInboundPorts": (["", "0", " 80,81 "], ["80,", "65536"]),
    "traffic.sidecar.istio.io/includeOutboundPorts": (["", "abc", "80,"], []),
    "traffic.sidecar.istio.io/excludeOutboundPorts": (["", "443"], ["443,", "abc"]),
    "traffic.sidecar.istio.io/excludeInterfaces": (
        ["", "eth0", "eth0, net1"],
        ["eth0;rm", "averyveryverylongname0", "net1,", "0eth"],
    ),
    "traffic.sidecar.istio.io/kubevirtInterfaces": (["net1"], ["net1,"]),
    "istio.io/reroute-virtual-interfaces": (["net1,net2"], ["-x"]),
    "prometheus.istio.io/merge-metrics": (["true", "F", "0"], ["yes", "tRUE", ""]),
    "proxy.istio.io/config": (
        ['{"concurrency":2}', "concurrency: 2", "", "drainDuration: 10s", "statusPort: 15020"],
        [
            '{"concurrency":"x"}',
            "drainDuration: abc",
            "drainDuration: 1.5s",
            "discoveryAddress: nohostport",
            "discoveryAddress: foo:99999",
            "nosuchfield: 1",
            "[1]",
        ],
    ),
    "sidecar.istio.io/proxyCPU": (["100m", "1"], ["1 ", "lots", "1\x07"]),
    "sidecar.istio.io/proxyMemory": (["128Mi"], ["1Gi ", " 1Gi"]),
    "sidecar.istio.io/proxyCPULimit": (["2"], ["-"]),
    "sidecar.istio.io/proxyMemoryLimit": (["1Gi"], ["1GB"]),
    # Read by the template or code, not validated by Istio:
    "sidecar.istio.io/rewriteAppHTTPProbers": (["yes", "true", "false"], []),
    "sidecar.istio.io/nativeSidecar": (["true", "false", "yes"], []),
    "sidecar.istio.io/proxyImage": (["example.com/proxy:1", "proxyv2"], []),
    "sidecar.istio.io/proxyImageType": (["debug", "", "distroless"], []),
    "sidecar.istio.io/logLevel": (["debug", "whatever"], []),
    "sidecar.istio.io/componentLogLevel": (["misc:error"], []),
    "sidecar.istio.io/agentLogLevel": (["default:debug"], []),
    "sidecar.istio.io/bootstrapOverride": (["my-bootstrap"], []),
    "sidecar.istio.io/capNetBindService": (["true", "nope"], []),
    "readiness.status.sidecar.istio.io/applicationPorts": (["8080", "x"], []),
    "prometheus.io/scrape": (["true", "false", "maybe"], []),
    "prometheus.io/path": (["/metrics"], []),
    "apm.datadoghq.com/env": (['{"DD_ENV":"prod"}'], []),
    "resource.opentelemetry.io/service.version": (["1.0"], []),
}

VALIDATED = {name for name, (_, rejected) in TABLE.items() if rejected}


def test_the_table_covers_exactly_the_annotations_istio_validates() -> None:
    assert set(CHECKS) == VALIDATED


@pytest.mark.parametrize(("name", "value"), [(n, v) for n, (ok, _) in TABLE.items() for v in ok])
def test_values_istio_accepts_inject(name: str, value: str) -> None:
    _, errors = run(pod_doc({name: value}))
    assert not errors, [e.render() for e in errors]


@pytest.mark.parametrize(("name", "value"), [(n, v) for n, (_, bad) in TABLE.items() for v in bad])
def test_values_istio_rejects_fail_with_istio_message(name: str, value: str) -> None:
    message = error_of(pod_doc({name: value}))
    assert message.startswith(f"invalid value '{value}' for annotation '{name}': ")


def test_P45_cidr_lists_are_prefixes_without_spaces() -> None:
    message = error_of(
        pod_doc({"traffic.sidecar.istio.io/excludeOutboundIPRanges": "10.0.0.0/8, 10.1.0.0/16"})
    )
    assert "excludeIPRanges invalid: failed parsing cidr ' 10.1.0.0/16'" in message
    assert error_of(pod_doc({"traffic.sidecar.istio.io/includeOutboundIPRanges": "10.0.0.1"}))
    assert error_of(pod_doc({"traffic.sidecar.istio.io/includeOutboundIPRanges": "10.0.0.0/8,"}))


def test_P46_port_list_with_an_empty_item() -> None:
    message = error_of(pod_doc({"traffic.sidecar.istio.io/excludeInboundPorts": "80,"}))
    assert "excludeInboundPorts invalid: failed parsing port ''" in message


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("eth0;rm", 'interface name "eth0;rm" contains invalid characters'),
        ("averyveryverylongname0", "too long (max 15 chars)"),
        ("net1,", "empty interface name"),
    ],
)
def test_P47_interface_names(value: str, why: str) -> None:
    assert why in error_of(pod_doc({"traffic.sidecar.istio.io/excludeInterfaces": value}))


def test_P48_no_whitespace_in_integers_and_quantities() -> None:
    assert error_of(pod_doc({"readiness.status.sidecar.istio.io/failureThreshold": " 3"}))
    assert error_of(pod_doc({"sidecar.istio.io/proxyMemory": "1Gi "}))


@pytest.mark.parametrize(
    "value", ['{"concurrency":"x"}', "drainDuration: abc", "discoveryAddress: nohostport"]
)
def test_P49_proxy_config_content_is_validated(value: str) -> None:
    assert error_of(pod_doc({"proxy.istio.io/config": value})).startswith(
        f"invalid value '{value}' for annotation 'proxy.istio.io/config': "
    )


@pytest.mark.parametrize(
    "name", ["sidecar.istio.io/userVolume", "sidecar.istio.io/userVolumeMount"]
)
def test_P50_invalid_user_volume_json_fails(name: str) -> None:
    assert name in error_of(pod_doc({name: "{bad"}))


def test_P51_values_istio_accepts() -> None:
    for accepted in (
        {"readiness.status.sidecar.istio.io/periodSeconds": "0"},
        {"traffic.sidecar.istio.io/excludeInboundPorts": "0"},
        {"traffic.sidecar.istio.io/includeOutboundPorts": "abc"},
    ):
        inject(pod_doc(accepted))
    probe = {"readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}}}
    out = inject(pod_doc({"sidecar.istio.io/rewriteAppHTTPProbers": "yes"}, container=probe))
    assert container(out, "web")["readinessProbe"]["httpGet"]["port"] == 15020
