"""``dvctt-rules rank``: the emulation-and-reward (thi đua, khen thưởng) league table."""

from __future__ import annotations

import argparse
import functools
import html
import itertools
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction
from typing import Any

from .._errors import DvcttRulesError
from ..hierarchy import Hierarchy, Unit
from ..observations import Observations, Period
from ..ranking import Ranking, RankRow, iter_rank_periods, rank
from ..render import ChartBar, Column, draw_bars, json_number, output_formats, render, shown_apart
from ..rules import Plan
from ._common import (
    add_evaluation_arguments,
    add_output_arguments,
    check_chart_path,
    check_level,
    check_rules_apply,
    check_within,
    emit,
    emit_json_texts,
    load_inputs,
    positive_int,
)

COLUMNS = (
    Column("rank", "Hạng", "Rank"),
    Column("unit_name", "Đơn vị", "Unit"),
    Column("score", "Điểm", "Score", 2),
    Column("grade_label", "Xếp loại", "Grade"),
    Column("met_of", "Đạt", "Met"),
    Column("rank_change", "Thay đổi", "Change"),
    Column("flags", "Ghi chú", "Notes"),
)

CSV_COLUMNS = (
    Column("unit", "unit", "unit"),
    Column("unit_name", "unit_name", "unit_name"),
    Column("level", "level", "level"),
    Column("period", "period", "period"),
    Column("rank", "rank", "rank"),
    Column("score", "score", "score", 4),
    Column("grade", "grade", "grade"),
    Column("grade_label", "grade_label", "grade_label"),
    Column("met", "met", "met"),
    Column("scored", "scored", "scored"),
    Column("no_data", "no_data", "no_data"),
    Column("commended", "commended", "commended"),
    Column("reminded", "reminded", "reminded"),
    Column("previous_rank", "previous_rank", "previous_rank"),
    Column("rank_change", "rank_change", "rank_change"),
)


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "rank",
        help="rank units for emulation and reward (thi đua, khen thưởng)",
        description=(
            "Rank the units of one level by their score on the plan's scored rules (default scheme: partial "
            "credit, each scored rule worth 100/k points), with grades, the commendation and reminder lists."
        ),
    )
    parser.add_argument(
        "--level", required=True, help="department, district or commune (any level of the hierarchy)"
    )
    parser.add_argument("--within", metavar="UNIT", help="only the units under this unit (id or name)")
    add_evaluation_arguments(parser)
    parser.add_argument(
        "--top", type=positive_int, metavar="N", help="only the rows ranked N or better (ties included)"
    )
    parser.add_argument(
        "--rules",
        action="append",
        metavar="ID,ID",
        help="score these rules instead of the plan's scored rules (repeatable; each a comma list)",
    )
    parser.add_argument("--scheme", help="a registered ranking scheme (default: the plan's, partial-credit)")
    parser.add_argument(
        "--per-period",
        action="store_true",
        help="rank each observed period (with --period: each inside it), with the change of rank (JSON is "
        "written period by period: an error in a later period exits 2 after the earlier ones)",
    )
    parser.add_argument(
        "--chart", metavar="FILE", help="also draw the scores against the grade bands (.svg or .png)"
    )
    add_output_arguments(parser)
    parser.set_defaults(run=run)


def baseline_rules(plan: Plan, observations: Observations) -> tuple[str, ...]:
    """The scored rules whose indicators the (rate-only) baseline reports."""
    reported = set(observations.measures())
    return tuple(
        rule.id
        for rule in plan.rules
        if rule.scored and all(indicator in reported for indicator in rule.rule.indicators())
    )


def row_record(row: RankRow, lang: str) -> dict[str, Any]:
    """A ranking row as a flat record (exact score)."""
    flags = []
    if row.no_data:
        missing = ", ".join(row.no_data_rules)
        flags.append(f"thiếu dữ liệu: {missing}" if lang == "vi" else f"no data: {missing}")
    if row.demoted:
        flags.append("hạ bậc do hạn mức" if lang == "vi" else "demoted by quota")
    if row.commended:
        flags.append("đề nghị khen thưởng" if lang == "vi" else "proposed for commendation")
    return {
        "unit": row.unit,
        "unit_name": row.unit_name,
        "level": row.level,
        "period": row.period,
        "rank": row.rank,
        "score": row.score,
        "grade": row.grade,
        "grade_label": row.grade_vi if lang == "vi" else row.grade_en,
        "met": row.met,
        "scored": row.scored,
        "met_of": f"{row.met}/{row.scored}",
        "no_data": row.no_data,
        "no_data_rules": list(row.no_data_rules),
        "commended": row.commended,
        "reminded": row.reminded,
        "demoted": row.demoted,
        "previous_rank": row.previous_rank,
        "rank_change": row.rank_change,
        "flags": "; ".join(flags),
    }


def json_record(row: RankRow, lang: str) -> dict[str, Any]:
    """The JSON form: ``score`` to 4 places with a dot, ``score_exact`` as ``"n/d"``, points per rule."""
    record = row_record(row, lang)
    record.pop("met_of")
    record.pop("flags")
    record["score"] = json_number(row.score)
    record["score_exact"] = str(row.score)
    record["points"] = [
        {
            "rule": p.rule,
            "status": p.status,
            "points": json_number(p.points),
            "max_points": json_number(p.max_points),
            "value": json_number(p.value, scale=100),
            "target": json_number(p.target, scale=100),
        }
        for p in row.points
    ]
    return record


class _Decimals(dict[int, str]):
    """The text after the whole part of a number rounded to four places, by its last four digits:
    ``.5`` for 5000, ``.0`` for 0 (as a float's repr writes them); each made when first needed."""

    def __missing__(self, rest: int) -> str:
        text = self[rest] = "." + f"{rest:04d}".rstrip("0") if rest else ".0"
        return text


_DECIMALS = _Decimals()
# Up to 15 significant digits a decimal is the shortest text of the float nearest to it (its repr),
# written without an exponent from 0.0001 up: below this many ten-thousandths that is every number.
_FEW_DIGITS = 10**15


def _number_text(value: Fraction | int | None, scale: int = 1) -> str:
    """The JSON text of ``json_number(value, scale=scale)``, written from its digits instead of
    through a float (the same text, twice as fast)."""
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value * scale)
    numerator, denominator = value.as_integer_ratio()
    numerator *= scale
    if numerator % denominator == 0:
        return str(numerator // denominator)
    scaled = (20_000 * numerator + denominator) // (2 * denominator)  # floor(x × 10⁴ + 1/2)
    if numerator < 0 or scaled >= _FEW_DIGITS:
        return json.dumps(json_number(value, scale=scale))
    whole, rest = divmod(scaled, 10_000)
    return f"{whole}{_DECIMALS[rest]}"


# The JSON of many rows, fast: each row's values are written as JSON text in Python (rounded numbers
# from their digits, counts and ranks by ``%s``; texts by the C function that encodes
# a string, the few that repeat only once) and set into a template of the record's layout, one per
# number of rules without data and of points. The text is exactly what
# ``json_chunks(json_record(row) for row in rows)`` writes.
_RECORD_KEYS = (
    "unit",
    "unit_name",
    "level",
    "period",
    "rank",
    "score",
    "grade",
    "grade_label",
    "met",
    "scored",
    "no_data",
    "no_data_rules",
    "commended",
    "reminded",
    "demoted",
    "previous_rank",
    "rank_change",
    "score_exact",
    "points",
)
_POINT_KEYS = ("rule", "status", "points", "max_points", "value", "target")
_quote: Callable[[str], str] = json.encoder.encode_basestring


class _Quoted(dict[str | None, str]):
    """The JSON of texts that repeat from row to row (levels, periods, grades, rules, statuses)."""

    def __missing__(self, text: str | None) -> str:
        quoted = self[text] = "null" if text is None else _quote(text)
        return quoted


@functools.cache
def _template(rules_without_data: int, points: int) -> str:
    def block(items: list[str], level: int, brackets: str) -> str:
        if not items:
            return brackets
        pad = "\n" + "  " * (level + 1)
        return brackets[0] + pad + ("," + pad).join(items) + "\n" + "  " * level + brackets[1]

    def fields(keys: tuple[str, ...], values: dict[str, str]) -> list[str]:
        return [json.dumps(key) + ": " + values.get(key, "%s") for key in keys]

    point = block(fields(_POINT_KEYS, {}), 3, "{}")
    nested = {
        "no_data_rules": block(["%s"] * rules_without_data, 2, "[]"),
        "score_exact": '"%s"',  # digits, a slash and a sign: nothing to escape
        "points": block([point] * points, 2, "[]"),
    }
    return block(fields(_RECORD_KEYS, nested), 1, "{}")


def json_texts(rows: Sequence[RankRow], lang: str) -> Iterator[str]:
    """Each row's :func:`json_record` as indented JSON text, as :func:`~dvctt_rules.render.json_chunks`
    writes a record of a list (between ``"[\n  "`` and ``"\n]"``), fast for long rankings."""
    # The same Fraction objects come back in every row (a rule's maximum points, a level's target):
    # each is written once. Keyed by identity, which is safe while ``rows`` holds them all.
    maxima: dict[int, str] = {}
    percents: dict[int, str] = {}
    texts = _Quoted()
    vi = lang == "vi"
    quote, template, number = _quote, _template, _number_text
    rows = list(rows)  # held to the end: the identities above stay those of these objects
    for row in rows:
        score = row.score
        values: list[Any] = [
            quote(row.unit),
            quote(row.unit_name),
            texts[row.level],
            texts[row.period],
            row.rank,
            number(score),
            texts[row.grade],
            texts[row.grade_vi if vi else row.grade_en],
            row.met,
            row.scored,
            row.no_data,
        ]
        if row.no_data:
            values += [texts[rule] for rule in row.no_data_rules]
        prior, change = row.previous_rank, row.rank_change
        values += (
            "true" if row.commended else "false",
            "true" if row.reminded else "false",
            "true" if row.demoted else "false",
            "null" if prior is None else prior,
            "null" if change is None else change,
            str(score),
        )
        for p in row.points:
            points, most, target, value = p.points, p.max_points, p.target, p.value
            best = maxima.get(id(most))
            if best is None:
                best = maxima[id(most)] = number(most)
            earned = best if points is most else number(points)  # full points are the maximum itself
            goal = percents.get(id(target))
            if goal is None:
                goal = percents[id(target)] = number(target, scale=100)
            values += (
                texts[p.rule],
                texts[p.status],
                earned,
                best,
                number(value, scale=100),
                goal,
            )
        yield template(row.no_data, len(row.points)) % tuple(values)


def _lists(ranking: Ranking, lang: str, hierarchy: Hierarchy, fmt: str, period: str | None = None) -> str:
    """The commendation and reminder lists (and the units not ranked, by name) as text to follow a
    table of ``fmt``; ``period`` labels them."""
    vi = lang == "vi"
    commended = ", ".join(r.unit_name for r in ranking.commended) or ("(không có)" if vi else "(none)")
    reminded = ", ".join(r.unit_name for r in ranking.reminded) or ("(không có)" if vi else "(none)")
    of = "" if period is None else (f" (kỳ {period})" if vi else f" (period {period})")
    lines = [
        ("Đề nghị khen thưởng" if vi else "Proposed for commendation") + of + ": " + commended,
        ("Nhắc nhở" if vi else "To be reminded") + of + ": " + reminded,
    ]
    if ranking.unscored:
        lines.append(
            ("Không xếp hạng (không có tiêu chí áp dụng)" if vi else "Not ranked")
            + of
            + ": "
            + ", ".join(hierarchy[unit].name for unit in ranking.unscored)
        )
    return _after_table(lines, fmt)


def _after_table(lines: list[str], fmt: str) -> str:
    """Lines of text written after a table of ``fmt``: HTML paragraphs, LaTeX paragraphs with the
    characters LaTeX reads as commands escaped as tabulate escapes cells (``latex_raw``: as they are),
    else plain lines."""
    if fmt in ("html", "unsafehtml"):
        quote = html.escape if fmt == "html" else str
        return "".join(f"<p>{quote(line)}</p>\n" for line in lines)
    if fmt.startswith("latex"):
        if fmt != "latex_raw":
            from tabulate import LATEX_ESCAPE_RULES

            lines = ["".join(LATEX_ESCAPE_RULES.get(c, c) for c in line) for line in lines]
        return "\n\n".join(lines) + "\n"
    return "\n".join(lines) + "\n"


def _rule_ids(given: list[str]) -> tuple[str, ...]:
    """The rule ids of every ``--rules`` (each a comma list), in order, each once."""
    rules = tuple(dict.fromkeys(r.strip() for text in given for r in text.split(",") if r.strip()))
    if not rules:
        got = ", ".join(repr(text) for text in given)
        raise DvcttRulesError(
            f"--rules names no rule (got {got}); give rule ids separated by commas, such as PL-II.1,PL-II.2"
        )
    return rules


def _periods(observations: Observations, within: Period | None) -> list[Period]:
    """The periods ``--per-period`` ranks: those observed, only those inside ``--period`` if given."""
    observed = observations.periods()
    if not observed:
        raise DvcttRulesError(
            "--per-period: the data have no period to rank; give observations with --data, or leave "
            "--per-period out"
        )
    if within is None:
        return list(observed)
    return [p for p in observed if within.contains(p)]  # some: the inputs were checked for it


def run(args: argparse.Namespace) -> int:
    check_chart_path(args.chart)
    given = _rule_ids(args.rules) if args.rules is not None else None
    peers: tuple[Unit, ...] = ()
    where = ""

    def check(hierarchy: Hierarchy, plan: Plan) -> None:
        # The peer group must hold units, and the rules asked for must judge some of them.
        nonlocal peers, where
        check_level(hierarchy, args.level)
        if args.within is None:
            peers, where = hierarchy.units(args.level), f"no unit of the {args.level} level"
        else:
            scope = check_within(hierarchy, args.level, args.within)
            peers = tuple(u for u in hierarchy.descendants(scope) if u.level == args.level)
            where = f"no unit of the {args.level} level under {scope.name}"
        if given is not None:
            check_rules_apply(plan, hierarchy, given, peers, "--rules", where)

    inputs = load_inputs(args, check)
    rules: tuple[str, ...] | None = given
    if rules is None and args.data is None and inputs.dataset is not None:
        rules = baseline_rules(inputs.plan, inputs.observations)
        note = (
            "dvctt-rules: không có --data: xếp hạng theo số liệu hiện tại của kế hoạch, trên "
            if args.lang == "vi"
            else "dvctt-rules: no --data: ranking on the plan's own current figures, on rules "
        )
        print(note + ", ".join(rules), file=sys.stderr)
    if given is None:
        scored = rules if rules is not None else tuple(r.id for r in inputs.plan.rules if r.scored)
        if not scored:
            raise DvcttRulesError(
                "the plan scores no rule"
                + ("" if rules is None else " on these data (the baseline reports none of their figures)")
                + "; name the rules to score with --rules"
            )
        check_rules_apply(inputs.plan, inputs.hierarchy, scored, peers, "the scored rules", where, each=False)
    options: dict[str, Any] = {
        "level": args.level,
        "within": args.within,
        "as_of": inputs.as_of,
        "scheme": args.scheme,
        "rules": rules,
    }
    rankings: Iterator[Ranking]
    if args.per_period:
        periods = _periods(inputs.observations, inputs.period)
        rankings = iter_rank_periods(
            inputs.plan, inputs.hierarchy, inputs.observations, periods=periods, **options
        )
    else:
        rankings = iter(
            (rank(inputs.plan, inputs.hierarchy, inputs.observations, period=inputs.period, **options),)
        )
    fmt = args.format
    last: Ranking | None = None

    def shown(ranking: Ranking) -> Sequence[RankRow]:
        nonlocal last
        last = ranking
        return ranking.top(args.top) if args.top else ranking.rows

    if fmt == "json":  # written period by period, row by row, as made: the text render() would give
        emit_json_texts(itertools.chain.from_iterable(json_texts(shown(r), args.lang) for r in rankings))
    else:
        columns: tuple[Column, ...] = CSV_COLUMNS if fmt == "csv" else COLUMNS
        if args.per_period and fmt != "csv":
            columns = (Column("period", "Kỳ", "Period"), *COLUMNS)
        records = [row_record(row, args.lang) for ranking in rankings for row in shown(ranking)]
        if fmt != "csv":  # a score just under a grade's edge is not shown on it (89,995, not 90,00)
            edges = [band.min_score * 100 for band in inputs.plan.scoring.bands]
            records = shown_apart(records, args.lang, ("score",), lambda _: edges, 2)
        emit(render(records, columns, fmt, lang=args.lang))
    if last is None:  # no period to rank
        return 0
    if fmt not in ("csv", "json", "tsv") and fmt in output_formats():  # for readers, not data
        emit("\n" + _lists(last, args.lang, inputs.hierarchy, fmt, last.period if args.per_period else None))
    if args.chart:
        bands = [
            (b.min_score, b.label_vi if args.lang == "vi" else b.label_en) for b in inputs.plan.scoring.bands
        ]
        bars = [
            ChartBar(
                r.unit_name, r.score / 100, None, "met" if r.grade == bands[0][1] else _colour(r, inputs.plan)
            )
            for r in last.rows
        ]
        title = (
            "Điểm thi đua" if args.lang == "vi" else "Scores"
        ) + f" — {args.level} ({last.period or 'all'})"
        draw_bars(
            bars,
            args.chart,
            title=title,
            axis_label=("điểm" if args.lang == "vi" else "points"),
            bands=[(low, label) for low, label in bands if low > 0],
        )
    return 0


def _colour(row: RankRow, plan: Plan) -> str:
    keys = [band.key for band in plan.scoring.bands]
    if row.grade == keys[0]:
        return "met"
    if row.grade == keys[-1]:
        return "not_met"
    return "grade"
