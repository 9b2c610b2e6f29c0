"""Rule trees: flattening combinators, double negation, reprs, and three-valued combination."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvctt_rules import PlanError
from dvctt_rules.rules import (
    AllOf,
    AnyOf,
    Not,
    Rule,
    Status,
    Threshold,
    all_of,
    any_of,
    combine,
    not_,
    thresholds,
)
from dvctt_rules.testing import STATUSES, leaf_assignments, raw_rules, rules

A = Threshold("online_dossier_rate", Fraction(9, 10))
B = Threshold("on_time_rate", Fraction(7, 10))
C = Threshold("online_payment_rate", Fraction(3, 10))
D = Threshold("late_dossiers")


class TestCombinators:
    def test_all_of_flattens(self) -> None:
        assert all_of(all_of(A, B), C) == AllOf((A, B, C))
        assert all_of(A, all_of(B, C)) == AllOf((A, B, C))
        assert AllOf((A, B, C)) == (A & B) & C
        assert AllOf((A, B, C)) == A & (B & C)

    def test_any_of_flattens(self) -> None:
        assert any_of(any_of(A, B), C) == AnyOf((A, B, C))
        assert AnyOf((A, B, C)) == A | B | C

    def test_different_kinds_nest(self) -> None:
        assert AnyOf((AllOf((A, B)), C)) == (A & B) | C
        assert all_of(any_of(A, B), C) == AllOf((AnyOf((A, B)), C))

    def test_single_rule_is_itself(self) -> None:
        assert all_of(A) is A
        assert any_of(A) is A

    def test_empty_is_an_error(self) -> None:
        with pytest.raises(PlanError, match="at least one rule"):
            all_of()
        with pytest.raises(PlanError, match="at least one rule"):
            any_of()
        with pytest.raises(PlanError, match="at least one rule"):
            AllOf(())

    def test_not(self) -> None:
        assert not_(A) == Not(A)
        assert Not(A) == ~A
        assert ~~A == A
        assert not_(not_(A)) is A

    @given(rules())
    def test_double_negation_is_identity(self, rule: Rule) -> None:
        assert ~~rule == rule
        assert not_(not_(rule)) == rule

    @given(rules(), rules(), rules())
    def test_all_of_is_associative_after_flattening(self, a: Rule, b: Rule, c: Rule) -> None:
        assert all_of(all_of(a, b), c) == all_of(a, all_of(b, c)) == all_of(a, b, c)
        assert any_of(any_of(a, b), c) == any_of(a, any_of(b, c)) == any_of(a, b, c)

    def test_non_rules_are_refused(self) -> None:
        with pytest.raises(PlanError, match="expected a rule") as info:
            AllOf((A, "online_dossier_rate"))  # type: ignore[arg-type]
        assert info.value.path == "$.rules[1]"
        with pytest.raises(PlanError, match="expected a rule"):
            Not("x")  # type: ignore[arg-type]

    def test_threshold_target_is_a_proportion(self) -> None:
        with pytest.raises(PlanError, match="between 0 and 1") as info:
            Threshold("online_dossier_rate", Fraction(90))
        assert info.value.path == "$.target"
        assert Threshold("online_dossier_rate", 1).target == Fraction(1)

    def test_rules_are_hashable_values(self) -> None:
        assert len({A & B, AllOf((A, B)), A | B}) == 2


class TestRepr:
    @pytest.mark.parametrize(
        ("rule", "text"),
        [
            (A, "<Threshold online_dossier_rate >= 90%>"),
            (Threshold("online_dossier_rate", Fraction(7, 8)), "<Threshold online_dossier_rate >= 87.5%>"),
            (Threshold("online_dossier_rate", Fraction(1, 3)), "<Threshold online_dossier_rate >= 33.3333%>"),
            (Threshold("on_time_rate"), "<Threshold on_time_rate >= plan target>"),
            (D, "<Threshold late_dossiers <= plan target>"),
            (Threshold("late_dossiers", 0), "<Threshold late_dossiers <= 0>"),
            (Threshold("custom_rate", Fraction(1, 2)), "<Threshold custom_rate vs 50%>"),
            (A & B, "<AllOf online_dossier_rate >= 90% & on_time_rate >= 70%>"),
            (A | B, "<AnyOf online_dossier_rate >= 90% | on_time_rate >= 70%>"),
            (~A, "<Not online_dossier_rate >= 90%>"),
            (~(A & B), "<Not online_dossier_rate >= 90% & on_time_rate >= 70%>"),
            ((A | B) & ~C,
             "<AllOf (online_dossier_rate >= 90% | on_time_rate >= 70%) & ~(online_payment_rate >= 30%)>"),
            (AllOf((A,)), "<AllOf online_dossier_rate >= 90%>"),
        ],
    )  # fmt: skip
    def test_reads_like_the_rule(self, rule: Rule, text: str) -> None:
        assert repr(rule) == text


class TestIndicators:
    def test_in_order_without_duplicates(self) -> None:
        assert (B & (A | ~B) & C).indicators() == (
            "on_time_rate",
            "online_dossier_rate",
            "online_payment_rate",
        )
        assert A.indicators() == ("online_dossier_rate",)

    def test_thresholds_depth_first(self) -> None:
        assert list(thresholds(A & ~(B | C))) == [A, B, C]


class TestCombine:
    @pytest.mark.parametrize(
        ("a", "b", "all_", "any_"),
        [
            ("met", "met", "met", "met"),
            ("met", "not_met", "not_met", "met"),
            ("met", "no_data", "no_data", "met"),
            ("not_met", "no_data", "not_met", "no_data"),
            ("not_met", "not_met", "not_met", "not_met"),
            ("no_data", "no_data", "no_data", "no_data"),
            ("met", "not_applicable", "met", "met"),
            ("not_met", "not_applicable", "not_met", "not_met"),
            ("no_data", "not_applicable", "no_data", "no_data"),
            ("not_applicable", "not_applicable", "not_applicable", "not_applicable"),
        ],
    )
    def test_kleene_tables(self, a: Status, b: Status, all_: Status, any_: Status) -> None:
        leaf = {A: a, B: b}.__getitem__
        assert combine(AllOf((A, B)), leaf) == combine(AllOf((B, A)), leaf) == all_
        assert combine(AnyOf((A, B)), leaf) == combine(AnyOf((B, A)), leaf) == any_

    @pytest.mark.parametrize(
        ("inner", "outer"),
        [
            ("met", "not_met"),
            ("not_met", "met"),
            ("no_data", "no_data"),
            ("not_applicable", "not_applicable"),
        ],
    )
    def test_not(self, inner: Status, outer: Status) -> None:
        assert combine(~A, lambda _: inner) == outer

    def test_every_assignment_of_three_leaves(self) -> None:
        for a, b, c in itertools.product(STATUSES, repeat=3):
            leaf = {A: a, B: b, C: c}.__getitem__
            assert combine(~(A & B & C), leaf) == combine(~A | ~B | ~C, leaf)
            assert combine(~(A | B | C), leaf) == combine(~A & ~B & ~C, leaf)

    @given(st.data(), raw_rules(max_depth=2), raw_rules(max_depth=2))
    def test_de_morgan(self, data: st.DataObject, left: Rule, right: Rule) -> None:
        assignment = data.draw(leaf_assignments(AllOf((left, right))))
        leaf = assignment.__getitem__
        assert combine(~(left & right), leaf) == combine(~left | ~right, leaf)
        assert combine(~(left | right), leaf) == combine(~left & ~right, leaf)

    @given(st.data(), raw_rules())
    def test_negation_and_flattening_keep_the_status(self, data: st.DataObject, rule: Rule) -> None:
        # Trees built with the classes may hold Not(Not(r)); ~~r is then not *equal* to r, but equivalent.
        assignment = data.draw(leaf_assignments(rule))
        leaf = assignment.__getitem__
        assert combine(~~rule, leaf) == combine(Not(Not(rule)), leaf) == combine(rule, leaf)
        assert combine(AllOf((rule, AllOf((rule,)))), leaf) == combine(all_of(rule, all_of(rule)), leaf)


class TestWrongArguments:
    def test_one_rule_where_a_sequence_is_meant(self) -> None:
        # Before: 'Threshold' object is not iterable, from inside attrs.
        rule = Threshold("on_time_rate")
        for kind in (AllOf, AnyOf):
            with pytest.raises(TypeError, match=r"got one Threshold; pass \(rule,\)"):
                kind(rule)  # type: ignore[arg-type]

    def test_a_lone_non_rule_is_not_returned_as_a_rule(self) -> None:
        # Before: all_of("x") returned "x", and any_of([a, b]) returned the list, as "the one rule".
        with pytest.raises(PlanError, match=r"all_of\(\) expected a rule, got str"):
            all_of("x")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"any_of\(\) takes the rules one by one, got a list"):
            any_of([Threshold("on_time_rate"), Threshold("online_dossier_rate")])  # type: ignore[arg-type]
        with pytest.raises(PlanError, match="expected a rule, got str"):
            not_("x")  # type: ignore[arg-type]
