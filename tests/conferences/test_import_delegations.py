import pytest
from django.core.management import CommandError, call_command

from conferences.models import Delegate
from tests.conferences.factories import ConferenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def participants(tmp_path):
    path = tmp_path / "participants.csv"
    path.write_text("city,country,full_name,role,head\nVinh,VN,Nguyen Van A,mayor,yes\n", encoding="utf-8")
    return path


def test_import_delegations_template_prints_the_header_row(capsys):
    call_command("import_delegations", "--template")
    assert capsys.readouterr().out.startswith("city,country,full_name,role,position,organisation,head,public,")


def test_import_delegations_applies_the_file_to_the_conference(participants, capsys):
    conference = ConferenceFactory(number=6)
    call_command("import_delegations", "--conference", "6", str(participants))
    delegate = Delegate.objects.get()
    assert (delegate.delegation.conference, delegate.is_head, delegate.role) == (conference, True, "city_leader")
    assert (
        "Row 2: create Nguyen Van A, Vinh, Viet Nam: new city; new delegation; new delegate" in capsys.readouterr().out
    )


def test_import_delegations_dry_run_writes_nothing(participants):
    ConferenceFactory(number=6)
    call_command("import_delegations", "--conference", "6", str(participants), "--dry-run")
    assert Delegate.objects.count() == 0


def test_import_delegations_needs_a_conference_that_exists(participants):
    with pytest.raises(CommandError, match="--conference NUMBER"):
        call_command("import_delegations", str(participants))
    with pytest.raises(CommandError, match="There is no conference number 99"):
        call_command("import_delegations", "--conference", "99", str(participants))
