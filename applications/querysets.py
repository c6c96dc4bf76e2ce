"""Reads over applications that pages, admin and reports share."""

from django.db import models

from applications.status import ENDORSED_OR_LATER


class ApplicationQuerySet(models.QuerySet):
    def endorsed_in(self, call, country_id: int):
        """The applications of `call` from the country that count against its cap: endorsed or any later step."""
        return self.filter(call=call, country_id=country_id, status__in=ENDORSED_OR_LATER)

    def with_people(self):
        """With the call, city and country joined: what a page naming the application reads."""
        return self.select_related("call", "city", "country")
