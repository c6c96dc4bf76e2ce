from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


class ConferencesConfig(AppConfig):
    name = "conferences"
    verbose_name = "Conferences"

    def ready(self):
        from core.cache import watch

        watch(*(self.get_model(name) for name in ["Venue", "Conference", "Session"]))
        # A delegation shows on its city's profile and in its conference's counts, and so do its delegates; an
        # edit that moves one refreshes where it was too.
        delegation, delegate = self.get_model("Delegation"), self.get_model("Delegate")
        pre_save.connect(_remember_stored_scopes, sender=delegation, dispatch_uid="conferences-delegation-was")
        pre_save.connect(_remember_stored_scopes, sender=delegate, dispatch_uid="conferences-delegate-was")
        watch(delegation, record_scopes=delegation_scopes)
        watch(delegate, record_scopes=delegate_scopes)
        # A city moved to another country changes the country counts of every conference it attended.
        city = self.apps.get_model("network", "City")
        post_save.connect(_recount_if_country_changed, sender=city, dispatch_uid="conferences-city-country")
        # Whether a city was a member during a conference depends on its terms.
        term = self.apps.get_model("network", "MembershipTerm")
        post_save.connect(_recount_conferences_of_term, sender=term, dispatch_uid="conferences-term-saved")
        post_delete.connect(_recount_conferences_of_term, sender=term, dispatch_uid="conferences-term-deleted")


def _scopes_of_delegations(delegations) -> list[str]:
    return [scope for city, conference in delegations for scope in (f"city:{city}", f"conference:{conference}")]


def delegation_scopes(delegation) -> list[str]:
    """Its city's pages and its conference's counts, and those it was saved under before this edit."""
    now = [(delegation.city_id, delegation.conference_id)]
    return _scopes_of_delegations(now) + getattr(delegation, "_stored_scopes", [])


def delegate_scopes(delegate) -> list[str]:
    """The pages of the city that sent the delegate and its conference's counts (the delegation may be gone when
    deleted with it), and those of the delegation it belonged to before this edit."""
    from conferences.models import Delegate, Delegation

    if Delegate._meta.get_field("delegation").is_cached(delegate):
        now = [(delegate.delegation.city_id, delegate.delegation.conference_id)]
    else:
        now = Delegation.objects.filter(pk=delegate.delegation_id).values_list("city_id", "conference_id")
    return _scopes_of_delegations(now) + getattr(delegate, "_stored_scopes", [])


def _remember_stored_scopes(sender, instance, raw=False, **kwargs) -> None:
    """Before a delegation or delegate is saved again, the scopes of the row as stored (one query by key)."""
    from conferences.models import Delegation

    if raw or instance.pk is None:
        return
    if sender is Delegation:
        stored = Delegation.objects.filter(pk=instance.pk).values_list("city_id", "conference_id")
    else:
        delegation = sender.objects.filter(pk=instance.pk).values("delegation_id")
        stored = Delegation.objects.filter(pk__in=delegation).values_list("city_id", "conference_id")
    instance._stored_scopes = _scopes_of_delegations(stored)


def _recount_if_country_changed(sender, instance, created=False, raw=False, **kwargs) -> None:
    """After a city is saved in another country than it was loaded with (network.models.City.from_db), the
    conferences it attended count their countries again; unknown (the field was not loaded) counts as moved."""
    loaded = getattr(instance, "loaded_country_id", None)
    instance.loaded_country_id = instance.country_id
    if not (raw or created or loaded == instance.country_id):
        _recount_conferences_of(instance.pk)


def _recount_conferences_of_term(sender, instance, raw=False, **kwargs) -> None:
    """A membership term saved or deleted: the conferences its city attended count their members again."""
    if not raw:
        _recount_conferences_of(instance.city_id)


def _recount_conferences_of(city_id) -> None:
    from conferences.models import Delegation
    from core.cache import bump

    conferences = Delegation.objects.filter(city_id=city_id).values_list("conference_id", flat=True).distinct()
    bump(f"conference:{pk}" for pk in conferences)
