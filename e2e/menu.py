"""The staff menu as a person uses it: a module's link may sit in a group's dropdown
(templates/base.html), opened first by a click on the group's name."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect


def menu_link(page: Page, name: str) -> Locator:
    """The menu's link called ``name``, visible: its group opened when it is closed."""
    navigation = page.locator("nav.nav")
    # the links of a closed group are hidden, so left out of role queries unless asked
    anywhere = navigation.get_by_role("link", name=name, include_hidden=True)
    expect(anywhere).to_be_attached()
    if not anywhere.is_visible():
        # (``has`` is queried inside each group, so it is not rooted at the <nav>)
        inside = page.get_by_role("link", name=name, include_hidden=True)
        navigation.locator("details").filter(has=inside).locator("summary").click()
    link = navigation.get_by_role("link", name=name)
    expect(link).to_be_visible()
    return link
