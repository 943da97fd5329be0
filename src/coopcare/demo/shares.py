"""Demo shares collected by SEPA direct debit: the cooperative's creditor identifier; four
members (families and supporters) who subscribed more shares, to pay in four monthly
instalments by direct debit under a signed mandate, each on an account of another country's
example IBAN; last month's collection made, one debit returned for lack of funds and the
others confirmed (their payments in the share ledger); this month's instalments, and the
returned one, due and ready to collect.

Everything goes through ``members.services``, as the office's pages do."""

from datetime import date, timedelta

from coopcare.members import rules, services
from coopcare.members.models import Member, MemberStatus, StakeholderKind

# The EPC's sample Italian creditor identifier and the Italian example IBAN.
CREDITOR_ID = "IT66ZZZA1B2C3D4E5F6G7H8"
CREDITOR_IBAN = "IT60X0542811101000000123456"
# The national example IBANs (each country's published specimen), one per member. A British
# account would need the member's postal address on the register too (outside the EEA).
DEBTOR_IBANS = [
    "ES9121000418450200051332",
    "FR1420041010050500013M02606",
    "DE89370400440532013000",
    "IT60X0542811101000000123456",
]


class DirectDebitSeeder:
    def __init__(self, today: date, cooperative, treasurer):
        self.today = today
        self.cooperative = cooperative
        self.treasurer = treasurer

    def run(self) -> dict[str, int]:
        """Seed the creditor, mandates, instalments and last month's collection; returns the
        counts for the summary."""
        first_of_month = self.today.replace(day=1)
        last_month = (first_of_month - timedelta(days=1)).replace(day=1)
        made_on = last_month + timedelta(days=2)
        subscribed_on = last_month - timedelta(days=30)
        services.set_creditor(
            self.cooperative, name=self.cooperative.name, identifier=CREDITOR_ID, iban=CREDITOR_IBAN
        )
        payers = Member.objects.filter(
            cooperative=self.cooperative,
            status=MemberStatus.ADMITTED,
            admitted_on__lt=subscribed_on,
            stakeholder_class__kind__in=[StakeholderKind.FAMILY, StakeholderKind.SUPPORTER],
        ).order_by("number")[: len(DEBTOR_IBANS)]
        for member, iban in zip(payers, DEBTOR_IBANS, strict=False):
            services.subscribe(member, 4, subscribed_on, recorded_by=self.treasurer)
            services.plan_instalments(member, 4, last_month, recorded_by=self.treasurer)
            services.sign_mandate(
                member,
                debtor_name=member.full_name,
                iban=iban,
                signed_on=subscribed_on,
                recorded_by=self.treasurer,
            )
        if not payers:
            return {"mandates": 0}
        collection = services.make_collection(
            self.cooperative,
            due_up_to=last_month,
            collection_date=rules.earliest_collection(made_on),
            made_by=self.treasurer,
            today=made_on,
        )
        services.return_debit(collection.debits.order_by("-pk")[0], "AM04")
        services.confirm_collection(collection, collection.collection_date, self.treasurer)
        return {"mandates": len(payers), "collections": 1}
