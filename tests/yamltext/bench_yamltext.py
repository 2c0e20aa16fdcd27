"""Benchmark of the text layer (not collected by pytest): `python tests/yamltext/bench_yamltext.py`.

Prints throughput of split+sniff, load_document vs PyYAML CSafeLoader on the same
Deployments, and the cost of a typical sidecar edit vs one more load of its output.
"""

from __future__ import annotations

import time

import yaml

from meshinject.yamltext import (
    EDIT_PATHS,
    Sniff,
    edit_document,
    load_document,
    sniff_kind,
    split_stream,
)
from tests.yamltext.manifests import inject, realistic_stream


def best(fn: object, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    stream = realistic_stream(2000)
    mb = len(stream.encode()) / 1e6
    docs = split_stream(stream)
    t = best(lambda: [sniff_kind(d.text) for d in split_stream(stream)])
    print(f"stream: {mb:.1f} MB, {len(docs)} documents")
    print(f"split_stream + sniff_kind: {t * 1000:.0f} ms = {mb / t:.0f} MB/s")

    deployments = [d.text for d in docs if sniff_kind(d.text) == Sniff.kind("Deployment")]
    t_pyyaml = best(lambda: [yaml.load(d, Loader=yaml.CSafeLoader) for d in deployments])
    t_ours = best(lambda: [load_document(d) for d in deployments])
    print(
        f"load {len(deployments)} Deployments: ours {t_ours:.3f} s, CSafeLoader {t_pyyaml:.3f} s"
        f" ({t_ours / t_pyyaml:.2f}x)"
    )

    loaded = [load_document(d) for d in deployments[:500]]
    targets = [inject(doc.data) for doc in loaded]
    outputs: list[str] = []
    t_edit = best(lambda: outputs.__setitem__(slice(None), map(edit_document, loaded, targets)))
    t_reload = best(lambda: [load_document(o) for o in outputs])
    print(
        f"edit 500 Deployments (sidecar): {t_edit * 1000 / 500:.2f} ms/doc incl. verification;"
        f" one load of the output: {t_reload * 1000 / 500:.2f} ms/doc"
    )
    print(f"edit paths taken: {dict(EDIT_PATHS)}")


if __name__ == "__main__":
    main()
