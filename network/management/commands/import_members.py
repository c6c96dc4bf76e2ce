"""Import member cities and their membership terms (a cohort) from a CSV or XLSX file."""

from imports.commands import ImportCommand
from network.importers import MemberImport


class Command(ImportCommand):
    help = "Import member cities and membership terms from a CSV or XLSX file; all rows or none."
    importer_class = MemberImport
