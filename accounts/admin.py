"""The admins of accounts and sign-in attempts (django.contrib.auth, django-axes) with the project's lookup guard.

They are registered by their own apps, which come before this one in INSTALLED_APPS; here they are registered
again with SafeInputAdminMixin, so a hostile filter on a user or an access attempt gets a message, not a 500.
"""

from django.contrib import admin

from core.admin.safe_input import SafeInputAdminMixin

for _model, _model_admin in list(admin.site._registry.items()):
    if not isinstance(_model_admin, SafeInputAdminMixin):
        admin.site.unregister(_model)
        admin.site.register(_model, type(type(_model_admin).__name__, (SafeInputAdminMixin, type(_model_admin)), {}))
