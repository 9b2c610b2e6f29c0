"""Targets: validation, the resolution order (unit, level, plan default; dated), and the CSV reader."""

from __future__ import annotations

import datetime
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvctt_rules import DataError, PlanError, UnknownUnitError
from dvctt_rules.hierarchy import DEFAULT_LEVELS as LEVELS
from dvctt_rules.rules import KH_4623, Target, TargetTable, load_targets_csv
from dvctt_rules.testing import SAMPLE_UNIT_IDS as UNITS
from dvctt_rules.testing import dates, target_tables

D = datetime.date
RATE = "online_dossier_rate"


class TestTarget:
    def test_scopes(self) -> None:
        assert Target(RATE, Fraction(1, 2)).scope == "default"
        assert Target(RATE, Fraction(1, 2), level="commune").scope == "level"
        assert Target(RATE, Fraction(1, 2), unit="x-an-phu").scope == "unit"

    def test_unit_and_level_together_is_an_error(self) -> None:
        with pytest.raises(PlanError, match="not both") as info:
            Target(RATE, Fraction(1, 2), unit="x-an-phu", level="commune")
        assert info.value.path == "$.level"

    @pytest.mark.parametrize("value", [Fraction(90), Fraction(-1, 10), Fraction(101, 100)])
    def test_value_is_a_proportion(self, value: Fraction) -> None:
        with pytest.raises(PlanError, match="between 0 and 1") as info:
            Target(RATE, value)
        assert info.value.path == "$.value"

    def test_ints_are_accepted_floats_are_not(self) -> None:
        assert Target(RATE, 1).value == Fraction(1)
        with pytest.raises(TypeError, match="exact number"):
            Target(RATE, 0.9)  # type: ignore[arg-type]

    def test_values(self) -> None:
        a = Target(RATE, Fraction(9, 10), unit="u", citation=KH_4623, note="Phụ lục II")
        assert a == Target(RATE, Fraction(9, 10), unit="u", citation=KH_4623, note="Phụ lục II")
        assert len({a, Target(RATE, Fraction(9, 10), unit="u", citation=KH_4623, note="Phụ lục II")}) == 1


TABLE = TargetTable(
    (
        Target(RATE, Fraction(1, 2)),
        Target(RATE, Fraction(3, 5), effective_from=D(2025, 1, 1)),
        Target(RATE, Fraction(17, 20), level="district"),
        Target(RATE, Fraction(9, 10), level="district", effective_from=D(2024, 7, 1)),
        Target(RATE, Fraction(4, 5), unit="h-phu-giao", effective_from=D(2024, 1, 1)),
        Target("on_time_rate", Fraction(3, 5), level="district"),
    )
)


class TestResolve:
    def test_unit_wins_over_level_over_default(self) -> None:
        assert TABLE.resolve(RATE, "h-phu-giao", "district") == TABLE.targets[4]
        assert TABLE.resolve(RATE, "h-dau-tieng", "district") == TABLE.targets[3]
        assert TABLE.resolve(RATE, "x-an-phu", "commune") == TABLE.targets[1]

    def test_latest_date_in_force_as_of(self) -> None:
        assert TABLE.resolve(RATE, None, "district", as_of=D(2024, 6, 30)) == TABLE.targets[2]
        assert TABLE.resolve(RATE, None, "district", as_of=D(2024, 7, 1)) == TABLE.targets[3]
        assert TABLE.resolve(RATE, None, None, as_of=D(2024, 12, 31)) == TABLE.targets[0]
        assert TABLE.resolve(RATE, None, None, as_of=D(2025, 1, 1)) == TABLE.targets[1]

    def test_a_scope_not_yet_in_force_falls_back(self) -> None:
        assert TABLE.resolve(RATE, "h-phu-giao", "district", as_of=D(2023, 12, 31)) == TABLE.targets[2]
        assert TABLE.resolve(RATE, "h-phu-giao", "district", as_of=D(2024, 1, 1)) == TABLE.targets[4]

    def test_as_of_none_is_the_latest_whatever_its_date(self) -> None:
        assert TABLE.resolve(RATE) == TABLE.targets[1]
        assert TABLE.resolve(RATE, as_of=D(1900, 1, 1)) == TABLE.targets[0]

    def test_nothing_in_force_gives_none_or_the_default(self) -> None:
        assert TABLE.resolve("online_payment_rate", "x-an-phu", "commune") is None
        assert TABLE.resolve("on_time_rate", "x-an-phu", "commune") is None
        fallback = TABLE.resolve("on_time_rate", "x-an-phu", "commune", Fraction(11, 20))
        assert fallback == Target("on_time_rate", Fraction(11, 20))
        assert TABLE.resolve("on_time_rate", None, "district", Fraction(11, 20)) == TABLE.targets[5]

    def test_dated_only_table_before_its_start(self) -> None:
        table = TargetTable((Target(RATE, Fraction(1, 2), effective_from=D(2024, 1, 1)),))
        assert table.resolve(RATE, as_of=D(2023, 1, 1)) is None

    @given(target_tables(), st.sampled_from(UNITS), st.sampled_from(LEVELS), st.none() | dates())
    def test_resolution_order_property(
        self, table: TargetTable, unit: str, level: str, as_of: datetime.date | None
    ) -> None:
        def in_force(t: Target) -> bool:
            return as_of is None or (t.effective_from or D.min) <= as_of

        for indicator in {t.indicator for t in table}:
            found = table.resolve(indicator, unit, level, as_of=as_of)
            scopes = [
                [t for t in table.for_indicator(indicator) if t.unit == unit and in_force(t)],
                [t for t in table.for_indicator(indicator) if t.level == level and in_force(t)],
                [t for t in table.for_indicator(indicator) if t.scope == "default" and in_force(t)],
            ]
            first = next((scope for scope in scopes if scope), None)
            if first is None:
                assert found is None
            else:
                assert found in first
                assert all((t.effective_from or D.min) <= (found.effective_from or D.min) for t in first)

    def test_duplicates_are_an_error(self) -> None:
        with pytest.raises(PlanError, match="duplicate target") as info:
            TargetTable(
                (Target(RATE, Fraction(1, 2), level="commune"), Target(RATE, Fraction(3, 5), level="commune"))
            )
        assert info.value.path == "$[1]"

    def test_merged_replaces_same_scope_and_date(self) -> None:
        merged = TABLE.merged([Target(RATE, Fraction(1), unit="h-phu-giao", effective_from=D(2024, 1, 1))])
        assert merged.resolve(RATE, "h-phu-giao", "district").value == 1  # type: ignore[union-attr]
        assert len(merged) == len(TABLE)
        assert TABLE.targets[4].value == Fraction(4, 5)  # the original is not mutated

    def test_iteration_and_length(self) -> None:
        assert list(TABLE) == list(TABLE.targets)
        assert len(TABLE.for_indicator("on_time_rate")) == 1


class TestTargetsCsv:
    def test_happy_path(self) -> None:
        text = (
            "unit,indicator,target,effective_from\n"
            'so-tu-phap,online_dossier_rate,"87,5",\n'
            "so-tu-phap,online_payment_rate,87.5,2024-01-01\n"
            "\n"
            "x-an-phu,online_dossier_rate,90 %,\n"
            "x-an-phu,late_dossiers,0,\n"
        )
        table = load_targets_csv(text)
        assert table.targets == (
            Target(RATE, Fraction(7, 8), unit="so-tu-phap"),
            Target("online_payment_rate", Fraction(7, 8), unit="so-tu-phap", effective_from=D(2024, 1, 1)),
            Target(RATE, Fraction(9, 10), unit="x-an-phu"),
            Target("late_dossiers", Fraction(0), unit="x-an-phu"),
        )

    def test_from_a_path_with_bom_and_resolver(self, tmp_path: Path) -> None:
        path = tmp_path / "targets.csv"
        path.write_text("\ufeffUnit,Indicator,Target\nSở Tư pháp,online_dossier_rate,85\n", encoding="utf-8")
        table = load_targets_csv(path, resolve={"Sở Tư pháp": "so-tu-phap"}.__getitem__)
        assert table.targets == (Target(RATE, Fraction(17, 20), unit="so-tu-phap"),)
        assert load_targets_csv(str(path), resolve=lambda name: "u").targets[0].unit == "u"

    def test_every_row_problem_is_reported(self) -> None:
        def resolve(name: str) -> str:
            if name == "Sở Tư Pháp X":
                raise UnknownUnitError(name, ["Sở Tư pháp"])
            return name

        text = (
            "unit,indicator,target,effective_from\n"
            ",online_dossier_rate,90,\n"  # 2 missing unit
            "Sở Tư Pháp X,online_dossier_rate,90,\n"  # 3 unit the resolver rejects
            "u1,online_dosier_rate,90,\n"  # 4 unknown indicator
            "u1,online_payment_rate,9O,\n"  # 5 not a number
            "u1,on_time_rate,,\n"  # 6 missing target
            "u1,result_sync_rate,120,\n"  # 7 out of range
            "u1,late_dossiers,5,\n"  # 8 zero_count target not 0
            "u1,online_dossier_rate,90,01/01/2024\n"  # 9 not an ISO date
            "u1,online_dossier_rate,90,2024-01-01\n"  # 10 fine
            "u1,online_dossier_rate,95,2024-01-01\n"  # 11 duplicate of line 10
            "u1,online_dossier_rate,87,5,\n"  # 12 unquoted decimal comma: too many fields
        )
        with pytest.raises(DataError) as info:
            load_targets_csv(text, resolve=resolve, source="targets.csv")
        problems = info.value.problems
        assert [(p.line, p.column) for p in problems] == [
            (2, "unit"), (3, "unit"), (4, "indicator"), (5, "target"), (6, "target"), (7, "target"),
            (8, "target"), (9, "effective_from"), (11, "unit"), (12, None),
        ]  # fmt: skip
        assert all(p.source == "targets.csv" for p in problems)
        by_line = {p.line: p for p in problems}
        assert by_line[2].message == "missing unit"
        assert "did you mean 'Sở Tư pháp'" in by_line[3].message
        assert by_line[3].value == "Sở Tư Pháp X"
        assert by_line[4].message == "unknown indicator"
        assert by_line[4].hint == "did you mean 'online_dossier_rate'?"
        assert by_line[5].message == "target is not a number"
        assert by_line[5].value == "9O"
        assert by_line[6].message == "missing target"
        assert by_line[7].message == "target out of range"
        assert "can only be 0" in by_line[8].message
        assert by_line[9].message == "not a date"
        assert "line 10" in by_line[11].message
        assert by_line[12].message == "expected 4 fields, found 5"
        assert str(info.value).startswith("10 problems in targets.csv")

    def test_unknown_indicator_without_close_match_lists_known(self) -> None:
        with pytest.raises(DataError) as info:
            load_targets_csv("unit,indicator,target\nu,zzz,1\n")
        assert (info.value.problems[0].hint or "").startswith("known: ")

    @pytest.mark.parametrize(
        ("header", "message"),
        [
            ("unit,indicator", "missing column 'target'"),
            ("unit,indicator,target,level", "unexpected column"),
            ("unit,indicator,target,target", "a column is repeated"),
        ],
    )
    def test_header_problems(self, header: str, message: str) -> None:
        with pytest.raises(DataError) as info:
            load_targets_csv(f"{header}\nu,online_dossier_rate,90\n")
        assert info.value.problems[0].message == message
        assert info.value.problems[0].line == 1

    def test_empty_file(self, tmp_path: Path) -> None:
        path = tmp_path / "empty.csv"
        path.write_text("", encoding="utf-8")
        with pytest.raises(DataError, match="the file is empty") as info:
            load_targets_csv(path)
        assert info.value.problems[0].source == str(path)

    def test_a_file_that_cannot_be_read_is_a_data_error_naming_it(self, tmp_path: Path) -> None:
        missing = tmp_path / "missing.csv"
        with pytest.raises(DataError, match="cannot read the file") as info:
            load_targets_csv(missing)
        assert info.value.problems[0].source == str(missing)
        assert str(info.value).startswith(f"1 problem in {missing}\n")  # as the file's own problems say
        legacy = tmp_path / "legacy.csv"  # saved from an old spreadsheet in Windows-1258
        legacy.write_bytes("unit,indicator,target\nPhú Giáo,online_dossier_rate,85\n".encode("cp1258"))
        with pytest.raises(DataError, match=r"not UTF-8.*Windows-1258") as info:
            load_targets_csv(legacy)
        assert (info.value.problems[0].source, info.value.problems[0].line) == (str(legacy), 2)
        assert "CSV UTF-8" in (info.value.problems[0].hint or "")  # how a spreadsheet saves UTF-8

    @pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
    def test_every_line_end_reads_the_same(self, tmp_path: Path, end: str) -> None:
        lines = [
            "unit,indicator,target",
            "so-tu-phap,online_dossier_rate,85",
            'x-an-phu,online_dossier_rate,"87,5"',
        ]
        path = tmp_path / "targets.csv"
        path.write_bytes(end.join([*lines, ""]).encode())
        expected = (
            Target(RATE, Fraction(17, 20), unit="so-tu-phap"),
            Target(RATE, Fraction(7, 8), unit="x-an-phu"),
        )
        assert load_targets_csv(path).targets == expected
        assert load_targets_csv(end.join([*lines, ""]).replace(end, "\n", 1)).targets == expected

    def test_malformed_csv_is_a_data_error_at_its_line(self) -> None:
        text = (
            'unit,indicator,target\nso-tu-phap,online_dossier_rate,85\n"'
            + "x" * 200_000
            + '",late_dossiers,0\n'
        )
        with pytest.raises(DataError, match="malformed CSV: field larger than field limit") as info:
            load_targets_csv(text, source="targets.csv")
        assert (info.value.problems[0].source, info.value.problems[0].line) == ("targets.csv", 3)

    def test_header_only_is_an_empty_table(self) -> None:
        assert load_targets_csv("unit,indicator,target\n") == TargetTable()


# Rows of a targets file: good ones (some repeated with other spacing, or written as names of
# units the resolver knows) and bad ones, in any order.
_GOOD_CELLS = st.tuples(
    st.sampled_from(UNITS),
    st.sampled_from([RATE, "online_payment_rate", "late_dossiers"]),
    st.sampled_from(["50", "87,5", "0", "100", "55.5", "90%"]),
)
_BAD_ROWS = st.sampled_from(
    [
        ["nowhere", RATE, "50"],
        [UNITS[0], "online_dosier_rate", "50"],
        [UNITS[0], RATE, "abc"],
        [UNITS[0], RATE, "120"],
        [UNITS[0], RATE, ""],
        ["", RATE, "50"],
        [UNITS[0], RATE],
    ]
)


@given(
    st.lists(
        st.tuples(_GOOD_CELLS, st.sampled_from(["", " ", "  "])).map(
            lambda pair: [pair[1] + pair[0][0], pair[0][1], pair[0][2] + pair[1]]
        )
        | _BAD_ROWS,
        max_size=25,
    )
)
def test_a_targets_file_reads_as_its_rows_checked_one_by_one(rows: list[list[str]]) -> None:
    # The reference: each row on its own, as the documentation says it is read.
    def resolve(text: str) -> str:
        if text not in UNITS:
            raise UnknownUnitError(text, ())
        return text

    expected: list[Target] = []
    bad_lines: list[int] = []
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(rows, start=2):
        try:
            table = load_targets_csv("unit,indicator,target\n" + _csv_line(row), resolve=resolve)
        except DataError:
            bad_lines.append(line)
            continue
        (target,) = table.targets
        assert target.unit is not None
        if (target.unit, target.indicator) in seen:
            bad_lines.append(line)  # a duplicate of an earlier row
            continue
        seen.add((target.unit, target.indicator))
        expected.append(target)
    text = "unit,indicator,target\n" + "".join(_csv_line(row) for row in rows)
    if bad_lines:
        with pytest.raises(DataError) as info:
            load_targets_csv(text, resolve=resolve)
        assert [p.line for p in info.value.problems] == bad_lines
    else:
        assert load_targets_csv(text, resolve=resolve) == TargetTable(expected)


def _csv_line(row: list[str]) -> str:
    return ",".join(f'"{cell}"' if "," in cell else cell for cell in row) + "\n"


class TestRowsAndResolvers:
    def test_a_resolver_that_answers_no_id_is_a_type_error_not_a_dropped_row(self) -> None:
        text = "unit,indicator,target\nu1,online_dossier_rate,90\n"
        with pytest.raises(TypeError, match=r"resolve must return a unit id .* returned None for 'u1'"):
            load_targets_csv(text, resolve=lambda name: None)  # type: ignore[arg-type,return-value]

    def test_a_mapping_lookup_as_resolver_reports_unknown_units_at_their_line(self) -> None:
        ids = {"Sở Tư pháp": "so-tu-phap"}
        text = "unit,indicator,target\nSở Tư pháp,online_dossier_rate,90\nSở Y tế,online_dossier_rate,80\n"
        with pytest.raises(DataError) as info:
            load_targets_csv(text, resolve=ids.__getitem__)
        assert [(p.line, p.column, p.message, p.value) for p in info.value.problems] == [
            (3, "unit", "unknown unit", "Sở Y tế")
        ]
        table = load_targets_csv(text.rsplit("Sở Y tế", 1)[0], resolve=ids.__getitem__)
        assert [t.unit for t in table.targets] == ["so-tu-phap"]

    def test_blank_lines_above_the_header_are_skipped_as_in_the_other_loaders(self) -> None:
        # The blank first line was taken for the header: "missing column 'unit'" at line 1.
        table = load_targets_csv("\n \nunit,indicator,target\nso-tu-phap,online_dossier_rate,90\n")
        assert [(t.unit, t.value) for t in table.targets] == [("so-tu-phap", Fraction(9, 10))]
        with pytest.raises(DataError) as info:
            load_targets_csv("\nunit,indicatr,target\nso-tu-phap,online_dossier_rate,90\n")
        assert {(p.line, p.message) for p in info.value.problems} == {
            (2, "unexpected column"),
            (2, "missing column 'indicator'"),
        }
