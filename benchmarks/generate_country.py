"""Generate a synthetic country in the interchange formats, for the national-scale benchmark.

Writes three files into OUT (default ``benchmarks/out/country``):

- ``hierarchy.csv`` (``id,name,level,parent``): a national root, then for each province its agencies
  (level ``department``) and districts, each district with its communes;
- ``targets.csv`` (``unit,indicator,target``): every agency, district and commune gets its own
  online-dossier and online-payment target, as Phụ lục II does;
- ``observations.csv`` (``unit,period,<measures>``): monthly counts for every unit below the root, from a
  fixed seed, consistent with every part-of relation; a small share of values is left unknown.

The default size is 63 provinces of 20 agencies and 11 districts of 15 communes: 63 × 197 = 12,411
units below the national root (12,412 with it) and 12 months of data. ``--scale 10`` multiplies the
number of provinces by ten. ``--districts 0`` makes a two-tier country, as after the 2025 reform:
``--communes`` communes right under each province (``--provinces 34 --districts 0 --communes 98``
is about the reformed country's size); read it with ``--levels country,province,department,commune``.
``--by-period`` lists the same observations month by month rather than unit by unit.

    python benchmarks/generate_country.py [--out DIR] [--provinces 63] [--agencies 20] [--districts 11]
        [--communes 15] [--months 12] [--year 2024] [--seed 4623] [--scale 1] [--by-period]
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

MEASURES = (
    "received_online",
    "received_direct",
    "received_postal",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_on_time",
    "pending_late",
    "results_synced",
    "payments_total",
    "payments_online",
)
LEVELS = ("country", "province", "department", "district", "commune")


def _months(year: int, count: int) -> list[str]:
    return [f"{year + (m // 12)}-{m % 12 + 1:02d}" for m in range(count)]


def _row(rng: random.Random, size: int) -> list[str]:
    online = rng.randint(0, size)
    direct = rng.randint(0, size // 2)
    postal = rng.randint(0, size // 20)
    received = online + direct + postal
    early = rng.randint(0, received)
    on_time = rng.randint(0, received - early)
    late = rng.randint(0, max(0, received - early - on_time) // 4)
    resolved = early + on_time + late
    synced = rng.randint(resolved * 9 // 10, resolved)
    payments = rng.randint(0, received)
    paid_online = rng.randint(0, payments)
    values = [
        online,
        direct,
        postal,
        early,
        on_time,
        late,
        rng.randint(0, size // 5),
        rng.randint(0, 2),
        synced,
        payments,
        paid_online,
    ]
    cells = [str(v) for v in values]
    if rng.random() < 0.01:  # a few unknown cells, never 0 in disguise
        cells[rng.randrange(len(cells))] = ""
    return cells


def generate(
    out: Path,
    *,
    provinces: int = 63,
    agencies: int = 20,
    districts: int = 11,
    communes: int = 15,
    months: int = 12,
    year: int = 2024,
    seed: int = 4623,
    by_period: bool = False,
) -> dict[str, int]:
    """Write the three files; returns the number of units, target rows and observation rows.
    ``by_period`` lists the observations month by month (every unit's first month, then every
    unit's second, …, as a file added to each month is) instead of unit by unit: the same values."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    periods = _months(year, months)
    units: list[tuple[str, str, str, str]] = [("VN", "Nước Việt Nam", "country", "")]
    for p in range(1, provinces + 1):
        pid = f"P{p:03d}"
        units.append((pid, f"Tỉnh Số {p}", "province", "VN"))
        for a in range(1, agencies + 1):
            units.append((f"{pid}-A{a:02d}", f"Sở Số {a} tỉnh {p}", "department", pid))
        if not districts:  # two tiers, as after the 2025 reform: communes right under the province
            for c in range(1, communes + 1):
                units.append((f"{pid}-C{c:03d}", f"Xã Số {c} tỉnh {p}", "commune", pid))
        for d in range(1, districts + 1):
            did = f"{pid}-D{d:02d}"
            units.append((did, f"UBND Huyện Số {d} tỉnh {p}", "district", pid))
            for c in range(1, communes + 1):
                units.append((f"{did}-C{c:02d}", f"Xã Số {c} huyện {d} tỉnh {p}", "commune", did))
    with (out / "hierarchy.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("id", "name", "level", "parent"))
        writer.writerows(units)
    judged = [u for u in units if u[2] in ("department", "district", "commune")]
    with (out / "targets.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("unit", "indicator", "target"))
        for unit_id, _, level, _ in judged:
            dossier = {
                "department": rng.choice((50, 80, 90, 100)),
                "district": 85,
                "commune": rng.choice((80, 90)),
            }
            writer.writerow((unit_id, "online_dossier_rate", dossier[level]))
            writer.writerow((unit_id, "online_payment_rate", rng.choice((50, 75, 80, 90, 100))))
    rows = 0
    months_rows: dict[str, list[tuple[str, ...]]] = {period: [] for period in periods}
    with (out / "observations.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("unit", "period", *MEASURES))
        for unit_id, _, level, _ in units[1:]:
            size = {"province": 50, "department": 400, "district": 600, "commune": 300}[level]
            for period in periods:
                row = (unit_id, period, *_row(rng, size))
                if by_period:
                    months_rows[period].append(row)
                else:
                    writer.writerow(row)
                rows += 1
        for month in months_rows.values():
            writer.writerows(month)
    return {"units": len(units), "targets": 2 * len(judged), "observations": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "country")
    parser.add_argument("--provinces", type=int, default=63)
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--districts", type=int, default=11)
    parser.add_argument("--communes", type=int, default=15)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--seed", type=int, default=4623)
    parser.add_argument("--scale", type=int, default=1, help="multiply the number of provinces")
    parser.add_argument("--by-period", action="store_true", help="list the observations month by month")
    args = parser.parse_args()
    sizes = generate(
        args.out,
        provinces=args.provinces * args.scale,
        agencies=args.agencies,
        districts=args.districts,
        communes=args.communes,
        months=args.months,
        year=args.year,
        seed=args.seed,
        by_period=args.by_period,
    )
    units, targets, rows = sizes["units"], sizes["targets"], sizes["observations"]
    print(f"{args.out}: {units} units, {targets} targets, {rows} observation rows")


if __name__ == "__main__":
    main()
