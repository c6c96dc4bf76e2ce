import gc
import os
import subprocess
import sys
from pathlib import Path

from django.template import engines

from config.startup import GC_THRESHOLDS, prepare_process

ROOT = Path(__file__).resolve().parents[2]


def cached_templates() -> dict:
    return engines["django"].engine.template_loaders[0].get_template_cache


def test_loads_the_project_templates_and_freezes_what_is_alive():
    cached_templates().clear()
    thresholds = gc.get_threshold()
    try:
        frozen = prepare_process()
        # Objects allocated after the freeze are collected as before: only what was alive then is frozen.
        assert frozen > 50_000 and gc.get_freeze_count() > 50_000
        templates = set(cached_templates())
        assert {"base.html", "network/city_detail.html", "reports/report.html", "robots.txt"} <= templates
        assert "admin/base.html" not in templates  # Django's own admin templates are loaded when first used
        assert gc.get_threshold() == GC_THRESHOLDS != thresholds
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_a_server_process_is_prepared_when_it_loads_the_application():
    env = {**os.environ, "DJANGO_SECRET_KEY": "startup-test", "DJANGO_SETTINGS_MODULE": "config.settings"}
    code = "import gc, config.wsgi; print(gc.get_freeze_count(), *gc.get_threshold())"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    frozen, *thresholds = map(int, done.stdout.split())
    assert frozen > 50_000 and tuple(thresholds) == GC_THRESHOLDS, done.stderr
