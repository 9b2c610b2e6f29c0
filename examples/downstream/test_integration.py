"""A downstream project's property tests, written with the public building blocks of dvctt_rules.testing."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dvctt_rules import DataError
from dvctt_rules.observations import load_observations
from dvctt_rules.rules import evaluate
from dvctt_rules.testing import (
    TRICKY_HIERARCHY,
    check_verdicts,
    hierarchies,
    invalid_observation_files,
    observations,
    plans,
)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_verdicts_agree_with_the_counts(data: st.DataObject) -> None:
    hierarchy = data.draw(hierarchies(max_size=12))
    counts = data.draw(observations(hierarchy, unknown_rate=0.1, zero_denominator_rate=0.05))
    plan = data.draw(plans(hierarchy))
    report = evaluate(plan, hierarchy, counts)
    check_verdicts(report, plan, hierarchy, counts)


@settings(max_examples=25, deadline=None)
@given(invalid_observation_files(TRICKY_HIERARCHY))
def test_bad_uploads_are_refused_with_located_problems(case: tuple[str, bytes]) -> None:
    kind, content = case
    with pytest.raises(DataError) as refused:
        load_observations(content, TRICKY_HIERARCHY, format="csv")
    assert refused.value.problems, kind
