"""The catalogues in locale/: they hold every string the code marks, they are complete, and the compiled .mo files
are those of the .po files (docs/languages.md says how to update them: `make messages`)."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
LOCALE = BASE_DIR / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
DOMAINS = ["django", "djangojs"]
CATALOGUES = [(language, domain) for language in LANGUAGES for domain in DOMAINS]
# The Makefile's MESSAGES_IGNORE, and what a copy of the checkout needs not hold.
NOT_COPIED = [".venv", ".git", "tests", "staticfiles", "test-artifacts", "docs", "scripts", "__pycache__", "*.sqlite3*"]


def _po(language: str, domain: str, root: Path = BASE_DIR) -> polib.POFile:
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / f"{domain}.po"))


def _keys(catalogue) -> set[tuple[str, str, str]]:
    return {(entry.msgctxt or "", entry.msgid, entry.msgid_plural or "") for entry in catalogue if not entry.obsolete}


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> Path:
    """A copy of the checkout whose catalogues makemessages has just updated from the code and templates."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is missing: install it (apt-get install gettext); .ci/run does.")
    copy = tmp_path_factory.mktemp("checkout") / "registry"
    shutil.copytree(BASE_DIR, copy, ignore=shutil.ignore_patterns(*NOT_COPIED), symlinks=True)
    languages = [argument for language in LANGUAGES for argument in ("-l", language)]
    for domain in DOMAINS:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-d", domain, *languages, "--ignore=static/vendor"],
            cwd=copy,
            check=True,
            capture_output=True,
            env={"DJANGO_SECRET_KEY": "insecure-key-for-tests-only", "PATH": "/usr/bin:/bin"},
        )
    return copy


@pytest.mark.parametrize(("language", "domain"), CATALOGUES)
def test_the_catalogue_holds_every_marked_string(fresh_catalogues, language, domain):
    missing = _keys(_po(language, domain, fresh_catalogues)) - _keys(_po(language, domain))
    assert not missing, f"Run `make messages`: locale/{language}/{domain}.po lacks {sorted(missing)[:10]}"


@pytest.mark.parametrize(("language", "domain"), CATALOGUES)
def test_the_catalogue_is_fully_translated(language, domain):
    catalogue = _po(language, domain)
    unfinished = [entry.msgid for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    assert unfinished == [], f"{len(unfinished)} strings of locale/{language}/{domain}.po need a translation"


@pytest.mark.parametrize(("language", "domain"), CATALOGUES)
def test_the_compiled_catalogue_is_that_of_the_po_file(language, domain):
    catalogue = _po(language, domain)
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.mo"))

    def translations(entries):
        return {
            (entry.msgctxt or "", entry.msgid): entry.msgstr_plural or entry.msgstr
            for entry in entries
            if entry.msgid and (entry.msgstr or any(entry.msgstr_plural.values()))
        }

    assert translations(compiled) == translations(catalogue.translated_entries()), "Run `make messages`"
    assert compiled.metadata.get("Plural-Forms") == catalogue.metadata.get("Plural-Forms")


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalogue_is_for_its_language_with_its_plural_rule(language):
    catalogue = _po(language, "django")
    assert catalogue.metadata["Language"] == language
    assert not catalogue.metadata_is_fuzzy  # msgfmt would leave a fuzzy header, and with it the plural rule, out
    expected_forms = {"fr": "nplurals=2", "es": "nplurals=3", "ar": "nplurals=6"}[language]
    assert catalogue.metadata["Plural-Forms"].startswith(expected_forms)
