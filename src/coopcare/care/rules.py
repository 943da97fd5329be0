"""Pure checks on a person's record: the carers they choose or refuse, and what a signature
must hold. No database; each rule cites its source."""

import hashlib
import json
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# A signature drawn on a phone's or a tablet's screen is a few kilobytes; far more is not a
# signature, and every one is kept for good.
SIGNATURE_MAX_BYTES = 200_000


def carer_choice_problems(
    preferred: Collection[int], refused: Collection[int], carers: Collection[int]
) -> list[ValidationError]:
    """What is wrong with the carers a person chose (``preferred``) and refused, given the
    ids of the cooperative's carers.

    Source: the person's own choice, which the roster follows (a refused carer is a hard
    rule, a chosen one a soft one: ``rostering/rules.py``); a carer cannot be both, and only
    the cooperative's own carers can be either.
    """
    problems = []
    if set(preferred) & set(refused):
        problems.append(
            ValidationError(
                _("A carer cannot be both preferred and refused."),
                code="carer_preferred_and_refused",
            )
        )
    if (set(preferred) | set(refused)) - set(carers):
        problems.append(
            ValidationError(
                _("Only the cooperative's own carers can be chosen or refused."),
                code="carer_not_in_cooperative",
            )
        )
    return problems


def signature_problems(
    signer_name: str, drawing: bytes | None, typed_name: str, confirmed: bool
) -> list[ValidationError]:
    """What is wrong with a signature: who signs, and either a drawing (a PNG image, at most
    ``SIGNATURE_MAX_BYTES``) or their full name typed with the box ticked that confirms it.

    Source: Regulation (EU) 910/2014 (eIDAS) art. 3(10), an electronic signature is data the
    signatory uses to sign, attached to what is signed, and art. 25(1), which gives it legal
    effect; GDPR art. 7(1), the cooperative must be able to show who consented. A typed name
    is a signature only with the signer's explicit confirmation that it is one.
    """
    problems = []
    if not signer_name.strip():
        problems.append(
            ValidationError(_("Give the name of the person who signs."), code="signer_missing")
        )
    if drawing is not None:
        if not drawing.startswith(PNG_MAGIC):
            problems.append(
                ValidationError(_("The drawn signature is not a PNG image."), code="not_png")
            )
        if len(drawing) > SIGNATURE_MAX_BYTES:
            problems.append(
                ValidationError(
                    _("The drawn signature is too large (at most %(kb)s kB).")
                    % {"kb": SIGNATURE_MAX_BYTES // 1000},
                    code="signature_too_large",
                )
            )
    elif not typed_name.strip():
        problems.append(
            ValidationError(
                _("Sign: draw the signature, or type the full name and confirm it."),
                code="signature_missing",
            )
        )
    if drawing is None and typed_name.strip() and not confirmed:
        problems.append(
            ValidationError(
                _("Tick the box that confirms the typed name is the signature."),
                code="signature_not_confirmed",
            )
        )
    return problems


def snapshot(content: dict) -> tuple[str, str]:
    """The text kept of what was signed (JSON with its keys sorted, so the same content
    always gives the same text) and its SHA-256, in hex.

    Source: eIDAS art. 26(d), an advanced signature is linked to the data signed so that any
    later change of the data is detectable; the digest of the snapshot shows that.
    """
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, indent=2)
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()
