"""Typed models of MeshConfig and ProxyConfig (Istio's `istio.mesh.v1alpha1` protos).

Field names are the proto-JSON (camelCase) names. Fields the injector reads are typed;
other known fields are accepted as they are; unknown fields are errors. Durations are
normalised to the proto-JSON spelling (`"45s"`), enums are their names.
"""

from __future__ import annotations

from typing import Any, Literal

from meshinject.config.fieldtypes import (
    Bool,
    Duration,
    NonNegInt,
    Port,
    ProtoStringMap,
    StrictModel,
    Text,
)


class ProxyConfigModel(StrictModel):
    """`ProxyConfig`: mesh `defaultConfig` and the `proxy.istio.io/config` annotation."""

    configPath: Text | None = None
    binaryPath: Text | None = None
    serviceCluster: Text | None = None
    tracingServiceName: (
        Literal["APP_LABEL_AND_NAMESPACE", "CANONICAL_NAME_ONLY", "CANONICAL_NAME_AND_NAMESPACE"]
        | None
    ) = None
    drainDuration: Duration | None = None
    parentShutdownDuration: Duration | None = None
    discoveryAddress: Text | None = None
    discoveryRefreshDelay: Duration | None = None
    zipkinAddress: Text | None = None
    statsdUdpAddress: Text | None = None
    envoyMetricsServiceAddress: Text | None = None
    proxyAdminPort: Port | None = None
    availabilityZone: Text | None = None
    controlPlaneAuthPolicy: Literal["NONE", "MUTUAL_TLS", "INHERIT"] | None = None
    customConfigFile: Text | None = None
    statNameLength: NonNegInt | None = None
    concurrency: NonNegInt | None = None
    proxyBootstrapTemplatePath: Text | None = None
    interceptionMode: Literal["REDIRECT", "TPROXY", "NONE"] | None = None
    tracing: dict[str, Any] | None = None
    sds: dict[str, Any] | None = None
    envoyAccessLogService: dict[str, Any] | None = None
    envoyMetricsService: dict[str, Any] | None = None
    proxyMetadata: ProtoStringMap | None = None
    runtimeValues: ProtoStringMap | None = None
    statusPort: Port | None = None
    extraStatTags: list[Text] | None = None
    gatewayTopology: dict[str, Any] | None = None
    terminationDrainDuration: Duration | None = None
    meshId: Text | None = None
    readinessProbe: dict[str, Any] | None = None
    proxyStatsMatcher: dict[str, Any] | None = None
    holdApplicationUntilProxyStarts: Bool | None = None
    caCertificatesPem: list[Text] | None = None
    image: dict[str, Any] | None = None
    privateKeyProvider: dict[str, Any] | None = None
    proxyHeaders: dict[str, Any] | None = None
    fileFlushInterval: Duration | None = None
    fileFlushMinSizeKb: NonNegInt | None = None
    statsCompression: Bool | None = None
    enableHttp2Connect: Bool | None = None


class OutboundTrafficPolicy(StrictModel):
    mode: Literal["REGISTRY_ONLY", "ALLOW_ANY"] | None = None
    egressProxy: Any = None


class InboundTrafficPolicy(StrictModel):
    mode: Literal["PASSTHROUGH", "LOCALHOST"] | None = None


class DefaultProviders(StrictModel):
    tracing: list[Text] | None = None
    metrics: list[Text] | None = None
    accessLogging: list[Text] | None = None


class ExtensionProvider(StrictModel):
    """One `extensionProviders` entry: a name and one provider configuration."""

    name: Text
    envoyExtAuthzHttp: Any = None
    envoyExtAuthzGrpc: Any = None
    zipkin: Any = None
    lightstep: Any = None
    datadog: Any = None
    stackdriver: Any = None
    opencensus: Any = None
    skywalking: Any = None
    opentelemetry: Any = None
    prometheus: Any = None
    envoyFileAccessLog: Any = None
    envoyHttpAls: Any = None
    envoyTcpAls: Any = None
    envoyOtelAls: Any = None
    sds: Any = None


class MeshConfigModel(StrictModel):
    """`MeshConfig` (`data.mesh` of ConfigMap `istio`)."""

    proxyListenPort: Port | None = None
    proxyInboundListenPort: Port | None = None
    proxyHttpPort: Port | None = None
    connectTimeout: Duration | None = None
    protocolDetectionTimeout: Duration | None = None
    tcpKeepalive: Any = None
    ingressClass: Text | None = None
    ingressService: Text | None = None
    ingressControllerMode: Literal["UNSPECIFIED", "OFF", "DEFAULT", "STRICT"] | None = None
    ingressSelector: Text | None = None
    enableTracing: Bool | None = None
    accessLogFile: Text | None = None
    accessLogFormat: Text | None = None
    accessLogEncoding: Literal["TEXT", "JSON"] | None = None
    enableEnvoyAccessLogService: Bool | None = None
    disableEnvoyListenerLog: Bool | None = None
    defaultConfig: ProxyConfigModel | None = None
    outboundTrafficPolicy: OutboundTrafficPolicy | None = None
    inboundTrafficPolicy: InboundTrafficPolicy | None = None
    configSources: Any = None
    enableAutoMtls: Bool | None = None
    trustDomain: Text | None = None
    trustDomainAliases: list[Text] | None = None
    caCertificates: Any = None
    defaultServiceExportTo: list[Text] | None = None
    defaultVirtualServiceExportTo: list[Text] | None = None
    defaultDestinationRuleExportTo: list[Text] | None = None
    rootNamespace: Text | None = None
    localityLbSetting: Any = None
    dnsRefreshRate: Duration | None = None
    h2UpgradePolicy: Literal["DO_NOT_UPGRADE", "UPGRADE"] | None = None
    inboundClusterStatName: Text | None = None
    outboundClusterStatName: Text | None = None
    certificates: Any = None
    serviceSettings: Any = None
    enablePrometheusMerge: Bool | None = None
    verifyCertificateAtClient: Any = None
    ca: Any = None
    extensionProviders: list[ExtensionProvider] | None = None
    defaultProviders: DefaultProviders | None = None
    discoverySelectors: Any = None
    pathNormalization: Any = None
    defaultHttpRetryPolicy: Any = None
    meshMTLS: Any = None
    tlsDefaults: Any = None
    compliancePolicy: Text | None = None
    serviceScopeConfigs: Any = None
    # Accepted for older mesh config documents.
    ambientMesh: Any = None
    thriftConfig: Any = None
