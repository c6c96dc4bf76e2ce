"""How long unsuccessful applicants' contact details are kept: PERSONAL_DATA_RETENTION_YEARS["unsuccessful-applicant"]
(default 2) years after the decision not to admit. The city, the mayor's name and title and the profile stay (the
record of the application); the contact person's details and the attached files go."""

from django.db.models import Count

from applications.models import Application, Attachment
from applications.status import Status
from core.retention import RetentionRule, register, retention_years, years_before

KIND = "unsuccessful-applicant"
CONTACT_FIELDS = ("contact_name", "contact_address", "contact_phone", "contact_email")


def expired_applications(today):
    cutoff = years_before(today, retention_years(KIND, 2))
    return Application.objects.filter(
        status=Status.NOT_ADMITTED, decision__decided_on__lt=cutoff, personal_data_cleared_at__isnull=True
    )


def delete_attachments(applications) -> dict[int, int]:
    """Delete the files of these applications from storage and their rows; {application pk: files deleted}."""
    attachments = Attachment.objects.filter(application__in=applications)
    counts = dict(attachments.values("application").annotate(n=Count("pk")).values_list("application", "n"))
    for attachment in attachments:
        attachment.file.delete(save=False)
    attachments.delete()
    return counts


register(
    RetentionRule(
        kind=KIND,
        model=Application,
        fields=CONTACT_FIELDS,
        expired=expired_applications,
        describe=lambda application: f"Application #{application.pk} to call #{application.call_id}",
        subject_field="contact_email",
        also_clear=delete_attachments,
        mark_field="personal_data_cleared_at",
        exported_fields=(
            "call",
            "city",
            "proposed_city_name",
            "country",
            "status",
            "mayor_name",
            "mayor_title",
            *CONTACT_FIELDS,
            "website",
            "submitted_at",
        ),
    )
)
