"""Photos as a phone gives them, for the tests of carers' photos."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# EXIF tag numbers (EXIF 2.32, CIPA DC-008): the camera's make and the GPS block.
MAKE, GPS_INFO = 0x010F, 0x8825


def picture(size=(1200, 900), image_format="JPEG", name="me.jpg", exif=True) -> SimpleUploadedFile:
    """A photo as a phone gives it: large, with the camera's make and where it was taken."""
    image = Image.new("RGB", size, (200, 120, 80))
    metadata = Image.Exif()
    if exif:
        metadata[MAKE] = "PhoneMaker"
        metadata[GPS_INFO] = {1: "N", 2: (44.0, 29.0, 40.0)}
    out = io.BytesIO()
    image.save(out, format=image_format, exif=metadata.tobytes() if exif else b"")
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{image_format.lower()}")
