import factory

from reports.models import SavedReport


class SavedReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedReport

    name = factory.Sequence(lambda n: f"Saved report {n}")
    report = "members-by-country"
    filters = "region=asia-pacific"
    frequency = SavedReport.Frequency.NONE
    format = "csv"
    recipients = ""
