"""Counting ranked-ballot elections exactly, by published rules.

* ``count(election, method="scottish", lots=())`` counts an ``Election`` and returns a
  ``Result``: who is elected in order of election, the quota, every stage of the count, and the
  lots used or the lot still needed.
* Methods: ``"scottish"`` — Scottish STV, the Scottish Local Government Elections Order 2007,
  Schedule 1, rules 45–52 (with one seat it is instant-runoff voting under the same rules);
  ``"meek"`` — Meek STV under New Zealand's Local Electoral Regulations 2001, Schedule 1A.
* Seats reserved for groups of candidates are met within the one count (``reserved``).
* Lots are never drawn here: the caller passes the lots already drawn, and when the rules end
  in a lot not yet drawn the count stops and says so (``Result.lot_needed``).
* ``blt`` reads and writes the BLT ballot file format; ``cli`` is ``coopcare stv``.

This package is pure Python. It never imports Django or another coopcare app, so a member can
recount an election from its published ballots with nothing else installed.
"""

from collections.abc import Sequence

from coopcare.votecount.meek import count_meek
from coopcare.votecount.model import (
    ELECT,
    EXCLUDE,
    MEEK,
    METHODS,
    SCOTTISH,
    SURPLUS,
    Ballot,
    CountError,
    Election,
    LotDrawn,
    LotNeeded,
    Result,
    Stage,
)
from coopcare.votecount.scottish import count_scottish


def count(election: Election, method: str = SCOTTISH, lots: Sequence[str] = ()) -> Result:
    """Count ``election`` by ``method`` ("scottish" or "meek").

    ``lots`` are the lots already drawn for this election, in the order the count asked for
    them; each is the name of the candidate the lot picked (the one excluded, the one whose
    surplus goes first, or the one elected first). The same ballots and the same lots always
    give the same result. Raises ``CountError`` for an election that cannot be counted.
    """
    if method == SCOTTISH:
        return count_scottish(election, lots)
    if method == MEEK:
        return count_meek(election, lots)
    raise CountError(f"unknown counting method {method!r}; use one of {', '.join(METHODS)}")


__all__ = [
    "ELECT",
    "EXCLUDE",
    "MEEK",
    "METHODS",
    "SCOTTISH",
    "SURPLUS",
    "Ballot",
    "CountError",
    "Election",
    "LotDrawn",
    "LotNeeded",
    "Result",
    "Stage",
    "count",
    "count_meek",
    "count_scottish",
]
