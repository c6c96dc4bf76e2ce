"""{% staff_home_panels %}: the dashboard panels for the user signed in (the admin index opens on them)."""

from django import template

from reports.dashboard import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_home_panels(context):
    """The Panels concerning the signed-in user (see reports.dashboard.panels_for); none for anonymous users."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return panels_for(request.user)
