"""The admin's city form: a likely duplicate is shown, with links, and saved only when staff confirm."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from network.duplicates import likely_duplicates
from network.models import City


class CityAdminForm(forms.ModelForm):
    """Adding a city, or renaming one or moving it to another country, whose name resembles a city of that
    country (network.duplicates) is refused with those cities linked, until "not a duplicate" is ticked."""

    not_a_duplicate = forms.BooleanField(
        label=_("Not a duplicate"),
        required=False,
        help_text=_(
            "Tick only when the registry warns of a likely duplicate and you checked that this is another city."
        ),
    )

    class Meta:
        model = City
        fields = ["name", "country"]  # the admin passes its own; these are the ones clean() reads

    def clean(self):
        cleaned = super().clean()
        name, country = cleaned.get("name"), cleaned.get("country")
        moved = self.instance.pk is None or {"name", "country"} & set(self.changed_data)
        if not (name and country and moved) or cleaned.get("not_a_duplicate"):
            return cleaned
        if found := likely_duplicates(name, country.pk, exclude=self.instance.pk):
            links = format_html_join(
                ", ",
                '<a href="{}">{}, {}</a>',
                ((reverse("admin:network_city_change", args=[city.pk]), city.name, city.country) for city in found),
            )
            raise forms.ValidationError(
                format_html(
                    gettext(
                        "{name} may already be in the registry as {links}. Open it to check; if it is another "
                        "city, tick “Not a duplicate” and save again."
                    ),
                    name=name,
                    links=links,
                ),
                code="likely_duplicate",
            )
        return cleaned
