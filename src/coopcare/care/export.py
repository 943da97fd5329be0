"""A person's complete data as plain JSON values (GDPR art. 15 access, art. 20 portability),
and the download that bundles it with the files it names.

Moments are given on the cooperative's clock, with its UTC offset, so that the day a reader
sees is the day it happened there (a visit at 00:30 is stored at 23:30 UTC the day before).

Care writes the sections of its own records here. Each app that keeps more about a person
(medication, risks, documents...) adds its sections from its ``AppConfig.ready`` with
``on_export``, and the files they name with ``on_export_files``, so that care imports none of
the apps that build on it (as ``visits.conditions`` does for check-out).
"""

import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from io import BytesIO
from typing import IO, Any

from django.forms.models import model_to_dict

from coopcare.care.models import DoorAccess
from coopcare.care.services import DOOR_ACCESS_FIELDS
from coopcare.visits.zones import on_cooperative_clock

Section = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class BundledFile:
    """A file that goes into the download beside the data, at ``path`` (``open`` gives its
    bytes): the data names the same path."""

    path: str
    open: Callable[[], IO[bytes]]


FileSection = Callable[[Any], Iterable[BundledFile]]

_SECTIONS: list[Section] = []
_FILES: list[FileSection] = []


def on_export(section: Section) -> Section:
    """Register ``section(person)``, which returns the app's keys of the person's data (once
    per function, so that ``ready`` running twice in tests registers nothing twice)."""
    if section not in _SECTIONS:
        _SECTIONS.append(section)
    return section


def on_export_files(files: FileSection) -> FileSection:
    """Register ``files(person)``, which gives the files of the person that the download
    carries beside the data (a document's versions, say)."""
    if files not in _FILES:
        _FILES.append(files)
    return files


def plain(value, cooperative):
    """``value`` as a JSON value: a moment on the cooperative's clock, a date in ISO form."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return on_cooperative_clock(value, cooperative).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):
        return [getattr(v, "pk", v) for v in value]
    if value is None or isinstance(value, bool | int | str | dict):
        return value
    return str(value)


def rows(queryset, cooperative, exclude=("id", "person")) -> list[dict[str, Any]]:
    """Each object's fields as plain values, less ``exclude``."""
    return [
        {k: plain(v, cooperative) for k, v in model_to_dict(obj).items() if k not in exclude}
        for obj in queryset
    ]


def name(user) -> str:
    """How the export names someone who did something: their full name, else their login."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _what_was_signed(signature) -> dict[str, Any]:
    if signature.plan_id is not None:
        return {"care_plan_version": signature.plan.version}
    return {"consent": signature.consent.kind}


def signature_drawing_path(signature) -> str:
    """Where a signature's drawing is in the download."""
    return f"signatures/signature-{signature.pk}.png"


def _care(person) -> dict[str, Any]:
    cooperative = person.cooperative
    return {
        "person": {
            k: plain(v, cooperative)
            for k, v in model_to_dict(person).items()
            if k not in ("cooperative", "preferred_carers", "refused_carers")
        }
        | {
            "preferred_carers": [str(u.get_full_name()) for u in person.preferred_carers.all()],
            "refused_carers": [str(u.get_full_name()) for u in person.refused_carers.all()],
        },
        "status_history": rows(
            person.statuses.all(), cooperative, exclude=("id", "person", "recorded_by")
        ),
        "consents": rows(
            person.consents.all(), cooperative, exclude=("id", "person", "recorded_by")
        ),
        "circle": rows(person.circle.all(), cooperative, exclude=("id", "person", "user")),
        "assessments": rows(
            person.assessments.all(), cooperative, exclude=("id", "person", "assessor")
        ),
        "care_plans": [
            {
                "version": plan.version,
                "valid_from": plan.valid_from.isoformat(),
                "goals": plan.goals,
                "tasks": rows(plan.tasks.all(), cooperative, exclude=("id", "plan")),
            }
            for plan in person.plans.prefetch_related("tasks")
        ],
        "visits": [
            {
                "starts_at": plain(v.starts_at, cooperative),
                "ends_at": plain(v.ends_at, cooperative),
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
        "incidents": rows(
            person.incidents.all(),
            cooperative,
            exclude=("id", "person", "cooperative", "visit", "reported_by"),
        ),
        "record_changes": [
            {
                "at": plain(c.edit.at, cooperative),
                "by": c.edit.user.get_full_name(),
                "field": c.field,
                "old": c.old,
                "new": c.new,
            }
            for c in person.changes.select_related("edit__user")
        ],
        "record_edits": [
            {
                "at": plain(e.at, cooperative),
                "by": name(e.user),
                "what": e.record,
                "fields": e.changed,
                "via": e.via,
            }
            for e in person.edits.select_related("user")
        ],
        "signatures": [
            {
                "signed_at": plain(s.signed_at, cooperative),
                "signer_name": s.signer_name,
                "capacity": s.capacity,
                "typed_name": s.typed_name,
                "drawing": s.drawing_data_url,
                "drawing_file": signature_drawing_path(s) if s.drawn else None,
                "content": s.content,
                "content_sha256": s.content_sha256,
                "collected_by": s.collected_by.get_full_name(),
            }
            | _what_was_signed(s)
            for s in person.signatures.select_related("collected_by", "plan", "consent")
        ],
        "record_reads": [
            {
                "at": plain(r.at, cooperative),
                "by": r.user.get_full_name(),
                "what": r.record,
                "via": r.via,
            }
            for r in person.reads.select_related("user")
        ],
        "at_the_door": _door(person, cooperative),
    }


def _door(person, cooperative) -> dict:
    """Conditions, advance decisions and access. The key safe code is left out, only whether
    there is one: an export leaves the cooperative's hands, and the code opens the home."""
    door = DoorAccess.objects.filter(person=person).first()
    access = {field: getattr(door, field) if door else "" for field in DOOR_ACCESS_FIELDS}
    access["key_safe"] = bool(access.pop("key_safe_code"))
    return {
        "conditions": rows(
            person.conditions.all(), cooperative, exclude=("id", "person", "position")
        ),
        "advance_decisions": rows(
            person.advance_decisions.all(), cooperative, exclude=("id", "person", "position")
        ),
        "access": access,
    }


def _drawings(person) -> Iterable[BundledFile]:
    for signature in person.signatures.exclude(drawing=None):
        yield BundledFile(
            signature_drawing_path(signature), partial(BytesIO, bytes(signature.drawing))
        )


def person_data(person) -> dict[str, Any]:
    """Everything coopcare holds about ``person``: record, history, consents, circle,
    assessments, care plans with tasks, visits and what was recorded on them, incidents, the
    changes and edits of the record, signatures, who read the record, and every section the
    other apps registered (medication, risks, goals and reviews, documents...)."""
    data = _care(person)
    for section in _SECTIONS:
        part = section(person)
        # One key, one owner: a section never silently replaces another's.
        if clash := data.keys() & part.keys():
            raise ValueError(f"Export sections clash on {sorted(clash)}")
        data |= part
    return data


def person_files(person) -> list[BundledFile]:
    """The files the download carries beside the data: signatures' drawings and every file
    the other apps registered."""
    files = list(_drawings(person))
    for section in _FILES:
        files.extend(section(person))
    return files


def person_bundle(person) -> IO[bytes]:
    """The person's data as ``data.json`` in a ZIP archive with every file it names, for
    the download (GDPR art. 20: data and files in a common, machine-readable form).

    The archive is written to a temporary file (in memory while small) rather than held
    whole, since a person's documents may run to many megabytes."""
    # Handed back open: the response that sends it closes it.
    bundle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(person_data(person), indent=2, ensure_ascii=False))
        for file in person_files(person):
            with file.open() as source, archive.open(file.path, "w") as target:
                while chunk := source.read(1024 * 1024):
                    target.write(chunk)
    bundle.seek(0)
    return bundle
