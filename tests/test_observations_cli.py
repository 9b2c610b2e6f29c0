"""``dvctt-rules validate``: a one-line summary, or every problem and exit status 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "observations-2024.csv"
UNITS = ROOT / "dvctt_rules" / "datasets" / "binh-duong-2023" / "units.csv"


@pytest.mark.parametrize(
    "hierarchy",
    [(), ("--dataset", "binh-duong-2023"), ("--hierarchy", str(UNITS))],
    ids=["default", "dataset", "file"],
)
def test_example_validates(cli: Callable[..., tuple[int, str, str]], hierarchy: tuple[str, ...]) -> None:
    code, out, err = cli("validate", "--data", str(EXAMPLE), *hierarchy)
    assert (code, err) == (0, "")
    assert out == (
        f"{EXAMPLE}: 12 rows read, 12 used; 5 units, 3 periods (2024-01 to 2024-03), 20 measures; "
        "114 units without data\n"
    )


def test_every_problem_is_printed_and_the_status_is_2(
    cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    data = tmp_path / "bad.csv"
    data.write_text(
        "unit,period,received_onlne,payments_total,payments_online\n"
        "Phường Chánh Mĩ,2024-01,1,30,40\n"
        "An Bình,2024-13,1,,\n",
        encoding="utf-8",
    )
    code, out, err = cli("validate", "--data", str(data))
    assert (code, out) == (2, "")
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[0] == f"dvctt-rules: error: 5 problems in {data}; nothing was loaded"
    assert (
        f"  - {data}, line 1, column 'received_onlne': unknown column; did you mean 'received_online'?"
        in lines
    )
    assert any("line 2, column 'unit'" in line and "'Phường Chánh Mỹ'" in line for line in lines)
    assert any("line 2, column 'payments_online'" in line for line in lines)
    assert any("line 3, column 'unit'" in line and "25960" in line for line in lines)
    assert any("line 3, column 'period'" in line and "a month is 01 to 12" in line for line in lines)


def test_json_and_format_option(cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    data = tmp_path / "data.txt"
    data.write_text(
        '[{"unit": "Sở Công Thương", "period": "2024-Q1", "received_online": 5}]', encoding="utf-8"
    )
    code, out, _ = cli("validate", "--data", str(data), "--format", "json")
    assert code == 0
    assert (
        out == f"{data}: 1 row read, 1 used; 1 unit, 1 period (2024-Q1), 1 measure; 118 units without data\n"
    )


def test_not_utf8_and_missing_file(cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_bytes(b"unit,period\nCh\xe1nh M\xfd,2024\n")
    code, _, err = cli("validate", "--data", str(data))
    assert code == 2
    assert "not UTF-8" in err
    assert "line 2" in err
    code, _, err = cli("validate", "--data", str(tmp_path / "missing.csv"))
    assert code == 2
    assert "cannot read the file" in err


def test_data_is_required(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = cli("validate")
    assert code == 2
    assert "--data" in err
