"""``coopcare catalogs``: update the translation catalogs from the code and compile them;
``coopcare catalogs --check`` lists what is unmarked or untranslated (exit 1 if anything)."""

from django.core.management.base import BaseCommand, CommandError

from coopcare import catalogs


class Command(BaseCommand):
    help = "Update and compile the translation catalogs (Babel only), or check them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="only report unmarked or untranslated strings"
        )

    def handle(self, *args, check=False, **options):
        if not check:
            template = catalogs.extract()
            for language in catalogs.languages():
                catalog = catalogs.update(language, template)
                catalogs.compile_catalog(language)
                missing = sum(1 for m in catalog if m.id and (m.fuzzy or not _done(m)))
                self.stdout.write(f"{language}: {len(catalog)} strings, {missing} to translate")
        problems = catalogs.check()
        for problem in problems:
            self.stdout.write(str(problem))
        if check and problems:
            raise CommandError(f"{len(problems)} problems with the translations.")


def _done(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)
