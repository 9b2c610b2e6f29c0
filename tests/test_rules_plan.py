"""Plans: applicability of rules, the indicator catalogue with extras, scoring, validation paths."""

from __future__ import annotations

import datetime
from fractions import Fraction

import attrs
import pytest
from hypothesis import given

from dvctt_rules import PlanError, UnknownNameError
from dvctt_rules.hierarchy import DEFAULT_LEVELS as LEVELS
from dvctt_rules.rules import (
    DEFAULT_BANDS,
    INDICATORS,
    KH_4623,
    ND_335_2025,
    GradeBand,
    Indicator,
    Plan,
    PlanRule,
    ScoringScheme,
    Target,
    TargetTable,
    Threshold,
)
from dvctt_rules.testing import plans

RATE = "online_dossier_rate"


def make_plan(**changes: object) -> Plan:
    values: dict[str, object] = {
        "id": "kh-4623",
        "name": "Kế hoạch 4623/KH-UBND",
        "citation": KH_4623,
        "issued": datetime.date(2023, 9, 7),
        "levels": LEVELS,
        "rules": (
            PlanRule("II.2", Threshold(RATE), levels=("department", "district", "commune")),
            PlanRule(
                "III.1", Threshold("online_payment_rate"), units=("so-tu-phap",), lead=("level:department",)
            ),
            PlanRule("IV.1", Threshold("on_time_rate")),
            PlanRule("I.1", Threshold("full_online_integration_rate"), scope="province", lead=("Sở TT&TT",)),
        ),
        "targets": TargetTable(
            (Target(RATE, Fraction(1, 2)), Target(RATE, Fraction(17, 20), level="district"))
        ),
        **changes,
    }
    return Plan(**values)  # type: ignore[arg-type]


class TestApplicability:
    def test_rules_for(self) -> None:
        plan = make_plan()
        assert [r.id for r in plan.rules_for("so-tu-phap", "department")] == ["II.2", "III.1", "IV.1"]
        assert [r.id for r in plan.rules_for("so-y-te", "department")] == ["II.2", "IV.1"]
        assert [r.id for r in plan.rules_for("tinh", "province")] == ["IV.1"]

    def test_province_rules(self) -> None:
        assert [r.id for r in make_plan().province_rules()] == ["I.1"]

    def test_province_scope_takes_no_selection(self) -> None:
        with pytest.raises(PlanError, match="province") as info:
            PlanRule("x", Threshold(RATE), scope="province", levels=("district",))
        assert info.value.path == "$.scope"

    def test_rule_lookup(self) -> None:
        plan = make_plan()
        assert plan.rule("IV.1").rule == Threshold("on_time_rate")
        with pytest.raises(UnknownNameError, match=r"did you mean 'IV\.1'"):
            plan.rule("IV.2")


class TestCatalogue:
    def test_extras_extend_and_override(self) -> None:
        extra = Indicator("custom_rate", "Tỷ lệ", "Rate", ("a",), ("b",))
        stricter = attrs.evolve(INDICATORS[RATE], direction="equal")
        plan = make_plan(indicators=(extra, stricter))
        assert plan.indicator("custom_rate") is extra
        assert plan.indicator(RATE) is stricter
        assert plan.indicator("on_time_rate") is INDICATORS["on_time_rate"]
        with pytest.raises(UnknownNameError) as info:
            plan.indicator("custom_rat")
        assert info.value.suggestions == ("custom_rate",)

    def test_with_targets_returns_a_new_plan(self) -> None:
        plan = make_plan()
        other = TargetTable((Target(RATE, Fraction(9, 10), unit="so-tu-phap"),))
        changed = plan.with_targets(other)
        assert changed.targets is other
        assert plan.targets != other
        assert changed.rules == plan.rules

    def test_targets_may_be_given_as_a_tuple(self) -> None:
        plan = make_plan(targets=(Target(RATE, Fraction(1, 2)),))
        assert plan.targets == TargetTable((Target(RATE, Fraction(1, 2)),))

    @given(plans())
    def test_generated_plans_are_hashable_values(self, plan: Plan) -> None:
        assert plan == attrs.evolve(plan)
        assert hash(plan) == hash(attrs.evolve(plan))


class TestValidation:
    @pytest.mark.parametrize(
        ("changes", "path", "message"),
        [
            ({"rules": (PlanRule("a", Threshold(RATE)), PlanRule("a", Threshold(RATE)))}, "$.rules[1].id",
             "used twice"),
            ({"rules": (PlanRule("a", Threshold(RATE) & ~Threshold("on_tme_rate")),)},
             "$.rules[0].rule.rules[1].rule.indicator", "did you mean 'on_time_rate'"),
            ({"rules": (PlanRule("a", Threshold("late_dossiers", Fraction(1, 2))),)},
             "$.rules[0].rule.target", "can only be 0"),
            ({"rules": (PlanRule("a", Threshold(RATE), levels=("distric",)),)}, "$.rules[0].levels[0]",
             "did you mean 'district'"),
            ({"rules": (PlanRule("a", Threshold(RATE), coordinating=("x", "level:ward")),)},
             "$.rules[0].coordinating[1]", "unknown level 'ward'"),
            ({"targets": TargetTable((Target("online_dossier", Fraction(1, 2)),))}, "$.targets[0].indicator",
             "unknown indicator"),
            ({"targets": TargetTable((Target("late_dossiers", Fraction(1, 2)),))}, "$.targets[0].value",
             "can only be 0"),
            ({"targets": TargetTable((Target(RATE, Fraction(1, 2), level="ward"),))}, "$.targets[0].level",
             "unknown level"),
            ({"levels": ("province", "district", "province")}, "$.levels[2]", "listed twice"),
            ({"indicators": (INDICATORS[RATE], INDICATORS[RATE])}, "$.indicators[1].id", "listed twice"),
        ],
    )  # fmt: skip
    def test_errors_name_the_path(self, changes: dict[str, object], path: str, message: str) -> None:
        with pytest.raises(PlanError, match=message) as info:
            make_plan(**changes)
        assert info.value.path == path
        assert str(info.value).endswith(f" @ {path}")

    def test_weight_is_positive(self) -> None:
        with pytest.raises(PlanError, match="positive"):
            PlanRule("a", Threshold(RATE), weight=Fraction(0))
        assert PlanRule("a", Threshold(RATE), weight=2).weight == Fraction(2)

    def test_a_lone_string_is_not_a_list_of_levels(self) -> None:
        with pytest.raises(TypeError, match="a collection of texts, got the string 'department'; pass"):
            PlanRule("a", Threshold(RATE), levels="department")


class TestScoring:
    def test_default_bands(self) -> None:
        scheme = ScoringScheme()
        assert scheme.name == "partial-credit"
        assert scheme.bands == DEFAULT_BANDS
        assert scheme.citation == ND_335_2025
        assert [(b.key, b.min_score) for b in scheme.bands] == [
            ("excellent", Fraction(9, 10)), ("good", Fraction(7, 10)), ("completed", Fraction(1, 2)),
            ("not_completed", Fraction(0)),
        ]  # fmt: skip
        assert [b.label_vi for b in scheme.bands] == [
            "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
            "Không hoàn thành nhiệm vụ",
        ]  # fmt: skip
        assert scheme.bands[0].label_en == "Excellently completed"

    @pytest.mark.parametrize(
        ("score", "key"),
        [(Fraction(1), "excellent"), (Fraction(9, 10), "excellent"), (Fraction(89, 100), "good"),
         (Fraction(7, 10), "good"), (Fraction(1, 2), "completed"), (Fraction(49, 100), "not_completed"),
         (Fraction(0), "not_completed")],
    )  # fmt: skip
    def test_band(self, score: Fraction, key: str) -> None:
        assert ScoringScheme().band(score).key == key

    @pytest.mark.parametrize(
        ("bands", "path"),
        [
            ((), "$.bands"),
            ((GradeBand(Fraction(1, 2), "a", "a", "a"),), "$.bands[0].min_score"),
            ((GradeBand(Fraction(1, 2), "a", "a", "a"), GradeBand(Fraction(0), "b", "b", "a")),
             "$.bands[1].key"),
            ((GradeBand(Fraction(0), "a", "a", "a"), GradeBand(Fraction(1, 2), "b", "b", "b")),
             "$.bands[1].min_score"),
        ],
    )  # fmt: skip
    def test_invalid_bands(self, bands: tuple[GradeBand, ...], path: str) -> None:
        with pytest.raises(PlanError) as info:
            ScoringScheme(bands=bands)
        assert info.value.path == path

    def test_top_quota_is_a_proportion(self) -> None:
        assert ScoringScheme(top_quota=Fraction(1, 5)).top_quota == Fraction(1, 5)
        with pytest.raises(PlanError, match="between 0 and 1"):
            ScoringScheme(top_quota=Fraction(20))


class TestWrongTypesAreRefusedWhenTheObjectIsMade:
    """Regressions: each of these was accepted and failed later (or counted wrongly)."""

    @pytest.mark.parametrize("scored", ["no", 1, None])
    def test_scored_is_a_bool(self, scored: object) -> None:
        with pytest.raises(PlanError, match="scored must be True or False") as info:
            PlanRule("x", Threshold(RATE), scored=scored)  # type: ignore[arg-type]
        assert info.value.path == "$.scored"

    def test_a_citation_is_a_citation_not_its_text(self) -> None:
        with pytest.raises(
            PlanError, match=r"citation must be a Citation, got str 'QĐ 1'.*Citation\("
        ) as info:
            PlanRule("x", Threshold(RATE), citation="QĐ 1")  # type: ignore[arg-type]
        assert info.value.path == "$.citation"
        with pytest.raises(PlanError, match="citation must be a Citation"):
            make_plan(citation="Kế hoạch 4623")
        with pytest.raises(PlanError, match="citation must be a Citation"):
            ScoringScheme(citation="NĐ 335")  # type: ignore[arg-type]
        with pytest.raises(PlanError, match="citation must be a Citation"):
            Target(RATE, Fraction(1, 2), citation="QĐ 1")  # type: ignore[arg-type]

    def test_plan_rules_are_plan_rules(self) -> None:
        with pytest.raises(PlanError, match=r"expected a PlanRule, got Threshold; wrap it") as info:
            make_plan(rules=[PlanRule("a", Threshold(RATE)), Threshold(RATE)])
        assert info.value.path == "$.rules[1]"
        with pytest.raises(TypeError, match="got one PlanRule; pass"):
            make_plan(rules=PlanRule("a", Threshold(RATE)))
        with pytest.raises(PlanError, match=r"expected an Indicator, got str") as info:
            make_plan(indicators=["online_dossier_rate"])
        assert info.value.path == "$.indicators[0]"
        with pytest.raises(PlanError, match="scoring must be a ScoringScheme"):
            make_plan(scoring="partial-credit")
        with pytest.raises(PlanError, match=r"expected a GradeBand, got tuple") as info:
            ScoringScheme(bands=[(Fraction(0), "a", "b", "c")])  # type: ignore[list-item]
        assert info.value.path == "$.bands[0]"

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("2024-01-01", r"got the text '2024-01-01'; write datetime.date\(2024, 1, 1\)"),
            (datetime.datetime(2024, 1, 1, 8), r"got the datetime 2024-01-01 08:00:00; pass its .date\(\)"),
            (20240101, "got int 20240101"),
        ],
    )
    def test_dates_are_dates(self, value: object, message: str) -> None:
        with pytest.raises(PlanError, match="effective_from must be a datetime.date, " + message) as info:
            Target(RATE, Fraction(1, 2), effective_from=value)  # type: ignore[arg-type]
        assert info.value.path == "$.effective_from"
        with pytest.raises(PlanError, match="issued must be a datetime.date, " + message) as info:
            make_plan(issued=value)
        assert info.value.path == "$.issued"
        assert make_plan(issued=None).issued is None
        assert Target(RATE, 0, effective_from=datetime.date(2024, 1, 1)).effective_from == datetime.date(
            2024, 1, 1
        )


class TestBandOutOfRange:
    @pytest.mark.parametrize("score", [Fraction(-1, 10), Fraction(11, 10), -1, 2])
    def test_a_score_outside_0_to_1_is_refused(self, score: Fraction) -> None:
        # Regression: a negative score raised StopIteration (and a score above 1 was graded).
        with pytest.raises(PlanError, match="score must be a proportion between 0 and 1"):
            ScoringScheme().band(score)

    def test_a_score_must_be_exact(self) -> None:
        with pytest.raises(TypeError, match="exact number"):
            ScoringScheme().band(0.95)  # type: ignore[arg-type]
        assert ScoringScheme().band(Fraction(1)).key == "excellent"
        assert ScoringScheme().band(0).key == "not_completed"
