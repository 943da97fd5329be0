"""A person's complete data as plain JSON values (GDPR art. 15 access, art. 20 portability).

Moments are given on the cooperative's clock, with its UTC offset, so that the day a reader
sees is the day it happened there (a visit at 00:30 is stored at 23:30 UTC the day before).
"""

from datetime import datetime

from django.forms.models import model_to_dict

from coopcare.care.models import DoorAccess
from coopcare.care.services import DOOR_ACCESS_FIELDS
from coopcare.visits.zones import on_cooperative_clock


def _rows(queryset, cooperative, exclude=("id", "person")):
    return [
        {k: _plain(v, cooperative) for k, v in model_to_dict(obj).items() if k not in exclude}
        for obj in queryset
    ]


def _plain(value, cooperative):
    if isinstance(value, datetime) and value.tzinfo is not None:
        return on_cooperative_clock(value, cooperative).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):
        return [getattr(v, "pk", v) for v in value]
    if value is None or isinstance(value, bool | int | str | dict):
        return value
    return str(value)


def person_data(person) -> dict:
    """Everything coopcare holds about ``person``: record, history, consents, circle,
    assessments, care plans with tasks, visits and what was recorded on them, incidents, the
    changes to the record, signatures, who read the record, and what a carer must know at the
    door."""
    cooperative = person.cooperative
    return {
        "person": {
            k: _plain(v, cooperative)
            for k, v in model_to_dict(person).items()
            if k not in ("cooperative", "preferred_carers", "refused_carers")
        }
        | {
            "preferred_carers": [str(u.get_full_name()) for u in person.preferred_carers.all()],
            "refused_carers": [str(u.get_full_name()) for u in person.refused_carers.all()],
        },
        "status_history": _rows(
            person.statuses.all(), cooperative, exclude=("id", "person", "recorded_by")
        ),
        "consents": _rows(
            person.consents.all(), cooperative, exclude=("id", "person", "recorded_by")
        ),
        "circle": _rows(person.circle.all(), cooperative, exclude=("id", "person", "user")),
        "assessments": _rows(
            person.assessments.all(), cooperative, exclude=("id", "person", "assessor")
        ),
        "care_plans": [
            {
                "version": plan.version,
                "valid_from": plan.valid_from.isoformat(),
                "goals": plan.goals,
                "tasks": _rows(plan.tasks.all(), cooperative, exclude=("id", "plan")),
            }
            for plan in person.plans.prefetch_related("tasks")
        ],
        "visits": [
            {
                "starts_at": _plain(v.starts_at, cooperative),
                "ends_at": _plain(v.ends_at, cooperative),
                "task": v.task.title,
                "status": v.status,
                "carers": [c.get_full_name() for c in v.carers.all()],
            }
            for v in person.visits.select_related("task").prefetch_related("carers")
        ],
        "visit_records": [
            r.evv()
            | {
                "notes": r.notes,
                "verified_how": r.verified_how,
                "steps": [
                    {"step": o.step, "done": o.done, "reason": o.reason} for o in r.outcomes.all()
                ],
            }
            for r in person.visit_records.select_related("carer").prefetch_related("outcomes")
        ],
        "incidents": _rows(
            person.incidents.all(),
            cooperative,
            exclude=("id", "person", "cooperative", "visit", "reported_by"),
        ),
        "record_changes": [
            {
                "at": _plain(c.edit.at, cooperative),
                "by": c.edit.user.get_full_name(),
                "field": c.field,
                "old": c.old,
                "new": c.new,
            }
            for c in person.changes.select_related("edit__user")
        ],
        "signatures": [
            {
                "signed_at": _plain(s.signed_at, cooperative),
                "signer_name": s.signer_name,
                "capacity": s.capacity,
                "typed_name": s.typed_name,
                "drawing": s.drawing_data_url,
                "content": s.content,
                "content_sha256": s.content_sha256,
                "collected_by": s.collected_by.get_full_name(),
            }
            for s in person.signatures.select_related("collected_by")
        ],
        "record_reads": [
            {"at": _plain(r.at, cooperative), "by": r.user.get_full_name(), "what": r.record}
            for r in person.reads.select_related("user")
        ],
        "at_the_door": _door(person, cooperative),
    }


def _door(person, cooperative) -> dict:
    """Conditions, advance decisions and access. The key safe code is left out, only whether
    there is one: an export leaves the cooperative's hands, and the code opens the home."""
    door = DoorAccess.objects.filter(person=person).first()
    access = {name: getattr(door, name) if door else "" for name in DOOR_ACCESS_FIELDS}
    access["key_safe"] = bool(access.pop("key_safe_code"))
    return {
        "conditions": _rows(
            person.conditions.all(), cooperative, exclude=("id", "person", "position")
        ),
        "advance_decisions": _rows(
            person.advance_decisions.all(), cooperative, exclude=("id", "person", "position")
        ),
        "access": access,
    }
