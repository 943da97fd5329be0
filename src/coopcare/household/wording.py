"""The contributions of a household payslip in the reader's language."""

from django.utils.translation import gettext_lazy as _

LINES = {
    "common": _("Common contingencies"),
    "common_reduction": _("Reduction on common contingencies"),
    "large_family_bonus": _("Large family bonus on common contingencies"),
    "mei": _("Intergenerational equity mechanism (MEI)"),
    "accidents": _("Accidents at work and occupational disease"),
    "unemployment": _("Unemployment"),
    "fogasa": _("Wage guarantee fund (FOGASA)"),
    "unemployment_fogasa_bonus": _("Bonus on unemployment and FOGASA"),
}
PAYERS = {"employer": _("employer"), "worker": _("worker")}


def line_label(line: dict) -> str:
    """A payslip line's name and who pays it: "Unemployment (worker)"."""
    return f"{LINES[line['key']]} ({PAYERS[line['payer']]})"
