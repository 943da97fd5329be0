"""The home place a carer gives, where their working days start and end, and takes back."""

from django.db import transaction

from coopcare.cooperatives.models import Cooperative
from coopcare.work.models import CarerHome
from coopcare.work.services._common import check_worker


@transaction.atomic
def set_home(cooperative: Cooperative, carer, fields: dict) -> CarerHome:
    """Record (or change) where the carer's working days start and end, as the carer gives
    it: ``latitude``, ``longitude`` and an optional ``address``. Journeys from and to it are
    then working time (CJEU C-266/14 *Tyco*) and the planner starts and ends their days there.
    """
    check_worker(cooperative, carer)
    home = CarerHome.objects.select_for_update().filter(
        cooperative=cooperative, carer=carer
    ).first() or CarerHome(cooperative=cooperative, carer=carer)
    home.address = fields.get("address", "").strip()
    home.latitude, home.longitude = fields["latitude"], fields["longitude"]
    home.full_clean()
    home.save()
    return home


@transaction.atomic
def forget_home(cooperative: Cooperative, carer) -> bool:
    """Delete the carer's home place (the carer takes it back); whether there was one.
    Timesheets already built keep the journeys they counted."""
    deleted, _by_model = CarerHome.objects.filter(cooperative=cooperative, carer=carer).delete()
    return bool(deleted)
