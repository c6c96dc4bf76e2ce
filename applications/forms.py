"""Staff forms: moving an application to its next step, with the endorsement or decision that step records."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from applications.status import DECIDED, Status
from applications.workflow import DecisionData, EndorsementData, application_transition, transition_check


class TransitionForm(forms.Form):
    """The next status of one application. Any status may be chosen; an illegal jump is refused with a message
    naming the allowed steps (applications/workflow.transition_check). `save(user)` performs the transition."""

    to = forms.ChoiceField(label=_("new status"), choices=[c for c in Status.choices if c[0] != Status.DRAFT])
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    commission = forms.CharField(label=_("National Commission"), required=False, max_length=200)
    endorsed_on = forms.DateField(
        label=_("endorsed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    endorsed_by = forms.CharField(label=_("endorsed by"), required=False, max_length=200)
    cap_override_reason = forms.CharField(
        label=_("reason for going over the cap"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    decided_on = forms.DateField(
        label=_("decided on (announcement date for an admission)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=_("reason for the decision"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application

    def clean(self):
        data = super().clean()
        to = data.get("to")
        if not to:
            return data
        transition_check(current=self.application.status, to=to)
        if to == Status.ENDORSED:
            missing = [name for name in ("commission", "endorsed_on", "endorsed_by") if not data.get(name)]
            for name in missing:
                self.add_error(name, _("Needed to record the endorsement."))
        if to in DECIDED and not data.get("decided_on"):
            self.add_error("decided_on", _("Needed to record the decision."))
        return data

    def save(self, user):
        """Perform the transition; a rule the service enforces (the cap, a duplicate city) becomes a form error
        and None is returned."""
        data, to = self.cleaned_data, self.cleaned_data["to"]
        endorsement = decision = None
        if to == Status.ENDORSED:
            endorsement = EndorsementData(
                commission=data["commission"],
                endorsed_on=data["endorsed_on"],
                endorsed_by=data["endorsed_by"],
                cap_override_reason=data["cap_override_reason"],
            )
        if to in DECIDED:
            decision = DecisionData(decided_on=data["decided_on"], reason=data["reason"])
        try:
            return application_transition(
                application=self.application,
                to=to,
                user=user,
                note=data["note"],
                endorsement=endorsement,
                decision=decision,
            )
        except ValidationError as error:
            self.add_error(None, error)
            return None
