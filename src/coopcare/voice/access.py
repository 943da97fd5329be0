"""Who gives, reads and shares feedback, and who files, follows and takes the steps of a
complaint.

- Feedback on a visit is given by a circle member whose grant lets them see the person's
  visits. Coordinators read all of it; a carer reads the feedback on their own visits that a
  coordinator shared with them; an author reads their own. Feedback is part of the person's
  care record: every read is logged.
- A complaint is filed by a circle member of the person (any active grant) or by a
  coordinator on someone's behalf. Coordinators and the board read the register; a
  complainant follows their own complaints. Coordinators acknowledge, investigate, answer and
  close; the complainant (or a coordinator on their behalf) appeals; the board decides an
  appeal, which closes it. Reads of a complaint are logged in the care record read log.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from coopcare.care import access as care_access
from coopcare.care.models import CircleMember, PersonCaredFor
from coopcare.cooperatives.models import Role
from coopcare.visits.models import Visit
from coopcare.voice import rules
from coopcare.voice.models import Complaint, Feedback, Step

FEEDBACK_RECORD = "feedback"
COMPLAINT_RECORD = "complaint"
FEEDBACK_READERS = (Role.COORDINATOR, Role.CARER, Role.CIRCLE)
FILERS = (Role.COORDINATOR, Role.CIRCLE)
REGISTER = (Role.COORDINATOR, Role.BOARD)
COMPLAINT_READERS = (Role.COORDINATOR, Role.BOARD, Role.CIRCLE)
SURVEY_READERS = (Role.COORDINATOR, Role.BOARD, Role.CIRCLE, Role.CARER)
# Who reads the surveys and their results (coordinators also open, close and take answers by
# phone).
SURVEY_OFFICE = (Role.COORDINATOR, Role.BOARD)


def grant_of(user, cooperative, person_id: int) -> CircleMember:
    """The active circle grant of ``user`` for the person; 404 otherwise."""
    return care_access.circle_grant(user, cooperative, person_id)


def visits_grant(user, cooperative, person_id: int) -> CircleMember:
    """The circle grant of ``user`` that lets them see the person's visits; 404 otherwise."""
    grant = care_access.circle_grant(user, cooperative, person_id)
    if not grant.may_see_visits:
        raise Http404
    return grant


def feedback_visit(user, cooperative, visit_id: int) -> Visit:
    """A visit ``user`` may give feedback on (a visit of a person whose visits their circle
    grant shows); 404 otherwise."""
    visit = (
        Visit.objects.filter(pk=visit_id, cooperative=cooperative).select_related("person").first()
    )
    if visit is None:
        raise Http404
    visits_grant(user, cooperative, visit.person_id)
    return visit


def feedback_of_person(user, cooperative, roles, person_id: int) -> tuple[PersonCaredFor, bool]:
    """The person whose feedback ``user`` may read, and whether they read all of it (a
    coordinator) or only their own (a circle member granted the visits); 404 otherwise."""
    if Role.COORDINATOR in roles:
        person = PersonCaredFor.objects.filter(pk=person_id, cooperative=cooperative).first()
        if person is None:
            raise Http404
        return person, True
    if Role.CIRCLE in roles:
        return visits_grant(user, cooperative, person_id).person, False
    raise Http404


def shareable_feedback(cooperative, feedback_id: int) -> Feedback:
    """Feedback of the cooperative, for a coordinator to share or not; 404 otherwise."""
    feedback = (
        Feedback.objects.filter(pk=feedback_id, cooperative=cooperative)
        .select_related("person")
        .first()
    )
    if feedback is None:
        raise Http404
    return feedback


def carer_feedback_scope(user, cooperative, roles, carer_id: int) -> bool:
    """Whether ``user`` may read the feedback on ``carer_id``'s visits, and if so whether
    only the shared part (True for the carer themself). Coordinators read it all; a carer
    reads their own shared feedback; anyone else gets 404."""
    if Role.COORDINATOR in roles:
        if not cooperative.roles.filter(user_id=carer_id, role=Role.CARER).exists():
            raise Http404
        return False
    if Role.CARER in roles and carer_id == user.pk:
        return True
    raise Http404


def filing_for(
    user, cooperative, roles, person_id: int
) -> tuple[PersonCaredFor, CircleMember | None]:
    """The person a complaint may be filed about by ``user``, and the circle grant it is
    filed under (None for a coordinator filing on someone's behalf); 404 otherwise."""
    if Role.COORDINATOR in roles:
        person = PersonCaredFor.objects.filter(pk=person_id, cooperative=cooperative).first()
        if person is None:
            raise Http404
        return person, None
    if Role.CIRCLE in roles:
        grant = care_access.circle_grant(user, cooperative, person_id)
        return grant.person, grant
    raise Http404


def complaints_visible_to(user, cooperative, roles) -> QuerySet[Complaint]:
    """The complaints ``user`` may read: all of the cooperative's for coordinators and the
    board, a complainant's own for a circle member."""
    complaints = Complaint.objects.filter(cooperative=cooperative)
    if Role.COORDINATOR in roles or Role.BOARD in roles:
        return complaints
    if Role.CIRCLE in roles:
        return complaints.filter(complainant=user)
    return complaints.none()


def visible_complaint(user, cooperative, roles, complaint_id: int) -> Complaint:
    """The complaint, if ``user`` may read it; 404 otherwise."""
    complaint = (
        complaints_visible_to(user, cooperative, roles)
        .filter(pk=complaint_id)
        .select_related("person", "carer")
        .prefetch_related("steps__by")
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def may_take(user, roles, complaint: Complaint, step: str) -> bool:
    """Whether ``user`` may take ``step`` on the complaint, the order of the steps aside
    (the rules say why a step is out of order)."""
    if step == Step.APPEALED:
        return Role.COORDINATOR in roles or complaint.complainant_id == user.pk
    if step == Step.CLOSED and complaint.status == Step.APPEALED:
        return Role.BOARD in roles
    return Role.COORDINATOR in roles


def steps_open_to(user, roles, complaint: Complaint) -> list[str]:
    """The steps ``user`` may take next on the complaint."""
    return [s for s in rules.NEXT_STEPS[complaint.status] if may_take(user, roles, complaint, s)]


def check_step(user, roles, complaint: Complaint, step: str) -> None:
    """Raise PermissionDenied unless ``user`` may take ``step`` on the complaint."""
    if not may_take(user, roles, complaint, step):
        raise PermissionDenied


def log_read(user, person: PersonCaredFor, record: str, via: str = "web") -> None:
    """Record that ``user`` read the person's feedback or complaint."""
    care_access.log_read(user, person, record, via=via)


def log_reads(user, people, record: str, via: str = "web") -> None:
    """Record that ``user`` read the feedback or complaints of each of ``people``."""
    care_access.log_reads(user, people, record, via=via)
