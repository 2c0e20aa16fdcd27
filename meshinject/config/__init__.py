"""meshinject's configuration: one frozen `Config`, built in one place by `build_config`.

    from meshinject.config import build_config
    from meshinject.options import RunOptions
    config = build_config(RunOptions(values_files=["values.yaml"], set_args=["a.b=c"]))

Names are imported lazily so that `import meshinject.config` stays cheap (pydantic and
ruamel.yaml load only when a config is actually built).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from meshinject.config.build import Config, build_config, check_proxy_config
    from meshinject.config.defaults import ISTIO_VERSION
    from meshinject.config.injector import InjectorSettings, TemplateSource
    from meshinject.config.merge import merge_proxy_config
    from meshinject.config.proxyconfig import DEFAULT_PROXY_CONFIG, proxy_config_json

_EXPORTS = {
    "Config": "meshinject.config.build",
    "build_config": "meshinject.config.build",
    "check_proxy_config": "meshinject.config.build",
    "ISTIO_VERSION": "meshinject.config.defaults",
    "InjectorSettings": "meshinject.config.injector",
    "TemplateSource": "meshinject.config.injector",
    "merge_proxy_config": "meshinject.config.merge",
    "proxy_config_json": "meshinject.config.proxyconfig",
    "DEFAULT_PROXY_CONFIG": "meshinject.config.proxyconfig",
}

__all__ = [
    "DEFAULT_PROXY_CONFIG",
    "ISTIO_VERSION",
    "Config",
    "InjectorSettings",
    "TemplateSource",
    "build_config",
    "check_proxy_config",
    "merge_proxy_config",
    "proxy_config_json",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'meshinject.config' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
