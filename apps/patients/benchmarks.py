"""Patients in bulk for ``manage.py benchmark scale``: a hospital of 200,000 made in
seconds, and what a receptionist types into the search box, keystroke by keystroke."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta

from django.utils import timezone

from apps.core.text import search_fold, search_text
from apps.numbering.services import document_numbers_allocate
from apps.patients.models import PATIENT_NUMBER_KIND, Patient, Sex, name_key
from apps.tenancy.context import tenant_context
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital

FIRST_NAMES = [
    "Əli",
    "Vüqar",
    "Rəşad",
    "Elvin",
    "Nicat",
    "Orxan",
    "Tural",
    "Kamran",
    "Samir",
    "Fərid",
    "Ruslan",
    "Anar",
    "İlkin",
    "Cavid",
    "Emin",
    "Elnur",
    "Həsən",
    "Hüseyn",
    "Murad",
    "Namiq",
    "Rauf",
    "Şahin",
    "Tofiq",
    "Ülvi",
    "Zaur",
    "Aysel",
    "Günel",
    "Leyla",
    "Nərmin",
    "Səbinə",
    "Aynur",
    "Fidan",
    "Gülnar",
    "Könül",
    "Lalə",
    "Məryəm",
    "Nigar",
    "Sevinc",
    "Şəbnəm",
    "Türkan",
    "Ülkər",
    "Zəhra",
    "Aytən",
    "İlahə",
    "Xədicə",
    "Çinarə",
    "Öykü",
    "Dilarə",
    "Pərvin",
    "Rəna",
]
SURNAME_ROOTS = [
    "Əliyev",
    "İsmayılov",
    "Məmmədov",
    "Həsənov",
    "Hüseynov",
    "Quliyev",
    "Cəfərov",
    "Abbasov",
    "Rəhimov",
    "Babayev",
    "Nəsirov",
    "Süleymanov",
    "Mustafayev",
    "Orucov",
    "Şirinov",
    "Kərimov",
    "Qasımov",
    "Bağırov",
    "Novruzov",
    "Zeynalov",
    "Əhmədov",
    "İbrahimov",
    "Yusifov",
    "Sadıqov",
    "Rzayev",
    "Tağıyev",
    "Vəliyev",
    "Xəlilov",
    "Paşayev",
    "Allahverdiyev",
    "Məlikov",
    "Salmanov",
    "Əsgərov",
    "Mirzəyev",
    "Heydərov",
    "Qurbanov",
    "Hacıyev",
    "Çələbiyev",
    "Şükürov",
    "Ağayev",
    "Əkbərov",
    "Fərzəliyev",
    "Nağıyev",
    "Səfərov",
    "Muradov",
    "Hümbətov",
    "Ələkbərov",
    "Dadaşov",
    "Camalov",
    "Bayramov",
    "Hacızadə",
    "Əlizadə",
    "Mehdizadə",
    "Quluzadə",
    "Rəsulzadə",
    "Əfəndiyev",
    "Tahirov",
    "Eyvazov",
    "Talıbov",
    "Şahbazov",
]

#: mobile operator codes of Azerbaijan, for phone numbers that look real
OPERATORS = ("50", "51", "55", "70", "77", "99")


def _person(rng: random.Random) -> tuple[str, str, str]:
    sex = rng.choice((Sex.FEMALE, Sex.MALE))
    root = rng.choice(SURNAME_ROOTS)
    last = root + "a" if sex == Sex.FEMALE and root.endswith("v") else root
    first = rng.choice(FIRST_NAMES[:25] if sex == Sex.MALE else FIRST_NAMES[25:])
    return first, last, sex


def patients_bulk_load(hospital: Hospital, *, count: int, seed: int = 12) -> float:
    """Add ``count`` patients to ``hospital`` (a scratch one) by bulk inserts, registered
    over the last ten years; returns the seconds it took. The search index's triggers run
    as for any insert."""
    rng = random.Random(seed)
    started = timezone.now()
    oldest = started - timedelta(days=3650)
    step = timedelta(days=3650) / count
    batch: list[Patient] = []
    with tenant_context(hospital), tenant_atomic():
        numbers = document_numbers_allocate(
            hospital=hospital, kind=PATIENT_NUMBER_KIND, count=count
        )
        for offset, number in enumerate(numbers):
            first, last, sex = _person(rng)
            national = f"0{rng.choice(OPERATORS)}{rng.randrange(10**7):07d}"
            phone = f"+994{national[1:]}"
            registered: datetime = oldest + step * offset
            batch.append(
                Patient(
                    id=uuid.uuid4(),
                    number=number,
                    first_name=first,
                    last_name=last,
                    sex=sex,
                    birth_date=date(1940, 1, 1) + timedelta(days=rng.randrange(30_000)),
                    phone=phone,
                    name_key=name_key(first, last),
                    search_text=search_text(first, last, number, phone, national),
                    created_at=registered,
                    updated_at=registered,
                )
            )
            if len(batch) == 5000:
                Patient.objects.bulk_create(batch)
                batch = []
        Patient.objects.bulk_create(batch)
    return (timezone.now() - started).total_seconds()


def typed_searches(hospital: Hospital, *, people: int, seed: int = 7) -> list[str]:
    """What the search box sends while a receptionist types, for ``people`` patients
    picked at random: a surname letter by letter (with or without Azerbaijani letters),
    first name and surname, the patient number's digits, a phone number as it is read
    out; plus "ism" and "eli"."""
    rng = random.Random(seed)
    with tenant_context(hospital):
        total = Patient.objects.count()
        picked = [Patient.objects.order_by("number")[rng.randrange(total)] for _ in range(people)]
    queries = ["ism", "eli"]
    for patient in picked:
        surname = patient.last_name if rng.random() < 0.5 else search_fold(patient.last_name)
        queries += [surname[:length] for length in range(1, len(surname) + 1)]
        full = f"{patient.first_name} {patient.last_name[:4]}"
        queries += [full[:length] for length in range(len(patient.first_name) + 2, len(full) + 1)]
        digits = patient.number.rsplit("-", 1)[1].lstrip("0")
        queries += [digits[:length] for length in range(3, len(digits) + 1)]
        national = f"0{patient.phone[4:]}"
        spoken = f"{national[:3]} {national[3:6]} {national[6:8]} {national[8:]}"
        queries += [spoken[:length] for length in range(5, len(spoken) + 1)]
    return [query for query in queries if query.strip()]
