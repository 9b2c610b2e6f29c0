"""League tables of agencies, districts and communes (bảng xếp hạng thi đua), in Markdown.

python examples/league_tables.py [--data examples/observations-2024.csv] [--period 2024-Q1] [--out FILE]
    [--hierarchy FILE --levels L1,L2,… [--plan FILE] [--targets FILE]]
"""

from __future__ import annotations

from _common import inputs, ranked_levels, run, write

from dvctt_rules.ranking import rank
from dvctt_rules.render import Column, render

COLUMNS = (
    Column("rank", "Hạng", "Rank"),
    Column("unit_name", "Đơn vị", "Unit"),
    Column("score", "Điểm", "Score", 2),
    Column("grade", "Xếp loại", "Grade"),
)


def main() -> None:
    args, hierarchy, plan, observations, rules = inputs(__doc__)
    parts = []
    for level, title in ranked_levels(hierarchy):
        ranking = rank(plan, hierarchy, observations, level=level, period=args.period, rules=rules)
        records = [
            {"rank": r.rank, "unit_name": r.unit_name, "score": r.score, "grade": r.grade_vi} for r in ranking
        ]
        parts.append(f"## {title} ({len(ranking)})\n\n" + render(records, COLUMNS, "markdown"))
    write("# Bảng xếp hạng thi đua\n\n" + "\n".join(parts), args.out)


if __name__ == "__main__":
    run(main)
