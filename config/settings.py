"""Settings for Learning Cities Registry, read from the environment (see .env.example)."""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is a convenience for development; real deployments set variables in the environment.
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=true for local development).")
    SECRET_KEY = "insecure-development-key-only-used-when-debug-is-on"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])

# A less obvious admin path keeps the sign-in page out of the way of bots scanning for /admin/.
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("DJANGO_ADMIN_URL cannot be empty; use a path such as 'admin/'.")

# The network's working languages (English, French) with Spanish and Arabic, each named in its own language for
# the switcher. English is the default: the old unprefixed addresses fall back to it (docs/languages.md).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English pages keep the British style they had under "en-gb" ("3 December 2024", 24-hour times).
FORMAT_MODULE_PATH = ["config.formats"]
# No USE_THOUSAND_SEPARATOR: it would print years and ids as "2,024"; counts go through intcomma, which groups
# digits as the language does ("1,200", "1 200").
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español"), ("ar", "العربية")]
# Content in several languages (docs/languages.md): one column per language (title_en, title_fr, ...); an empty
# column falls back to English, the language every record is entered in first.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Slugs come from the English name whatever language the staff member works in.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"
USE_TZ = True

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# URLs typed without a scheme are https (Django 6.0's default): the admin's forms pass assume_scheme="https"
# (RecordHistoryAdmin, CityInline), so no transitional setting is needed.

# DATABASES
# ------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Planner settings for the app's connections: JIT compiles a page's counts for half a second to save
# milliseconds, and with the data in memory or on SSD random reads cost little more than sequential ones.
# pgbouncer refuses startup options: there, set this empty and use ALTER DATABASE ... SET instead (README).
PG_OPTIONS = env.str("DJANGO_PG_OPTIONS", default="-c jit=off -c random_page_cost=1.1")
if "postgresql" in DATABASES["default"]["ENGINE"] and PG_OPTIONS:
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", PG_OPTIONS)

# CACHES
# ------------------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same backend, with one Redis client per process rather than one built for every command (core/redis.py).
    CACHES["default"]["BACKEND"] = "core.redis.RedisCache"
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Whole pages are cached (core/cache.py): Django's default of 300 entries would keep pushing them out.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 2000)
# The most bytes a page may take in the cache, as kept (pages over 64 KB are kept compressed: a sitemap page of 300
# cities in 4 languages, 800 KB, takes about 20 KB); larger ones are rendered each time. With MAX_ENTRIES (local
# memory) or Redis's maxmemory, this bounds what the cache can hold.
PAGE_CACHE_MAX_BYTES = env.int("DJANGO_PAGE_CACHE_MAX_BYTES", default=1024 * 1024)
# With a shared cache (Redis), each process also keeps copies of the whole pages it answered last, up to this many
# bytes, checked against the tokens as the shared entries are: a popular page then costs no Redis round trip. With
# the local-memory cache there is nothing to copy (0).
PAGE_CACHE_LOCAL_BYTES = env.int(
    "DJANGO_PAGE_CACHE_LOCAL_BYTES",
    default=0 if CACHES["default"]["BACKEND"].endswith("LocMemCache") else 32 * 1024 * 1024,
)

# APPS
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    # Before django.contrib.admin as its documentation requires: translated fields side by side in the admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "axes",
    "csp",
    "simple_history",
    # The open-data API (api/): its schema, docs page and throttling; the docs assets are served from its static.
    "ninja",
    "corsheaders",
    # The project's apps, lowest layer first (docs/architecture.md gives the dependency rule).
    "core",
    "reports",
    "imports",
    "network",
    "conferences",
    "applications",
    "api",
    "accounts",
    "devtools",
]

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "core.middleware.refuse_trace",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Open data: any site may read the API (GET only); before CommonMiddleware, as django-cors-headers requires.
    "corsheaders.middleware.CorsMiddleware",
    # The language from the address (/fr/...), else the cookie set_language writes, else Accept-Language; it
    # redirects an unprefixed public path to its prefixed one. Before CommonMiddleware, as Django requires; and
    # before the API's middleware, whose cached answers and ETags depend on the language. (Django's docs also say
    # after SessionMiddleware, from when the language was kept in the session; since 4.0 it is only a cookie.)
    "django.middleware.locale.LocaleMiddleware",
    # ETag and Last-Modified on the API from the cache generation: a 304 costs no database query.
    "api.middleware.ConditionalApiMiddleware",
    # Answers a cached public page as it was last answered, before the rest of the stack and the URL resolver run
    # (core/cache.py): after the language is known, before anything that differs per visitor (sessions, CSRF).
    "core.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Tells the history who made each change; after authentication, which it reads.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# STATIC
# ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Without DEBUG, WhiteNoise serves the files collectstatic wrote: hashed names (cached for ever) and
# compressed copies. The test suite swaps in the plain storage (tests/conftest.py), so tests need no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# AUTH
# ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# E-MAIL
# ------------------------------------------------------------------------------
# Reminders to cities, scheduled reports and password resets. The console backend prints messages instead of
# sending them; production sets an SMTP URL, e.g. smtp+tls://user:password@smtp.example.org:587.
vars().update(env.email_url("DJANGO_EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="registry@localhost")

# IMPORTS
# ------------------------------------------------------------------------------
# Largest CSV or XLSX file staff may import, in bytes (a 10,000-row cohort CSV is about 1 MB).
IMPORT_MAX_FILE_SIZE = env.int("DJANGO_IMPORT_MAX_FILE_SIZE", default=5_000_000)
# The year the network admitted its first members (GNLC: 2013): an earlier join date is a problem in an import.
NETWORK_FIRST_YEAR = env.int("DJANGO_NETWORK_FIRST_YEAR", default=2013)
# django-axes counts failed sign-ins per username and client address and refuses the pair after the limit,
# even with the right password; other users, and the same user elsewhere, can still sign in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("DJANGO_LOGIN_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# HISTORY
# ------------------------------------------------------------------------------
# django-simple-history: every change to a record is kept (core/history.py). The reason names the import
# that made a change with its file name, longer than the library's default 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# The history is for reading; an edit undoes a change, and is recorded in its turn.
SIMPLE_HISTORY_REVERT_DISABLED = True
# dumpdata writes a history row's references as ids: the record it points at may be gone (README, Backups).
SERIALIZATION_MODULES = {"json": "core.serializers"}

# SECURITY
# ------------------------------------------------------------------------------
# Safe by default: without DEBUG every request must arrive over HTTPS. The test client speaks plain HTTP,
# so tests/conftest.py turns the redirect off; tests/config/test_security.py checks it.
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
# includeSubDomains covers only names under the site's own host (x.registry.example.org), so it is on.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# security.W021 (no HSTS preload) is silenced: entering a domain in the browsers' preload list is hard to
# undo and binds the whole registrable domain, a decision for its owner. DJANGO_SECURE_HSTS_PRELOAD opts in.
# models.W040 (SQLite has no INCLUDE) is silenced: the covering index term_city_dates_idx serves PostgreSQL,
# and SQLite builds the same index on its key columns alone, which is all it needs at its scale.
SILENCED_SYSTEM_CHECKS = ["security.W021", "models.W040"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])


if env.bool("DJANGO_BEHIND_PROXY", default=False):
    # Only behind a proxy that sets both headers itself; otherwise a client could forge them.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_CLIENT_IP_CALLABLE = "config.proxy.client_address_behind_proxy"

# Nothing loads from another host, and no inline script may run. The admin needs no exception (checked in
# Chromium by tests/config/test_security.py); public templates must keep scripts and styles in static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# OPEN DATA
# ------------------------------------------------------------------------------
# The licence every download and API answer names; the data are facts about public bodies.
OPEN_DATA_LICENCE = env.str("DJANGO_OPEN_DATA_LICENCE", default="CC BY 4.0")
OPEN_DATA_LICENCE_URL = env.str("DJANGO_OPEN_DATA_LICENCE_URL", default="https://creativecommons.org/licenses/by/4.0/")
# Requests per client address to the API (django-ninja's rate syntax: "120/min"); over it the API answers 429.
API_RATE_LIMIT = env.str("DJANGO_API_RATE_LIMIT", default="120/min")
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]

# ADMISSIONS AND PERSONAL DATA
# ------------------------------------------------------------------------------
# Applicants' and National Commissions' links (applications/links.py): days valid, requests per address per hour.
APPLICATIONS_LINK_MAX_AGE_DAYS = env.int("DJANGO_APPLICATIONS_LINK_MAX_AGE_DAYS", default=90)
APPLICATIONS_LINK_REQUESTS_PER_HOUR = env.int("DJANGO_APPLICATIONS_LINK_REQUESTS_PER_HOUR", default=120)
# Where applicants' attachments are stored. Never served by URL: staff download them through the admin, which checks
# the permission (applications/admin.py). Back it up with the database.
MEDIA_ROOT = env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "uploads"))
APPLICATIONS_MAX_ATTACHMENT_BYTES = env.int("DJANGO_APPLICATIONS_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
# Years each kind of personal data is kept (core/retention.py; purge_personal_data clears it after).
PERSONAL_DATA_RETENTION_YEARS = {
    "delegate-contact": env.int("DJANGO_RETENTION_DELEGATE_CONTACT_YEARS", default=3),
    "unsuccessful-applicant": env.int("DJANGO_RETENTION_UNSUCCESSFUL_APPLICANT_YEARS", default=2),
}

# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # django-axes announces itself at start-up, once per command and worker; its lockout warnings still show.
    "loggers": {"axes.apps": {"level": "WARNING"}},
}
