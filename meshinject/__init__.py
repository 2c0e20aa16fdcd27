"""meshinject: offline Istio sidecar injection that keeps your manifests' bytes."""

__version__ = "0.1.0"
