"""meshinject against the YAML floor (libyaml) and a ruamel.yaml round-trip, same run.

    python benchmarks/run.py            # N = 500 and 5,000
    python benchmarks/run.py --huge     # also N = 50,000 (no ruamel baseline there)
    python benchmarks/run.py --sizes 200 --no-ruamel   # quick look

For each N the generated stream (benchmarks/generate.py) is injected by the real CLI in a
child process (wall time, peak RSS of that process), sequentially (`--jobs 1`) and on all
cores (`--jobs <cores>`), and the two outputs are compared byte for byte. Then, in
this process:

  floor  = PyYAML CSafeLoader load of the input + CSafeDumper dump of meshinject's own
           output (loaded as data first, not timed): what any YAML tool that reads this
           input and writes this output must pay.
  ruamel = ruamel.yaml round-trip (typ="rt") load + dump of the input.

Ratios are meshinject's sequential time over each baseline (startup included), as wall
time and as CPU time (user + sys of the child; `time.process_time()` for the in-process
baselines). On a loaded machine wall time mostly measures the other processes: judge
changes by the CPU figures.
Startup compares `meshinject --version` and a one-Deployment injection with `python -c pass`.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from generate import passthrough_stream, stream

MB = 1024 * 1024
BIN = Path(sys.executable).parent
MESHINJECT = (
    [str(BIN / "meshinject")]
    if (BIN / "meshinject").exists()
    else [sys.executable, "-m", "meshinject"]
)


# Linux counts the pre-exec memory of a forked child in its peak RSS (ru_maxrss), so a
# child of this process (which holds the generated stream) would report at least this
# process's size. A small launcher runs the CLI and reports the CLI's own usage instead.
_LAUNCHER = """\
import os, sys
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_cli(args: list[str], stdout_path: Path | None = None) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak RSS in MiB of the process, exit code).

    CPU is the CLI process's user + sys time; with `--jobs N` it counts only the parent
    process (worker processes are not waited for by it). Wall time includes the launcher's
    start (~10 ms).
    """
    out = stdout_path.open("wb") if stdout_path else subprocess.DEVNULL
    with tempfile.NamedTemporaryFile("r", suffix=".usage") as usage_file:
        command = [sys.executable, "-c", _LAUNCHER, usage_file.name, *MESHINJECT, *args]
        start = time.perf_counter()
        code = subprocess.run(command, stdout=out, stderr=subprocess.DEVNULL, check=False)
        wall = time.perf_counter() - start
        cpu, maxrss = usage_file.read().split()
    if stdout_path:
        out.close()  # type: ignore[union-attr]
    return wall, float(cpu), int(maxrss) // 1024, code.returncode


class Clock:
    """Wall and CPU seconds of a block: `with Clock() as c: ...; c.wall, c.cpu`."""

    def __enter__(self) -> Clock:
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall0
        self.cpu = time.process_time() - self.cpu0


def best(times: int, func: object) -> tuple[float, float]:
    """Best (wall, CPU) seconds of `times` calls."""
    walls, cpus = [], []
    for _ in range(times):
        with Clock() as c:
            func()  # type: ignore[operator]
        walls.append(c.wall)
        cpus.append(c.cpu)
    return min(walls), min(cpus)


def floor_time(text: str, output: str) -> tuple[Clock, Clock]:
    with Clock() as load:
        for _ in yaml.load_all(text, Loader=yaml.CSafeLoader):
            pass
    docs = list(yaml.load_all(output, Loader=yaml.CSafeLoader))
    with Clock() as dump:
        yaml.dump_all(docs, Dumper=yaml.CSafeDumper, sort_keys=False)
    return load, dump


def ruamel_time(text: str) -> Clock:
    from ruamel.yaml import YAML

    rt = YAML(typ="rt")
    with Clock() as c:
        docs = list(rt.load_all(text))
        rt.dump_all(docs, io.StringIO())
    return c


def bench_size(n: int, tmp: Path, *, ruamel: bool, floor: bool) -> None:
    text = stream(n)
    src = tmp / f"stream-{n}.yaml"
    src.write_text(text, encoding="utf-8")
    size = len(text.encode()) / MB
    docs = 3 * n
    seq_out, par_out = tmp / f"out-{n}-1.yaml", tmp / f"out-{n}-all.yaml"
    wall1, cpu1, rss1, rc1 = run_cli(["-q", "--jobs", "1", str(src)], seq_out)
    wall_all, _, rss_all, rc_all = run_cli(
        ["-q", "--jobs", str(os.cpu_count() or 1), str(src)], par_out
    )
    out_size = seq_out.stat().st_size / MB
    identical = seq_out.read_bytes() == par_out.read_bytes()
    print(f"\nN = {n:,}: {docs:,} documents, input {size:.1f} MB, output {out_size:.1f} MB")
    print(
        f"  meshinject --jobs 1    {wall1:7.2f} s  in {size / wall1:6.2f} MB/s  "
        f"out {out_size / wall1:6.2f} MB/s  {docs / wall1:8.0f} docs/s  "
        f"peak RSS {rss1} MiB  exit {rc1}"
    )
    print(f"                         CPU {cpu1:7.2f} s (user + sys)  {docs / cpu1:8.0f} docs/s")
    print(
        f"  meshinject (all cores) {wall_all:7.2f} s  in {size / wall_all:6.2f} MB/s  "
        f"speed-up x{wall1 / wall_all:.2f}  parent peak RSS {rss_all} MiB  exit {rc_all}  "
        f"output identical: {'yes' if identical else 'NO'}"
    )
    if floor:
        output = seq_out.read_text(encoding="utf-8")
        load, dump = floor_time(text, output)
        del output
        wall, cpu = load.wall + dump.wall, load.cpu + dump.cpu
        print(
            f"  floor (CSafeLoader load {load.wall:.2f} s + CSafeDumper dump {dump.wall:.2f} s) "
            f"{wall:7.2f} s  -> floor ratio {wall1 / wall:.2f}"
        )
        print(
            f"        CPU (load {load.cpu:.2f} s + dump {dump.cpu:.2f} s)"
            f"{'':15}{cpu:7.2f} s  -> floor ratio (CPU) {cpu1 / cpu:.2f}"
        )
    if ruamel:
        rt = ruamel_time(text)
        print(
            f"  ruamel round-trip      {rt.wall:7.2f} s  -> ruamel ratio {wall1 / rt.wall:.2f}"
            f"  (CPU {rt.cpu:.2f} s -> ratio {cpu1 / rt.cpu:.2f})"
        )
    seq_out.unlink()
    par_out.unlink()


def bench_passthrough(n: int, tmp: Path) -> None:
    text = passthrough_stream(n)
    src = tmp / f"passthrough-{n}.yaml"
    src.write_text(text, encoding="utf-8")
    size = len(text.encode()) / MB
    wall, cpu, rss, rc = run_cli(["-q", "--jobs", "1", str(src)], tmp / "passthrough.out")
    from meshinject.api import RunOptions, build_request, inject_text

    request = build_request(RunOptions())
    core, core_cpu = best(3, lambda: inject_text(text, request))
    print(f"\nPass-through only (N = {n:,}: {2 * n:,} Services and ConfigMaps, {size:.1f} MB):")
    print(
        f"  CLI {wall:.2f} s = {size / wall:.1f} MB/s (startup included), peak RSS {rss} MiB, "
        f"exit {rc}; stream core alone {core:.3f} s = {size / core:.1f} MB/s"
    )
    print(
        f"  CPU: CLI {cpu:.2f} s = {size / cpu:.1f} MB/s; "
        f"stream core alone {core_cpu:.3f} s = {size / core_cpu:.1f} MB/s"
    )


def bench_startup(tmp: Path) -> None:
    one = tmp / "one.yaml"
    one.write_text(stream(1), encoding="utf-8")

    def timed(cmd: list[str]) -> tuple[float, float]:
        walls, cpus = [], []
        for _ in range(5):
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, _, usage = os.wait4(proc.pid, 0)
            walls.append(time.perf_counter() - start)
            cpus.append(usage.ru_utime + usage.ru_stime)
        return min(walls), min(cpus)

    base, base_cpu = timed([sys.executable, "-c", "pass"])
    print("\nStartup (best of 5; wall, then CPU user + sys):")
    print(f"  python -c pass          {base:.3f} s  CPU {base_cpu:.3f} s")
    for label, cmd in (
        ("meshinject --version  ", [*MESHINJECT, "--version"]),
        ("meshinject --help     ", [*MESHINJECT, "--help"]),
        ("one-Deployment inject ", [*MESHINJECT, "-q", str(one)]),
    ):
        wall, cpu = timed(cmd)
        print(
            f"  {label}  {wall:.3f} s  (+{wall - base:.3f} s)  "
            f"CPU {cpu:.3f} s  (+{cpu - base_cpu:.3f} s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huge", action="store_true", help="also N = 50,000")
    parser.add_argument("--sizes", type=int, nargs="*", help="N values instead of 500 5000")
    parser.add_argument("--no-ruamel", action="store_true", help="skip the ruamel baseline")
    args = parser.parse_args()
    sizes = args.sizes or [500, 5000]
    if args.huge:
        sizes.append(50_000)
    print(
        f"meshinject benchmark on {platform.node()}: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory(prefix="meshinject-bench-") as name:
        tmp = Path(name)
        bench_startup(tmp)
        bench_passthrough(5000, tmp)
        for n in sizes:
            bench_size(n, tmp, ruamel=not args.no_ruamel and n <= 5000, floor=n <= 5000)


if __name__ == "__main__":
    main()
