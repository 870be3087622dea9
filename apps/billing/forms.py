"""Forms only parse what was typed; the rules (ranges, states, balances) live in
services.py and come back next to the field."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.billing.models import DiscountKind, PaymentMethod, Service
from apps.billing.selectors import service_list
from apps.billing.services import item_key
from apps.core.billable import BillableItem
from apps.core.names import display_name
from apps.core.numbers import DecimalField, decimal_display

#: a collections report covers at most this many days
MAX_REPORT_DAYS = 366


def _money(label: Any, *, required: bool = True) -> DecimalField:
    return DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        required=required,
    )


class BillingSettingsForm(forms.Form):
    discount_limit_percent = forms.DecimalField(
        label=_("Discount limit (%)"),
        help_text=_(
            "The largest discount the front desk may give alone, as a percent of the "
            "invoice; above it an accountant or an administrator gives it."
        ),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(
            attrs={"step": "0.01", "min": "0", "max": "100", "inputmode": "decimal"}
        ),
    )


class ServiceForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_az = forms.CharField(label=_("Name in Azerbaijani"), max_length=200, required=False)
    price = _money(_("Price"))
    is_active = forms.BooleanField(label=_("Offered"), required=False, initial=True)

    @classmethod
    def for_service(cls, service: Service, data: Any = None) -> ServiceForm:
        initial = {
            "code": service.code,
            "name": service.name,
            "name_az": service.name_az,
            "price": service.price,
            "is_active": service.is_active,
        }
        return cls(data=data, initial=initial)


class ServiceChoiceField(forms.ModelChoiceField):
    """Services named as the cashier looks for them: name, code and price."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{display_name(obj)} ({obj.code}) — {decimal_display(obj.price, 2)}"


def _active_services() -> ServiceChoiceField:
    return ServiceChoiceField(
        label=_("Service"),
        queryset=service_list(active_only=True),
        required=False,
        empty_label=_("— none —"),
    )


def _quantity() -> DecimalField:
    return DecimalField(
        label=_("Quantity"), max_digits=10, decimal_places=2, initial=Decimal("1"), required=False
    )


class InvoicePickForm(forms.Form):
    """The patient's unbilled items to put on a new draft, and optionally a service."""

    items = forms.MultipleChoiceField(
        label=_("Unbilled items"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        # an item invoiced meanwhile (a second invoice for it) is a sentence, not Django's
        # "Select a valid choice. appointments.consultation|… is not one of the choices"
        error_messages={
            "invalid_choice": _("One of the chosen items is no longer chargeable; reload the list.")
        },
    )
    service = _active_services()
    quantity = _quantity()

    def __init__(self, *args: Any, items: list[BillableItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items_field: forms.MultipleChoiceField = self.fields["items"]  # type: ignore[assignment]
        items_field.choices = [(item_key(item), item.description) for item in items]
        if not self.is_bound:
            # what has happened (up to today) is ticked; a later day's work, such as a
            # follow-up booked for next week, is listed but charged only when chosen
            today = timezone.localdate()
            self.initial["items"] = [
                item_key(item) for item in items if timezone.localdate(item.occurred_at) <= today
            ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("service") is not None and cleaned.get("quantity") is None:
            self.add_error("quantity", _("How many?"))
        return cleaned


class AddServiceForm(forms.Form):
    service = _active_services()
    quantity = _quantity()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("service") is None and "service" not in self.errors:
            self.add_error("service", _("Choose a service."))
        if cleaned.get("quantity") is None and "quantity" not in self.errors:
            self.add_error("quantity", _("How many?"))
        return cleaned


class DiscountForm(forms.Form):
    discount_kind = forms.ChoiceField(label=_("Discount"), choices=DiscountKind.choices)
    discount_value = _money(_("Percent or amount"), required=False)
    discount_reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class PaymentForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    amount = _money(_("Amount"))
    note = forms.CharField(
        label=_("Reference or note"),
        max_length=200,
        required=False,
        help_text=_("A card slip, a transfer's reference, an insurer's claim number."),
    )


class WriteOffForm(forms.Form):
    amount = _money(_("Amount to write off"))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class CollectionsForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("end", _("The end comes on or after the start."))
            elif end - start > timedelta(days=MAX_REPORT_DAYS - 1):
                self.add_error(
                    "end",
                    _("A report covers at most %(days)s days.") % {"days": MAX_REPORT_DAYS},
                )
        return cleaned

    @classmethod
    def from_query(cls, query: Any) -> CollectionsForm:
        """Today by default; the dates asked for otherwise."""
        today = timezone.localdate().isoformat()
        data = {"start": query.get("start") or today, "end": query.get("end") or today}
        return cls(data=data)
