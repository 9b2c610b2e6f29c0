"""Helpers shared by the strategies. Internal module."""

from __future__ import annotations

import functools
import math
from collections.abc import Hashable
from typing import TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

__all__ = ["chance", "check_rate", "some_of"]

T = TypeVar("T", bound=Hashable)

_SCALE = 100  # a coarse scale: Hypothesis draws from it about uniformly


def check_rate(name: str, rate: float) -> None:
    """Raise ``InvalidArgument`` unless ``rate`` is a probability."""
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 1:
        raise InvalidArgument(f"{name} must be a number from 0 to 1, got {rate!r}")


def chance(rate: float) -> st.SearchStrategy[bool]:
    """``True`` about ``rate`` of the time, in steps of 1 % (never at 0, always at 1); shrinks to False."""
    if rate <= 0:
        return st.just(False)
    if rate >= 1:
        return st.just(True)
    cut = _SCALE - max(1, round(rate * _SCALE))
    return st.integers(0, _SCALE - 1).map(lambda n: n >= cut)


@functools.cache
def some_of(items: tuple[T, ...], rate: float) -> st.SearchStrategy[frozenset[T]]:
    """A subset of ``items`` in which each item is about ``rate`` of the time, as if each were picked
    by :func:`chance`, but in few draws: the size from one binomial draw, then that many items.
    Shrinks to the empty set."""
    n = len(items)
    if rate <= 0 or n == 0:
        return st.just(frozenset())
    if rate >= 1:
        return st.just(frozenset(items))
    # The size: the binomial(n, rate) quantile of one draw from 0..99.
    cumulative, bounds = 0.0, []
    for k in range(n + 1):
        cumulative += math.comb(n, k) * rate**k * (1 - rate) ** (n - k)
        bounds.append(cumulative)
    sizes = [
        next((k for k, bound in enumerate(bounds) if (u + 0.5) / _SCALE <= bound), n) for u in range(_SCALE)
    ]
    pickers = {
        k: st.lists(st.sampled_from(items), min_size=k, max_size=k, unique=True).map(frozenset)
        for k in set(sizes)
    }
    return st.integers(0, _SCALE - 1).flatmap(lambda u: pickers[sizes[u]])
