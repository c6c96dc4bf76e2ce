from django.test import override_settings

from core.checks import check_page_cache


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica"

    def db_for_write(self, model, **hints):
        return "default"


def test_the_shipped_settings_pass():
    assert check_page_cache(None) == []


def test_django_per_site_cache_is_flagged_as_stale(settings):
    settings.MIDDLEWARE = ["django.middleware.cache.UpdateCacheMiddleware", *settings.MIDDLEWARE]
    assert [found.id for found in check_page_cache(None)] == ["core.W001"]


@override_settings(DATABASE_ROUTERS=[f"{__name__}.ReplicaRouter"])
def test_versions_read_from_a_replica_are_flagged():
    assert [found.id for found in check_page_cache(None)] == ["core.W002"]
