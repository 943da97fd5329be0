"""What the actions of work share."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coopcare.cooperatives.models import Cooperative
from coopcare.work.queries import workers


def check_worker(cooperative: Cooperative, user) -> None:
    """Refuse ``user`` unless they work for the cooperative (``not_a_worker``)."""
    if not workers(cooperative).filter(pk=user.pk).exists():
        raise ValidationError(
            _("%(name)s does not work for this cooperative.") % {"name": user}, code="not_a_worker"
        )
