"""Admin pieces both apps share that answer stale, tampered or absurd input with a message, not a server error,
and that keep the fields a model declares private out of every filter, search, ordering and column of those who
may not see them.

Each closes a gap in Django's admin that the bad-input tests (tests/*/test_admin_bad_input.py) or the security
probe (docs: issue 10) ran into.
"""

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django import forms
from django.contrib.admin import widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, NotSupportedError, connection, models, transaction
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext as _

from core.admin.autocomplete import label_choices

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    # What the admin mixin below extends, for the type checker; at run time it is mixed into one.
    _ModelAdminBase = ModelAdmin
else:
    _ModelAdminBase = object


def private_fields(model) -> frozenset[str]:
    """The names of the fields `model` declares private in its `PRIVATE_FIELDS` tuple; a historical copy of a
    model (django-simple-history's `instance_type`) keeps its original's."""
    declared: Iterable[str] | None = getattr(model, "PRIVATE_FIELDS", None)
    if declared is None:
        declared = getattr(getattr(model, "instance_type", None), "PRIVATE_FIELDS", ())
    return frozenset(declared)


def may_see_private(user, model) -> bool:
    """Whether `user` holds one of the permissions (`"app.codename"` labels) `model` names in
    `PRIVATE_FIELDS_PERMISSIONS`, which unlock its private fields. None named: nobody may."""
    declared: Iterable[str] | None = getattr(model, "PRIVATE_FIELDS_PERMISSIONS", None)
    if declared is None:
        declared = getattr(getattr(model, "instance_type", None), "PRIVATE_FIELDS_PERMISSIONS", ())
    return user is not None and any(user.has_perm(permission) for permission in declared)


def path_fields(model, path: str) -> list:
    """The model fields a query path names, in order: `delegates__email__lower__startswith` from a delegation
    gives [Delegation.delegates (the relation), Delegate.email]; what follows the last field (transforms,
    lookups) and names of no field are left out. A leading "-" (ordering) and search prefixes are ignored."""
    fields, opts = [], model._meta
    for part in path.lstrip("-^=@").split(LOOKUP_SEP):
        try:
            field = opts.get_field(opts.pk.name if part == "pk" else part)
        except FieldDoesNotExist:
            break
        fields.append(field)
        if not getattr(field, "path_infos", None):
            break  # not a relation: the rest are transforms and lookups
        opts = field.path_infos[-1].to_opts
    return fields


def hides(model, path, user) -> bool:
    """Whether the query path `path` from `model` reads a field that `user` may not see: a private field of any
    model along the way, for someone without its permission (`user` None: anyone). Paths that are not strings
    (expressions in an ordering) are not checked."""
    if not isinstance(path, str):
        return False
    return any(
        field.name in private_fields(field.model) and not may_see_private(user, field.model)
        for field in path_fields(model, path)
    )


def _unfilterable(model, path: str) -> bool:
    # Binary and file columns hold bytes or names no filter value can be compared with: "?content=x" was a 500.
    fields = path_fields(model, path)
    return bool(fields) and isinstance(fields[-1], models.BinaryField | models.FileField)


def _holdable(field, values) -> list:
    """The values the column `field` can hold; the others can name no record anyway."""
    kept = []
    for value in values:
        try:
            field.clean(value, None)
        except ValidationError:
            continue
        kept.append(value)
    return kept


class _HoldableChoices(widgets.AutocompleteMixin):
    # Django's autocomplete widgets look the posted ids up as they come to show the choice again: re-showing
    # a refused form with "abc" in a city field raised ValueError, and an id too large for the column
    # OverflowError on SQLite.
    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        target = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        return super().optgroups(name, _holdable(target, value), attr)


class AutocompleteSelect(_HoldableChoices, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_HoldableChoices, widgets.AutocompleteSelectMultiple):
    pass


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    # Django checks the posted ids with one IN query, which SQLite cannot even send with an id beyond 64 bits.
    def _check_values(self, value):
        if self.queryset is None:  # the admin always gives one; without it there is nothing to check against
            return super()._check_values(value)  # type: ignore[misc]  # a private Django hook
        model = self.queryset.model
        target = model._meta.get_field(self.to_field_name or model._meta.pk.name)
        for key in value:
            if not _holdable(target, [key]):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": key}
                )
        return super()._check_values(value)  # type: ignore[misc]  # a private Django hook


def _check_lookup_value(key: str, values: list) -> None:
    """Raise IncorrectLookupParameters for a value that would fail in the database rather than match nothing:
    a range that is not two values, a pattern that is no regular expression (SQLite runs Python's `re`)."""
    last = key.rsplit(LOOKUP_SEP, 1)[-1]
    for value in values:
        if last == "range" and len(value.split(",")) != 2:
            raise IncorrectLookupParameters(_("%(key)s takes two values separated by a comma.") % {"key": key})
        if last in ("regex", "iregex"):
            try:
                re.compile(value)
            except (re.error, RecursionError, OverflowError) as error:
                raise IncorrectLookupParameters(_("%(key)s: %(error)s") % {"key": key, "error": error}) from error
            _check_database_pattern(key, value)


def _check_database_pattern(key: str, pattern: str) -> None:
    """PostgreSQL's regular expressions are not Python's ("(?P<x>a)" is one only in Python): ask the database
    itself, in a savepoint, so a pattern it refuses is a message and not an aborted transaction and a 500."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT '' ~ %s", [pattern])
    except DatabaseError as error:
        raise IncorrectLookupParameters(
            _("%(key)s: not a regular expression the database reads.") % {"key": key}
        ) from error


class SafeChangeList(ChangeList):
    def __init__(self, request, model, list_display, list_display_links, list_filter, date_hierarchy, *args, **kw):
        # No drill-down by a date this user may not see: its year, month and day links would tell it.
        self.user = request.user  # read by get_ordering_field, which Django calls without the request
        if date_hierarchy and hides(model, date_hierarchy, request.user):
            date_hierarchy = None
        super().__init__(request, model, list_display, list_display_links, list_filter, date_hierarchy, *args, **kw)

    def get_ordering_field(self, field_name):
        # A computed column may sort by a private field (`@admin.display(ordering=...)`): the order would tell it.
        ordering = super().get_ordering_field(field_name)
        return None if hides(self.model, ordering, self.user) else ordering

    def get_ordering(self, request, queryset):
        # The admin's and the model's default orderings included: the order of the rows would tell the values.
        ordering = super().get_ordering(request, queryset)
        kept = [field for field in ordering if not hides(self.model, field, request.user)]
        if kept != ordering and not {"pk", "-pk"} & set(kept):
            kept.append("-pk")  # what was left out may have been what made the order total
        return kept

    def get_filters(self, request):
        # PostgreSQL refuses text holding a NUL character, and Django passes list filter values on as they come.
        if any("\x00" in value for values in self.get_filters_params().values() for value in values):
            raise IncorrectLookupParameters(_("A filter value holds a null character."))
        # Django turns only the first ValueError of a date drill-down (?date__year=...) into "?e=1": a day of
        # 2147483648, or the year after 9999, was a server error.
        try:
            filters = super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error
        for key, values in filters[2].items():  # the lookups the list filters left, applied as they come
            # django-stubs gives these values as strings; Django 5 gives the query string's lists.
            _check_lookup_value(key, values)  # type: ignore[arg-type]
            if key.endswith(f"{LOOKUP_SEP}range"):
                # Django splits "__in" on commas but hands a range on as one string, whose characters became the
                # bounds: "?email__range=a,b" bound three values to two placeholders, a server error.
                filters[2][key] = [value.split(",") for value in values]  # type: ignore[assignment,union-attr]  # lists, as above
        return filters

    def get_results(self, request):
        # A value the lookup cannot take fails only when the query is written or sent: "?id__range=" was a
        # ValueError, "?city=2**70" an OverflowError on SQLite, "?changes__contained_by=" NotSupportedError there.
        try:
            return super().get_results(request)
        except (ValueError, TypeError, OverflowError, NotSupportedError) as error:
            raise IncorrectLookupParameters(error) from error


class SafeInputAdminMixin(_ModelAdminBase):
    """For a ModelAdmin or inline: the autocomplete widgets and field above, and a changelist that answers a
    filter it cannot apply (an absurd drill-down date, a NUL character) with the admin's "?e=1" page.

    And the private fields models declare (`PRIVATE_FIELDS`, unlocked by `PRIVATE_FIELDS_PERMISSIONS`): for a
    user without the permission, a URL lookup that reads one (`?email__startswith=a`, `?delegates__phone=...`,
    through any relation) is refused as Django refuses a lookup it does not allow (400 Bad Request), and no
    search field, list filter, column, ordering or date drill-down reads one. The autocomplete endpoint searches
    with the search fields left. Filters on binary and file columns are refused for everyone.
    """

    def lookup_allowed(self, lookup, value, request=None):
        user = getattr(request, "user", None)
        if hides(self.model, lookup, user) or _unfilterable(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def to_field_allowed(self, request, to_field):
        # "?_to_field=email&_popup=1" would list each row's value for the popup to pick.
        return not hides(self.model, to_field, request.user) and super().to_field_allowed(request, to_field)

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return [field for field in fields if not hides(self.model, field, request.user)]

    def get_list_filter(self, request):
        def path(item):
            return item[0] if isinstance(item, list | tuple) else item

        return [item for item in super().get_list_filter(request) if not hides(self.model, path(item), request.user)]

    def get_list_display(self, request):
        return [name for name in super().get_list_display(request) if not hides(self.model, name, request.user)]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        autocomplete = "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request)
        if autocomplete:
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if autocomplete and formfield is not None:
            label_choices(formfield, self.admin_site)
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
            kwargs.setdefault("form_class", ModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changelist(self, request, **kwargs):
        return SafeChangeList


class CompleteInlineFormSet(forms.BaseInlineFormSet):
    """An inline formset whose rows the database takes in one save, or a message saying why not.

    Django checks a new inline row against the rows posted with it, but not against the database (it leaves the
    parent out of the constraint checks): so a post that leaves out a saved row (added since the page was shown,
    or a post tampered with) is refused here. And Django saves the rows top to bottom, each checked by the
    database on its own: so deletions go first, then the changed rows in an order in which no two clash on the
    way (a term ending later waits for the next one to start later; an award moved to the year of one deleted).
    """

    save_order: Sequence[forms.BaseForm] = ()  # the changed saved rows, as clean() found they can be saved one by one

    def clean(self):
        super().clean()
        if self.instance.pk is not None:
            shown = [form.instance.pk for form in self.initial_forms if form.instance.pk is not None]
            if self.get_queryset().exclude(pk__in=shown).exists():
                raise ValidationError(
                    _(
                        "Some %(records)s below were changed since this page was shown. "
                        "Reload the page and make your changes again."
                    )
                    % {"records": self.model._meta.verbose_name_plural}
                )
        if not any(self.errors):
            self.save_order = self._save_order()

    def _unique_fields(self) -> list[tuple]:
        """The fields besides the parent that the model's unique constraints make unique among the rows."""
        opts = self.model._meta
        together = [constraint.fields for constraint in opts.total_unique_constraints]
        together += [tuple(fields) for fields in opts.unique_together]
        together += [(field.name,) for field in opts.fields if field.unique and not field.primary_key]
        fields_besides = [tuple(name for name in fields if name != self.fk.name) for fields in together]
        return [fields for fields in fields_besides if fields]  # unique to the parent alone: one row at most

    def row(self, form, *, saved: bool):
        """What of a row the database compares with the others: as saved, or as this save leaves it."""
        names = {name for fields in self._unique_fields() for name in fields}
        if saved:
            return {name: form.initial.get(name) for name in names}
        return {name: getattr(form.instance, self.model._meta.get_field(name).attname) for name in names}

    def clash(self, row, other) -> bool:
        """The database refuses these two rows side by side."""
        return any(all(row[name] == other[name] for name in fields) for fields in self._unique_fields())

    def _save_order(self) -> list:
        kept = [f for f in self.initial_forms if f.instance.pk is not None and f not in self.deleted_forms]
        now = {form: self.row(form, saved=True) for form in kept}
        final = {form: self.row(form, saved=False) for form in kept}
        pending, order = [form for form in kept if now[form] != final[form]], []
        while pending:
            free = [f for f in pending if not any(self.clash(final[f], now[o]) for o in kept if o is not f)]
            if not free:
                raise ValidationError(
                    _(
                        "These %(records)s swap places, which cannot be saved at once: first "
                        "move one out of the way and save, then make the other changes."
                    )
                    % {"records": self.model._meta.verbose_name_plural}
                )
            now[free[0]] = final[free[0]]
            pending.remove(free[0])
            order.append(free[0])
        return order

    def save_existing_objects(self, commit=True):
        # Django's loop, but the deletions first, then the rows in save_order, then the other changes.
        self.changed_objects, self.deleted_objects = [], []
        saved_forms = [f for f in self.initial_forms if f.instance.pk is not None and not f.instance._state.adding]
        for form in self.deleted_forms:
            if form in saved_forms:
                self.deleted_objects.append(form.instance)
                self.delete_existing(form.instance, commit=commit)
        others = [
            f for f in saved_forms if f.has_changed() and f not in self.deleted_forms and f not in self.save_order
        ]
        saved = []
        for form in [*self.save_order, *others]:
            self.changed_objects.append((form.instance, form.changed_data))
            saved.append(self.save_existing(form, form.instance, commit=commit))
            if not commit:
                self.saved_forms.append(form)
        return saved
