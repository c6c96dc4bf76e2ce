"""The managers' dashboard: headline figures the domain apps declare, each a link to the list behind it.

A domain app declares panels in its `reports.py` (autodiscovered, like its reports):

    @dashboard_panel(order=1, audience=MANAGERS)
    def membership_panel(today: datetime.date) -> Panel:
        return Panel("Membership", [Figure("Members today", 292, url)])

A panel function runs a fixed number of queries whatever the size of the registry, and reads no request;
`audience` says who sees it: MANAGERS (the dashboard at /reports/ and the admin index of those who may see
reports) or DATA_ENTRY (the admin index of those who may change the records: data gaps to fix).
The figures are cached like the reports (core.cache: stale as soon as a record changes, or an import is
previewed, applied or dropped).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from core.cache import IMPORTS, cached, every_list
from reports.base import VIEW_REPORTS

MANAGERS, DATA_ENTRY = "managers", "data-entry"
# Whoever may change cities keeps the records, and sees what is missing from them.
CHANGE_RECORDS = "network.change_city"


@dataclass(frozen=True)
class Figure:
    """One number and the address of the filtered list it counts; `note` qualifies it ("ICLC 7, 2027")."""

    label: str
    value: int | str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Panel:
    """A titled group of figures; `rows` is an optional small table (label, figures) such as one row per region."""

    title: str
    figures: list[Figure] = field(default_factory=list)
    rows: list[tuple[str, list[Figure]]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Declared:
    order: int
    audience: str
    build: Callable[[datetime.date], Panel]


_PANELS: list[_Declared] = []


def dashboard_panel(*, order: int = 9, audience: str = MANAGERS):
    """Declare a panel function (taking today's date, returning a Panel) for `audience`."""
    if audience not in (MANAGERS, DATA_ENTRY):
        raise ValueError(f"Unknown audience '{audience}': use MANAGERS or DATA_ENTRY.")

    def register(build):
        _PANELS.append(_Declared(order, audience, build))
        return build

    return register


def dashboard_panels(audience: str) -> list[Panel]:
    """The panels of `audience`, in their order, computed once per change of the records (and per day)."""
    declared = sorted((p for p in _PANELS if p.audience == audience), key=lambda p: p.order)

    def compute():
        today = timezone.localdate()
        return [p.build(today) for p in declared]

    return cached("dashboard", compute, audience, scopes=(*every_list(), IMPORTS))


def panels_for(user) -> list[Panel]:
    """What the admin index opens on for `user`: the managers' figures for those who may see reports, the data
    gaps for those who may change the records (once, if both)."""
    panels = dashboard_panels(MANAGERS) if user.has_perm(VIEW_REPORTS) else []
    if user.has_perm(CHANGE_RECORDS):
        titles = {panel.title for panel in panels}
        panels += [panel for panel in dashboard_panels(DATA_ENTRY) if panel.title not in titles]
    return panels
