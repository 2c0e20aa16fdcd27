"""sniff_kind: a fast text-only guess that answers UNKNOWN whenever it could be wrong."""

import pytest

from meshinject.yamltext import Sniff, sniff_kind
from tests.yamltext.manifests import deployment


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n", "---\n", "--- # c\n...\n"])
def test_empty(text: str) -> None:
    assert sniff_kind(text) == Sniff.EMPTY


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (deployment(1), "Deployment"),
        ("---\napiVersion: v1\nkind: Service\n", "Service"),
        ('kind: "ConfigMap"  # quoted\n', "ConfigMap"),
        ("apiVersion: v1\n# kind: Pod\nkind: List\nitems: []\n", "List"),
        ("kindness: 1\nkind: Job\n", "Job"),
    ],
)
def test_kind(text: str, kind: str) -> None:
    assert sniff_kind(text) == Sniff.kind(kind)


@pytest.mark.parametrize(
    "text",
    [
        '{"kind": "Pod"}',  # JSON / flow
        "--- {kind: Pod}\n",  # content on the marker line
        "kind: Pod\nkind: Service\n",  # duplicate kind lines
        "kind: !!str Pod\n",  # tags
        "kind: &k Pod\n",  # anchors
        "kind:\n",  # no value
        "- kind: Pod\n",  # a sequence document
        'a: "multi\nkind: Pod"\nkind: Service\n',  # open quote: continuation at column 0
        "? kind\n: Pod\n",  # explicit key
        "metadata:\n  kind: Pod\n",  # no column-0 kind
        "'kind': Secret\n",  # column-0 quotes could open a multi-line key
    ],
)
def test_unknown(text: str) -> None:
    assert sniff_kind(text) == Sniff.UNKNOWN
