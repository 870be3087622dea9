"""The flow board's rows and the slot grid's buttons, written in Python.

A day holds hundreds of appointments and the board is fetched every 10 seconds by every
open front-desk tab; the template engine spends ~0.3 ms per row on its ~35 lookups, so
the rows are built here with ``format_html`` (escaping as the template would) and the
page stays a template. The slot grid likewise: its time formatting per slot was most of
the booking page's time.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from apps.appointments.models import AppointmentKind, AppointmentStatus
from apps.appointments.selectors import BoardRow, SlotGrid, SlotState

register = template.Library()

_ROW = (
    '<tr id="appointment-{id}">'
    '<td data-label="{l_time}">{time}{follow_up}</td>'
    '<td data-label="{l_queue}">{queue}</td>'
    '<td data-label="{l_patient}"><a href="{url}">{patient}</a> '
    '<span class="muted">{number}</span></td>'
    '<td data-label="{l_doctor}">{doctor}</td>'
    '<td data-label="{l_status}"><span class="badge status-{status}">{status_label}</span></td>'
    '<td data-label="{l_waiting}">{waiting}</td>'
    '<td class="row-actions">{actions}</td>'
    "</tr>"
)
_BUTTON = '<button type="submit" class="link" form="board-actions" formaction="{}">{}</button> '


@register.simple_tag
def board_rows(
    rows: list[BoardRow], *, base: str, can_book: bool, is_today: bool, invoice_url: str = ""
) -> SafeString:
    """The board's ``<tr>``s; ``base`` is the board's URL (an appointment's is below it);
    ``invoice_url``, when the viewer may invoice, is the patient's invoice page with
    ``{patient}`` for the patient's id: completed visits link to it."""
    labels = {
        "l_time": _("Time"),
        "l_queue": _("Queue"),
        "l_patient": _("Patient"),
        "l_doctor": _("Doctor"),
        "l_status": _("Status"),
        "l_waiting": _("Waiting"),
    }
    walk_in, follow_up = _("Walk-in"), format_html(' <span class="muted">{}</span>', _("follow-up"))
    words = {
        "check_in": _("Check in"),
        "no_show": _("No-show"),
        "cancel": _("Cancel"),
        "reschedule": _("Reschedule"),
        "invoice": _("Invoice"),
    }

    def actions(row: BoardRow, url: str) -> str:
        if invoice_url and row.status == AppointmentStatus.COMPLETED:
            link = invoice_url.replace("{patient}", str(row.patient_id))
            return format_html('<a href="{}">{}</a>', link, words["invoice"])
        if not can_book:
            return ""
        if row.status == AppointmentStatus.SCHEDULED:
            parts = []
            if is_today:
                parts.append(format_html(_BUTTON, f"{url}check-in/", words["check_in"]))
            if row.begun:
                parts.append(format_html(_BUTTON, f"{url}no-show/", words["no_show"]))
            parts.append(format_html('<a href="{}#cancel">{}</a>', url, words["cancel"]))
            return "".join(parts)
        if row.time and row.status in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW):
            return format_html('<a href="{}reschedule/">{}</a>', url, words["reschedule"])
        return ""

    def cells(row: BoardRow) -> dict[str, object]:
        url = f"{base}{row.id}/"
        return {
            **labels,
            "id": row.id,
            "time": row.time or walk_in,
            "follow_up": follow_up if row.kind == AppointmentKind.FOLLOW_UP else "",
            "queue": row.queue_number or "—",
            "url": url,
            "patient": row.patient_name,
            "number": row.patient_number,
            "doctor": row.doctor_name,
            "status": row.status,
            "status_label": row.status_label,
            "waiting": row.waiting_text or "—",
            "actions": SafeString(actions(row, url)),
        }

    return SafeString("\n".join(format_html(_ROW, **cells(row)) for row in rows))


_SLOT = (
    '<button type="submit" name="time" value="{time}" class="slot {state}"{disabled}>'
    "{time} <small>{word}</small></button>"
)


@register.simple_tag
def slot_buttons(grid: SlotGrid, *, choosable: bool) -> SafeString:
    """One submit button per slot sending its time; only free slots can be pressed (and
    only when ``choosable``: a patient is chosen)."""
    words = {
        SlotState.FREE: _("free"),
        SlotState.TAKEN: _("taken"),
        SlotState.BLOCKED: _("blocked"),
        SlotState.PAST: _("past"),
    }
    return SafeString(
        "\n".join(
            format_html(
                _SLOT,
                time=slot.label,
                state=slot.state.value,
                disabled=SafeString("")
                if slot.choosable and choosable
                else SafeString(" disabled"),
                word=words[slot.state],
            )
            for slot in grid.slots
        )
    )
