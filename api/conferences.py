"""API endpoints of the conferences: the list with counted-here figures, sessions, delegations and the delegates
whose name and role staff cleared for publication (name, role and head only)."""

from django.conf import settings
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from api.cursors import keyset_page
from api.paging import SLUG, SLUG_PATTERN, next_url
from api.schemas import ConferenceOut, DelegationPage, ErrorOut, SessionOut
from conferences.models import Conference, Delegate, Delegation, Session
from conferences.selectors import with_conference_counts
from network.models import City

router = Router(tags=["conferences"])


def conference_out(c: Conference) -> dict:
    """A conference given its counts by conferences.selectors.with_conference_counts()."""
    return {
        "number": c.number,
        "short_name": c.short_name,
        "slug": c.slug,
        "title": c.title,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "date_precision": c.date_precision,
        "dates_display": c.dates_display,
        "mode": c.mode,
        "host_city": c.host_city.slug if c.host_city else None,
        "venue": c.venue.name if c.venue else "",
        "attendance_stated": c.attendance_stated,
        "outcome_document": c.outcome_document,
        "award_year": c.award_year,
        "source": c.source,
        "delegation_count": c.delegation_count,
        "city_count": c.city_count,
        "country_count": c.country_count,
        "delegate_count": c.delegate_count,
        "url": c.get_absolute_url(),
    }


_conferences = Conference.objects.select_related("host_city", "venue")


@router.get("/conferences", response=list[ConferenceOut], summary="Conferences with the figures counted here")
def conference_list(request):
    return [conference_out(c) for c in with_conference_counts(list(_conferences.order_by("number")))]


@router.get("/conferences/{slug}", response={200: ConferenceOut, 404: ErrorOut}, summary="One conference")
def conference_detail(request, slug: str = SLUG):
    return conference_out(with_conference_counts([get_object_or_404(_conferences, slug=slug)])[0])


@router.get("/sessions", response={200: list[SessionOut], 404: ErrorOut}, summary="Sessions of the programme")
def session_list(
    request, conference: str | None = Query(None, max_length=40, pattern=SLUG_PATTERN, description="Conference slug.")
):
    sessions = Session.objects.annotate(conference_slug=F("conference__slug"))
    if conference:
        sessions = sessions.filter(conference=get_object_or_404(Conference.objects.only("pk"), slug=conference))
    return [
        {
            "conference": s.conference_slug,
            "kind": s.kind,
            "title": s.title,
            "date": s.date,
            "start_time": s.start_time,
            "description": s.description,
        }
        for s in sessions.order_by("conference__number", F("date").asc(nulls_last=True), "start_time", "pk")
    ]


def delegation_out(d: Delegation) -> dict:
    return {
        "id": d.pk,
        "conference": d.conference.slug,
        "city": d.city.slug,
        "city_name": d.city.name,
        "country": d.city.country.code,
        "city_was_member": d.city_was_member,
        "delegate_count": d.delegate_count,
        "delegates": [
            {"name": person.full_name, "role": person.role, "is_head": person.is_head} for person in d.public_delegates
        ],
    }


@router.get(
    "/delegations",
    response={200: DelegationPage, 400: ErrorOut, 404: ErrorOut},
    summary="Delegations, with whether the city was a member then and the published delegates",
)
def delegation_list(
    request,
    conference: str | None = Query(None, max_length=40, pattern=SLUG_PATTERN, description="Conference slug."),
    city: str | None = Query(None, max_length=220, pattern=SLUG_PATTERN, description="City slug."),
    cursor: str | None = Query(None, max_length=400),
    limit: int = Query(100, ge=1, le=500),
):
    delegations = (
        Delegation.objects.select_related("conference", "city__country")
        .with_member_status()
        .with_delegate_counts()
        # publishable() loads name, role and head only: contact fields never leave the database.
        .prefetch_related(Prefetch("delegates", queryset=Delegate.objects.publishable(), to_attr="public_delegates"))
    )
    if conference:
        delegations = delegations.filter(conference=get_object_or_404(Conference.objects.only("pk"), slug=conference))
    if city:
        delegations = delegations.filter(city=get_object_or_404(City.objects.only("pk"), slug=city))
    page = keyset_page(delegations, fields=("pk",), cursor=cursor, limit=limit)
    return {
        "licence": settings.OPEN_DATA_LICENCE,
        "results": [delegation_out(d) for d in page.rows],
        "next": next_url(request, page.next_cursor),
    }
