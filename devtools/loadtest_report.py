"""The figures of `make loadtest-bare`: requests/s of the bare view and of the cached pages, read from the reports
wrk wrote with scripts/loadtest.lua, and their ratio; with several rounds, the best round of each, as timeit keeps
its best (on a shared machine a slow round measures the other jobs).
Run as `python -m devtools.loadtest_report --bare REPORT... --pages REPORT...`."""

import argparse
import re
import sys

_RATE = re.compile(r"^Requests: \d+ in \d+ s, ([\d.]+) requests/s$", re.MULTILINE)
_ERRORS = re.compile(r"^Errors: (\d+) ", re.MULTILINE)


def requests_per_second(report: str) -> float:
    """The requests/s of a wrk report written by scripts/loadtest.lua; ValueError if it has no such line."""
    found = _RATE.search(report)
    if found is None:
        raise ValueError("no 'Requests: ... requests/s' line in the wrk report")
    return float(found.group(1))


def errors(report: str) -> int:
    """The errors a wrk report written by scripts/loadtest.lua counts; ValueError if it has no such line."""
    found = _ERRORS.search(report)
    if found is None:
        raise ValueError("no 'Errors: ...' line in the wrk report")
    return int(found.group(1))


def comparison(bare_reports: list[str], pages_reports: list[str]) -> str:
    """The requests/s of the bare view and of the cached pages (each the best of its rounds, every round listed
    when there are several), the pages' share of the bare view's rate, and the errors when any round had some.
    ValueError if a list is empty or a report lacks the figures."""
    if not bare_reports or not pages_reports:
        raise ValueError("a report of each is needed")
    bare_rates = [requests_per_second(report) for report in bare_reports]
    pages_rates = [requests_per_second(report) for report in pages_reports]
    bare, pages = max(bare_rates), max(pages_rates)
    lines = []
    if len(bare_rates) > 1 or len(pages_rates) > 1:
        lines.append(f"Rounds:        bare view {_listed(bare_rates)}; cached pages {_listed(pages_rates)}")
    ratio = f"{pages / bare:8.1%} of the bare view" if bare else "(the bare view served nothing)"
    lines += [
        f"Bare view:     {bare:8.1f} requests/s",
        f"Cached pages:  {pages:8.1f} requests/s",
        f"Ratio:         {ratio}",
    ]
    failed = sum(map(errors, bare_reports)), sum(map(errors, pages_reports))
    if any(failed):
        lines.append(f"Errors:        {failed[0]} (bare view), {failed[1]} (cached pages)")
    return "\n".join(lines)


def _listed(rates: list[float]) -> str:
    return ", ".join(f"{rate:.1f}" for rate in rates)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.loadtest_report", description=__doc__)
    parser.add_argument("--bare", nargs="+", required=True, help="wrk reports of the bare view, one per round")
    parser.add_argument("--pages", nargs="+", required=True, help="wrk reports of the cached pages, one per round")
    arguments = parser.parse_args(argv)
    reports = {}
    for kind in ("bare", "pages"):
        reports[kind] = []
        for name in getattr(arguments, kind):
            with open(name) as report:
                reports[kind].append(report.read())
    print(comparison(reports["bare"], reports["pages"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
