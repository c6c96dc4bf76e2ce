"""Import member cities and their membership terms (a cohort) from a CSV or XLSX file."""

from network.importers import MemberImport
from network.management.import_command import ImportCommand


class Command(ImportCommand):
    help = "Import member cities and membership terms from a CSV or XLSX file; all rows or none."
    importer_class = MemberImport
