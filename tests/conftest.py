import pytest
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def _plain_http_without_collectstatic():
    """The test client speaks plain HTTP and nobody ran collectstatic, as production settings assume.

    Static files come from the app folders, as under DEBUG. tests/config/ checks the HTTPS redirect and the
    hashed, compressed files of production separately. A fast hasher keeps sign-ins cheap.
    """
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        WHITENOISE_AUTOREFRESH=True,
        WHITENOISE_USE_FINDERS=True,
    ):
        yield


@pytest.fixture
def staff_client(client, admin_user):
    """A signed-in superuser, as secretariat staff use the admin."""
    client.force_login(admin_user)
    return client
