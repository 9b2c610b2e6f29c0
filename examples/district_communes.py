"""One district's communes: their ranking and each commune's verdicts, for the district's own meeting.

    python examples/district_communes.py [DISTRICT] [--data FILE] [--period P] [--out FILE]

DISTRICT is a name or id as people write it (default: "Thủ Dầu Một").
"""

from __future__ import annotations

import sys

from _common import inputs, run, write

from dvctt_rules.ranking import rank
from dvctt_rules.render import Column, render
from dvctt_rules.rules import evaluate

COLUMNS = (
    Column("rank", "Hạng", "Rank"),
    Column("unit_name", "Đơn vị", "Unit"),
    Column("score", "Điểm", "Score", 2),
    Column("grade", "Xếp loại", "Grade"),
    Column("notes", "Ghi chú", "Notes"),
)


def main() -> None:
    district = "Thủ Dầu Một"
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        district = sys.argv.pop(1)
    args, hierarchy, plan, observations, rules = inputs(__doc__.splitlines()[0])
    unit = hierarchy.lookup(district)
    ranking = rank(
        plan, hierarchy, observations, level="commune", within=unit, period=args.period, rules=rules
    )
    records = [
        {
            "rank": r.rank,
            "unit_name": r.unit_name,
            "score": r.score,
            "grade": r.grade_vi,
            "notes": "thiếu dữ liệu: " + ", ".join(r.no_data_rules) if r.no_data else "",
        }
        for r in ranking
    ]
    report = evaluate(plan, hierarchy, observations, period=args.period)
    below = {c.id for c in hierarchy.descendants(unit)}
    misses = [o.explain() for o in report.outcomes if o.unit in below and o.status == "not_met"]
    text = f"# {unit.name}: {len(ranking)} xã, phường, thị trấn\n\n" + render(records, COLUMNS, "markdown")
    text += "\n## Chưa đạt chỉ tiêu\n\n" + "\n".join(f"- {line}" for line in misses) + "\n"
    write(text, args.out)


if __name__ == "__main__":
    run(main)
