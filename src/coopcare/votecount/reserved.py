"""Seats reserved for groups of candidates, in one count over all the ballots.

Some elections need at least so many seats for a group: a cooperative's board may need a
worker member and a member from the circle of the people cared for. Counting each group apart
would count every ballot twice; instead the one STV count is constrained, using the method the
Electoral Reform Society set out (Grey and Fitzgerald's booklet) and the Church of England
adopted in its 1981 regulations, as described by I. D. Hill, "STV with constraints",
*Voting matters* 9 (May 1998), and by J. Otten, "STV with multiple constraints",
*Voting matters* 13 (April 2001):

* a candidate is **doomed** when electing them could no longer leave a conformant result;
  doomed candidates are excluded at once (here: when the seats left equal the seats still owed
  to groups, every continuing candidate outside those groups is doomed, and a candidate who
  reaches the quota while doomed is deemed excluded instead of elected);
* a candidate is **guarded** when they must be elected for a conformant result (here: when a
  group has no more continuing candidates than the seats it is still owed); when the lowest
  candidate is to be excluded, the lowest candidate who is not guarded is chosen.

Each candidate is in at most one group and only minimums are set, so the one-constraint form of
the method is exact (Hill's enumeration of cases is only needed for crossing constraints).
Hill argues that this approach is wrong in principle (it accepts ordinary STV's result whenever
that happens to meet the constraints) and proposes a more elaborate method; the Grey–Fitzgerald
rules are used here because they are the published rules in use, can be checked by hand, and
count every ballot once.
"""

from collections.abc import Iterable, Mapping

from coopcare.votecount.model import CountError


class Reservations:
    """The groups with a minimum number of seats, and the tests the count asks of them."""

    def __init__(self, groups: Mapping[str, str], minimum: Mapping[str, int]):
        for group, n in minimum.items():
            if not isinstance(n, int) or n < 0:
                raise CountError(
                    f"the reserved seats for {group} must be a whole number, 0 or more"
                )
        self.group_of = dict(groups)
        self.minimum = {g: n for g, n in minimum.items() if n > 0}

    def __bool__(self) -> bool:
        return bool(self.minimum)

    def check(self, candidates: Iterable[str], seats: int) -> None:
        """Refuse reservations that no count could meet."""
        candidates = list(candidates)
        unknown = sorted(set(self.group_of) - set(candidates))
        if unknown:
            raise CountError(f"groups name candidates who do not stand: {', '.join(unknown)}")
        total = sum(self.minimum.values())
        if total > seats:
            raise CountError(f"{total} seats are reserved but only {seats} are to be filled")
        for group, n in self.minimum.items():
            standing = sum(1 for c in candidates if self.group_of.get(c) == group)
            if standing < n:
                raise CountError(
                    f"{n} seats are reserved for {group} but only {standing} of its "
                    "candidates stand"
                )

    def owed(self, elected: Iterable[str]) -> dict[str, int]:
        """Seats each group is still owed, given who is elected."""
        owed = dict(self.minimum)
        for c in elected:
            group = self.group_of.get(c)
            if group in owed and owed[group] > 0:
                owed[group] -= 1
        return {g: n for g, n in owed.items() if n > 0}

    def doomed(self, elected: list[str], continuing: Iterable[str], seats: int) -> list[str]:
        """Continuing candidates who cannot be elected if the reservations are to be met."""
        if not self:
            return []
        owed = self.owed(elected)
        if sum(owed.values()) < seats - len(elected):
            return []
        return [c for c in continuing if self.group_of.get(c) not in owed]

    def would_be_doomed(self, candidate: str, elected: list[str], seats: int) -> bool:
        """Electing ``candidate`` now would leave too few seats for the groups still owed."""
        if not self:
            return False
        owed = self.owed(elected)
        return self.group_of.get(candidate) not in owed and sum(owed.values()) >= seats - len(
            elected
        )

    def guarded(self, elected: list[str], continuing: Iterable[str]) -> set[str]:
        """Continuing candidates who must all be elected for a group to get its seats."""
        if not self:
            return set()
        owed = self.owed(elected)
        continuing = list(continuing)
        guarded: set[str] = set()
        for group, n in owed.items():
            members = [c for c in continuing if self.group_of.get(c) == group]
            if len(members) <= n:
                guarded.update(members)
        return guarded

    def order_matters(self, elected: list[str], reaching: list[str], seats: int) -> bool:
        """Whether the order in which ``reaching`` (all at the quota at once) are elected
        decides who is elected: only if electing them all would break a reservation.

        Electing a candidate of a group still owed seats lowers the seats owed and the seats
        left alike; electing anyone else lowers only the seats left. So the shortfall after
        electing them all does not depend on the order, and a candidate is only ever deemed
        excluded when that final shortfall is positive.
        """
        if not self:
            return False
        after = list(elected) + list(reaching)
        return sum(self.owed(after).values()) > seats - len(after)
