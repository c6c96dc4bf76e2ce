import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from applications.models import Application, Call, Review, Transition, validate_challenges, validate_narrative
from applications.status import Status
from tests.applications.factories import ApplicationFactory, CallFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def _integrity_error(queryset, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**values)


def test_a_call_cannot_close_before_it_opens_in_the_database():
    call = CallFactory(year=2040)
    _integrity_error(Call.objects.filter(pk=call.pk), closes_on=datetime.date(2040, 3, 1))


def test_an_extension_must_end_after_closing_in_the_database():
    call = CallFactory(year=2041)
    _integrity_error(Call.objects.filter(pk=call.pk), extended_until=datetime.date(2041, 5, 1))


def test_a_cap_of_zero_is_refused_by_the_database():
    call = CallFactory(year=2042)
    _integrity_error(Call.objects.filter(pk=call.pk), per_country_cap=0)


def test_the_cap_defaults_to_three():
    assert (
        Call(year=2043, opens_on=datetime.date(2043, 4, 1), closes_on=datetime.date(2043, 5, 31)).per_country_cap == 3
    )


def test_the_deadline_is_the_extension_when_there_is_one():
    call = CallFactory.build(year=2044, extended_until=datetime.date(2044, 6, 30))
    assert call.deadline == datetime.date(2044, 6, 30)
    assert call.is_open(datetime.date(2044, 6, 15))
    assert not call.is_open(datetime.date(2044, 7, 1))


def test_an_unknown_status_is_refused_by_the_database():
    application = ApplicationFactory()
    _integrity_error(Application.objects.filter(pk=application.pk), status="approved")


def test_an_application_names_a_city_record_or_a_new_name():
    application = ApplicationFactory()
    _integrity_error(Application.objects.filter(pk=application.pk), proposed_city_name="")


def test_an_admitted_application_without_a_city_record_is_refused_by_the_database():
    application = ApplicationFactory()
    _integrity_error(Application.objects.filter(pk=application.pk), status=Status.ADMITTED)


def test_a_submitted_application_has_its_submission_time():
    application = ApplicationFactory()
    _integrity_error(Application.objects.filter(pk=application.pk), submitted_at=None)


def test_a_city_applies_once_per_call():
    first = ApplicationFactory(existing=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(call=first.call, country=first.country, city=first.city, proposed_city_name="")


def test_a_review_score_outside_1_to_5_is_refused_by_the_database():
    review = ReviewFactory()
    _integrity_error(Review.objects.filter(pk=review.pk), score=6)


def test_a_transition_to_the_same_status_is_refused_by_the_database():
    application = ApplicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Transition.objects.create(
            application=application,
            from_status="received",
            to_status="received",
            at=datetime.datetime.now(datetime.UTC),
        )


def test_a_narrative_of_201_words_is_refused_with_its_count():
    validate_narrative(" ".join(["word"] * 200))
    with pytest.raises(ValidationError, match="201"):
        validate_narrative(" ".join(["word"] * 201))


@pytest.mark.parametrize(
    "value", [[], {"literacy": 0}, {"literacy": 6}, {"literacy": "3"}, {"literacy": True}, {"x": 3}]
)
def test_challenges_are_known_names_rated_1_to_5(value):
    with pytest.raises(ValidationError):
        validate_challenges(value)


def test_full_clean_refuses_a_city_of_another_country():
    application = ApplicationFactory(existing=True)
    other = ApplicationFactory()
    application.country = other.country
    with pytest.raises(ValidationError) as error:
        application.full_clean()
    assert "country" in error.value.message_dict


def test_the_application_is_named_after_its_city():
    application = ApplicationFactory(proposed_city_name="Fictiville", call__year=2045)
    assert str(application) == "Fictiville (2045)"
