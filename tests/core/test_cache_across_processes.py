"""core/cache.py across processes: gunicorn with 4 workers on the shipped defaults (no CACHE_URL, so each worker
has a private local-memory cache), and on Redis when TEST_REDIS_URL names one, records changed through the admin
and from a shell, 20 of 20 reads fresh.

Slow (about 15 s) and PostgreSQL only: gunicorn must reach the test database, which on SQLite is in memory."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
from django.db import connection
from django.forms.models import model_to_dict
from django.urls import reverse

from tests.conferences.factories import DelegateFactory, DelegationFactory
from tests.network.factories import MembershipTermFactory

ROOT = Path(__file__).resolve().parents[2]
READS = 20
RENAME = "from network.models import City; c = City.objects.get(slug='vinh'); c.name = 'Vinh City'; c.save()"
PUBLISH = "from conferences.models import Delegate; d = Delegate.objects.get(pk={pk}); d.is_public = True; d.save()"

pytestmark = [
    pytest.mark.gunicorn,
    pytest.mark.django_db(transaction=True),  # committed, so that gunicorn's workers read the records
    pytest.mark.skipif(connection.vendor != "postgresql", reason="gunicorn needs a database it can reach"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(params=["local memory", "redis"])
def environment(request, tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "CACHE_URL"}  # the shipped default
    if request.param == "redis":
        # Shared by the workers, so a page one worker kept whole is answered by the others' PageCacheMiddleware.
        if not os.environ.get("TEST_REDIS_URL"):
            pytest.skip("set TEST_REDIS_URL (redis://127.0.0.1:6379/N, a database the test may empty) to run it")
        env["CACHE_URL"] = os.environ["TEST_REDIS_URL"]
        redis.Redis.from_url(env["CACHE_URL"]).flushdb()
    env.update(DATABASE_URL=database_url(), DJANGO_DEBUG="false", DJANGO_SECRET_KEY="gunicorn-test-key")
    env.update(DJANGO_SECURE_SSL_REDIRECT="false", DJANGO_ALLOWED_HOSTS="127.0.0.1", GUNICORN_ACCESS_LOG="")
    env.update(DJANGO_STATIC_ROOT=str(tmp_path / "static"))
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    return env


@pytest.fixture
def gunicorn(environment):
    port = free_port()
    env = {**environment, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "4", "GUNICORN_THREADS": "1"}
    command = [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(f"{base}/robots.txt", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
        print(errors.decode()[-3000:])  # shown by pytest when the test fails


def reads(url: str) -> list[str]:
    # One connection per read, so that gunicorn hands them to its workers in turn.
    return [requests.get(url, headers={"Connection": "close"}, timeout=10).text for _ in range(READS)]


def shell(environment, code: str) -> None:
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=environment, check=True)


def test_every_worker_shows_a_change_on_its_next_request(gunicorn, environment, admin_client):
    MembershipTermFactory(city__name="Vinh", city__slug="vinh")
    delegation = DelegationFactory(city__name="Son La", city__slug="son-la")
    delegate = DelegateFactory(delegation=delegation, full_name="Nguyen Van Published", is_public=True)
    vinh, son_la = f"{gunicorn}/cities/vinh/", f"{gunicorn}/cities/son-la/"
    assert all("Vinh" in page for page in reads(vinh))  # every worker has the page in its own cache now
    assert all("Nguyen Van Published" in page for page in reads(son_la))

    # Through the admin (the same views staff use; committed like any request): withdraw "may be published".
    form = {key: value for key, value in model_to_dict(delegate).items() if value is not None and key != "id"}
    form["is_public"] = ""
    change = reverse("admin:conferences_delegate_change", args=[delegate.pk])
    assert admin_client.post(change, {k: v for k, v in form.items() if v != ""}).status_code == 302
    assert [("Nguyen Van Published" in page) for page in reads(son_la)] == [False] * READS

    # From a shell, as a command would: a rename.
    shell(environment, RENAME)
    assert [("Vinh City" in page) for page in reads(vinh)] == [True] * READS
    # And published again from a shell.
    shell(environment, PUBLISH.format(pk=delegate.pk))
    assert [("Nguyen Van Published" in page) for page in reads(son_la)] == [True] * READS
