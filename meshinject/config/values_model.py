"""Typed model of Istio's injector values (`.Values` of the injection templates).

The key set follows Istio's values schema (`operator/pkg/apis/values_types.proto`) and the
istio-discovery chart's `values.yaml`, so whole Helm values files are accepted. Keys the
injector reads are typed and validated; the others are accepted as they are (`Any`).
Every field defaults to `None` = "not set": the merged data, not the model, decides what
the templates see (see `Config.values_dict`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from meshinject.config.fieldtypes import (
    Bool,
    ExcludeCidrs,
    InboundPorts,
    IncludeCidrs,
    NonNegInt,
    Port,
    PortList,
    QuantityMap,
    ScalarMap,
    Selectors,
    StrictModel,
    StringMap,
    Text,
)

LogLevel = Literal["trace", "debug", "info", "warning", "warn", "error", "critical", "off"]
Tracer = Literal["zipkin", "lightstep", "datadog", "stackdriver", "openCensusAgent", "none", ""]


class Resources(StrictModel):
    limits: QuantityMap | None = None
    requests: QuantityMap | None = None
    claims: Any = None


class StartupProbe(StrictModel):
    enabled: Bool | None = None
    failureThreshold: NonNegInt | None = None


class ProxyValues(StrictModel):
    """`global.proxy`."""

    autoInject: Literal["enabled", "disabled"] | None = None
    capNetBindService: Bool | None = None
    clusterDomain: Text | None = None
    componentLogLevel: Text | None = None
    concurrency: Any = None
    enableCoreDump: Bool | None = None
    excludeIPRanges: ExcludeCidrs | None = None
    excludeInboundPorts: PortList | None = None
    excludeOutboundPorts: PortList | None = None
    holdApplicationUntilProxyStarts: Bool | None = None
    image: Text | None = None
    includeIPRanges: IncludeCidrs | None = None
    includeInboundPorts: InboundPorts | None = None
    includeOutboundPorts: PortList | None = None
    lifecycle: dict[str, Any] | None = None
    logLevel: LogLevel | None = None
    outlierLogPath: Text | None = None
    privileged: Bool | None = None
    readinessFailureThreshold: NonNegInt | None = None
    readinessInitialDelaySeconds: NonNegInt | None = None
    readinessPeriodSeconds: NonNegInt | None = None
    resources: Resources | None = None
    seccompProfile: dict[str, Any] | None = None
    startupProbe: StartupProbe | None = None
    statusPort: Port | None = None
    tracer: Tracer | None = None
    variant: Text | None = None


class ProxyInitValues(StrictModel):
    """`global.proxy_init`."""

    forceApplyIptables: Bool | None = None
    image: Text | None = None
    resources: Resources | None = None


class MultiCluster(StrictModel):
    clusterName: Text | None = None
    enabled: Bool | None = None
    globalDomainSuffix: Any = None
    includeEnvoyFilter: Any = None


class Logging(StrictModel):
    level: Text | None = None


class SdsToken(StrictModel):
    aud: Text | None = None


class Sds(StrictModel):
    token: SdsToken | None = None
    customTokenDirectory: Any = None


class Sts(StrictModel):
    servicePort: Port | None = None


class GlobalValues(StrictModel):
    """`global`."""

    agentgateway: Any = None
    arch: Any = None
    autoscalingv2API: Any = None
    caAddress: Text | None = None
    caName: Text | None = None
    certSigners: Any = None
    configCluster: Any = None
    configValidation: Any = None
    defaultNodeSelector: Any = None
    defaultPodDisruptionBudget: Any = None
    defaultResources: Any = None
    defaultTolerations: Any = None
    enableHelmTest: Any = None
    enableReaderRBAC: Any = None
    externalIstiod: Any = None
    hub: Text | None = None
    imagePullPolicy: Literal["", "Always", "IfNotPresent", "Never"] | None = None
    imagePullSecrets: list[Text] | None = None
    ipFamilies: Any = None
    ipFamilyPolicy: Any = None
    istioNamespace: Text | None = None
    istiod: Any = None
    jwtPolicy: Text | None = None
    logAsJson: Bool | None = None
    logging: Logging | None = None
    meshID: Text | None = None
    meshNetworks: Any = None
    mountMtlsCerts: Bool | None = None
    multiCluster: MultiCluster | None = None
    nativeNftables: Bool | None = None
    network: Text | None = None
    networkPolicy: Any = None
    omitSidecarInjectorConfigMap: Any = None
    oneNamespace: Any = None
    operatorManageWebhooks: Any = None
    pilotCertProvider: Text | None = None
    platform: Text | None = None
    podDNSSearchNamespaces: list[Text] | None = None
    priorityClassName: Any = None
    profile: Any = None
    proxy: ProxyValues | None = None
    proxy_init: ProxyInitValues | None = None
    remotePilotAddress: Text | None = None
    resourceScope: Any = None
    revision: Text | None = None
    sds: Sds | None = None
    sts: Sts | None = None
    tag: Any = None
    tracer: Any = None
    trustBundleName: Text | None = None
    trustDomain: Text | None = None
    useMCP: Any = None
    variant: Text | None = None
    waypoint: Any = None

    @field_validator("tag")
    @classmethod
    def _scalar_tag(cls, value: Any) -> Any:
        if isinstance(value, dict | list):
            raise ValueError("expected an image tag, got a mapping or list")
        return value


class CniUsage(StrictModel):
    """`pilot.cni`: whether workloads rely on the Istio CNI plugin."""

    enabled: Bool | None = None
    chained: Any = None
    provider: Text | None = None


class _IstiodChartKeys(StrictModel):
    """The istiod settings of the istio-discovery chart: under `pilot:`, and (the chart's
    values being flat) at the top level too. Accepted as they are; the injector reads
    none of them at the top level, and `PilotValues` types those it reads under `pilot`."""

    affinity: Any = None
    autoscaleBehavior: Any = None
    autoscaleEnabled: Any = None
    autoscaleMax: Any = None
    autoscaleMin: Any = None
    configMap: Any = None
    cpu: Any = None
    crlConfigMapName: Any = None
    deploymentLabels: Any = None
    env: Any = None
    envVarFrom: Any = None
    extraContainerArgs: Any = None
    hub: Any = None
    image: Any = None
    initContainers: Any = None
    ipFamilies: Any = None
    ipFamilyPolicy: Any = None
    jwksResolverExtraRootCA: Any = None
    keepaliveMaxServerConnectionAge: Any = None
    memory: Any = None
    nodeSelector: Any = None
    podAnnotations: Any = None
    podLabels: Any = None
    replicaCount: Any = None
    resources: Any = None
    rollingMaxSurge: Any = None
    rollingMaxUnavailable: Any = None
    seccompProfile: Any = None
    serviceAccountAnnotations: Any = None
    serviceAnnotations: Any = None
    sidecarInjectorWebhookAnnotations: Any = None
    tag: Any = None
    taint: Any = None
    terminationGracePeriodSeconds: Any = None
    tolerations: Any = None
    topologySpreadConstraints: Any = None
    traceSampling: Any = None
    trustedZtunnelName: Any = None
    trustedZtunnelNamespace: Any = None
    variant: Any = None
    volumeMounts: Any = None
    volumes: Any = None


class PilotValues(_IstiodChartKeys):
    """`pilot` (istiod settings; the injector reads `env` and `cni`)."""

    cni: CniUsage | None = None
    configSource: Any = None
    crlConfigMapName: Text | None = None
    enabled: Any = None
    env: ScalarMap | None = None
    istiodRemote: Any = None


class SidecarInjectorWebhook(StrictModel):
    """`sidecarInjectorWebhook`."""

    alwaysInjectSelector: Selectors | None = None
    defaultTemplates: list[Text] | None = None
    enableNamespacesByDefault: Bool | None = None
    injectedAnnotations: StringMap | None = None
    injectionURL: Any = None
    neverInjectSelector: Selectors | None = None
    objectSelector: Any = None
    reinvocationPolicy: Literal["Never", "IfNeeded"] | None = None
    rewriteAppHTTPProbe: Bool | None = None
    templates: StringMap | None = None
    useLegacySelectors: Any = None


class GatewaysValues(StrictModel):
    """`gateways` (the gateway injection template reads `securityContext`/`seccompProfile`)."""

    enabled: Any = None
    istio_egressgateway: Any = Field(None, alias="istio-egressgateway")
    istio_ingressgateway: Any = Field(None, alias="istio-ingressgateway")
    seccompProfile: dict[str, Any] | None = None
    securityContext: dict[str, Any] | None = None


class Values(_IstiodChartKeys):
    """The whole values tree (operator `Values` plus the istio-discovery chart's keys)."""

    base: Any = None
    cni: Any = None
    compatibilityVersion: Any = None
    defaultRevision: Any = None
    experimental: Any = None
    gatewayClasses: Any = None
    gateways: GatewaysValues | None = None
    global_: GlobalValues | None = Field(None, alias="global")
    istio_cni: Any = None
    istiodRemote: Any = None
    meshConfig: dict[str, Any] | None = None
    ownerName: Any = None
    pilot: PilotValues | None = None
    platform: Any = None
    profile: Any = None
    revision: Text | None = None
    revisionTags: Any = None
    sidecarInjectorWebhook: SidecarInjectorWebhook | None = None
    telemetry: Any = None
    ztunnel: Any = None
    # istio-discovery chart values are flat: its top level also holds the istiod keys
    # (inherited from _IstiodChartKeys).
    internal_defaults: Any = Field(None, alias="_internal_defaults_do_not_set")
