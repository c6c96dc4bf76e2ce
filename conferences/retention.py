"""How long delegates' contact details are kept: PERSONAL_DATA_RETENTION_YEARS["delegate-contact"] (default 3)
years after their conference ended. Names, roles and positions stay: they are the record of who attended."""

from django.db.models import Q

from conferences.models import Delegate
from core.retention import RetentionRule, register, retention_years, years_before

KIND = "delegate-contact"


def expired_delegates(today):
    """Delegates with contact details whose conference ended (or, without an end date, began) before the cutoff."""
    cutoff = years_before(today, retention_years(KIND, 3))
    ended = Q(delegation__conference__end_date__lt=cutoff) | Q(
        delegation__conference__end_date__isnull=True, delegation__conference__start_date__lt=cutoff
    )
    return Delegate.objects.filter(ended).exclude(email="", phone="", notes="")


register(
    RetentionRule(
        kind=KIND,
        model=Delegate,
        fields=Delegate.PRIVATE_FIELDS,
        expired=expired_delegates,
        describe=lambda delegate: f"Delegate #{delegate.pk} of delegation #{delegate.delegation_id}",
        subject_field="email",
        exported_fields=("full_name", "role", "position", "organisation", "email", "phone", "notes", "delegation"),
    )
)
