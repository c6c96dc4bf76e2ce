import uuid

import factory

from core.models import CacheVersion, PersonalDataPurge


class CacheVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CacheVersion
        django_get_or_create = ["scope"]

    scope = factory.Sequence(lambda n: f"test:{n}")
    token = factory.LazyFunction(lambda: uuid.uuid4().hex)


class PersonalDataPurgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonalDataPurge

    kind = "delegate-contact"
    model = "conferences.Delegate"
    object_id = factory.Sequence(lambda n: n + 1)
    description = factory.LazyAttribute(lambda purge: f"Delegate #{purge.object_id}")
    fields = "email, phone, notes"
    purged_by = "purge_personal_data"
