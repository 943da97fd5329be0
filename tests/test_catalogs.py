"""The five languages: every visible string is marked for translation and translated, and
the compiled catalogs match their sources. Run ``coopcare catalogs`` after changing strings."""

from coopcare import catalogs


def test_every_visible_string_is_marked_and_translated_in_every_language():
    problems = catalogs.check()
    assert not problems, "\n".join(map(str, problems[:50]))


def test_unmarked_template_text_is_found():
    template = (
        '{% load i18n %}<p>Hello {{ name }}</p><img alt="A chart of visits">'
        "<p>{% translate 'Marked' %} CSV 9:00–10:00</p>"
        "{% blocktranslate %}Marked as a whole {{ x }}{% endblocktranslate %}"
        '<script>const word = "hidden";</script>'
    )
    assert catalogs.unmarked_template_text(template) == ["Hello", "chart of visits"]


def test_unmarked_python_strings_people_read_are_found():
    source = """
class Kind(models.TextChoices):
    A = "a", "Alpha"
    B = "b", _("Beta")
name = forms.CharField(label="Name", help_text=_("Marked"))
raise ValidationError("Something is wrong")
messages.success(request, _("Saved"))
title = models.CharField("title", max_length=5)
key = {"internal": "not shown"}
"""
    assert [value for _line, value in catalogs.unmarked_python_literals(source)] == [
        "Alpha",
        "Name",
        "Something is wrong",
        "title",
    ]
