"""The network's dashboard panels: members today, joins and departures, by region, follow-up and data gaps.

Each panel runs a fixed number of queries (one or two aggregates), whatever the number of cities.
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.translation import collation_key, localized
from imports.models import ImportRecord
from network.models import City, MembershipTerm, Region
from network.selectors import possible_duplicate_ids, progress_reports_due_counts
from reports.dashboard import DATA_ENTRY, MANAGERS, Figure, Panel, dashboard_panel

ENDING_SOON_DAYS = 90


def _report(name: str, **filters) -> str:
    query = urlencode({k: v for k, v in filters.items() if v not in (None, "")})
    return reverse("reports:detail", args=[name]) + (f"?{query}" if query else "")


def _admin(model: str, **lookups) -> str:
    return reverse(f"admin:network_{model}_changelist") + (f"?{urlencode(lookups)}" if lookups else "")


@dashboard_panel(order=1, audience=MANAGERS)
def membership_panel(today: datetime.date) -> Panel:
    """Members today, by region; terms begun and ended this year and last year (one query each)."""
    this, last = today.year, today.year - 1
    moves = MembershipTerm.objects.aggregate(
        joined_this=Count("pk", filter=Q(start_date__year=this)),
        joined_last=Count("pk", filter=Q(start_date__year=last)),
        left_this=Count("pk", filter=Q(end_date__year=this, end_date__lte=today)),
        left_last=Count("pk", filter=Q(end_date__year=last)),
    )
    members = City.objects.members_on(today)
    per_region = dict(members.order_by().values_list("country__region__slug").annotate(n=Count("pk")))
    regions = sorted(Region.objects.values_list("slug", localized("name")), key=lambda region: collation_key(region[1]))
    return Panel(
        _("Membership"),
        [
            Figure(_("Members today"), sum(per_region.values()), _report("cities", status="current")),
            Figure(
                _("Joined in %(year)s") % {"year": this},
                moves["joined_this"],
                _admin("membershipterm", start_date__year=this),
            ),
            Figure(
                _("Joined in %(year)s") % {"year": last},
                moves["joined_last"],
                _admin("membershipterm", start_date__year=last),
            ),
            Figure(
                _("Left in %(year)s") % {"year": this},
                moves["left_this"],
                _admin("membershipterm", end_date__year=this),
            ),
            Figure(
                _("Left in %(year)s") % {"year": last},
                moves["left_last"],
                _admin("membershipterm", end_date__year=last),
            ),
        ],
        rows=[
            (name, [Figure(_("Members"), per_region.get(slug, 0), _report("members-by-country", region=slug))])
            for slug, name in regions
        ],
        columns=[_("Region"), _("Members today")],
    )


@dashboard_panel(order=2, audience=MANAGERS)
def follow_up_panel(today: datetime.date) -> Panel:
    """Terms ending within ENDING_SOON_DAYS, and progress reports overdue (dated) or undatable (no join date)."""
    soon = today + datetime.timedelta(days=ENDING_SOON_DAYS)
    ending = MembershipTerm.objects.filter(end_date__gte=today, end_date__lte=soon).count()
    overdue, undated = progress_reports_due_counts(today)
    return Panel(
        _("Follow-up"),
        [
            Figure(
                _("Terms ending soon"),
                ending,
                _admin("membershipterm", end_date__gte=today.isoformat(), end_date__lte=soon.isoformat()),
                note=ngettext("within %(days)s day", "within %(days)s days", ENDING_SOON_DAYS)
                % {"days": ENDING_SOON_DAYS},
            ),
            Figure(_("Progress reports overdue"), overdue, _report("progress-reports-due")),
            Figure(
                _("Members with no date to count a report from"),
                undated,
                _report("progress-reports-due") + "#undated",
            ),
        ],
    )


@dashboard_panel(order=5, audience=MANAGERS)
@dashboard_panel(order=1, audience=DATA_ENTRY)
def data_gaps_panel(today: datetime.date) -> Panel:
    """Cities without coordinates, members whose join date was not recorded, likely duplicate cities, imports
    previewed and never applied."""
    no_coordinates = Q(latitude__isnull=True) | Q(longitude__isnull=True)
    gaps = City.objects.aggregate(no_coordinates=Count("pk", filter=no_coordinates))
    undated = MembershipTerm.objects.filter(start_date__isnull=True, end_date__isnull=True).count()
    duplicate_count = len(possible_duplicate_ids())
    unapplied = ImportRecord.objects.filter(status=ImportRecord.Status.PREVIEWED).count()
    imports = reverse("admin:imports_importrecord_changelist") + "?status__exact=previewed"
    return Panel(
        _("Data gaps"),
        [
            Figure(_("Cities without coordinates"), gaps["no_coordinates"], _admin("city", latitude__isnull="True")),
            Figure(
                _("Members without a join date"),
                undated,
                _admin("membershipterm", start_date__isnull="True", end_date__isnull="True"),
            ),
            Figure(_("Cities that may be duplicates"), duplicate_count, _report("possible-duplicates")),
            Figure(_("Imports previewed, never applied"), unapplied, imports),
        ],
    )
