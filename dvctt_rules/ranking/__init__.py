"""Rankings for emulation and reward (thi đua, khen thưởng): units scored on the plan's scored rules,
ranked within their peer group, graded with the plan's bands and an optional quota on the top grade,
with the lists of units proposed for commendation and to be reminded.

Scoring schemes are plugins (:class:`Ranker`, entry-point group ``dvctt_rules.rankers``); the
library's default is :class:`PartialCredit` (``"partial-credit"``).

>>> sorted(RANKERS.names())[:2]
['all-or-nothing', 'partial-credit']
"""

from ._rank import Ranking, RankRow, competition_ranks, iter_rank_periods, rank, rank_periods
from ._rankers import RANKERS, AllOrNothing, PartialCredit, Ranker, RulePoints, Score, check_ranker

__all__ = [
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
]
