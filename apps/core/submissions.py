"""Create forms safe under a double submit: of identical submissions — the same user,
address and typed values (the CSRF token aside, so two tabs count too) — within
SUBMISSION_WINDOW seconds, only the first runs. A copy sent while it runs waits for it;
then, or later within the window, the copy is answered with the first one's outcome:
its redirect (to what it created), or — when the first answered with a page (errors, or
a temporary password shown once) — a page saying the form was already sent, with a
button to send it again anyway (a second person who really has the same details): that
adds a fresh ``AGAIN_FIELD`` to the values, so it is a submission of its own.

An act drawn in place (``acted_once``: a dose on the chart, a diagnosis, a payment on
the invoice) answers htmx with the section redrawn rather than a redirect; its htmx
copy reloads the page, which shows what the first one did, instead of the notice. An
act whose repeat the record's state answers itself (``submitted_once_at_a_time``: a
check-in, a walk-in) guards only against copies sent while the first runs.

The fingerprint is claimed by inserting it under a unique key in the platform database,
so two processes (gunicorn workers) racing on the same submission cannot both win.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar

from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django_htmx.http import (
    HttpResponseClientRedirect,
    HttpResponseClientRefresh,
    reswap,
    retarget,
)

from apps.core.models import Submission

#: how long an identical submission counts as a copy of the first
SUBMISSION_WINDOW = timedelta(seconds=60)
#: how long a copy waits for the first submission to be answered
WAIT_FOR_FIRST = 15.0
#: set by "Send it again anyway"; a fresh value makes a new fingerprint
AGAIN_FIELD = "_send_again"
_IGNORED_FIELDS = frozenset({"csrfmiddlewaretoken"})

View = Callable[..., HttpResponse]
T = TypeVar("T")


def submission_key(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    user_id = getattr(request.user, "pk", None) if hasattr(request, "user") else None
    # an htmx request and a plain one are answered each in its own kind (a fragment, a
    # page) and are never one double click, so the kind is part of the fingerprint
    kind = "htmx" if request.headers.get("HX-Request") == "true" else "page"
    for part in (str(user_id), request.get_host(), request.get_full_path(), kind):
        digest.update(part.encode() + b"\0")
    for name in sorted(request.POST):
        if name not in _IGNORED_FIELDS:
            for value in request.POST.getlist(name):
                digest.update(f"{name}={value}".encode() + b"\0")
    return digest.hexdigest()


def submitted_once(view: View) -> View:
    """Decorate a create view (see the module docstring); GETs pass straight through."""
    return _guarded(view, drawn_in_place=False)


def acted_once(view: View) -> View:
    """Decorate an act whose htmx answer redraws a section of the page in place: the
    same guard, but an htmx copy reloads the page (the first one's answer is a section
    of a page anyone may reload, never something shown once)."""
    return _guarded(view, drawn_in_place=True)


def submitted_once_at_a_time(view: View) -> View:
    """Decorate an act whose repeat the record's state already answers (a second
    check-in is refused, a second walk-in to the same doctor's queue is warned about):
    a copy sent while the first runs waits and gets its outcome, as with
    ``submitted_once``; a copy sent after it runs, and the state says why it repeats."""
    return _guarded(view, drawn_in_place=False, repeat_runs=True)


def _guarded(view: View, *, drawn_in_place: bool, repeat_runs: bool = False) -> View:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        key = submission_key(request)
        now = timezone.now()
        # tidying only: the next submission clears what this one could not
        with contextlib.suppress(OperationalError):
            Submission.objects.filter(created_at__lt=now - SUBMISSION_WINDOW).delete()
        claimed = _retried(lambda: _claim(key, now))
        if not claimed and repeat_runs and _answered(key):
            _retried(lambda: Submission.objects.filter(key=key, finished=True).delete())
            claimed = _retried(lambda: _claim(key, now))
        if not claimed:
            return _answer_copy(request, key, drawn_in_place=drawn_in_place)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            # nothing was done: may be sent again
            _retried(lambda: Submission.objects.filter(key=key).delete())
            raise
        location = ""
        if response.status_code in (301, 302, 303):
            location = response["Location"]
        elif "HX-Redirect" in response:
            location = response["HX-Redirect"]
        _record_answer(key, location)
        return response

    return guarded


def _claim(key: str, now: datetime) -> bool:
    """Whether this submission is the first of its fingerprint (its row inserted)."""
    try:
        with transaction.atomic(using="default"):
            Submission.objects.create(key=key, created_at=now)
    except IntegrityError:
        return False
    return True


def _answered(key: str) -> bool:
    """Whether the first submission of ``key`` has been answered (not still running)."""
    try:
        return Submission.objects.filter(key=key, finished=True).exists()
    except OperationalError:  # being written right now: still running
        return False


def _record_answer(key: str, location: str) -> None:
    """Mark the submission answered, for a copy polling for that answer."""
    _retried(lambda: Submission.objects.filter(key=key).update(finished=True, location=location))


def _retried(write: Callable[[], T]) -> T:
    """``write`` to the submissions table, tried again for a moment when the table is
    locked: on a SQLite platform database in shared-cache mode (the test database)
    another request's lock on it makes a write fail at once instead of waiting out the
    busy timeout, and a request whose work is done (or not started) must not fail on it."""
    for attempt in range(40):
        try:
            return write()
        except OperationalError:
            if attempt == 39:
                raise
            time.sleep(0.025)
    raise AssertionError("unreachable")


def _answer_copy(request: HttpRequest, key: str, *, drawn_in_place: bool) -> HttpResponse:
    deadline = time.monotonic() + WAIT_FOR_FIRST
    first = None
    while time.monotonic() < deadline:
        try:
            first = Submission.objects.filter(key=key).first()
        except OperationalError:  # the first one is writing its answer right now
            first = None
        if first is not None and first.finished:
            break
        time.sleep(0.05)
    htmx = request.headers.get("HX-Request") == "true"
    if first is not None and first.location:
        return HttpResponseClientRedirect(first.location) if htmx else redirect(first.location)
    if htmx and drawn_in_place and first is not None and first.finished:
        return HttpResponseClientRefresh()
    context = {
        "form_url": request.path,
        "resend": [
            (name, value)
            for name in request.POST
            # a password typed into the form is never written into a page
            if name not in _IGNORED_FIELDS and name != AGAIN_FIELD and "password" not in name
            for value in request.POST.getlist(name)
        ],
        "again_field": AGAIN_FIELD,
        "again": uuid.uuid4().hex,
    }
    if htmx:
        # htmx swaps no 4xx answer: the notice replaces the page's content instead
        response = render(request, "core/already_sent.html#notice", context)
        return retarget(reswap(response, "innerHTML"), "main")
    return render(request, "core/already_sent.html", context, status=409)
