"""plan-4623 against the plan's own text: every Phụ lục I target, basis and responsible unit, every
Phụ lục II target; and the plan's shipped JSON is what the dataset builds."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from dvctt_rules.datasets import load_dataset
from dvctt_rules.rules import Threshold, accountability, dump_plan_json, load_plan_json

SEED = (Path(__file__).parent / "fixtures" / "ke-hoach-4623-KH-UBND-2023.txt").read_text(encoding="utf-8")

# How the plan's wording of responsible units maps onto unit names and level selectors.
PHRASES = {
    "Sở Thông tin và Truyền thông": ("Sở Thông tin và Truyền thông",),
    "Văn phòng UBND tỉnh": ("Văn phòng UBND tỉnh",),
    "Văn phòng UBND tỉnh, Sở Thông tin và Truyền thông": (
        "Văn phòng UBND tỉnh",
        "Sở Thông tin và Truyền thông",
    ),
    "Các sở, ban, ngành, UBND các huyện, thị xã, thành phố": ("level:department", "level:district"),
    "Các sở, ban, ngành, UBND các huyện, thị xã, thành phố; UBND các xã, phường, thị trấn": (
        "level:department",
        "level:district",
        "level:commune",
    ),
}


def appendix_i_rows() -> dict[str, list[str]]:
    """Rule id ("II.2") → the row's cells: name, lead, coordinating, target, basis."""
    start = SEED.index("GIAO CHỈ TIÊU VỀ CUNG CẤP")
    end = SEED.index("GIAO CHỈ TIÊU TỶ LỆ HỒ SƠ")
    lines = [line.strip().removesuffix("|").strip() for line in SEED[start:end].splitlines()]
    rows: dict[str, list[str]] = {}
    section = ""
    for index, line in enumerate(lines):
        if re.fullmatch(r"I|II|III|IV", line):
            section = line
        elif re.fullmatch(r"\d+", line) and section:
            rows[f"{section}.{line}"] = lines[index + 1 : index + 6]
    return rows


def level_targets_iv1() -> dict[str, Fraction]:
    found = dict(re.findall(r"- Cấp (tỉnh|huyện|xã) \|\n(\d+)% \|", SEED))
    return {
        {"tỉnh": "department", "huyện": "district", "xã": "commune"}[k]: Fraction(int(v), 100)
        for k, v in found.items()
    }


def test_every_appendix_i_row_is_a_rule_with_its_target_basis_and_responsible_units() -> None:
    plan = load_dataset("binh-duong-2023").plan
    assert plan is not None
    rows = appendix_i_rows()
    assert sorted(rows) == ["I.1", "II.1", "II.2", "II.3", "III.1", "III.2", "IV.1"]
    for rule_id, (name, lead, coordinating, target, basis) in rows.items():
        rule = plan.rule(rule_id)
        assert rule.note is not None
        assert name in rule.note
        assert str(rule.citation) == basis
        assert rule.lead == PHRASES[lead]
        assert rule.coordinating == PHRASES[coordinating]
        leaf = rule.rule
        assert isinstance(leaf, Threshold)
        if target:
            assert rule.scope == "province"
            assert leaf.target == Fraction(int(target.removesuffix("%")), 100)
        else:
            assert rule_id == "IV.1"
            assert leaf.target is None


def test_iv1_level_targets_are_the_plans() -> None:
    plan = load_dataset("binh-duong-2023").plan
    assert plan is not None
    expected = level_targets_iv1()
    assert expected == {
        "department": Fraction(7, 10),
        "district": Fraction(6, 10),
        "commune": Fraction(55, 100),
    }
    found = {t.level: t.value for t in plan.targets.for_indicator("on_time_rate") if t.level}
    assert found == expected


def test_appendix_ii_targets_are_each_units_figures() -> None:
    ds = load_dataset("binh-duong-2023")
    assert ds.plan is not None
    for figures in ds.figures:
        for indicator, value in (
            ("online_dossier_rate", figures.target_online_dossier_rate),
            ("online_payment_rate", figures.target_online_payment_rate),
        ):
            (target,) = [t for t in ds.plan.targets.for_indicator(indicator) if t.unit == figures.unit]
            assert target.value == value
            assert target.citation is not None
            assert target.citation.article == "Phụ lục II"
    assert len([t for t in ds.plan.targets if t.unit]) == 2 * 118


def test_sample_of_appendix_ii_by_hand() -> None:
    ds = load_dataset("binh-duong-2023")
    assert ds.plan is not None
    h = ds.hierarchy

    def target(name: str, indicator: str) -> Fraction:
        unit = h.lookup(name)
        found = ds.plan.targets.resolve(indicator, unit.id, unit.level)  # type: ignore[union-attr]
        assert found is not None
        return found.value

    assert target("Sở Lao động - Thương binh và Xã hội", "online_dossier_rate") == Fraction(85, 100)
    assert target("Sở Thông tin và Truyền thông", "online_payment_rate") == Fraction(95, 100)
    assert target("UBND Thị xã Bến Cát", "online_dossier_rate") == Fraction(85, 100)
    assert target("Xã An Bình", "online_dossier_rate") == Fraction(8, 10)
    assert target("Phường An Bình", "online_dossier_rate") == Fraction(9, 10)


def test_the_plan_file_round_trips_and_who_answers() -> None:
    ds = load_dataset("binh-duong-2023")
    assert ds.plan is not None
    assert load_plan_json(dump_plan_json(ds.plan)) == ds.plan
    who = accountability(ds.plan.rule("I.1"), ds.hierarchy)
    assert [u.name for u in who.lead] == ["Sở Thông tin và Truyền thông"]
    assert len(who.coordinating) == 18 + 9
    assert ds.plan.citation is not None
    assert str(ds.plan.citation) == "Kế hoạch số 4623/KH-UBND ngày 07/9/2023 của UBND tỉnh Bình Dương"
