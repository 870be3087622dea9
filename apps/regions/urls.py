from __future__ import annotations

from django.urls import path, register_converter

from apps.regions import views

app_name = "reference"


class KindConverter:
    """Only the four kinds of reference data; anything else is a 404 from the resolver."""

    regex = "|".join(views.KINDS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindConverter, "reference_kind")

urlpatterns = [
    path("", views.index, name="index"),
    path("<reference_kind:kind>/", views.rows, name="rows"),
    path("<reference_kind:kind>/<int:pk>/delete/", views.row_delete, name="delete"),
    path("<reference_kind:kind>/<int:pk>/active/", views.row_set_active, name="set_active"),
]
