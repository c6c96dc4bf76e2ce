"""Admin pieces both apps share that answer stale, tampered or absurd input with a message, not a server error.

Each closes a gap in Django's admin that the bad-input tests (tests/*/test_admin_bad_input.py) ran into.
"""

from django import forms
from django.contrib.admin import widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError


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


class _HoldableChoices:
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
        target = self.queryset.model._meta.get_field(self.to_field_name or self.queryset.model._meta.pk.name)
        for key in value:
            if not _holdable(target, [key]):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": key}
                )
        return super()._check_values(value)


class SafeChangeList(ChangeList):
    def get_filters(self, request):
        # PostgreSQL refuses text holding a NUL character, and Django passes list filter values on as they come.
        if any("\x00" in value for values in self.get_filters_params().values() for value in values):
            raise IncorrectLookupParameters("A filter value holds a null character.")
        # Django turns only the first ValueError of a date drill-down (?date__year=...) into "?e=1": a day of
        # 2147483648, or the year after 9999, was a server error.
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class SafeInputAdminMixin:
    """For a ModelAdmin or inline: the autocomplete widgets and field above, and a changelist that answers a
    filter it cannot apply (an absurd drill-down date, a NUL character) with the admin's "?e=1" page."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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

    save_order = ()  # the changed saved rows, as clean() found they can be saved one by one

    def clean(self):
        super().clean()
        if self.instance.pk is not None:
            shown = [form.instance.pk for form in self.initial_forms if form.instance.pk is not None]
            if self.get_queryset().exclude(pk__in=shown).exists():
                raise ValidationError(
                    f"Some {self.model._meta.verbose_name_plural} below were changed since this page was shown. "
                    "Reload the page and make your changes again."
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
                    f"These {self.model._meta.verbose_name_plural} swap places, which cannot be saved at once: first "
                    "move one out of the way and save, then make the other changes."
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
