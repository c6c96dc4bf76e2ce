"""A signed-in session for the load test's readers of the report pages (scripts/loadtest_mixed.sh)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.test import Client

from reports.base import VIEW_REPORTS

READER_USERNAME = "loadtest-reader"


class Command(BaseCommand):
    help = (
        "Create a staff user with the view_reports permission (loadtest-reader) and a session for it, and print "
        "the Cookie header value that signs wrk in; with --delete, remove the user and its session."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", metavar="COOKIE", help="The cookie printed before: remove user and session.")

    def handle(self, *args, delete, **options):
        users = get_user_model().objects
        if delete is not None:
            key = delete.partition("=")[2]
            Session.objects.filter(session_key=key).delete()
            users.filter(username=READER_USERNAME).delete()
            return
        users.filter(username=READER_USERNAME).delete()
        user = users.create_user(READER_USERNAME, password=None, is_staff=True)
        app_label, codename = VIEW_REPORTS.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        name = settings.SESSION_COOKIE_NAME
        self.stdout.write(f"{name}={client.cookies[name].value}")
