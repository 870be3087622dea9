"""The view kit: what every staff view does around its one service call, written once.

A view reads decorators → form → service → response::

    form = MedicineForm(data=request.POST or None)
    if saved := form_action(form, lambda data: medicine_create(details=form.details())):
        messages.success(request, ...)
        return redirect_to(request, reverse("pharmacy:medicine", args=[saved.result.pk]))
    return render(request, ..., {"form": form})

- ``found``: the object a URL names, or 404 (an id of another hospital names nothing);
- ``search_query`` / ``search_text``: what a list's search box asks for;
- ``paginate`` / ``paginate_uncounted``: a page of a list, counted or not;
- ``form_action``: a valid form's service call; a refusal goes next to its field;
- ``action``: a button's service call (no form); its outcome said in ``messages``;
- ``attempt``: a service call whose refusal the view answers its own way;
- ``section_or_redirect``: after an action, htmx redraws the section, a plain POST
  redirects (post/redirect/get).

Page/fragment and redirect helpers stay in ``apps/core/htmx.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar, overload

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect

from apps.core.exceptions import HMSError, NotFound
from apps.core.htmx import add_errors
from apps.core.pagination import OpenPage, open_page

T = TypeVar("T")
R = TypeVar("R")
E = TypeVar("E", bound=HMSError, covariant=True)

#: rows on a page of a list, unless the view says otherwise
PAGE_SIZE = 25


# -- object or 404 ----------------------------------------------------------------------


def found(selector: Callable[..., T], **lookup: Any) -> T:
    """What ``selector(**lookup)`` returns, or 404 when it raises NotFound: the object a
    URL names in the selected hospital (an id of another hospital names nothing here)."""
    try:
        return selector(**lookup)
    except NotFound as exc:
        raise Http404(exc.message) from None


# -- lists ------------------------------------------------------------------------------

#: the longest search text a list looks for (longer is no one's search, only a slow query)
SEARCH_MAX_LENGTH = 100


def search_query(request: HttpRequest) -> str:
    """What the list's search box (``?q=``) asks for, trimmed (see ``search_text``)."""
    return search_text(request.GET.get("q", ""))


def search_text(typed: str) -> str:
    """Typed search text as a query may take it: NUL characters dropped (no one types
    them, and a database refuses them: SQLite's full-text match answered "unterminated
    string", PostgreSQL refuses any), trimmed, cut to ``SEARCH_MAX_LENGTH``."""
    return typed.replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]


def paginate(
    request: HttpRequest, rows: QuerySet[Any] | Sequence[Any], *, size: int = PAGE_SIZE
) -> Page[Any]:
    """The page ``?page=`` asks for (the last one when past the end, the first when not
    a number), with a page count: for lists short enough to count."""
    return Paginator(rows, size).get_page(request.GET.get("page"))


def paginate_uncounted(
    request: HttpRequest, rows: QuerySet[Any], *, size: int = PAGE_SIZE
) -> OpenPage:
    """The page ``?page=`` asks for, without counting the matches: for searches over
    lists that grow without bound (see ``apps/core/pagination.py``)."""
    return open_page(rows, request.GET.get("page"), size=size)


# -- actions ----------------------------------------------------------------------------


def posted(request: HttpRequest) -> QueryDict | None:
    """A form's data: the POST on a POST (even an empty one, so its required fields say
    so), nothing on a GET (the form is shown unbound)."""
    return request.POST if request.method == "POST" else None


@dataclass(frozen=True)
class Done(Generic[R]):
    """A service call that went through, with what the service returned."""

    result: R


@dataclass(frozen=True)
class Refused(Generic[E]):
    """A service call the service refused with a business error."""

    error: E

    @property
    def message(self) -> str:
        return self.error.message

    def __bool__(self) -> Literal[False]:
        return False


def attempt(act: Callable[[], R]) -> Done[R] | Refused[HMSError]:
    """Call a service; its business error comes back as ``Refused`` instead of raising,
    for a view that answers a refusal its own way."""
    try:
        return Done(act())
    except HMSError as exc:
        return Refused(exc)


@overload
def form_action(
    form: BaseForm,
    act: Callable[[dict[str, Any]], R],
    *,
    also_valid: Iterable[BaseForm | BaseFormSet[Any]] = ...,
    refused: Callable[[HMSError], None] | None = ...,
) -> Done[R] | None: ...


@overload
def form_action(
    form: BaseForm,
    act: Callable[[dict[str, Any]], R],
    *,
    also_valid: Iterable[BaseForm | BaseFormSet[Any]] = ...,
    refused: Callable[[HMSError], None] | None = ...,
    handles: type[E] | tuple[type[E], ...],
) -> Done[R] | Refused[E] | None: ...


def form_action(
    form: BaseForm,
    act: Callable[[dict[str, Any]], R],
    *,
    also_valid: Iterable[BaseForm | BaseFormSet[Any]] = (),
    refused: Callable[[HMSError], None] | None = None,
    handles: type[HMSError] | tuple[type[HMSError], ...] = (),
) -> Done[R] | Refused[HMSError] | None:
    """Run ``act(form.cleaned_data)`` (the service call) when ``form`` and the forms in
    ``also_valid`` (a document's lines) are valid.

    ``Done`` when the service went through. ``None`` when the form stays on screen: it
    was not posted or not valid, or the service refused, and the refusal was put next to
    its field, or above the form when it names none (``refused``, when given, places it
    instead). ``Refused`` only for an error of a kind in ``handles``: one the view shows
    its own way (a warning to confirm, a state that moved on and took the form away).
    """
    # every form is validated, so each shows its own errors
    if not all([form.is_valid(), *(other.is_valid() for other in also_valid)]):
        return None
    outcome = attempt(lambda: act(form.cleaned_data))
    if isinstance(outcome, Done):
        return outcome
    if isinstance(outcome.error, handles):
        return outcome
    if refused is not None:
        refused(outcome.error)
    else:
        add_errors(form, outcome.error)
    return None


def action(request: HttpRequest, act: Callable[[], R], *, success: str = "") -> Done[R] | None:
    """A button's service call (no form to put a refusal next to): the refusal goes to
    ``messages`` as an error and ``None`` comes back; else ``success``, when given, goes
    to ``messages``."""
    outcome = attempt(act)
    if isinstance(outcome, Refused):
        messages.error(request, outcome.message)
        return None
    if success:
        messages.success(request, success)
    return outcome


# -- responses --------------------------------------------------------------------------


def section_or_redirect(
    request: HttpRequest, section: Callable[[], HttpResponse], url: str, *, success: str = ""
) -> HttpResponse:
    """After an action: for htmx the section drawn again in place (``section`` is called
    only then); for a plain POST a redirect to ``url``, so a reload never posts again.
    ``success``, when given, goes to ``messages`` for the page redirected to (a section
    drawn in place says it itself)."""
    if getattr(request, "htmx", False):
        return section()
    if success:
        messages.success(request, success)
    return redirect(url)
