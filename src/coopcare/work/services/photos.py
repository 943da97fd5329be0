"""A carer's photo of themselves: given, replaced or deleted by the carer, and their agreement
that the people they serve and their circles see it, given and withdrawn.

The photo is decoded and encoded again with Pillow, as a JPEG that fits ``rules.PHOTO_SIDE``:
only the picture is kept, never the metadata the camera wrote beside it (EXIF: the place, the
time, the device). It goes to Django's ``default`` storage under a name coopcare makes, and
is read back only through ``work.access.photo_response``.
"""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from coopcare.cooperatives.models import Cooperative
from coopcare.work import rules
from coopcare.work.models import CarerPhoto
from coopcare.work.services._common import check_worker


def _reencoded(file) -> bytes:
    """The picture of ``file`` as a JPEG without metadata, or the coded problem."""
    size = file.size or 0
    image_format, width, height = None, 0, 0
    image = None
    if 0 < size <= rules.PHOTO_MAX_BYTES:
        file.seek(0)
        try:
            with warnings.catch_warnings():
                # Pillow warns, then refuses, past its own pixel limit: the rule says it first.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(file)
            image_format, (width, height) = image.format, image.size
        except Image.DecompressionBombError:
            image_format, width, height = "JPEG", rules.PHOTO_MAX_PIXELS, 2
        except (UnidentifiedImageError, OSError):
            image_format = None
    problems = rules.photo_problems(
        size=size, image_format=image_format, width=width, height=height
    )
    # No problem means Pillow opened the image.
    if problems or image is None:
        raise ValidationError(problems)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # The camera's orientation applied to the pixels, since its tag is not kept.
            picture = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, ValueError, SyntaxError) as broken:
        raise ValidationError(
            _("The photo could not be read; it may be damaged."), code="photo_not_an_image"
        ) from broken
    picture.thumbnail((rules.PHOTO_SIDE, rules.PHOTO_SIDE))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _drop_file_after_commit(name: str) -> None:
    # After the commit: a transaction rolled back still needs the file its row names.
    transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def set_photo(cooperative: Cooperative, carer, file, now=None) -> CarerPhoto:
    """Keep ``file`` as the carer's photo, in place of the one they had (whose file is
    deleted). An agreement to show it still holds: the carer agreed to show their photo,
    and they choose which."""
    check_worker(cooperative, carer)
    content = _reencoded(file)
    name = default_storage.save(
        f"carer-photos/{cooperative.pk}/{uuid.uuid4().hex}.jpg", ContentFile(content)
    )
    photo = CarerPhoto.objects.select_for_update().filter(
        cooperative=cooperative, carer=carer
    ).first() or CarerPhoto(cooperative=cooperative, carer=carer)
    if photo.image:
        _drop_file_after_commit(photo.image.name)
    photo.image.name = name
    photo.uploaded_at = now or timezone.now()
    photo.save()
    return photo


def _photo(cooperative: Cooperative, carer) -> CarerPhoto:
    photo = (
        CarerPhoto.objects.select_for_update().filter(cooperative=cooperative, carer=carer).first()
    )
    if photo is None:
        raise ValidationError(_("You have no photo here yet."), code="photo_missing")
    return photo


@transaction.atomic
def show_photo(cooperative: Cooperative, carer, shown: bool, now=None) -> CarerPhoto:
    """The carer agrees (``shown``) that the people they serve and their circles see their
    photo, recorded with its moment, or withdraws that agreement, which hides it at once.
    Saying again what already holds changes nothing."""
    photo = _photo(cooperative, carer)
    now = now or timezone.now()
    if shown and photo.shown_since is None:
        photo.shown_since = now
    elif not shown and photo.shown_since is not None:
        photo.shown_since, photo.withdrawn_at = None, now
    photo.save(update_fields=["shown_since", "withdrawn_at"])
    return photo


@transaction.atomic
def delete_photo(cooperative: Cooperative, carer) -> None:
    """Delete the carer's photo, its file and their agreement with it."""
    photo = _photo(cooperative, carer)
    _drop_file_after_commit(photo.image.name)
    photo.delete()
