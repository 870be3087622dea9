"""A staff request's session and signed-in user in one platform query (issue 25).

Django reads the session row, then the user row: two queries on the platform database on
every request. Here the session engine remembers, per process, which user a session
key belongs to; the next time that key comes it reads the user's row with the session's
data beside it (a subquery) — one query — and the authentication middleware takes the
user from there instead of asking again.

Nothing that ends a session is weakened: the user's row is as fresh as the session's
(the same query), and it is checked exactly as Django's ``get_user`` checks it — still
active (deactivation), the session's hash against the password and the session
generation (password change or reset, "end every session"), the fallback secret keys.
A remembered user id is only a hint: it is used only when the session's own data names
the same user, and a session key that is gone (signed out, expired) reads as no session.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db.models import Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from apps.accounts.models import User

#: a process never remembers more session keys than this; beyond, it starts over (the
#: next request of each session then costs two queries once)
MAX_REMEMBERED = 10_000

_lock = threading.Lock()
#: session key → the id of the user it was signed in as, when last read or written here
_user_of_session: dict[str, str] = {}


def _remember(session_key: str | None, data: dict[str, Any]) -> None:
    user_id = data.get(SESSION_KEY)
    if not session_key or user_id is None:
        return
    with _lock:
        if len(_user_of_session) >= MAX_REMEMBERED:
            _user_of_session.clear()
        _user_of_session[session_key] = str(user_id)


class SessionStore(db.SessionStore):
    """Django's database sessions (same table, same data), loading the session's user in
    the same query once this process has seen the session signed in."""

    #: the user row read with the session, or None (see SessionUserMiddleware)
    loaded_user: User | None = None

    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        user_id = _user_of_session.get(key) if key else None
        if key is None or user_id is None:
            return self._session_row()
        session_data = Subquery(
            Session.objects.filter(session_key=key, expire_date__gt=timezone.now()).values(
                "session_data"
            )[:1]
        )
        users = list(
            User.objects.filter(pk=user_id).annotate(hms_session_data=session_data).order_by()
        )
        if not users:  # the account is gone: Django's way, which signs it out
            return self._session_row()
        user = users[0]
        data = user.__dict__.pop("hms_session_data")
        if data is None:  # signed out, expired or never there: as Django, a new session
            self._session_key = None
            return None
        self.loaded_user = user
        return Session(session_key=key, session_data=data)

    def _session_row(self) -> Session | None:
        """Django's own read of the session row (the user is then read on its own)."""
        row: Session | None = super()._get_session_from_db()  # type: ignore[misc]
        return row

    def load(self) -> dict[str, Any]:
        data = super().load()
        _remember(self.session_key, data)
        return data

    def save(self, must_create: bool = False) -> None:
        super().save(must_create=must_create)
        # a sign-in saves the session under its new key: its next request is one query
        _remember(self.session_key, getattr(self, "_session_cache", {}))


def session_user(request: HttpRequest) -> Any:
    """The signed-in user of ``request`` (AnonymousUser for none), as
    ``django.contrib.auth.get_user`` decides it, with the user row read alongside the
    session when there is one."""
    session = request.session
    try:
        user_id = User._meta.pk.to_python(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except KeyError:
        return auth.get_user(request)
    loaded = getattr(session, "loaded_user", None)
    if (
        loaded is None
        or loaded.pk != user_id
        or backend_path not in settings.AUTHENTICATION_BACKENDS
        or not _loads_users_as_model_backend(backend_path)
    ):
        return auth.get_user(request)
    user: User | None = loaded if ModelBackend().user_can_authenticate(loaded) else None
    if user is not None and not _session_verified(request, user):
        user = None
    return user or AnonymousUser()


def _loads_users_as_model_backend(backend_path: str) -> bool:
    """The row read with the session is what the backend's get_user would return only
    for ModelBackend's own get_user (any other backend is asked as Django asks it)."""
    backend = auth.load_backend(backend_path)
    return isinstance(backend, ModelBackend) and type(backend).get_user is ModelBackend.get_user


def _session_verified(request: HttpRequest, user: User) -> bool:
    """Django's check of the session's hash (``django.contrib.auth.get_user``): a
    password change or a new session generation ends the session; a hash made with a
    fallback secret key is renewed."""
    session_hash = request.session.get(HASH_SESSION_KEY)
    session_auth_hash = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, session_auth_hash):
        return True
    if session_hash and any(
        constant_time_compare(session_hash, fallback_auth_hash)
        for fallback_auth_hash in user.get_session_auth_fallback_hash()
    ):
        request.session.cycle_key()
        request.session[HASH_SESSION_KEY] = session_auth_hash
        return True
    request.session.flush()
    return False


class SessionUserMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with ``request.user`` from session_user."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: session_user(request))  # type: ignore[assignment]
