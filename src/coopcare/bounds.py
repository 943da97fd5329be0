"""Bounds on what people and programs may send: dates, times, counts and money.

Every value that reaches a service or the database is bounded at the edge, in the API's
schemas (the types below) and in the forms (``DayField``, ``MomentField``). Outside these
bounds a request gets a 4xx naming the field; inside them, date arithmetic cannot overflow
(Python's dates end in year 9999) and every number fits its column, so a page that shows it
later cannot break.
"""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, Field, WithJsonSchema

# A care record, a contract or a share entry: nothing a cooperative keeps is dated outside.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)
# The largest key a database integer column holds (PostgreSQL bigint, SQLite INTEGER).
LARGEST_ID = 2**63 - 1
# Counts of things a person enters (shares, minutes, kilometres): far above any real use,
# far below what a 32-bit column holds.
LARGEST_COUNT = 1_000_000
# Money a person enters in one go: ten digits before the cent fit every money column.
LARGEST_AMOUNT = Decimal("99999999.99")


def _in_years(moment: datetime) -> datetime:
    if not FIRST_DAY.year <= moment.year <= LAST_DAY.year:
        raise ValueError(f"must fall between {FIRST_DAY.year} and {LAST_DAY.year}")
    return moment


Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]
# A time of day on the cooperative's clock, with no offset ("09:00:00"): RFC 3339 calls this
# a partial-time; its "time" format would require an offset the API never sends.
ClockTime = Annotated[
    time, WithJsonSchema({"type": "string", "format": "partial-time", "example": "09:00:00"})
]
Moment = Annotated[datetime, AfterValidator(_in_years)]
Id = Annotated[int, Field(ge=1, le=LARGEST_ID)]
Count = Annotated[int, Field(ge=0, le=LARGEST_COUNT)]
PositiveCount = Annotated[int, Field(ge=1, le=LARGEST_COUNT)]
Money = Annotated[Decimal, Field(ge=0, le=LARGEST_AMOUNT, max_digits=10, decimal_places=2)]
PositiveMoney = Annotated[Decimal, Field(gt=0, le=LARGEST_AMOUNT, max_digits=10, decimal_places=2)]


def day_in_bounds(day: date) -> None:
    """A validator for a day a person typed: between 1900 and 2100."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            _("Give a date between the years %(first)s and %(last)s."),
            code="out_of_range",
            params={"first": FIRST_DAY.year, "last": LAST_DAY.year},
        )


def moment_in_bounds(moment: datetime) -> None:
    """A validator for a date and time a person typed: between 1900 and 2100."""
    day_in_bounds(moment.date())


class DayField(forms.DateField):
    """A date a person types, between 1900 and 2100."""

    default_validators = [day_in_bounds]


class MomentField(forms.DateTimeField):
    """A date and time a person types, between 1900 and 2100."""

    default_validators = [moment_in_bounds]


def bounded_formfield(db_field, **kwargs):
    """A ModelForm's field for ``db_field`` (its ``Meta.formfield_callback``): dates and times
    bounded like those above, integers by the model field's own range (the model's validators
    hold the column's range, but forms whose services do the model's checks never run them)."""
    if isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", MomentField)
    elif isinstance(db_field, models.DateField):
        kwargs.setdefault("form_class", DayField)
    elif isinstance(db_field, models.IntegerField):
        highest = [v.limit_value for v in db_field.validators if isinstance(v, MaxValueValidator)]
        if highest:
            kwargs.setdefault("max_value", min(highest))
    return db_field.formfield(**kwargs)
