"""{% attempts_left %}: on the sign-in page after a failed attempt, how many remain before django-axes locks."""

from axes.models import AccessAttempt
from django import template
from django.conf import settings

register = template.Library()
WARN_AT = 2  # warn when this many attempts, or fewer, are left


@register.simple_tag(takes_context=True)
def attempts_left(context) -> int | None:
    """Attempts left for the username just tried from this address, when WARN_AT or fewer; else None."""
    request = context.get("request")
    if request is None or request.method != "POST":
        return None
    username = request.POST.get("username", "")
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    failures = (
        AccessAttempt.objects.filter(username=username, ip_address=address)
        .values_list("failures_since_start", flat=True)
        .first()
    )
    left = settings.AXES_FAILURE_LIMIT - (failures or 0)
    return left if 0 < left <= WARN_AT else None
