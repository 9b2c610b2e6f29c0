"""One district's communes: their ranking and each commune's verdicts, for the district's own meeting.

    python examples/district_communes.py [DISTRICT] [--data FILE] [--period P] [--out FILE]

DISTRICT is a name or id as people write it (default: "Thủ Dầu Một").
"""

from __future__ import annotations

import argparse

from _common import inputs, run, write

from dvctt_rules import DvcttRulesError
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
    def district(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "district", nargs="?", default="Thủ Dầu Một", help="its name or id (default: Thủ Dầu Một)"
        )

    args, hierarchy, plan, observations, rules = inputs(__doc__, more=district)
    unit = hierarchy.lookup(args.district)
    if not any(u.level == "commune" for u in hierarchy.descendants(unit)):
        raise DvcttRulesError(f"{unit.name} is a {unit.level} with no commune under it; name a district")
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
