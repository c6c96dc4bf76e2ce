"""Announce a call's cohort from the command line: admit every recommended application at once."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from applications.models import Call
from applications.status import Status
from applications.workflow import call_announce_cohort


class Command(BaseCommand):
    help = (
        "Admit every recommended application of the call for YEAR on the announcement date (default today): each "
        "city is created or reused and its membership starts that day. All or nothing: if one cannot be admitted, "
        "none is, and the reasons are listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="Announcement date, YYYY-MM-DD.")
        parser.add_argument("--dry-run", action="store_true", help="List the applications it would admit.")

    def handle(self, *args, year, date, dry_run, **options):
        call = Call.objects.filter(year=year).first()
        if call is None:
            raise CommandError(f"There is no call for {year}.")
        pending = call.applications.filter(status=Status.RECOMMENDED).select_related("city").order_by("id")
        if dry_run:
            for application in pending:
                self.stdout.write(f"would admit {application.city_name}")
            self.stdout.write(f"{len(pending)} recommended applications; nothing changed (dry run).")
            return
        try:
            admitted = call_announce_cohort(call=call, announced_on=date or datetime.date.today())
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"{len(admitted)} cities admitted with the {year} cohort.")
