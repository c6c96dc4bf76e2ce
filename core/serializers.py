"""The JSON format of dumpdata and loaddata, with the references of history rows written as plain ids."""

import datetime

from django.core.serializers.json import (
    Deserializer,  # noqa: F401  (reading is unchanged)
    DjangoJSONEncoder,
)
from django.core.serializers.json import Serializer as JSONSerializer


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds, so a restored backup would differ from the original."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    """A history row may point at a record deleted since, which has no natural key left to write."""

    # Private hooks of Django's JSON serializer, absent from django-stubs.
    def _init_options(self):
        super()._init_options()  # type: ignore[misc]
        if "cls" not in self.options:
            self.json_kwargs["cls"] = ExactJSONEncoder

    def handle_fk_field(self, obj, field):
        if hasattr(type(obj), "instance_type"):  # a simple-history table (core/history.py)
            self._current[field.name] = self._value_from_field(obj, field)  # type: ignore[attr-defined]
        else:
            super().handle_fk_field(obj, field)
