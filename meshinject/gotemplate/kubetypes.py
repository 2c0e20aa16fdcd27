"""The Kubernetes and Istio types injection templates see, declared in Go field order.

Kubernetes (`k8s.io/api/core/v1`, `metav1`): the structs a pod is made of, with each
field's JSON name and Go kind (see `gotypes.typed`). Fields that exist in Go but that
meshinject does not model are `raw`: a template reading one fails with a message naming
it. Istio (`istio.io/api/mesh/v1alpha1`): ProxyConfig, MeshConfig and the messages under
them that templates read, as protobuf messages (nil-safe `GetX` getters, enum names).
"""

from __future__ import annotations

from .gotypes import ENUMS, message_type, struct_type

ObjectMeta = struct_type(
    "ObjectMeta",
    "v1.ObjectMeta",
    "Name name string; GenerateName generateName string; Namespace namespace string;"
    " SelfLink selfLink string; UID uid string; ResourceVersion resourceVersion string;"
    " Generation generation int; CreationTimestamp creationTimestamp raw;"
    " DeletionTimestamp deletionTimestamp raw;"
    " DeletionGracePeriodSeconds deletionGracePeriodSeconds *int;"
    " Labels labels map; Annotations annotations map;"
    " OwnerReferences ownerReferences []OwnerReference; Finalizers finalizers []string;"
    " ManagedFields managedFields raw",
)
struct_type(
    "OwnerReference",
    "v1.OwnerReference",
    "APIVersion apiVersion string!; Kind kind string!; Name name string!; UID uid string!;"
    " Controller controller *bool; BlockOwnerDeletion blockOwnerDeletion *bool",
)
struct_type("TypeMeta", "v1.TypeMeta", "Kind kind string; APIVersion apiVersion string")
struct_type(
    "ContainerPort",
    "v1.ContainerPort",
    "Name name string; HostPort hostPort int; ContainerPort containerPort int!;"
    " Protocol protocol string; HostIP hostIP string",
)
struct_type(
    "EnvVar",
    "v1.EnvVar",
    "Name name string!; Value value string; ValueFrom valueFrom raw",
)
struct_type(
    "ResourceRequirements",
    "v1.ResourceRequirements",
    "Limits limits resourcelist; Requests requests resourcelist; Claims claims raw",
)
struct_type(
    "VolumeMount",
    "v1.VolumeMount",
    "Name name string!; ReadOnly readOnly bool; RecursiveReadOnly recursiveReadOnly *string;"
    " MountPath mountPath string!; SubPath subPath string;"
    " MountPropagation mountPropagation *string; SubPathExpr subPathExpr string",
)
struct_type("HTTPHeader", "v1.HTTPHeader", "Name name string!; Value value string!")
struct_type(
    "HTTPGetAction",
    "v1.HTTPGetAction",
    "Path path string; Port port intstr!; Host host string; Scheme scheme string;"
    " HTTPHeaders httpHeaders []HTTPHeader",
)
struct_type("TCPSocketAction", "v1.TCPSocketAction", "Port port intstr!; Host host string")
struct_type("ExecAction", "v1.ExecAction", "Command command []string")
struct_type("GRPCAction", "v1.GRPCAction", "Port port int!; Service service *string!")
struct_type(
    "Probe",
    "v1.Probe",
    "Exec exec *ExecAction; HTTPGet httpGet *HTTPGetAction; TCPSocket tcpSocket *TCPSocketAction;"
    " GRPC grpc *GRPCAction; InitialDelaySeconds initialDelaySeconds int;"
    " TimeoutSeconds timeoutSeconds int; PeriodSeconds periodSeconds int;"
    " SuccessThreshold successThreshold int; FailureThreshold failureThreshold int;"
    " TerminationGracePeriodSeconds terminationGracePeriodSeconds *int",
)
struct_type(
    "Container",
    "v1.Container",
    "Name name string!; Image image string; Command command []string; Args args []string;"
    " WorkingDir workingDir string; Ports ports []ContainerPort; EnvFrom envFrom raw;"
    " Env env []EnvVar; Resources resources ResourceRequirements!; ResizePolicy resizePolicy raw;"
    " RestartPolicy restartPolicy *string; RestartPolicyRules restartPolicyRules raw;"
    " VolumeMounts volumeMounts []VolumeMount;"
    " VolumeDevices volumeDevices raw; LivenessProbe livenessProbe *Probe;"
    " ReadinessProbe readinessProbe *Probe; StartupProbe startupProbe *Probe;"
    " Lifecycle lifecycle raw; TerminationMessagePath terminationMessagePath string;"
    " TerminationMessagePolicy terminationMessagePolicy string;"
    " ImagePullPolicy imagePullPolicy string; SecurityContext securityContext raw;"
    " Stdin stdin bool; StdinOnce stdinOnce bool; TTY tty bool",
)
struct_type("LocalObjectReference", "v1.LocalObjectReference", "Name name string")
PodSpec = struct_type(
    "PodSpec",
    "v1.PodSpec",
    "Volumes volumes raw; InitContainers initContainers []Container;"
    " Containers containers []Container!; EphemeralContainers ephemeralContainers raw;"
    " RestartPolicy restartPolicy string;"
    " TerminationGracePeriodSeconds terminationGracePeriodSeconds *int;"
    " ActiveDeadlineSeconds activeDeadlineSeconds *int; DNSPolicy dnsPolicy string;"
    " NodeSelector nodeSelector map; ServiceAccountName serviceAccountName string;"
    " DeprecatedServiceAccount serviceAccount string;"
    " AutomountServiceAccountToken automountServiceAccountToken *bool;"
    " NodeName nodeName string; HostNetwork hostNetwork bool; HostPID hostPID bool;"
    " HostIPC hostIPC bool; ShareProcessNamespace shareProcessNamespace *bool;"
    " SecurityContext securityContext raw;"
    " ImagePullSecrets imagePullSecrets []LocalObjectReference; Hostname hostname string;"
    " Subdomain subdomain string; Affinity affinity raw; SchedulerName schedulerName string;"
    " Tolerations tolerations raw; HostAliases hostAliases raw;"
    " PriorityClassName priorityClassName string; Priority priority *int;"
    " DNSConfig dnsConfig raw; ReadinessGates readinessGates raw;"
    " RuntimeClassName runtimeClassName *string; EnableServiceLinks enableServiceLinks *bool;"
    " PreemptionPolicy preemptionPolicy *string; Overhead overhead resourcelist;"
    " TopologySpreadConstraints topologySpreadConstraints raw;"
    " SetHostnameAsFQDN setHostnameAsFQDN *bool; OS os raw; HostUsers hostUsers *bool;"
    " SchedulingGates schedulingGates raw; ResourceClaims resourceClaims raw;"
    " Resources resources raw; HostnameOverride hostnameOverride *string",
)
struct_type(
    "NamespacedName", "types.NamespacedName", "Namespace namespace string; Name name string"
)

# --- istio.io/api/mesh/v1alpha1 -----------------------------------------------------

ENUMS["ProxyConfig_InboundInterceptionMode"] = ("REDIRECT", "TPROXY", "NONE")
ENUMS["AuthenticationPolicy"] = ("NONE", "MUTUAL_TLS", "INHERIT")
ENUMS["ProxyConfig_TracingServiceName"] = (
    "APP_LABEL_AND_NAMESPACE",
    "CANONICAL_NAME_ONLY",
    "CANONICAL_NAME_AND_NAMESPACE",
)
ENUMS["MeshConfig_InboundTrafficPolicy_Mode"] = ("PASSTHROUGH", "LOCALHOST")
ENUMS["MeshConfig_OutboundTrafficPolicy_Mode"] = ("REGISTRY_ONLY", "ALLOW_ANY")
ENUMS["MeshConfig_ExtensionProvider_OpenTelemetryTracingProvider_ServiceAttributeEnrichment"] = (
    "NONE",
    "OTEL_SEMANTIC_CONVENTIONS",
)

message_type(
    "ProxyConfig",
    "ConfigPath configPath string; BinaryPath binaryPath string;"
    " ServiceCluster serviceCluster string; DrainDuration drainDuration duration;"
    " ParentShutdownDuration parentShutdownDuration duration;"
    " DiscoveryAddress discoveryAddress string; ZipkinAddress zipkinAddress string;"
    " StatsdUdpAddress statsdUdpAddress string; ProxyAdminPort proxyAdminPort int;"
    " ControlPlaneAuthPolicy controlPlaneAuthPolicy enum:AuthenticationPolicy;"
    " CustomConfigFile customConfigFile string; StatNameLength statNameLength int;"
    " Concurrency concurrency int32value;"
    " ProxyBootstrapTemplatePath proxyBootstrapTemplatePath string;"
    " InterceptionMode interceptionMode enum:ProxyConfig_InboundInterceptionMode;"
    " Tracing tracing msg:Tracing; EnvoyAccessLogService envoyAccessLogService msg:RemoteService;"
    " EnvoyMetricsService envoyMetricsService msg:RemoteService;"
    " ProxyMetadata proxyMetadata map; RuntimeValues runtimeValues map;"
    " StatusPort statusPort int; ExtraStatTags extraStatTags []string;"
    " TerminationDrainDuration terminationDrainDuration duration; MeshId meshId string;"
    " HoldApplicationUntilProxyStarts holdApplicationUntilProxyStarts boolvalue;"
    " CaCertificatesPem caCertificatesPem []string; Image image msg:ProxyImage;"
    " TracingServiceName tracingServiceName enum:ProxyConfig_TracingServiceName;"
    " FileFlushInterval fileFlushInterval duration;"
    " FileFlushMinSizeKb fileFlushMinSizeKb int; StatsCompression statsCompression boolvalue;"
    " ReadinessProbe readinessProbe json; ProxyStatsMatcher proxyStatsMatcher json;"
    " GatewayTopology gatewayTopology json; Sds sds json;"
    " PrivateKeyProvider privateKeyProvider json;"
    " ProxyHeaders proxyHeaders json; EnableHttp2Connect enableHttp2Connect boolvalue",
)
message_type("ProxyImage", "ImageType imageType string")
message_type(
    "Tracing",
    "TlsSettings tlsSettings msg:ClientTLSSettings; CustomTags customTags json;"
    " MaxPathTagLength maxPathTagLength int; Sampling sampling doublevalue;"
    " Zipkin zipkin json; Lightstep lightstep json; Datadog datadog json;"
    " Stackdriver stackdriver json; OpenCensusAgent openCensusAgent json",
)
message_type(
    "ClientTLSSettings",
    "Mode mode string; ClientCertificate clientCertificate string; PrivateKey privateKey string;"
    " CaCertificates caCertificates string; CredentialName credentialName string;"
    " SubjectAltNames subjectAltNames []string; Sni sni string",
)
message_type(
    "RemoteService",
    "Address address string; TlsSettings tlsSettings msg:ClientTLSSettings",
)
message_type(
    "MeshConfig",
    "ProxyListenPort proxyListenPort int; ProxyInboundListenPort proxyInboundListenPort int;"
    " ProxyHttpPort proxyHttpPort int; ConnectTimeout connectTimeout duration;"
    " ProtocolDetectionTimeout protocolDetectionTimeout duration;"
    " IngressClass ingressClass string; IngressService ingressService string;"
    " IngressSelector ingressSelector string; EnableTracing enableTracing bool;"
    " AccessLogFile accessLogFile string; AccessLogFormat accessLogFormat string;"
    " EnableEnvoyAccessLogService enableEnvoyAccessLogService bool;"
    " DisableEnvoyListenerLog disableEnvoyListenerLog bool;"
    " DefaultConfig defaultConfig msg:ProxyConfig;"
    " OutboundTrafficPolicy outboundTrafficPolicy msg:MeshConfig_OutboundTrafficPolicy;"
    " InboundTrafficPolicy inboundTrafficPolicy msg:MeshConfig_InboundTrafficPolicy;"
    " EnableAutoMtls enableAutoMtls boolvalue; TrustDomain trustDomain string;"
    " TrustDomainAliases trustDomainAliases []string; RootNamespace rootNamespace string;"
    " EnablePrometheusMerge enablePrometheusMerge boolvalue;"
    " ExtensionProviders extensionProviders []msg;"
    " DefaultProviders defaultProviders json; DiscoverySelectors discoverySelectors json;"
    " InboundClusterStatName inboundClusterStatName string;"
    " OutboundClusterStatName outboundClusterStatName string; MeshMTLS meshMTLS json;"
    " TlsDefaults tlsDefaults json; CompliancePolicy compliancePolicy string",
)
message_type(
    "MeshConfig_InboundTrafficPolicy", "Mode mode enum:MeshConfig_InboundTrafficPolicy_Mode"
)
message_type(
    "MeshConfig_OutboundTrafficPolicy", "Mode mode enum:MeshConfig_OutboundTrafficPolicy_Mode"
)
message_type(
    "ExtensionProviders",
    "Name name string; Opentelemetry opentelemetry msg:OpenTelemetryTracingProvider;"
    " Zipkin zipkin json; Datadog datadog json; Lightstep lightstep json;"
    " Stackdriver stackdriver json; Skywalking skywalking json",
)
message_type(
    "OpenTelemetryTracingProvider",
    "Service service string; Port port int; MaxTagLength maxTagLength int;"
    " ServiceAttributeEnrichment serviceAttributeEnrichment"
    " enum:MeshConfig_ExtensionProvider_OpenTelemetryTracingProvider_ServiceAttributeEnrichment",
)
