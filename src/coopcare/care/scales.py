"""Standard assessment scales as structured items, each answered with one of its options.

- Katz Index of Independence in Activities of Daily Living (Katz et al., "Studies of illness
  in the aged. The Index of ADL", JAMA 1963;185(12):914-919; Katz et al., "Progress in
  development of the index of ADL", The Gerontologist 1970;10(1):20-30), in the form of the
  Hartford Institute for Geriatric Nursing's "Try This" issue 2: six functions, each answered
  "independence" (no supervision, direction or personal assistance: 1 point) or "dependence"
  (0 points). Total 0-6: 6 = full function, 2 or less = severe functional impairment.
- Lawton Instrumental Activities of Daily Living scale (Lawton & Brody, "Assessment of older
  people: self-maintaining and instrumental activities of daily living", The Gerontologist
  1969;9(3):179-186), in the form of the Hartford Institute's "Try This" issue 23: eight
  domains, each answered with the option that describes the person's highest level of
  functioning; every option scores 1 or 0 as published (so "needs help with all home
  maintenance tasks" still scores 1, while "shops independently for small purchases" scores 0).
  Total 0-8. The 1969 scale scored men on five domains only (food preparation, housekeeping
  and laundry were left out, total 0-5); that practice is abandoned, and coopcare scores
  everyone on all eight domains, as the Hartford Institute's current form does.

A scale is scored only when every item is answered: an item left out is not a 0, it is
unknown, and a total made of unknowns would understate what the person can do.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a str, or a lazily translated one


@dataclass(frozen=True)
class Option:
    """One published answer to an item, with the points the scale gives it."""

    text: "StrOrPromise"
    points: int


@dataclass(frozen=True)
class Item:
    """One activity of a scale and its answers, from the most to the least independent."""

    label: "StrOrPromise"
    options: dict[str, Option]


@dataclass(frozen=True)
class Scale:
    name: "StrOrPromise"
    items: dict[str, Item]

    @property
    def max_score(self) -> int:
        """The total of a person independent in every item."""
        return sum(max(o.points for o in item.options.values()) for item in self.items.values())


def _katz(label, independent, dependent) -> Item:
    return Item(
        label,
        {"independent": Option(independent, 1), "dependent": Option(dependent, 0)},
    )


SCALES: dict[str, Scale] = {
    "katz_adl": Scale(
        _("Katz ADL"),
        {
            "bathing": _katz(
                _("Bathing"),
                _("Bathes self completely, or needs help only with one part of the body."),
                _(
                    "Needs help with more than one part of the body, or to get in or out of the "
                    "tub or shower, or is bathed completely."
                ),
            ),
            "dressing": _katz(
                _("Dressing"),
                _("Gets clothes and puts them on, fasteners included; may have help tying shoes."),
                _("Needs help to dress, or is dressed completely."),
            ),
            "toileting": _katz(
                _("Toileting"),
                _(
                    "Goes to the toilet, gets on and off, arranges clothes and cleans self "
                    "without help."
                ),
                _(
                    "Needs help to transfer to the toilet or to clean self, or uses a bedpan or "
                    "commode."
                ),
            ),
            "transferring": _katz(
                _("Transferring"),
                _("Moves in and out of bed or chair unassisted; mechanical aids are acceptable."),
                _("Needs help to move from bed to chair, or a complete transfer."),
            ),
            "continence": _katz(
                _("Continence"),
                _("Controls urination and defecation completely."),
                _("Is partially or totally incontinent of bowel or bladder."),
            ),
            "feeding": _katz(
                _("Feeding"),
                _("Gets food from plate to mouth without help; others may prepare the food."),
                _("Needs partial or total help to eat, or is fed parenterally."),
            ),
        },
    ),
    "lawton_iadl": Scale(
        _("Lawton IADL"),
        {
            "telephone": Item(
                _("Using the telephone"),
                {
                    "own_initiative": Option(
                        _("Uses the telephone on own initiative: looks up and dials numbers."), 1
                    ),
                    "well_known_numbers": Option(_("Dials a few well-known numbers."), 1),
                    "answers_only": Option(_("Answers the telephone but does not dial."), 1),
                    "does_not_use": Option(_("Does not use the telephone at all."), 0),
                },
            ),
            "shopping": Item(
                _("Shopping"),
                {
                    "independently": Option(
                        _("Takes care of all shopping needs independently."), 1
                    ),
                    "small_purchases": Option(
                        _("Shops independently for small purchases only."), 0
                    ),
                    "accompanied": Option(_("Needs to be accompanied on any shopping trip."), 0),
                    "unable": Option(_("Is completely unable to shop."), 0),
                },
            ),
            "food_preparation": Item(
                _("Preparing food"),
                {
                    "independently": Option(
                        _("Plans, prepares and serves adequate meals independently."), 1
                    ),
                    "if_supplied": Option(
                        _("Prepares adequate meals if supplied with the ingredients."), 0
                    ),
                    "inadequate_diet": Option(
                        _(
                            "Heats and serves prepared meals, or prepares meals but does not keep "
                            "an adequate diet."
                        ),
                        0,
                    ),
                    "needs_meals": Option(_("Needs to have meals prepared and served."), 0),
                },
            ),
            "housekeeping": Item(
                _("Housekeeping"),
                {
                    "alone": Option(
                        _("Keeps the house alone, or with occasional help for heavy work."), 1
                    ),
                    "light_tasks": Option(
                        _("Does light daily tasks such as washing dishes or making the bed."), 1
                    ),
                    "light_tasks_not_clean": Option(
                        _("Does light daily tasks but cannot keep the house acceptably clean."),
                        1,
                    ),
                    "needs_help_with_all": Option(
                        _("Needs help with all home maintenance tasks."), 1
                    ),
                    "does_not_take_part": Option(
                        _("Does not take part in any housekeeping tasks."), 0
                    ),
                },
            ),
            "laundry": Item(
                _("Laundry"),
                {
                    "all_own": Option(_("Does all personal laundry."), 1),
                    "small_items": Option(_("Washes small items such as socks."), 1),
                    "by_others": Option(_("All laundry must be done by others."), 0),
                },
            ),
            "transportation": Item(
                _("Transportation"),
                {
                    "independently": Option(
                        _("Travels independently on public transport or drives own car."), 1
                    ),
                    "taxi": Option(
                        _(
                            "Arranges own travel by taxi, but does not otherwise use public "
                            "transport."
                        ),
                        1,
                    ),
                    "public_accompanied": Option(
                        _("Travels on public transport when accompanied by someone."), 1
                    ),
                    "taxi_or_car_assisted": Option(
                        _("Travels only by taxi or car, with someone's help."), 0
                    ),
                    "does_not_travel": Option(_("Does not travel at all."), 0),
                },
            ),
            "medications": Item(
                _("Taking medications"),
                {
                    "responsible": Option(
                        _("Takes own medication in the right doses at the right times."), 1
                    ),
                    "if_prepared": Option(
                        _("Takes own medication if it is prepared in advance in separate doses."),
                        0,
                    ),
                    "not_capable": Option(_("Is not capable of taking own medication."), 0),
                },
            ),
            "finances": Item(
                _("Handling finances"),
                {
                    "independently": Option(
                        _(
                            "Manages money independently: budgets, pays rent and bills, goes to "
                            "the bank, keeps track of income."
                        ),
                        1,
                    ),
                    "day_to_day": Option(
                        _(
                            "Manages day-to-day purchases, but needs help with banking and major "
                            "purchases."
                        ),
                        1,
                    ),
                    "incapable": Option(_("Is incapable of handling money."), 0),
                },
            ),
        },
    ),
}


class NotScorable(ValueError):
    """Why a scale's answers give no total: ``code`` names the problem, ``items`` the keys."""

    def __init__(self, code: str, items: list[str]):
        super().__init__(f"{code}: {', '.join(items)}")
        self.code = code
        self.items = items


def is_answer(item: Item, value) -> bool:
    """Whether ``value`` is one of ``item``'s options (older yes/no ticks are not)."""
    return isinstance(value, str) and value in item.options


def unanswered(scale: str, items: dict) -> list[str]:
    """The scale's items not answered with one of their options, in the scale's order."""
    return [key for key, item in SCALES[scale].items.items() if not is_answer(item, items.get(key))]


def score(scale: str, items: dict) -> int:
    """The scale's total: the points of the option chosen for each item.

    Raises :class:`NotScorable` for a key that is no item of the scale (``unknown_item``), a
    value that is none of the item's options (``invalid_answer``), or an item left out
    (``incomplete``): a missing item is never counted as 0.
    """
    expected = SCALES[scale].items
    if unknown := sorted(set(items) - set(expected)):
        raise NotScorable("unknown_item", unknown)
    if invalid := [k for k, v in items.items() if not is_answer(expected[k], v)]:
        raise NotScorable("invalid_answer", invalid)
    if missing := unanswered(scale, items):
        raise NotScorable("incomplete", missing)
    return sum(expected[key].options[value].points for key, value in items.items())
