"""The demo of admissions: the 2025 call with one invented application in every status."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from applications.models import Application, Call, Review
from applications.status import DECIDED, Status
from applications.workflow import DecisionData, EndorsementData, application_transition
from network.models import Country

# (city, country code, status): every name is invented and says so; the countries are real.
APPLICATIONS = [
    ("Demoville (fictional)", "FR", Status.DRAFT),
    ("Exampleton (fictional)", "KE", Status.RECEIVED),
    ("Sampleburg (fictional)", "DE", Status.ENDORSED),
    ("Placeholder Bay (fictional)", "CL", Status.UNDER_REVIEW),
    ("Mockford (fictional)", "CA", Status.RECOMMENDED),
    ("Testaro (fictional)", "IT", Status.NOT_RECOMMENDED),
    ("Fictoria (fictional)", "VN", Status.ADMITTED),
    ("Nowhere Springs (fictional)", "AU", Status.NOT_ADMITTED),
    ("Maybeton (fictional)", "BR", Status.DEFERRED),
]
# The path each status is reached by (applications/status.py).
PATHS = {
    Status.RECOMMENDED: [Status.RECEIVED, Status.ENDORSED, Status.UNDER_REVIEW, Status.RECOMMENDED],
    Status.NOT_RECOMMENDED: [Status.RECEIVED, Status.ENDORSED, Status.UNDER_REVIEW, Status.NOT_RECOMMENDED],
}
ANNOUNCED = datetime.date(2025, 12, 4)  # the day the 2025 cohort was announced


def path_to(status: str) -> list[str]:
    """The statuses an application passes through, after draft, to reach `status`."""
    if status in PATHS:
        return PATHS[status]
    if status in DECIDED:
        return [*PATHS[Status.RECOMMENDED], status]
    order = [Status.RECEIVED, Status.ENDORSED, Status.UNDER_REVIEW]
    return order[: order.index(status) + 1] if status in order else []


class Command(BaseCommand):
    help = (
        "Load the 2025 call for applications with one invented application in every status (names marked "
        "'fictional'), so the pipeline report and the admin show something. Does nothing if the 2025 call "
        "already has applications. The admitted one becomes a member city, as admitting does."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            call, _ = Call.objects.get_or_create(
                year=2025,
                defaults={
                    "opens_on": datetime.date(2025, 3, 1),
                    "closes_on": datetime.date(2025, 5, 31),
                    "announced_on": ANNOUNCED,
                    "how_to_apply": "Demo call: its opening and closing dates are invented for the demo.",
                },
            )
            if call.applications.exists():
                self.stdout.write("The 2025 call already has applications; nothing loaded.")
                return
            for name, code, status in APPLICATIONS:
                self.load(call, name, Country.objects.get(code=code), status)
        self.stdout.write(self.style.SUCCESS(f"Demo admissions loaded: {len(APPLICATIONS)} applications to 2025."))

    def load(self, call, name: str, country, status: str) -> None:
        slug = name.split(" (")[0].lower().replace(" ", "")
        application = Application.objects.create(
            call=call,
            country=country,
            proposed_city_name=name,
            language="fr" if code_speaks_french(country.code) else "en",
            website=f"https://{slug}.example.org/",
            mayor_name=f"Mayor of {name}",
            mayor_title="Mayor",
            contact_name=f"Contact person of {name}",
            contact_email=f"contact@{slug}.example.org",
            population=150000,
            vision="An invented city for the demo: learning for all, at every age.",
            plans="Invented plans: a learning festival and a library in every district.",
            challenges={"literacy": 3, "employment": 4},
        )
        now = timezone.now()
        for step in path_to(status):
            extra = {}
            if step == Status.ENDORSED:
                extra["endorsement"] = EndorsementData(
                    commission=f"National Commission for UNESCO of {country.name}",
                    endorsed_on=datetime.date(2025, 6, 15),
                    endorsed_by="Secretary-General (demo)",
                )
            if step in DECIDED:
                extra["decision"] = DecisionData(decided_on=ANNOUNCED, reason="Demo decision.")
            if step in (Status.RECOMMENDED, Status.NOT_RECOMMENDED):
                recommendation = Review.Recommendation.RECOMMEND if step == Status.RECOMMENDED else "do_not_recommend"
                Review.objects.create(
                    application=application, jury_member="Jury member (demo)", recommendation=recommendation, score=3
                )
            application = application_transition(application=application, to=step, note="Demo data", now=now, **extra)


def code_speaks_french(code: str) -> bool:
    return code in {"FR", "BE", "CH", "CA", "SN", "CI", "CM", "MA", "TN"}
