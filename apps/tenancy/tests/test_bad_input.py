"""Generated bad input (hypothesis) over the admin's "add hospital" form: never a server
error, and either one hospital saved with its provisioning job or nothing at all."""

from __future__ import annotations

from typing import Any

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.tenancy.models import Hospital, ProvisioningJob

GENERATED = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

junk = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(min_size=100, max_size=3000),
    st.sampled_from(["", " ", "\x00", "admin", "www", "-x-", "a" * 64, "../etc", "ÇƏŞ"]),
)
subdomains = st.one_of(
    junk,
    st.from_regex(r"[a-z0-9-]{1,70}", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9]{2,15}", fullmatch=True),  # well-formed: some get saved
)
names = st.one_of(
    junk, st.from_regex(r"[A-Z][a-z]{2,12} (General|Clinic|Hospital)", fullmatch=True)
)
codes = st.one_of(junk, st.from_regex(r"[A-Za-z0-9_.-]{0,20}", fullmatch=True))

hospitals = st.fixed_dictionaries(
    {
        "name": names,
        "subdomain": subdomains,
        "code": st.one_of(st.none(), codes),
        "admin_name": junk,
        "admin_email": st.one_of(junk, st.emails()),
        "plan": st.one_of(junk, st.sampled_from(["basic", "standard", "premium"])),
        "enabled_modules": st.one_of(
            st.none(), st.lists(st.sampled_from(["patients", "doctors", "nope", ""]), max_size=3)
        ),
    }
)


def test_generated_hospitals_never_fail_the_server_nor_save_half_a_hospital(
    platform_client: Client,
) -> None:
    outcomes: set[int] = set()

    @GENERATED
    @given(data=hospitals)
    def check(data: dict[str, Any]) -> None:
        before = (Hospital.objects.count(), ProvisioningJob.objects.count())
        sent = {name: value for name, value in data.items() if value is not None}
        response = platform_client.post("/admin/tenancy/hospital/add/", sent)
        assert response.status_code in (200, 302), response.status_code
        outcomes.add(response.status_code)
        after = (Hospital.objects.count(), ProvisioningJob.objects.count())
        if response.status_code == 302:
            assert after == (before[0] + 1, before[1] + 1)
            hospital = Hospital.objects.order_by("-created_at").first()
            assert hospital is not None and hospital.jobs.count() == 1
        else:
            assert after == before

    check()
    assert outcomes == {200, 302}  # both refusals and hospitals saved were tried
