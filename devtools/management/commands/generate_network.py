"""Fill the database with a synthetic network of a given size, for tests and benchmarks."""

import argparse
import dataclasses
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction

from core.cache import registry_changed
from devtools.synthetic import MARKER, SIZES, GenerationError, NetworkGenerator, delete_generated, generated


def count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


class Command(BaseCommand):
    help = (
        "Generate a synthetic network: cities with membership histories, awards, clusters, conferences with venues "
        "and sessions, delegations and delegates. Sizes: realistic = 1,000 cities, 50 conferences, 100,000 "
        "delegates; stress = 100,000 cities, 200 conferences, 1,000,000 delegates. The same seed gives the same "
        f"data. Generated cities and conferences have a source starting '{MARKER}'. The command refuses to run "
        "when such data exists, unless --replace is given: that first deletes the generated cities and conferences "
        "and everything attached to them (terms, awards, clusters, venues, sessions, delegations, delegates), "
        "and nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=SIZES, default="realistic", help="Preset sizes (default: realistic).")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random generator (default: 1).")
        parser.add_argument("--cities", type=count, help="Number of cities, instead of the preset's.")
        parser.add_argument("--conferences", type=count, help="Number of conferences, instead of the preset's.")
        parser.add_argument("--delegates", type=count, help="Number of delegates, instead of the preset's.")
        parser.add_argument("--batch-size", type=positive, default=5000, help="Rows per INSERT (default: 5000).")
        parser.add_argument(
            "--replace", action="store_true", help="Delete the data an earlier run generated, then generate anew."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, size, seed, batch_size, replace, database, **options):
        overrides = {key: options[key] for key in ("cities", "conferences", "delegates") if options[key] is not None}
        sizes = dataclasses.replace(SIZES[size], **overrides)
        if sizes.conferences and not sizes.cities:
            raise CommandError("Conferences need host cities: give --cities 1 or more.")
        if sizes.delegates and not sizes.conferences:
            raise CommandError("Delegates belong to delegations at conferences: give --conferences 1 or more.")

        found = generated(database)
        earlier = {"cities": found["cities"].count(), "conferences": found["conferences"].count()}
        if any(earlier.values()) and not replace:
            raise CommandError(
                f"This database already holds generated data ({earlier['cities']:,} cities, "
                f"{earlier['conferences']:,} conferences whose source starts '{MARKER}'). Nothing was changed. "
                "Run again with --replace to delete that data and everything attached to it, then generate anew; "
                "other records are kept."
            )

        started = time.monotonic()
        self.stdout.write(
            f"Generating {sizes.cities:,} cities, {sizes.conferences:,} conferences and {sizes.delegates:,} "
            f"delegates (seed {seed}) on '{database}'."
        )
        try:
            with transaction.atomic(using=database):
                if any(earlier.values()):
                    self.stdout.write("Deleting the data generated earlier:")
                    for label, deleted in delete_generated(database).items():
                        self.stdout.write(f"  {label}: {deleted:,}")
                    self.stdout.write(f"Deleted in {time.monotonic() - started:.1f} s")
                generator = NetworkGenerator(
                    sizes=sizes, seed=seed, batch_size=batch_size, progress=self.stdout.write, using=database
                )
                counts = generator.run()
                registry_changed()  # bulk inserts and deletes send no signals
        except GenerationError as error:
            raise CommandError(f"{error} Nothing was changed.") from error
        except IntegrityError as error:
            raise CommandError(
                f"Other records refer to the generated data, so nothing was deleted or generated: {error}"
            ) from error

        if connections[database].vendor == "postgresql":
            # The planner chooses indexes from statistics; autovacuum would gather them only some time later.
            # Every table, as the sessions, their links and the cities' other records were written too.
            with connections[database].cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Generated in {time.monotonic() - started:.1f} s:"))
        for label, created in counts.items():
            self.stdout.write(f"  {label}: {created:,}")
