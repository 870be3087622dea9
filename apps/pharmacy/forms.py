"""Forms only parse what was typed; the rules live in the services."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.collation import az_order
from apps.core.numbers import DecimalField
from apps.pharmacy.models import AdjustmentReason, DosageForm, Medicine, PaymentMethod, Supplier
from apps.pharmacy.selectors import medicines_for_sale
from apps.pharmacy.services.catalogue import MedicineDetails, SupplierDetails
from apps.pharmacy.services.errors import InvalidDocument
from apps.pharmacy.services.sales import SaleDetails, SaleLineInput
from apps.pharmacy.services.stock import ReceiptLine

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: the most units one typed number may name (a receipt's line, a sale's, a reorder
#: level): above any real count, far below what the database's integers hold
MOST_UNITS = 1_000_000


class MedicineForm(forms.Form):
    generic_name = forms.CharField(label=_("Generic name"), max_length=200)
    brand_name = forms.CharField(label=_("Brand"), max_length=200, required=False)
    form = forms.ChoiceField(label=_("Form"), choices=[("", "—"), *DosageForm.choices])
    strength = forms.CharField(
        label=_("Strength"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 500 mg")}),
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": _("tablet, bottle, vial …")}),
    )
    reorder_level = forms.IntegerField(
        label=_("Reorder level"), min_value=0, max_value=MOST_UNITS, initial=0
    )
    sale_price = DecimalField(
        label=_("Sale price"), min_value=Decimal("0"), max_digits=12, decimal_places=2
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    active_ingredient = forms.CharField(
        label=_("Active ingredient"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. amoxicillin + clavulanic acid")}),
    )

    @classmethod
    def for_medicine(cls, medicine: Medicine, data: Any = None) -> MedicineForm:
        initial = {name: getattr(medicine, name) for name in cls.base_fields}
        return cls(data=data, initial=initial)

    def details(self) -> MedicineDetails:
        return MedicineDetails(**self.cleaned_data)


class SupplierForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    @classmethod
    def for_supplier(cls, supplier: Supplier, data: Any = None) -> SupplierForm:
        initial = {name: getattr(supplier, name) for name in cls.base_fields}
        return cls(data=data, initial=initial)

    def details(self) -> SupplierDetails:
        return SupplierDetails(**self.cleaned_data)


class ReceiptForm(forms.Form):
    supplier = forms.ModelChoiceField(
        label=_("Supplier"), queryset=Supplier.objects.none(), empty_label="—"
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    supplier_invoice = forms.CharField(
        label=_("Supplier's invoice number"), max_length=60, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        suppliers = Supplier.objects.filter(is_active=True).order_by(az_order("name"))
        self.fields["supplier"].queryset = suppliers  # type: ignore[attr-defined]


class ReceiptLineForm(forms.Form):
    medicine = forms.ModelChoiceField(
        label=_("Medicine"), queryset=Medicine.objects.none(), empty_label="—"
    )
    batch_number = forms.CharField(label=_("Batch number"), max_length=60)
    expiry_date = forms.DateField(label=_("Expiry date"), widget=DATE)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MOST_UNITS)
    unit_cost = DecimalField(
        label=_("Unit cost"), min_value=Decimal("0"), max_digits=12, decimal_places=2
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        medicines = Medicine.objects.filter(is_active=True)
        self.fields["medicine"].queryset = medicines.order_by(  # type: ignore[attr-defined]
            az_order("generic_name"), "strength"
        )

    def line(self) -> ReceiptLine:
        data = self.cleaned_data
        return ReceiptLine(
            medicine_id=data["medicine"].pk,
            batch_number=data["batch_number"],
            expiry_date=data["expiry_date"],
            quantity=data["quantity"],
            unit_cost=data["unit_cost"],
        )


class SaleForm(forms.Form):
    patient_number = forms.CharField(
        label=_("Registered patient's number"),
        max_length=40,
        required=False,
        help_text=_("Leave empty for an over-the-counter customer."),
    )
    customer_name = forms.CharField(label=_("Customer name"), max_length=200, required=False)
    customer_phone = forms.CharField(
        label=_("Customer phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    discount = DecimalField(
        label=_("Discount (amount)"),
        min_value=Decimal("0"),
        initial=Decimal("0"),
        max_digits=12,
        decimal_places=2,
    )
    tax_rate = DecimalField(
        label=_("Tax rate (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        initial=Decimal("0"),
        max_digits=5,
        decimal_places=2,
    )
    payment_method = forms.ChoiceField(label=_("Payment method"), choices=PaymentMethod.choices)
    payment_reference = forms.CharField(
        label=_("Payment reference"),
        max_length=100,
        required=False,
        help_text=_("Card slip or transfer number."),
    )

    def details(self) -> SaleDetails:
        return SaleDetails(**self.cleaned_data)


class MedicineInStockField(forms.ModelChoiceField):
    """A medicine chosen for sale, shown with the units that may be sold today."""

    def label_from_instance(self, obj: Medicine) -> str:
        return _("%(medicine)s · %(count)d in stock") % {
            "medicine": obj,
            "count": getattr(obj, "sellable", 0),
        }


class SaleLineForm(forms.Form):
    medicine = MedicineInStockField(
        label=_("Medicine"), queryset=Medicine.objects.none(), empty_label="—"
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MOST_UNITS)
    prescription_item_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["medicine"].queryset = medicines_for_sale(today=timezone.localdate())  # type: ignore[attr-defined]

    def line(self) -> SaleLineInput:
        data = self.cleaned_data
        return SaleLineInput(
            medicine_id=data["medicine"].pk,
            quantity=data["quantity"],
            prescription_item_id=data.get("prescription_item_id"),
        )


if TYPE_CHECKING:
    _FormSet = forms.BaseFormSet[forms.Form]
else:  # the class is generic only to the type checker
    _FormSet = forms.BaseFormSet


class LinesFormSet(_FormSet):
    """Document lines: rows left empty are ignored, and at least one row is needed."""

    def clean(self) -> None:
        super().clean()
        if not any(form.has_changed() for form in self.forms if form not in self.deleted_forms):
            raise forms.ValidationError(_("Add at least one line."))

    def filled(self) -> list[forms.Form]:
        return [form for form in self.forms if form.has_changed()]

    def add_service_errors(self, error: InvalidDocument) -> None:
        """Mark the service's line errors (indexes of the filled rows) on their rows."""
        filled = self.filled()
        for index, problems in error.line_errors.items():
            form = filled[index]
            for field, message in problems.items():
                form.add_error(field if field in form.fields else None, message)


ReceiptLineFormSet = cast(
    "type[LinesFormSet]",
    forms.formset_factory(
        ReceiptLineForm, formset=LinesFormSet, extra=3, max_num=50, validate_max=True
    ),
)
SaleLineFormSet = cast(
    "type[LinesFormSet]",
    forms.formset_factory(
        SaleLineForm, formset=LinesFormSet, extra=3, max_num=50, validate_max=True
    ),
)


class PrescriptionFindForm(forms.Form):
    number = forms.CharField(
        label=_("Prescription number"),
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. CGH001-RX-2026-000001")}),
    )


class DispenseLineForm(forms.Form):
    """One prescription item's row: the catalogue medicine that gives it and the units
    given now (0 or empty: not dispensed this time). Which item a row dispenses is the
    page's order of items, never a value sent by the browser."""

    medicine = MedicineInStockField(
        label=_("Medicine"), queryset=Medicine.objects.none(), empty_label="—", required=False
    )
    quantity = forms.IntegerField(
        label=_("Units now"), min_value=0, max_value=MOST_UNITS, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["medicine"].queryset = medicines_for_sale(today=timezone.localdate())  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("quantity") or 0) > 0 and data.get("medicine") is None:
            self.add_error("medicine", _("Choose the catalogue medicine that gives this item."))
        return data

    @property
    def dispenses(self) -> bool:
        return (self.cleaned_data.get("quantity") or 0) > 0

    def line(self, *, prescription_item_id: int) -> SaleLineInput:
        return SaleLineInput(
            medicine_id=self.cleaned_data["medicine"].pk,
            quantity=self.cleaned_data["quantity"],
            prescription_item_id=prescription_item_id,
        )


class DispenseLinesFormSet(LinesFormSet):
    """One row per prescription item, in the prescription's order; rows with no units
    are left out of the sale."""

    def clean(self) -> None:
        _FormSet.clean(self)
        if any(form.errors for form in self.forms):
            return
        if not self.filled():
            raise forms.ValidationError(_("Enter the units of at least one item."))

    def filled(self) -> list[forms.Form]:
        return [form for form in self.forms if form.is_valid() and form.dispenses]  # type: ignore[attr-defined]


DispenseLineFormSet = cast(
    "type[DispenseLinesFormSet]",
    forms.formset_factory(
        DispenseLineForm, formset=DispenseLinesFormSet, extra=0, max_num=50, validate_max=True
    ),
)


class ReturnForm(forms.Form):
    """One "units back" field per returnable line of the sale, and the reason."""

    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[str(line.pk)] = forms.IntegerField(
                label=str(line.medicine),
                min_value=0,
                max_value=line.returnable,
                required=False,
                initial=0,
            )

    def line_fields(self) -> list[tuple[Any, forms.BoundField]]:
        return [(line, self[str(line.pk)]) for line in self.lines]

    def quantities(self) -> dict[Any, int | None]:
        return {line.pk: self.cleaned_data.get(str(line.pk)) for line in self.lines}


class AdjustmentForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Change in units"),
        min_value=-MOST_UNITS,
        max_value=MOST_UNITS,
        help_text=_("Negative takes units out (e.g. -3), positive adds them."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *AdjustmentReason.choices])
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
