"""The site pages that compose both domain apps: the home page, the 404 page, the favicon, old admin addresses."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from conferences.models import Conference
from core.cache import cache_page_until_changed, cached
from core.charts import growth_chart
from network.selectors import network_growth, network_totals, newest_cohort, unrecorded_join_count


def _home_figures() -> dict:
    growth = network_growth()
    return {
        "totals": network_totals(),
        "last_conference": Conference.objects.last_held(),
        "next_conference": Conference.objects.next_to_come(),
        "cohort": newest_cohort(),
        "growth": growth,
        "chart": growth_chart(growth),
        "unrecorded_joins": unrecorded_join_count(),
    }


@cache_page_until_changed
def home(request):
    # Every figure here reads all membership terms and is the same for every visitor.
    return render(request, "home.html", cached("home", _home_figures))


def _reason(exception, kind) -> str:
    message = exception.args[0] if isinstance(exception, kind) and exception.args else ""
    return str(message) if isinstance(message, str | Promise) else ""  # a lazy translation is words too


def _staff_area(request) -> tuple[str, str]:
    """(label, address) of the staff section the request was in (the admin or the reports), or ("", "")."""
    path = request.path
    if path.startswith(reverse("reports:index")):
        return _("Back to the reports"), reverse("reports:index")
    if path.startswith(reverse("admin:index")):
        return _("Back to the admin home"), reverse("admin:index")
    return "", ""


def page_not_found(request, exception=None):
    """The 404 page; it repeats the reason only when a view gave one in words (a bad page number, say), and
    inside the admin or the reports links back there."""
    back_label, back = _staff_area(request)
    context = {"message": _reason(exception, Http404), "back": back, "back_label": back_label}
    return render(request, "404.html", context, status=404)


def permission_denied(request, exception=None):
    """The 403 page, in the site's layout: why (the permission a view named), and the way back."""
    back_label, back = _staff_area(request)
    if not back:
        back_label, back = _("Back to the home page"), reverse("home")
    context = {"message": _reason(exception, PermissionDenied), "back": back, "back_label": back_label}
    return render(request, "403.html", context, status=403)


def moved_import_records(request, rest: str = ""):
    """Import records moved from the network app to the imports app; old admin links keep working."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(
        f"/{settings.ADMIN_URL}imports/importrecord/{rest}" + (f"?{query}" if query else "")
    )


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; send them to the icon (hashed name in production)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
