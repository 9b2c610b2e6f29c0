"""Would compiling the hot paths pay? The library's stages with its hottest modules compiled by mypyc,
against the same library interpreted.

Copies ``dvctt_rules`` into a temporary folder and compiles ``--module``s there with ``mypyc`` (by
default the hot modules that define no attrs class, which mypyc cannot compile as they are: the
observations' fast CSV reader and their table of values, the evaluation, the ranking's JSON
writer); checks that the compiled copy's ``rank … --format json`` writes the interpreted one's
bytes; then runs ``stages.py``'s library stages in fresh processes, the two copies interleaved, and
prints the median of each stage. Needs mypy (in the ``test`` extra), setuptools and a C compiler;
about two minutes with the defaults. The interpreted copy is compiled to bytecode first, as an
install would be.

    python benchmarks/compiled.py [--runs 7] [--module dvctt_rules/rules/_evaluate.py …]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from run_benchmark import HERE, LEVELS, compile_library, country
from stages import STAGES

HOT_MODULES = (
    "dvctt_rules/observations/_csv_fast.py",
    "dvctt_rules/observations/_values.py",
    "dvctt_rules/rules/_evaluate.py",
    "dvctt_rules/cli/_rank.py",
)
MYPY_CONFIG = "[mypy]\nstrict = True\n\n[mypy-networkx.*]\nignore_missing_imports = True\n"


def compiled_copy(modules: tuple[str, ...], into: Path) -> Path:
    """A copy of the library in ``into`` with ``modules`` compiled by mypyc; returns ``into``."""
    import dvctt_rules

    package = Path(dvctt_rules.__file__).resolve().parent
    shutil.copytree(package, into / "dvctt_rules", ignore=shutil.ignore_patterns("__pycache__"))
    (into / "mypy.ini").write_text(MYPY_CONFIG, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypyc", *modules], cwd=into, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"mypyc failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    subprocess.run([sys.executable, "-m", "compileall", "-q", "dvctt_rules"], cwd=into, check=True)
    return into


def _run(command: list[str], root: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--module", action="append", help="a module to compile (repeatable)")
    args = parser.parse_args()
    modules = tuple(args.module or HOT_MODULES)
    compile_library()
    import dvctt_rules

    interpreted = Path(dvctt_rules.__file__).resolve().parent.parent
    folder = country(1, False)
    h, t, d = (str(folder / name) for name in ("hierarchy.csv", "targets.csv", "observations.csv"))
    with tempfile.TemporaryDirectory() as scratch:
        compiled = compiled_copy(modules, Path(scratch))
        rank = [sys.executable, "-m", "dvctt_rules.cli", "rank", "--hierarchy", h]
        rank += ["--levels", LEVELS, "--targets", t, "--data", d, "--level", "commune", "--format", "json"]
        if _run(rank, compiled) != _run(rank, interpreted):
            raise SystemExit("the compiled copy's ranking differs from the interpreted one's")
        stages = [sys.executable, str(HERE / "stages.py"), "--child", "library", "--country", str(folder)]
        found: dict[Path, list[dict[str, float]]] = {interpreted: [], compiled: []}
        for _ in range(args.runs):
            for root, runs in found.items():
                runs.append(json.loads(_run(stages, root)))
        median = {
            root: {stage: statistics.median(run[stage] for run in runs) for stage in STAGES}
            for root, runs in found.items()
        }
    print(f"{folder}: median of {args.runs} runs; compiled by mypyc: {', '.join(modules)}")
    print(f"{'stage':<24} {'interpreted s':>14} {'compiled s':>11} {'difference s':>13}")
    for stage in (*STAGES, "total"):
        a, b = (
            sum(median[root].values()) if stage == "total" else median[root][stage]
            for root in (interpreted, compiled)
        )
        print(f"{stage:<24} {a:>14.3f} {b:>11.3f} {b - a:>+13.3f}")


if __name__ == "__main__":
    main()
