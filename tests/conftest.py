import pytest


@pytest.fixture
def staff_client(client, admin_user):
    """A signed-in superuser, as secretariat staff use the admin."""
    client.force_login(admin_user)
    return client
