"""The conferences' dashboard panel: the next conference and the delegations recorded for it so far."""

import datetime

from django.db.models import F
from django.urls import reverse

from conferences.models import Conference
from reports.dashboard import MANAGERS, Figure, Panel, dashboard_panel


@dashboard_panel(order=3, audience=MANAGERS)
def next_conference_panel(today: datetime.date) -> Panel:
    """The conference under way or coming next (one query), its delegations, countries and delegates so far."""
    conference = (
        Conference.objects.upcoming().with_counts().order_by(F("start_date").asc(nulls_last=True), "number").first()
    )
    if conference is None:
        return Panel("Next conference", [Figure("No conference planned", "-")])
    delegations = reverse("reports:detail", args=["delegations"]) + f"?conference={conference.number}"
    delegates = reverse("reports:detail", args=["delegates"]) + f"?conference={conference.number}"
    when = f"{conference.start_date:%-d %B %Y}" if conference.start_date else "dates not set"
    return Panel(
        f"Next conference: {conference.short_name}",
        [
            Figure(conference.short_name, when, reverse("admin:conferences_conference_change", args=[conference.pk])),
            Figure("Delegations recorded", conference.delegation_count, delegations),
            Figure("Countries", conference.country_count, delegations),
            Figure("Delegates recorded", conference.delegate_count, delegates),
        ],
    )
