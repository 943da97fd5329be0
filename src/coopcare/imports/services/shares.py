"""Importing members' share history: subscriptions and payments, through the members app's
forms and services (``subscribe``, ``record_payment``), which keep the ledger append-only.

A row names the member by email, or by full name when it gives none. An entry is matched by
member, kind, date, shares or amount and reference; a file may hold the same entry twice (two
equal instalments on one day), so the n-th equal row matches the n-th equal entry of the
ledger, and only rows beyond the entries already there are recorded. The subscription and
payment a member made on applying (imported with the register) match such rows too.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopcare.cooperatives.models import Role
from coopcare.imports.rules import Column
from coopcare.imports.services.common import Context, Kind, Outcome, check_form, column_error
from coopcare.members.forms import PaymentForm, SubscriptionForm
from coopcare.members.models import Member, ShareEntry, ShareEntryKind
from coopcare.members.services import record_payment, subscribe

COLUMNS = (
    Column("email", gettext_lazy("Member's email")),
    Column("full_name", gettext_lazy("Member's full name")),
    Column("kind", gettext_lazy("Kind (subscription or payment)"), required=True),
    Column("on", gettext_lazy("Date"), required=True),
    Column("shares", gettext_lazy("Shares subscribed")),
    Column("amount", gettext_lazy("Amount paid")),
    Column("reference", gettext_lazy("Reference")),
)
SUBSCRIPTION_FIELDS = {"shares": "shares", "on": "on"}
PAYMENT_FIELDS = {"amount": "amount", "on": "on", "reference": "reference"}


def _member(context: Context, row: dict[str, str]) -> Member:
    register = Member.objects.filter(cooperative=context.cooperative)
    if row.get("email"):
        found = register.filter(email__iexact=row["email"]).first()
    elif row.get("full_name"):
        found = register.filter(full_name__iexact=row["full_name"]).first()
    else:
        found = None
    if found is None:
        raise column_error(
            "email" if row.get("email") else "full_name",
            _("No one on the register has this email or name; import the register first."),
            "unknown_member",
        )
    return found


def enter(context: Context, row: dict[str, str]) -> tuple[str, str]:
    """Record the row's subscription or payment unless the ledger has it already."""
    member = _member(context, row)
    key = f"{row.get('email') or row.get('full_name')} {row.get('on', '')}"
    kind = row.get("kind", "").strip().lower()
    if kind == ShareEntryKind.SUBSCRIPTION:
        fields = check_form(SubscriptionForm(row), SUBSCRIPTION_FIELDS)
        entry = {"shares": fields["shares"], "reference": ""}
    elif kind == ShareEntryKind.PAYMENT:
        fields = check_form(PaymentForm(row), PAYMENT_FIELDS)
        entry = {"paid": fields["amount"], "reference": fields["reference"]}
    else:
        raise column_error("kind", _("Write subscription or payment."), "unknown_share_entry_kind")
    signature = (member.pk, kind, fields["on"], *sorted(entry.items()))
    context.seen[signature] += 1
    recorded = ShareEntry.objects.filter(member=member, kind=kind, on=fields["on"], **entry)
    if recorded.count() >= context.seen[signature]:
        return Outcome.UNCHANGED, key
    if kind == ShareEntryKind.SUBSCRIPTION:
        subscribe(member, fields["shares"], fields["on"], recorded_by=context.by)
    else:
        record_payment(
            member, fields["amount"], fields["on"], fields["reference"], recorded_by=context.by
        )
    return Outcome.CREATE, key


KIND = Kind(
    key="shares",
    label=gettext_lazy("Share history"),
    columns=COLUMNS,
    roles=(Role.BOARD, Role.COORDINATOR),
    matched_by="email",
    enter=enter,
)
