from django.apps import AppConfig
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save

# The list scope (core.cache.list_scope) of delegations and delegates: every list depends on it, except those
# that say they show none (the directory, the map).
PARTICIPATION = "participation"


class ConferencesConfig(AppConfig):
    name = "conferences"
    verbose_name = "Conferences"

    def ready(self):
        from core.cache import list_scope, watch

        watch(*(self.get_model(name) for name in ["Venue", "Conference", "Session"]))
        # Delegations and delegates bump a list scope of their own: lists of cities (the directory, the map) stay.
        participation = list_scope(PARTICIPATION)
        # A delegation shows on its city's profile and in its conference's counts, and so do its delegates; an
        # edit that moves one refreshes where it was too.
        delegation, delegate = self.get_model("Delegation"), self.get_model("Delegate")
        pre_save.connect(_remember_stored_scopes, sender=delegation, dispatch_uid="conferences-delegation-was")
        pre_save.connect(_remember_stored_scopes, sender=delegate, dispatch_uid="conferences-delegate-was")
        watch(delegation, record_scopes=delegation_scopes, lists=participation)
        watch(delegate, record_scopes=delegate_scopes, lists=participation)
        # A conference's page names the cities that went and its host; a city moved to another country changes
        # the country counts of every conference it attended.
        city = self.apps.get_model("network", "City")
        post_save.connect(_city_saved, sender=city, dispatch_uid="conferences-city-saved")
        # The same, for a bulk write to cities or their terms (an import), which sends no model signals.
        from network.scopes import cities_changed

        cities_changed.connect(_cities_changed, dispatch_uid="conferences-cities-changed")
        # A conference's page lists the winners of its award year.
        award = self.apps.get_model("network", "Award")
        pre_save.connect(_remember_award_year, sender=award, dispatch_uid="conferences-award-year-was")
        post_save.connect(_award_changed, sender=award, dispatch_uid="conferences-award-saved")
        post_delete.connect(_award_changed, sender=award, dispatch_uid="conferences-award-deleted")
        # Whether a city was a member during a conference depends on its terms.
        term = self.apps.get_model("network", "MembershipTerm")
        pre_save.connect(_remember_stored_span, sender=term, dispatch_uid="conferences-term-span-was")
        post_save.connect(_recount_conferences_of_term, sender=term, dispatch_uid="conferences-term-saved")
        post_delete.connect(_recount_conferences_of_term, sender=term, dispatch_uid="conferences-term-deleted")


def _scopes_of_delegations(delegations) -> list[str]:
    """The pages a delegation shows on: its city's, country's and region's (network.scopes) and its conference's."""
    from network.scopes import city_scopes_of

    delegations = list(delegations)
    conferences = [f"conference:{conference}" for _city, conference in delegations]
    return city_scopes_of(city for city, _conference in delegations) + conferences


def delegation_scopes(delegation) -> list[str]:
    """Its city's pages and its conference's counts, and those it was saved under before this edit."""
    now = [(delegation.city_id, delegation.conference_id)]
    return _scopes_of_delegations(now) + getattr(delegation, "_stored_scopes", [])


def _scopes_of_delegates(delegations) -> list[str]:
    """The pages a delegate shows on: its city's profile (which names the public ones) and its conference's page
    and counts. Not its country's or region's: they count the cities that sent a delegation, never delegates, so
    publishing or withdrawing a name leaves them cached."""
    return [scope for city, conference in delegations for scope in (f"city:{city}", f"conference:{conference}")]


def delegate_scopes(delegate) -> list[str]:
    """The pages of the city that sent the delegate and its conference's (the delegation may be gone when
    deleted with it), and those of the delegation it belonged to before this edit."""
    from conferences.models import Delegate, Delegation

    if Delegate._meta.get_field("delegation").is_cached(delegate):
        now = [(delegate.delegation.city_id, delegate.delegation.conference_id)]
    else:
        now = Delegation.objects.filter(pk=delegate.delegation_id).values_list("city_id", "conference_id")
    return _scopes_of_delegates(now) + getattr(delegate, "_stored_scopes", [])


def _remember_stored_scopes(sender, instance, raw=False, **kwargs) -> None:
    """Before a delegation or delegate is saved again, the scopes of the row as stored (one query by key)."""
    from conferences.models import Delegation

    if raw or instance.pk is None:
        return
    if sender is Delegation:
        stored = Delegation.objects.filter(pk=instance.pk).values_list("city_id", "conference_id")
        instance._stored_scopes = _scopes_of_delegations(stored)
    else:
        delegation = sender.objects.filter(pk=instance.pk).values("delegation_id")
        stored = Delegation.objects.filter(pk__in=delegation).values_list("city_id", "conference_id")
        instance._stored_scopes = _scopes_of_delegates(stored)


def _city_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    """A city saved again: the conferences it attended or hosted show its name (and count its country)."""
    if not (raw or created):
        _recount_conferences_of(instance.pk)


def _remember_award_year(sender, instance, raw=False, **kwargs) -> None:
    if not raw and instance.pk is not None:
        instance._stored_year = sender.objects.filter(pk=instance.pk).values_list("year", flat=True).first()


def _award_changed(sender, instance, raw=False, **kwargs) -> None:
    """An award saved or deleted: the pages of the conferences of its year (and of the year it had) list it."""
    from conferences.models import Conference
    from core.cache import bump

    if not raw:
        years = {instance.year, getattr(instance, "_stored_year", instance.year)}
        conferences = Conference.objects.filter(award_year__in=years).values_list("pk", flat=True)
        bump(f"conference:{pk}" for pk in conferences)


def _remember_stored_span(sender, instance, raw=False, **kwargs) -> None:
    """pre_save of MembershipTerm: its city and span as stored, so an edit recounts the conferences of both."""
    if not raw and instance.pk is not None:
        instance._stored_span = (
            sender.objects.filter(pk=instance.pk).values_list("city_id", "start_date", "end_date").first()
        )


def _recount_conferences_of_term(sender, instance, raw=False, **kwargs) -> None:
    """A membership term saved or deleted: the conferences its city attended on a day the term covers (as it is
    now, or as it was) count their members again; the others' member status cannot have changed. A term added
    today leaves every past conference cached."""
    if not raw:
        spans = [(instance.city_id, instance.start_date, instance.end_date)]
        if stored := getattr(instance, "_stored_span", None):
            spans.append(stored)
        _recount_conferences_covered_by(spans)


def _recount_conferences_covered_by(spans) -> None:
    """Bump the scopes of the conferences that a city of (city pk, start, end) attended on a day of that span.

    The test mirrors DelegationQuerySet.with_member_status() (network.membership.overlapping), SQL's NULLs
    included: a term with no start counts from the beginning and one with no end is open, and a conference with
    no dates is covered by no term that has them. A conference the span does not cover has the same member
    status for that city whatever the term says. One query."""
    from conferences.models import Conference, Delegation
    from core.cache import bump

    covered = Q(pk__in=[])
    for city, start, end in spans:
        span = Q(pk__in=Delegation.objects.filter(city_id=city).values("conference_id"))
        if start is not None:
            span &= Q(end_date__gte=start)
        if end is not None:
            span &= Q(start_date__lte=end)
        covered |= span
    bump(f"conference:{pk}" for pk in Conference.objects.filter(covered).values_list("pk", flat=True))


def _cities_changed(sender, city_ids, **kwargs) -> None:
    """network.scopes.cities_changed: recount the conferences those cities attended, hosted or won at."""
    _recount_conferences_of(*city_ids)


def _recount_conferences_of(*city_ids) -> None:
    """Bump the scopes of the conferences whose page shows one of the cities: it attended, hosted or won that
    year's award there (their pages and counts). One query, however many cities."""
    from conferences.models import Conference, Delegation
    from core.cache import bump
    from network.models import Award

    if not city_ids:
        return
    attended = Delegation.objects.filter(city_id__in=city_ids).values("conference_id")
    awarded = Award.objects.filter(city_id__in=city_ids).values("year")
    shown = Q(pk__in=attended) | Q(host_city_id__in=city_ids) | Q(award_year__in=awarded)
    bump(f"conference:{pk}" for pk in Conference.objects.filter(shown).values_list("pk", flat=True))
