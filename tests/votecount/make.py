"""Small helpers to write elections in tests: ``election(2, "40 Z>X>W", "4 X>Y")``."""

from coopcare.votecount import Ballot, Election


def election(seats: int, *lines: str, candidates: tuple[str, ...] = (), **extra) -> Election:
    """Each line is "<papers> <A>B>C>" (a blank ranking is written "<papers> -").

    Candidates are listed in the order given, else in the order they first appear."""
    ballots = []
    seen: list[str] = list(candidates)
    for line in lines:
        weight, ranking = line.split(" ", 1)
        names = () if ranking.strip() == "-" else tuple(n.strip() for n in ranking.split(">"))
        for name in names:
            if name not in seen:
                seen.append(name)
        ballots.append(Ballot(names, int(weight)))
    if "groups" in extra:  # tests share one table of groups; keep the candidates who stand
        extra["groups"] = {c: g for c, g in extra["groups"].items() if c in seen}
    return Election(tuple(seen), seats, tuple(ballots), **extra)
