"""Text fields that store what core.text.normalise_text makes of the input, and refuse control characters.

Every admin form and inline built on RecordAdmin (or with NormalisedTextMixin) gets them for its plain text
columns: "Vinh" followed by a zero-width space, or with a no-break space, is saved as "Vinh".
"""

from collections.abc import Sequence
from functools import reduce
from operator import or_

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from core.text import control_character, fold, normalise_text, plain_text_field


class NormalisedCharField(forms.CharField):
    """A one-line text field: normalised (NFC, no format characters, plain single spaces, trimmed); a control
    character is refused with a message naming it (its code point), so nothing typed is silently lost."""

    multiline = False

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        if bad := control_character(value, multiline=self.multiline):
            raise forms.ValidationError(
                _("Remove the invisible control character %(character)s; it cannot be stored.") % {"character": bad},
                code="control_character",
            )
        return normalise_text(value, multiline=self.multiline)


class NormalisedTextField(NormalisedCharField):
    """A multi-line text field, normalised line by line; line breaks are kept."""

    multiline = True


def normalised_form_class(db_field) -> type[forms.CharField] | None:
    """The normalising form field for a plain CharField or TextField column; None for the others."""
    if not plain_text_field(db_field):
        return None
    return NormalisedTextField if isinstance(db_field, models.TextField) else NormalisedCharField


class NormalisedTextMixin:
    """For a ModelAdmin or an inline: its plain text fields normalise their input (see NormalisedCharField)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if form_class := normalised_form_class(db_field):
            kwargs.setdefault("form_class", form_class)
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]  # a mixin


class FoldedSearchMixin:
    """For a ModelAdmin: the columns in `folded_search_fields` hold text folded by core.text.fold (lower case,
    no accents, any script), so they are searched with the folded words of the search: "SA ĐÉC", "sa dec" and
    "Sa Đéc" find the same rows on SQLite, whose LIKE ignores the case of ASCII letters only, as on PostgreSQL.
    A row matches when every word is in one of those columns, or when Django's own search finds it."""

    folded_search_fields: Sequence[str] = ()

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        words = fold(search_term).split()
        if not words or not self.folded_search_fields:
            return results, may_have_duplicates
        condition = Q()
        for word in words:
            condition &= reduce(or_, (Q(**{f"{name}__contains": word}) for name in self.folded_search_fields))
        return results | queryset.filter(condition), may_have_duplicates
