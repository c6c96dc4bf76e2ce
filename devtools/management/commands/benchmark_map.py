"""Time the interactive map in headless Chromium against a running server: from the request for the page to
markers and shapes drawn (the `map-ready` mark of static/map/city_map.js), at a desktop and a phone width."""

import statistics
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package `chromium`
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
WIDTHS = [(1280, "desktop"), (390, "phone")]
READY = "#city-map[data-ready=true]"


class Command(BaseCommand):
    help = (
        "Open the map of a running server (make run or make serve-prod) in headless Chromium, once to fill the "
        "server's cache, then --loads times at 1280 and 390 px, and print per width the milliseconds from the "
        "request to the map drawn: best, median and worst, with the number of cities drawn. Needs Debian's "
        "chromium and the dev tools (Playwright). The figure for docs/performance.md; the test suite does not "
        "time the map, as other processes share the machine's cores."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/en/map/", help="The map page to open.")
        parser.add_argument("--loads", type=int, default=5, help="Timed loads per width (default 5).")
        parser.add_argument("--timeout", type=float, default=30.0, help="Seconds to wait for one load to draw.")

    def handle(self, *args, url, loads, timeout, **options):
        if loads < 1:
            raise CommandError("--loads must be at least 1.")
        if not CHROMIUM.exists():
            raise CommandError(f"No Chromium at {CHROMIUM}: apt-get install chromium.")
        try:
            from playwright.sync_api import Error as PlaywrightError
            from playwright.sync_api import sync_playwright
        except ImportError as error:
            raise CommandError(
                "Playwright is a dev tool: make test (or make .venv/.installed-dev) installs it."
            ) from error
        timeout_ms = timeout * 1000
        rows = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                self.stdout.write(f"Warming up {url} ...")
                self._load(browser, url, 1280, timeout_ms)
                for width, label in WIDTHS:
                    renders, cities = [], ""
                    for number in range(1, loads + 1):
                        milliseconds, cities = self._load(browser, url, width, timeout_ms)
                        renders.append(milliseconds)
                        self.stdout.write(f"  {label} ({width} px) load {number}/{loads}: {milliseconds:,.0f} ms")
                    rows.append((label, width, renders, cities))
            except PlaywrightError as error:
                raise CommandError(f"The map did not draw at {url}: {error.message.splitlines()[0]}") from error
            finally:
                browser.close()
        self.stdout.write(f"{'width':17} {'loads':>5} {'best ms':>8} {'median ms':>10} {'worst ms':>9} cities drawn")
        for label, width, renders, cities in rows:
            self.stdout.write(
                f"{f'{label} ({width} px)':17} {len(renders):5} {min(renders):8,.0f} "
                f"{statistics.median(renders):10,.0f} {max(renders):9,.0f} {cities}"
            )

    @staticmethod
    def _load(browser, url: str, width: int, timeout_ms: float) -> tuple[float, str]:
        """One fresh page at `width` px: (milliseconds from navigation start to `map-ready`, cities drawn)."""
        page = browser.new_page(viewport={"width": width, "height": 900})
        try:
            page.goto(url, timeout=timeout_ms)
            page.wait_for_selector(READY, timeout=timeout_ms)
            milliseconds = page.evaluate("performance.getEntriesByName('map-ready')[0].startTime")
            return milliseconds, page.locator("#city-map").get_attribute("data-cities") or ""
        finally:
            page.close()
