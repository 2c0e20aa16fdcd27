"""The namespaces a whole run declares: Namespace objects in any of its input files.

A repository often keeps its Namespaces in one file (`namespaces.yaml`) and its workloads
in others; the cluster applies a namespace's labels to every pod in it wherever the
manifests live. So before any file is injected, every input is searched for Namespace
documents (and `kubectl get ns -o yaml` Lists). Files that never mention `Namespace` are
only read as bytes; problems in a file are reported when the file itself is processed.
"""

from __future__ import annotations

from collections.abc import Iterable

from meshinject.errors import MeshInjectError
from meshinject.files.documents import iter_documents
from meshinject.files.encoding import check_encoding
from meshinject.files.source import Source
from meshinject.inject.document import InjectionRequest
from meshinject.policy import NamespaceInfo
from meshinject.stream import INTERESTING_KINDS, scan_documents


def declared_namespaces(
    sources: Iterable[Source], request: InjectionRequest
) -> dict[str, NamespaceInfo]:
    """`name -> labels` of every Namespace the sources declare (a later file wins)."""
    found: dict[str, NamespaceInfo] = {}
    for source in sources:
        try:
            if not _mentions_namespace(source):
                continue
            encoding = check_encoding(source)
            docs = iter_documents(source, encoding, runs_outside=INTERESTING_KINDS)
            scan = scan_documents(docs, request)
        except MeshInjectError:
            continue  # reported with the file
        finally:
            source.release()  # read again (the same version) when the file is processed
        found.update(scan.namespaces)
    return found


def _mentions_namespace(source: Source) -> bool:
    try:
        return any(b"Namespace" in block for block in source.blocks())
    except MeshInjectError:
        return False
