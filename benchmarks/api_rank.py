"""The commune ranking through the library's Python API, for the benchmark (run in its own process).

Does what ``dvctt-rules rank --hierarchy H --levels L --targets T --data D --level commune`` does,
without the command line: plan 4623's structure with the province's own targets, the observations,
then :func:`dvctt_rules.ranking.rank`. Prints a JSON list of ``{"unit", "rank", "score",
"score_exact"}``. ``--collector`` also prints, on stderr, how many times the cyclic garbage collector
ran (between the library's calls, which pause it) and for how long: what a program embedding the
library pays for the objects the calls keep.

    python benchmarks/api_rank.py HIERARCHY TARGETS OBSERVATIONS [--levels L1,L2,…] [--level commune]
        [--collector]
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from typing import Any

from dvctt_rules.datasets import load_dataset
from dvctt_rules.hierarchy import read_hierarchy_csv
from dvctt_rules.observations import load_observations
from dvctt_rules.ranking import rank
from dvctt_rules.render import json_number
from dvctt_rules.rules import TargetTable, load_targets_csv


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("hierarchy")
    parser.add_argument("targets")
    parser.add_argument("observations")
    parser.add_argument("--levels", default="country,province,department,district,commune")
    parser.add_argument("--level", default="commune")
    parser.add_argument("--collector", action="store_true", help="report the collector's runs on stderr")
    args = parser.parse_args()
    if args.collector:
        runs: list[tuple[int, float]] = []  # (generation, seconds)
        started = [0.0]

        def timed(phase: str, info: dict[str, Any]) -> None:
            if phase == "start":
                started[0] = time.perf_counter()
            else:
                runs.append((info["generation"], time.perf_counter() - started[0]))

        gc.callbacks.append(timed)

    hierarchy = read_hierarchy_csv(args.hierarchy, tuple(args.levels.split(",")))
    template = load_dataset("binh-duong-2023").plan
    assert template is not None
    own = load_targets_csv(
        args.targets, resolve=lambda text: hierarchy.lookup(text).id, indicators=template.catalogue()
    )
    plan = template.with_targets(TargetTable(t for t in template.targets if t.unit is None).merged(own))
    observations = load_observations(args.observations, hierarchy)
    ranking = rank(plan, hierarchy, observations, level=args.level)
    rows = [
        {"unit": r.unit, "rank": r.rank, "score": json_number(r.score), "score_exact": str(r.score)}
        for r in ranking.rows
    ]
    sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
    if args.collector:
        by_generation = [sum(1 for g, _ in runs if g == generation) for generation in range(3)]
        total = sum(seconds for _, seconds in runs)
        print(f"collector: {by_generation} runs by generation, {total:.3f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
