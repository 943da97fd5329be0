"""The scales of the risk assessments, each with the source of its scoring, in the structure of
``care.scales`` (items, each answered with one of its options, the option's points).

Scored here, their items and scoring reproduced because they may be:

- Falls: the CDC's STEADI "Stay Independent" brochure, the twelve-question Fall Risk
  Questionnaire of Rubenstein et al., "Validating an evidence-based, self-rated fall risk
  questionnaire (FRQ) for older adults", Journal of Safety Research 2011;42(6):493-499. A work
  of the United States government (CDC and the Veterans Administration), in the public domain.
  "Yes" scores 2 on the first two questions and 1 on the others; a total of 4 or more: the
  person may be at risk of falling.
- Nutrition: the 'Malnutrition Universal Screening Tool' ('MUST') of BAPEN, "The 'MUST'
  Explanatory Booklet" (edited for BAPEN's Malnutrition Advisory Group by Todorovic, Russell,
  Stratton, Ward and Elia, 2003, revised 2011). Its scoring is
  published: step 1, BMI over 20 scores 0, 18.5-20 scores 1, under 18.5 scores 2; step 2,
  unplanned weight loss in the past 3-6 months under 5 % scores 0, 5-10 % scores 1, over 10 %
  scores 2; step 3, acutely ill with no nutritional intake, or likely none, for more than five
  days scores 2. Step 4, the overall risk: 0 low, 1 medium, 2 or more high. coopcare words the
  steps in its own words and does not reproduce BAPEN's form.
- Moving and handling: the four factors of the Manual Handling Operations Regulations 1992,
  schedule 1, as the HSE's guidance L23 lists them (the task, the individual's capability,
  the load: here the person, and the working environment). HSE gives no score: the total is
  how many factors are of concern, and the result that matters is the number of carers and
  the equipment, which the assessor records.
- Home environment: the hazards a home care visit meets, checked as the HSE's "Risk assessment:
  a brief guide to controlling risks in the workplace" (INDG163) asks (identify the hazards,
  who may be harmed, the precautions). The list is coopcare's own; the total is how many are
  of concern, and there is no band.

Entered, not reproduced: the Braden Scale (Bergstrom, Braden, Laguzza and Holman, "The Braden
Scale for predicting pressure sore risk", Nursing Research 1987;36(4):205-210; copyright
Barbara Braden and Nancy Bergstrom 1988, all rights reserved, its use in a product under the
licence of bradenscale.com) and the Waterlow score (copyright Judy Waterlow 1985, revised 2005;
the terms of its use are on judy-waterlow.co.uk). For these the assessor fills in the paper or
licensed form and records its total and band, with the scale named; coopcare keeps neither
their items nor their cut-offs. Braden totals run from 6 to 23 (six sub-scales, five scored
1-4 and one, friction and shear, 1-3); a Waterlow card's items add up to 64 at most, so a
total is a whole number from 0 to 64.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from coopcare.care.scales import Item, Option

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a str, or a lazily translated one


class Kind(models.TextChoices):
    """What a risk assessment is about."""

    FALLS = "falls", _("falls")
    MOVING_HANDLING = "moving_handling", _("moving and handling")
    SKIN = "skin", _("skin and pressure")
    HOME = "home", _("home environment")
    NUTRITION = "nutrition", _("nutrition")


class Band(models.TextChoices):
    """How high a risk is, in words every scale's result can be put in."""

    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    VERY_HIGH = "very_high", _("very high")


@dataclass(frozen=True)
class RiskScale:
    """A scale of one kind of risk. With ``items``, coopcare scores it and ``bands`` (the
    lowest total of each band, in order) give its band; without, the assessor enters the
    total (between ``lowest`` and ``highest``) and the band."""

    kind: Kind
    name: "StrOrPromise"
    source: str
    items: dict[str, Item] | None = None
    bands: tuple[tuple[int, Band], ...] = ()
    lowest: int = 0
    highest: int = 0

    @property
    def entered(self) -> bool:
        """Whether the total is entered by the assessor rather than scored here."""
        return self.items is None

    @property
    def max_score(self) -> int:
        """The highest total the scale gives."""
        if self.items is None:
            return self.highest
        return sum(max(o.points for o in i.options.values()) for i in self.items.values())


def _yes_no(label: "StrOrPromise", yes_points: int = 1) -> Item:
    return Item(label, {"no": Option(_("No"), 0), "yes": Option(_("Yes"), yes_points)})


def _concern(label: "StrOrPromise") -> Item:
    return Item(label, {"no": Option(_("No concern"), 0), "yes": Option(_("A concern"), 1)})


SCALES: dict[str, RiskScale] = {
    "steadi_frq": RiskScale(
        Kind.FALLS,
        _("STEADI Fall Risk Questionnaire"),
        "CDC STEADI, Stay Independent; Rubenstein et al., J Safety Res 2011;42(6):493-499",
        {
            "fallen": _yes_no(_("Has fallen in the past year."), 2),
            "walking_aid": _yes_no(
                _("Uses, or has been advised to use, a cane or walker to get around safely."), 2
            ),
            "unsteady": _yes_no(_("Sometimes feels unsteady when walking.")),
            "holds_furniture": _yes_no(
                _("Steadies self by holding onto furniture when walking at home.")
            ),
            "worried": _yes_no(_("Is worried about falling.")),
            "pushes_to_stand": _yes_no(_("Needs to push with the hands to stand up from a chair.")),
            "curb": _yes_no(_("Has some trouble stepping up onto a curb.")),
            "rushes_to_toilet": _yes_no(_("Often has to rush to the toilet.")),
            "feet_feeling": _yes_no(_("Has lost some feeling in the feet.")),
            "dizzying_medicine": _yes_no(
                _("Takes medicine that sometimes causes light-headedness or tiredness.")
            ),
            "sleep_mood_medicine": _yes_no(_("Takes medicine to help sleep or improve mood.")),
            "sad": _yes_no(_("Often feels sad or depressed.")),
        },
        bands=((0, Band.LOW), (4, Band.HIGH)),
    ),
    "must": RiskScale(
        Kind.NUTRITION,
        _("'MUST' (BAPEN)"),
        "BAPEN, The 'MUST' Explanatory Booklet (2003, revised 2011), steps 1 to 4",
        {
            "bmi": Item(
                _("Body mass index (kg/m²)"),
                {
                    "over_20": Option(_("Over 20 (over 30: obese)"), 0),
                    "18_5_to_20": Option(_("18.5 to 20"), 1),
                    "under_18_5": Option(_("Under 18.5"), 2),
                },
            ),
            "weight_loss": Item(
                _("Unplanned weight loss in the past 3 to 6 months"),
                {
                    "under_5": Option(_("Less than 5 %"), 0),
                    "5_to_10": Option(_("5 to 10 %"), 1),
                    "over_10": Option(_("More than 10 %"), 2),
                },
            ),
            "acute_disease": Item(
                _("Acute disease effect"),
                {
                    "no": Option(_("No"), 0),
                    "yes": Option(
                        _(
                            "Acutely ill, and no nutritional intake, or likely none, for more "
                            "than 5 days"
                        ),
                        2,
                    ),
                },
            ),
        },
        bands=((0, Band.LOW), (1, Band.MEDIUM), (2, Band.HIGH)),
    ),
    "handling_tile": RiskScale(
        Kind.MOVING_HANDLING,
        _("Moving and handling: task, individual, load, environment"),
        "Manual Handling Operations Regulations 1992, schedule 1; HSE guidance L23",
        {
            "task": _concern(_("The task (transfers, repositioning, bathing...)")),
            "individual": _concern(_("The carer's capability (strength, training, health)")),
            "load": _concern(
                _("The person (weight, how far they can help, pain, unpredictable movement)")
            ),
            "environment": _concern(_("The environment (space, floor, stairs, lighting)")),
        },
    ),
    "home_hazards": RiskScale(
        Kind.HOME,
        _("Home hazards"),
        "HSE, Risk assessment: a brief guide to controlling risks in the workplace (INDG163)",
        {
            "trip_hazards": _concern(_("Trip hazards: rugs, cables, clutter")),
            "lighting": _concern(_("Lighting in rooms, hall and stairs")),
            "stairs": _concern(_("Stairs and steps, handrails")),
            "bathroom": _concern(_("Bathroom: grab rails, slippery floor")),
            "smoke_alarm": _concern(_("No working smoke alarm")),
            "heating": _concern(_("Heating, gas and electrical appliances")),
            "animals": _concern(_("Animals in the home")),
            "access": _concern(_("Getting in: key safe, parking, lone working")),
        },
    ),
    "braden": RiskScale(
        Kind.SKIN,
        _("Braden Scale (total entered)"),
        "Bergstrom, Braden, Laguzza and Holman, Nursing Research 1987;36(4):205-210; "
        "copyright Braden and Bergstrom 1988, licensed: total and band entered",
        lowest=6,
        highest=23,
    ),
    "waterlow": RiskScale(
        Kind.SKIN,
        _("Waterlow score (total entered)"),
        "Waterlow, 1985, revised 2005; copyright of its author, total and band entered",
        lowest=0,
        highest=64,
    ),
}


def scales_for(kind: str) -> list[str]:
    """The keys of the scales of ``kind``, in the order they are offered."""
    return [key for key, scale in SCALES.items() if scale.kind == kind]
