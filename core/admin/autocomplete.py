"""Autocomplete choices labelled by their ModelAdmin: "Hue, Viet Nam", not "Hue", so a name two countries share
(or a prefix of another name: "hue", "Huejotzingo") is never picked blind."""

from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete endpoint, with each result's text from the searched model's ModelAdmin method
    `autocomplete_label(obj)` when it has one; the queryset is the ModelAdmin's, so it may join what the
    label reads (`autocomplete_select_related`)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        related = getattr(self.model_admin, "autocomplete_select_related", ())
        return queryset.select_related(*related) if related else queryset

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)  # type: ignore[misc]  # not in django-stubs
        label = getattr(self.model_admin, "autocomplete_label", None)
        return {**result, "text": label(obj)} if label else result


def label_choices(formfield, admin_site) -> None:
    """Label the choices of a foreign key form field (the one chosen, shown again) as the autocomplete does."""
    model_admin = admin_site._registry.get(formfield.queryset.model)
    label = getattr(model_admin, "autocomplete_label", None)
    if label is None:
        return
    formfield.label_from_instance = label
    related = getattr(model_admin, "autocomplete_select_related", ())
    if related:
        formfield.queryset = formfield.queryset.select_related(*related)


def install(admin_site) -> None:
    """Serve `admin_site`'s autocomplete with LabelledAutocompleteJsonView."""

    def autocomplete_view(request):
        return LabelledAutocompleteJsonView.as_view(admin_site=admin_site)(request)

    admin_site.autocomplete_view = autocomplete_view
