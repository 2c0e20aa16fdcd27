"""Istio installation profiles, compatibility versions and platforms, as the chart applies them.

Istio's istio-discovery chart layers its values as: chart defaults < the selected profile
(then the `compatibilityVersion` overlay, then the `global.platform` overlay, each merged
over the one before) < the user's own values. The IstioOperator profiles `istioctl
install` knows add component switches on top: a profile that installs the CNI node agent
makes workloads rely on it (`pilot.cni.enabled`), the OpenShift ones select the
`openshift` platform.

Only what reaches injection is listed here (the injector values, `pilot.env`,
`pilot.cni` and mesh config); the rest of a profile configures other components and has
no effect on injected pods. The facts are per Istio release, 1.27 to 1.31.
"""

from __future__ import annotations

from typing import Any

Overlay = dict[str, Any]  # {"values": {...}, "mesh": {...}}

_DEMO: Overlay = {
    "values": {
        "global": {
            "proxy": {"resources": {"requests": {"cpu": "10m", "memory": "40Mi"}}},
            "waypoint": {"resources": {"requests": {"cpu": "10m", "memory": "40Mi"}}},
        }
    },
    "mesh": {
        "accessLogFile": "/dev/stdout",
        "extensionProviders": [
            {
                "name": "otel",
                "envoyOtelAls": {
                    "service": "opentelemetry-collector.observability.svc.cluster.local",
                    "port": 4317,
                },
            },
            {
                "name": "skywalking",
                "skywalking": {"service": "tracing.istio-system.svc.cluster.local", "port": 11800},
            },
            {
                "name": "otel-tracing",
                "opentelemetry": {
                    "port": 4317,
                    "service": "opentelemetry-collector.observability.svc.cluster.local",
                },
            },
            {
                "name": "jaeger",
                "opentelemetry": {
                    "port": 4317,
                    "service": "jaeger-collector.istio-system.svc.cluster.local",
                },
            },
        ],
    },
}
_AMBIENT: Overlay = {
    "values": {
        "global": {"variant": "distroless"},
        "pilot": {"env": {"PILOT_ENABLE_AMBIENT": "true"}},
    },
    "mesh": {
        "defaultConfig": {"proxyMetadata": {"ISTIO_META_ENABLE_HBONE": "true"}},
        "serviceScopeConfigs": [
            {
                "servicesSelector": {
                    "matchExpressions": [
                        {"key": "istio.io/global", "operator": "In", "values": ["true"]}
                    ]
                },
                "scope": "GLOBAL",
            }
        ],
    },
}

# The chart's own profiles (`profile: X` in Helm values).
CHART_PROFILES: dict[str, Overlay] = {
    "demo": _DEMO,
    "ambient": _AMBIENT,
    "preview": {"mesh": {"defaultConfig": {"proxyMetadata": {"ISTIO_META_DNS_CAPTURE": "true"}}}},
    "remote": {"values": {"global": {"omitSidecarInjectorConfigMap": True}}},
    "stable": {},
}

# `global.platform` overlays (the chart also accepts them as `profile: platform-X`).
PLATFORMS: dict[str, Overlay] = {
    "gke": {},
    "k3d": {},
    "k3s": {},
    "microk8s": {},
    "minikube": {},
    "openshift": {"values": {"pilot": {"cni": {"enabled": True, "provider": "multus"}}}},
}

_CNI_ON: Overlay = {"values": {"pilot": {"cni": {"enabled": True}}}}

# IstioOperator profiles (`istioctl install --set profile=X`, IstioOperator `spec.profile`):
# (chart profile they select, platform they select, whether they install the CNI agent).
OPERATOR_PROFILES: dict[str, tuple[str, str, bool]] = {
    "default": ("", "", False),
    "empty": ("", "", False),
    "minimal": ("", "", False),
    "demo": ("demo", "", False),
    "ambient": ("ambient", "", True),
    "openshift": ("", "openshift", True),
    "openshift-ambient": ("ambient", "openshift", True),
    "preview": ("preview", "", False),
    "remote": ("remote", "", False),
    "stable": ("stable", "", False),
}

_SHADOW = "DISABLE_SHADOW_HOST_SUFFIX"
_SPAN = "PILOT_SPAWN_UPSTREAM_SPAN_FOR_GATEWAY"
_CB = "DISABLE_TRACK_REMAINING_CB_METRICS"
_PICK = "PILOT_SIDECAR_PICK_BEST_SERVICE_NAMESPACE"
_UNHEALTHY = "PILOT_AUTO_SEND_UNHEALTHY_ENDPOINTS"
_MERGING = "PILOT_ENABLE_STRICT_GATEWAY_MERGING"
_NATIVE = "ENABLE_NATIVE_SIDECARS"


def _env(*names: str, native_off: bool = False, extra: dict[str, str] | None = None) -> Overlay:
    env = dict.fromkeys(names, "false")
    if native_off:
        env[_NATIVE] = "false"
    env.update(extra or {})
    return {"values": {"pilot": {"env": env}}}


# compatibilityVersion overlays each release's chart ships: {release: {version: overlay}}.
COMPATIBILITY: dict[str, dict[str, Overlay]] = {
    "1.27": {
        "1.24": _env(native_off=True, extra={"PILOT_ENABLE_IP_AUTOALLOCATE": "false"}),
        "1.25": _env(native_off=True),
        "1.26": _env(native_off=True),
    },
    "1.28": {
        "1.25": _env(_SHADOW, _SPAN, native_off=True),
        "1.26": _env(_SHADOW, _SPAN, native_off=True),
        "1.27": _env(_SHADOW, _SPAN),
    },
    "1.29": {
        "1.25": _env(_SHADOW, _SPAN, _CB, native_off=True),
        "1.26": _env(_SHADOW, _SPAN, _CB, native_off=True),
        "1.27": _env(_SHADOW, _SPAN, _CB),
        "1.28": _env(_CB),
    },
    "1.30": {
        "1.25": _env(_SHADOW, _SPAN, _CB, _PICK, native_off=True),
        "1.26": _env(_SHADOW, _SPAN, _CB, _PICK, native_off=True),
        "1.27": _env(_SHADOW, _SPAN, _CB, _PICK),
        "1.28": _env(_CB, _PICK),
        "1.29": _env(_PICK),
    },
    "1.31": {
        "1.25": _env(_SHADOW, _SPAN, _CB, _PICK, _UNHEALTHY, _MERGING, native_off=True),
        "1.26": _env(_SHADOW, _SPAN, _CB, _PICK, _UNHEALTHY, _MERGING, native_off=True),
        "1.27": _env(_SHADOW, _SPAN, _CB, _PICK, _UNHEALTHY, _MERGING),
        "1.28": _env(_CB, _PICK, _UNHEALTHY, _MERGING),
        "1.29": _env(_PICK, _UNHEALTHY, _MERGING),
        "1.30": _env(_UNHEALTHY, _MERGING, _SPAN),
    },
}


class ProfileError(ValueError):
    """An unknown profile, compatibility version or platform (`key` says which)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def deep_merge(base: Any, over: Any) -> Any:
    """Helm's mustMergeOverwrite for profile overlays: mappings merge, the rest replaces."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = deep_merge(base.get(key), value)
        return out
    return over


def release_of(tag: Any, default: str) -> str:
    """The Istio minor release (`1.29`) a `global.tag` names, else `default`."""
    text = str(tag or "").lstrip("v")
    parts = text.split(".")
    if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
        candidate = f"{int(parts[0])}.{int(parts[1])}"
        if candidate in COMPATIBILITY:
            return candidate
    return default


def profile_overlay(
    *, profile: str, compatibility: str, platform: str, release: str
) -> tuple[Overlay, list[tuple[str, str]]]:
    """The overlay the selected profile, compatibility version and platform make, and the
    settings it came from ((key, value) pairs, for messages). Raises ProfileError naming
    an unknown one, as the chart's `fail` does."""
    overlay: Overlay = {}
    used: list[tuple[str, str]] = []
    if profile:
        chart_profile = profile
        if profile in OPERATOR_PROFILES:
            chart_profile, operator_platform, cni = OPERATOR_PROFILES[profile]
            platform = platform or operator_platform
            if cni:
                overlay = deep_merge(overlay, _CNI_ON)
            if operator_platform:
                overlay = deep_merge(
                    overlay, {"values": {"global": {"platform": operator_platform}}}
                )
        if chart_profile.startswith("platform-") and chart_profile[9:] in PLATFORMS:
            overlay = deep_merge(overlay, PLATFORMS[chart_profile[9:]])
        elif chart_profile:
            if chart_profile not in CHART_PROFILES:
                known = sorted({*OPERATOR_PROFILES, *CHART_PROFILES, *_platform_profiles()})
                raise ProfileError(
                    "profile", f"unknown profile {profile!r} (known: {', '.join(known)})"
                )
            overlay = deep_merge(overlay, CHART_PROFILES[chart_profile])
        used.append(("profile", profile))
    if compatibility:
        versions = COMPATIBILITY.get(release, {})
        if compatibility not in versions:
            raise ProfileError(
                "compatibilityVersion",
                f"unknown compatibility version {compatibility!r} for Istio {release}"
                f" (known: {', '.join(versions) or 'none'})",
            )
        overlay = deep_merge(overlay, versions[compatibility])
        used.append(("compatibilityVersion", compatibility))
    if platform:
        if platform not in PLATFORMS:
            raise ProfileError(
                "platform", f"unknown platform {platform!r} (known: {', '.join(PLATFORMS)})"
            )
        overlay = deep_merge(overlay, PLATFORMS[platform])
        used.append(("global.platform", platform))
    return overlay, used


def _platform_profiles() -> list[str]:
    return [f"platform-{name}" for name in PLATFORMS]


__all__ = ["ProfileError", "deep_merge", "profile_overlay", "release_of"]
