import datetime

import pytest
from django.core.exceptions import ValidationError

from applications.models import Application, Decision, Endorsement, Transition
from applications.status import Status
from applications.workflow import (
    DecisionData,
    EndorsementData,
    application_transition,
    call_announce_cohort,
    transition_check,
)
from network.models import City, MembershipTerm
from tests.applications.factories import ApplicationFactory, CallFactory
from tests.network.factories import CityFactory, CountryFactory, MembershipTermFactory

pytestmark = pytest.mark.django_db
ENDORSE = EndorsementData(commission="NatCom Testland", endorsed_on=datetime.date(2030, 6, 1), endorsed_by="SG")
DAY = datetime.date(2030, 12, 4)


def _move(application, *steps, user=None):
    for step in steps:
        extra = {}
        if step == Status.ENDORSED:
            extra["endorsement"] = ENDORSE
        if step in (Status.ADMITTED, Status.NOT_ADMITTED, Status.DEFERRED):
            extra["decision"] = DecisionData(decided_on=DAY)
        application = application_transition(application=application, to=step, user=user, **extra)
    return application


def test_a_transition_writes_the_status_and_who_moved_it_when(admin_user):
    application = ApplicationFactory()
    moved = application_transition(
        application=application, to=Status.ENDORSED, user=admin_user, endorsement=ENDORSE, note="letter received"
    )
    assert Application.objects.get(pk=application.pk).status == Status.ENDORSED
    step = Transition.objects.get(application=application)
    assert (step.from_status, step.to_status, step.by, step.by_name, step.note) == (
        "received",
        "endorsed",
        admin_user,
        admin_user.username,
        "letter received",
    )
    assert moved.history.first().history_user == admin_user
    assert Endorsement.objects.get(application=application).commission == "NatCom Testland"


@pytest.mark.parametrize(
    ("current", "to"),
    [
        ("received", "under_review"),
        ("received", "admitted"),
        ("endorsed", "received"),
        ("recommended", "under_review"),
        ("admitted", "not_admitted"),
        ("deferred", "admitted"),
        ("draft", "endorsed"),
    ],
)
def test_illegal_jumps_are_refused_naming_the_allowed_steps(current, to):
    with pytest.raises(ValidationError) as error:
        transition_check(current=current, to=to)
    assert "cannot become" in error.value.messages[0]


def test_an_illegal_jump_writes_nothing():
    application = ApplicationFactory()
    with pytest.raises(ValidationError, match="Next allowed: Endorsed"):
        application_transition(application=application, to=Status.ADMITTED, decision=DecisionData(decided_on=DAY))
    assert Application.objects.get(pk=application.pk).status == Status.RECEIVED
    assert not Transition.objects.exists() and not Decision.objects.exists()


def test_the_status_is_read_again_so_a_stale_copy_cannot_jump_twice():
    application = ApplicationFactory()
    _move(application, Status.ENDORSED)
    with pytest.raises(ValidationError):
        application_transition(application=application, to=Status.ENDORSED, endorsement=ENDORSE)
    assert Endorsement.objects.count() == 1


def test_endorsing_needs_the_endorsement():
    with pytest.raises(ValidationError, match="National Commission"):
        application_transition(application=ApplicationFactory(), to=Status.ENDORSED)


def test_the_cap_refuses_a_fourth_endorsement_naming_the_three():
    call, country = CallFactory(), CountryFactory()
    endorsed = [ApplicationFactory(call=call, country=country, proposed_city_name=f"Town {c}") for c in "ABC"]
    for application in endorsed:
        _move(application, Status.ENDORSED)
    fourth = ApplicationFactory(call=call, country=country, proposed_city_name="Town D")
    with pytest.raises(ValidationError) as error:
        _move(fourth, Status.ENDORSED)
    message = error.value.messages[0]
    assert "Town A, Town B, Town C" in message and "cap is 3" in message
    assert Application.objects.get(pk=fourth.pk).status == Status.RECEIVED


def test_later_steps_count_against_the_cap_and_other_countries_and_calls_do_not():
    call, country = CallFactory(per_country_cap=1), CountryFactory()
    _move(ApplicationFactory(call=call, country=country), Status.ENDORSED, Status.UNDER_REVIEW)
    _move(ApplicationFactory(call=call), Status.ENDORSED)  # another country
    _move(ApplicationFactory(country=country), Status.ENDORSED)  # another call
    with pytest.raises(ValidationError, match="cap is 1"):
        _move(ApplicationFactory(call=call, country=country), Status.ENDORSED)


def test_the_cap_is_passed_with_a_recorded_reason():
    call, country = CallFactory(per_country_cap=1), CountryFactory()
    _move(ApplicationFactory(call=call, country=country), Status.ENDORSED)
    second = ApplicationFactory(call=call, country=country)
    reason = "Second commission letter: the first city withdrew verbally."
    application_transition(
        application=second,
        to=Status.ENDORSED,
        endorsement=EndorsementData(**{**ENDORSE.__dict__, "cap_override_reason": reason}),
    )
    assert Endorsement.objects.get(application=second).cap_override_reason == reason


def test_admitting_a_new_city_creates_it_and_starts_its_term_on_the_announcement_day():
    application = ApplicationFactory(proposed_city_name="Fictiport", call__year=2030)
    admitted = _move(application, Status.ENDORSED, Status.UNDER_REVIEW, Status.RECOMMENDED, Status.ADMITTED)
    city = City.objects.get(name="Fictiport", country=application.country)
    assert admitted.city == city
    term = MembershipTerm.objects.get(city=city)
    assert (term.start_date, term.start_precision, term.end_date) == (DAY, "day", None)
    assert "2030" in term.source
    assert Decision.objects.get(application=application).outcome == Status.ADMITTED


def test_a_new_member_is_written_to_at_the_applications_address_in_its_language():
    application = ApplicationFactory(
        proposed_city_name="Fictiport", language="fr", contact_email="lc@fictiport.example"
    )
    _move(application, Status.ENDORSED, Status.UNDER_REVIEW, Status.RECOMMENDED, Status.ADMITTED)
    city = City.objects.get(name="Fictiport")
    assert (city.contact_email, city.correspondence_language) == ("lc@fictiport.example", "fr")


def test_admitting_reuses_the_record_with_the_same_folded_name():
    country = CountryFactory()
    existing = CityFactory(name="Sơn La", country=country)
    application = ApplicationFactory(country=country, proposed_city_name="Son La")
    admitted = _move(application, Status.ENDORSED, Status.UNDER_REVIEW, Status.NOT_RECOMMENDED, Status.ADMITTED)
    assert admitted.city == existing
    assert City.objects.filter(country=country).count() == 1


def test_admitting_a_name_that_only_resembles_a_city_is_refused_and_writes_nothing():
    country = CountryFactory()
    CityFactory(name="Medellín", country=country)
    application = ApplicationFactory(country=country, proposed_city_name="Medelin City")
    _move(application, Status.ENDORSED, Status.UNDER_REVIEW, Status.RECOMMENDED)
    with pytest.raises(ValidationError, match="resembles Medellín"):
        _move(application, Status.ADMITTED)
    assert City.objects.filter(country=country).count() == 1
    assert Application.objects.get(pk=application.pk).status == Status.RECOMMENDED
    assert not Decision.objects.exists()


def test_admitting_a_current_member_is_refused_with_the_reason():
    application = ApplicationFactory(existing=True)
    MembershipTermFactory(city=application.city, start_date=datetime.date(2020, 9, 1))
    _move(application, Status.ENDORSED, Status.UNDER_REVIEW, Status.RECOMMENDED)
    with pytest.raises(ValidationError, match="cannot start a membership"):
        _move(application, Status.ADMITTED)
    assert MembershipTerm.objects.filter(city=application.city).count() == 1


def test_not_admitted_and_deferred_record_a_decision_without_a_membership():
    refused = _move(ApplicationFactory(), Status.ENDORSED, Status.UNDER_REVIEW, Status.RECOMMENDED, Status.NOT_ADMITTED)
    deferred = _move(
        ApplicationFactory(), Status.ENDORSED, Status.UNDER_REVIEW, Status.NOT_RECOMMENDED, Status.DEFERRED
    )
    assert {refused.decision.outcome, deferred.decision.outcome} == {"not_admitted", "deferred"}
    assert not MembershipTerm.objects.exists()


def test_announcing_the_cohort_admits_every_recommended_application_at_once():
    call = CallFactory(year=2030)
    recommended = [ApplicationFactory(call=call) for _ in range(3)]
    for application in recommended:
        _move(application, Status.ENDORSED, Status.UNDER_REVIEW, Status.RECOMMENDED)
    waiting = _move(ApplicationFactory(call=call), Status.ENDORSED)
    admitted = call_announce_cohort(call=call, announced_on=DAY)
    assert sorted(a.pk for a in admitted) == sorted(a.pk for a in recommended)
    assert MembershipTerm.objects.filter(start_date=DAY).count() == 3
    call.refresh_from_db()
    assert call.announced_on == DAY
    assert Application.objects.get(pk=waiting.pk).status == Status.ENDORSED


def test_announcing_is_all_or_nothing_and_names_the_application_in_the_way():
    call = CallFactory(year=2030)
    fine = _move(ApplicationFactory(call=call), Status.ENDORSED, Status.UNDER_REVIEW, Status.RECOMMENDED)
    blocked = ApplicationFactory(call=call, existing=True)
    MembershipTermFactory(city=blocked.city, start_date=datetime.date(2020, 9, 1))
    _move(blocked, Status.ENDORSED, Status.UNDER_REVIEW, Status.RECOMMENDED)
    with pytest.raises(ValidationError) as error:
        call_announce_cohort(call=call, announced_on=DAY)
    assert blocked.city.name in error.value.messages[0]
    assert not MembershipTerm.objects.filter(start_date=DAY).exists()
    assert Application.objects.get(pk=fine.pk).status == Status.RECOMMENDED
    call.refresh_from_db()
    assert call.announced_on is None
