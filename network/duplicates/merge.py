"""Merging duplicate cities: every row that points at them moves to the one kept, in one transaction.

The rows are found through City._meta.related_objects, so the conference records (delegations, venues, hosted
conferences) move with the network's own without network importing conferences. Two kinds of conflict are
shown before anything is written and resolved only by a staff choice:
- rows that a unique constraint of their model allows once per city (two awards for one year, two delegations
  at one conference, one cluster twice): staff choose the row kept; what pointed at the other moves to it;
- membership terms that overlap: staff join them into one term or choose the one kept.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from network.membership import spans_overlap
from network.models import City, CitySlugRedirect, MembershipTerm

JOIN = "join"
# Fields a merge never copies: identity, derived values and timestamps.
NOT_FILLED = {"id", "name", "slug", "country", "search_name", "search_local_name", "created_at", "updated_at"}


class MergeError(Exception):
    """The merge cannot be done as asked (the message says why); nothing was written."""


@dataclass
class Conflict:
    """Rows of the cities that cannot all stay: `choices` are (value, label) pairs, one of which staff pick."""

    key: str
    title: str
    rows: list[models.Model]
    choices: list[tuple[str, str]]


@dataclass
class MergePlan:
    """What merging `merge` into `keep` will do: rows moved per kind, fields filled, conflicts to resolve."""

    keep: City
    merge: list[City]
    moves: dict[str, int] = field(default_factory=dict)
    fills: dict[str, object] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)


def _relations() -> list[models.ForeignKey]:
    """The foreign keys to City of every installed app (history tables and cascading redirects aside)."""
    return [
        rel.field for rel in City._meta.related_objects if rel.one_to_many and not rel.related_model._meta.auto_created
    ]


def _rows(fk: models.ForeignKey, cities: list[City]) -> list[models.Model]:
    return list(fk.model._default_manager.filter(**{f"{fk.name}__in": cities}).order_by("pk"))


def _unique_sets(model, fk_name: str) -> list[tuple[str, ...]]:
    """The other fields that, with the city, a unique constraint of `model` allows once."""
    opts = model._meta
    together = [tuple(c.fields) for c in opts.total_unique_constraints] + [tuple(u) for u in opts.unique_together]
    return [tuple(name for name in fields if name != fk_name) for fields in together if fk_name in fields]


def _row_label(row, fk) -> str:
    city = getattr(row, fk.name)
    if fk.model is MembershipTerm:
        return f"{city.name}: {row.period}"
    return _("%(row)s (from %(city)s)") % {"row": row, "city": city.name}


def _unique_conflicts(fk, rows) -> list[Conflict]:
    conflicts = []
    for others in _unique_sets(fk.model, fk.name):
        groups = defaultdict(list)
        for row in rows:
            groups[tuple(getattr(row, fk.model._meta.get_field(n).attname) for n in others)].append(row)
        for group in groups.values():
            if len({getattr(row, fk.attname) for row in group}) > 1:
                key = f"{fk.model._meta.label_lower}:{'-'.join(str(row.pk) for row in group)}"
                title = _("%(count)s %(records)s where one is allowed") % {
                    "count": len(group),
                    "records": fk.model._meta.verbose_name_plural,
                }
                choices = [(str(row.pk), _("Keep %(row)s") % {"row": _row_label(row, fk)}) for row in group]
                conflicts.append(Conflict(key, title, group, choices))
    return conflicts


def _term_conflicts(fk, rows) -> list[Conflict]:
    """Groups of terms (of different cities) that overlap, directly or through one another."""
    groups: list[list[MembershipTerm]] = []
    for term in rows:
        touching = [g for g in groups if any(spans_overlap(_span(term), _span(other)) for other in g)]
        merged = [term, *(t for g in touching for t in g)]
        groups = [g for g in groups if g not in touching] + [merged]
    conflicts = []
    for group in groups:
        if len(group) > 1:
            group.sort(key=lambda t: t.pk)
            key = f"network.membershipterm:{'-'.join(str(t.pk) for t in group)}"
            choices = [(JOIN, _("Join them into one term, from the earliest start to the latest end"))]
            choices += [(str(t.pk), _("Keep only %(term)s") % {"term": _row_label(t, fk)}) for t in group]
            conflicts.append(Conflict(key, _("Membership terms that overlap"), group, choices))
    return conflicts


def _span(term):
    return term.start_date, term.end_date


def _check_cities(keep: City, merge: list[City]) -> None:
    if not merge:
        raise MergeError(_("Choose at least one city to merge into the one kept."))
    if any(city.pk == keep.pk for city in merge):
        raise MergeError(_("%(city)s cannot be merged into itself.") % {"city": keep.name})
    if other := next((city for city in merge if city.country_id != keep.country_id), None):
        raise MergeError(
            _("%(other)s is in %(other_country)s, %(kept)s in %(kept_country)s: merge cities of one country.")
            % {"other": other.name, "other_country": other.country, "kept": keep.name, "kept_country": keep.country}
        )


def city_merge_plan(*, keep: City, merge: list[City]) -> MergePlan:
    """The preview of city_merge(): nothing is written. Raises MergeError for cities that cannot be merged."""
    _check_cities(keep, merge)
    plan = MergePlan(keep, merge)
    for fk in _relations():
        moving = _rows(fk, merge)
        if moving:
            plan.moves[str(fk.model._meta.verbose_name_plural)] = len(moving)
        rows = _rows(fk, [keep, *merge])
        finder = _term_conflicts if fk.model is MembershipTerm else _unique_conflicts
        plan.conflicts += finder(fk, rows)
    plan.fills = _fills(keep, merge)
    return plan


def _empty(value) -> bool:
    return value is None or value == ""


def _fills(keep: City, merge: list[City]) -> dict[str, object]:
    """Fields empty on the city kept that a merged city has (the first that has it); coordinates as a pair."""
    fills: dict[str, object] = {}
    for f in City._meta.concrete_fields:
        if f.name in NOT_FILLED or not f.editable or f.name in ("latitude", "longitude"):
            continue
        source = next((c for c in merge if not _empty(getattr(c, f.attname))), None)
        if _empty(getattr(keep, f.attname)) and source is not None:
            fills[f.name] = getattr(source, f.attname)
    placed = next((c for c in merge if c.latitude is not None), None)
    if keep.latitude is None and placed is not None:
        fills["latitude"], fills["longitude"] = placed.latitude, placed.longitude
    return fills


def _tag(obj, user, reason: str):
    obj._history_user = user
    obj._change_reason = reason
    return obj


def _absorb(dropped, kept, user, reason: str) -> None:
    """Move what points at `dropped` (its delegates, its sessions) to `kept`, then delete `dropped`."""
    for rel in dropped._meta.related_objects:
        if rel.one_to_many and not rel.related_model._meta.auto_created:
            for dependant in rel.related_model._default_manager.filter(**{rel.field.name: dropped}):
                setattr(dependant, rel.field.name, kept)
                _validate_constraints(dependant)
                _tag(dependant, user, reason).save(update_fields=[rel.field.name])
    for m2m in dropped._meta.many_to_many:
        getattr(kept, m2m.name).add(*getattr(dropped, m2m.name).all())
    _tag(dropped, user, reason).delete()


def _validate_constraints(obj) -> None:
    try:
        obj.validate_constraints()
    except ValidationError as error:
        raise MergeError(
            _("%(record)s “%(name)s” cannot move: %(reasons)s")
            % {"record": capfirst(obj._meta.verbose_name), "name": obj, "reasons": " ".join(error.messages)}
        ) from error


def _join_terms(terms: list[MembershipTerm], user, reason: str) -> None:
    """One term from the earliest start (unrecorded counts as earliest) to the latest end (open beats any)."""
    first = min(terms, key=lambda t: (t.start_date is not None, t.start_date))
    last = max(terms, key=lambda t: (t.end_date is None, t.end_date))
    for term in terms:
        if term.pk != first.pk:
            _tag(term, user, reason).delete()
    first.end_date, first.end_reason = last.end_date, last.end_reason
    first.notes = "\n".join(t.notes for t in terms if t.notes)
    _tag(first, user, reason).save()


def _resolve(conflict: Conflict, choice: str, user, reason: str) -> None:
    if choice == JOIN and isinstance(conflict.rows[0], MembershipTerm):
        _join_terms(conflict.rows, user, reason)
        return
    kept = next(row for row in conflict.rows if str(row.pk) == choice)
    for row in conflict.rows:
        if row.pk != kept.pk:
            _absorb(row, kept, user, reason)


@transaction.atomic
def city_merge(*, keep: City, merge: list[City], choices: dict[str, str], user) -> City:
    """Merge the cities `merge` into `keep` (all of one country), in one transaction, and return `keep`.

    `choices` maps each conflict's key (see city_merge_plan) to one of its choice values. Every row pointing at a
    merged city moves to `keep`; `keep`'s empty fields take the merged cities' values; each merged city is
    deleted, its slug kept as a redirect to `keep`, and the history of every record touched names `user` and
    the merge. Raises MergeError, writing nothing, for a conflict without a valid choice or a row that cannot move.
    """
    plan = city_merge_plan(keep=keep, merge=merge)
    names = ", ".join(f"{city.name} ({city.slug})" for city in merge)
    reason = f"Merged {names} into {keep.name} ({keep.slug})"  # the history's record: not translated
    for conflict in plan.conflicts:
        choice = choices.get(conflict.key)
        if choice not in {value for value, _label in conflict.choices}:
            raise MergeError(_("Choose what to keep of the %(conflict)s.") % {"conflict": conflict.title.lower()})
        _resolve(conflict, choice, user, reason)
    for fk in _relations():
        for row in _rows(fk, merge):
            setattr(row, fk.name, keep)
            _tag(row, user, reason).save(update_fields=[fk.name])
    for name, value in plan.fills.items():
        setattr(keep, name, value)
    for city in merge:
        slug = city.slug
        _tag(city, user, reason).delete()
        CitySlugRedirect.objects.create(slug=slug, city=keep)
    _tag(keep, user, reason).save()
    return keep
