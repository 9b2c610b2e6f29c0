"""A Markdown report for the quarterly meeting: province-wide indicators with who answers for them,
each district as a whole, and the commendation and reminder lists.

    python examples/meeting_report.py [--data FILE] [--period P] [--out report.md]
        [--hierarchy FILE --levels L1,L2,… [--plan FILE] [--targets FILE]]

A province without districts (two tiers) has no districts section.
"""

from __future__ import annotations

from _common import inputs, ranked_levels, run, write

from dvctt_rules.aggregate import rollup
from dvctt_rules.ranking import rank
from dvctt_rules.render import Column, render
from dvctt_rules.rules import accountability, evaluate

PROVINCE = (
    Column("rule", "Mục", "Rule"),
    Column("text", "Kết quả", "Result"),
    Column("lead", "Chủ trì", "Lead"),
)
METHODS = {"sum": "tổng tử số / tổng mẫu số", "mean_of_rates": "trung bình cộng các tỷ lệ"}
DISTRICTS = (
    Column("unit_name", "Đơn vị", "Area"),
    Column("value", "Tỷ lệ hồ sơ trực tuyến (%)", "Online dossiers (%)", 1),
    Column("target", "Chỉ tiêu (%)", "Target (%)", 1),
    Column("met", "Xã đạt chỉ tiêu", "Communes meeting target"),
    Column("method", "Cách tính", "Method"),
)


def main() -> None:
    args, hierarchy, plan, observations, rules = inputs(__doc__)
    report = evaluate(plan, hierarchy, observations, period=args.period)
    province = []
    for outcome in report.outcomes:
        if outcome.scope != "province":
            continue
        who = accountability(plan.rule(outcome.rule), hierarchy)
        lead = ", ".join([u.name for u in who.lead] + list(who.unresolved_lead)) or "–"
        if len(who.lead) > 5:
            lead = f"{len(who.lead)} đơn vị"
        province.append({"rule": outcome.rule, "text": outcome.explain(), "lead": lead})
    rows = (  # a two-tier province has no districts
        rollup(
            plan,
            hierarchy,
            observations,
            level="district",
            period=args.period,
            indicators=("online_dossier_rate",),
            report=report,
        )
        if "district" in hierarchy.levels and hierarchy.units("district")
        else ()
    )
    districts = [
        {
            "unit_name": r.unit_name,
            "value": None if r.value is None else r.value * 100,
            "target": None if r.target is None else r.target * 100,
            "met": f"{r.children_met}/{r.children_total}",
            "method": "–" if r.value is None else METHODS.get(r.strategy, r.strategy),
        }
        for r in rows
    ]
    lists = []
    for level, title in ranked_levels(hierarchy):
        ranking = rank(
            plan,
            hierarchy,
            report if rules is None else observations,
            level=level,
            period=args.period,
            rules=rules,
        )
        commended = ", ".join(r.unit_name for r in ranking.commended) or "(không có)"
        reminded = ", ".join(r.unit_name for r in ranking.reminded) or "(không có)"
        lists.append(f"- **{title}** — đề nghị khen thưởng: {commended}; nhắc nhở: {reminded}")
    text = (
        f"# Báo cáo kết quả thực hiện {plan.citation.short if plan.citation else plan.name}"
        f" — kỳ {report.period or 'toàn bộ'}\n\n"
        "## Chỉ tiêu toàn tỉnh (Phụ lục I)\n\n"
        + render(province, PROVINCE, "markdown")
        + (
            "\n## Các huyện, thị xã, thành phố\n\n" + render(districts, DISTRICTS, "markdown")
            if districts
            else ""
        )
        + "\n## Thi đua, khen thưởng\n\n"
        + "\n".join(lists)
        + "\n"
    )
    write(text, args.out)


if __name__ == "__main__":
    run(main)
