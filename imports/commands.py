"""The shared shape of the import commands: the same preview as the admin, exit 0 only for a valid file."""

import getpass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from imports.spreadsheets import human_size, max_file_size
from imports.workflow import Importer, import_apply, import_preview


class ImportCommand(BaseCommand):
    """A management command that imports one file with `importer_class` (an Importer subclass), as the admin does."""

    importer_class: type[Importer]

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="A CSV or XLSX file whose first row names the columns.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument("--template", action="store_true", help="Print the template's header row and stop.")
        parser.add_argument("--user", help="Record the import as made by this user (default: the shell user).")

    def get_importer(self, options) -> Importer:
        return self.importer_class()

    def handle(self, *args, file, dry_run, template, user, **options):
        if template:
            self.stdout.write(",".join(column.name for column in self.importer_class.columns))
            return
        if not file:
            raise CommandError(_("Give the file to import (or --template to see the columns)."))
        importer = self.get_importer(options)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file %(file)s.") % {"file": file})
        if path.stat().st_size > max_file_size():
            raise CommandError(
                _("The file is %(size)s; the limit is %(limit)s (DJANGO_IMPORT_MAX_FILE_SIZE).")
                % {"size": human_size(path.stat().st_size), "limit": human_size(max_file_size())}
            )
        account = self._user(user)
        data = path.read_bytes()
        if dry_run:
            preview = import_preview(importer=importer, data=data, file_name=path.name)
        else:
            name = account.get_username() if account else f"{getpass.getuser()} (command line)"  # stored: English
            preview = import_apply(importer=importer, data=data, file_name=path.name, user=account, user_name=name)
        for line in preview.lines():
            self.stdout.write(line)
        if not preview.is_valid:
            reason = preview.error or _("fix the problems above.")
            raise CommandError(_("The file was not imported: %(reason)s") % {"reason": reason})
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        elif preview.record is not None:
            message = _("Applied; recorded as import #%(number)s.") % {"number": preview.record.pk}
            self.stdout.write(self.style.SUCCESS(message))

    @staticmethod
    def _user(username):
        if not username:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(_("There is no user '%(name)s'.") % {"name": username}) from None
