"""The conferences' dashboard panel: the next conference and the delegations recorded for it so far."""

import datetime

from django.db.models import F
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from conferences.models import Conference
from reports.dashboard import MANAGERS, Figure, Panel, dashboard_panel


@dashboard_panel(order=3, audience=MANAGERS)
def next_conference_panel(today: datetime.date) -> Panel:
    """The conference under way or coming next (one query), its delegations, countries and delegates so far."""
    conference = (
        Conference.objects.upcoming().with_counts().order_by(F("start_date").asc(nulls_last=True), "number").first()
    )
    if conference is None:
        return Panel(_("Next conference"), [Figure(_("No conference planned"), "-")])
    delegations = reverse("reports:detail", args=["delegations"]) + f"?conference={conference.number}"
    delegates = reverse("reports:detail", args=["delegates"]) + f"?conference={conference.number}"
    when = date_format(conference.start_date, "j F Y") if conference.start_date else _("dates not set")
    return Panel(
        _("Next conference: %(name)s") % {"name": conference.short_name},
        [
            Figure(conference.short_name, when, reverse("admin:conferences_conference_change", args=[conference.pk])),
            Figure(_("Delegations recorded"), conference.delegation_count, delegations),
            Figure(_("Countries"), conference.country_count, delegations),
            Figure(_("Delegates recorded"), conference.delegate_count, delegates),
        ],
    )
