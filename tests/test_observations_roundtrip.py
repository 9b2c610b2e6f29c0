"""Writers and loaders are inverses; arbitrary input never raises anything but the library's DataError."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dvctt_rules import DataError
from dvctt_rules.observations import (
    DEFAULT_CATALOG,
    Observation,
    Observations,
    Period,
    load_observations,
    observations_from_records,
    observations_to_csv,
    observations_to_json,
    observations_to_records,
)
from dvctt_rules.testing import TRICKY_HIERARCHY as TRICKY
from dvctt_rules.testing import cells, observations, period_sets, spellings


@given(observations(TRICKY, periods=period_sets((2023, 2024)), max_units=3), st.booleans())
def test_csv_round_trip(obs: Observations, by_name: bool) -> None:
    text = observations_to_csv(obs, TRICKY if by_name else None)
    again = load_observations(text.encode(), TRICKY, format="csv")
    assert again == obs
    assert list(again) == list(obs)
    assert again.report is not None
    assert again.report.rows_read == again.report.rows_used == len(obs)


@given(observations(TRICKY, max_units=3), st.booleans())
def test_json_round_trip(obs: Observations, by_name: bool) -> None:
    text = observations_to_json(obs, TRICKY if by_name else None)
    json.loads(text)  # plain JSON
    assert load_observations(text.encode(), TRICKY, name="x.json") == obs


@given(observations(TRICKY, max_units=3), st.booleans())
def test_records_round_trip(obs: Observations, by_name: bool) -> None:
    records = observations_to_records(obs, TRICKY if by_name else None)
    assert all(isinstance(v, str | int | type(None)) for record in records for v in record.values())
    assert observations_from_records(records, TRICKY) == obs
    assert observations_from_records(json.loads(json.dumps(records)), TRICKY) == obs


@given(observations(TRICKY, max_units=3), st.data())
def test_any_spelling_of_a_unit_loads_the_same(obs: Observations, data: st.DataObject) -> None:
    records = observations_to_records(obs)
    for record in records:
        unit = TRICKY[str(record["unit"])]
        record["unit"] = data.draw(st.sampled_from(spellings(TRICKY, unit)))
        for name, value in list(record.items()):
            written: list[str | int | None] = [value]
            if isinstance(value, str) and name in DEFAULT_CATALOG.rates():
                written = [value, value.replace(".", ","), value + " %"]
            elif isinstance(value, int):
                written = [value, str(value), f" {value} "]
            elif value is None and name != "note":
                written = [None, "", "-", " - "]
            record[name] = data.draw(st.sampled_from(written))
    assert observations_from_records(records, TRICKY) == obs


def test_names_are_written_only_when_they_find_the_unit_again() -> None:
    jan = Period.parse("2024-01")
    obs = Observations(
        [
            Observation("25852", jan),
            Observation("25759", jan),
            Observation("so-vhttdl", jan, note='a "b", c'),
        ],
        hierarchy=TRICKY,
    )
    text = observations_to_csv(obs, TRICKY)
    assert text.splitlines() == [
        "unit,period,note",
        '"Sở Văn hóa, Thể thao và Du lịch",2024-01,"a ""b"", c"',
        "Phường Định Hòa,2024-01,",
        "25852,2024-01,",  # "Phường Tân Định" is the name of two wards
    ]


def test_rates_without_a_decimal_form_cannot_be_written() -> None:
    obs = Observations([Observation("u", Period(2024), rates={"on_time_rate": Fraction(1, 3)})])
    with pytest.raises(DataError, match="no exact decimal percentage"):
        observations_to_csv(obs)
    # A finite decimal of 1,100 places: JSON wrote it, and the loaders (1,000 at most) refused it.
    precise = Observations([Observation("u", Period(2024), rates={"on_time_rate": Fraction(1, 2**1100)})])
    for write in (observations_to_csv, observations_to_json):
        with pytest.raises(DataError, match="too long to load again"):
            write(precise)


def test_an_empty_collection_is_written_but_not_loaded_back() -> None:
    # Documented choice: a file without data rows is an error (almost always a broken export).
    assert observations_to_csv(Observations()) == "unit,period\n"
    assert observations_to_json(Observations()) == "[]\n"
    with pytest.raises(DataError, match="no data rows"):
        load_observations(b"unit,period\n", TRICKY)


# -- nothing but DataError ----------------------------------------------------------------------

COLUMNS = [
    "unit",
    "period",
    "note",
    "received_online",
    "payments_total",
    "payments_online",
    "online_dossier_rate",
]
TOKENS = [
    "25774",
    "Phường Tân Định",
    "Xã An Bình",
    "2024",
    "2024-Q1",
    "2024-01",
    "-",
    "",
    "1.200",
    "99,4",
    "12",
]


def _expect_data_error_only(load: Any) -> None:
    error: DataError | None = None
    try:
        load()
    except DataError as exc:  # anything else fails the test
        error = exc
    if error is not None:
        assert error.problems
        assert all(isinstance(p.message, str) for p in error.problems)
        assert str(error)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200), st.sampled_from(["csv", "json", None]))
def test_arbitrary_bytes(data: bytes, format: Any) -> None:
    _expect_data_error_only(lambda: load_observations(data, TRICKY, format=format))


@given(
    st.lists(st.sampled_from(COLUMNS) | st.text(max_size=6), max_size=6),
    st.lists(st.lists(st.sampled_from(TOKENS) | st.text(max_size=6), max_size=7), max_size=5),
)
def test_arbitrary_csv_rows(header: list[str], rows: list[list[str]]) -> None:
    text = "\n".join(",".join(json.dumps(c) if "," in c else c for c in line) for line in [header, *rows])
    _expect_data_error_only(lambda: load_observations(text.encode(), TRICKY, format="csv"))


@given(
    st.lists(st.dictionaries(st.sampled_from(COLUMNS) | st.text(max_size=4), cells(), max_size=6), max_size=4)
)
def test_arbitrary_records(records: list[dict[str, Any]]) -> None:
    _expect_data_error_only(lambda: observations_from_records(records, TRICKY))
    text = json.dumps(records, default=str)
    _expect_data_error_only(lambda: load_observations(text.encode(), TRICKY, format="json"))


@given(st.lists(cells(), max_size=4))
def test_arbitrary_json_values(values: list[Any]) -> None:
    text = json.dumps(values, default=str)
    _expect_data_error_only(lambda: load_observations(text.encode(), TRICKY, format="json"))
