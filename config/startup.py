"""What a server process does once, after Django is set up and before its first request (config/wsgi.py)."""

import gc
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation


def prepare_process() -> int:
    """Load what every request uses, then take it out of the garbage collector's full collections.

    Imports every view (the URL conf), reads each language's translation catalogue and compiles the project's
    own templates (templates/, not the admin's), then runs a full collection and `gc.freeze()`: the objects
    alive now (about 170,000) move to the permanent generation, which later collections do not scan. Python
    makes a full collection when the objects that survived grew by a quarter; without the freeze each one
    walked every object of the process, 60-170 ms measured on the stress database at the time (a first view
    after an edit allocates many), and a request that met one waited for it (docs/performance.md).
    Frozen objects are never collected, so only what lives as long as the process is loaded here; Python's
    documentation of `gc.freeze` describes the same use for a process that serves after start-up.

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
    return gc.get_freeze_count()
