"""The translation catalogs, kept with Babel alone (no system gettext tools): extract every
marked string from the code and templates, merge them into each language's ``django.po``,
compile ``django.mo`` (committed, so an install needs no build step), and check that nothing
visible is left unmarked or untranslated. ``coopcare catalogs`` runs these; a test runs the
check, so CI fails on a string someone forgot."""

import ast
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TypeGuard

from babel.messages import extract as babel
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils.translation.template import templatize

SOURCE = Path(__file__).resolve().parent
LOCALE = SOURCE / "locale"
DOMAIN = "django"
# Code whose strings people do not read in the app: the planner speaks English to the
# benchmarks (the app words its reasons in rostering.wording), the demo's data is Italian
# sample content, and migrations copy the models' own (marked) strings.
NOT_SHOWN = ("planner/", "demo/", "migrations/", "management/", "catalogs.py")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
# Words that read the same in every language: names of file formats and of the software.
SAME_IN_EVERY_LANGUAGE = {"coopcare", "CSV", "XLSX", "PDF", "API", "iCalendar", "OpenAPI", "TOTP"}


def languages() -> list[str]:
    """The languages with a catalog: all but the source language (English)."""
    return [code for code, _name in settings.LANGUAGES if code != "en"]


def _sources() -> Iterator[Path]:
    for path in sorted(SOURCE.rglob("*")):
        relative = path.relative_to(SOURCE).as_posix()
        shown = path.suffix == ".py" or (
            path.suffix in (".html", ".txt") and "/templates/" in f"/{relative}"
        )
        if shown and not any(part in relative for part in NOT_SHOWN):
            yield path


def _template_as_python(text: str, origin: str) -> bytes:
    # Django turns a template into Python-like calls for xgettext; Babel's tokenizer wants
    # no indentation, and the line numbers stay as they were.
    python = templatize(text, origin=origin)
    return "\n".join(line.lstrip() for line in python.splitlines()).encode()


def extract() -> Catalog:
    """Every string marked for translation, with where it is used."""
    catalog = Catalog(project="coopcare", domain=DOMAIN)
    for path in _sources():
        text = path.read_text()
        source = text.encode() if path.suffix == ".py" else _template_as_python(text, str(path))
        for line, message, comments, context in babel.extract(
            "python", io.BytesIO(source), keywords=KEYWORDS, strip_comment_tags=True
        ):
            catalog.add(
                message,
                locations=[(path.relative_to(SOURCE).as_posix(), line)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(language: str) -> Catalog:
    with po_path(language).open("rb") as po:
        return read_po(po, locale=language, domain=DOMAIN)


def update(language: str, template: Catalog) -> Catalog:
    """Merge the extracted strings into the language's catalog, keeping translations."""
    path = po_path(language)
    if path.exists():
        catalog = read(language)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale=language, domain=DOMAIN, project="coopcare")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    write(language, catalog)
    return catalog


def write(language: str, catalog: Catalog) -> None:
    with po_path(language).open("wb") as po:
        write_po(po, catalog, width=100, sort_output=False, omit_header=False)


def compile_catalog(language: str) -> None:
    """Write the binary catalog Django reads (``django.mo``) from ``django.po``."""
    po_path(language).with_suffix(".mo").write_bytes(_compiled(read(language)))


# -- the check ---------------------------------------------------------------------------


@dataclass
class Problem:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def check() -> list[Problem]:
    """Everything that keeps a page from being read in every language."""
    problems = [*unmarked_in_templates(), *unmarked_in_python(), *translated_at_import()]
    template = extract()
    wanted = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in template if m.id}
    for language in languages():
        if not po_path(language).exists():
            problems.append(Problem(language, "no catalog (run: coopcare catalogs)"))
            continue
        catalog = read(language)
        have = {(m.id if isinstance(m.id, str) else m.id[0], m.context): m for m in catalog if m.id}
        for key in sorted(wanted - have.keys(), key=str):
            problems.append(Problem(language, f"not in the catalog: {key[0]!r}"))
        for key, message in have.items():
            if key not in wanted:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                problems.append(Problem(language, f"not translated: {key[0]!r}"))
            elif message.python_format and not _same_placeholders(message):
                problems.append(Problem(language, f"placeholders differ: {key[0]!r}"))
        mo = po_path(language).with_suffix(".mo")
        if not mo.exists() or not compiled_matches(mo.read_bytes(), catalog):
            problems.append(Problem(language, "django.mo is out of date (coopcare catalogs)"))
    return problems


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def _same_placeholders(message) -> bool:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
    # A plural form may leave out the count ("one visit"), never use a name not given.
    return all(set(PLACEHOLDER.findall(s)) <= wanted for s in strings)


def _compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _messages(catalog: Catalog) -> dict:
    # The header (the empty msgid) names the Babel release that wrote the file; another
    # release writes other bytes for the same messages, so only the messages are compared.
    def frozen(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value

    return {(m.context, frozen(m.id)): frozen(m.string) for m in catalog if m.id}


def compiled_matches(compiled: bytes, catalog: Catalog) -> bool:
    """Whether ``compiled`` (a ``django.mo``) holds exactly the translations of ``catalog``
    (fuzzy entries left out, as compiling leaves them out), whatever Babel release wrote it."""
    found = read_mo(io.BytesIO(compiled))
    wanted = read_mo(io.BytesIO(_compiled(catalog)))
    return _messages(found) == _messages(wanted)


# Text between these template tags is translated as a whole, or never shown.
_MARKED_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
}
_READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "label"}


class _VisibleText(HTMLParser):
    """Collects the text of a template a person would read: element text and readable
    attributes, outside <script> and <style>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.found += [value for name, value in attrs if name in _READ_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.found.append(data)


def _readable(text: str) -> str | None:
    words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if w not in SAME_IN_EVERY_LANGUAGE]
    return " ".join(words) if words else None


def unmarked_in_templates() -> Iterator[Problem]:
    """Template text with words in it that is not inside a translation tag."""
    for path in _sources():
        if path.suffix != ".py":
            for words in unmarked_template_text(path.read_text(), html=path.suffix == ".html"):
                yield Problem(path.relative_to(SOURCE).as_posix(), f"not marked: {words!r}")


def unmarked_template_text(text: str, html: bool = True) -> list[str]:
    """The words of ``text`` (a template) that a reader sees untranslated."""
    masked, closing = [], None
    for token in Lexer(text).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if closing is None and name in _MARKED_BLOCKS:
                closing = _MARKED_BLOCKS[name]
            elif name == closing:
                closing = None
            masked.append(" ")
        elif token.token_type == TokenType.TEXT and closing is None:
            masked.append(token.contents)
        else:
            masked.append(" ")
    found = ["".join(masked)]
    if html:
        parser = _VisibleText()
        parser.feed(found[0])
        found = parser.found
    return [words for words in map(_readable, found) if words]


# Calls and keywords whose string arguments people read.
_SHOWN_CALLS = {"ValidationError", "HttpError", "PermissionDenied", "Http404"}
_SHOWN_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
_MESSAGES = {"debug", "info", "success", "warning", "error"}


def unmarked_in_python() -> Iterator[Problem]:
    """Literal strings given where people read them: form labels and help, model names,
    error messages, flash messages and the labels of choices."""
    for path in _sources():
        if path.suffix == ".py":
            where = path.relative_to(SOURCE).as_posix()
            for line, value in unmarked_python_literals(path.read_text()):
                yield Problem(f"{where}:{line}", f"not marked: {value!r}")


def translated_at_import() -> Iterator[Problem]:
    """Messages translated when their module is imported, in the language active then (the
    install's, usually English), so every reader gets that language."""
    for path in _sources():
        if path.suffix == ".py":
            where = path.relative_to(SOURCE).as_posix()
            for line, call in import_time_translations(path.read_text()):
                yield Problem(f"{where}:{line}", f"translated at import: {call}")


_TRANSLATIONS = {"gettext", "ngettext", "pgettext", "npgettext"}


def import_time_translations(source: str) -> list[tuple[int, str]]:
    """(line, call) for each message that ``source`` translates outside a function: a plain
    ``gettext`` (however imported) at module or class level, or a lazy one that ``%`` fills
    there, which translates it on the spot."""
    tree = ast.parse(source)
    names = {
        alias.asname or alias.name: alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
    }

    def translation(node) -> str | None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            real = names.get(node.func.id)
            if real in _TRANSLATIONS or (real and real.removesuffix("_lazy") in _TRANSLATIONS):
                return real
        return None

    found = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            # Their bodies run when called; what they are given by default runs now.
            pending.extend(d for d in [*node.args.defaults, *node.args.kw_defaults] if d)
            pending.extend(getattr(node, "decorator_list", []))
            continue
        if isinstance(node, ast.Call) and (real := translation(node)) in _TRANSLATIONS:
            found.append((node.lineno, str(real)))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            filled = translation(node.left)
            if filled and filled not in _TRANSLATIONS:
                found.append((node.lineno, f"{filled}(...) % ..."))
        pending.extend(ast.iter_child_nodes(node))
    return sorted(found)


def unmarked_python_literals(source: str) -> list[tuple[int, str]]:
    """(line, string) for each unmarked string in ``source`` that people would read."""
    return [
        (literal.lineno, literal.value)
        for node in ast.walk(ast.parse(source))
        for literal in _shown_literals(node)
        if isinstance(literal.value, str) and _readable(literal.value)
    ]


def _shown_literals(node) -> Iterator[ast.Constant]:
    def literal(value) -> TypeGuard[ast.Constant]:
        return isinstance(value, ast.Constant) and isinstance(value.value, str)

    if isinstance(node, ast.Call):
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        owner = getattr(getattr(node.func, "value", None), "id", None)
        args = node.args
        if name in _SHOWN_CALLS:
            yield from (a for a in args if literal(a))
        if owner == "messages" and name in _MESSAGES and len(args) > 1 and literal(args[1]):
            yield args[1]
        # A field's first argument is its label, except a relation's: the model it points to.
        field = owner == "models" and name and name.endswith("Field")
        relation = name in ("OneToOneField", "ManyToManyField")
        if field and not relation and args and literal(args[0]):
            yield args[0]
        yield from (k.value for k in node.keywords if k.arg in _SHOWN_KEYWORDS and literal(k.value))
    if isinstance(node, ast.ClassDef) and any(
        getattr(base, "attr", None) in ("TextChoices", "IntegerChoices") for base in node.bases
    ):
        for statement in node.body:
            value = getattr(statement, "value", None)
            if isinstance(statement, ast.Assign) and isinstance(value, ast.Tuple):
                yield from (e for e in value.elts[1:] if literal(e))
