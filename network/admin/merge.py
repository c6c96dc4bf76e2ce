"""The admin's merge of duplicate cities: an action on the city list, then one page that previews the merge
(rows moved, fields filled, conflicts with their choices) and applies it when staff confirm."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from network.duplicates.merge import MergeError, city_merge, city_merge_plan
from network.models import City

MERGE_PERMISSION = "network.merge_city"
MAX_MERGED = 20


def _ids(text: str) -> list[int]:
    parts = [part for part in text.split(",") if part]
    if not parts or len(parts) > MAX_MERGED or not all(part.isascii() and part.isdigit() for part in parts):
        return []
    return sorted({int(part) for part in parts if len(part) < 19})


class CityMergeAdminMixin:
    """For the CityAdmin: the "Merge selected cities" action and the merge page, for staff with the
    network.merge_city permission (checked by the page itself, not only by the action list). List
    "merge_cities" in the ModelAdmin's actions."""

    @admin.action(description=_("Merge selected cities"), permissions=["merge"])
    def merge_cities(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.order_by("pk").values_list("pk", flat=True)[: MAX_MERGED + 1])
        return HttpResponseRedirect(f"{reverse('admin:network_city_merge')}?{urlencode({'ids': ids})}")

    def has_merge_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and request.user.has_perm(MERGE_PERMISSION)

    def get_urls(self):
        view = self.admin_site.admin_view(self.merge_view)  # type: ignore[attr-defined]
        return [path("merge/", view, name="network_city_merge"), *super().get_urls()]  # type: ignore[misc]

    def merge_view(self, request):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        cities = list(City.objects.select_related("country").filter(pk__in=_ids(data.get("ids", ""))))
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": City._meta,
            "title": gettext("Merge cities"),
            "cities": cities,
            "ids": ",".join(str(city.pk) for city in cities),
        }
        if len(cities) < 2:
            context["error"] = gettext("Select between 2 and %(max)s cities of one country to merge.") % {
                "max": MAX_MERGED
            }
            return TemplateResponse(request, "admin/network/city/merge.html", context)
        keep = next((city for city in cities if str(city.pk) == data.get("keep")), cities[0])
        merge = [city for city in cities if city.pk != keep.pk]
        context["keep"] = keep
        try:
            plan = city_merge_plan(keep=keep, merge=merge)
        except MergeError as error:
            context["error"] = str(error)
            return TemplateResponse(request, "admin/network/city/merge.html", context)
        context["plan"] = plan
        context["chosen"] = {conflict.key: data.get(conflict.key, "") for conflict in plan.conflicts}
        context["conflicts"] = [(conflict, context["chosen"][conflict.key]) for conflict in plan.conflicts]
        if request.method == "POST" and "apply" in request.POST:
            try:
                city_merge(keep=keep, merge=merge, choices=context["chosen"], user=request.user)
            except MergeError as error:
                context["error"] = str(error)
            else:
                names = ", ".join(city.name for city in merge)
                messages.success(
                    request, gettext("Merged %(merged)s into %(kept)s.") % {"merged": names, "kept": keep.name}
                )
                return HttpResponseRedirect(reverse("admin:network_city_change", args=[keep.pk]))
        return TemplateResponse(request, "admin/network/city/merge.html", context)
