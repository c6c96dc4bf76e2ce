"""Every user-facing string of the Python code is marked for translation (issue 15).

Two kinds of check. The declarations (report titles and column headers, filter labels, model and field verbose
names, choices, admin descriptions and filter titles, importers' titles and column help) must be lazy
translations: a `Promise` from gettext_lazy, which becomes text in the reader's language when shown. And the
places that show a message to a person (import problems, form and model errors, admin messages, 403/404
reasons, command errors) must not be handed a plain literal or an f-string: the source is parsed and each such
call checked, so a new unmarked message fails here, naming its file and line.
"""

import ast
import struct
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.utils import translation
from django.utils.functional import Promise

import applications.applicant_forms
import conferences.reports
import network.forms
import network.reports
from conferences.importers import DelegationImport
from imports import encodings, workbooks, workflow
from network.importers import DATE_CELL_HINT, MemberImport
from reports.base import registered_reports

ROOT = Path(__file__).resolve().parent.parent
# The apps whose interface is translated; api/ stays English on purpose (api/main.py says why), devtools is for
# developers, and migrations freeze the English of their day.
TRANSLATED_APPS = ["accounts", "conferences", "config", "core", "imports", "network", "reports"]
OWN_MODELS = ["network", "conferences", "imports", "reports"]
PUBLIC_REPORTS = [
    network.reports.OpenMembersReport,
    conferences.reports.OpenConferencesReport,
    conferences.reports.OpenParticipationReport,
]


def lazy(value) -> bool:
    return isinstance(value, Promise)


def _reports():
    return [*registered_reports(), *PUBLIC_REPORTS]


@pytest.mark.parametrize("report", _reports(), ids=lambda r: r.__name__)
def test_report_titles_descriptions_groups_and_headers_are_translatable(report):
    assert lazy(report.title), report.title
    assert report.description == "" or lazy(report.description), report.description
    assert lazy(report.group), report.group
    assert report.action_header == "" or lazy(report.action_header)
    untranslated = [column.header for column in report.columns if not lazy(column.header)]
    assert untranslated == []


@pytest.mark.parametrize("report", _reports(), ids=lambda r: r.__name__)
def test_report_filters_have_translatable_labels_and_choices(report):
    for name, field in report.filter_form.base_fields.items():
        assert lazy(field.label), f"{report.__name__}: filter {name} has no translatable label ({field.label!r})"
        if isinstance(field, forms.ModelChoiceField):  # records' names (data) and one empty choice
            assert lazy(field.empty_label), f"{report.__name__}: filter {name}: {field.empty_label!r}"
            continue
        for _value, label in getattr(field, "choices", []) or []:
            if isinstance(label, str) and label and not label.isdigit():
                pytest.fail(f"{report.__name__}: choice {label!r} of filter {name} is not marked")


PUBLIC_FORMS = [
    network.forms.PlaceFilterForm,
    network.forms.DirectoryFilterForm,
    applications.applicant_forms.ApplicantForm,
    applications.applicant_forms.CommissionEndorsementForm,
]


@pytest.mark.parametrize("form_class", PUBLIC_FORMS, ids=lambda form_class: form_class.__name__)
def test_public_forms_label_every_field_for_translation(form_class):
    # A field without a label is labelled from its name ("Region"), in English whatever the reader's language.
    for name, field in form_class.base_fields.items():
        if not isinstance(field.widget, forms.HiddenInput):
            assert isinstance(field.label, Promise), f"{form_class.__name__}.{name}"


def test_a_report_is_written_in_the_language_active_when_it_is_read():
    """The headers and the SQL choice labels are translated when read, not when the class was declared."""
    report = network.reports.MembershipTermListReport({})
    with translation.override("en"):
        assert report.headers[:2] == ["City", "Country"]
        assert all(type(header) is str for header in report.headers)
    sql = str(report.select().query)
    assert "Lapsed (no progress report)" in sql  # the end reason's label, as a parameter of the query


def write_catalogue(path: Path, messages: dict[str, str]) -> None:
    """A GNU .mo catalogue of `messages` (msgid -> msgstr), as msgfmt writes it (no hash table)."""
    entries = sorted({"": "Content-Type: text/plain; charset=UTF-8\n", **messages}.items())
    ids = [key.encode() for key, _value in entries]
    strs = [value.encode() for _key, value in entries]
    count, start = len(entries), 7 * 4
    data_start = start + 16 * count
    offsets, data = [], b""
    for text in ids + strs:
        offsets.append((len(text), data_start + len(data)))
        data += text + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, start, start + 8 * count, 0, 0)
    tables = b"".join(struct.pack("<2I", *pair) for pair in offsets)
    path.parent.mkdir(parents=True)
    path.write_bytes(header + tables + data)


def test_marked_strings_are_shown_in_the_readers_language(settings, tmp_path):
    """With a French catalogue, the same report and importer speak French, and English again after."""
    write_catalogue(
        tmp_path / "fr" / "LC_MESSAGES" / "django.mo",
        {
            "Members by region and country": "Membres par région et pays",
            "Region": "Région",
            "%(column)s is empty": "%(column)s est vide",
            "Lapsed (no progress report)": "Radiée (pas de rapport d’étape)",
        },
    )
    settings.LOCALE_PATHS = [str(tmp_path)]  # Django drops its loaded catalogues when this setting changes
    empty_row = {column.name: "" for column in MemberImport.columns}
    with translation.override("fr"):
        assert str(network.reports.MembersByCountryReport.title) == "Membres par région et pays"
        assert network.reports.MembersByCountryReport({}).headers[0] == "Région"
        problems = []
        MemberImport().check_lengths(2, empty_row, problems)
        assert problems[0].message == "city est vide"
        assert "Radiée (pas de rapport d’étape)" in str(network.reports.MembershipTermListReport({}).select().query)
    with translation.override("en"):
        assert network.reports.MembersByCountryReport({}).headers[0] == "Region"
        problems = []
        MemberImport().check_lengths(2, empty_row, problems)
        assert problems[0].message == "city is empty"


def _own_models():
    for label in OWN_MODELS:
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical"):  # django-simple-history names its own
                yield model


@pytest.mark.parametrize("model", list(_own_models()), ids=lambda m: m._meta.label)
def test_models_and_their_fields_have_translatable_names_choices_and_help(model):
    opts = model._meta
    assert lazy(opts.verbose_name) and lazy(opts.verbose_name_plural), opts.label
    for field in opts.get_fields(include_hidden=False):
        if field.auto_created or not field.concrete:
            continue
        assert lazy(field.verbose_name), f"{opts.label}.{field.name}: verbose_name {field.verbose_name!r}"
        assert field.help_text == "" or lazy(field.help_text), f"{opts.label}.{field.name}: help_text"
        for value, label in field.flatchoices:
            # Formats are shown as their codes (CSV, XLSX), languages in their own names (Français): nothing to
            # translate.
            in_itself = (value, label) in settings.LANGUAGES
            if isinstance(label, str) and label != str(value).upper() and not in_itself:
                pytest.fail(f"{opts.label}.{field.name}: choice {label!r} is not marked")


def _own_model_admins():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in TRANSLATED_APPS and not model._meta.label.startswith("auth."):
            yield model_admin


@pytest.mark.parametrize("model_admin", list(_own_model_admins()), ids=str)
def test_admin_descriptions_filter_titles_fieldsets_and_actions_are_translatable(model_admin):
    for name in model_admin.list_display:
        column = getattr(model_admin, name, None) if isinstance(name, str) else name
        description = getattr(column, "short_description", None)
        assert description is None or lazy(description), f"{model_admin}: column {name}"
    for entry in model_admin.list_filter:
        # A field's filter is titled by the field's verbose name, checked with the models.
        if isinstance(entry, type):
            assert lazy(entry.title), f"{model_admin}: filter {entry.__name__}"
    for title, _options in model_admin.fieldsets or []:
        assert title is None or lazy(title), f"{model_admin}: fieldset {title!r}"
    for name in model_admin.actions or []:
        action = getattr(model_admin, name, None) if isinstance(name, str) else name
        description = getattr(action, "short_description", None)
        assert description is None or lazy(description), f"{model_admin}: action {name}"


@pytest.mark.parametrize("importer", [MemberImport, DelegationImport], ids=lambda i: i.kind)
def test_importers_titles_and_column_help_are_translatable(importer):
    assert lazy(importer.title)
    assert [column.name for column in importer.columns if not lazy(column.help)] == []


def test_import_messages_kept_as_constants_are_translatable():
    constants = [
        workflow.RECORDS_CHANGED,
        workflow.CHANGED_SINCE_PREVIEW,
        workflow.IMPORT_BUSY,
        workbooks.UNREADABLE,
        encodings.SAVE_AS_UTF8,
        DATE_CELL_HINT,
    ]
    assert all(lazy(constant) for constant in constants)


# Calls that show their message to a person, and which argument holds it (position, keyword).
MESSAGE_SINKS = {
    "Problem": (2, "message"),
    "ImportFileError": (0, None),
    "WorkbookError": (0, None),
    "EncodingError": (0, None),
    "MergeError": (0, None),
    "ValidationError": (0, "message"),
    "CommandError": (0, None),
    "Http404": (0, None),
    "PermissionDenied": (0, None),
    "IncorrectLookupParameters": (0, None),
    "success": (1, "message"),
    "error": (1, "message"),
    "warning": (1, "message"),
    "info": (1, "message"),
    "add_error": (1, "error"),
    "ReportColumn": (0, "header"),
    "Figure": (0, "label"),
    "Panel": (0, "title"),
}


def _called_name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _is_words(node) -> bool:
    """A literal with a letter in it, or an f-string: text nobody marked (a call or a name may be marked)."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):  # "literal" + ..., or f"..." % ...
        return _is_words(node.left)
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and any(c.isalpha() for c in node.value)


def _unmarked_messages(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Call) or (name := _called_name(node)) not in MESSAGE_SINKS:
            continue
        position, keyword = MESSAGE_SINKS[name]
        args = [node.args[position]] if len(node.args) > position else []
        args += [k.value for k in node.keywords if k.arg == keyword]
        if any(_is_words(arg) for arg in args):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}(...)")
    return found


def _sources():
    for app in TRANSLATED_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_messages_shown_to_people_are_marked_for_translation():
    unmarked = [line for path in _sources() for line in _unmarked_messages(path)]
    assert unmarked == []


def test_the_message_check_finds_an_unmarked_message(tmp_path):
    """The check above would see an f-string or a plain literal handed to a message sink."""
    source = tmp_path / "example.py"
    source.write_text(
        "Problem(3, 'city', f'{name} is unknown')\n"
        "messages.error(request, 'Not saved.')\n"
        "raise CommandError(_('Marked.'))\n"
        "Problem(3, 'city', _('%(name)s is unknown') % {'name': name})\n"
    )
    global ROOT
    root, ROOT = ROOT, tmp_path
    try:
        assert _unmarked_messages(source) == ["example.py:1 Problem(...)", "example.py:2 error(...)"]
    finally:
        ROOT = root
