"""What a server process does once, after Django is set up and before its first request (config/wsgi.py)."""

import gc
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

# Collect the youngest generation after 20,000 net allocations instead of Python's 700 (the older ones at its
# default, every tenth collection of the one below). A first view after an edit allocates hundreds of thousands
# of objects that live until its answer: with the defaults they were walked again and again, and full collections
# came often. Five rounds of benchmark_pages at the stress size (2026-12-01): Python's defaults, 20 full
# collections of up to 187 ms; the freeze alone, 48 of up to 162 ms (fewer objects in the old generation let a
# quarter more survive sooner); the freeze and these, 2 of up to 82 ms, the process's peak memory 242 MB against
# 212 (cyclic garbage waits longer). 50,000/20/20 made none, for 266 MB.
GC_THRESHOLDS = (20_000, 10, 10)


def prepare_process() -> int:
    """Load what every request uses, take it out of the garbage collector's way, and collect less often.

    Imports every view (the URL conf), reads each language's translation catalogue and compiles the project's
    own templates (templates/, not Django's admin's), then runs a full collection and `gc.freeze()`: the objects
    alive now (about 140,000) move to the permanent generation, which later collections do not scan (Python's
    documentation of `gc.freeze`, Python 3.7 and later). Only what lives as long as the process is loaded here,
    as frozen objects are never collected. It takes
    about 0.3 s per process start. What it changed, measured: GC_THRESHOLDS and docs/performance.md.

    Then sets the collector's thresholds to GC_THRESHOLDS (see there).

    Returns the number of objects frozen. Raises nothing for a template that does not compile: a page that
    uses it fails at its own request, as without this.
    """
    get_resolver().url_patterns  # noqa: B018  (imports every urls and views module)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Cities")
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*.html")) + sorted(Path(folder).rglob("*.txt")):
            try:
                get_template(str(path.relative_to(folder)))
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    return gc.get_freeze_count()
