"""Moving an application through its steps: the one function that changes a status, the per-country cap,
admitting (a city and its membership term) and announcing a cohort.

Every rule here raises django.core.exceptions.ValidationError with a message staff (or an applicant) understand;
forms and admin actions show it as it is.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications.models import Application, Call, Decision, Endorsement, Transition
from applications.status import ALLOWED, DECIDED, Status
from core.dates import DatePrecision
from core.text import fold
from network.duplicates import likely_duplicates
from network.models import City, MembershipTerm


@dataclass(frozen=True)
class EndorsementData:
    """What the National Commission's endorsement records; `cap_override_reason` only past the cap."""

    commission: str
    endorsed_on: datetime.date
    endorsed_by: str
    cap_override_reason: str = ""


@dataclass(frozen=True)
class DecisionData:
    """UIL's decision: its date (for an admission, the announcement date the membership starts on) and reason."""

    decided_on: datetime.date
    reason: str = ""


def allowed_next(status: str) -> tuple[str, ...]:
    """The statuses an application in `status` may move to (applications/status.py ALLOWED)."""
    return tuple(ALLOWED.get(status, ()))


def transition_check(*, current: str, to: str) -> None:
    """Raise ValidationError unless `to` may follow `current`, naming the steps that may."""
    if to in allowed_next(current):
        return
    labels = dict(Status.choices)
    following = ", ".join(str(labels[s]) for s in allowed_next(current)) or _("none: this is a final step")
    raise ValidationError(
        _("An application that is “%(current)s” cannot become “%(to)s”. Next allowed: %(following)s.")
        % {"current": labels.get(current, current), "to": labels.get(to, to), "following": following},
        code="illegal_transition",
    )


def cap_check(*, application: Application, call: Call, override_reason: str = "") -> None:
    """Refuse a further endorsement for the country once `call.per_country_cap` are endorsed, naming them,
    unless an override reason is given. Call it with the call locked (application_transition does)."""
    endorsed = list(
        Application.objects.endorsed_in(call, application.country_id)
        .exclude(pk=application.pk)
        .select_related("city", "call")
        .order_by("id")
    )
    if len(endorsed) < call.per_country_cap or override_reason.strip():
        return
    raise ValidationError(
        _(
            "%(country)s already has %(count)s endorsed applications to the %(year)s call (the cap is %(cap)s): "
            "%(names)s. Give a reason to go over the cap."
        )
        % {
            "country": application.country,
            "count": len(endorsed),
            "year": call.year,
            "cap": call.per_country_cap,
            "names": ", ".join(a.city_name for a in endorsed),
        },
        code="over_cap",
    )


def admitted_city(*, application: Application) -> City:
    """The application's city record; for a new city, the one record whose folded name is the same, else a new
    record. Raises ValidationError when the name only resembles existing cities (network/duplicates): staff then
    choose the right record on the application."""
    if application.city_id:
        return application.city
    name, country_id = application.proposed_city_name, application.country_id
    similar = likely_duplicates(name, country_id)
    same = [city for city in similar if fold(city.name) == fold(name)]
    if len(same) == 1:
        return same[0]
    if similar:
        raise ValidationError(
            _("“%(name)s” resembles %(cities)s: choose the city's record on the application, then admit it.")
            % {"name": name, "cities": ", ".join(city.name for city in similar)},
            code="likely_duplicate",
        )
    # The secretariat writes to the new member as the application asked: its contact, in its language.
    city = City(
        name=name,
        country_id=country_id,
        website=application.website,
        population=application.population,
        contact_email=application.contact_email,
        correspondence_language=application.language,
    )
    city.full_clean()
    city.save()
    return city


def _admit(application: Application, decision: DecisionData, user) -> None:
    city = admitted_city(application=application)
    call = application.call
    term = MembershipTerm(
        city=city,
        start_date=decision.decided_on,
        start_precision=DatePrecision.DAY,
        source=_("Call for applications %(year)s, announced %(date)s")
        % {"year": call.year, "date": date_format(decision.decided_on, "j F Y")},
    )
    try:
        term.full_clean()
    except ValidationError as error:
        raise ValidationError(
            _("%(city)s cannot start a membership on %(date)s: %(reason)s")
            % {"city": city, "date": date_format(decision.decided_on, "j F Y"), "reason": " ".join(error.messages)}
        ) from error
    term._history_user = user
    term.save()
    application.city = city


def _record_step(application, to, *, endorsement, decision, user, now) -> None:
    if to == Status.RECEIVED and application.submitted_at is None:
        application.submitted_at = now
    if to == Status.ENDORSED:
        if endorsement is None:
            raise ValidationError(_("Record the National Commission's endorsement to mark it endorsed."))
        cap_check(application=application, call=application.call, override_reason=endorsement.cap_override_reason)
        record = Endorsement(application=application, **endorsement.__dict__)
        record.full_clean()
        record._history_user = user
        record.save()
    if to in DECIDED:
        if decision is None:
            raise ValidationError(_("Give the decision's date to record it."))
        if to == Status.ADMITTED:
            _admit(application, decision, user)
        record = Decision(application=application, outcome=to, **decision.__dict__)
        record.full_clean()
        record._history_user = user
        record.save()


def application_transition(
    *,
    application: Application,
    to: str,
    user=None,
    note: str = "",
    endorsement: EndorsementData | None = None,
    decision: DecisionData | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """Move `application` to status `to`, if allowed from its current (re-read, locked) status, and record who and
    when as a Transition row and a history version. Endorsing needs `endorsement` and passes the per-country cap
    with the call locked (select_for_update), so two clerks at once cannot both pass it; a decision needs
    `decision`, and admitting creates or reuses the city and starts its membership term, all in one transaction.
    Raises ValidationError; on error nothing is written. Returns the application as saved."""
    now = now or timezone.now()
    with transaction.atomic():
        # The call's row is the lock every endorsement of the call queues on.
        Call.objects.select_for_update().get(pk=application.call_id)
        current = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call", "country", "city")
            .get(pk=application.pk)
        )
        transition_check(current=current.status, to=to)
        _record_step(current, to, endorsement=endorsement, decision=decision, user=user, now=now)
        previous, current.status = current.status, to
        current._history_user = user
        current._change_reason = note[:100]
        current.save()
        Transition.objects.create(
            application=current,
            from_status=previous,
            to_status=to,
            at=now,
            by=user,
            by_name=user.get_username() if user is not None else "",
            note=note,
        )
    return current


def call_announce_cohort(*, call: Call, announced_on: datetime.date, user=None) -> list[Application]:
    """Admit every recommended application of `call` on `announced_on` and record the announcement date: all or
    nothing. Raises ValidationError listing every application that could not be admitted, and then writes nothing."""
    admitted, problems = [], []
    with transaction.atomic():
        pending = call.applications.filter(status=Status.RECOMMENDED).select_related("city", "country").order_by("id")
        for application in pending:
            try:
                with transaction.atomic():
                    admitted.append(
                        application_transition(
                            application=application,
                            to=Status.ADMITTED,
                            user=user,
                            decision=DecisionData(decided_on=announced_on, reason=_("Admitted with the cohort.")),
                            note=_("Cohort announced"),
                        )
                    )
            except ValidationError as error:
                problems.append(f"{application.city_name}: {' '.join(error.messages)}")
        if problems:
            raise ValidationError(
                _("Nothing was announced. %(problems)s") % {"problems": " ".join(problems)}, code="cohort_refused"
            )
        call.announced_on = announced_on
        call.full_clean()
        call._history_user = user
        call.save()
    return admitted
