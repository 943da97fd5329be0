"""Model fields several apps declare the same way."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


def percent_field(label, default, help_text="") -> models.DecimalField:
    """A percentage from 0 to 100 with two decimals."""
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=help_text,
    )
