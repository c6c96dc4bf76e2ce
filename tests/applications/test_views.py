import datetime

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from applications.links import APPLICANT_SALT, applicant_url, commission_url
from applications.models import Application, Endorsement
from applications.status import Status
from tests.applications.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db
PRIVATE = "zq-applicant-7731@example.org"

COMPLETE = {
    "language": "fr",
    "website": "https://fictiville.example.org/",
    "mayor_name": "Maire Fictif",
    "mayor_title": "Maire",
    "contact_name": "Contact Fictif",
    "contact_address": "1 rue Imaginaire",
    "contact_phone": "+00 1 23",
    "contact_email": PRIVATE,
    "population": "120000",
    "area_km2": "45.5",
    "gdp_per_capita": "12000",
    "schooling_years": "9.5",
    "vision": "Apprendre tout au long de la vie.",
    "plans": "Une bibliothèque par quartier.",
    "interests": "Literacy",
    "challenge_literacy": "4",
    "challenge_health": "2",
}


def test_the_call_page_shows_dates_and_how_to_apply_but_no_applicant(client):
    call = CallFactory(year=2025, opens_on=datetime.date(2025, 4, 1), closes_on=datetime.date(2025, 5, 31))
    ApplicationFactory(call=call, contact_email=PRIVATE, proposed_city_name="Zq Secret Candidate")
    page = client.get("/en/calls/2025/").content.decode()
    assert "1 April 2025" in page and "31 May 2025" in page and "How to apply" in page
    assert "Zq Secret Candidate" not in page and PRIVATE not in page


def test_the_call_page_lists_the_admitted_cohort(client):
    call = CallFactory(year=2025, announced_on=datetime.date(2025, 12, 4))
    admitted = ApplicationFactory(call=call, existing=True, status=Status.ADMITTED, contact_email=PRIVATE)
    page = client.get(call.get_absolute_url()).content.decode()
    assert admitted.city.name in page and "1 new member" in page and PRIVATE not in page


def test_an_unknown_call_is_not_found(client):
    assert client.get("/en/calls/1990/").status_code == 404


def test_the_applicant_saves_a_draft_that_stays_a_draft(client):
    application = ApplicationFactory(draft=True)
    response = client.post(applicant_url(application), {**COMPLETE, "mayor_name": "", "save": "1"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.contact_email == PRIVATE
    assert application.challenges == {"literacy": 4, "health": 2}
    assert not mail.outbox


def test_submitting_needs_the_required_fields_with_clear_messages(client):
    application = ApplicationFactory(draft=True)
    english = {**COMPLETE, "language": "en", "mayor_name": "", "submit": "1"}
    response = client.post(applicant_url(application), english)
    assert response.status_code == 400
    assert "Needed before the application is submitted." in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_the_applicant_is_answered_in_the_applications_language(client):
    application = ApplicationFactory(draft=True)
    response = client.post(applicant_url(application), {**COMPLETE, "mayor_name": "", "submit": "1"})
    page = response.content.decode()
    with translation.override("fr"):
        message = gettext("Needed before the application is submitted.")
    assert message != "Needed before the application is submitted."  # the French catalogue has it
    assert '<html lang="fr"' in page and message in page


def test_submitting_records_received_and_sends_the_confirmation_after_commit(
    client, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(draft=True, proposed_city_name="Fictiville")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(applicant_url(application), {**COMPLETE, "submit": "1"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.RECEIVED and application.submitted_at is not None
    assert application.transitions.get().to_status == Status.RECEIVED
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [PRIVATE]
    assert "Fictiville" in mail.outbox[0].body


def test_a_submitted_application_can_no_longer_be_changed_through_the_link(client):
    application = ApplicationFactory(mayor_name="Kept Mayor")
    response = client.post(applicant_url(application), {**COMPLETE, "language": "en", "save": "1"})
    assert "was submitted" in response.content.decode()
    assert Application.objects.get(pk=application.pk).mayor_name == "Kept Mayor"


def test_a_narrative_over_200_words_is_refused(client):
    application = ApplicationFactory(draft=True)
    response = client.post(applicant_url(application), {**COMPLETE, "vision": "mot " * 201, "save": "1"})
    assert response.status_code == 400 and "201" in response.content.decode()


def test_an_attachment_is_kept_and_a_disguised_file_refused(client):
    application = ApplicationFactory(draft=True)
    pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%test\n")
    assert client.post(applicant_url(application), {**COMPLETE, "save": "1", "attachment": pdf}).status_code == 302
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 executable")
    response = client.post(applicant_url(application), {**COMPLETE, "save": "1", "attachment": fake})
    assert response.status_code == 400
    assert application.attachments.count() == 1


@pytest.mark.parametrize("token", ["nonsense", "a" * 300, "eyJhIjoxfQ:1:2", "%00"])
def test_a_forged_or_garbled_link_is_refused_without_saying_why(client, token):
    ApplicationFactory(draft=True)
    response = client.get(reverse("applications:apply", kwargs={"token": token}))
    assert response.status_code == 404 and "cannot be used" in response.content.decode()


def test_a_link_to_another_salt_or_a_deleted_application_is_refused(client):
    application = ApplicationFactory(draft=True)
    other_salt = signing.TimestampSigner(salt="other").sign_object({"a": application.pk})
    assert client.get(reverse("applications:apply", kwargs={"token": other_salt})).status_code == 404
    missing = signing.TimestampSigner(salt=APPLICANT_SALT).sign_object({"a": application.pk + 1000})
    assert client.get(reverse("applications:apply", kwargs={"token": missing})).status_code == 404


def test_an_expired_link_is_refused(client, settings):
    url = applicant_url(ApplicationFactory(draft=True))
    settings.APPLICATIONS_LINK_MAX_AGE_DAYS = -1
    assert client.get(url).status_code == 404


def test_link_pages_are_throttled_per_address(client, settings):
    settings.APPLICATIONS_LINK_REQUESTS_PER_HOUR = 3
    url = applicant_url(ApplicationFactory(draft=True))
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_form_needs_its_csrf_token():
    application = ApplicationFactory(draft=True)
    response = Client(enforce_csrf_checks=True).post(applicant_url(application), {**COMPLETE, "save": "1"})
    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).mayor_name != "Maire Fictif"


def test_the_commission_endorses_its_countrys_applications_through_its_link(client):
    first = ApplicationFactory(proposed_city_name="First Town")
    other_country = ApplicationFactory(call=first.call, proposed_city_name="Elsewhere Town")
    url = commission_url(first.call, first.country)
    page = client.get(url).content.decode()
    assert "First Town" in page and "Elsewhere Town" not in page and first.contact_email not in page
    response = client.post(url, {"commission": "NatCom", "endorsed_by": "SG", "applications": [first.pk]})
    assert response.status_code == 302
    assert Endorsement.objects.get().application == first
    assert Application.objects.get(pk=other_country.pk).status == Status.RECEIVED


def test_the_commission_cannot_endorse_another_countrys_application(client):
    first = ApplicationFactory()
    other = ApplicationFactory(call=first.call)
    url = commission_url(first.call, first.country)
    response = client.post(url, {"commission": "NatCom", "endorsed_by": "SG", "applications": [other.pk]})
    assert response.status_code == 400
    assert not Endorsement.objects.exists()


def test_the_commission_page_shows_the_cap_and_endorses_nothing_past_it(client):
    call = CallFactory(per_country_cap=1)
    waiting = [ApplicationFactory(call=call, proposed_city_name=f"Town {c}") for c in "AB"]
    Application.objects.filter(pk__in=[a.pk for a in waiting]).update(country=waiting[0].country)
    url = commission_url(call, waiting[0].country)
    response = client.post(url, {"commission": "N", "endorsed_by": "SG", "applications": [a.pk for a in waiting]})
    assert response.status_code == 400 and "cap is 1" in response.content.decode()
    assert not Endorsement.objects.exists()


def test_the_call_page_runs_the_same_queries_at_5_and_50_admitted(client, django_assert_num_queries):
    call = CallFactory(year=2025, announced_on=datetime.date(2025, 12, 4))
    ApplicationFactory.create_batch(5, call=call, existing=True, status=Status.ADMITTED)
    client.get(call.get_absolute_url())
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get(call.get_absolute_url()).content.decode().count("</a>, Testland") == 5
    ApplicationFactory.create_batch(45, call=call, existing=True, status=Status.ADMITTED)
    cache.clear()
    with django_assert_num_queries(len(few)):
        assert client.get(call.get_absolute_url()).content.decode().count("</a>, Testland") == 50
