"""``dvctt-rules units`` and the command line's conventions."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from dvctt_rules import __version__


def test_units_json_gives_the_119_units(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = cli("units", "--dataset", "binh-duong-2023", "--format", "json")
    assert code == 0
    units = json.loads(out)
    assert len(units) == 119
    assert {"id", "name", "level", "parent"} <= set(units[0])
    assert units[0]["parent"] is None
    by_id = {u["id"]: u for u in units}
    assert by_id["25774"] == {
        "id": "25774",
        "name": "Phường Chánh Mỹ",
        "level": "commune",
        "parent": "718",
        "code": "25774",
    }


def test_units_tree_is_indented_and_level_filter(cli: Callable[..., tuple[int, str, str]]) -> None:
    _, out, _ = cli("units")
    lines = out.splitlines()
    assert lines[0].startswith("Tỉnh Bình Dương")
    assert "    Phường Chánh Mỹ  [25774, commune]" in lines
    _, out, _ = cli("units", "--level", "district", "--format", "csv")
    assert out.splitlines()[0] == "id,name,level,parent,code"
    assert len(out.splitlines()) == 10


def test_units_from_a_two_tier_hierarchy_file(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    path = tmp_path / "h.csv"
    path.write_text("id,name,level,parent\nP,Tỉnh X,province,\nC1,Phường A,commune,P\n", encoding="utf-8")
    code, out, _ = cli("units", "--hierarchy", str(path), "--levels", "province,commune", "--format", "json")
    assert code == 0
    assert [u["level"] for u in json.loads(out)] == ["province", "commune"]


def test_user_errors_exit_2_with_one_line_and_no_traceback(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    code, out, err = cli("units", "--dataset", "binh-duong-2032")
    assert code == 2
    assert out == ""
    assert err.startswith("dvctt-rules: error: unknown dataset 'binh-duong-2032'; did you mean")
    assert len(err.strip().splitlines()) == 1
    code, _, err = cli("units", "--level", "ward")
    assert code == 2
    assert "Traceback" not in err
    missing = tmp_path / "missing.csv"
    code, _, err = cli("units", "--hierarchy", str(missing))
    assert code == 2
    assert str(missing) in err


def test_version_and_console_script(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = cli("--version")
    assert code == 0
    assert out.strip() == f"dvctt-rules {__version__}"
    done = subprocess.run(
        [sys.executable, "-m", "dvctt_rules", "units", "--level", "province", "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)[0]["name"] == "Tỉnh Bình Dương"
