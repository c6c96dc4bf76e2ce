import pytest
from django.template import Context, Template
from django.utils import translation

from conferences.models import Conference
from tests.conferences.factories import ConferenceFactory

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load translated_content %}" + source).render(Context(context))


def test_translated_shows_the_active_languages_text():
    conference = ConferenceFactory.build(title="Learning cities at the forefront of climate action")
    conference.title_fr = "Les villes apprenantes, moteurs de l'action climatique"
    with translation.override("fr"):
        assert render('{% translated c "title" %}', c=conference) == (
            "Les villes apprenantes, moteurs de l&#x27;action climatique"
        )


def test_translated_marks_the_english_fallback():
    conference = ConferenceFactory.build(title="Learning cities <at> the forefront")
    with translation.override("es"):
        assert render('{% translated c "title" %}', c=conference) == (
            '<span lang="en">Learning cities &lt;at&gt; the forefront</span>'
        )


def test_translated_does_not_mark_english_on_an_english_page():
    conference = ConferenceFactory.build(title="Learning cities")
    with translation.override("en-gb"):
        assert render('{% translated c "title" %}', c=conference) == "Learning cities"


def test_translated_paragraphs_fall_back_in_a_div():
    conference = ConferenceFactory.build(description="First.\n\nSecond.")
    with translation.override("ar"):
        assert render('{% translated c "description" linebreaks=True %}', c=conference) == (
            '<div lang="en"><p>First.</p>\n\n<p>Second.</p></div>'
        )


def test_translated_renders_nothing_for_an_empty_field():
    conference = ConferenceFactory.build(outcome_document="")
    with translation.override("fr"):
        assert render('{% translated c "outcome_document" %}', c=conference) == ""


def test_translated_treats_an_empty_string_in_the_language_as_missing():
    conference = ConferenceFactory.create(title="Learning cities")
    Conference.objects.filter(pk=conference.pk).update(title_fr="")
    conference.refresh_from_db()
    with translation.override("fr"):
        assert render('{% translated c "title" %}', c=conference) == '<span lang="en">Learning cities</span>'
