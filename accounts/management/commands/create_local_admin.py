"""Create a superuser for local use with a generated password, shown once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the local 'admin' superuser with a generated password (printed once); do nothing if it exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"User '{username}' already exists; its password was shown when it was created.")
            self.stdout.write(f"Forgot it? python manage.py changepassword {username}")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS(f"Created superuser '{username}' with password: {password}"))
        self.stdout.write("It is shown only this once. Sign in at http://127.0.0.1:8000/admin/")
