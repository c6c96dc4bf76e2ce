import datetime

import pytest
from django.urls import reverse

from applications.models import Application, Endorsement
from applications.status import Status
from network.models import MembershipTerm
from tests.applications.factories import ApplicationFactory, AttachmentFactory, CallFactory

pytestmark = pytest.mark.django_db


def _transition_url(application):
    return reverse("admin:applications_application_transition", args=[application.pk])


def test_the_status_form_refuses_an_illegal_jump_with_the_allowed_step(staff_client):
    application = ApplicationFactory()
    response = staff_client.post(_transition_url(application), {"to": "admitted", "decided_on": "2030-12-04"})
    assert response.status_code == 200
    assert "cannot become “Admitted”. Next allowed: Endorsed." in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.RECEIVED


def test_the_status_form_endorses_and_records_the_endorsement(staff_client, admin_user):
    application = ApplicationFactory()
    data = {"to": "endorsed", "commission": "NatCom", "endorsed_on": "2030-06-01", "endorsed_by": "SG", "note": ""}
    response = staff_client.post(_transition_url(application), data)
    assert response.status_code == 302
    assert Endorsement.objects.get(application=application).endorsed_by == "SG"
    assert application.transitions.get().by == admin_user


def test_the_status_form_asks_for_the_endorsement_details(staff_client):
    response = staff_client.post(_transition_url(ApplicationFactory()), {"to": "endorsed"})
    assert response.status_code == 200
    assert response.content.decode().count("Needed to record the endorsement.") == 3


def test_the_status_form_shows_the_cap_naming_the_endorsed_applications(staff_client):
    call = CallFactory(per_country_cap=1)
    ApplicationFactory(call=call, status=Status.ENDORSED, proposed_city_name="First Town")
    second = ApplicationFactory(call=call, country=Application.objects.get().country)
    data = {"to": "endorsed", "commission": "NatCom", "endorsed_on": "2030-06-01", "endorsed_by": "SG"}
    response = staff_client.post(_transition_url(second), data)
    assert response.status_code == 200
    assert "First Town" in response.content.decode() and "cap is 1" in response.content.decode()


def test_the_status_form_needs_the_change_permission(client, make_staff):
    client.force_login(make_staff("applications.view_application"))
    assert client.get(_transition_url(ApplicationFactory())).status_code == 403


def test_contact_details_are_hidden_from_staff_without_the_permission(client, make_staff):
    application = ApplicationFactory(contact_email="zq-applicant-7731@example.org", contact_phone="+99 7731")
    client.force_login(make_staff("applications.view_application"))
    page = client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()
    assert application.proposed_city_name in page
    assert "zq-applicant-7731" not in page and "+99 7731" not in page


def test_staff_adding_an_application_enter_it_as_received(staff_client):
    call = CallFactory()
    country = ApplicationFactory().country
    data = {
        "call": call.pk,
        "proposed_city_name": "Paper Town",
        "country": country.pk,
        "language": "fr",
        "challenges": "{}",
        **{f"{prefix}-TOTAL_FORMS": "0" for prefix in ["attachments"]},
        **{f"{prefix}-INITIAL_FORMS": "0" for prefix in ["attachments"]},
    }
    response = staff_client.post(reverse("admin:applications_application_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    added = Application.objects.get(proposed_city_name="Paper Town")
    assert added.status == Status.RECEIVED and added.submitted_at is not None
    step = added.transitions.get()
    assert (step.from_status, step.to_status, step.by_name) == ("draft", "received", "admin")


def test_announcing_the_cohort_from_the_call_list(staff_client):
    call = CallFactory(year=2030, opens_on=datetime.date(2020, 1, 1))
    ApplicationFactory(call=call, status=Status.RECOMMENDED)
    response = staff_client.post(
        reverse("admin:applications_call_changelist"),
        {"action": "announce_cohort", "_selected_action": [call.pk]},
        follow=True,
    )
    assert "1 city admitted" in response.content.decode()
    assert MembershipTerm.objects.count() == 1


def test_selected_applications_export_without_contact_details_for_report_readers(client, make_staff):
    shown = ApplicationFactory(proposed_city_name="Exported Town", contact_email="zq-exported-7731@example.org")
    ApplicationFactory(proposed_city_name="Not Selected Town")
    client.force_login(make_staff("applications.view_application", "network.view_reports"))
    response = client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_selected_csv", "_selected_action": [shown.pk]},
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Exported Town" in body and "Not Selected Town" not in body
    assert "zq-exported-7731" not in body


def test_move_under_review_moves_only_endorsed_applications(staff_client):
    endorsed = ApplicationFactory(status=Status.ENDORSED)
    received = ApplicationFactory()
    response = staff_client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "move_under_review", "_selected_action": [endorsed.pk, received.pk]},
        follow=True,
    )
    assert "1 left as they were" in response.content.decode()
    assert Application.objects.get(pk=endorsed.pk).status == Status.UNDER_REVIEW
    assert Application.objects.get(pk=received.pk).status == Status.RECEIVED


def test_staff_without_the_permission_cannot_search_by_contact_email(client, make_staff):
    ApplicationFactory(contact_email="zq-searched-7731@example.org")
    client.force_login(make_staff("applications.view_application"))
    response = client.get(reverse("admin:applications_application_changelist"), {"q": "zq-searched-7731"})
    assert response.context["cl"].result_count == 0


def test_attachments_download_only_for_staff_who_may_see_personal_data(client, make_staff, staff_client):
    attachment = AttachmentFactory()
    url = reverse("admin:applications_attachment_download", args=[attachment.pk])
    response = staff_client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment;" in response["Content-Disposition"]
    client.force_login(make_staff("applications.view_application"))
    assert client.get(url).status_code == 403


def test_a_file_no_longer_stored_is_a_404(staff_client):
    attachment = AttachmentFactory()
    attachment.file.delete(save=False)
    assert staff_client.get(reverse("admin:applications_attachment_download", args=[attachment.pk])).status_code == 404


def test_the_announce_action_is_offered_only_with_its_permission(client, make_staff):
    CallFactory()
    url = reverse("admin:applications_call_changelist")
    client.force_login(make_staff("applications.view_call", "applications.change_call"))
    assert "announce_cohort" not in client.get(url).content.decode()
    client.force_login(make_staff("applications.view_call", "applications.announce_cohort", username="manager"))
    assert "announce_cohort" in client.get(url).content.decode()
