"""The steps of an application and the moves allowed between them (forward only)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """The steps of an application; they only move forward (applications/workflow.py has the allowed moves)."""

    DRAFT = "draft", _("Draft")
    RECEIVED = "received", _("Received")
    ENDORSED = "endorsed", _("Endorsed")
    UNDER_REVIEW = "under_review", _("Under review")
    RECOMMENDED = "recommended", _("Recommended")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended")
    ADMITTED = "admitted", _("Admitted")
    NOT_ADMITTED = "not_admitted", _("Not admitted")
    DEFERRED = "deferred", _("Deferred")


DECIDED = (Status.ADMITTED, Status.NOT_ADMITTED, Status.DEFERRED)
# Endorsed, and every step after it: what the per-country cap counts.
ENDORSED_OR_LATER = (Status.ENDORSED, Status.UNDER_REVIEW, Status.RECOMMENDED, Status.NOT_RECOMMENDED, *DECIDED)

# Which status may follow which: received -> endorsed -> under review -> recommended | not recommended ->
# admitted | not admitted | deferred (issue #18). UIL decides after the jury, whatever the jury recommended.
ALLOWED = {
    Status.DRAFT: (Status.RECEIVED,),
    Status.RECEIVED: (Status.ENDORSED,),
    Status.ENDORSED: (Status.UNDER_REVIEW,),
    Status.UNDER_REVIEW: (Status.RECOMMENDED, Status.NOT_RECOMMENDED),
    Status.RECOMMENDED: DECIDED,
    Status.NOT_RECOMMENDED: DECIDED,
}
