"""PROXY_CONFIG: proto-JSON of the effective proxy config without default fields."""

from typing import Any

import pytest

from meshinject.config import (
    DEFAULT_PROXY_CONFIG,
    build_config,
    check_proxy_config,
    merge_proxy_config,
    proxy_config_json,
)
from meshinject.errors import ConfigError
from meshinject.options import RunOptions


def _default_pc() -> dict[str, Any]:
    return build_config(RunOptions()).default_proxy_config()


def test_builtin_default_config_is_istios_default_proxy_config() -> None:
    assert _default_pc() == DEFAULT_PROXY_CONFIG


@pytest.mark.parametrize(
    ("overlay", "expected"),
    [
        ({}, "{}"),
        ({"interceptionMode": "TPROXY"}, '{"interceptionMode":"TPROXY"}'),
        ({"interceptionMode": "REDIRECT"}, "{}"),
        ({"drainDuration": "23s"}, '{"drainDuration":"23s"}'),
        ({"drainDuration": "45s"}, "{}"),
        ({"tracing": {}}, '{"tracing":{}}'),
        ({"holdApplicationUntilProxyStarts": False}, '{"holdApplicationUntilProxyStarts":false}'),
        ({"proxyMetadata": {}}, "{}"),
        ({"statusPort": 15021, "meshId": "m1"}, '{"statusPort":15021,"meshId":"m1"}'),
        (
            {"tracing": {"sampling": 1.0, "zipkin": {"address": "z:9411"}}},
            '{"tracing":{"zipkin":{"address":"z:9411"},"sampling":1}}',
        ),
        (
            {
                "discoveryAddress": "foo:123",
                "concurrency": 0,
                "proxyMetadata": {"FOO": "bar", "ISTIO_META_TLS_CLIENT_KEY": "/k.pem"},
            },
            '{"discoveryAddress":"foo:123","concurrency":0,'
            '"proxyMetadata":{"FOO":"bar","ISTIO_META_TLS_CLIENT_KEY":"/k.pem"}}',
        ),
    ],
)
def test_proxy_config_json(overlay: dict[str, Any], expected: str) -> None:
    assert proxy_config_json(merge_proxy_config(_default_pc(), overlay)) == expected


def test_mesh_metadata_then_annotation_merge() -> None:
    config = build_config(RunOptions(set_args=["meshConfig.defaultConfig.proxyMetadata.B=mesh"]))
    pc = merge_proxy_config(config.default_proxy_config(), {"proxyMetadata": {"A": "pod"}})
    assert proxy_config_json(pc) == '{"proxyMetadata":{"A":"pod","B":"mesh"}}'


def test_check_proxy_config_normalises_and_rejects() -> None:
    assert check_proxy_config({"drainDuration": "1.5s", "concurrency": "2"}) == {
        "drainDuration": "1.500s",
        "concurrency": 2,
    }
    with pytest.raises(ConfigError) as info:
        check_proxy_config({"interceptionMode": "MAGIC"})
    assert info.value.key_path == "interceptionMode"
