"""Load the demo facts (member cities, award winners, the ICLCs, Viet Nam at ICLC 6) from the project's data files."""

import csv
from collections import Counter, defaultdict
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from conferences.models import Conference, Delegation, Session, Venue
from core.dates import DatePrecision, parse_partial_date
from core.text import fold, normalise_fields
from network.models import Award, City, Country, MembershipTerm

DEMO_DATA = Path(__file__).resolve().parents[2] / "data" / "demo"
NETWORK_DATA = DEMO_DATA / "network"
CONFERENCES_DATA = DEMO_DATA / "conferences"


def read_rows(path: Path):
    """(where, row) for each data row; `where` names the file and line for error messages."""
    with path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            where = f"{path.name}, line {line}"
            if None in row:
                raise CommandError(f"{where}: more values than columns; quote values that contain commas.")
            yield where, {key: (value or "").strip() for key, value in row.items()}


def _empty(value) -> bool:
    return value is None or value == ""


class Command(BaseCommand):
    help = (
        "Load the demo data: 72 member cities, the Learning City Award winners 2015-2024, the seven ICLCs with "
        "venues and hosts, and Viet Nam's delegation at ICLC 6. Safe to run again: it only creates what is "
        "missing and fills empty fields, never overwriting what is there."
    )

    def handle(self, *args, **options):
        self.tally = defaultdict(Counter)
        self.seen = defaultdict(set)
        with transaction.atomic():
            self.countries = Country.objects.resolver()
            self.load_members(NETWORK_DATA / "members.csv")
            self.load_awards(NETWORK_DATA / "awards.csv")
            self.load_conferences(CONFERENCES_DATA / "conferences.csv")
            self.load_sessions(CONFERENCES_DATA / "sessions.csv")
            self.load_delegations(CONFERENCES_DATA / "delegations.csv")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for label, counts in self.tally.items():
            self.stdout.write(
                f"  {label}: created {counts['created']}, completed {counts['completed']}, "
                f"unchanged {counts['unchanged']}"
            )

    # Generic create-or-complete ---------------------------------------------------------------

    def save(self, obj, where: str, label: str, outcome: str):
        try:
            normalise_fields(obj)  # the data files are text from the web: no-break spaces, zero-width marks
            obj.full_clean()
        except ValidationError as error:
            raise CommandError(f"{where}: {' '.join(error.messages)}") from error
        obj._change_reason = "Demo data (load_demo_data)"  # shown in the record's history
        obj.save()
        self.count(label, obj, outcome)
        return obj

    def count(self, label: str, obj, outcome: str):
        """Tally each row once per run, however many lines of the data files mention it."""
        if obj.pk not in self.seen[label]:
            self.seen[label].add(obj.pk)
            self.tally[label][outcome] += 1

    def sync(self, model, lookup: dict, values: dict, where: str, existing=None):
        """Create the row, or fill the fields that are empty on the existing one; never overwrite."""
        label = model._meta.verbose_name.capitalize()
        obj = existing if existing is not None else model.objects.filter(**lookup).first()
        if obj is None:
            return self.save(model(**lookup, **values), where, label, "created")
        missing = {
            name: value
            for name, value in values.items()
            if not _empty(value) and _empty(getattr(obj, model._meta.get_field(name).attname))
        }
        if not missing:
            self.count(label, obj, "unchanged")
            return obj
        for name, value in missing.items():
            setattr(obj, name, value)
        return self.save(obj, where, label, "completed")

    # Lookups ----------------------------------------------------------------------------------

    def country(self, text: str, where: str):
        country = self.countries.resolve(text)
        if country is None:
            hint = self.countries.suggest(text)
            raise CommandError(f"{where}: country '{text}' is not known" + (f"; did you mean {hint}?" if hint else "."))
        return country

    def city(self, name: str, country_text: str, where: str, **values):
        """The city with this name (accents and case ignored) in this country, created or completed."""
        country = self.country(country_text, where)
        matches = list(City.objects.filter(country=country, search_name=fold(name)).select_related("country"))
        existing = next((c for c in matches if c.name == name), matches[0] if matches else None)
        values = {"search_name": fold(name), **values}
        return self.sync(City, {"name": name, "country": country}, values, where, existing=existing)

    def ensure_member(self, city, *, source: str, why: str, where: str):
        """A city the sources show as a member without a join date gets one term whose start is not recorded."""
        if self.has_terms(city):
            return
        term = MembershipTerm(city=city, start_date=None, source=source, notes=f"Join date not recorded; {why}.")
        self.save(term, where, "Membership term", "created")

    def has_terms(self, city) -> bool:
        terms = list(city.membership_terms.all())
        for term in terms:
            self.count("Membership term", term, "unchanged")
        return bool(terms)

    # Files ------------------------------------------------------------------------------------

    def load_members(self, path: Path):
        rows = list(read_rows(path))
        self.stdout.write(f"Member cities: {len(rows)} rows from {path.name}")
        for where, row in rows:
            try:
                start, precision = parse_partial_date(row["announced"])
            except ValueError as error:
                raise CommandError(f"{where}: {error}") from error
            city = self.city(
                row["city"],
                row["country"],
                where,
                local_name=row["local_name"],
                province=row["province"],
                description=row["description"],
                internal_notes=row["internal_notes"],
                source=row["source"],
            )
            if self.has_terms(city):
                # Terms already recorded (by staff or an earlier run) are the history; adding one could overlap.
                continue
            term = MembershipTerm(
                city=city, start_date=start, start_precision=precision, source=row["source"], notes=row["notes"]
            )
            self.save(term, where, "Membership term", "created")

    def load_awards(self, path: Path):
        rows = list(read_rows(path))
        self.stdout.write(f"Learning City Awards: {len(rows)} rows from {path.name}")
        for where, row in rows:
            city = self.city(row["city"], row["country"], where, source=row["source"])
            year = int(row["year"])
            self.ensure_member(city, source=row["source"], why=f"Learning City Award {year}", where=where)
            self.sync(Award, {"city": city, "year": year}, {"source": row["source"]}, where)

    def load_conferences(self, path: Path):
        rows = list(read_rows(path))
        self.stdout.write(f"Conferences: {len(rows)} rows from {path.name}")
        for where, row in rows:
            number = int(row["number"])
            host = venue = None
            if row["host_city"]:
                host = self.city(
                    row["host_city"], row["host_country"], where, province=row["host_province"], source=row["source"]
                )
                self.ensure_member(city=host, source=row["source"], why=f"host of ICLC {number}", where=where)
            if row["venue"]:
                venue = self.sync(Venue, {"name": row["venue"], "city": host}, {}, where)
            start, precision = parse_partial_date(row["start"]) if row["start"] else (None, DatePrecision.DAY)
            end = parse_partial_date(row["end"])[0] if row["end"] else None
            values = {
                "short_name": f"ICLC {number}",
                "slug": f"iclc-{number}",
                "title": row["title"],
                # The other languages' titles where a source gives them (its name is in the source column);
                # an empty one falls back to English on the pages.
                "title_fr": row["title_fr"] or None,
                "title_es": row["title_es"] or None,
                "start_date": start,
                "end_date": end,
                "date_precision": precision,
                "mode": row["mode"],
                "host_city": host,
                "venue": venue,
                "attendance_stated": row["attendance_stated"],
                "countries_stated": int(row["countries_stated"]) if row["countries_stated"] else None,
                "outcome_document": row["outcome_document"],
                "award_year": int(row["award_year"]) if row["award_year"] else None,
                "description": row["description"],
                "internal_notes": row["internal_notes"],
                "source": row["source"],
            }
            self.sync(Conference, {"number": number}, values, where)

    def conference(self, number: str, where: str):
        conference = Conference.objects.filter(number=int(number)).first()
        if conference is None:
            raise CommandError(f"{where}: there is no conference number {number}.")
        return conference

    def load_sessions(self, path: Path):
        rows = list(read_rows(path))
        self.stdout.write(f"Sessions: {len(rows)} rows from {path.name}")
        for where, row in rows:
            conference = self.conference(row["conference"], where)
            date = parse_partial_date(row["date"])[0] if row["date"] else None
            lookup = {"conference": conference, "kind": row["kind"], "title": row["title"]}
            self.sync(
                Session,
                lookup,
                {"date": date, "description": row["description"], "internal_notes": row["internal_notes"]},
                where,
            )

    def load_delegations(self, path: Path):
        rows = list(read_rows(path))
        self.stdout.write(f"Delegations: {len(rows)} rows from {path.name}")
        for where, row in rows:
            conference = self.conference(row["conference"], where)
            city = self.city(row["city"], row["country"], where)
            delegation = self.sync(Delegation, {"conference": conference, "city": city}, {"notes": row["notes"]}, where)
            titles = [title.strip() for title in row["sessions"].split(";") if title.strip()]
            sessions = {session.title: session for session in conference.sessions.filter(title__in=titles)}
            if unknown := [title for title in titles if title not in sessions]:
                raise CommandError(f"{where}: {conference.short_name} has no session called {', '.join(unknown)}.")
            linked = set(delegation.sessions.values_list("pk", flat=True))
            new = [session for session in sessions.values() if session.pk not in linked]
            delegation.sessions.add(*new)
            self.tally["Delegation in session"]["created"] += len(new)
            self.tally["Delegation in session"]["unchanged"] += len(titles) - len(new)
