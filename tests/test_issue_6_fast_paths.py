"""Issue 6 (national scale): the fast paths give exactly what the reference paths give.

The CSV observation loader, the per-unit column storage and totals, indexed target resolution,
evaluation of a subset of rules and units, the integer arithmetic of verdicts and scores, the
ranking's float-first ordering, the indented JSON writer, the lazy imports and the paused garbage
collector are each checked against a plain reference: the records loader, a scan, ``Fraction``
arithmetic, ``json.dumps``. No test here measures time.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import math
import operator
import subprocess
import sys
import tempfile
import unicodedata
import weakref
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dvctt_rules import DataError, UnknownNameError, UnknownUnitError
from dvctt_rules._gc import MANY, paused_gc
from dvctt_rules._io import csv_reader, text_lines
from dvctt_rules._text import canonical
from dvctt_rules.aggregate import plan_indicators, rollup
from dvctt_rules.hierarchy import (
    DEFAULT_ORG_PREFIXES,
    DEFAULT_TYPE_PREFIXES,
    Hierarchy,
    Unit,
    read_hierarchy_csv,
    strip_prefixes,
    validate_tree,
)
from dvctt_rules.observations import (
    DEFAULT_CATALOG,
    Observations,
    Period,
    _csv_fast,
    load_observations,
    observations_from_records,
)
from dvctt_rules.observations._csv_fast import load_clean_csv
from dvctt_rules.observations._model import conflicts
from dvctt_rules.plugins import (
    AGGREGATORS,
    Evaluator,
    RateOnly,
    RatioOfSums,
    Registry,
    ZeroCount,
    check_evaluator,
)
from dvctt_rules.ranking import RANKERS, PartialCredit, competition_ranks, rank
from dvctt_rules.render import json_chunks, json_number
from dvctt_rules.render._format import _json_default
from dvctt_rules.rules import Plan, Report, RuleVerdict, compare, evaluate, gap_count, measure_units
from dvctt_rules.testing import (
    TRICKY_HIERARCHY,
    hierarchies,
    invalid_observation_files,
    observation_records,
    observations,
    plans,
)
from dvctt_rules.testing._observations_for_ranking import counted_observations, ranking_plans

ROOT = Path(__file__).resolve().parent.parent


# -- the CSV loader -----------------------------------------------------------------------------------


def _csv_text(records: list[dict[str, Any]]) -> str:
    """Records as a CSV file (the columns in first-seen order; unknown as an empty cell)."""
    header = list(dict.fromkeys(key for record in records for key in record))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for record in records:
        writer.writerow(["" if record.get(key) is None else str(record[key]) for key in header])
    return out.getvalue()


def _same(fast: Observations, reference: Observations) -> None:
    assert fast == reference
    assert list(fast) == list(reference)  # the same iteration order, row by row
    assert fast.units() == reference.units()
    assert fast.periods() == reference.periods()
    assert fast.measures() == reference.measures()
    assert fast.units_without_data() == reference.units_without_data()
    for unit in reference.units():
        assert fast.totals(unit) == reference.totals(unit)
        for period in reference.periods():
            assert fast.totals(unit, period) == reference.totals(unit, period)


def _records_loaded(records: list[dict[str, Any]]) -> Observations:
    """The reference: what the records loader reads of ``records``, each ``Decimal`` (what the JSON
    reader gives) as its text, as in CSV."""
    as_text = [{k: str(v) if isinstance(v, Decimal) else v for k, v in r.items()} for r in records]
    return observations_from_records(as_text, TRICKY_HIERARCHY)


@given(observation_records(TRICKY_HIERARCHY, max_units=4).flatmap(st.permutations))
def test_the_csv_fast_path_reads_what_the_records_loader_reads(records: list[dict[str, Any]]) -> None:
    # In any order: a unit's rows together or apart, its periods sorted or not.
    text = _csv_text(records)
    fast = load_clean_csv(io.StringIO(text, newline=""), "obs.csv", TRICKY_HIERARCHY, DEFAULT_CATALOG)
    assert fast is not None  # a valid file is read by the fast path, not handed to the reference
    reference = _records_loaded(records)
    _same(fast, reference)
    loaded = load_observations(text.encode("utf-8"), TRICKY_HIERARCHY, format="csv", name="obs.csv")
    _same(loaded, reference)
    assert loaded.report == fast.report
    assert loaded.report is not None
    assert (loaded.report.rows_read, loaded.report.rows_used) == (len(records), len(records))


@st.composite
def _loose_layouts(draw: st.DrawFn) -> tuple[list[dict[str, Any]], str]:
    """Valid records and a CSV file of them as people leave it: columns in any order, blank lines and
    lines of empty cells anywhere, trailing empty cells left off, spaces around cells."""
    records = draw(observation_records(TRICKY_HIERARCHY, max_units=4).flatmap(st.permutations))
    header, *rows = csv.reader(io.StringIO(_csv_text(records), newline=""))  # a note may hold a newline
    order = draw(st.permutations(range(len(header))))
    header, rows = [header[i] for i in order], [[cells[i] for i in order] for cells in rows]
    out = [",".join(header)]
    width = len(header)
    for cells in rows:
        out += draw(st.lists(st.sampled_from(["", ",", "," * (width - 1), " ,  "]), max_size=2))
        if draw(st.booleans()):  # leave the trailing empty cells off
            while len(cells) > 2 and cells[-1] == "":
                cells.pop()
        if draw(st.booleans()):  # a space on each side of every cell
            cells = [f" {cell} " for cell in cells]
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(cells)  # a note with a newline is quoted
        out.append(buffer.getvalue().removesuffix("\n"))
    out += draw(st.lists(st.sampled_from(["", "," * (width - 1)]), max_size=2))
    end = draw(st.sampled_from(["\n", "\r\n"]))  # lines ended as on Unix or on Windows
    return records, end.join(out) + draw(st.sampled_from([end, ""]))  # the last one or not


@given(
    _loose_layouts(),
    st.integers(1, 3),
    st.sampled_from([None, True, False]),
    st.integers(1, 40),
)
def test_rows_read_in_runs_or_in_batches_of_any_size(
    case: tuple[list[dict[str, Any]], str], batch: int, in_runs: bool | None, chunk: int
) -> None:
    # A file whose rows come in runs of one unit is read run by run (runs of one row wait and are
    # read in batches), any other batch by batch; the first rows decide (None), or either road is
    # forced. Tiny batches fill up in a small file, between and after the longer runs; the text is
    # split a few characters at a time, lines crossing from one piece to the next.
    records, text = case
    decide = _csv_fast._in_runs if in_runs is None else lambda *_: in_runs
    with (
        mock.patch.object(_csv_fast, "_BATCH", batch),
        mock.patch.object(_csv_fast, "_in_runs", decide),
        mock.patch.object(_csv_fast, "_CHUNK", chunk),
    ):
        fast = load_clean_csv(io.StringIO(text, newline=""), "obs.csv", TRICKY_HIERARCHY, DEFAULT_CATALOG)
    assert fast is not None
    reference = _records_loaded(records)
    _same(fast, reference)


@given(
    st.text(st.sampled_from(",\n ađ"), max_size=40) | st.text(st.sampled_from(',\n\r" a\x00đ'), max_size=40),
    st.integers(1, 12),
    st.sampled_from([3, 131072]),
)
def test_text_is_split_into_the_rows_the_csv_module_reads(text: str, chunk: int, limit: int) -> None:
    # Quote-free text is split at newlines and commas; anything else (quotes, carriage returns, NUL
    # characters, a cell over the csv module's limit) is left to the csv module, errors included.
    def rows(read: Callable[[io.StringIO], Iterator[list[str]]]) -> list[list[str]] | str:
        try:
            return list(read(io.StringIO(text, newline="")))
        except csv.Error as exc:
            return f"csv.Error: {exc}"

    before = csv.field_size_limit(limit)
    try:
        with mock.patch.object(_csv_fast, "_CHUNK", chunk):
            split = rows(lambda handle: _csv_fast._split_rows(handle, csv_reader(handle)))
        assert split == rows(csv_reader)  # the csv module's strict reading, which the loaders use
    finally:
        csv.field_size_limit(before)


@given(st.text(st.sampled_from('\r\n\x0b\x0c\x1c\x85\u2028",a'), max_size=30))
def test_text_lines_are_the_lines_of_a_string_io(text: str) -> None:
    # The reference readers read their text line by line without the copy a StringIO makes: the
    # same lines, ending at "\r\n", "\r" or "\n" only (not at the other line breaks of str.splitlines).
    assert list(text_lines(text)) == list(io.StringIO(text, newline=""))


def test_the_first_rows_choose_the_road_that_suits_the_layout() -> None:
    # Which road reads a file changes only the speed: runs for a file listed unit by unit (a run
    # per unit), batches for one listed month by month (every run one row long).
    unit_cell = operator.itemgetter(slice(0, 1))
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    by_unit = [[unit, month] for unit in ("a", "b", "c") for month in months]
    by_month = [[unit, month] for month in months for unit in ("a", "b", "c")]
    assert _csv_fast._in_runs(by_unit, unit_cell)
    assert not _csv_fast._in_runs(by_month, unit_cell)
    assert _csv_fast._in_runs([], unit_cell)  # a file with no rows: nothing to read either way


@given(_loose_layouts())
def test_the_csv_fast_path_reads_loose_layouts_as_the_records_loader(
    case: tuple[list[dict[str, Any]], str],
) -> None:
    # Rows that are not of the header's width and blank lines are evened out, a unit's rows still
    # read as one unit when a blank line splits them; none of this sends the file to the slow road.
    records, text = case
    fast = load_clean_csv(io.StringIO(text, newline=""), "obs.csv", TRICKY_HIERARCHY, DEFAULT_CATALOG)
    assert fast is not None
    reference = _records_loaded(records)
    _same(fast, reference)


@given(observations(TRICKY_HIERARCHY, max_units=4))
def test_a_file_on_disk_is_streamed_to_the_same_observations(obs: Observations) -> None:
    from dvctt_rules.observations import observations_to_csv

    text = observations_to_csv(obs)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "observations.csv"
        path.write_text(text, encoding="utf-8")
        loaded = load_observations(path, TRICKY_HIERARCHY)
    reference = load_observations(io.StringIO(text), TRICKY_HIERARCHY, format="csv")
    _same(loaded, obs)
    _same(reference, obs)


@given(invalid_observation_files(TRICKY_HIERARCHY, format="csv"))
def test_the_fast_path_never_accepts_a_defective_file(case: tuple[str, bytes]) -> None:
    kind, content = case
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return  # not text: read_text reports it before any CSV is read
    if kind == "not_utf8":
        return
    assert load_clean_csv(io.StringIO(text, newline=""), "bad.csv", TRICKY_HIERARCHY, DEFAULT_CATALOG) is None


@pytest.mark.parametrize(
    ("unknown", "broken"),
    [
        ("payments_total", "payments_online"),  # the whole of the broken relation unknown on a row
        ("payments_online", "payments_online"),  # its part
        ("resolved_late", "results_synced"),  # one of three wholes
        ("received_postal", "results_synced"),  # another column of the same unit
    ],
)
def test_a_part_above_its_whole_is_found_beside_an_unknown_value(unknown: str, broken: str) -> None:
    # A unit whose rows hold an unknown value is checked row by row where all are known.
    header = ["unit", "period", "payments_total", "payments_online", "resolved_early", "resolved_on_time"]
    header += ["resolved_late", "results_synced", "received_postal"]
    good = {**dict.fromkeys(header[2:], "5"), "results_synced": "12"}  # 12 <= 5 + 5 + 5
    rows = [{**good, unknown: ""}, {**good}, {**good}]
    rows[2][broken] = "99"  # above its whole (5, or 5 + 5 + 5)
    restored = good[broken]
    unit = next(iter(TRICKY_HIERARCHY)).id
    lines = [",".join(header)] + [
        ",".join([unit, f"2024-0{month}", *(row[name] for name in header[2:])])
        for month, row in enumerate(rows, start=1)
    ]
    text = "\n".join(lines) + "\n"
    assert load_clean_csv(io.StringIO(text, newline=""), "bad.csv", TRICKY_HIERARCHY, DEFAULT_CATALOG) is None
    with pytest.raises(DataError) as info:
        load_observations(text.encode(), TRICKY_HIERARCHY, format="csv")
    assert [(problem.line, problem.column) for problem in info.value.problems] == [(4, broken)]
    rows[2][broken] = restored  # the same file without the fault is read by the fast road
    lines[3] = ",".join([unit, "2024-03", *(rows[2][name] for name in header[2:])])
    text = "\n".join(lines) + "\n"
    assert (
        load_clean_csv(io.StringIO(text, newline=""), "ok.csv", TRICKY_HIERARCHY, DEFAULT_CATALOG) is not None
    )


def test_a_defective_file_reports_the_same_problems_as_before(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "unit,period,payments_total,payments_online,received_online\n"
        "74,2024-01,5,9,1\n"
        "74,2024-01,5,4,1\n"
        "nowhere,2024-02,1,1,1.200\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        load_observations(path, TRICKY_HIERARCHY)
    found = [(p.line, p.column, p.message) for p in info.value.problems]
    assert found == [
        (2, "payments_online", "payments_online (9) is larger than payments_total (5)"),
        (3, "period", found[1][2]),
        (4, "unit", "no unit of the hierarchy has this name or id"),
        (4, "received_online", "'1.200' is ambiguous: a thousands separator or a decimal point?"),
    ]
    assert found[1][2].endswith("already has a row for 2024-01 (line 2)")


# -- conflicts, periods, totals -----------------------------------------------------------------------

_PERIODS = [Period(2024), *Period(2024).months()[:4], Period(2024, quarter=1), Period(2024, quarter=2)]


def _naive_conflicts(keys: list[tuple[str, Period]]) -> list[tuple[int, int]]:
    """The original algorithm: one sort of every key by (unit, period, position)."""
    found: list[tuple[int, int]] = []
    order = sorted(range(len(keys)), key=lambda i: (keys[i][0], keys[i][1], i))
    widest: int | None = None
    for position in order:
        unit, period = keys[position]
        if widest is not None and keys[widest][0] == unit and keys[widest][1].overlaps(period):
            found.append((min(widest, position), max(widest, position)))
            if keys[widest][1].contains(period):
                continue
        widest = position
    return sorted(found)


@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(_PERIODS)), max_size=12))
def test_conflicts_are_the_same_as_with_one_global_sort(keys: list[tuple[str, Period]]) -> None:
    assert conflicts(keys) == _naive_conflicts(keys)


@given(st.sampled_from(_PERIODS), st.sampled_from(_PERIODS))
def test_period_order_containment_and_overlap_follow_the_months(a: Period, b: Period) -> None:
    months_a, months_b = set(a.months()), set(b.months())
    assert a.contains(b) == (months_b <= months_a)
    assert a.overlaps(b) == bool(months_a & months_b)
    first_a = min(m.month or 0 for m in months_a)
    first_b = min(m.month or 0 for m in months_b)
    assert (a < b) == ((first_a, -len(months_a)) < (first_b, -len(months_b)))


def test_a_deep_chain_and_a_cycle_are_found_without_walking_every_path_again() -> None:
    size = 3000
    units = [Unit(f"u{i}", f"Xã {i}", "commune" if i else "province") for i in range(size)]
    parents: dict[str, str | None] = {f"u{i}": f"u{i - 1}" for i in range(1, size)}
    validate_tree(units[:2], {"u1": "u0"}, ("province", "commune"))
    cyclic = {**parents, "u0": f"u{size - 1}"}
    with pytest.raises(Exception, match="cycle"):
        validate_tree(units, cyclic, ("province", "commune"))


# -- evaluation of a subset ---------------------------------------------------------------------------

cases = hierarchies(min_size=2, max_size=15).flatmap(
    lambda h: st.tuples(st.just(h), plans(h), observations(h, max_units=6))
)


@given(cases, st.data())
def test_evaluating_some_rules_for_some_units_gives_those_verdicts_of_the_full_evaluation(
    case: tuple[Hierarchy, Plan, Observations], data: st.DataObject
) -> None:
    h, p, obs = case
    full = evaluate(p, h, obs)
    rule_ids = [r.id for r in p.rules]
    chosen_rules = data.draw(
        st.none() | st.lists(st.sampled_from(rule_ids), unique=True) if rule_ids else st.none()
    )
    chosen_units = data.draw(st.none() | st.lists(st.sampled_from([u.id for u in h]), unique=True))
    part = evaluate(p, h, obs, rules=chosen_rules, units=chosen_units)
    keep_rule = set(rule_ids if chosen_rules is None else chosen_rules)
    keep_unit = {u.id for u in h} if chosen_units is None else set(chosen_units)
    assert part.verdicts == tuple(v for v in full.verdicts if v.rule in keep_rule and v.unit in keep_unit)
    assert part.outcomes == tuple(o for v in part.verdicts for o in v.outcomes)
    assert (part.plan, part.period, part.as_of) == (full.plan, full.period, full.as_of)


def test_subset_arguments_are_checked() -> None:
    from dvctt_rules.datasets import load_dataset

    ds = load_dataset("binh-duong-2023")
    assert ds.plan is not None
    with pytest.raises(UnknownNameError, match=r"did you mean .*'PL-II\.1'"):
        evaluate(ds.plan, ds.hierarchy, ds.baseline, rules=["PL-II.l"])
    with pytest.raises(UnknownUnitError):
        evaluate(ds.plan, ds.hierarchy, ds.baseline, units=["2577"])
    with pytest.raises(TypeError, match="collection"):
        evaluate(ds.plan, ds.hierarchy, ds.baseline, rules="PL-II.1")
    with pytest.raises(TypeError, match="collection"):
        evaluate(ds.plan, ds.hierarchy, ds.baseline, units="25774")
    # Province-scope rules are judged on the root: only when the root is among the units.
    root = ds.hierarchy.root
    assert {o.scope for o in evaluate(ds.plan, ds.hierarchy, ds.baseline, units=[root])} == {"province"}
    assert evaluate(ds.plan, ds.hierarchy, ds.baseline, rules=["I.1"], units=["25774"]).verdicts == ()
    by_unit = evaluate(ds.plan, ds.hierarchy, ds.baseline, units=[ds.hierarchy["25774"], "718"])
    assert [v.unit for v in by_unit.verdicts] == ["718"] * 4 + ["25774"] * 4  # hierarchy order


# -- exact arithmetic ---------------------------------------------------------------------------------

fractions = st.fractions(min_value=-2, max_value=2, max_denominator=1000)
proportions = st.fractions(min_value=0, max_value=1, max_denominator=1000)


@given(fractions, proportions, st.sampled_from(["at_least", "at_most", "equal"]))
def test_compare_on_integers_is_fraction_comparison(
    value: Fraction, target: Fraction, direction: str
) -> None:
    expected = {"at_least": value >= target, "at_most": value <= target, "equal": value == target}
    assert compare(value, target, direction) == expected[direction]


@given(
    st.integers(0, 10**6),
    st.none() | st.integers(0, 10**6),
    proportions,
    st.sampled_from(["at_least", "at_most", "equal"]),
)
def test_gap_count_on_integers_is_the_fraction_formula(
    numerator: int, denominator: int | None, target: Fraction, direction: str
) -> None:
    def reference() -> int | None:
        if denominator is None:
            bound = target
        elif denominator == 0:
            return None
        else:
            bound = target * denominator
        if direction == "at_least":
            return max(0, math.ceil(bound) - numerator)
        if direction == "at_most":
            return max(0, numerator - math.floor(bound))
        return None if bound.denominator != 1 else abs(int(bound) - numerator)

    assert gap_count(numerator, denominator, target, direction) == reference()


@given(fractions, st.integers(0, 6), st.sampled_from([1, 100, 1000]))
def test_json_number_rounds_the_exact_value_half_away_from_zero(
    value: Fraction, places: int, scale: int
) -> None:
    scaled = value * scale
    if scaled.denominator == 1:
        expected: float | int = int(scaled)
    else:
        rounded = math.floor(abs(scaled) * 10**places + Fraction(1, 2))
        expected = (-1 if scaled < 0 else 1) * rounded / 10**places
    assert json_number(value, places, scale=scale) == expected
    assert json_number(value * scale, places) == expected


@given(st.lists(st.fractions(min_value=0, max_value=100, max_denominator=10**6), max_size=30))
def test_competition_ranks_against_the_definition(scores: list[Fraction]) -> None:
    assert competition_ranks(scores) == tuple(1 + sum(o > s for o in scores) for s in scores)


def test_float_ties_are_broken_exactly() -> None:
    a = Fraction(1, 3)
    b = a + Fraction(1, 10**30)  # the same float, a different score
    assert float(a) == float(b)
    assert competition_ranks([a, b, a]) == (2, 1, 2)


ranked = hierarchies(min_size=3, max_size=20).flatmap(
    lambda h: st.tuples(st.just(h), ranking_plans(h), counted_observations(h))
)


def _naive_score(plan: Plan, report: Report, unit: str) -> Fraction | None:
    """PartialCredit with plain Fraction arithmetic, from the report's verdicts."""
    verdicts = [v for v in report.verdicts if v.unit == unit and v.scored and v.status != "not_applicable"]
    if not verdicts:
        return None
    total_weight = sum((v.weight for v in verdicts), Fraction(0))
    score = Fraction(0)
    for v in verdicts:
        points = Fraction(100) * v.weight / total_weight
        if v.status == "met":
            score += points
        elif v.status == "not_met" and len(v.outcomes) == 1:
            o = v.outcomes[0]
            if o.indicator.direction == "at_least" and o.value is not None and o.target:
                score += points * min(Fraction(1), max(Fraction(0), o.value / o.target))
    return score


@given(ranked, st.data())
def test_rank_on_observations_is_rank_on_the_full_report_and_the_plain_scores(
    case: tuple[Hierarchy, Plan, Observations], data: st.DataObject
) -> None:
    h, p, obs = case
    level = data.draw(st.sampled_from(h.levels))
    report = evaluate(p, h, obs)
    fast = rank(p, h, obs, level=level)
    assert fast == rank(p, h, report, level=level)
    for row in fast:
        assert row.score == _naive_score(p, report, row.unit)
        assert row.score == sum(pt.points for pt in row.points)
    for unit in fast.unscored:
        assert _naive_score(p, report, unit) is None
    partial = PartialCredit()
    for row in fast:
        verdicts = [v for v in report.verdicts if v.unit == row.unit and v.scored]
        for verdict in verdicts:
            credit = partial.credit(verdict, p)
            assert 0 <= credit <= 1


@given(ranked, st.data())
def test_the_rank_json_writer_writes_the_records_as_render_does(
    case: tuple[Hierarchy, Plan, Observations], data: st.DataObject
) -> None:
    from dvctt_rules.cli._rank import json_record, json_texts

    h, p, obs = case
    if data.draw(st.booleans()):  # names that JSON escapes: quotes, backslashes, control characters
        odd = st.text(st.sampled_from('Xã "\\/\t\x01\x7fđ'), min_size=1, max_size=6).filter(str.strip)
        records = [{**r, "name": data.draw(odd)} for r in h.to_records()]
        h = Hierarchy.from_records(records, levels=h.levels)
    level = data.draw(st.sampled_from(h.levels))
    previous = rank(p, h, obs, level=level) if data.draw(st.booleans()) else None
    rows = rank(p, h, obs, level=level, previous=previous).rows
    lang = data.draw(st.sampled_from(["vi", "en"]))
    texts = list(json_texts(rows, lang))
    written = "[]\n" if not texts else "[\n  " + ",\n  ".join(texts) + "\n]\n"
    assert written == "".join(json_chunks(json_record(r, lang) for r in rows))


_numbers = st.none() | st.integers(-(10**20), 10**20) | st.fractions(max_denominator=10**12)
_near_limits = st.builds(
    lambda whole, rest, shift: Fraction(whole * 10_000 + rest, 10_000) + shift,
    st.sampled_from([0, 1, 99, 100, 10**10, 10**11 - 1, 10**11, 10**12, 10**16]),
    st.integers(0, 9_999),
    st.sampled_from([Fraction(0), Fraction(1, 20_000), Fraction(-1, 20_000), Fraction(1, 3 * 10**5)]),
)


@given(_numbers | _near_limits | _near_limits.map(operator.neg), st.sampled_from([1, 100]))
@example(Fraction(10**15 - 1, 10**4), 1)  # the most digits written from the digits
@example(Fraction(10**16 + 3, 10**4), 1)  # its float's repr has other digits: 1000000000000.0002
def test_the_rank_json_writer_writes_each_number_as_the_json_module_writes_it(
    value: Fraction | int | None, scale: int
) -> None:
    from dvctt_rules.cli._rank import _number_text

    # Around the whole numbers, the halves and 10**11 (where the digits stop being few enough).
    assert _number_text(value, scale) == json.dumps(json_number(value, scale=scale))


# -- text keys and number display ---------------------------------------------------------------------


def _fold_before(text: str) -> str:
    import unicodedata

    from dvctt_rules._text import canonical

    decomposed = unicodedata.normalize("NFD", canonical(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d")


@given(st.text(max_size=30) | st.sampled_from(["Phường Định Hoà", "UBND Thành phố Dĩ An", "Xã Số 5 huyện 7"]))
def test_fold_with_a_translate_table_is_the_character_by_character_fold(text: str) -> None:
    from dvctt_rules._text import fold

    assert fold(text) == _fold_before(text)


def _format_before(value: Fraction, places: int, lang: str, trim: bool) -> str:
    exact = Fraction(value)
    digits = str(math.floor(abs(exact) * 10**places + Fraction(1, 2))).rjust(places + 1, "0")
    text = f"{digits[:-places]}.{digits[-places:]}" if places > 0 else digits
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if exact < 0 and text.strip("0.") != "":
        text = "-" + text
    return text.replace(".", ",") if lang == "vi" else text


@given(fractions | st.integers(-1000, 1000), st.integers(0, 5), st.sampled_from(["vi", "en"]), st.booleans())
def test_format_decimal_on_integers_is_the_fraction_formula(
    value: Fraction | int, places: int, lang: str, trim: bool
) -> None:
    from dvctt_rules._text import format_decimal, format_percent

    assert format_decimal(value, places, lang=lang, trim=trim) == _format_before(
        Fraction(value), places, lang, trim
    )
    number = _format_before(Fraction(value) * 100, places, lang, True)
    assert format_percent(value, places, lang=lang) == (f"{number} %" if lang == "vi" else f"{number}%")


# -- indented JSON ------------------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.fractions(max_denominator=1000)
)
json_like = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5) | st.integers(0, 3), inner, max_size=4)
    ),
    max_leaves=20,
)


# Records as the commands make them: string keys, scalars around lists and dicts at any place.
json_records = st.dictionaries(st.text(max_size=5), json_like, max_size=6)


@given(st.lists(json_like, max_size=5) | st.lists(json_records, max_size=4))
@example([{"a": 1, "b": [1, {"c": []}], "d": 3, "e": {}, "f": ["x"]}])
def test_json_chunks_write_what_json_dumps_writes(records: list[Any]) -> None:
    expected = json.dumps(records, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    assert "".join(json_chunks(records)) == expected


def test_json_chunks_of_nothing() -> None:
    assert "".join(json_chunks([])) == "[]\n"


# -- imports and the garbage collector ----------------------------------------------------------------


def test_import_dvctt_rules_leaves_heavy_modules_for_later() -> None:
    code = (
        "import sys, dvctt_rules\n"
        "print(sorted(m for m in ('networkx', 'importlib.metadata', 'cattrs', 'tabulate', 'matplotlib')"
        " if m in sys.modules))\n"
        "print(dvctt_rules.__version__ != '')\n"
        "h = dvctt_rules.Hierarchy([dvctt_rules.Unit('p', 'Tỉnh P', 'province')], {})\n"
        "print(type(h.graph).__module__.split('.')[0])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["[]", "True", "networkx"]


def test_the_rank_command_in_json_leaves_heavy_modules_unloaded() -> None:
    """Start-up is part of every command: nothing it does not use is imported (the shipped data are
    read from the package's folder, without importlib.resources and its own imports)."""
    code = (
        "import contextlib, io, sys\n"
        "from dvctt_rules.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['rank', '--dataset', 'binh-duong-2023', '--level', 'district', '--format', 'json'])\n"
        "print(sorted(m for m in ('networkx', 'importlib.metadata', 'importlib.resources', 'tabulate',"
        " 'matplotlib', 'tempfile') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["[]"]


def test_paused_gc_resumes_only_what_was_running() -> None:
    was = gc.isenabled()
    try:
        gc.enable()
        with paused_gc():
            assert not gc.isenabled()
            with paused_gc():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled()
        with pytest.raises(ValueError, match="boom"), paused_gc():
            raise ValueError("boom")
        assert gc.isenabled()
        gc.disable()
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


class _Node:
    """An object that can be in a reference cycle and be weakly referenced."""

    other: object = None


def _in_generation(generation: int, objects: list[Any]) -> bool:
    there = {id(item) for item in gc.get_objects(generation=generation)}
    return all(id(item) in there for item in objects)


def test_what_a_paused_block_keeps_in_quantity_goes_to_the_oldest_generation() -> None:
    # The collector would walk what a call made and kept twice before finding it long-lived: from
    # about MANY objects on (the collector's count is net of what was freed), the block moves them
    # to the oldest generation as it ends. Fewer stay young; the caller's garbage cycles are still
    # collected; a caller's frozen objects stay frozen; a collector the caller stopped is left alone.
    was = gc.isenabled()
    try:
        gc.enable()
        gc.collect()
        cycle = _Node()
        cycle.other = cycle
        collected = weakref.ref(cycle)
        del cycle
        with paused_gc():
            kept = [[i] for i in range(2 * MANY)]
        assert _in_generation(2, kept)
        assert gc.get_freeze_count() == 0
        assert collected() is not None  # moved along, not collected yet ...
        gc.collect()
        assert collected() is None  # ... but a full collection finds it
        with paused_gc():
            few = [[i] for i in range(10)]
        assert _in_generation(0, few)

        del kept, few  # frozen below, they would leave the frozen count as they are freed
        gc.freeze()
        frozen = gc.get_freeze_count()
        try:
            with paused_gc():
                kept = [[i] for i in range(2 * MANY)]
            assert gc.get_freeze_count() == frozen
        finally:
            gc.unfreeze()

        gc.disable()
        with paused_gc():
            kept = [[i] for i in range(2 * MANY)]
        assert _in_generation(0, kept)
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_the_library_leaves_no_reference_cycles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # What a call makes and does not keep must be freed by reference counting: the collector is
    # paused during the calls, and what a large call keeps joins its oldest generation, so garbage
    # in a cycle would wait for a full collection. The fast roads (plain hierarchy, targets and
    # observations files), the reference road (a bad cell), evaluation, roll-up, ranking and the
    # command line's JSON, with the collector stopped: it finds nothing to free.
    from dvctt_rules.cli import main as cli_main
    from dvctt_rules.cli._rank import json_texts
    from dvctt_rules.datasets import load_dataset
    from dvctt_rules.rules import load_targets_csv

    dataset = load_dataset("binh-duong-2023")
    assert dataset.plan is not None
    records = [
        {key: r[key] or "" for key in ("id", "name", "level", "parent")}
        for r in dataset.hierarchy.to_records()
    ]
    hierarchy_csv, plain_csv = tmp_path / "units.csv", tmp_path / "plain.csv"
    with hierarchy_csv.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["id", "name", "level", "parent"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    plain = "".join(f"{r['id']},{r['name'].replace(',', ' -')},{r['level']},{r['parent']}\n" for r in records)
    plain_csv.write_text("id,name,level,parent\n" + plain, encoding="utf-8")
    targets_csv = tmp_path / "targets.csv"
    targets_csv.write_text(
        "unit,indicator,target\n"
        + "".join(
            f"{t.unit},{t.indicator},{json_number(t.value, scale=100)}\n"
            for t in dataset.unit_targets
            if t.unit
        ),
        encoding="utf-8",
    )
    data = ROOT / "examples" / "observations-2024.csv"
    spoiled = tmp_path / "spoiled.csv"
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    first = lines[1].split(",")
    spoiled.write_text("".join([lines[0], ",".join([*first[:2], "abc", *first[3:]]), *lines[2:]]), "utf-8")

    def calls() -> None:  # what it makes is freed as it returns, or left to the collector
        hierarchy = read_hierarchy_csv(plain_csv, dataset.levels)
        hierarchy.lookup("Tỉnh Bình Dương")  # builds the name index
        quoted = read_hierarchy_csv(hierarchy_csv, dataset.levels)
        own = load_targets_csv(targets_csv, resolve=lambda text: quoted.lookup(text).id)
        assert dataset.plan is not None
        plan = dataset.plan.with_targets(dataset.plan.targets.merged(own))
        observations = load_observations(data, quoted)
        with pytest.raises(DataError):
            load_observations(spoiled, quoted)
        evaluate(plan, quoted, observations)
        rollup(plan, quoted, observations, level="province")
        rows = rank(plan, quoted, observations, level="commune").rows
        assert sum(map(len, json_texts(rows, "en")))

    command = ["rank", "--hierarchy", str(hierarchy_csv), "--levels", ",".join(dataset.levels)]
    command += ["--targets", str(targets_csv), "--data", str(data), "--level", "commune", "--format", "json"]
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what the collector would free is kept in gc.garbage
    try:
        calls()
        gc.collect()
        made_by_calls = [type(item).__qualname__ for item in gc.garbage]
        gc.garbage.clear()
        assert cli_main(command) == 0
        gc.collect()  # argparse's parser is a cycle of its own (its actions too); nothing else is
        made_by_command = [
            type(item).__qualname__
            for item in gc.garbage
            if type(item).__module__.startswith("dvctt_rules") and not isinstance(item, argparse.Action)
        ]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        (gc.enable if was else gc.disable)()
    assert capsys.readouterr().out.startswith("[")
    assert made_by_calls == []
    assert made_by_command == []


# -- the generated country, end to end ----------------------------------------------------------------

GENERATOR = ROOT / "benchmarks" / "generate_country.py"


@pytest.mark.skipif(not GENERATOR.is_file(), reason="the benchmarks folder is not shipped in the sdist")
@pytest.mark.parametrize(
    ("districts", "levels", "by_period"),
    [
        (2, "country,province,department,district,commune", False),
        (0, "country,province,department,commune", False),  # two tiers, as after the 2025 reform
        (2, "country,province,department,district,commune", True),  # rows month by month
    ],
)
def test_a_small_generated_country_ranks_as_the_hand_written_script(
    tmp_path: Path, districts: int, levels: str, by_period: bool
) -> None:
    subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            *("--out", str(tmp_path), "--provinces", "2", "--agencies", "3"),
            *("--districts", str(districts), "--communes", "4", "--months", "3"),
            *(["--by-period"] if by_period else []),
        ],
        check=True,
        capture_output=True,
    )
    h, t, d = (str(tmp_path / n) for n in ("hierarchy.csv", "targets.csv", "observations.csv"))
    hand = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "handwritten_rank.py"), h, t, d],
        capture_output=True,
        text=True,
        check=True,
    )
    cli = subprocess.run(
        [
            *(sys.executable, "-m", "dvctt_rules.cli", "rank", "--hierarchy", h, "--levels", levels),
            *("--targets", t, "--data", d, "--level", "commune", "--format", "json"),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    expected = [(r["unit"], r["rank"], r["score_exact"], r["score"]) for r in json.loads(hand.stdout)]
    found = [(r["unit"], r["rank"], r["score_exact"], r["score"]) for r in json.loads(cli.stdout)]
    assert found == expected
    assert len(found) == 2 * max(districts, 1) * 4
    hierarchy = read_hierarchy_csv(h, tuple(levels.split(",")))
    parents = [hierarchy.parent(unit) for unit in hierarchy.units("commune")]
    assert {p.level for p in parents if p is not None} == {"district" if districts else "province"}
    with open(d, encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    months = [r["period"] for r in records]
    assert (months == sorted(months)) is by_period  # month by month, or unit by unit
    assert load_observations(d, hierarchy) == observations_from_records(records, hierarchy)


@pytest.mark.skipif(not GENERATOR.is_file(), reason="the benchmarks folder is not shipped in the sdist")
def test_the_stage_timer_runs_both_programs_on_a_generated_country(tmp_path: Path) -> None:
    generate = [sys.executable, str(GENERATOR), "--out", str(tmp_path), "--provinces", "1", "--agencies", "2"]
    subprocess.run([*generate, "--districts", "1", "--communes", "3"], check=True, capture_output=True)
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "stages.py"), "--runs", "1", "--country", str(tmp_path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    stages = [line.split("  ")[0] for line in done.stdout.splitlines()[2:-1]]
    assert stages == [
        "imports",
        "hierarchy CSV",
        "plan and targets CSV",
        "observations CSV",
        "evaluation and ranking",
        "JSON text",
        "total",
    ]


# -- rankings without a report --------------------------------------------------------------------

any_case = hierarchies(min_size=2, max_size=12).flatmap(
    lambda h: st.tuples(st.just(h), plans(h, min_rules=1), observations(h, max_units=6))
)


@given(any_case, st.data())
def test_rank_without_a_report_gives_the_ranking_of_the_report(
    case: tuple[Hierarchy, Plan, Observations], data: st.DataObject
) -> None:
    # Unknown counts, reported rates, combinations of thresholds, plan-declared indicators, unit and
    # province scopes, sub-periods: whatever the fast path does not read itself, it must hand over.
    h, p, obs = case
    level = data.draw(st.sampled_from(h.levels))
    scheme = data.draw(st.sampled_from(["partial-credit", "all-or-nothing"]))
    rule_ids = [r.id for r in p.rules]
    chosen = data.draw(st.none() | st.lists(st.sampled_from(rule_ids), min_size=1, unique=True))
    periods = [*obs.periods(), Period.parse("2024"), Period.parse("2024-Q1")]
    period = data.draw(st.none() | st.sampled_from(periods))
    report = evaluate(p, h, obs, period=period)
    fast = rank(p, h, obs, level=level, scheme=scheme, rules=chosen, period=period)
    assert fast == rank(p, h, report, level=level, scheme=scheme, rules=chosen, period=period)


@attrs.frozen
class _Halves(PartialCredit):
    """A third-party ranker built on the default one: half credit for any rule not met."""

    name: str = "halves"

    def credit(self, verdict: RuleVerdict, plan: Plan) -> Fraction:
        return Fraction(1) if verdict.status == "met" else Fraction(1, 2)


@given(ranked)
def test_a_ranker_derived_from_a_built_in_one_is_asked_for_its_credit(
    case: tuple[Hierarchy, Plan, Observations],
) -> None:
    h, p, obs = case
    RANKERS.register(_Halves(), origin="test")
    try:
        ranking = rank(p, h, obs, level=h.levels[-1], scheme="halves")
    finally:
        RANKERS.unregister("halves")
    assert ranking.scheme == "halves"
    for row in ranking:
        for points in row.points:
            expected = points.max_points if points.status == "met" else points.max_points / 2
            assert points.points == expected, (row.unit, points)


@attrs.frozen
class _ReferenceRatio(RatioOfSums):
    """The built-in evaluator under another class: evaluation takes the general road with it."""


def _reference_evaluators() -> Registry[Evaluator]:
    registry: Registry[Evaluator] = Registry(
        "evaluator", "dvctt_rules.evaluators", check_evaluator, entry_points_source=lambda group: ()
    )
    for evaluator in (_ReferenceRatio(), ZeroCount(), RateOnly()):
        registry.register(evaluator, origin="test")
    return registry


@given(any_case, st.data())
def test_ratios_read_from_the_columns_are_those_of_the_totals(
    case: tuple[Hierarchy, Plan, Observations], data: st.DataObject
) -> None:
    h, p, obs = case
    period = data.draw(st.none() | st.sampled_from([*obs.periods(), Period.parse("2024-Q1")]))
    reference = evaluate(p, h, obs, period=period, evaluators=_reference_evaluators())
    assert evaluate(p, h, obs, period=period) == reference
    names = tuple(data.draw(st.lists(st.sampled_from(DEFAULT_CATALOG.names), max_size=4)))
    flows = {m.name for m in DEFAULT_CATALOG if m.kind == "count" and m.over_time == "sum"}
    for unit in h:
        # Several periods in turn for the same unit: an answer kept for one is not given for another.
        for when in (period, None, *obs.periods(), Period.parse("2024-Q1"), Period.parse("2024")):
            sums = obs._plain_sums(unit.id, names, when)
            totals = obs.totals(unit.id, when)
            if sums is not None:
                assert sums == [totals.counts[name] for name in names]
            elif totals.observed and set(names) <= flows:  # plain sums: the fast road must take them
                assert any(totals.counts.get(name) is None for name in names)


@pytest.mark.parametrize("count", [0, 1, 255, 256, 257, 513])
def test_json_texts_are_written_as_one_list_whatever_their_number(
    count: int, capsys: pytest.CaptureFixture[str]
) -> None:
    from dvctt_rules.cli._common import emit_json_texts

    records = [{"unit": f"u{i}", "rank": i} for i in range(count)]
    emit_json_texts(json.dumps(r, ensure_ascii=False, indent=2).replace("\n", "\n  ") for r in records)
    written = capsys.readouterr().out
    assert written == json.dumps(records, ensure_ascii=False, indent=2) + "\n"


@given(ranked, st.data())
def test_rows_and_points_made_without_their_checks_equal_the_constructed_ones(
    case: tuple[Hierarchy, Plan, Observations], data: st.DataObject
) -> None:
    from dvctt_rules.ranking import RankRow, RulePoints

    h, p, obs = case
    level = data.draw(st.sampled_from(h.levels))
    first = rank(p, h, obs, level=level)
    ranking = rank(p, h, obs, level=level, previous=first)  # previous_rank = rank, rank_change = 0
    bands = {band.key: band for band in p.scoring.bands}
    for row in ranking:
        points = tuple(
            RulePoints(
                rule=pt.rule,
                indicators=pt.indicators,
                status=pt.status,
                weight=pt.weight,
                max_points=pt.max_points,
                points=pt.points,
                value=pt.value,
                target=pt.target,
            )
            for pt in row.points
        )
        band = bands[row.grade]
        no_data = any(pt.status == "no_data" for pt in points)
        built = RankRow(
            unit=row.unit,
            unit_name=h[row.unit].name,
            level=h[row.unit].level,
            rank=row.rank,
            score=sum((pt.points for pt in points), Fraction(0)),
            grade=band.key,
            grade_vi=band.label_vi,
            grade_en=band.label_en,
            points=points,
            period=first.period,
            demoted=row.demoted,
            commended=band is p.scoring.bands[0] and not no_data,
            reminded=band is p.scoring.bands[-1] or no_data,
            previous_rank=row.rank,
            rank_change=0,
        )
        assert built == row


# -- roll-ups in one evaluation -----------------------------------------------------------------------


@given(any_case, st.data())
def test_a_rollup_judges_and_measures_as_evaluate_and_measure_units_do(
    case: tuple[Hierarchy, Plan, Observations], data: st.DataObject
) -> None:
    # The roll-up measures each unit once for all indicators and judges the units' own statuses
    # from light verdicts; the reference: the full report's outcomes and one measure_units() call
    # per indicator, aggregated by the default aggregator.
    h, p, obs = case
    level = data.draw(st.sampled_from(h.levels))
    period = data.draw(st.none() | st.sampled_from([*obs.periods(), Period.parse("2024-Q1")]))
    include_self = data.draw(st.booleans())
    member_levels = data.draw(st.none() | st.lists(st.sampled_from(h.levels), min_size=1, unique=True))
    options: dict[str, Any] = {
        "level": level,
        "period": period,
        "include_self": include_self,
        "member_levels": member_levels,
    }
    rows = rollup(p, h, obs, **options)
    report = evaluate(p, h, obs, period=period)
    assert rows == rollup(p, h, obs, report=report, **options)
    measured = {i: measure_units(p, h, obs, i, period=period) for i in plan_indicators(p)}
    aggregator = AGGREGATORS.get("default")
    for row in rows:
        members = [row.unit] if include_self else []
        members += [u.id for u in h.descendants(row.unit)]
        members = [u for u in members if member_levels is None or h[u].level in member_levels]
        expected = aggregator.aggregate(
            p.indicator(row.indicator), [(u, measured[row.indicator][u]) for u in members]
        )
        assert (row.numerator, row.denominator, row.value) == (
            expected.numerator,
            expected.denominator,
            expected.value,
        )
        assert (row.covers, row.missing, row.strategy) == (
            expected.units,
            expected.missing,
            expected.strategy,
        )


# -- unit names without their prefixes ------------------------------------------------------------------


def _strip_prefixes_reference(name: str, prefixes: tuple[str, ...]) -> str:
    """Prefixes tried in order, each compared by its canonical key, until none matches (a blank
    prefix removes nothing)."""
    words = name.split()
    changed = True
    while changed and words:
        changed = False
        for prefix in filter(str.strip, prefixes):
            size = len(prefix.split())
            if len(words) > size and canonical(" ".join(words[:size])) == canonical(prefix):
                words, changed = words[size:], True
                break
    return " ".join(words)


_name_words = st.sampled_from(
    [*DEFAULT_ORG_PREFIXES, *DEFAULT_TYPE_PREFIXES, "uỷ ban", "nhân dân", "THỊ", "xã", "Hoà", "Số 5", "  "]
) | st.text(alphabet="aàảãáạ ăĐđ ThịxX", max_size=8)


_prefix_lists = st.sampled_from(
    [DEFAULT_ORG_PREFIXES, DEFAULT_TYPE_PREFIXES, ("Xã", "Xã Số", "Thị"), ("", "  ", "xã"), ()]
)


@given(st.lists(_name_words, max_size=6).map(" ".join), _prefix_lists)
def test_prefixes_are_stripped_as_by_comparing_each_prefix_in_turn(
    name: str, prefixes: tuple[str, ...]
) -> None:
    assert strip_prefixes(name, prefixes) == _strip_prefixes_reference(name, prefixes)


@given(st.lists(_name_words, max_size=6).map(" ".join), _prefix_lists, _prefix_lists)
def test_the_name_index_strips_prefixes_from_keys_as_from_names(
    name: str, org: tuple[str, ...], types: tuple[str, ...]
) -> None:
    from dvctt_rules.hierarchy._lookup import NameIndex

    index = NameIndex([], str, org_prefixes=org, type_prefixes=types)
    assert index._bare_key(canonical(name)) == canonical(index.bare_name(name))


@given(hierarchies(min_size=1, max_size=25))
def test_the_names_suggested_from_are_keyed_as_close_matches_keys_them(h: Hierarchy) -> None:
    # Taken from the index's folded tier instead of folding every name again: the same keys, in
    # the same order, each with the first unit's name.
    from dvctt_rules.hierarchy._lookup import NameIndex, _keys

    index = NameIndex(h, str)
    assert list(index._suggestion_keys().by_key.items()) == list(_keys(u.name for u in h).items())


_odd_text = st.text(alphabet=" \t\n\r\x1c\u2028\u0301\u0300\u0323oOaAeEuUyYßİđĐ\x00", max_size=8)


@given(st.lists(st.text(max_size=12) | _name_words | _odd_text, max_size=8))
def test_names_keyed_all_together_are_keyed_as_each_alone(texts: list[str]) -> None:
    from dvctt_rules._text import canonical_keys, fold_canonical, fold_canonical_keys

    keys = canonical_keys(texts)
    assert keys == [canonical(text) for text in texts]
    assert fold_canonical_keys(keys) == [fold_canonical(key) for key in keys]


# -- the hierarchy CSV, column by column ----------------------------------------------------------------


def _hierarchy_text(records: list[dict[str, Any]], data: st.DataObject) -> str:
    """``records`` as CSV in a loose layout: columns in any order, spaces around cells, names in
    NFD or NFC, blank lines anywhere, rows without their empty last cells, Unix or Windows line ends."""
    columns = data.draw(st.permutations(list(records[0])))
    pad = data.draw(st.sampled_from(["", " ", "\t "]))
    decompose = data.draw(st.booleans())
    short = data.draw(st.booleans())
    end = data.draw(st.sampled_from(["\n", "\r\n"]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=end)
    writer.writerow(columns)
    for record in records:
        if data.draw(st.booleans()) and data.draw(st.booleans()):
            out.write(end)
        cells = []
        for column in columns:
            cell = record[column] or ""
            if column == "name" and decompose:
                cell = unicodedata.normalize("NFD", cell)
            cells.append(pad + cell + pad if cell else cell)
        if short and data.draw(st.booleans()):
            row = io.StringIO()
            csv.writer(row, lineterminator="").writerow(cells)
            out.write(row.getvalue().rstrip(",") + end)  # read as if the cells were there
        else:
            writer.writerow(cells)
    return out.getvalue()


def _plain_records(h: Hierarchy, data: st.DataObject) -> list[dict[str, Any]]:
    """The units' id, name, level and parent, and sometimes a code: the columns read column by column
    (any other column sends the file to the records reader)."""
    with_code = data.draw(st.booleans())
    records = []
    for number, unit in enumerate(h):
        parent = h.parent(unit)
        record = {"id": unit.id, "name": unit.name, "level": unit.level, "parent": parent and parent.id}
        if with_code:  # blank, or a unit's own (official codes are distinct), sometimes padded
            record["code"] = data.draw(st.sampled_from(["", f"74{number}", f" 2574{number} "]))
        records.append(record)
    return records


def _read_by_records(text: str, levels: tuple[str, ...]) -> Hierarchy:
    with mock.patch("dvctt_rules.hierarchy._io._plain_units", return_value=None):
        return read_hierarchy_csv(text.encode(), levels)


@given(hierarchies(), st.data())
def test_the_hierarchy_csv_read_column_by_column_is_the_records_reading(
    h: Hierarchy, data: st.DataObject
) -> None:
    records = _plain_records(h, data)
    text = _hierarchy_text(records, data)
    fast = read_hierarchy_csv(text.encode(), h.levels)
    assert fast == _read_by_records(text, h.levels)
    assert [(u.id, u.name, u.level, u.code) for u in fast] == [
        (u.id, u.name, u.level, u.code) for u in _read_by_records(text, h.levels)
    ]
    assert [u.name for u in fast] == [u.name for u in h]  # NFC whatever the file's form


@given(hierarchies(min_size=2), st.data())
def test_a_spoiled_hierarchy_csv_is_reported_as_the_records_reading_reports_it(
    h: Hierarchy, data: st.DataObject
) -> None:
    records = _plain_records(h, data)
    victim = data.draw(st.sampled_from(records[1:]))
    spoil = data.draw(st.sampled_from(["cycle", "self", "level", "parent", "above", "blank", "twice"]))
    if spoil == "cycle":  # the root's parent becomes a unit under it: a cycle and no root
        records[0]["parent"] = victim["id"]
    elif spoil == "self":
        victim["parent"] = victim["id"]
    elif spoil == "level":
        victim["level"] = "hamlet"
    elif spoil == "parent":
        victim["parent"] = "nowhere"
    elif spoil == "above":  # a unit at the top level under another: levels do not fall
        victim["level"] = h.levels[0]
    elif spoil == "blank":
        victim["name"] = ""
    else:
        records.append(dict(victim))
    text = _hierarchy_text(records, data)
    with pytest.raises(DataError) as fast:
        read_hierarchy_csv(text.encode(), h.levels)
    with pytest.raises(DataError) as reference:
        _read_by_records(text, h.levels)
    assert type(fast.value) is type(reference.value)
    assert fast.value.problems == reference.value.problems
    assert fast.value.problems


@given(
    st.integers(-1000, 1000),
    st.integers(-1000, 1000).filter(bool),
    st.fractions(min_value=-2, max_value=2, max_denominator=50),
    st.sampled_from(["at_least", "at_most", "equal"]),
)
def test_a_ratio_of_counts_is_judged_as_its_reduced_fraction(
    numerator: int, denominator: int, target: Fraction, direction: str
) -> None:
    from dvctt_rules.rules._verdicts import compare, compare_counts

    value = Fraction(numerator, denominator)
    expected = {"at_least": value >= target, "at_most": value <= target, "equal": value == target}
    assert compare_counts(numerator, denominator, target, direction) is expected[direction]
    assert compare(value, target, direction) is expected[direction]
