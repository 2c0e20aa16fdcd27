"""Built-in defaults: the Istio release meshinject mirrors and its injector/mesh defaults.

The YAML files next to this module (`defaults/values.yaml`, `defaults/mesh.yaml`) hold
the chart's default injector values and Istio's default mesh config for ISTIO_VERSION.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from meshinject import ISTIO_VERSION
from meshinject.cache import memo
from meshinject.config.load import load_mapping
from meshinject.config.provenance import SourceDoc

__all__ = ["ISTIO_VERSION"]

# Injection templates meshinject ships (Jinja files under meshinject/templates/), unless overridden.
BUILTIN_TEMPLATES = ("sidecar", "gateway", "grpc-simple", "grpc-agent")

DEFAULTS_DIR = Path(__file__).with_name("defaults")
VALUES_FILE = DEFAULTS_DIR / "values.yaml"
MESH_FILE = DEFAULTS_DIR / "mesh.yaml"


@cache
def default_values_doc() -> SourceDoc:
    return memo("default-values", "", lambda: load_mapping(str(VALUES_FILE), "Istio values"))


@cache
def default_mesh_doc() -> SourceDoc:
    return memo("default-mesh", "", lambda: load_mapping(str(MESH_FILE), "mesh config fields"))
