"""`load_document`: one document's text -> data plus a lazily built position tree."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from meshinject.yamltext import events as ev
from meshinject.yamltext.compose import compose
from meshinject.yamltext.nodes import Node, build_tree


class LoadedDocument:
    """A parsed document: `data` (plain Python), `root` (position tree), `text`.

    The tree is built on first access, from the events the load kept when the caller
    expected an edit (`load_document(text, keep_events=True)`; they are dropped once the
    tree is built), else by parsing the text again: most loaded documents are only
    inspected, never edited, so they never pay for it, and keeping every event alive
    would cost memory and garbage-collector time on large streams.
    """

    def __init__(self, text: str, data: Any, events: list[Any] | None = None) -> None:
        self.text = text
        self.data = data
        self._events = events

    @cached_property
    def root(self) -> Node | None:
        events, self._events = self._events, None
        if events is None:
            get = ev.event_source(self.text)
            events = []
            while (event := get()) is not None:
                events.append(event)
        return build_tree(events, self.text)

    def __repr__(self) -> str:
        return f"LoadedDocument(data={self.data!r})"


def load_document(text: str, *, keep_events: bool = False) -> LoadedDocument:
    """Parse one YAML document; InputError carries line:col relative to `text` (1-based).

    With `keep_events`, the document keeps its parser events until its position tree
    (`root`) is built from them: for documents that will probably be edited.
    """
    events: list[Any] | None = [] if keep_events else None
    try:
        data = compose(ev.event_source(text), events)
    except ev.YAMLError as exc:
        raise ev.input_error(exc, text) from None
    return LoadedDocument(text, data, events)
