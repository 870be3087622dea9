from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShellConfig(AppConfig):
    """The staff shell: a hospital's home (the dashboard), the menu, the page frame's
    context. It sits on top of every other app and reads the modules' registry
    (``apps.core.modules``); no app imports it."""

    name = "apps.shell"
    label = "shell"
    verbose_name = _("Staff shell")
