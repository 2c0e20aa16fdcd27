"""meshinject: offline Istio sidecar injection that keeps your manifests' bytes."""

__version__ = "0.1.0"
#: The Istio release whose defaults are built in (meshinject.config.defaults uses it too).
ISTIO_VERSION = "1.31.0"
