import uuid

import factory

from core.models import CacheVersion


class CacheVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CacheVersion
        django_get_or_create = ["scope"]

    scope = factory.Sequence(lambda n: f"test:{n}")
    token = factory.LazyFunction(lambda: uuid.uuid4().hex)
