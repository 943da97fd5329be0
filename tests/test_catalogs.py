"""The five languages: every visible string is marked for translation and translated, and
the compiled catalogs match their sources. Run ``coopcare catalogs`` after changing strings."""

import io

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

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
reverses = models.OneToOneField("self", on_delete=models.PROTECT)
key = {"internal": "not shown"}
"""
    assert [value for _line, value in catalogs.unmarked_python_literals(source)] == [
        "Alpha",
        "Name",
        "Something is wrong",
        "title",
    ]


def _catalog(translation: str) -> Catalog:
    catalog = Catalog(locale="it", domain="django", project="coopcare")
    catalog.add("Visits", translation)
    catalog.add("Pay", "Paga", flags=["fuzzy"])
    return catalog


def test_a_compiled_catalog_is_compared_by_its_messages_not_its_bytes():
    # Babel 2.19 writes another Generated-By header than the release that compiled the
    # committed catalogs: the same messages must still count as up to date.
    catalog = _catalog("Visite")
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    other_release = _catalog("Visite")
    other_release.fuzzy = False
    other_release.version = "other"
    assert catalogs.compiled_matches(compiled.getvalue(), other_release)
    assert not catalogs.compiled_matches(compiled.getvalue(), _catalog("Passaggi"))


def test_fuzzy_entries_are_left_out_of_the_comparison_as_compiling_leaves_them_out():
    catalog = _catalog("Visite")
    with_fuzzy = io.BytesIO()
    write_mo(with_fuzzy, catalog, use_fuzzy=True)
    assert not catalogs.compiled_matches(with_fuzzy.getvalue(), catalog)


def test_messages_translated_at_import_are_found():
    source = """
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
HELP = _("Said in the install's language")
class Form:
    field = Field(help_text=gettext_lazy("At most %(days)s days.") % {"days": 14})
    kept = Field(help_text=gettext_lazy("Lazy, so said in the reader's language"))
    def page(self, shown=_("A default, made at import")):
        return _("Said when the page is made")
"""
    assert catalogs.import_time_translations(source) == [
        (4, "gettext"),
        (6, "gettext_lazy(...) % ..."),
        (8, "gettext"),
    ]


def test_no_message_is_translated_at_import():
    problems = list(catalogs.translated_at_import())
    assert not problems, "\n".join(map(str, problems))
