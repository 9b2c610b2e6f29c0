"""The floor: the default commune ranking of plan 4623 written by hand, with no library.

This is what a careful Python programmer would write for this one job on the files of
``generate_country.py``: the csv module, dicts, and exact integer and ``Fraction`` arithmetic. It
does no validation beyond what ``int()`` and ``Fraction()`` do, no name lookup (``unit`` cells are
ids), no explanations and no other rule; it is the floor the library's ``rank`` is held to.

The scheme (the library's default, ``partial-credit``, see ``dvctt_rules/ranking/_rankers.py``):

- three scored rules, each worth 100/3 points: PL-II.1 ``online_dossier_rate`` =
  received_online / (received_online + received_direct + received_postal) against the unit's own
  target (targets.csv; default 50 %), PL-II.2 ``online_payment_rate`` = payments_online /
  payments_total against the unit's own target (default 30 %), IV.1 ``on_time_rate`` =
  (resolved_early + resolved_on_time) / (resolved_early + resolved_on_time + resolved_late) against the
  commune target of 55 %;
- counts summed over every period of the file; a blank (or ``-``) cell in any period makes the sum
  unknown; an unknown count or a zero denominator is "no data" (0 points);
- a met target earns the full points, a missed one points × value / target;
- rank by score, highest first, ties share a rank and the next rank skips, ties listed by id.

Prints a JSON list of ``{"unit", "rank", "score", "score_exact"}``; ``score`` rounded half away from
zero to 4 decimals as the CLI does.

    python benchmarks/handwritten_rank.py HIERARCHY TARGETS OBSERVATIONS [--level commune]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from fractions import Fraction

MEASURES = (
    "received_online",
    "received_direct",
    "received_postal",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "payments_total",
    "payments_online",
)
DEFAULT_TARGETS = {"online_dossier_rate": Fraction(1, 2), "online_payment_rate": Fraction(3, 10)}
ON_TIME_TARGET = Fraction(55, 100)
POINTS = Fraction(100, 3)


def _credit(value: Fraction | None, target: Fraction) -> Fraction:
    if value is None:
        return Fraction(0)
    if value >= target:
        return Fraction(1)
    return value / target if target > 0 else Fraction(0)


def _ratio(numerator: int | None, denominator: int | None) -> Fraction | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return Fraction(numerator, denominator)


def _json_number(value: Fraction) -> int | float:
    if value.denominator == 1:
        return int(value)
    sign = -1 if value < 0 else 1
    return sign * ((abs(value) * 10**4 + Fraction(1, 2)).__floor__()) / 10**4


def read_peers(path: str, level: str) -> list[str]:
    """The ids of the units of ``level``, in file order."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        at_id, at_level = header.index("id"), header.index("level")
        return [row[at_id] for row in reader if row and row[at_level] == level]


def read_sums(path: str, peers: list[str]) -> tuple[dict[str, list[int | None]], set[str]]:
    """Per peer, the sums of the eight counts (``None`` once any period leaves one unknown), and the
    peers that have a row."""
    sums: dict[str, list[int | None]] = {unit: [0] * len(MEASURES) for unit in peers}
    seen: set[str] = set()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        at_unit = header.index("unit")
        columns = [header.index(name) for name in MEASURES]
        for row in reader:
            acc = sums.get(row[at_unit])
            if acc is None:
                continue
            seen.add(row[at_unit])
            for k, column in enumerate(columns):
                if acc[k] is None:
                    continue
                cell = row[column].strip()
                acc[k] = None if cell in ("", "-") else acc[k] + int(cell)  # type: ignore[operator]
    return sums, seen


def read_targets(path: str, units: dict[str, list[int | None]]) -> dict[tuple[str, str], Fraction]:
    """The targets of ``units`` by (unit, indicator), as proportions."""
    targets: dict[tuple[str, str], Fraction] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        at_unit, at_indicator, at_target = (header.index(c) for c in ("unit", "indicator", "target"))
        for row in reader:
            if row and row[at_unit] in units:
                text = row[at_target].strip().removesuffix("%").replace(",", ".")
                targets[(row[at_unit], row[at_indicator])] = Fraction(text) / 100
    return targets


def score(
    peers: list[str],
    sums: dict[str, list[int | None]],
    seen: set[str],
    targets: dict[tuple[str, str], Fraction],
) -> list[tuple[Fraction, str]]:
    """Each peer's score out of 100, with its id."""
    scored: list[tuple[Fraction, str]] = []
    for unit in peers:
        if unit in seen:
            online, direct, postal, early, on_time, late, paid, paid_online = sums[unit]
        else:  # no row at all: every count unknown
            online = direct = postal = early = on_time = late = paid = paid_online = None
        received = None if None in (online, direct, postal) else online + direct + postal  # type: ignore[operator]
        resolved = None if None in (early, on_time, late) else early + on_time + late  # type: ignore[operator]
        in_time = None if None in (early, on_time) else early + on_time  # type: ignore[operator]
        credit = (
            _credit(
                _ratio(online, received),
                targets.get((unit, "online_dossier_rate"), DEFAULT_TARGETS["online_dossier_rate"]),
            )
            + _credit(
                _ratio(paid_online, paid),
                targets.get((unit, "online_payment_rate"), DEFAULT_TARGETS["online_payment_rate"]),
            )
            + _credit(_ratio(in_time, resolved), ON_TIME_TARGET)
        )
        scored.append((POINTS * credit, unit))
    return scored


def ranked(scored: list[tuple[Fraction, str]]) -> list[dict[str, object]]:
    """Highest first, ties sharing a rank and listed by id; the JSON records."""
    scored.sort(key=lambda item: (-item[0], item[1]))
    out: list[dict[str, object]] = []
    rank = 0
    previous: Fraction | None = None
    for position, (total, unit) in enumerate(scored, start=1):
        if total != previous:
            rank, previous = position, total
        out.append({"unit": unit, "rank": rank, "score": _json_number(total), "score_exact": str(total)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("hierarchy")
    parser.add_argument("targets")
    parser.add_argument("observations")
    parser.add_argument("--level", default="commune")
    args = parser.parse_args()
    peers = read_peers(args.hierarchy, args.level)
    sums, seen = read_sums(args.observations, peers)
    targets = read_targets(args.targets, sums)
    out = ranked(score(peers, sums, seen, targets))
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
