"""The demo's ``family`` login: the relative the demo's circle features are shown through."""

from coopcare.care.models import CircleMember


def family_grant(cooperative, **grants) -> CircleMember | None:
    """The ``family`` login's grant on a person of ``cooperative`` (with ``grants``, e.g.
    ``may_message=True``), its person and user loaded; None where the demo has none."""
    return (
        CircleMember.objects.filter(
            person__cooperative=cooperative, user__username="family", **grants
        )
        .select_related("person", "user")
        .first()
    )
