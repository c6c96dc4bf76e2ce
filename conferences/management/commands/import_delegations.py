"""Import a conference's delegations and delegates from a CSV or XLSX file."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from conferences.importers import DelegationImport
from conferences.models import Conference
from imports.commands import ImportCommand


class Command(ImportCommand):
    help = "Import delegations and delegates of one conference from a CSV or XLSX file; all rows or none."
    importer_class = DelegationImport

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--conference", type=int, help="The conference's number, e.g. 6 for ICLC 6.")

    def get_importer(self, options):
        if options["conference"] is None:
            raise CommandError(_("Say which conference: --conference NUMBER (6 for ICLC 6)."))
        try:
            return DelegationImport(Conference.objects.get(number=options["conference"]))
        except Conference.DoesNotExist:
            raise CommandError(
                _("There is no conference number %(number)s.") % {"number": options["conference"]}
            ) from None
