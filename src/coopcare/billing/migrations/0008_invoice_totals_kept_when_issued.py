from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import migrations, models
from django.db.models import Sum

CENT = Decimal("0.01")


def keep_totals(apps, schema_editor):
    """Each issued invoice's and credit note's total, as ``Totals.of`` reckons it: the net
    of its lines per VAT rate, the VAT rounded once per rate, added up."""
    Invoice = apps.get_model("billing", "Invoice")
    InvoiceLine = apps.get_model("billing", "InvoiceLine")
    net: defaultdict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for invoice, rate, amount in (
        InvoiceLine.objects.filter(invoice__status="issued")
        .order_by()
        .values("invoice", "vat_rate")
        .annotate(net=Sum("amount"))
        .values_list("invoice", "vat_rate", "net")
    ):
        net[invoice].append((Decimal(rate), Decimal(amount).quantize(CENT)))
    issued = list(Invoice.objects.filter(status="issued").only("pk"))
    for invoice in issued:
        by_rate = net.get(invoice.pk, [])
        vat = sum(
            ((amount * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP) for rate, amount in by_rate),
            Decimal("0.00"),
        )
        invoice.total = sum((amount for _rate, amount in by_rate), Decimal("0.00")) + vat
    Invoice.objects.bulk_update(issued, ["total"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0007_invoice_lines_that_bill_no_visit"),
        ("care", "0010_circle_may_message"),
        ("cooperatives", "0003_forms_of_care_changes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="invoice",
            name="total",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                editable=False,
                max_digits=12,
                null=True,
                verbose_name="total",
            ),
        ),
        migrations.RunPython(keep_totals, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="invoice",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "draft"), ("total__isnull", False), _connector="OR"),
                name="invoice_issued_has_total",
            ),
        ),
    ]
