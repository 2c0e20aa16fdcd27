"""Byte-preserving YAML text layer: split streams, sniff kinds, load, and splice edits.

Outside what an edit changes, output text is input text byte-for-byte: streams are split
as text, untouched documents are passed through, and edited documents get minimal text
splices at node positions from libyaml's event marks (see `splice.py`), with a verified
ruamel.yaml round-trip as the fallback (`roundtrip.py`).
"""

from meshinject.yamltext.edit import EDIT_PATHS, edit_document, edit_document_ex
from meshinject.yamltext.emit import dump_yaml
from meshinject.yamltext.loaded import LoadedDocument, load_document
from meshinject.yamltext.sniff import Sniff, sniff_kind
from meshinject.yamltext.split import RawDocument, first_content_line, split_stream

__all__ = [
    "EDIT_PATHS",
    "LoadedDocument",
    "RawDocument",
    "Sniff",
    "dump_yaml",
    "edit_document",
    "edit_document_ex",
    "first_content_line",
    "load_document",
    "sniff_kind",
    "split_stream",
]
