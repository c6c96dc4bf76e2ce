"""The forms applicants and National Commissions fill in through their links (no account)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.files import validate_attachment
from applications.models import CHALLENGES, Application
from core.admin.safe_input import ModelMultipleChoiceField

RATINGS = [("", "—"), *((str(n), str(n)) for n in range(1, 6))]
# What a submitted application must have; a draft may lack any of it.
REQUIRED_TO_SUBMIT = [
    "mayor_name",
    "mayor_title",
    "contact_name",
    "contact_email",
    "population",
    "vision",
    "plans",
]


class ApplicantForm(forms.ModelForm):
    """The application as the city fills it in. Saving keeps a draft; `submitting=True` also asks for
    REQUIRED_TO_SUBMIT. Each challenge is a 1-5 choice (stored together in `challenges`); one file may be attached
    per save."""

    attachment = forms.FileField(
        label=_("attach a file (PDF, PNG, JPEG, DOCX, XLSX or ODT)"), required=False, validators=[validate_attachment]
    )

    class Meta:
        model = Application
        fields = [
            "language",
            "website",
            "mayor_name",
            "mayor_title",
            "contact_name",
            "contact_address",
            "contact_phone",
            "contact_email",
            "population",
            "area_km2",
            "gdp_per_capita",
            "schooling_years",
            "vision",
            "plans",
            "interests",
        ]
        field_classes = {"website": lambda **kw: forms.URLField(assume_scheme="https", **kw)}

    def __init__(self, *args, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        for key, label in CHALLENGES.items():
            self.fields[f"challenge_{key}"] = forms.ChoiceField(
                label=label, choices=RATINGS, required=False, initial=str(self.instance.challenges.get(key, ""))
            )

    def challenge_fields(self):
        return [self[f"challenge_{key}"] for key in CHALLENGES]

    def clean(self):
        data = super().clean()
        if self.submitting:
            for name in REQUIRED_TO_SUBMIT:
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("Needed before the application is submitted."))
        return data

    def save(self, commit=True):
        self.instance.challenges = {
            key: int(self.cleaned_data[f"challenge_{key}"])
            for key in CHALLENGES
            if self.cleaned_data.get(f"challenge_{key}")
        }
        application = super().save(commit=commit)
        if commit and self.cleaned_data.get("attachment"):
            application.attachments.create(file=self.cleaned_data["attachment"])
        return application


class CommissionEndorsementForm(forms.Form):
    """The National Commission endorses some of its country's received applications to a call."""

    commission = forms.CharField(label=_("National Commission"), max_length=200)
    endorsed_by = forms.CharField(label=_("endorsed by (name and title)"), max_length=200)
    # The project's field: an id beyond 64 bits is a form error, not an OverflowError on SQLite.
    applications = ModelMultipleChoiceField(
        label=_("applications to endorse"), queryset=Application.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, pending, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = pending
        self.fields["applications"].label_from_instance = lambda application: application.city_name
