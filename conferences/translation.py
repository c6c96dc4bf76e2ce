"""The conferences' fields kept in every language (django-modeltranslation adds title_en, title_fr, ...).

A conference's title is its theme ("title or theme"): the domain has one wording per language, not two fields.
"""

from modeltranslation.translator import TranslationOptions, register

from conferences.models import Conference, Session


@register(Conference)
class ConferenceTranslationOptions(TranslationOptions):
    fields = ("title", "description", "outcome_document")


@register(Session)
class SessionTranslationOptions(TranslationOptions):
    fields = ("title", "description")
