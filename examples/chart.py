"""Charts for people: every commune's online-dossier rate against its target, and the communes'
scores against the grade bands (needs ``pip install 'dvctt-rules[chart]'``).

    python examples/chart.py [--data FILE] [--period P] [--out DIR]
"""

from __future__ import annotations

from pathlib import Path

from _common import inputs, run

from dvctt_rules.ranking import rank
from dvctt_rules.render import STATUS_LABELS, ChartBar, draw_bars
from dvctt_rules.rules import evaluate


def main() -> None:
    args, hierarchy, plan, observations, rules = inputs(
        __doc__, out="the folder to write the charts in (default: the current one)"
    )
    out = Path(args.out or ".")
    out.mkdir(parents=True, exist_ok=True)
    report = evaluate(plan, hierarchy, observations, period=args.period)
    outcomes = [o for o in report.for_rule("PL-II.1") if o.level == "commune"]
    values = draw_bars(
        [ChartBar(o.unit_name, o.value, o.target, o.status) for o in outcomes],
        out / "communes-online-dossier-rate.svg",
        title=f"Tỷ lệ hồ sơ trực tuyến so với chỉ tiêu — {len(outcomes)} xã, phường, thị trấn",
        axis_label="%",
        legend=[(status, STATUS_LABELS["vi"][status]) for status in ("met", "not_met", "no_data")],
    )
    ranking = rank(plan, hierarchy, observations, level="commune", period=args.period, rules=rules)
    top, bottom = plan.scoring.bands[0].key, plan.scoring.bands[-1].key
    scores = draw_bars(
        [
            ChartBar(
                r.unit_name,
                r.score / 100,
                None,
                "met" if r.grade == top else "not_met" if r.grade == bottom else "",
            )
            for r in ranking
        ],
        out / "communes-scores.svg",
        title="Điểm thi đua cấp xã",
        axis_label="điểm",
        bands=[(b.min_score, b.label_vi) for b in plan.scoring.bands if b.min_score > 0],
    )
    print(f"wrote {values} and {scores}")


if __name__ == "__main__":
    run(main)
