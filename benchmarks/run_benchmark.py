"""The national-scale benchmark (issue 6): the library's commune ranking against a hand-written script.

Country mode (the default) generates the synthetic country if needed (``generate_country.py``;
``--scale 1`` into ``benchmarks/out/country``, ``--scale N`` into ``benchmarks/out/country-xN``),
then runs, each in its own process, interleaved (one run of each program at each scale per round):

- ``cli``: ``dvctt-rules rank --hierarchy … --levels … --targets … --data … --level commune --format json``;
- ``api``: the same through the Python API (``api_rank.py``);
- ``handwritten``: the floor, ``handwritten_rank.py`` (csv, dicts and Fractions, no library).

It checks that the three give the same (unit, rank) list and the same exact scores, then prints for
each the wall time (median of ``--runs`` runs after ``--warmup`` runs), the peak memory (maximum
resident set size of the child process, from ``os.wait4``) and the ratios to the hand-written script.
With several ``--scale`` values it also prints how the time grows with the number of units.

Shipped mode (``--mode shipped``) measures ``import dvctt_rules`` and every command on the shipped
Bình Dương data against the 0.5 s target. Commands mode (``--mode commands``) times every other
command on the default country (evaluate, roll-ups, per-period ranking, ``validate`` of a file
with one bad cell or 200 unknown units, …; no target, for the record), and ranks against the
hand-written script the communes of a two-tier country (34 provinces, no districts, as after the
2025 reform), of the default country with its observations listed month by month, and of the
default country with its observations naming each unit by name instead of id. ``--mode all``
does all three.

    python benchmarks/run_benchmark.py [--scale 1] [--scale 10] [--runs 5] [--warmup 1]
        [--mode country|shipped|commands|all] [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LEVELS = "country,province,department,district,commune"
BIN = Path(sys.executable).parent
CLI = str(BIN / "dvctt-rules")

TARGETS = {
    "cli_over_handwritten_time": 1.0,
    "cli_peak_mib": 150.0,
    "scale_10_time_ratio": 11.0,
    "import_seconds": 0.3,
    "command_seconds": 0.5,
}

SHIPPED_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("units",),
    ("validate", "--data", "examples/observations-2024.csv"),
    ("plan",),
    ("evaluate",),
    ("rollup", "--level", "district"),
    ("rank", "--level", "district"),
    ("rank", "--level", "commune"),
)


def machine() -> dict[str, str]:
    """The machine the figures come from."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
    }


TIME = "/usr/bin/time"


def run_once(
    command: list[str], *, cwd: Path | str = ROOT, keep_output: bool = True, expected: int = 0
) -> tuple[float, float, str, str]:
    """Run ``command``; returns (wall seconds, peak RSS in MiB, stdout, stderr). Fails on an exit
    status other than ``expected``.

    The peak is the child's maximum resident set size as ``/usr/bin/time`` reports it. (Read with
    ``os.wait4`` straight from a child of this process, it would be at least this process's own peak:
    Linux hands the parent's high-water mark to a child started with vfork and exec.)
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile() as rss,
    ):
        timed = [TIME, "-f", "%M", "-o", rss.name, *command] if os.path.exists(TIME) else command
        start = time.perf_counter()
        process = subprocess.Popen(timed, stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8")
        if process.returncode != expected:
            raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{stderr}")
        stdout = ""
        if keep_output:
            out.seek(0)
            stdout = out.read().decode("utf-8")
        reported = Path(rss.name).read_text().strip().splitlines()
        peak_kib = int(reported[-1]) if timed is not command and reported else usage.ru_maxrss
    return elapsed, peak_kib / 1024, stdout, stderr


def measure(command: list[str], runs: int, warmup: int, *, cwd: Path | str = ROOT) -> dict[str, Any]:
    """Median, min and max wall time and the peak memory over ``runs`` runs after ``warmup`` runs."""
    return measure_all({"command": command}, runs, warmup, cwd=cwd)["command"]


def measure_all(
    commands: dict[str, list[str]],
    runs: int,
    warmup: int,
    *,
    cwd: Path | str = ROOT,
    statuses: Mapping[str, int] | None = None,
) -> dict[str, dict[str, Any]]:
    """:func:`measure` for several commands, interleaved: each round runs every command once, so a
    slow spell of the machine affects them alike (the ratios are what the targets are about).
    ``statuses``: the exit status expected of a command, when not 0."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[float]] = {name: [] for name in commands}
    outputs: dict[str, str] = {}
    for round_ in range(warmup + runs):
        last = round_ == warmup + runs - 1
        for name, command in commands.items():
            expected = (statuses or {}).get(name, 0)
            elapsed, peak, output, _ = run_once(command, cwd=cwd, keep_output=last, expected=expected)
            if last:
                outputs[name] = output
            if round_ >= warmup:
                times[name].append(elapsed)
                peaks[name].append(peak)
    return {
        name: {
            "command": command,
            "median_s": statistics.median(times[name]),
            "min_s": min(times[name]),
            "max_s": max(times[name]),
            "times_s": times[name],
            "peak_mib": max(peaks[name]),
            "output": outputs[name],
        }
        for name, command in commands.items()
    }


def _generated(name: str, options: list[str], regenerate: bool) -> Path:
    """``benchmarks/out/NAME``, written by ``generate_country.py OPTIONS`` when missing (or asked)."""
    folder = HERE / "out" / name
    files = [folder / file for file in ("hierarchy.csv", "targets.csv", "observations.csv")]
    if regenerate or not all(f.is_file() for f in files):
        generate = [sys.executable, str(HERE / "generate_country.py"), "--out", str(folder), *options]
        subprocess.run(generate, check=True, stdout=subprocess.DEVNULL)
    return folder


def country(scale: int, regenerate: bool) -> Path:
    """The generated country's folder, generated when missing (or asked)."""
    return _generated("country" if scale == 1 else f"country-x{scale}", ["--scale", str(scale)], regenerate)


def ranking_of(output: str) -> list[tuple[str, int, str, Any]]:
    """(unit, rank, exact score, rounded score) from any of the three programs' JSON."""
    return [(r["unit"], r["rank"], r["score_exact"], r["score"]) for r in json.loads(output)]


def _lines(path: str) -> int:
    with open(path, encoding="utf-8") as handle:
        return sum(1 for _ in handle)


def _programs(folder: Path) -> dict[str, list[str]]:
    h, t, d = (str(folder / n) for n in ("hierarchy.csv", "targets.csv", "observations.csv"))
    return {
        "cli": [
            *(CLI, "rank", "--hierarchy", h, "--levels", LEVELS, "--targets", t, "--data", d),
            *("--level", "commune", "--format", "json"),
        ],
        "api": [sys.executable, str(HERE / "api_rank.py"), h, t, d, "--levels", LEVELS, "--level", "commune"],
        "handwritten": [sys.executable, str(HERE / "handwritten_rank.py"), h, t, d, "--level", "commune"],
    }


def bench_countries(scales: list[int], runs: int, warmup: int, regenerate: bool) -> list[dict[str, Any]]:
    """:func:`bench_country` for each scale, every program of every scale interleaved in each round,
    so that the machine's drift between rounds touches the scales alike (the scaling ratio)."""
    folders = {scale: country(scale, regenerate) for scale in scales}
    commands = {
        f"{scale}/{name}": command for scale in scales for name, command in _programs(folders[scale]).items()
    }
    measured = measure_all(commands, runs, warmup)
    return [
        _country_results(
            scale,
            folders[scale],
            {name: measured[f"{scale}/{name}"] for name in _programs(folders[scale])},
        )
        for scale in scales
    ]


def bench_country(scale: int, runs: int, warmup: int, regenerate: bool) -> dict[str, Any]:
    """The three programs on the country of ``scale``, checked against each other and timed."""
    return bench_countries([scale], runs, warmup, regenerate)[0]


def _country_results(scale: int, folder: Path, results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    h, d = str(folder / "hierarchy.csv"), str(folder / "observations.csv")
    rankings = {name: ranking_of(result.pop("output")) for name, result in results.items()}
    floor = rankings["handwritten"]
    for name, found in rankings.items():
        if [(u, r) for u, r, _, _ in found] != [(u, r) for u, r, _, _ in floor]:
            raise SystemExit(f"{name}: the (unit, rank) list differs from the hand-written script's")
        if [(s, x) for _, _, s, x in found] != [(s, x) for _, _, s, x in floor]:
            raise SystemExit(f"{name}: the scores differ from the hand-written script's")
    units, rows = _lines(h) - 1, _lines(d) - 1
    base = results["handwritten"]
    for result in results.values():
        result["time_ratio"] = result["median_s"] / base["median_s"]
        result["memory_ratio"] = result["peak_mib"] / base["peak_mib"]
    return {
        "scale": scale,
        "units": units,
        "observation_rows": rows,
        "ranked": len(floor),
        "results": results,
    }


def bench_shipped(runs: int, warmup: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    # Outside the source tree, so that `python -c` imports the installed package (or PYTHONPATH's).
    outside = tempfile.gettempdir()
    imp = measure([sys.executable, "-c", "import dvctt_rules"], runs, warmup, cwd=outside)
    bare = measure([sys.executable, "-c", "pass"], runs, warmup, cwd=outside)
    imp.pop("output")
    bare.pop("output")
    importtime = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import dvctt_rules"],
        capture_output=True,
        text=True,
        check=True,
        cwd=outside,
    ).stderr
    cumulative = [
        int(line.split("|")[1]) for line in importtime.splitlines() if line.rstrip().endswith("| dvctt_rules")
    ]
    results["import"] = {
        "process_median_s": imp["median_s"],
        "interpreter_median_s": bare["median_s"],
        "importtime_s": cumulative[0] / 1e6 if cumulative else None,
        "peak_mib": imp["peak_mib"],
    }
    commands = {}
    for args in SHIPPED_COMMANDS:
        result = measure([CLI, *args], runs, warmup)
        result.pop("output")
        commands[" ".join(args)] = result
    results["commands"] = commands
    return results


def national_commands(folder: Path) -> dict[str, list[str]]:
    """Every command on a generated country (no target: recorded so that none of them is slow)."""
    h, t, d = (str(folder / name) for name in ("hierarchy.csv", "targets.csv", "observations.csv"))
    tree = ["--hierarchy", h, "--levels", LEVELS]
    inputs = [*tree, "--targets", t, "--data", d]
    as_json = ["--format", "json"]
    per_period = ["--level", "commune", "--per-period", *as_json]
    return {
        "dvctt-rules units --format json": [CLI, "units", *tree, *as_json],
        "dvctt-rules validate": [CLI, "validate", *tree, "--data", d],
        "dvctt-rules plan --format json": [CLI, "plan", *tree, "--targets", t, *as_json],
        "dvctt-rules evaluate --format json": [CLI, "evaluate", *inputs, *as_json],
        "dvctt-rules rollup --level province": [CLI, "rollup", *inputs, "--level", "province", *as_json],
        "dvctt-rules rollup --level district": [CLI, "rollup", *inputs, "--level", "district", *as_json],
        "dvctt-rules rank --level district": [CLI, "rank", *inputs, "--level", "district", *as_json],
        "dvctt-rules rank --level commune --per-period": [CLI, "rank", *inputs, *per_period],
    }


TWO_TIER_LEVELS = "country,province,department,commune"
TWO_TIER_CLI = "two tiers: dvctt-rules rank --level commune"
TWO_TIER_FLOOR = "two tiers: handwritten_rank.py"


def two_tier_country(regenerate: bool) -> Path:
    """A two-tier country as after the 2025 reform (34 provinces, 98 communes each, no districts)."""
    options = ["--provinces", "34", "--districts", "0", "--communes", "98"]
    return _generated("country-two-tier", options, regenerate)


def two_tier_commands(folder: Path) -> dict[str, list[str]]:
    """The commune ranking and the provinces' roll-up on the two-tier country, and the floor."""
    h, t, d = (str(folder / name) for name in ("hierarchy.csv", "targets.csv", "observations.csv"))
    inputs = ["--hierarchy", h, "--levels", TWO_TIER_LEVELS, "--targets", t, "--data", d]
    return {
        TWO_TIER_CLI: [CLI, "rank", *inputs, "--level", "commune", "--format", "json"],
        TWO_TIER_FLOOR: [sys.executable, str(HERE / "handwritten_rank.py"), h, t, d],
        "two tiers: dvctt-rules rollup --level province": [CLI, "rollup", *inputs, "--level", "province"],
    }


BY_PERIOD_CLI = "rows month by month: dvctt-rules rank --level commune"
BY_PERIOD_FLOOR = "rows month by month: handwritten_rank.py"


def by_period_country(regenerate: bool) -> Path:
    """The default country with its observations listed month by month instead of unit by unit."""
    return _generated("country-by-period", ["--by-period"], regenerate)


def by_period_commands(folder: Path) -> dict[str, list[str]]:
    """The commune ranking of the country listed month by month, and the floor."""
    programs = _programs(folder)
    return {BY_PERIOD_CLI: programs["cli"], BY_PERIOD_FLOOR: programs["handwritten"]}


BY_NAME_CLI = "units by name: dvctt-rules rank --level commune"
BY_NAME_FLOOR = "units by id: handwritten_rank.py"


def by_name_commands(folder: Path) -> dict[str, list[str]]:
    """The commune ranking of the default country from observations that name each unit by its name
    (``observations-by-name.csv``, written here), and the floor on the same data by id."""
    with open(folder / "hierarchy.csv", encoding="utf-8", newline="") as handle:
        names = {row["id"]: row["name"] for row in csv.DictReader(handle)}
    lines = (folder / "observations.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    named = [lines[0]]
    for line in lines[1:]:
        unit, rest = line.split(",", 1)
        named.append(f"{names[unit]},{rest}")
    by_name = folder / "observations-by-name.csv"
    by_name.write_text("".join(named), encoding="utf-8")
    programs = _programs(folder)
    cli = [str(by_name) if arg == str(folder / "observations.csv") else arg for arg in programs["cli"]]
    return {BY_NAME_CLI: cli, BY_NAME_FLOOR: programs["handwritten"]}


#: (the CLI's ranking, the hand-written script's) of the same country: they must rank alike.
_CHECKED = ((TWO_TIER_CLI, TWO_TIER_FLOOR), (BY_PERIOD_CLI, BY_PERIOD_FLOOR), (BY_NAME_CLI, BY_NAME_FLOOR))


ONE_BAD_CELL = "dvctt-rules validate, one bad cell (exits 2)"
UNKNOWN_UNITS = "dvctt-rules validate, 200 unknown units (exits 2)"


def one_bad_cell_commands(folder: Path) -> dict[str, list[str]]:
    """``validate`` on the country's observations with one count spoiled (line 5,000), and with 200
    units unknown: the error paths, where the reference reader reads the whole file to report
    every problem."""
    bad = folder / "observations-one-bad-cell.csv"
    lines = (folder / "observations.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    unit, period, _, rest = lines[4999].split(",", 3)
    lines[4999] = ",".join((unit, period, "abc", rest))
    bad.write_text("".join(lines), encoding="utf-8")
    # And the first 2,400 rows (200 units) naming units the hierarchy does not have: each is
    # reported with the names closest to it, looked for among the country's names.
    unknown = folder / "observations-unknown-units.csv"
    lines = (folder / "observations.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    unknown.write_text(
        "".join([lines[0], *("X" + line for line in lines[1:2401]), *lines[2401:]]), encoding="utf-8"
    )
    tree = ["--hierarchy", str(folder / "hierarchy.csv"), "--levels", LEVELS]
    return {
        ONE_BAD_CELL: [CLI, "validate", *tree, "--data", str(bad)],
        UNKNOWN_UNITS: [CLI, "validate", *tree, "--data", str(unknown)],
    }


def bench_commands(folder: Path, two_tier: Path, by_period: Path, runs: int, warmup: int) -> dict[str, Any]:
    commands = {
        **national_commands(folder),
        **one_bad_cell_commands(folder),
        **two_tier_commands(two_tier),
        **by_period_commands(by_period),
        **by_name_commands(folder),
    }
    results = measure_all(commands, runs, warmup, statuses={ONE_BAD_CELL: 2, UNKNOWN_UNITS: 2})
    for cli_name, floor_name in _CHECKED:
        if ranking_of(results[cli_name]["output"]) != ranking_of(results[floor_name]["output"]):
            raise SystemExit(f"{cli_name}: not the hand-written script's ranks and exact scores")
    for result in results.values():
        output = result.pop("output")
        result["output_bytes"] = len(output.encode("utf-8"))
    return results


def _ok(good: bool) -> str:
    return "ok" if good else "MISSED"


def report_country(found: dict[str, Any]) -> None:
    print(
        f"\nCountry x{found['scale']}: {found['units']} units, {found['observation_rows']} observation rows, "
        f"{found['ranked']} communes ranked; identical (unit, rank) and exact scores in all three"
    )
    print(
        f"{'program':<12} {'median s':>9} {'min s':>8} {'max s':>8} {'peak MiB':>9}"
        f" {'time ×':>7} {'mem ×':>7}"
    )
    for name, r in found["results"].items():
        print(
            f"{name:<12} {r['median_s']:>9.3f} {r['min_s']:>8.3f} {r['max_s']:>8.3f} {r['peak_mib']:>9.1f}"
            f" {r['time_ratio']:>7.2f} {r['memory_ratio']:>7.2f}"
        )
    cli = found["results"]["cli"]
    if found["scale"] == 1:
        print(
            f"targets: CLI time ≤ {TARGETS['cli_over_handwritten_time']}× hand-written: "
            f"{_ok(cli['time_ratio'] <= TARGETS['cli_over_handwritten_time'])} ({cli['time_ratio']:.2f}×); "
            f"CLI peak ≤ {TARGETS['cli_peak_mib']:.0f} MiB: "
            f"{_ok(cli['peak_mib'] <= TARGETS['cli_peak_mib'])} "
            f"({cli['peak_mib']:.1f} MiB)"
        )


def report_scaling(countries: list[dict[str, Any]]) -> None:
    base = countries[0]
    for other in countries[1:]:
        factor = other["units"] / base["units"]
        print(f"\nScaling x{base['scale']} → x{other['scale']} ({factor:.2f}× the units):")
        for name in ("cli", "api", "handwritten"):
            ratio = other["results"][name]["median_s"] / base["results"][name]["median_s"]
            # The fastest runs, which the machine's stolen time disturbs least, for comparison.
            fastest = other["results"][name]["min_s"] / base["results"][name]["min_s"]
            print(f"  {name:<12} {ratio:6.2f}× the time ({fastest:.2f}× by the minimum)", end="")
            if name == "cli" and other["scale"] == 10 * base["scale"]:
                print(
                    f"   target ≤ {TARGETS['scale_10_time_ratio']}×: "
                    f"{_ok(ratio <= TARGETS['scale_10_time_ratio'])}"
                )
            else:
                print()
        floor = other["results"]["handwritten"]["median_s"] / base["results"]["handwritten"]["median_s"]
        cli = other["results"]["cli"]["median_s"] / base["results"]["cli"]["median_s"]
        print(
            f"  the CLI's growth ÷ the hand-written script's (linear by construction; the machine's "
            f"drift cancels): {cli / floor:.2f}"
        )


def report_shipped(found: dict[str, Any]) -> None:
    imp = found["import"]
    print("\nShipped data (binh-duong-2023)")
    print(
        f"python -c 'import dvctt_rules': {imp['process_median_s']:.3f} s median "
        f"(bare interpreter {imp['interpreter_median_s']:.3f} s; -X importtime cumulative "
        f"{imp['importtime_s']:.3f} s) — target ≤ {TARGETS['import_seconds']} s: "
        f"{_ok(imp['process_median_s'] <= TARGETS['import_seconds'])}"
    )
    print(f"{'command':<56} {'median s':>9} {'max s':>7} {'peak MiB':>9}  ≤ {TARGETS['command_seconds']} s")
    for name, r in found["commands"].items():
        good = r["median_s"] <= TARGETS["command_seconds"]
        print(
            f"dvctt-rules {name:<44} {r['median_s']:>9.3f} {r['max_s']:>7.3f} {r['peak_mib']:>9.1f}"
            f"  {_ok(good)}"
        )


def report_commands(found: dict[str, Any]) -> None:
    print(
        "\nEvery command on the default country (x1), then the communes ranked on a two-tier country of"
        " 34 provinces and on the default country listed month by month (no target, for the record)"
    )
    print(f"{'command':<54} {'median s':>9} {'max s':>7} {'peak MiB':>9} {'output MB':>10}")
    for name, r in found.items():
        print(
            f"{name:<54} {r['median_s']:>9.3f} {r['max_s']:>7.3f} {r['peak_mib']:>9.1f}"
            f" {r['output_bytes'] / 1e6:>10.1f}"
        )
    for cli_name, floor_name in _CHECKED:
        cli, floor = found[cli_name], found[floor_name]
        print(
            f"{cli_name.split(':')[0]}: the same ranks and exact scores as the hand-written script; CLI "
            f"{cli['median_s'] / floor['median_s']:.2f}× its time, "
            f"{cli['peak_mib'] / floor['peak_mib']:.2f}× its peak memory"
        )


def compile_library() -> str:
    """Compile the library's modules to bytecode, as ``pip install`` does for an installed package.

    An editable install in a checkout where ``PYTHONDONTWRITEBYTECODE`` is set (this machine sets
    it) would otherwise compile every module from source in every run: about 0.08 s per process
    that no installed copy pays. Returns where the bytecode is.
    """
    import compileall

    import dvctt_rules

    package = Path(dvctt_rules.__file__).resolve().parent
    if not compileall.compile_dir(str(package), quiet=1):
        raise SystemExit(f"could not compile {package}")
    return f"compiled under {package}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, action="append", help="country size (repeatable; default 1)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per program (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    parser.add_argument("--mode", choices=("country", "shipped", "commands", "all"), default="country")
    parser.add_argument("--regenerate", action="store_true", help="write the country files again")
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    compiled = compile_library()
    info = machine()
    info["bytecode"] = compiled
    print(f"bytecode: {compiled}")
    print(f"{info['nproc']} × {info['cpu']}, {info['implementation']} {info['python']}, {info['platform']}")
    found: dict[str, Any] = {"machine": info, "runs": args.runs, "warmup": args.warmup}
    if args.mode in ("country", "all"):
        countries = bench_countries(args.scale or [1], args.runs, args.warmup, args.regenerate)
        for found_country in countries:
            report_country(found_country)
        if len(countries) > 1:
            report_scaling(countries)
        found["country"] = countries
    if args.mode in ("shipped", "all"):
        found["shipped"] = bench_shipped(args.runs, args.warmup)
        report_shipped(found["shipped"])
    if args.mode in ("commands", "all"):
        # With --mode all the country was just measured (and written again if asked): not twice.
        folder = country(1, args.regenerate and args.mode == "commands")
        two_tier, by_period = two_tier_country(args.regenerate), by_period_country(args.regenerate)
        found["commands"] = bench_commands(folder, two_tier, by_period, args.runs, args.warmup)
        report_commands(found["commands"])
    if args.json:
        Path(args.json).write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
