"""Rankings: hand-computed scores, competition ranks, band edges, the quota and its ties, the lists,
peer groups, several periods, rankers as plugins; hypothesis invariants; the shipped dataset."""

from __future__ import annotations

import datetime
import weakref
from collections.abc import Iterator, Sequence
from fractions import Fraction
from importlib.metadata import EntryPoint

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dvctt_rules.ranking as ranking_api
from dvctt_rules import PeriodError, PluginError, UnknownNameError, UnknownUnitError
from dvctt_rules.aggregate import ReportMismatchError
from dvctt_rules.datasets import load_dataset
from dvctt_rules.hierarchy import TWO_TIER_LEVELS, Hierarchy, Unit
from dvctt_rules.observations import Observation, Observations, Period
from dvctt_rules.plugins import Registry
from dvctt_rules.ranking import (
    RANKERS,
    AllOrNothing,
    PartialCredit,
    Ranking,
    RulePoints,
    Score,
    check_ranker,
    competition_ranks,
    iter_rank_periods,
    rank,
    rank_periods,
)
from dvctt_rules.rules import KH_4623, Plan, PlanRule, RuleVerdict, ScoringScheme, Target, Threshold, evaluate
from dvctt_rules.testing import check_ranking, hierarchies
from dvctt_rules.testing._observations_for_ranking import (
    counted_observations,
    ranking_plans,
    reordered_hierarchy,
    reordered_observations,
)

JAN, FEB = Period(2024, month=1), Period(2024, month=2)
ODR = "online_dossier_rate"
LEVELS = ("province", "district", "commune")


def tree(levels: tuple[str, ...] = LEVELS) -> Hierarchy:
    """P ─ D ─ C1, C2, C3; P ─ E ─ C4."""
    district = "district" if "district" in levels else None
    units = [Unit("P", "Tỉnh P", "province")]
    parents: dict[str, str] = {}
    if district:
        units += [Unit("D", "UBND Huyện D", "district"), Unit("E", "UBND Huyện E", "district")]
        parents |= {"D": "P", "E": "P"}
    for commune, parent in (("C1", "D"), ("C2", "D"), ("C3", "D"), ("C4", "E")):
        units.append(Unit(commune, f"Xã {commune}", "commune"))
        parents[commune] = parent if district else "P"
    return Hierarchy(units, parents, levels)


def plan(top_quota: Fraction | None = None, levels: tuple[str, ...] = LEVELS, **weights: int) -> Plan:
    """Two scored rules worth 50 points each (equal weights): online dossiers ≥ 50 % (C4: its own 90 %),
    on time ≥ 55 % for communes."""
    below = levels[1:]
    return Plan(
        "hand",
        "Hand-computed plan",
        KH_4623,
        datetime.date(2023, 9, 7),
        levels,
        (
            PlanRule("II.2", Threshold(ODR, Fraction(1, 2)), scope="province"),
            PlanRule(
                "PL-II.1",
                Threshold(ODR, Fraction(1, 2)),
                levels=below,
                scored=True,
                weight=weights.get("odr", 1),
            ),
            PlanRule(
                "IV.1", Threshold("on_time_rate"), levels=below, scored=True, weight=weights.get("ot", 1)
            ),
            PlanRule("MT.5", Threshold("late_dossiers"), levels=below),  # not scored
        ),
        (
            Target(ODR, Fraction(9, 10), unit="C4"),
            *(Target("on_time_rate", Fraction(55, 100), level=level) for level in below),
        ),
        scoring=ScoringScheme(top_quota=top_quota),
    )


def row(unit: str, period: Period, online: int, direct: int, early: int, late: int) -> Observation:
    counts = {
        "received_online": online,
        "received_direct": direct,
        "received_postal": 0,
        "resolved_early": early,
        "resolved_on_time": 0,
        "resolved_late": late,
    }
    return Observation(unit, period, counts=counts)


def observations(hierarchy: Hierarchy | None = None, *, c1_like_c2: bool = False) -> Observations:
    h = hierarchy or tree()
    c1 = row("C1", JAN, 9, 1, 11, 9) if c1_like_c2 else row("C1", JAN, 50, 10, 10, 10)
    return Observations(
        [
            c1,  # 5/6 ≥ 1/2 met: 50; on time 1/2 < 55 %: 50 × (1/2)/(11/20) = 500/11
            row("C2", JAN, 9, 1, 11, 9),  # 9/10 met: 50; on time 11/20 exactly: met, 50 → 100
            # C3 reports nothing: 0 + 0.
            row("C4", JAN, 45, 55, 3, 1),  # 9/20 vs its own 9/10: 50 × 1/2 = 25; 3/4 met: 50 → 75
        ],
        hierarchy=h,
    )


# -- hand-computed examples -------------------------------------------------------------------------


def test_scores_ranks_and_grades_by_hand() -> None:
    result = rank(plan(), tree(), observations(), level="commune")
    got = [(r.unit, r.rank, r.score, r.grade, r.met, r.scored, r.no_data) for r in result]
    assert got == [
        ("C2", 1, Fraction(100), "excellent", 2, 2, 0),
        ("C1", 2, 50 + Fraction(500, 11), "excellent", 1, 2, 0),  # 95,45
        ("C4", 3, Fraction(75), "good", 1, 2, 0),
        ("C3", 4, Fraction(0), "not_completed", 0, 2, 2),
    ]
    c1 = result.rows[1]
    assert c1.points == (
        RulePoints(
            "PL-II.1", (ODR,), "met", Fraction(1), Fraction(50), Fraction(50), Fraction(5, 6), Fraction(1, 2)
        ),
        RulePoints(
            "IV.1",
            ("on_time_rate",),
            "not_met",
            Fraction(1),
            Fraction(50),
            Fraction(500, 11),
            Fraction(1, 2),
            Fraction(11, 20),
        ),
    )
    assert c1.points[1].credit == Fraction(10, 11)
    assert (c1.grade_vi, c1.grade_en, c1.period, c1.level) == (
        "Hoàn thành xuất sắc nhiệm vụ",
        "Excellently completed",
        "2024-01",
        "commune",
    )
    assert result.rows[3].no_data_rules == ("PL-II.1", "IV.1")
    assert (result.level, result.within, result.scheme, result.plan, result.period) == (
        "commune",
        None,
        "partial-credit",
        "hand",
        "2024-01",
    )


def test_lists_commendation_and_reminders() -> None:
    result = rank(plan(), tree(), observations())
    assert [r.unit for r in result.commended] == ["C2", "C1"]
    # C3: lowest band and no data.
    assert [r.unit for r in result.reminded] == ["C3"]


def test_a_no_data_unit_is_reminded_and_never_commended() -> None:
    # Online dossiers weigh 9, on time 1: C2 without on-time data still scores 90 = excellent.
    obs = Observations([row("C2", JAN, 9, 1, 0, 0)], hierarchy=tree())
    result = rank(plan(odr=9, ot=1), tree(), obs)
    c2 = result.row("C2")
    assert c2 is not None
    # 0 resolved: 0/0 is no data for IV.1 → 0 of its 10 points; 90 of PL-II.1's 90.
    assert (c2.score, c2.grade, c2.no_data, c2.no_data_rules) == (Fraction(90), "excellent", 1, ("IV.1",))
    assert (c2.commended, c2.reminded) == (False, True)
    assert result.row("C9") is None


def test_weights_share_the_hundred_points() -> None:
    result = rank(plan(odr=3, ot=1), tree(), observations())
    c4 = result.row("C4")
    assert c4 is not None
    # PL-II.1 worth 75: 75 × (9/20)/(9/10) = 37,5; IV.1 worth 25, met.
    assert [p.max_points for p in c4.points] == [Fraction(75), Fraction(25)]
    assert c4.score == Fraction(125, 2)


def test_band_edges_are_exact() -> None:
    # Only PL-II.1 is ranked, so the score is 100 × credit; the target is 1/2.
    def score_of(online: int, direct: int) -> tuple[Fraction, str]:
        obs = Observations([row("C1", JAN, online, direct, 0, 0)], hierarchy=tree())
        result = rank(plan(), tree(), obs, rules=("PL-II.1",))
        found = result.row("C1")
        assert found is not None
        return found.score, found.grade

    assert score_of(9, 11) == (Fraction(90), "excellent")  # 9/20 ÷ 1/2 = 9/10 → exactly 90
    assert score_of(8_999_999, 11_000_001) == (Fraction(8_999_999, 100_000), "good")  # one hair below 90
    assert score_of(7, 13) == (Fraction(70), "good")
    assert score_of(6_999_999, 13_000_001)[1] == "completed"
    assert score_of(1, 3) == (Fraction(50), "completed")
    assert score_of(4_999_999, 15_000_001)[1] == "not_completed"


def test_quota_keeps_the_best_ranked_within_the_cap() -> None:
    # Good or better: C2 (100), C1 (95,45), C4 (75) → G = 3; quota 1/2 → cap floor(3/2) = 1.
    result = rank(plan(top_quota=Fraction(1, 2)), tree(), observations())
    assert result.quota_cap == 1
    assert [(r.unit, r.grade, r.demoted) for r in result] == [
        ("C2", "excellent", False),
        ("C1", "good", True),
        ("C4", "good", False),
        ("C3", "not_completed", False),
    ]
    assert [r.unit for r in result.commended] == ["C2"]
    assert result.top_quota == Fraction(1, 2)


def test_quota_demotes_a_whole_tie_group_that_would_cross_the_cap() -> None:
    obs = observations(c1_like_c2=True)  # C1 and C2 both score 100, C4 75: G = 3
    demoted = rank(plan(top_quota=Fraction(1, 2)), tree(), obs)  # cap 1 < tie group of 2
    assert [(r.unit, r.rank, r.grade) for r in demoted][:2] == [("C1", 1, "good"), ("C2", 1, "good")]
    assert demoted.commended == ()
    kept = rank(plan(top_quota=Fraction(2, 3)), tree(), obs)  # cap 2: the tie group fits
    assert [(r.unit, r.grade) for r in kept][:2] == [("C1", "excellent"), ("C2", "excellent")]
    no_quota = rank(plan(), tree(), obs)
    assert no_quota.quota_cap is None


def test_peer_groups_and_within() -> None:
    h = tree()
    within = rank(plan(), h, observations(), within="UBND Huyện D")
    assert [(r.unit, r.rank) for r in within] == [("C2", 1), ("C1", 2), ("C3", 3)]
    assert within.within == "D"
    assert [r.unit for r in rank(plan(), h, observations(), within=h["E"])] == ["C4"]
    districts = rank(plan(), h, observations(), level="district")
    # Districts report nothing themselves: both score 0 and share rank 1, listed by id.
    assert [(r.unit, r.rank, r.score) for r in districts] == [("D", 1, Fraction(0)), ("E", 1, Fraction(0))]
    with pytest.raises(UnknownUnitError):
        rank(plan(), h, observations(), within="Huyện Không Có")
    with pytest.raises(UnknownNameError, match="did you mean 'commune'"):
        rank(plan(), h, observations(), level="comune")


def test_units_without_any_counted_rule_are_unscored() -> None:
    result = rank(plan(), tree(), observations(), level="province")
    assert (result.rows, result.unscored) == ((), ("P",))


def test_a_report_can_be_ranked_and_must_be_of_the_plan() -> None:
    report = evaluate(plan(), tree(), observations())
    assert rank(plan(), tree(), report) == rank(plan(), tree(), observations())
    with pytest.raises(ReportMismatchError):
        rank(attrs.evolve(plan(), id="other"), tree(), report)
    assert rank(plan(), tree(), report, period="2024-01") == rank(plan(), tree(), report)
    with pytest.raises(ReportMismatchError, match="period"):
        rank(plan(), tree(), report, period="2024-02")


def test_rules_can_be_chosen_and_unknown_rules_get_suggestions() -> None:
    result = rank(plan(), tree(), observations(), rules=("IV.1",))
    assert [r.scored for r in result] == [1, 1, 1, 1]
    with pytest.raises(UnknownNameError, match=r"did you mean 'IV\.1'"):
        rank(plan(), tree(), observations(), rules=("IV.2",))
    # One rule id given as a text (a str is a sequence of str): refused, not read as 'I', 'V', …
    with pytest.raises(TypeError, match=r"got the string 'IV\.1'"):
        rank(plan(), tree(), observations(), rules="IV.1")


def test_rank_periods_fill_the_change_of_rank() -> None:
    obs = Observations(
        [
            row("C1", JAN, 5, 5, 1, 0),  # January: C1 100, C2 50 + 50 × (1/4)/(1/2) = 75
            row("C2", JAN, 1, 3, 1, 0),
            row("C1", FEB, 1, 3, 1, 0),  # February: swapped
            row("C2", FEB, 5, 5, 1, 0),
        ],
        hierarchy=tree(),
    )
    first, second = rank_periods(plan(), tree(), obs, within="D")
    assert [(r.unit, r.rank, r.previous_rank, r.rank_change) for r in first] == [
        ("C1", 1, None, None),
        ("C2", 2, None, None),
        ("C3", 3, None, None),
    ]
    assert [(r.unit, r.rank, r.previous_rank, r.rank_change) for r in second] == [
        ("C2", 1, 2, 1),
        ("C1", 2, 1, -1),
        ("C3", 3, 3, 0),
    ]
    assert (first.period, second.period) == ("2024-01", "2024-02")
    (whole,) = rank_periods(plan(), tree(), obs, ["2024-Q1"], within="D")
    assert whole.period == "2024-Q1"


def test_iter_rank_periods_makes_each_ranking_when_asked_for() -> None:
    # A country's months one at a time: while a month is used, only the month before it (which
    # the next is compared with) may still be alive; rank_periods holds them all and fails this.
    months = [Period(2024, month=m) for m in (1, 2, 3, 4)]
    obs = Observations(
        [
            row(c, month, 1 + m + n, 4, 1, m % 2)
            for m, month in enumerate(months)
            for n, c in enumerate(("C1", "C2"))
        ],
        hierarchy=tree(),
    )
    rankings = iter_rank_periods(plan(), tree(), obs, within="D")
    made: list[weakref.ref[Ranking]] = []
    for ranking in rankings:
        assert sum(r() is not None for r in made) <= 1
        made.append(weakref.ref(ranking))
    assert len(made) == 4
    together = rank_periods(plan(), tree(), obs, within="D")
    one_by_one = iter_rank_periods(plan(), tree(), obs, within="D")
    for whole, single in zip(together, one_by_one, strict=True):
        assert (whole.period, whole.rows) == (single.period, single.rows)
    # The periods are read when asked for, before any ranking is made.
    with pytest.raises(PeriodError, match="month"):
        iter_rank_periods(plan(), tree(), obs, ["2024-01", "2024-13"])
    # One period as a text is not split into its letters ("'2' is not a period").
    for rank_each in (iter_rank_periods, rank_periods):
        with pytest.raises(TypeError, match=r"pass \['2024-01'\]"):
            rank_each(plan(), tree(), obs, "2024-01")


def test_two_tier_hierarchy() -> None:
    h = tree(TWO_TIER_LEVELS)
    result = rank(plan(levels=TWO_TIER_LEVELS), h, observations(h))
    assert [(r.unit, r.rank) for r in result] == [("C2", 1), ("C1", 2), ("C4", 3), ("C3", 4)]
    with pytest.raises(UnknownNameError):
        rank(plan(levels=TWO_TIER_LEVELS), h, observations(h), level="district")


def test_competition_ranks() -> None:
    assert competition_ranks([Fraction(1), Fraction(3), Fraction(3), Fraction(2)]) == (4, 1, 1, 3)
    assert competition_ranks([]) == ()


def test_top_includes_ties_at_the_cut_off() -> None:
    result = rank(plan(), tree(), observations(c1_like_c2=True))
    assert [r.unit for r in result.top(1)] == ["C1", "C2"]


# -- rankers as plugins ---------------------------------------------------------------------------


def test_built_in_rankers() -> None:
    assert {"partial-credit", "all-or-nothing"} <= set(RANKERS.names())
    assert RANKERS.origin("partial-credit") == "built-in"
    result = rank(plan(), tree(), observations(), scheme="all-or-nothing")
    assert [(r.unit, r.score) for r in result] == [
        ("C2", Fraction(100)),
        ("C1", Fraction(50)),
        ("C4", Fraction(50)),
        ("C3", Fraction(0)),
    ]
    assert isinstance(RANKERS.get("all-or-nothing"), AllOrNothing)
    with pytest.raises(UnknownNameError, match="did you mean 'partial-credit'"):
        rank(plan(), tree(), observations(), scheme="partial-credt")


@attrs.frozen
class Alphabet:
    """A test ranker: 100 points to any unit whose id ends in an even digit, else 0."""

    name: str = "test-alphabet"

    def score(self, unit: Unit, verdicts: Sequence[RuleVerdict], plan: Plan) -> Score:
        even = unit.id[-1] in "02468"
        return Score(
            (
                RulePoints(
                    "x", (), "met" if even else "not_met", Fraction(1), Fraction(100), Fraction(100 * even)
                ),
            )
        )


@attrs.frozen
class Broken:
    name: str = "test-broken"

    def score(self, unit: Unit, verdicts: Sequence[RuleVerdict], plan: Plan) -> Score:
        return 42  # type: ignore[return-value]


@pytest.fixture
def third_party() -> Iterator[None]:
    RANKERS.register(Alphabet(), origin="test")
    RANKERS.register(Broken(), origin="test")
    yield
    RANKERS.unregister("test-alphabet")
    RANKERS.unregister("test-broken")


@pytest.mark.usefixtures("third_party")
def test_a_registered_ranker_is_used_by_name_or_by_the_plan() -> None:
    result = rank(plan(), tree(), observations(), scheme="test-alphabet")
    assert [(r.unit, r.rank) for r in result] == [("C2", 1), ("C4", 1), ("C1", 3), ("C3", 3)]
    by_plan = attrs.evolve(plan(), scoring=ScoringScheme(name="test-alphabet"))
    assert rank(by_plan, tree(), observations()).scheme == "test-alphabet"
    with pytest.raises(PluginError, match="test-broken"):
        rank(plan(), tree(), observations(), scheme="test-broken")


def test_rankers_are_discovered_from_entry_points_and_checked() -> None:
    def source(group: str) -> list[EntryPoint]:
        assert group == "dvctt_rules.rankers"
        return [
            EntryPoint("alphabet", f"{__name__}:Alphabet", group),
            EntryPoint("bad", "fractions:Fraction", group),
        ]

    registry = Registry("ranker", "dvctt_rules.rankers", check_ranker, entry_points_source=source)
    registry.register(PartialCredit(), origin="built-in")
    with pytest.raises(PluginError, match="bad"):
        registry.names()
    fine = Registry(
        "ranker", "dvctt_rules.rankers", check_ranker, entry_points_source=lambda g: source(g)[:1]
    )
    assert isinstance(fine.get("alphabet"), Alphabet)


def test_public_api() -> None:
    assert set(ranking_api.__all__) == {
        "RANKERS",
        "AllOrNothing",
        "PartialCredit",
        "RankRow",
        "Ranker",
        "Ranking",
        "RulePoints",
        "Score",
        "check_ranker",
        "competition_ranks",
        "iter_rank_periods",
        "rank",
        "rank_periods",
    }
    for name in ranking_api.__all__:
        assert getattr(ranking_api, name).__doc__, name


# -- the shipped dataset ----------------------------------------------------------------------------


def test_shipped_dataset_commune_ranking() -> None:
    ds = load_dataset("binh-duong-2023")
    assert ds.plan is not None
    result = rank(ds.plan, ds.hierarchy, ds.baseline)
    assert len(result) == 91
    assert result.unscored == ()
    assert result.rows[0].rank == 1
    assert [r.rank for r in result] == sorted(r.rank for r in result)
    # Every commune's score by hand from the plan's own figures: IV.1 has no data in the baseline
    # (0 of 100/3 points); PL-II.1 and PL-II.2 full 100/3 when met, else 100/3 × current / target.
    third = Fraction(100, 3)

    def points(current: Fraction | None, target: Fraction | None) -> Fraction:
        assert target is not None
        if current is None:
            return Fraction(0)
        return third if current >= target else third * current / target

    for r in result:
        f = ds.figures_for(r.unit)
        assert f is not None
        expected = points(f.current_online_dossier_rate, f.target_online_dossier_rate) + points(
            f.current_online_payment_rate, f.target_online_payment_rate
        )
        assert r.score == expected, r.unit
        assert r.reminded  # no on-time data anywhere
    assert rank(ds.plan, ds.hierarchy, ds.baseline, level="department").rows[0].rank == 1
    assert len(rank(ds.plan, ds.hierarchy, ds.baseline, level="district")) == 9


# -- properties ------------------------------------------------------------------------------------

cases = hierarchies(min_size=3, max_size=20).flatmap(
    lambda h: st.tuples(st.just(h), ranking_plans(h), counted_observations(h))
)


def scores(result: Ranking) -> dict[str, Fraction]:
    return {r.unit: r.score for r in result}


@given(cases, st.data())
def test_a_ranking_is_a_permutation_with_competition_ranks(
    case: tuple[Hierarchy, Plan, Observations], data: st.DataObject
) -> None:
    h, p, obs = case
    level = data.draw(st.sampled_from(h.levels[1:] or h.levels) | st.sampled_from(h.levels))
    result = rank(p, h, obs, level=level)
    check_ranking(result, h.units(level))  # the house's invariant check agrees too
    peers = [u.id for u in h.units(level)]
    listed = [r.unit for r in result] + list(result.unscored)
    assert sorted(listed) == sorted(peers)
    for r in result:
        assert r.rank == 1 + sum(other.score > r.score for other in result)
        assert 0 <= r.score <= 100
        assert r.scored == len(r.points) >= 1
        assert r.score == sum(pt.points for pt in r.points)
    keys = [(-r.score, r.unit) for r in result]
    assert keys == sorted(keys)
    tied: dict[Fraction, int] = {}
    for r in result:
        assert tied.setdefault(r.score, r.rank) == r.rank  # equal scores share a rank
    bands = p.scoring.bands
    for r in result:
        band = p.scoring.band(r.score / 100)
        assert r.grade == (bands[1].key if r.demoted else band.key)
        assert r.reminded == (r.grade == bands[-1].key or r.no_data > 0)
        assert r.commended == (r.grade == bands[0].key and r.no_data == 0)
    if result.quota_cap is not None:
        assert sum(r.grade == bands[0].key for r in result) <= result.quota_cap


@given(cases.flatmap(lambda case: st.tuples(st.just(case), reordered_hierarchy(case[0]))), st.data())
def test_a_ranking_is_the_same_on_every_run_and_under_any_input_order(
    pair: tuple[tuple[Hierarchy, Plan, Observations], Hierarchy], data: st.DataObject
) -> None:
    (h, p, obs), shuffled = pair
    level = data.draw(st.sampled_from(h.levels[1:] or h.levels) | st.sampled_from(h.levels))
    first = rank(p, h, obs, level=level)
    assert rank(p, h, obs, level=level) == first
    assert rank(p, shuffled, reordered_observations(obs, shuffled), level=level) == first


@given(cases, st.data())
def test_more_online_dossiers_never_lower_a_score(
    case: tuple[Hierarchy, Plan, Observations], data: st.DataObject
) -> None:
    h, p, obs = case
    counted = [o for o in obs if o.count("received_online") is not None]
    if not counted:
        return
    chosen = data.draw(st.sampled_from(counted))
    extra = data.draw(st.integers(1, 1000))
    online = chosen.count("received_online")
    assert online is not None
    raised = attrs.evolve(chosen, counts={**dict(chosen.counts), "received_online": online + extra})
    more = Observations([raised if o is chosen else o for o in obs], hierarchy=h)
    level = h[chosen.unit].level
    before = scores(rank(p, h, obs, level=level))
    after = scores(rank(p, h, more, level=level))
    if chosen.unit in before:
        assert after[chosen.unit] >= before[chosen.unit]


@attrs.frozen
class _Wild:
    """A third-party ranker that fails (``how``: raise, give 150 of 200 or of 100 points, -5 points,
    or a float)."""

    how: str
    name: str = "wild"

    def score(self, unit: Unit, verdicts: Sequence[RuleVerdict], plan: Plan) -> Score:
        if self.how == "raise":
            raise ValueError("boom")
        points = {"over": Fraction(150), "bonus": Fraction(150), "under": Fraction(-5), "float": 87.5}[
            self.how
        ]
        most = Fraction(200 if self.how == "over" else 100)
        one = RulePoints("R", ("online_dossier_rate",), "met", Fraction(1), most, points)  # type: ignore[arg-type]
        return Score((one,))


@pytest.mark.parametrize(
    ("how", "why"),
    [
        ("raise", "ValueError: boom"),
        ("over", "the score is 150 points; a score is from 0 to 100"),  # it was ranked silently
        ("bonus", "rule R earned 150 points of 100"),  # check_ranking refused what rank() gave
        ("under", "rule R earned -5 points of 100"),  # a bare StopIteration when grading
        ("float", "points of rule R are 87.5, not an exact Fraction"),
    ],
)
def test_a_failing_ranker_is_a_plugin_error_naming_it_and_the_unit(how: str, why: str) -> None:
    RANKERS.register(_Wild(how), origin="test")
    try:
        with pytest.raises(PluginError, match=r"ranker 'wild' failed for unit C\d") as info:
            rank(plan(), tree(), observations(), scheme="wild")
    finally:
        RANKERS.unregister("wild")
    assert why in str(info.value)
    assert info.value.plugin == "wild"


def test_a_ranking_is_compared_with_the_period_that_ended_before_it() -> None:
    # A unit reporting a quarter, the others months: the periods run 2024-Q1, 2024-01, 2024-02,
    # 2024-03, and January was compared with the quarter that holds it (a change of rank of -2).
    months = [Period(2024, month=m) for m in (1, 2, 3)]
    quarter = Period(2024, quarter=1)
    obs = Observations(
        [row("C1", month, 5 + m, 5, 1, 1) for m, month in enumerate(months)]
        + [row("C3", month, 1, 9, 1, 1) for month in months]
        + [row("C2", quarter, 9, 1, 1, 1)],
        hierarchy=tree(),
    )
    rankings = rank_periods(plan(), tree(), obs, within="D")
    assert [r.period for r in rankings] == ["2024-Q1", "2024-01", "2024-02", "2024-03"]
    _, january, february, march = rankings
    assert all(row.previous_rank is None for row in january)  # nothing ended before January
    assert {row.unit: row.previous_rank for row in february} == {row.unit: row.rank for row in january}
    assert {row.unit: row.previous_rank for row in march} == {row.unit: row.rank for row in february}
    assert [r.period for r in iter_rank_periods(plan(), tree(), obs, within="D")] == [
        r.period for r in rankings
    ]
