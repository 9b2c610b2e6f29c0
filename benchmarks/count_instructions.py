"""Instruction counts of the commune ranking, a steadier measure than wall time on a noisy machine.

Runs the CLI (``dvctt-rules rank … --format json``) and the hand-written script under valgrind's
``callgrind`` on a 1-province and a ``--provinces``-province country (generated into
``benchmarks/out/country-p1`` and ``…-pN`` when missing; ``--by-period``: their observations listed
month by month), which gives each program a fixed cost and a cost per province, and projects both
to the default country's 63 provinces. Needs ``valgrind``; about a minute with the defaults. The
library is compiled to bytecode first, as an install would be.

With ``--stages`` it also counts each stage of ``stages.py`` (imports, hierarchy, targets,
observations, ranking, JSON text) for both programs, projected the same way (a few minutes more).
With ``--direct`` it also counts both programs on the default country itself (``run_benchmark.py``'s,
or its month-by-month listing), the two side by side: about four minutes, and the figure the
projection estimates. With ``--caches`` it counts each stage of both programs on the default country
under valgrind's ``cachegrind`` with its cache simulation: instructions, and the misses of the first
level data and instruction caches and of the last level (simulated as valgrind sees this machine),
where the instructions alone do not explain the wall time (about ten minutes).

    python benchmarks/count_instructions.py [--provinces 6] [--target-provinces 63] [--by-period]
        [--stages] [--direct] [--caches]
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from run_benchmark import CLI, HERE, LEVELS, by_period_country, compile_library, country


def _country(provinces: int, by_period: bool) -> Path:
    out = HERE / "out" / (f"country-p{provinces}" + ("-by-period" if by_period else ""))
    if not (out / "observations.csv").exists():
        generate = [sys.executable, str(HERE / "generate_country.py"), "--out", str(out)]
        generate += ["--provinces", str(provinces), *(["--by-period"] if by_period else [])]
        subprocess.run(generate, check=True, stdout=subprocess.DEVNULL)
    return out


def _instructions(command: list[str]) -> int:
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1))


#: cachegrind's summary lines (``==pid== D1  misses:  35,183,232 (…)``) and what they are called here.
_CACHE_EVENTS = {
    "I   refs": "instructions",
    "D1  misses": "D1 misses",
    "LLd misses": "LL data misses",
    "I1  misses": "I1 misses",
}


def _cache_counts(command: list[str]) -> dict[str, int]:
    """The instructions and cache misses of ``command``, by cachegrind's cache simulation."""
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=yes", "--cachegrind-out-file=/dev/null", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    counts = {}
    for line, name in _CACHE_EVENTS.items():
        found = re.search(rf"== {re.escape(line)}:\s+([\d,]+)", done.stderr)
        if found is None:
            raise SystemExit(f"no {line!r} in cachegrind's output:\n{done.stderr[-2000:]}")
        counts[name] = int(found.group(1).replace(",", ""))
    return counts


def _programs(country: Path) -> dict[str, list[str]]:
    files = [str(country / name) for name in ("hierarchy.csv", "targets.csv", "observations.csv")]
    return {
        "cli": [
            sys.executable,
            CLI,
            "rank",
            "--hierarchy",
            files[0],
            "--levels",
            LEVELS,
            "--targets",
            files[1],
            "--data",
            files[2],
            "--level",
            "commune",
            "--format",
            "json",
        ],
        "handwritten": [sys.executable, str(HERE / "handwritten_rank.py"), *files],
    }


def _stage_costs(
    country: Path, count: Callable[[list[str]], dict[str, int]], parallel: bool = False
) -> dict[str, dict[str, dict[str, int]]]:
    """Each program's ``count`` (instructions, or cachegrind's events) stage by stage (``stages.py``'s
    stages, imports first): the counts of a run that stops after a stage less those of one that stops
    before it. ``parallel``: two runs at a time (valgrind counts the same side by side)."""
    children, orders = {}, {}
    for program in ("library", "handwritten"):
        child = [sys.executable, str(HERE / "stages.py"), "--child", program, "--country", str(country)]
        # The stages in the order the program runs them: its own timings, in the order it took them.
        timed = json.loads(subprocess.run(child, capture_output=True, text=True, check=True).stdout)
        orders[program] = [key for key in timed if key != "JSON characters" and not key.endswith(" faults")]
        children[program] = child
    runs = [
        (program, [*children[program], "--stop-after", str(stop)])
        for program in children
        for stop in range(len(orders[program]))
    ]
    with ThreadPoolExecutor(2 if parallel else 1) as pool:
        counted = list(pool.map(count, [command for _, command in runs]))
    costs: dict[str, dict[str, dict[str, int]]] = {}
    for program, group in itertools.groupby(zip(runs, counted, strict=True), key=lambda item: item[0][0]):
        totals = [counts for _, counts in group]
        costs[program] = {
            stage: {event: totals[i][event] - (totals[i - 1][event] if i else 0) for event in totals[i]}
            for i, stage in enumerate(orders[program])
        }
    return costs


def _print_caches(folder: Path) -> None:
    from stages import STAGES

    costs = _stage_costs(folder, _cache_counts, parallel=True)
    print(f"stage by stage on {folder.name}, cachegrind (M; library / hand-written)")
    print(f"{'stage':<24}" + "".join(f" {event:>21}" for event in _CACHE_EVENTS.values()))
    for stage in STAGES:
        library, floor = costs["library"][stage], costs["handwritten"][stage]
        print(
            f"{stage:<24}"
            + "".join(
                f" {f'{library[e] / 1e6:,.1f} / {floor[e] / 1e6:,.1f}':>21}" for e in _CACHE_EVENTS.values()
            )
        )


def _print_stages(small: Path, large: Path, provinces: int, target: int) -> None:
    from stages import STAGES

    def instructions(command: list[str]) -> dict[str, int]:
        return {"instructions": _instructions(command)}

    one, many = _stage_costs(small, instructions), _stage_costs(large, instructions)
    print(f"stage by stage, projected to {target} provinces (M instructions; imports: the interpreter too)")
    print(f"{'stage':<24} {'library':>9} {'hand-written':>13} {'difference':>11}")
    totals = [0.0, 0.0]

    def line(name: str, library: float, floor: float) -> str:
        return f"{name:<24} {library / 1e6:>9.0f} {floor / 1e6:>13.0f} {(library - floor) / 1e6:>+11.0f}"

    for stage in STAGES:
        projected = []
        for program in ("library", "handwritten"):
            few, more = one[program][stage]["instructions"], many[program][stage]["instructions"]
            per_province = (more - few) / (provinces - 1)
            projected.append(few - per_province + target * per_province)
        totals = [totals[0] + projected[0], totals[1] + projected[1]]
        print(line(stage, *projected))
    print(line("total", *totals))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--provinces", type=int, default=6, help="the larger country measured (default 6)")
    parser.add_argument("--target-provinces", type=int, default=63, help="projected to (default 63)")
    parser.add_argument("--by-period", action="store_true", help="observations listed month by month")
    parser.add_argument("--stages", action="store_true", help="also count stage by stage (stages.py)")
    parser.add_argument(
        "--direct", action="store_true", help="also count both on the default country itself (minutes)"
    )
    parser.add_argument(
        "--caches",
        action="store_true",
        help="also count cache misses stage by stage on the default country (cachegrind, minutes)",
    )
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed (apt install valgrind)")
    if args.provinces < 2:
        parser.error("--provinces must be at least 2")
    print(f"bytecode: {compile_library()}")
    if args.stages:
        small, large = _country(1, args.by_period), _country(args.provinces, args.by_period)
        _print_stages(small, large, args.provinces, args.target_provinces)
    few = _programs(_country(1, args.by_period))
    more = _programs(_country(args.provinces, args.by_period))
    projected: dict[str, float] = {}
    for name in few:
        one, many = _instructions(few[name]), _instructions(more[name])
        per_province = (many - one) / (args.provinces - 1)
        fixed = one - per_province
        projected[name] = fixed + args.target_provinces * per_province
        print(
            f"{name:12} fixed {fixed / 1e6:8.0f} M  per province {per_province / 1e6:7.1f} M  "
            f"projected to {args.target_provinces} provinces {projected[name] / 1e9:6.2f} G"
        )
    print(f"cli ÷ handwritten, projected: {projected['cli'] / projected['handwritten']:.3f}")
    if args.direct:
        folder = by_period_country(False) if args.by_period else country(1, False)
        programs = _programs(folder)
        with ThreadPoolExecutor(len(programs)) as pool:  # callgrind counts the same side by side
            counted = dict(zip(programs, pool.map(_instructions, programs.values()), strict=True))
        for name, count in counted.items():
            print(f"{name:12} on {folder.name}: {count / 1e9:6.2f} G")
        print(f"cli ÷ handwritten, counted on {folder.name}: {counted['cli'] / counted['handwritten']:.3f}")
    if args.caches:
        _print_caches(by_period_country(False) if args.by_period else country(1, False))


if __name__ == "__main__":
    main()
