"""Who may use which staff page of a hospital."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, get_resolver, get_urlconf

from apps.accounts.models import User
from apps.accounts.rules import may_act_as as may_act_as  # the rule, also from here
from apps.core.http import login_exempt as login_exempt  # the marker, also from here
from apps.core.modules import Module, module_for_namespace

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital

View = TypeVar("View", bound=Callable[..., Any])


def password_change_exempt(view: View) -> View:
    """Mark a view a user with a temporary password may still reach (change, logout)."""
    view.password_change_exempt = True  # type: ignore[attr-defined]
    return view


def two_factor_exempt(view: View) -> View:
    """Mark a view a signed-in user may reach before giving the second factor (the token
    step and the enrolment themselves)."""
    view.two_factor_exempt = True  # type: ignore[attr-defined]
    return view


def may_use_module(user: User, module: Module) -> bool:
    """The roles the module lets in (``Module.roles``), or an administrator."""
    return may_act_as(user, frozenset(module.roles))


def roles_required(*roles: str) -> Callable[[View], View]:
    """Limit a view inside a module to some roles (403 page for the others); with no
    roles, to hospital administrators."""
    allowed = frozenset(roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not may_act_as(request.user, allowed):  # type: ignore[arg-type]
                return render(request, "accounts/forbidden.html", status=403)
            return view(request, *args, **kwargs)  # type: ignore[no-any-return]

        # read by may_open (functools.wraps carries it up through outer decorators)
        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def may_open(user: User, hospital: Hospital, url_name: str) -> bool:
    """Whether ``user`` would be let into the staff page named ``url_name`` (for
    example ``"appointments:book"``): its module is enabled for the hospital and lets the
    user's role in, and the view's own ``roles_required`` does too.

    Pages show a link or a button only when this holds, so what a person sees and what
    the page would answer are decided by the same declarations, never by a role compared
    in a template."""
    namespace = url_name.split(":", 1)[0] if ":" in url_name else ""
    module = module_for_namespace(namespace) if namespace else None
    if module is not None and not (
        hospital.module_enabled(module.key) and may_use_module(user, module)
    ):
        return False
    view = _views_by_name(get_urlconf()).get(url_name)
    if view is None:
        raise LookupError(f"no staff page is named {url_name!r}")
    allowed = getattr(view, "allowed_roles", None)
    return allowed is None or may_act_as(user, allowed)


@functools.cache
def _views_by_name(urlconf: str | None) -> dict[str, Callable[..., Any]]:
    """Every named page of ``urlconf`` (None: the project's), by its full name."""
    return dict(_named_views(get_resolver(urlconf).url_patterns, ()))


def _named_views(
    patterns: list[Any], namespaces: tuple[str, ...]
) -> Iterator[tuple[str, Callable[..., Any]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _named_views(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join((*namespaces, pattern.name)), pattern.callback
