from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.access import login_exempt, password_change_exempt
from apps.accounts.forms import HospitalAuthenticationForm
from apps.accounts.services import password_change
from apps.core.http import HospitalHostRequest, HospitalRequest
from apps.core.viewkit import form_action


@login_exempt
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HospitalHostRequest) -> HttpResponse:
    if request.user.is_authenticated and request.user.belongs_to(request.hospital.pk):
        return redirect("dashboard")
    form = HospitalAuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return redirect(_safe_next(request) or "dashboard")
    return render(request, "accounts/login.html", {"form": form})


def _safe_next(request: HttpRequest) -> str | None:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return None


@login_exempt
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


@password_change_exempt
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change_view(request: HospitalRequest) -> HttpResponse:
    # A temporary password was just typed to sign in; any other change asks for the
    # current password, so an open session alone cannot take the account over.
    forced = request.user.must_change_password
    form_class = SetPasswordForm if forced else PasswordChangeForm
    form = form_class(request.user, data=request.POST or None)
    if form_action(
        form, lambda data: password_change(user=request.user, new_password=data["new_password1"])
    ):
        update_session_auth_hash(request, request.user)
        messages.success(request, gettext("Your password has been changed."))
        return redirect("dashboard")
    if form.has_error("old_password", "password_incorrect") and _guess_locks_out(request):
        return HttpResponse(status=204)  # django-axes' middleware answers with the lock-out
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": forced},
    )


def _guess_locks_out(request: HospitalRequest) -> bool:
    """A wrong current password typed on the password page is a failed sign-in of the
    account (django-axes counts it towards the same lock-outs), so an open session
    cannot guess the password faster than the sign-in page allows. Once the account is
    locked the session ends: the next guesses meet the sign-in page's lock-out."""
    username = request.user.get_username()
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    if not getattr(request, "axes_locked_out", False):
        return False
    logout(request)
    return True


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: object
) -> HttpResponse:
    """django-axes' answer to a sign-in while the account or the address is locked."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
