"""The figures of `make loadtest-bare`: requests/s of the bare view and of the cached pages, read from the reports
wrk wrote with scripts/loadtest.lua, and their ratio. Run as `python -m devtools.loadtest_report BARE PAGES`."""

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


def comparison(bare_report: str, pages_report: str) -> str:
    """Three lines: the requests/s of the bare view and of the cached pages, and the pages' share of the bare
    view's rate (a percentage); with the errors when either run had any."""
    bare, pages = requests_per_second(bare_report), requests_per_second(pages_report)
    ratio = f"{pages / bare:8.1%} of the bare view" if bare else "(the bare view served nothing)"
    lines = [
        f"Bare view:     {bare:8.1f} requests/s",
        f"Cached pages:  {pages:8.1f} requests/s",
        f"Ratio:         {ratio}",
    ]
    failed = errors(bare_report), errors(pages_report)
    if any(failed):
        lines.append(f"Errors:        {failed[0]} (bare view), {failed[1]} (cached pages)")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m devtools.loadtest_report BARE_REPORT PAGES_REPORT", file=sys.stderr)
        return 2
    with open(argv[0]) as bare, open(argv[1]) as pages:
        print(comparison(bare.read(), pages.read()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
