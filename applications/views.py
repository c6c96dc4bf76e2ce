"""Public pages of the calls, and the pages applicants and National Commissions open through their links."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView

from applications.applicant_forms import ApplicantForm, CommissionEndorsementForm
from applications.links import APPLICANT_SALT, COMMISSION_SALT, read_token
from applications.models import Application, Call
from applications.status import Status
from applications.workflow import EndorsementData, application_transition
from core.cache import cache_page_until_changed
from network.models import Country


@method_decorator(cache_page_until_changed, name="dispatch")
class CallListView(ListView):
    """Every call, newest first, with its dates."""

    model = Call
    template_name = "applications/call_list.html"


@method_decorator(cache_page_until_changed, name="dispatch")
class CallDetailView(DetailView):
    """A call's dates, cap and how to apply; once announced, the cities it admitted (members, so public).
    Nothing of an application in progress, nor any person's details."""

    model = Call
    slug_field = slug_url_kwarg = "year"
    template_name = "applications/call_detail.html"

    def get_context_data(self, **kwargs):
        admitted = self.object.applications.filter(status=Status.ADMITTED).select_related("city__country")
        return super().get_context_data(**kwargs, admitted=admitted.order_by("city__country__name", "city__name"))


def _throttled(request) -> bool:
    """More than APPLICATIONS_LINK_REQUESTS_PER_HOUR requests to link pages from one client address this hour
    (as the password reset counts them: by the address django-axes settled on)."""
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")
    key = f"applications-link:{address}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) > getattr(settings, "APPLICATIONS_LINK_REQUESTS_PER_HOUR", 120)


def _refusal(request, status: int) -> HttpResponse:
    # One answer for a forged, garbled, expired or unknown link: nothing tells which.
    return render(request, "applications/link_refused.html", status=status)


def confirmation_send(application: Application) -> None:
    """E-mail the contact person that the application was received, in the application's language."""
    with translation.override(application.language):
        context = {"application": application}
        subject = render_to_string("applications/email/received_subject.txt", context).strip()
        body = render_to_string("applications/email/received.txt", context)
    send_mail(subject, body, None, [application.contact_email])


@never_cache
def apply(request, token: str):
    """The application form of one city: saved as a draft as often as needed, then submitted once."""
    if _throttled(request):
        return _refusal(request, 429)
    payload = read_token(token, APPLICANT_SALT)
    application = payload and Application.objects.with_people().filter(pk=payload.get("a")).first()
    if not application:
        return _refusal(request, 404)
    chosen = request.POST.get("language")
    with translation.override(chosen if chosen in ("en", "fr") else application.language):
        return _apply(request, application)


def _apply(request, application):
    editable = application.status == Status.DRAFT
    submitting = "submit" in request.POST
    posted = request.method == "POST"
    form = ApplicantForm(
        request.POST if posted else None, request.FILES if posted else None, instance=application, submitting=submitting
    )
    if posted and editable and form.is_valid():
        with transaction.atomic():
            application = form.save()
            if submitting:
                try:
                    application = application_transition(
                        application=application, to=Status.RECEIVED, note=_("Submitted by the applicant")
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                    transaction.set_rollback(True)
        if not form.errors:
            if submitting:
                transaction.on_commit(lambda: confirmation_send(application))
            return redirect(request.path + ("?submitted=1" if submitting else "?saved=1"))
    context = {"application": application, "form": form, "editable": editable, "saved": "saved" in request.GET}
    return render(request, "applications/apply.html", context, status=400 if form.errors else 200)


@never_cache
def endorse(request, token: str):
    """The National Commission's page: its country's received applications to one call, to endorse."""
    if _throttled(request):
        return _refusal(request, 429)
    payload = read_token(token, COMMISSION_SALT) or {}
    call = Call.objects.filter(pk=payload.get("c")).first()
    country = Country.objects.filter(pk=payload.get("n")).first()
    if not (call and country):
        return _refusal(request, 404)
    pending = Application.objects.filter(call=call, country=country, status=Status.RECEIVED).select_related("city")
    form = CommissionEndorsementForm(
        request.POST if request.method == "POST" else None, pending=pending.order_by("proposed_city_name", "pk")
    )
    done = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        endorsement = EndorsementData(
            commission=data["commission"], endorsed_on=timezone.localdate(), endorsed_by=data["endorsed_by"]
        )
        try:
            with transaction.atomic():
                for application in data["applications"]:
                    done.append(
                        application_transition(
                            application=application,
                            to=Status.ENDORSED,
                            endorsement=endorsement,
                            note=_("Endorsed through the National Commission's link"),
                        )
                    )
        except ValidationError as error:
            form.add_error(None, error)
            done = []
        else:
            return redirect(f"{request.path}?endorsed={len(done)}")
    endorsed = Application.objects.endorsed_in(call, country.pk).select_related("city")
    context = {"call": call, "country": country, "form": form, "endorsed": endorsed, "pending": pending}
    return render(request, "applications/endorse.html", context, status=400 if form.errors else 200)
