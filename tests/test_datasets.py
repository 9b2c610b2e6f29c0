"""The shipped dataset, loaded through the library's API."""

from __future__ import annotations

import csv
import json
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

from dvctt_rules import DatasetNotFoundError
from dvctt_rules.datasets import list_datasets, load_dataset
from dvctt_rules.hierarchy import hierarchy_to_csv, read_hierarchy_csv

FIXTURES = Path(__file__).parent / "fixtures"


def test_list_and_unknown_name() -> None:
    assert "binh-duong-2023" in list_datasets()
    with pytest.raises(DatasetNotFoundError, match="did you mean 'binh-duong-2023'"):
        load_dataset("binh-duong-2032")


def test_unit_counts_and_levels() -> None:
    h = load_dataset("binh-duong-2023").hierarchy
    assert len(h) == 119
    assert Counter(u.level for u in h) == {"province": 1, "department": 18, "district": 9, "commune": 91}
    assert h.root.name == "Tỉnh Bình Dương"
    assert h.root.code == "74"
    assert all(h.parent(u) == h.root for u in h.units("department"))
    assert all(h.parent(u) == h.root for u in h.units("district"))
    assert all(h.parent(u).level == "district" for u in h.units("commune"))  # type: ignore[union-attr]


def test_every_district_and_commune_has_its_official_code() -> None:
    h = load_dataset("binh-duong-2023").hierarchy
    with (FIXTURES / "binh-duong-gso-codes-2025-03.csv").open(encoding="utf-8", newline="") as handle:
        official = {row["code"]: row for row in csv.DictReader(handle)}
    for unit in [*h.units("district"), *h.units("commune")]:
        assert unit.code is not None, unit.name
        assert unit.id == unit.code
        row = official[unit.code]
        parent = h.parent(unit)
        assert parent is not None
        assert row["parent_code"] == parent.code
    assert {u.code for u in h.units("commune")} == {
        code for code, row in official.items() if row["type"] in ("Phường", "Xã", "Thị trấn")
    }


def test_names_as_the_plan_writes_them() -> None:
    h = load_dataset("binh-duong-2023").hierarchy
    names = {u.name for u in h}
    for name in (
        "Ban Quản lý các KCN Bình Dương",
        "UBND Thành phố Thủ Dầu Một",
        "Phường Chánh Mỹ",
        "UBND Thị xã Bến Cát",
        "Xã Hội Nghĩa",
        "Phường Thạnh Hội",
        "Phường Định Hòa",
    ):
        assert name in names
    assert h.lookup("Phường Định Hoà").name == "Phường Định Hòa"
    assert h.lookup("phuong chanh my").id == "25774"
    assert h.lookup("Hoà Phú").name == "Phường Hòa Phú"


def test_figures_are_exact_and_unknown_is_not_zero() -> None:
    ds = load_dataset("binh-duong-2023")
    h = ds.hierarchy
    chanh_my = ds.figures_for(h.lookup("Phường Chánh Mỹ").id)
    assert chanh_my is not None
    assert chanh_my.current_online_dossier_rate == Fraction(994, 1000)
    assert chanh_my.target_online_dossier_rate == Fraction(9, 10)
    assert chanh_my.target_online_payment_rate == Fraction(1, 2)
    phu_tho = ds.figures_for(h.lookup("Phường Phú Thọ").id)
    assert phu_tho is not None
    assert phu_tho.current_online_payment_rate is None
    assert dict(phu_tho.raw)["current_online_payment_rate"] == "-"
    for agency in ("Sở Kế hoạch và Đầu tư", "Thanh tra tỉnh"):
        figures = ds.figures_for(h.lookup(agency).id)
        assert figures is not None
        assert figures.current_online_dossier_rate is None
        assert figures.current_online_payment_rate is None
        assert figures.data_note is None
        assert figures.target_online_dossier_rate == Fraction(1, 2)
    dau_tieng = ds.figures_for(h.lookup("UBND Huyện Dầu Tiếng").id)
    assert dau_tieng is not None
    assert dau_tieng.data_note == "Số liệu từ 20/03/2022"
    assert len(ds.figures) == 118
    assert ds.figures_for(h.root.id) is None


def test_dataset_hierarchy_round_trips_through_csv() -> None:
    h = load_dataset("binh-duong-2023").hierarchy
    assert read_hierarchy_csv(hierarchy_to_csv(h).encode(), h.levels) == h


def test_the_plan_file_is_the_dataset_plan_without_the_unit_targets() -> None:
    # What `--hierarchy` without `--plan` reuses: the plan's structure, its level and default targets.
    from dvctt_rules.datasets._registry import _plan_file
    from dvctt_rules.rules import TargetTable

    for name in list_datasets():
        full = load_dataset(name).plan
        shipped = _plan_file(name)
        assert (full is None) == (shipped is None)
        if full is None or shipped is None:
            continue
        assert all(t.unit is None for t in shipped.targets)
        own = TargetTable(t for t in full.targets if t.unit is None)
        assert shipped.with_targets(own) == full.with_targets(own)
        assert len(full.targets) > len(shipped.targets)


def test_the_datasets_load_from_a_zipped_package(tmp_path: Path) -> None:
    """A package inside a zip file (a zipapp) finds its datasets through importlib.resources."""
    import subprocess
    import sys
    import zipfile

    import dvctt_rules

    package = Path(dvctt_rules.__file__).parent
    archive = tmp_path / "dvctt.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in package.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                zipped.write(path, path.relative_to(package.parent))
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import dvctt_rules\n"
        "from dvctt_rules.datasets import list_datasets, load_dataset\n"
        "assert dvctt_rules.__file__.startswith(sys.argv[1]), dvctt_rules.__file__\n"
        "print(list_datasets(), len(load_dataset('binh-duong-2023').hierarchy))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(archive)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["('binh-duong-2023',)", "119"]


def test_a_loaded_dataset_cannot_be_changed_through_its_metadata() -> None:
    # Regression: the cached, shared dataset kept dataset.json as a plain dict, so one caller's
    # `ds.metadata["baseline"] = None` emptied the baseline of every other caller in the process.
    ds = load_dataset("binh-duong-2023")
    baseline, unit_targets = len(ds.baseline), len(ds.unit_targets)
    mine = ds.metadata  # a copy of one's own, to change at will
    mine["baseline"] = None
    mine["unit_targets"]["columns"]["target_online_dossier_rate"] = "on_time_rate"
    mine["levels"].append("hamlet")
    assert load_dataset("binh-duong-2023") is ds
    assert (len(ds.baseline), len(ds.unit_targets)) == (baseline, unit_targets) == (115, 236)
    assert {t.indicator for t in ds.unit_targets} == {"online_dossier_rate", "online_payment_rate"}
    # Plain JSON values, as json.load gives them: they serialise again (a read-only proxy did not).
    assert ds.metadata["levels"] == ["province", "department", "district", "commune"]
    assert json.loads(json.dumps(ds.metadata)) == ds.metadata


def test_a_dataset_made_by_hand_copies_its_metadata() -> None:
    from dvctt_rules.datasets import Dataset

    ds = load_dataset("binh-duong-2023")
    columns = {"current_online_dossier_rate": "online_dossier_rate"}
    meta = {"baseline": {"period": "2023", "columns": columns}}
    mine = Dataset("mine", "Mine", "", "", ds.levels, ds.hierarchy, ds.figures, metadata=meta)
    before = len(mine.baseline)
    columns.clear()
    assert len(mine.baseline) == before > 0
