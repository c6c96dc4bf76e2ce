"""Translated fields in the admin: each field's languages side by side on one row, Arabic written right to left.

django-modeltranslation's TranslationAdmin replaces a registered field ("title") in the form by its languages
(title_en, title_fr, title_es, title_ar). Its tabbed variant would need jQuery UI from another host, which the
Content-Security-Policy forbids; rows of plain inputs need no script at all.
"""

from django.db import models
from modeltranslation.admin import TranslationAdmin

RIGHT_TO_LEFT = {"ar", "fa", "he", "ur"}


class TranslatedFieldsAdmin(TranslationAdmin):
    """A TranslationAdmin whose short translated fields (CharField) share one row per field; long texts keep one
    row per language, as four text areas side by side would not fit a 1280 px screen."""

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**options, "fields": self._side_by_side(options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def _side_by_side(self, fields):
        languages_of = {
            translation.name: original
            for original, translations in self.trans_opts.all_fields.items()
            for translation in translations
            if not isinstance(translation, models.TextField)
        }
        rows: list = []
        row_of: dict[str, int] = {}
        for field in fields:
            original = languages_of.get(field) if isinstance(field, str) else None
            if original is None:
                rows.append(field)
            elif original in row_of:
                rows[row_of[original]] += (field,)
            else:
                row_of[original] = len(rows)
                rows.append((field,))
        return rows

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = getattr(db_field, "language", None)
        if formfield is not None and language and hasattr(db_field, "translated_field"):
            # Screen readers and spelling checkers read each input in its language; Arabic is typed right to left.
            formfield.widget.attrs["lang"] = language
            if language in RIGHT_TO_LEFT:
                formfield.widget.attrs["dir"] = "rtl"
        return formfield
