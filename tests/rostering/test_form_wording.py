"""The run form's help is said in the reader's language, though the form is made at import."""

from django.utils import translation

from coopcare.rostering.forms import RunForm


def test_the_days_limit_reads_in_arabic():
    """Worked example: "At most 14 days." is "14 يوماً كحد أقصى." in Arabic; it
    used to stay English, translated once when the module was imported."""
    with translation.override("en"):
        english = str(RunForm().fields["last_day"].help_text)
    with translation.override("ar"):
        arabic = str(RunForm().fields["last_day"].help_text)
    assert english == "At most 14 days."
    assert arabic == "14 يوماً كحد أقصى."
