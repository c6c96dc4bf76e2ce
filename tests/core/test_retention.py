"""The retention mechanism, through the rules the apps declare (conferences: delegates; applications: applicants)."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from applications.models import Application, Attachment
from applications.status import Status
from conferences.models import Delegate
from core.models import PersonalDataPurge
from core.retention import rules, years_before
from tests.applications.factories import ApplicationFactory, AttachmentFactory, DecisionFactory
from tests.conferences.factories import ConferenceFactory, DelegateFactory
from tests.core.factories import PersonalDataPurgeFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2030, 6, 1)
PERSON = "zq-person-7731@example.org"


@pytest.fixture
def old_delegate():
    """At a conference that ended more than 3 years before TODAY, with contact details and an edit in history."""
    delegate = DelegateFactory(
        delegation__conference=ConferenceFactory(
            start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 3)
        ),
        full_name="Kept Name",
        email=PERSON,
        phone="+99 7731",
        notes="ZQ-NOTE-7731",
    )
    delegate.phone = "+99 7731 second"
    delegate.save()
    return delegate


@pytest.fixture
def refused_application():
    """Not admitted 2 years and a day before TODAY, with an attached file."""
    application = ApplicationFactory(status=Status.NOT_ADMITTED, contact_email=PERSON, contact_name="Zq Contact")
    DecisionFactory(application=application, decided_on=datetime.date(2028, 5, 31))
    AttachmentFactory(application=application)
    return application


def test_the_apps_declare_their_rules():
    assert {rule.kind for rule in rules()} == {"delegate-contact", "unsuccessful-applicant"}


def test_years_before_keeps_the_day_or_falls_back_from_29_february():
    assert years_before(datetime.date(2030, 6, 1), 3) == datetime.date(2027, 6, 1)
    assert years_before(datetime.date(2028, 2, 29), 1) == datetime.date(2027, 2, 28)


def test_the_dry_run_lists_and_changes_nothing(old_delegate, refused_application, capsys):
    call_command("purge_personal_data", "--dry-run", "--today", TODAY.isoformat())
    out = capsys.readouterr().out
    assert f"Delegate #{old_delegate.pk}" in out and f"Application #{refused_application.pk}" in out
    assert "2 records would clear" in out and PERSON not in out
    assert Delegate.objects.get(pk=old_delegate.pk).email == PERSON
    assert not PersonalDataPurge.objects.exists()


def test_nothing_of_a_purged_delegate_survives_in_the_record_or_its_history(old_delegate, capsys):
    call_command("purge_personal_data", "--today", TODAY.isoformat())
    delegate = Delegate.objects.get(pk=old_delegate.pk)
    assert (delegate.full_name, delegate.email, delegate.phone, delegate.notes) == ("Kept Name", "", "", "")
    versions = list(delegate.history.values_list("email", "phone", "notes"))
    assert len(versions) == 2 and set(versions) == {("", "", "")}
    assert delegate.history.count() == 2  # the purge adds no version holding anything
    log = PersonalDataPurge.objects.get()
    assert (log.kind, log.object_id, log.fields) == ("delegate-contact", delegate.pk, "email, phone, notes")
    assert PERSON not in log.description


def test_a_recent_delegate_is_kept(capsys):
    recent = DelegateFactory(email=PERSON)  # a conference of December 2024... within 3 years of 2027-06-01
    call_command("purge_personal_data", "--today", "2027-06-01")
    assert Delegate.objects.get(pk=recent.pk).email == PERSON


def test_the_retention_is_a_setting(old_delegate, settings):
    settings.PERSONAL_DATA_RETENTION_YEARS = {"delegate-contact": 10}
    call_command("purge_personal_data", "--today", TODAY.isoformat())
    assert Delegate.objects.get(pk=old_delegate.pk).email == PERSON


def test_a_purged_applicant_keeps_the_record_but_no_contact_and_no_file(refused_application, capsys):
    stored = refused_application.attachments.get().file
    assert stored.storage.exists(stored.name)
    call_command("purge_personal_data", "--today", TODAY.isoformat())
    application = Application.objects.get(pk=refused_application.pk)
    assert application.contact_email == application.contact_name == application.contact_phone == ""
    assert application.mayor_name and application.personal_data_cleared_at is not None
    assert not Attachment.objects.exists() and not stored.storage.exists(stored.name)
    assert set(application.history.values_list("contact_email", flat=True)) == {""}
    assert PersonalDataPurge.objects.get().files_removed == 1


def test_applicants_admitted_or_decided_recently_are_kept(capsys):
    admitted = ApplicationFactory(status=Status.ADMITTED, existing=True, contact_email=PERSON)
    DecisionFactory(application=admitted, outcome="admitted", decided_on=datetime.date(2020, 1, 1))
    recent = ApplicationFactory(status=Status.NOT_ADMITTED, contact_email=PERSON)
    DecisionFactory(application=recent, decided_on=datetime.date(2028, 6, 2))
    call_command("purge_personal_data", "--today", TODAY.isoformat())
    assert Application.objects.filter(contact_email=PERSON).count() == 2


def test_a_purged_person_is_not_found_by_the_admin_search(old_delegate, refused_application, staff_client, capsys):
    urls = [reverse(f"admin:{name}_changelist") for name in ["conferences_delegate", "applications_application"]]
    found = [staff_client.get(url, {"q": PERSON}).context["cl"].result_count for url in urls]
    call_command("purge_personal_data", "--today", TODAY.isoformat())
    after = [staff_client.get(url, {"q": PERSON}).context["cl"].result_count for url in urls]
    assert (found, after) == ([1, 1], [0, 0])


def test_the_subject_access_export_gathers_records_and_history_as_json(old_delegate, refused_application, capsys):
    call_command("subject_access_export", PERSON.upper(), "--format", "json")
    data = json.loads(capsys.readouterr().out)
    kinds = sorted(record["kind"] for record in data["records"])
    assert kinds == ["delegate-contact", "unsuccessful-applicant"]
    delegate = next(r for r in data["records"] if r["kind"] == "delegate-contact")
    assert delegate["fields"]["full_name"] == "Kept Name"
    assert [v["fields"]["phone"] for v in delegate["history"]] == ["+99 7731", "+99 7731 second"]


def test_the_subject_access_export_as_text_and_after_a_purge(old_delegate, capsys):
    call_command("subject_access_export", PERSON)
    text = capsys.readouterr().out
    assert "Kept Name" in text and "+99 7731 second" in text and "versions kept in the history: 2" in text
    call_command("purge_personal_data", "--today", TODAY.isoformat())
    capsys.readouterr()
    call_command("subject_access_export", PERSON)
    assert "Nothing is held about this address." in capsys.readouterr().out


def test_the_log_names_the_record_and_the_fields():
    purge = PersonalDataPurgeFactory(object_id=12)
    assert str(purge).startswith("Delegate #12: email, phone, notes (")
