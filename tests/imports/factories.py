import hashlib

import factory
from django.utils import timezone

from imports.models import ImportRecord


class ImportRecordFactory(factory.django.DjangoModelFactory):
    """An applied import of a one-row cohort file."""

    class Meta:
        model = ImportRecord

    kind = "members"
    status = ImportRecord.Status.APPLIED
    file_name = factory.Sequence(lambda n: f"cohort-{n}.csv")
    content = b"city,country,joined\r\nVinh,VN,2020\r\n"
    file_size = factory.LazyAttribute(lambda o: len(o.content))
    file_sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    imported_by_name = "staff"
    applied_at = factory.LazyFunction(timezone.now)
    created_count = 1
    changes = factory.LazyFunction(
        lambda: [{"row": 2, "action": "create", "record": "Vinh, Viet Nam", "details": ["new city"]}]
    )

    class Params:
        previewed = factory.Trait(status=ImportRecord.Status.PREVIEWED, applied_at=None, created_count=0, changes=[])
