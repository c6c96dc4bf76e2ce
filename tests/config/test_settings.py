import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings

BASE_DIR = Path(settings.BASE_DIR)


def production_environment(**overrides: str | None) -> dict[str, str]:
    """The process environment with the project's variables replaced by a plausible production set.

    An override of None leaves the variable unset, so the setting takes its default.
    """
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="registry.example.org",
        DJANGO_BEHIND_PROXY="true",
    )
    environment.update(overrides)
    return {key: value for key, value in environment.items() if value is not None}


def run_manage(*args: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True
    )


def settings_under(environment: dict[str, str], *names: str) -> dict:
    """Read settings as a fresh process started with `environment` sees them (they are read at import)."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}, default=str))"
    )
    environment = {**environment, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_deploy_check_passes_with_production_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", environment=production_environment())

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_fails_when_debug_is_on():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", environment=production_environment(DJANGO_DEBUG="true")
    )

    assert result.returncode != 0
    assert "security.W018" in result.stderr


def test_production_defaults_are_safe_without_debug():
    values = settings_under(
        production_environment(),
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "STORAGES",
        "ADMIN_URL",
    )

    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["ADMIN_URL"] == "admin/"


def test_start_up_refused_without_secret_key_when_debug_is_off():
    result = run_manage("check", environment=production_environment(DJANGO_SECRET_KEY=None))

    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_debug_allows_local_work_without_secret_key_or_https():
    values = settings_under(
        production_environment(
            DJANGO_DEBUG="true", DJANGO_SECRET_KEY=None, DJANGO_ALLOWED_HOSTS=None, DJANGO_BEHIND_PROXY=None
        ),
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "ALLOWED_HOSTS",
    )

    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
        "ALLOWED_HOSTS": ["localhost", "127.0.0.1"],
    }


def test_admin_url_is_read_from_the_environment_with_slashes_normalised():
    values = settings_under(production_environment(DJANGO_ADMIN_URL="/records-staff"), "ADMIN_URL")

    assert values["ADMIN_URL"] == "records-staff/"


def test_redis_cache_url_uses_djangos_redis_backend_with_one_client_per_process():
    values = settings_under(production_environment(CACHE_URL="redis://127.0.0.1:6379/1"), "CACHES")

    assert values["CACHES"]["default"]["BACKEND"] == "core.redis.RedisCache"  # Django's, its client kept
    assert values["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/1"


def test_login_cool_off_is_read_from_the_environment():
    values = settings_under(production_environment(DJANGO_LOGIN_COOLOFF_MINUTES="45"), "AXES_COOLOFF_TIME")

    assert values["AXES_COOLOFF_TIME"] == "0:45:00"


@pytest.mark.parametrize("password", ["Tr0ub4dor&3", "xK9#mQ2$vL7"])
def test_passwords_shorter_than_twelve_characters_are_refused(password):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password(password)


def test_twelve_character_passphrase_is_accepted():
    validate_password("lifelong-Cork-2017")


@pytest.mark.django_db
def test_collected_static_files_are_served_hashed_compressed_and_cached_for_ever(tmp_path, admin_user):
    production_static = {
        "STATIC_ROOT": tmp_path,
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        "WHITENOISE_AUTOREFRESH": False,
        "WHITENOISE_USE_FINDERS": False,
    }
    with override_settings(**production_static):
        call_command("collectstatic", interactive=False, verbosity=0)
        url = static("admin/css/base.css")
        client = Client()
        client.force_login(admin_user)
        page = client.get("/admin/")
        response = client.get(url, headers={"accept-encoding": "gzip"})

    assert url.startswith("/static/admin/css/base.") and url != "/static/admin/css/base.css"
    assert url in page.content.decode()
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]


def test_postgresql_connections_turn_off_jit_and_cheapen_random_reads_unless_told_otherwise():
    url = "postgres://user@db.example.org:5432/registry"
    default = settings_under(production_environment(DATABASE_URL=url), "DATABASES")
    behind_pgbouncer = settings_under(production_environment(DATABASE_URL=url, DJANGO_PG_OPTIONS=""), "DATABASES")
    on_sqlite = settings_under(production_environment(DATABASE_URL=None), "DATABASES")

    assert default["DATABASES"]["default"]["OPTIONS"]["options"] == "-c jit=off -c random_page_cost=1.1"
    assert "options" not in behind_pgbouncer["DATABASES"]["default"].get("OPTIONS", {})
    assert "options" not in on_sqlite["DATABASES"]["default"].get("OPTIONS", {})


def test_the_local_memory_cache_has_room_for_the_cached_pages():
    values = settings_under(production_environment(CACHE_URL=None), "CACHES")
    assert values["CACHES"]["default"]["OPTIONS"]["MAX_ENTRIES"] == 2000
