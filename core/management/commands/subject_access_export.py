"""Everything held about one person, found by e-mail address, as JSON or as readable text (a subject-access request)."""

import json

from django.core.management.base import BaseCommand

from core.retention import subject_records


def as_text(email: str, records: list[dict]) -> str:
    """The records as a letter-like text: each record, its fields, then its earlier versions."""
    lines = [f"Personal data held about {email}", ""]
    if not records:
        lines.append("Nothing is held about this address.")
    for record in records:
        lines.append(f"{record['kind']} — {record['model']} #{record['id']}")
        lines += [f"  {name}: {value if value not in (None, '') else '—'}" for name, value in record["fields"].items()]
        lines.append(f"  versions kept in the history: {len(record['history'])}")
        for version in record["history"]:
            shown = ", ".join(f"{n}={v}" for n, v in version["fields"].items() if v not in (None, ""))
            lines.append(f"    {version['date']} ({version['change']}): {shown}")
        lines.append("")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Write everything held about the person with this e-mail address (records and their history)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, email, format, **options):
        records = subject_records(email.strip())
        if format == "json":
            self.stdout.write(json.dumps({"email": email, "records": records}, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(as_text(email, records))
