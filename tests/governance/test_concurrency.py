"""One vote per member and a proxy cap that hold under simultaneous requests (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from coopcare.governance.models import Ballot, Proxy, VoterRoll
from coopcare.governance.services.proxies import give_proxy
from coopcare.governance.services.questions import propose_motion
from coopcare.governance.services.voting import cast_vote, open_vote
from tests.governance.conftest import online_window

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locks between real connections (PostgreSQL; CI runs it)",
)


def _all_at_once(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_votes_of_one_member_record_one(coop, members):
    opens, closes = online_window()
    motion = propose_motion(
        coop, title="X", text="X", secret=True, opens_at=opens, closes_at=closes
    )
    open_vote(motion)
    voter = members["Workers"][0]
    choices = ["for", "against", "for", "abstain"]
    outcomes = _all_at_once([lambda c=c: cast_vote(motion, voter, choice=c) for c in choices])
    assert outcomes == ["ok", "refused", "refused", "refused"]
    assert VoterRoll.objects.count() == 1 and Ballot.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_proxies_do_not_pass_the_cap(assembly, members):
    holder, *givers = members["Workers"]
    outcomes = _all_at_once([lambda g=g: give_proxy(assembly, g, holder) for g in givers])
    assert outcomes == ["ok", "ok", "refused"]
    assert Proxy.objects.filter(holder=holder).count() == 2
