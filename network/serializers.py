"""The JSON format of dumpdata and loaddata, with the references of history rows written as plain ids."""

from django.core.serializers.json import Deserializer  # noqa: F401  (reading is unchanged)
from django.core.serializers.json import Serializer as JSONSerializer


class Serializer(JSONSerializer):
    """A history row may point at a record deleted since, which has no natural key left to write."""

    def handle_fk_field(self, obj, field):
        if hasattr(type(obj), "instance_type"):  # a simple-history table (network/history.py)
            self._current[field.name] = self._value_from_field(obj, field)
        else:
            super().handle_fk_field(obj, field)
