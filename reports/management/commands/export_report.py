"""Export any report from the shell or a scheduled job, with the same filters as its page."""

import os
import sys
import time
from typing import BinaryIO, TextIO

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from reports.base import get_report_class, registered_reports
from reports.export import FORMATS, Export

PROGRESS_SECONDS = 2.0


def _filter_names() -> list[str]:
    return sorted({name for report in registered_reports() for name in report.filter_form.base_fields})


class Command(BaseCommand):
    help = (
        "Export a report as CSV or XLSX: export_report NAME --format csv|xlsx [--output FILE] [filters]. "
        "export_report --list names the reports and their filters. Writes to standard output without --output."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="The report, e.g. members-by-country (see --list).")
        parser.add_argument("--list", action="store_true", help="List the reports and the filters each takes.")
        parser.add_argument("--format", choices=list(FORMATS), default="csv")
        parser.add_argument("--output", "-o", help="File to write; standard output when left out.")
        parser.add_argument(
            "--include-personal-data",
            action="store_true",
            help="Include delegates' e-mail, phone and notes (left out unless asked for).",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _ in settings.LANGUAGES],
            help="Country, region and other translated names in this language (default: the site's, English).",
        )
        for name in _filter_names():
            parser.add_argument(f"--{name.replace('_', '-')}", dest=f"filter_{name}", metavar="VALUE")

    def handle(self, *args, language=None, **options):
        # The exporter's language, as a web export takes the request's: translated names read its columns.
        with translation.override(language or settings.LANGUAGE_CODE):
            return self._export(*args, **options)

    def _export(self, *args, name, list, format, output, include_personal_data, **options):
        if list:
            return self._list()
        if not name:
            raise CommandError(_("Name a report (export_report --list shows them)."))
        report_class = get_report_class(name)
        if report_class is None:
            raise CommandError(_("No report called '%(name)s'. export_report --list shows them.") % {"name": name})
        given = {key[7:]: value for key, value in options.items() if key.startswith("filter_") and value is not None}
        if unknown := sorted(set(given) - set(report_class.filter_form.base_fields)):
            accepted = ", ".join(f"--{f}" for f in report_class.filter_form.base_fields) or _("no filters")
            refused = "--" + ", --".join(unknown)
            raise CommandError(
                _("%(name)s does not take %(refused)s (it takes %(accepted)s).")
                % {"name": name, "refused": refused, "accepted": accepted}
            )
        report = report_class(given, include_personal_data=include_personal_data)
        if not report.is_valid():
            raise CommandError(_("%(name)s: %(problems)s") % {"name": name, "problems": report.error_text()})
        if output is None and format == "xlsx" and sys.stdout.isatty():
            raise CommandError(_("An XLSX file is binary: give --output FILE or redirect standard output."))
        started = time.monotonic()
        export = Export(report, format, made_by=_("the export_report command"))
        if output:
            partial = f"{output}.part"
            with open(partial, "wb") as stream:
                self._write(export, stream, started)
            os.replace(partial, output)  # never leave a half-written file under the real name
        else:
            # The stream OutputWrapper wraps (private; django-stubs types its attributes as callables), as bytes.
            wrapped: TextIO = self.stdout._out  # type: ignore[assignment]
            out: BinaryIO | TextIO = getattr(wrapped, "buffer", wrapped)
            self._write(export, out, started)
            out.flush()
        seconds = time.monotonic() - started
        target = output or "stdout"
        self.stderr.write(
            _("%(name)s: %(rows)s rows as %(format)s in %(seconds)s s -> %(target)s")
            % {
                "name": name,
                "rows": f"{export.rows:,}",
                "format": format.upper(),
                "seconds": f"{seconds:.2f}",
                "target": target,
            }
        )

    def _write(self, export, stream, started):
        shown = started
        for chunk in export:
            stream.write(chunk)
            if time.monotonic() - shown >= PROGRESS_SECONDS:
                shown = time.monotonic()
                self.stderr.write(
                    "  "
                    + _("%(rows)s rows (%(seconds)s s)")
                    % {"rows": f"{export.rows:,}", "seconds": f"{shown - started:.0f}"}
                )

    def _list(self):
        for report in registered_reports():
            filters = " ".join(f"--{f.replace('_', '-')}" for f in report.filter_form.base_fields)
            self.stdout.write(f"{report.name:30} {report.title!s}" + (f"  [{filters}]" if filters else ""))
