"""The mixed load test's writer: small, reversible edits through the admin of one app server, each checked for
freshness on every server (devtools/loadtest.py has the HTTP side), and the clean-up that reverses them."""

import datetime
import json
import random
import secrets
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from conferences.models import Delegate, Delegation
from devtools.loadtest import RENAME_MARK, AdminClient, Check, Tally, check_fresh, cohort_csv, html_text
from network.models import City, MembershipTerm

WRITER_USERNAME = "loadtest-writer"
IMPORT_PROVINCES = ("Loadtest province A", "Loadtest province B")


def _api_city(city: City) -> str:
    return f"/api/v1/cities/{city.slug}"


def joined_text(term: MembershipTerm) -> str:
    """A term's start as a cohort file writes it: "2020", "2020-02" or "2020-02-14"."""
    text = term.start_date.isoformat()
    return {"year": text[:4], "month": text[:7]}.get(term.start_precision, text)


@dataclass
class Targets:
    """The records the writer edits, chosen once, none of them twice: cities to rename, former members to give a
    term (added today, ended, then deleted), published delegates to withdraw and publish again, and a member
    city whose province the imports change."""

    renames: list[City] = field(default_factory=list)
    terms: list[City] = field(default_factory=list)
    delegates: list[Delegate] = field(default_factory=list)
    imported: City | None = None
    imported_term: MembershipTerm | None = None

    @classmethod
    def choose(cls, size: int, seed: int = 5) -> "Targets":
        """`size` records of each kind from the database at hand, the same on every run of the same data."""
        rng = random.Random(seed)
        today = datetime.date.today()
        open_or_recent = MembershipTerm.objects.filter(city=OuterRef("pk")).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today) | Q(start_date__gte=today)
        )
        unmarked = ~Q(name__contains=RENAME_MARK.strip()) & ~Q(province__in=IMPORT_PROVINCES)
        delegates = cls._delegates(size, rng)
        taken = {d.delegation.city_id for d in delegates}
        former = _pick(
            City.objects.former_members().filter(unmarked).exclude(Exists(open_or_recent)).exclude(pk__in=taken),
            size,
            rng,
        )
        taken |= {c.pk for c in former}
        renames = _pick(City.objects.filter(unmarked).exclude(pk__in=taken), size, rng)
        taken |= {c.pk for c in renames}
        members = City.objects.current_members().filter(unmarked).exclude(pk__in=taken)
        imported = _pick(members.filter(membership_terms__start_date__isnull=False), 1, rng)
        term = None
        if imported:
            term = imported[0].membership_terms.exclude(start_date=None).order_by("-start_date").first()
        return cls(renames, former, delegates, imported[0] if imported else None, term)

    @staticmethod
    def _delegates(size: int, rng: random.Random) -> list[Delegate]:
        # Small delegations of cities with few delegations: the city's page and its API answer list them whole.
        small = (
            Delegation.objects.annotate(n=Count("delegates"))
            .filter(n__gte=1, n__lte=5)
            .filter(city__in=City.objects.annotate(d=Count("delegations")).filter(d__lte=5).values("pk"))
        )
        chosen, cities = [], set()
        candidates = list(
            Delegate.objects.filter(is_public=True, delegation__in=small.values("pk"))
            .select_related("delegation__city")
            .order_by("pk")[: size * 50]
        )
        rng.shuffle(candidates)
        for delegate in candidates:
            city = delegate.delegation.city
            namesakes = Delegate.objects.filter(delegation__city=city, full_name__contains=delegate.full_name)
            if city.pk in cities or namesakes.count() != 1 or len(delegate.full_name) < 6:
                continue
            chosen.append(delegate)
            cities.add(city.pk)
            if len(chosen) == size:
                break
        return chosen


def _pick(queryset, size: int, rng: random.Random) -> list:
    ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:5000])
    chosen = sorted(rng.sample(ids, min(size, len(ids))))
    return list(City.objects.filter(pk__in=chosen).select_related("country").order_by("pk"))


class Writer:
    """Edits through `admin` (an AdminClient of one server), then reads each edit back from `bases` (every
    server's root URL) and counts the reads in `tally`. Every edit is undone by a later one or by clean_up()."""

    def __init__(self, admin: AdminClient, bases: list[str], targets: Targets, tally: Tally):
        self.admin, self.bases, self.targets, self.tally = admin, bases, targets, tally
        self.renamed: dict[int, str] = {}  # city id -> its name before the rename
        self.added_terms: dict[int, int] = {}  # city id -> the term added to it
        self.ended_terms: set[int] = set()
        self.withdrawn: set[int] = set()  # delegate ids withdrawn from publication
        self.original_province = targets.imported.province if targets.imported else ""
        self.imports = 0
        self._turn = 0

    def _write(self, kind: str, edit) -> None:
        started = time.perf_counter()
        try:
            checks = edit()
        except Exception as error:
            self.tally.write_errors += 1
            self.tally.problem(f"{kind}: {error}")
            return
        self.tally.wrote(kind, (time.perf_counter() - started) * 1000)
        check_fresh(self.bases, checks, self.tally)

    def step(self) -> None:
        """One edit: by turns a rename (or the rename back), a term (added, ended, deleted), a delegate's
        publication toggled."""
        kinds = [
            ("rename", self.targets.renames, self.rename),
            ("term", self.targets.terms, self.term),
            ("delegate", self.targets.delegates, self.toggle_delegate),
        ]
        kinds = [kind for kind in kinds if kind[1]]
        name, records, edit = kinds[self._turn % len(kinds)]
        record = records[(self._turn // len(kinds)) % len(records)]
        self._turn += 1
        self._write(name, lambda: edit(record))

    # --- the edits; each returns the checks of what it changed ---------------------------------------------------

    def rename(self, city: City) -> list[Check]:
        original = self.renamed.get(city.pk)
        if original is None:
            # Noted before the post: a write whose answer is lost may still have been saved, and is undone.
            self.renamed[city.pk] = city.name
            name, absent = city.name + RENAME_MARK, ""
        else:
            name, absent = original, original + RENAME_MARK
        self.admin.submit(reverse("admin:network_city_change", args=[city.pk]), {"name": name})
        if original is not None:
            del self.renamed[city.pk]
        page = Check(city.get_absolute_url(), contains=html_text(name), lacks=html_text(absent) if absent else "")
        return [page, Check(_api_city(city), json_test=lambda data, name=name: data["name"] == name)]

    def term(self, city: City) -> list[Check]:
        today = datetime.date.today()
        if city.pk not in self.added_terms:
            self.admin.submit(
                reverse("admin:network_membershipterm_add"),
                {"city": str(city.pk), "start_date": today.isoformat(), "start_precision": "day"},
            )
            self.added_terms[city.pk] = MembershipTerm.objects.get(city=city, start_date=today).pk
            return [Check(_api_city(city), json_test=lambda data: data["status"] == "current")]
        term_id = self.added_terms[city.pk]
        if term_id not in self.ended_terms:
            self.admin.submit(
                reverse("admin:network_membershipterm_change", args=[term_id]),
                {"end_date": today.isoformat(), "end_reason": "other"},
            )
            self.ended_terms.add(term_id)
            return [Check(_api_city(city), json_test=lambda data: _has_term(data, today, ended=True))]
        self.admin.submit(reverse("admin:network_membershipterm_delete", args=[term_id]))
        del self.added_terms[city.pk]
        self.ended_terms.discard(term_id)
        return [Check(_api_city(city), json_test=lambda data: not _has_term(data, today))]

    def toggle_delegate(self, delegate: Delegate) -> list[Check]:
        publish = delegate.pk in self.withdrawn
        self.admin.submit(
            reverse("admin:conferences_delegate_change", args=[delegate.pk]), {"is_public": "on" if publish else None}
        )
        (self.withdrawn.discard if publish else self.withdrawn.add)(delegate.pk)
        city, name = delegate.delegation.city, delegate.full_name
        shown = html_text(name)
        page = Check(city.get_absolute_url(), contains=shown if publish else "", lacks="" if publish else shown)

        def in_api(data):
            names = {d["name"] for result in data["results"] for d in result["delegates"]}
            return (name in names) == publish

        return [page, Check(f"/api/v1/delegations?city={city.slug}", json_test=in_api)]

    def apply_import(self) -> None:
        """A one-row cohort through the admin's import pages: the chosen member city, its join date as it is,
        its province changed (A and B by turns); checked on its page and its API answer."""
        city, term = self.targets.imported, self.targets.imported_term
        if city is None or term is None:
            return
        province = IMPORT_PROVINCES[self.imports % 2]

        def edit():
            data = cohort_csv(
                [{"city": city.name, "country": city.country.code, "joined": joined_text(term), "province": province}]
            )
            upload = reverse("admin:network_city_import")
            preview = self.admin.submit(upload, files={"file": ("loadtest-cohort.csv", data, "text/csv")})
            self.admin.submit(preview.headers["Location"])  # the preview's Apply form
            self.imports += 1
            self.tally.imports += 1
            return [
                Check(city.get_absolute_url(), contains=html_text(province)),
                Check(_api_city(city), json_test=lambda data: data["province"] == province),
            ]

        self._write("import", edit)

    def clean_up(self) -> None:
        """Undo what the run left changed, through the admin: names back, added terms deleted, delegates published
        again, the imported city's province as it was."""
        for city in self.targets.renames:
            if city.pk in self.renamed:
                self._write("rename", lambda city=city: self.rename(city))
        for city in self.targets.terms:
            while city.pk in self.added_terms:
                self._write("term", lambda city=city: self.term(city))
                if self.tally.write_errors > 100:
                    break
        for delegate in self.targets.delegates:
            if delegate.pk in self.withdrawn:
                self._write("delegate", lambda delegate=delegate: self.toggle_delegate(delegate))
        city = self.targets.imported
        if city is not None and self.imports:
            self._write("restore", self.restore_province)

    def restore_province(self) -> list[Check]:
        city = self.targets.imported
        self.admin.submit(reverse("admin:network_city_change", args=[city.pk]), {"province": self.original_province})
        return [Check(_api_city(city), json_test=lambda data: data["province"] == self.original_province)]


def _has_term(data: dict, start: datetime.date, ended: bool | None = None) -> bool:
    for term in data["terms"]:
        if term["start"] == start.isoformat():
            return ended is None or (term["end"] is not None) == ended
    return False


def create_writer_user() -> tuple[str, str]:
    """A superuser for the writer with a random password, replacing one a crashed run left: (name, password)."""
    user_model = get_user_model()
    user_model.objects.filter(username=WRITER_USERNAME).delete()
    password = secrets.token_urlsafe(24)
    user_model.objects.create_superuser(WRITER_USERNAME, email="", password=password)
    return WRITER_USERNAME, password


def delete_writer_user() -> None:
    get_user_model().objects.filter(username=WRITER_USERNAME).delete()


def run(base: str, others: list[str], duration: float, interval: float, import_every: float, size: int) -> Tally:
    """The whole writer: sign in to `base`'s admin, edit every `interval` seconds and import every `import_every`
    for `duration` seconds, checking on `base` and `others`, then undo the edits and remove the user."""
    tally = Tally()
    username, password = create_writer_user()
    try:
        admin = AdminClient(base, reverse("admin:index"))
        admin.sign_in(username, password)
        targets = Targets.choose(size)
        writer = Writer(admin, [base, *others], targets, tally)
        started = time.monotonic()
        next_import = started + import_every / 2
        try:
            while (now := time.monotonic()) < started + duration:
                if now >= next_import:
                    writer.apply_import()
                    next_import += import_every
                else:
                    writer.step()
                time.sleep(max(0.0, interval - (time.monotonic() - now)))
        finally:
            writer.clean_up()
            admin.sign_out(settings.CSRF_COOKIE_NAME)  # no session left behind
    finally:
        delete_writer_user()
    return tally


def tally_from_json(text: str) -> Tally:
    return Tally(**json.loads(text))
