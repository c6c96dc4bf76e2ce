"""Settings of the bare view (devtools/bare.py): the production settings with a URL conf of one page and two
middleware, so that `make loadtest-bare` compares the cached pages with the framework's own speed."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "devtools.bare"
# Two middleware, as a minimal production stack has: HTTPS headers and the common URL rules.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
