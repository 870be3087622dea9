"""Access rules for every URL on a hospital's host, in one place.

- Anonymous visitors are sent to the hospital's login page.
- A signed-in user who does not belong to this hospital gets 403 (platform
  superusers may enter any hospital).
- A user with a temporary password must change it before anything else — on the
  platform host too, where the admin's own password change page is the only way on.
- A module the hospital does not subscribe to answers 404; a module the user's role
  may not use answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from apps.accounts.access import may_use_module
from apps.tenancy.registry import module_for_namespace


class HospitalAccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        hospital = getattr(request, "hospital", None)
        if hospital is None:
            return _platform_password_change(request)
        if getattr(view_func, "login_exempt", False):
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.belongs_to(hospital.pk):
            return render(request, "accounts/not_a_member.html", status=403)
        if user.must_change_password and not getattr(view_func, "password_change_exempt", False):
            return redirect("password_change")
        match = request.resolver_match
        module = module_for_namespace(match.namespaces[0]) if match and match.namespaces else None
        if module is not None:
            if not hospital.module_enabled(module.key):
                raise Http404(f"{module.label} is not enabled for this hospital")
            if not may_use_module(user, module):
                return render(request, "accounts/forbidden.html", {"module": module}, status=403)
        return None


#: admin views a platform user with a temporary password may still reach
_PLATFORM_PASSWORD_CHANGE_EXEMPT = frozenset(
    {
        "password_change",
        "platform_password_change",
        "password_change_done",
        "logout",
        "login",
        "jsi18n",
    }
)


def _platform_password_change(request: HttpRequest) -> HttpResponse | None:
    user = request.user
    if not (user.is_authenticated and user.must_change_password):
        return None
    match = request.resolver_match
    if match is not None and match.url_name in _PLATFORM_PASSWORD_CHANGE_EXEMPT:
        return None
    return redirect("admin:password_change")
