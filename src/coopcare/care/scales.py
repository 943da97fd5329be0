"""Standard assessment scales as structured items.

- Katz Index of Independence in Activities of Daily Living (Katz et al., JAMA 1963): six
  activities, 1 point each when done independently; 6 = full function, 2 or less = severe
  impairment.
- Lawton Instrumental Activities of Daily Living scale (Lawton & Brody, Gerontologist 1969):
  eight activities, 1 point each; 8 = independent.
"""

from django.utils.translation import gettext_lazy as _

SCALES = {
    "katz_adl": {
        "name": _("Katz ADL"),
        "items": {
            "bathing": _("Bathing"),
            "dressing": _("Dressing"),
            "toileting": _("Toileting"),
            "transferring": _("Transferring"),
            "continence": _("Continence"),
            "feeding": _("Feeding"),
        },
    },
    "lawton_iadl": {
        "name": _("Lawton IADL"),
        "items": {
            "telephone": _("Using the telephone"),
            "shopping": _("Shopping"),
            "food_preparation": _("Preparing food"),
            "housekeeping": _("Housekeeping"),
            "laundry": _("Laundry"),
            "transportation": _("Transportation"),
            "medications": _("Taking medications"),
            "finances": _("Handling finances"),
        },
    },
}


def score(scale: str, items: dict[str, bool]) -> int:
    """The scale's score: one point per activity done independently."""
    expected = SCALES[scale]["items"]
    unknown = set(items) - set(expected)
    if unknown:
        raise ValueError(f"Not items of {scale}: {', '.join(sorted(unknown))}")
    return sum(1 for key in expected if items.get(key))
