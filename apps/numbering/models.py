"""Per-hospital document number series (invoices, sales, lab orders ...)."""

from __future__ import annotations

from django.db import models


class DocumentSeries(models.Model):
    """The last number handed out for one kind of document in one year (``year`` 0 for
    series that never restart). Incremented inside the transaction that inserts the
    document, so numbers are unique and gap-free."""

    kind = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField(default=0)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="one_series_per_kind_and_year")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year or ''} last {self.last_value}".replace("  ", " ")
