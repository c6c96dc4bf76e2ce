"""Hostile input for the bad-input tests: values for any form field, admin posts with inlines, query strings."""

import dataclasses
import datetime
import os
from urllib.parse import quote

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import transaction
from django.forms.models import InlineForeignKeyField, ModelChoiceField, ModelMultipleChoiceField
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st

from tests.admin_pages import form_data


@dataclasses.dataclass(frozen=True)
class Target:
    """A page under test and what to send it; the repr stays short in Hypothesis's reports."""

    url: str
    inputs: st.SearchStrategy = dataclasses.field(repr=False)
    model: type | None = dataclasses.field(default=None, repr=False)

    def _repr_pretty_(self, printer, cycle):
        printer.text(f"Target({self.url!r})")


# Each example is a request or two; fixtures (the client, the data) are shared by the examples on purpose.
# BAD_INPUT_EXAMPLES=500 explores further than the suite's default, which keeps it quick.
EXAMPLES = int(os.environ.get("BAD_INPUT_EXAMPLES", 25))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Lookups are cheaper to get wrong than to find: fewer examples per changelist keep them all under a minute.
LOOKUP_FUZZ = settings(FUZZ, max_examples=max(EXAMPLES // 3, 8))

# The test client sends UTF-8, which cannot encode a lone surrogate; every other code point may come.
CHARS = st.characters(codec="utf-8")

HOSTILE_TEXT = [
    "",
    " ",
    " \t\r\n ",
    "\x00",
    "Vinh\x00",
    "\u200b",
    "\ufeff",
    "'; DROP TABLE network_city; --",
    "' OR '1'='1",
    "1) OR (1=1",
    "<script>alert(1)</script>",
    "{{ 7|add:7 }}{% debug %}",
    "%",
    "_",
    "%_\\",
    "NULL",
    "None",
    "الجبيل",
    "\u202eevil\u202c",
    "שלום",
    "😀🏙️👩‍👩‍👧",
    "Sa Đéc",
    "İstanbul",
    "ß" * 150,
    "ﬃ" * 80,
    "Z\u0351\u0364" * 70,
    "x" * 1001,
]
NUMBER_TEXT = ["", " 7 ", "1e3", "1.5", "-0", "٣", "²", "𝟚𝟘𝟚𝟜", "0x10", "+5", "--1", "NaN", "Infinity", "9" * 40]
DATE_TEXT = [
    "",
    "2024-02-30",
    "2023-02-29",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2024-13-01",
    "2024-00-10",
    "2024-1-5",
    "03/12/2024",
    "3 December 2024",
    "2024",
    "2024-12",
    "-2024-01-01",
    "٢٠٢٤-١٢-٠٣",
    "2024-12-03T10:00",
    "2024-12-03\x00",
]
TIME_TEXT = ["", "25:00", "12:60", "23:59:59", "24:00", "-1:00", "12:00:00.123456789", "noon", "9" * 20]
MISSING_IDS = ["0", "-1", "2147483648", "9223372036854775808", "1" + "0" * 30, "abc", "1.0", " 1", "1 OR 1=1", "\x00"]


def text(max_length: int | None = None, known=()) -> st.SearchStrategy[str]:
    """Names as staff type them, hostile strings, and text around `max_length` (ß folds to two letters)."""
    options = [
        st.sampled_from(HOSTILE_TEXT),
        st.text(CHARS, max_size=40),
        st.sampled_from(["Vinh", "Sa Đéc", "Cork", "ICLC 6", "Viet Nam"]),
    ]
    if max_length:
        options.append(
            st.builds(lambda n, c: c * n, st.integers(max_length - 2, max_length + 3), st.sampled_from("aéß"))
        )
    if known:
        options.append(duplicates(known))
    return st.one_of(options)


def duplicates(values) -> st.SearchStrategy[str]:
    """Values already in the database, as typed again by someone else: other case, padded with spaces."""
    variants = [str.upper, str.lower, str.swapcase, str.title, lambda v: f" {v} ", lambda v: v]
    return st.builds(lambda value, change: change(value), st.sampled_from(list(values)), st.sampled_from(variants))


def integer_text(known=()) -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-(10**6), 10**6).map(str),
        st.integers().map(str),
        st.sampled_from([0, -1, 2015, 2024, 9999, 10000, 32767, 32768, 2**31, 2**63, 10**30]).map(str),
        st.sampled_from(NUMBER_TEXT),
        *([st.sampled_from([str(v) for v in known])] if known else []),
    )


def decimal_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.floats(-200, 200).map(str),
        st.sampled_from(["90", "-90.000001", "180.0000001", "12.3456789", "1e999", "-1E-999", "sNaN", *NUMBER_TEXT]),
    )


def date_text() -> st.SearchStrategy[str]:
    """Dates near the records (so terms and conferences overlap often), anywhere, at the ends of the calendar,
    and not dates at all."""
    return st.one_of(
        st.dates(datetime.date(2012, 1, 1), datetime.date(2027, 12, 31)).map(datetime.date.isoformat),
        st.dates().map(datetime.date.isoformat),
        st.sampled_from(["0001-01-01", "0001-12-31", "0002-02-28", "9998-12-31", "9999-12-31"]),
        st.sampled_from(DATE_TEXT),
    )


def time_text() -> st.SearchStrategy[str]:
    return st.one_of(st.times().map(lambda t: t.isoformat()), st.sampled_from(TIME_TEXT))


def choice_values(choices) -> list[str]:
    flat = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            flat += [str(v) for v, _ in label]
        else:
            flat.append(str(value))
    return flat


def related_keys(field: ModelChoiceField) -> list[str]:
    return [str(v) for v in field.queryset.order_by().values_list(field.to_field_name or "pk", flat=True)[:30]]


NAMES = ["Vinh", "Sa Đéc", "Sơn La", "Cork", "Jubail Industrial City", "ICLC 6", "Viet Nam", "Yeonsu-gu"]


def _plausible_choice(field: ModelChoiceField, known) -> st.SearchStrategy:
    # Records already referred to first: the same city name again in the same country, say.
    keys = st.sampled_from([str(k) for k in known] or related_keys(field) or [""])
    keys |= st.sampled_from(related_keys(field) or [""])
    return st.lists(keys, max_size=3, unique=True) if isinstance(field, ModelMultipleChoiceField) else keys


def _plausible_integer(validators, known) -> st.SearchStrategy:
    low = max([0, *(v.limit_value for v in validators if isinstance(v, MinValueValidator))])
    high = min([2**31, *(v.limit_value for v in validators if isinstance(v, MaxValueValidator))])
    numbers = [st.integers(low, min(high, low + 30)), st.integers(max(low, 2010), max(high, 2030))]
    return st.one_of(*numbers, *([st.sampled_from(known)] if known else []))


def _plausible_date(known) -> st.SearchStrategy:
    dates = st.dates(datetime.date(2012, 1, 1), datetime.date(2027, 12, 31))
    if known:  # the days around dates on record, where terms and conferences meet
        dates |= st.builds(lambda d, n: d + datetime.timedelta(days=n), st.sampled_from(known), st.integers(-2, 2))
    return dates.map(datetime.date.isoformat)


def _plausible_text(field: forms.Field, validators, known) -> st.SearchStrategy:
    patterns = [v.regex for v in validators if isinstance(v, RegexValidator) and not v.inverse_match]
    if isinstance(field, forms.SlugField):
        names = st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
    elif patterns:
        names = st.from_regex(patterns[0], fullmatch=True)
    else:
        names = st.sampled_from(NAMES) | st.text(st.characters(categories=["L"]), min_size=1, max_size=20)
    return names | duplicates(known) if known else names


# Field classes in the order they are tried (Django's DecimalField and FloatField are IntegerFields).
_PLAUSIBLE = [
    (InlineForeignKeyField, lambda field, validators, known: st.none()),
    (ModelChoiceField, lambda field, validators, known: _plausible_choice(field, known)),
    (forms.ChoiceField, lambda field, validators, known: st.sampled_from(choice_values(field.choices) or [""])),
    (forms.BooleanField | forms.NullBooleanField, lambda field, validators, known: st.sampled_from([None, "on"])),
    (forms.DecimalField | forms.FloatField, lambda field, validators, known: st.decimals(-90, 90, places=4).map(str)),
    (forms.IntegerField, lambda field, validators, known: _plausible_integer(validators, known)),
    (forms.DateField, lambda field, validators, known: _plausible_date(known)),
    (forms.TimeField, lambda field, validators, known: st.times().map(lambda t: t.isoformat(timespec="minutes"))),
    (
        forms.URLField,
        lambda field, validators, known: st.sampled_from(
            ["https://example.org/cohort-2024", "https://uil.unesco.org/"]
        ),
    ),
    (
        forms.EmailField,
        lambda field, validators, known: st.sampled_from(["delegate@example.org", "Nguyen.Van.A@example.org"]),
    ),
]


def plausible_values(field: forms.Field, known=(), validators=()) -> st.SearchStrategy:
    """What a member of staff would type: mostly valid, often a record that already exists, typed again.

    `validators` are those of the model field, which the form only runs when it validates the instance.
    """
    validators = [*field.validators, *validators]
    for kinds, values in _PLAUSIBLE:
        if isinstance(field, kinds):
            return values(field, validators, known)
    return _plausible_text(field, validators, known)


def _hostile_choice(field: ModelChoiceField) -> st.SearchStrategy:
    one = st.sampled_from(MISSING_IDS) | text()
    if isinstance(field, ModelMultipleChoiceField):
        return st.lists(one | st.sampled_from(related_keys(field) or [""]), max_size=4)
    return one


_HOSTILE_URLS = ["javascript:alert(1)", "http://", "http://[::1", "//x", "https://é.example/"]
_HOSTILE = [
    (InlineForeignKeyField, lambda field, known: st.sampled_from(["", *MISSING_IDS])),
    (ModelChoiceField, lambda field, known: _hostile_choice(field)),
    (forms.ChoiceField, lambda field, known: text()),
    (
        forms.BooleanField | forms.NullBooleanField,
        lambda field, known: st.sampled_from(["", "false", "0", "yes", "\x00"]),
    ),
    (forms.DecimalField | forms.FloatField, lambda field, known: decimal_text()),
    (forms.IntegerField, lambda field, known: integer_text(known)),
    (forms.DateField, lambda field, known: date_text()),
    (forms.TimeField, lambda field, known: time_text()),
    (forms.URLField, lambda field, known: st.sampled_from(_HOSTILE_URLS) | text(field.max_length)),
    (forms.EmailField, lambda field, known: st.sampled_from(["@", "a@", "a@b@c", "ä@ü.example"]) | text()),
]


def hostile_values(field: forms.Field, known=()) -> st.SearchStrategy:
    """What a broken client or a tampered post sends: a string, a list of strings, or None for "left out"."""
    for kinds, values in _HOSTILE:
        if isinstance(field, kinds):
            return values(field, known)
    return text(getattr(field, "max_length", None), known)


def field_values(field: forms.Field, known=()) -> st.SearchStrategy:
    """Plausible or hostile, as often, for a filter; a whole form post is drawn by admin_posts()."""
    return plausible_values(field, known) | hostile_values(field, known)


def known_values(form: forms.BaseForm) -> dict[str, list]:
    """For a model form, the values of its text (not JSON), number, date and foreign key fields already saved, to post
    them again."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return {}
    kinds = forms.CharField | forms.IntegerField | forms.DateField | ModelChoiceField
    names = [
        name
        for name, field in form.fields.items()
        if isinstance(field, kinds)
        and not isinstance(
            field, forms.DecimalField | forms.JSONField | ModelMultipleChoiceField | InlineForeignKeyField
        )
        and name in {f.name for f in model._meta.concrete_fields}
    ]
    return {name: [v for v in model._default_manager.values_list(name, flat=True)[:20] if v] for name in names}


def encode_query(pairs) -> str:
    """A query string; bytes are sent percent-encoded as they are, even when not UTF-8; None is left out."""
    parts = []
    for key, value in pairs:
        for one in value if isinstance(value, list) else [value]:
            if one is None:
                continue
            encoded = "".join(f"%{b:02X}" for b in one) if isinstance(one, bytes) else quote(str(one), safe="")
            parts.append(f"{quote(key, safe='')}={encoded}")
    return "&".join(parts)


@st.composite
def query_pairs(draw, values: dict[str, st.SearchStrategy]) -> list:
    """Each parameter of `values` left out, given once or repeated, a few unknown ones, in any order."""
    junk = st.one_of(text(), st.binary(max_size=8), st.sampled_from(MISSING_IDS))
    pairs = [(key, draw(strategy | junk)) for key, strategy in values.items() for _ in range(draw(st.integers(0, 2)))]
    unknown = st.tuples(st.sampled_from(["x", "page[]", "q\x00", "utm_source", ""]), junk)
    return draw(st.permutations(pairs + draw(st.lists(unknown, max_size=2))))


def model_validators(form: forms.BaseForm, name: str) -> list:
    model = getattr(getattr(form, "_meta", None), "model", None)
    try:
        return model._meta.get_field(name).validators if model else []
    except FieldDoesNotExist:
        return []


def _field_choices(form: forms.BaseForm, skip=()) -> list[tuple]:
    """(name, plausible, hostile) for each field of `form` a user can post."""
    known = known_values(form)
    return [
        (
            name,
            plausible_values(field, known.get(name, ()), model_validators(form, name)),
            hostile_values(field, known.get(name, ())),
        )
        for name, field in form.fields.items()
        if not field.disabled and name not in skip
    ]


def _draw_fields(draw, fields, key, *, keep: bool, clean: bool) -> dict:
    data = {}
    for name, plausible, hostile in fields:
        if keep and draw(st.integers(0, 3)):
            continue  # three fields in four keep what the page shows
        data[key(name)] = draw(plausible if clean or draw(st.integers(0, 3)) else hostile)
    return data


def _formset_fields(formset):
    pk_name = formset.model._meta.pk.name
    saved = [
        (form.add_prefix, _field_choices(form, skip=[pk_name]))
        for form in formset.forms[: formset.initial_form_count()]
    ]
    return formset.prefix, saved, _field_choices(formset.empty_form, skip=[pk_name])


def _draw_formset(draw, prefix, saved, new, *, clean: bool) -> dict:
    """Saved rows changed or deleted, up to three new rows, and a management form, now and then tampered with."""
    data = {}
    for key, fields in saved:
        data |= _draw_fields(draw, fields, key, keep=True, clean=clean)
    initial, rows = len(saved), draw(st.integers(0, 3))
    for i in range(initial, initial + rows):
        data |= _draw_fields(draw, new, lambda name, i=i: f"{prefix}-{i}-{name}", keep=False, clean=clean)
    total, initial_forms = str(initial + rows), str(initial)
    if not clean:
        tampered = st.sampled_from([None, None, None, "", "abc", "-1", "1.5", str(initial + rows + 1), "0"])
        total, initial_forms = draw(tampered) or total, draw(tampered) or initial_forms
    return data | {f"{prefix}-TOTAL_FORMS": total, f"{prefix}-INITIAL_FORMS": initial_forms}


def admin_posts(response) -> st.SearchStrategy[dict]:
    """What may be posted back to the admin add or change page of `response`, inline formsets included.

    Half the posts are plausible throughout, so that they get past validation to the database; in the others,
    any field may be hostile. On a change page a field may keep the value shown. None leaves a field out.
    """
    base, changing = form_data(response), bool(response.context["change"])
    main = _field_choices(response.context["adminform"].form)
    formsets = [_formset_fields(inline.formset) for inline in response.context["inline_admin_formsets"]]

    @st.composite
    def post(draw):
        clean = draw(st.booleans())
        changes = _draw_fields(draw, main, lambda name: name, keep=changing, clean=clean)
        for prefix, saved, new in formsets:
            changes |= _draw_formset(draw, prefix, saved, new, clean=clean)
        data = dict(base)
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        return data

    return post()


# Admin pages: add, change and changelist, each answered with form errors, a save, or ?e=1.


def url_name(model, page: str) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"


def post_and_check(client, target: Target, post: dict, *, adding: bool):
    """One example in a savepoint rolled back afterwards, so that examples never see each other's rows."""
    rows = target.model._default_manager
    with transaction.atomic():
        before = rows.count()
        response = client.post(target.url, post)
        event(f"answered {response.status_code}")
        if response.status_code == 302:
            assert rows.count() == before + adding
        else:
            assert response.status_code == 200
            assert response.context["errors"], "the form was refused without saying why"
            assert rows.count() == before
        transaction.set_rollback(True)


def add_target(client, model) -> Target:
    url = reverse(url_name(model, "add"))
    return Target(url, admin_posts(client.get(url)), model)


def change_target(client, obj) -> Target:
    url = reverse(url_name(type(obj), "change"), args=[obj.pk])
    return Target(url, admin_posts(client.get(url)), type(obj))


def changelist_target(client, model) -> Target:
    """Searches, every parameter the list filters and date drill-down offer, ordering and page numbers."""
    url = reverse(url_name(model, "changelist"))
    cl = client.get(url).context["cl"]
    params = {key for spec in cl.filter_specs for key in spec.expected_parameters()}
    if cl.date_hierarchy:
        params |= {f"{cl.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    offered = st.sampled_from(["1", "0", "2024", "12", "31", "9999", "True", "current", "all", "-1"])
    values = {key: offered | integer_text() | text() for key in params}
    values |= {"q": text(), "o": st.sampled_from(["1", "-2.1", "99", "x"]), "p": st.sampled_from(["0", "-1", "1e9"])}
    return Target(url, query_pairs(values | {"all": st.just(""), "_facets": st.just("True")}), model)


LOOKUP_VALUES = [
    *("", "\x00", "x" * 5000, str(2**70), str(-(2**70)), "1e999", "NaN", "1.5", "-1", "true", "null"),
    *("2024-02-30", "0000-00-00", "9999-12-31", "10000-01-01", "25:00", "%", "_", "\\", "(", "[", "*", "{"),
    *('{"a": 1}', "a,b", "1,2,3", ",", "\u202eevil\u202c", "😀", "الجبيل"),
]


def field_lookups(model) -> list[str]:
    """`field` and `field__lookup` for each field of `model` (its own: not the reverse relations) and each lookup
    registered on it."""
    fields = [f for f in model._meta.get_fields() if f.concrete or (f.many_to_many and not f.auto_created)]
    return [key for f in fields for key in [f.name, *(f"{f.name}__{name}" for name in f.get_lookups())]]


def lookup_target(client, model) -> Target:
    """One to three lookups on the model's own fields at once, each with a hostile value."""
    url = reverse(url_name(model, "changelist"))
    values = st.sampled_from(LOOKUP_VALUES) | text()
    return Target(url, st.lists(st.tuples(st.sampled_from(field_lookups(model)), values), min_size=1, max_size=3))


def assert_lookups_answer(client, target: Target, pairs):
    """A list, the admin's "?e=1" page, or a 400 for a lookup it does not allow: never a server error."""
    response = client.get(f"{target.url}?{encode_query(pairs)}")
    event(f"answered {response.status_code}")
    assert response.status_code in (200, 400) or (response.status_code == 302 and response["Location"].endswith("?e=1"))


def assert_changelist_answers(client, target: Target, pairs):
    response = client.get(f"{target.url}?{encode_query(pairs)}")
    assert response.status_code == 200 or (response.status_code == 302 and response["Location"].endswith("?e=1"))


# Public pages: query strings and slugs.

PAGE_NUMBERS = ["1", "2", "0", "-1", "last", "1.5", "1e3", "9" * 40, "", " 1", "²"]


def page_numbers() -> st.SearchStrategy[str]:
    return st.sampled_from(PAGE_NUMBERS) | integer_text()


def slugs(existing) -> st.SearchStrategy[str]:
    """Slugs of records, the same typed in other case or padded, and slugs of nothing."""
    existing = list(existing)
    return st.one_of(st.sampled_from(existing), duplicates(existing), text(), st.sampled_from(MISSING_IDS))


def choices_or_junk(values) -> st.SearchStrategy[str]:
    """Values a filter offers, mixed (by query_pairs) with junk."""
    return st.sampled_from([str(v) for v in values])


def assert_errors_shown(response, form):
    """Each of the form's errors is on the page, in words, escaped."""
    for errors in form.errors.values():
        for error in errors:
            assert escape(error) in response.text, f"{error!r} not shown"
