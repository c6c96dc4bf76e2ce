"""Password reset by e-mail for staff (Django's own views), throttled: a few requests per address and per hour."""

from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.shortcuts import redirect
from django.urls import path, reverse_lazy

REQUESTS_PER_HOUR = 3


def _allowed(request) -> bool:
    """At most REQUESTS_PER_HOUR reset requests per client address and per e-mail address each hour."""
    # The address django-axes settled on (behind a proxy, the one the proxy saw), as sign-in throttling uses.
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")
    keys = [f"password-reset:ip:{address}", f"password-reset:email:{request.POST.get('email', '').lower()}"]
    allowed = True
    for key in keys:
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) > REQUESTS_PER_HOUR:
            allowed = False
    return allowed


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's view; past the limit it sends nothing and says the same as when it did (no address is revealed)."""

    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        if not _allowed(request):
            return redirect(self.success_url)
        return super().post(request, *args, **kwargs)


urlpatterns = [
    path("password-reset/", ThrottledPasswordResetView.as_view(), name="admin_password_reset"),
    path("password-reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/complete/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
