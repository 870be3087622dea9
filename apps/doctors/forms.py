"""Forms of the doctor pages. They parse input into the services' types; the rules
(location chain, schedule, login) live in apps.doctors.services.

The city and clinic selects show, for display, only the choices of the region / city
already chosen (HTMX refreshes them as the user chooses); without a choice yet they list
everything grouped, so the form also works without JavaScript. Validation accepts any
active city or clinic and leaves the chain to the service, whose message says what is
wrong instead of "Select a valid choice".
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.collation import az_order
from apps.core.exceptions import HMSError
from apps.core.numbers import DecimalField
from apps.core.viewkit import search_text
from apps.doctors.models import Doctor, Weekday
from apps.doctors.selectors import accounts_linkable_to_doctor
from apps.doctors.services import DoctorDetails, LoginAction, WorkingHours
from apps.regions.models import City, Clinic, Region, Specialization
from apps.regions.selectors import cities_active, cities_of_region, clinics_active, clinics_of_city
from apps.tenancy.models import Hospital

Choices = list[tuple[Any, Any]]


def city_choices(*, region_id: object, keep: City | None = None) -> Choices:
    """Options of the city select: the region's cities, or every city by region."""
    if region_id:
        cities = list(cities_of_region(region_id=region_id))
        if keep is not None and keep not in cities and str(keep.region_id) == str(region_id):
            cities.append(keep)
        return [("", _("Choose a city")), *((city.pk, city.name) for city in cities)]
    groups: dict[str, list[tuple[int, str]]] = {}
    for city in cities_active().order_by(az_order("region__name"), az_order("name")):
        groups.setdefault(city.region.name, []).append((city.pk, city.name))
    return [("", _("Choose a region first, or a city")), *groups.items()]


def clinic_choices(*, city_id: object, keep: Clinic | None = None) -> Choices:
    """Options of the clinic select: the city's clinics, or every clinic by city."""
    if city_id:
        clinics = list(clinics_of_city(city_id=city_id))
        if keep is not None and keep not in clinics and str(keep.city_id) == str(city_id):
            clinics.append(keep)
        return [("", _("Choose a clinic")), *((clinic.pk, clinic.name) for clinic in clinics)]
    groups: dict[str, list[tuple[int, str]]] = {}
    for clinic in clinics_active().order_by(az_order("city__name"), az_order("name")):
        groups.setdefault(clinic.city.name, []).append((clinic.pk, clinic.name))
    return [("", _("Choose a city first, or a clinic")), *groups.items()]


def option_groups(choices: Choices) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
    """``choices`` as the Select widget groups them, for rendering bare <option>s."""
    return forms.Select(choices=choices).optgroups("", [])


def _cascade(url_name: str, target: str) -> dict[str, str]:
    return {
        "hx-get": reverse(url_name),
        "hx-target": target,
        "hx-swap": "innerHTML",
        "hx-trigger": "change",
        "hx-include": "this",
    }


def _active_or_current(model: type[Model], current_id: int | None) -> QuerySet[Any]:
    condition = Q(is_active=True)
    if current_id is not None:
        condition |= Q(pk=current_id)
    return model._default_manager.filter(condition).order_by(az_order("name"))


class DoctorForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    specialization = forms.ModelChoiceField(
        label=_("Specialization"),
        queryset=Specialization.objects.none(),
        empty_label=_("Choose a specialization"),
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), empty_label=_("Choose a region")
    )
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.none())
    clinic = forms.ModelChoiceField(label=_("Clinic"), queryset=Clinic.objects.none())
    consulting_fee = DecimalField(
        label=_("Consulting fee"), max_digits=10, decimal_places=2, min_value=0
    )
    is_active = forms.BooleanField(label=_("Active (can be booked)"), required=False, initial=True)
    phone = forms.CharField(
        label=_("Phone"), max_length=32, required=False, widget=forms.TextInput({"type": "tel"})
    )
    email = forms.EmailField(label=_("Email"), required=False)
    login = forms.ChoiceField(label=_("Login"), widget=forms.RadioSelect, required=False)
    link_user = forms.UUIDField(label=_("Account to link"), required=False, widget=forms.Select)

    def __init__(
        self, *args: Any, hospital: Hospital, doctor: Doctor | None = None, **kwargs: Any
    ) -> None:
        if doctor is not None:
            kwargs.setdefault("initial", doctor_initial(doctor))
        super().__init__(*args, **kwargs)
        self.doctor = doctor
        current = doctor or Doctor()
        for name, model in (
            ("specialization", Specialization),
            ("region", Region),
            ("city", City),
            ("clinic", Clinic),
        ):
            field: forms.ModelChoiceField = self.fields[name]  # type: ignore[assignment]
            field.queryset = _active_or_current(model, getattr(current, f"{name}_id"))
        self.fields["city"].widget.choices = city_choices(
            region_id=self._value("region"), keep=doctor.city if doctor else None
        )
        self.fields["clinic"].widget.choices = clinic_choices(
            city_id=self._value("city"), keep=doctor.clinic if doctor else None
        )
        self._set_login_choices(hospital, doctor)
        # the cascade: a region refreshes the city options, a city the clinic options
        self.fields["region"].widget.attrs.update(_cascade("doctors:city_options", "#id_city"))
        self.fields["city"].widget.attrs.update(_cascade("doctors:clinic_options", "#id_clinic"))

    def _value(self, name: str) -> Any:
        return self[name].value()

    def _set_login_choices(self, hospital: Hospital, doctor: Doctor | None) -> None:
        login: forms.ChoiceField = self.fields["login"]  # type: ignore[assignment]
        if doctor is not None and doctor.user_id is not None:
            login.choices = [
                (LoginAction.KEEP, _("Keep the linked login")),
                (LoginAction.UNLINK, _("Remove the link (the account itself stays)")),
            ]
        else:
            login.choices = [
                (LoginAction.KEEP, _("No login for now")),
                (LoginAction.CREATE, _("Create a login for this doctor (role Doctor)")),
                (LoginAction.LINK, _("Link an existing account")),
            ]
        login.initial = LoginAction.KEEP
        accounts = accounts_linkable_to_doctor(hospital=hospital, doctor=doctor)
        self.fields["link_user"].widget.choices = [
            ("", _("Choose an account")),
            *(
                (str(user.pk), f"{user.get_full_name() or user.username} ({user.username})")
                for user in accounts
            ),
        ]

    def details(self) -> DoctorDetails:
        data = self.cleaned_data
        return DoctorDetails(
            full_name=data["full_name"],
            specialization=data["specialization"],
            region=data["region"],
            city=data["city"],
            clinic=data["clinic"],
            consulting_fee=data["consulting_fee"],
            is_active=data["is_active"],
            phone=data["phone"],
            email=data["email"],
        )

    def login_action(self) -> LoginAction:
        return LoginAction(self.cleaned_data["login"] or LoginAction.KEEP)

    def link_user_id(self) -> uuid.UUID | None:
        user_id: uuid.UUID | None = self.cleaned_data["link_user"]
        return user_id


def doctor_initial(doctor: Doctor) -> dict[str, Any]:
    return {
        "full_name": doctor.full_name,
        "specialization": doctor.specialization_id,
        "region": doctor.region_id,
        "city": doctor.city_id,
        "clinic": doctor.clinic_id,
        "consulting_fee": doctor.consulting_fee,
        "is_active": doctor.is_active,
        "phone": doctor.phone,
        "email": doctor.email,
    }


class TwentyFourHourInput(forms.TimeInput):
    """A time typed as ``HH:MM``: a browser's ``type=time`` shows a.m./p.m. wherever the
    computer's region does, whatever the page's language."""

    def __init__(self) -> None:
        super().__init__(
            format="%H:%M",
            attrs={
                "inputmode": "numeric",
                "pattern": "([01][0-9]|2[0-3]):[0-5][0-9]",
                "placeholder": "HH:MM",
                "maxlength": "5",
                "autocomplete": "off",
            },
        )


class ScheduleDayForm(forms.Form):
    """One weekday of the weekly hours (prefix ``schedule_<weekday>``)."""

    works = forms.BooleanField(required=False)
    starts_at = forms.TimeField(label=_("From"), required=False, widget=TwentyFourHourInput())
    ends_at = forms.TimeField(label=_("To"), required=False, widget=TwentyFourHourInput())
    slot_minutes = forms.IntegerField(label=_("Slot (minutes)"), required=False)

    def __init__(self, *args: Any, weekday: int, **kwargs: Any) -> None:
        # mypy cannot know that no caller passes a prefix (positionally or by name)
        super().__init__(*args, prefix=f"schedule_{weekday}", **kwargs)  # type: ignore[misc]
        self.weekday = weekday
        self.day = Weekday(weekday).label
        labels = {
            "works": _("%(day)s: works"),
            "starts_at": _("%(day)s: from"),
            "ends_at": _("%(day)s: to"),
            "slot_minutes": _("%(day)s: slot (minutes)"),
        }
        for name, field in self.fields.items():
            field.widget.attrs["aria-label"] = labels[name] % {"day": self.day}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("works"):
            for name in ("starts_at", "ends_at", "slot_minutes"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Needed on a working day."))
        return data

    def working_hours(self) -> WorkingHours | None:
        data = self.cleaned_data
        if not data.get("works"):
            return None
        return WorkingHours(
            weekday=self.weekday,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            slot_minutes=data["slot_minutes"],
        )


#: what a new doctor's week looks like until the admin changes it
DEFAULT_WEEK = {"starts_at": "09:00", "ends_at": "17:00", "slot_minutes": 20}


def schedule_forms(data: Any = None, *, doctor: Doctor | None = None) -> list[ScheduleDayForm]:
    if doctor is not None:
        rows = {row.weekday: row for row in doctor.schedule.all()}
        initial = {
            weekday: {
                "works": True,
                "starts_at": row.starts_at,
                "ends_at": row.ends_at,
                "slot_minutes": row.slot_minutes,
            }
            for weekday, row in rows.items()
        }
    else:
        initial = {weekday: {"works": True, **DEFAULT_WEEK} for weekday in range(5)}
    return [
        ScheduleDayForm(data, weekday=weekday, initial=initial.get(weekday, {}))
        for weekday in Weekday.values
    ]


def schedule_of(days: list[ScheduleDayForm]) -> list[WorkingHours]:
    return [hours for day in days if (hours := day.working_hours()) is not None]


def attach_error(exc: HMSError, form: DoctorForm, days: list[ScheduleDayForm]) -> None:
    """Show a service error next to the field (or the weekday) it is about."""
    for day in days:
        if exc.field == day.prefix:
            day.add_error(None, exc.message)
            return
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class DoctorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    specialization = forms.ModelChoiceField(
        queryset=Specialization.objects.none(),
        required=False,
        empty_label=_("All specializations"),
    )
    clinic = forms.ModelChoiceField(
        queryset=Clinic.objects.none(), required=False, empty_label=_("All clinics")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialization"].queryset = Specialization.objects.order_by(az_order("name"))  # type: ignore[attr-defined]
        self.fields["clinic"].queryset = Clinic.objects.order_by(az_order("name"))  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``doctor_list``; an invalid filter is simply ignored.
        The query is cut as on the other lists (``search_text``): every word adds
        conditions, and thousands of them overflow SQLite's expression tree."""
        if not self.is_valid():
            return {"query": search_text(self.data.get("q", ""))}
        data = self.cleaned_data
        return {
            "query": search_text(data["q"]),
            "specialization_id": data["specialization"].pk if data["specialization"] else None,
            "clinic_id": data["clinic"].pk if data["clinic"] else None,
        }
