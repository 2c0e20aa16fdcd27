"""parity-gaps.md D: the Prometheus metrics merge (P36-P41)."""

from __future__ import annotations

import json

import pytest

from tests.parity.helpers import env, error_of, inject, pod_annotations, pod_doc

AGENT = {
    "prometheus.io/port": "15020",
    "prometheus.io/path": "/stats/prometheus",
    "prometheus.io/scrape": "true",
}


def merged(out: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in pod_annotations(out).items() if k.startswith("prometheus")}


def test_P36_scrape_configuration_always_has_all_three_fields() -> None:
    out = inject(pod_doc({"prometheus.io/scrape": "true", "prometheus.io/port": "9100"}))
    assert env(out, "ISTIO_PROMETHEUS_ANNOTATIONS") == ('{"scrape":"true","path":"","port":"9100"}')


def test_P37_other_spellings_are_read_and_cleared() -> None:
    out = inject(pod_doc({"prometheus-io/port": "9100", "prometheus.io.path": "/m"}))
    assert merged(out) == AGENT
    assert env(out, "ISTIO_PROMETHEUS_ANNOTATIONS") == '{"scrape":"","path":"/m","port":"9100"}'


@pytest.mark.parametrize(
    ("port", "message"),
    [
        (
            "15090",
            "invalid prometheus scrape configuration: port 15090 is reserved for Istio "
            "(Envoy Prometheus (already merged)) and cannot be scraped",
        ),
        ("abc", 'invalid prometheus scrape configuration: invalid port "abc"'),
        (
            "015020",
            "invalid prometheus scrape configuration: port 015020 conflicts with agent port",
        ),
        ("0", 'invalid prometheus scrape configuration: invalid port "0"'),
        ("70000", 'invalid prometheus scrape configuration: invalid port "70000"'),
        (" 9100", 'invalid prometheus scrape configuration: invalid port " 9100"'),
        ("15000", "reserved for Istio (Envoy admin)"),
    ],
)
def test_P38_scrape_port_is_validated(port: str, message: str) -> None:
    assert message in error_of(pod_doc({"prometheus.io/port": port}))


@pytest.mark.parametrize("port", ["9100", "+9100", "09100", "1", "65535"])
def test_P38_scrape_ports_go_accepts(port: str) -> None:
    out = inject(pod_doc({"prometheus.io/port": port}))
    assert json.loads(env(out, "ISTIO_PROMETHEUS_ANNOTATIONS"))["port"] == port


def test_P38_no_check_when_scraping_is_off() -> None:
    out = inject(pod_doc({"prometheus.io/port": "15090", "prometheus.io/scrape": "false"}))
    assert pod_annotations(out)["prometheus.io/port"] == "15090"


def test_P39_scrape_targets() -> None:
    out = inject(pod_doc({"prometheus.istio.io/scrape-targets": "9100:/metrics,9200"}))
    assert env(out, "ISTIO_PROMETHEUS_ANNOTATIONS") == (
        '{"scrape":"","path":"/metrics","port":"9100","targets":'
        '[{"port":"9100","path":"/metrics"},{"port":"9200","path":"/metrics"}]}'
    )
    assert "prometheus.istio.io/scrape-targets" not in pod_annotations(out)
    assert merged(out) == AGENT


def test_P39_scrape_target_ports_are_validated() -> None:
    message = error_of(pod_doc({"prometheus.istio.io/scrape-targets": "9100,15090:/x"}))
    assert message == (
        "invalid prometheus scrape targets: target port 15090 is reserved for Istio "
        "(Envoy Prometheus (already merged)) and cannot be scraped"
    )


def test_P39_unparseable_scrape_targets_are_ignored() -> None:
    out = inject(pod_doc({"prometheus.istio.io/scrape-targets": ":/x", "prometheus.io/port": "9"}))
    assert env(out, "ISTIO_PROMETHEUS_ANNOTATIONS") == '{"scrape":"","path":"","port":"9"}'
    assert merged(out) == AGENT


def test_P40_secure_port_is_announced() -> None:
    sets = "meshConfig.defaultConfig.proxyMetadata.ENVOY_SECURE_MERGED_METRICS_PORT=15022"
    assert pod_annotations(inject(pod_doc(), sets))["prometheus.istio.io/secure-port"] == "15022"
    mine = inject(pod_doc({"prometheus.istio.io/secure-port": "9443"}), sets)
    assert pod_annotations(mine)["prometheus.istio.io/secure-port"] == "9443"


def test_P40_no_secure_port_for_zero() -> None:
    sets = "meshConfig.defaultConfig.proxyMetadata.ENVOY_SECURE_MERGED_METRICS_PORT=0"
    assert "prometheus.istio.io/secure-port" not in pod_annotations(inject(pod_doc(), sets))


def test_P41_merge_metrics_annotation_wins_over_the_mesh_setting() -> None:
    doc = pod_doc({"prometheus.istio.io/merge-metrics": "true", "prometheus.io/port": "9100"})
    out = inject(doc, "meshConfig.enablePrometheusMerge=false")
    assert merged(out) == {**AGENT, "prometheus.istio.io/merge-metrics": "true"}
    assert env(out, "ISTIO_PROMETHEUS_ANNOTATIONS") == '{"scrape":"","path":"","port":"9100"}'
    off = inject(pod_doc({"prometheus.istio.io/merge-metrics": "F", "prometheus.io/port": "9100"}))
    assert pod_annotations(off)["prometheus.io/port"] == "9100"
