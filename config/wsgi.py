import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# After Django's set-up: the URL conf, translations and templates loaded once, then frozen (config/startup.py).
from config.startup import prepare_process  # noqa: E402  (needs the settings and apps set up above)

prepare_process()
