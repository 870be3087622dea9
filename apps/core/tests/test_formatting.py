from __future__ import annotations

from django.template import Context, Template

from apps.core.formatting import duration_display


def test_durations_read_in_the_unit_that_suits_them() -> None:
    assert duration_display(0.0042) == "4.2 ms"
    assert duration_display(0.38) == "380 ms"
    assert duration_display(2.4149) == "2.41 s"


def test_the_duration_filter_leaves_a_missing_duration_empty() -> None:
    page = Template("{% load hms_format %}[{{ a|duration }}][{{ b|duration }}]")
    assert page.render(Context({"a": 0.05, "b": None})) == "[50 ms][]"


def test_a_running_step_without_a_duration_yet_renders_empty_not_a_server_error() -> None:
    # a missing key reaches a filter as "" (the template engine's invalid value)
    page = Template("{% load hms_format %}[{{ entry.duration|duration }}]")
    assert page.render(Context({"entry": {"label": "Apply migrations"}})) == "[]"
