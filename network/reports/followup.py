"""Follow-up from the reports: record a progress report received, and e-mail a reminder to a city's contact.

Both are staff pages (the admin's sign-in and layout) that check their own permission: adding progress reports,
adding reminders. Every reminder sent is kept on the city (`city.reminders`), as it was sent.
"""

import datetime
from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from network.models import PROGRESS_REPORT_INTERVAL_YEARS, City, ProgressReport, Reminder


class ProgressReportReceivedForm(forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = ["received_on", "title", "link", "notes"]
        widgets = {"received_on": forms.DateInput(attrs={"type": "date"})}
        field_classes = {"link": partial(forms.URLField, assume_scheme="https")}


def reminder_compose(*, city: City, language: str | None = None) -> tuple[str, str]:
    """The subject and body of a progress-report reminder to `city` (templates/network/email/), in `language`
    (a code of settings.LANGUAGES; default the city's language of correspondence): dates and words alike."""
    last = city.progress_reports.order_by("-received_on").first()
    context = {"city": city, "last_report": last, "interval": PROGRESS_REPORT_INTERVAL_YEARS}
    with translation.override(language or city.correspondence_language):
        subject = render_to_string("network/email/progress_report_reminder_subject.txt", context).strip()
        return subject, render_to_string("network/email/progress_report_reminder.txt", context)


def reminder_language(request, city: City) -> str:
    """The language asked for on the reminder page (`language` in the query or form), if it is one of the site's;
    otherwise the city's language of correspondence."""
    asked = request.POST.get("language") or request.GET.get("language")
    return asked if asked in dict(settings.LANGUAGES) else city.correspondence_language


def reminder_send(*, city: City, user, language: str | None = None, now: datetime.datetime | None = None) -> Reminder:
    """E-mail the reminder to the city's contact with Django's e-mail backend, in `language` (default the city's
    language of correspondence), and log it on the city with that language.

    Raises ValueError when the city has no contact e-mail. The log is written only if the backend accepted it.
    """
    if not city.contact_email:
        raise ValueError(_("%(city)s has no contact e-mail: add one on the city's page first.") % {"city": city})
    language = language or city.correspondence_language
    subject, body = reminder_compose(city=city, language=language)
    with transaction.atomic():
        reminder = Reminder(
            city=city,
            sent_at=now or timezone.now(),
            sent_by=user,
            sent_by_name=user.get_username(),
            recipient=city.contact_email,
            language=language,
            subject=subject,
            body=body,
        )
        reminder.full_clean()
        reminder.save()
        send_mail(subject, body, None, [city.contact_email])
    return reminder


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    return target if safe else default


def _check(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("Recording this needs the permission '%(permission)s'.") % {"permission": permission})


def _context(request, city, **extra):
    return {**admin.site.each_context(request), "city": city, "next": _back(request, ""), **extra}


@admin.site.admin_view
def progress_report_record(request, pk: int):
    """A form for the progress report a city sent; back to the list it was opened from."""
    _check(request, "network.add_progressreport")
    city = get_object_or_404(City.objects.select_related("country"), pk=pk)
    form = ProgressReportReceivedForm(
        request.POST or None, instance=ProgressReport(city=city), initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Progress report from %(city)s recorded.") % {"city": city})
        return redirect(_back(request, city.get_absolute_url()))
    title = _("Record a progress report from %(city)s") % {"city": city}
    return render(
        request, "network/followup/progress_report_form.html", _context(request, city, form=form, title=title)
    )


@admin.site.admin_view
def reminder_create(request, pk: int):
    """Show the reminder as it will be sent; send it on POST, then go back to the list."""
    _check(request, "network.add_reminder")
    city = get_object_or_404(City.objects.select_related("country"), pk=pk)
    language = reminder_language(request, city)
    if request.method == "POST" and city.contact_email:
        reminder_send(city=city, user=request.user, language=language)
        messages.success(
            request,
            _("Reminder sent to %(address)s; it is kept on %(city)s's page.")
            % {"address": city.contact_email, "city": city},
        )
        return redirect(_back(request, city.get_absolute_url()))
    subject, body = reminder_compose(city=city, language=language)
    sent = list(city.reminders.all()[:10])
    context = _context(
        request,
        city,
        subject=subject,
        body=body,
        sent=sent,
        language=language,
        languages=settings.LANGUAGES,
        title=_("Remind %(city)s") % {"city": city},
    )
    return render(request, "network/followup/reminder_form.html", context, status=200 if city.contact_email else 409)
