from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.accounts.matrix import role_module_matrix_block


class Command(BaseCommand):
    help = (
        "Print the role × module matrix (who may open which staff module) as the README's "
        "Security section carries it, from the modules' declarations; paste it there."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(role_module_matrix_block())
