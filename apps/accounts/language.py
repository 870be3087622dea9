"""The interface language: which one a request gets, and switching it.

Order of precedence on a hospital's host: the signed-in user's own choice
(``User.language``), then the language cookie (someone who switched before signing in),
then the hospital's default (``Hospital.language``). The browser's Accept-Language is
not asked there: a hospital in Baku chose its language for its staff. On the platform
host (no hospital) Django's usual order applies (cookie, Accept-Language, LANGUAGE_CODE).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apps.accounts.access import login_exempt, password_change_exempt
from apps.core.exceptions import ValidationError

if TYPE_CHECKING:
    from apps.accounts.models import User


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def preferred_language(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in language_codes():
        return str(user.language)
    hospital = getattr(request, "hospital", None)
    if hospital is None:
        return translation.get_language_from_request(request)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in language_codes():
        return str(chosen)
    if hospital.language in language_codes():
        return str(hospital.language)
    return settings.LANGUAGE_CODE


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (its response side: ``Content-Language``, ``Vary``),
    choosing the language as the module docstring says. Runs after authentication."""

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # the request's language ends with it: the thread goes back to what it had (the
        # next request, a test, a task run in-process never inherits a user's choice)
        previous = translation.get_language()
        try:
            # a sync-only middleware: never the awaitable the stubs also allow
            response = cast("HttpResponseBase", super().__call__(request))
        finally:
            translation.activate(previous) if previous else translation.deactivate()
        return response

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(preferred_language(request))
        request.LANGUAGE_CODE = translation.get_language()


def user_language_set(*, user: User, language: str) -> None:
    """Remember ``language`` as the user's own choice (every device, every sign-in)."""
    if language not in language_codes():
        message = translation.gettext("Choose a language from the list.")
        raise ValidationError(message, field="language")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@login_exempt
@password_change_exempt
@require_POST
def language_switch_view(request: HttpRequest) -> HttpResponse:
    """The language switcher's target: remembered on the user when signed in, in a
    cookie in any case (the sign-in page), then back to the page it was used on."""
    language = request.POST.get("language", "")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if language not in language_codes():
        return response
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        httponly=True,
    )
    return response
