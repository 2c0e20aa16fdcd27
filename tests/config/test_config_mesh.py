"""Istio's mesh-config merge rules."""

from typing import Any

from meshinject.config import build_config, merge_proxy_config
from meshinject.options import RunOptions
from tests.config.config_helpers import fixture


def _mesh(*files: str) -> dict[str, Any]:
    return build_config(RunOptions(mesh_config_files=[fixture(f) for f in files])).mesh_dict()


def test_defaults_match_istio() -> None:
    mesh = build_config(RunOptions()).mesh_dict()
    assert mesh["proxyListenPort"] == 15001
    assert mesh["proxyInboundListenPort"] == 15006
    assert mesh["inboundTrafficPolicy"] == {"mode": "PASSTHROUGH"}
    assert mesh["enablePrometheusMerge"] is True
    assert mesh["trustDomain"] == "cluster.local"
    assert [p["name"] for p in mesh["extensionProviders"]] == ["prometheus", "stackdriver", "envoy"]
    pc = mesh["defaultConfig"]
    assert pc["drainDuration"] == "45s"
    assert pc["statusPort"] == 15020
    assert "tracing" not in pc
    assert "proxyMetadata" not in pc


def test_default_config_merges_field_by_field_and_metadata_key_by_key() -> None:
    mesh = _mesh("mesh-tracing.yaml", "mesh-metadata.yaml")
    pc = mesh["defaultConfig"]
    assert pc["interceptionMode"] == "TPROXY"  # from the first file, kept
    assert pc["drainDuration"] == "90s"  # Go duration normalised to proto-JSON
    assert pc["proxyMetadata"] == {"DNS_CAPTURE": "true", "ISTIO_META_DNS_AUTO_ALLOCATE": "true"}
    assert pc["discoveryAddress"] == "istiod.istio-system.svc:15012"


def test_top_level_fields_replace() -> None:
    mesh = _mesh("mesh-metadata.yaml")
    assert mesh["outboundTrafficPolicy"] == {"mode": "REGISTRY_ONLY"}


def test_extension_providers_merge_by_name_and_append() -> None:
    providers = _mesh("mesh-tracing.yaml")["extensionProviders"]
    assert [p["name"] for p in providers] == ["prometheus", "stackdriver", "envoy", "otel"]
    assert providers[2] == {"name": "envoy", "envoyFileAccessLog": {"path": "/dev/stderr"}}
    assert providers[3]["opentelemetry"]["port"] == 4317


def test_trust_domain_aliases_are_a_sorted_union() -> None:
    config = build_config(
        RunOptions(
            mesh_config_files=[fixture("mesh-tracing.yaml")],
            set_args=["meshConfig.trustDomain=corp.example"],
        )
    )
    assert config.mesh_dict()["trustDomainAliases"] == ["old.example"]
    assert config.mesh_dict()["trustDomain"] == "corp.example"


def test_set_mesh_config_goes_to_the_mesh() -> None:
    config = build_config(RunOptions(set_args=["meshConfig.defaultConfig.proxyMetadata.FOO=bar"]))
    assert config.default_proxy_config()["proxyMetadata"] == {"FOO": "bar"}
    assert "meshConfig" not in config.values_dict()


def test_merge_proxy_config_annotation_style() -> None:
    base = {
        "drainDuration": "45s",
        "tracing": {"zipkin": {"address": "z:9411"}},
        "proxyMetadata": {"A": "1", "B": "2"},
        "serviceCluster": "istio-proxy",
    }
    overlay = {
        "tracing": {"sampling": 5},
        "proxyMetadata": {"B": "3", "C": "4"},
        "tracingServiceName": "CANONICAL_NAME_ONLY",
    }
    merged = merge_proxy_config(base, overlay)
    assert merged["tracing"] == {"sampling": 5}  # replaced, not deep-merged
    assert merged["proxyMetadata"] == {"A": "1", "B": "3", "C": "4"}
    assert "serviceCluster" not in merged  # one protobuf oneof with tracingServiceName
    assert merged["drainDuration"] == "45s"
    assert base["proxyMetadata"] == {"A": "1", "B": "2"}
