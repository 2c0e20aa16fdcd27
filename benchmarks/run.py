"""meshinject against the YAML floor (libyaml) and a ruamel.yaml round-trip, same run.

    python benchmarks/run.py     # the issue-17 figures: floor ratio at N = 2,000 (-j 1 and
                                 # all cores), 50 MB pass-through, start-up, peak RSS at
                                 # N = 5,000 and 50,000 (about 10 minutes on 2 cores)
    python benchmarks/run.py --sizes 200 --rss-sizes 500 2000 --passthrough-mb 5 --no-ruamel
                                 # the same report, quick (about a minute)

Every figure is printed by the one run; the summary at the end repeats them.

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
changes by the CPU figures. With all cores, the ratio is meshinject's wall time over the
floor's CPU time (the floor is one process).
Pass-through is the CLI (`-j 1`) on a stream of Services and ConfigMaps only, in MB of
input per CPU second, start-up included. Startup compares `meshinject --version` and a
one-Deployment injection with `python -c pass`. Peak RSS is that of `-j 1` runs at the
`--rss-sizes` (no floor there: only memory is compared).

Before timing, the measured meshinject package is byte-compiled (`compileall`): with
PYTHONDONTWRITEBYTECODE set (as some environments export it) a checkout's modules would
otherwise be compiled from source on every start, which an installed wheel never does.
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
from generate import passthrough_stream, stream, stream_part

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


SUMMARY: list[str] = []


def bench_size(n: int, tmp: Path, *, ruamel: bool, floor: bool) -> None:
    text = stream(n)
    src = tmp / f"stream-{n}.yaml"
    src.write_text(text, encoding="utf-8")
    size = len(text.encode()) / MB
    docs = 3 * n
    cores = os.cpu_count() or 1
    seq_out, par_out = tmp / f"out-{n}-1.yaml", tmp / f"out-{n}-all.yaml"
    wall1, cpu1, rss1, rc1 = run_cli(["-q", "--jobs", "1", str(src)], seq_out)
    wall_all, _, rss_all, rc_all = run_cli(["-q", "--jobs", str(cores), str(src)], par_out)
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
        SUMMARY.append(
            f"floor ratio, N = {n:,}: -j 1 {cpu1 / cpu:.2f} (CPU {cpu1:.2f} s / floor CPU "
            f"{cpu:.2f} s); all {cores} cores {wall_all / cpu:.2f} (wall {wall_all:.2f} s / "
            f"floor CPU); -j {cores} output identical: {'yes' if identical else 'NO'}"
        )
    if ruamel:
        rt = ruamel_time(text)
        print(
            f"  ruamel round-trip      {rt.wall:7.2f} s  -> ruamel ratio {wall1 / rt.wall:.2f}"
            f"  (CPU {rt.cpu:.2f} s -> ratio {cpu1 / rt.cpu:.2f})"
        )
    seq_out.unlink()
    par_out.unlink()


def bench_memory(sizes: list[int], tmp: Path) -> None:
    """Peak RSS of `-j 1` runs: memory must not grow with the stream."""
    print("\nPeak RSS (-j 1):")
    peaks: list[tuple[int, int]] = []
    for n in sizes:
        src = tmp / f"rss-{n}.yaml"
        with src.open("w", encoding="utf-8") as out:
            for start in range(0, n, 1000):  # written in pieces: this process stays small
                out.write(stream_part(start, min(n, start + 1000)))
        wall, cpu, rss, rc = run_cli(["-q", "--jobs", "1", str(src)])
        src.unlink()
        peaks.append((n, rss))
        print(
            f"  N = {n:>7,}  peak RSS {rss:4d} MiB  (CPU {cpu:.2f} s, wall {wall:.2f} s, exit {rc})"
        )
    if len(peaks) > 1:
        (small, small_rss), (large, large_rss) = peaks[0], peaks[-1]
        SUMMARY.append(
            f"peak RSS: N = {small:,} {small_rss} MiB, N = {large:,} {large_rss} MiB "
            f"(x{large_rss / small_rss:.2f})"
        )


def bench_passthrough(megabytes: float, tmp: Path) -> None:
    per_pair = len(passthrough_stream(1).encode())
    n = max(1, int(megabytes * MB / per_pair))
    text = passthrough_stream(n)
    src = tmp / f"passthrough-{n}.yaml"
    src.write_text(text, encoding="utf-8")
    size = len(text.encode()) / MB
    out = tmp / "passthrough.out"
    wall, cpu, rss, rc = run_cli(["-q", "--jobs", "1", str(src)], out)
    identical = out.read_bytes() == src.read_bytes()
    out.unlink()
    from meshinject.api import RunOptions, build_request, inject_text

    request = build_request(RunOptions())
    core, core_cpu = best(3, lambda: inject_text(text, request))
    print(f"\nPass-through only (N = {n:,}: {2 * n:,} Services and ConfigMaps, {size:.1f} MB):")
    print(
        f"  CLI {wall:.2f} s = {size / wall:.1f} MB/s (startup included), peak RSS {rss} MiB, "
        f"exit {rc}, output identical to input: {'yes' if identical else 'NO'}; "
        f"stream core alone {core:.3f} s = {size / core:.1f} MB/s"
    )
    print(
        f"  CPU: CLI {cpu:.2f} s = {size / cpu:.1f} MB/s; "
        f"stream core alone {core_cpu:.3f} s = {size / core_cpu:.1f} MB/s"
    )
    SUMMARY.append(
        f"pass-through, {size:.1f} MB through the CLI (-j 1): {size / cpu:.1f} MB/s CPU, "
        f"byte-identical: {'yes' if identical else 'NO'}"
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
        SUMMARY.append(f"start-up, {label.strip()}: {cpu:.3f} s CPU")


def compile_package() -> None:
    """Byte-compile the meshinject the CLI runs (see the module docstring)."""
    import importlib.util

    spec = importlib.util.find_spec("meshinject")
    if spec is None or spec.origin is None:
        return
    folder = str(Path(spec.origin).parent)
    subprocess.run([sys.executable, "-m", "compileall", "-q", folder], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=[2000], help="N for the floor ratio (2000)"
    )
    parser.add_argument(
        "--rss-sizes",
        type=int,
        nargs="*",
        default=[5000, 50_000],
        help="N for the peak RSS comparison (5000 50000); none to skip",
    )
    parser.add_argument(
        "--passthrough-mb", type=float, default=50, help="pass-through stream size (50)"
    )
    parser.add_argument("--no-ruamel", action="store_true", help="skip the ruamel baseline")
    args = parser.parse_args()
    machine = (
        f"{_cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"meshinject benchmark on {platform.node()}: {machine}")
    compile_package()
    with tempfile.TemporaryDirectory(prefix="meshinject-bench-") as name:
        tmp = Path(name)
        bench_startup(tmp)
        bench_passthrough(args.passthrough_mb, tmp)
        for n in args.sizes:
            bench_size(n, tmp, ruamel=not args.no_ruamel and n <= 5000, floor=n <= 5000)
        if args.rss_sizes:
            bench_memory(args.rss_sizes, tmp)
    print(f"\nSummary ({machine}; CPU = user + sys):")
    for line in SUMMARY:
        print(f"  {line}")


def _cpu_model() -> str:
    try:
        with Path("/proc/cpuinfo").open(encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


if __name__ == "__main__":
    main()
