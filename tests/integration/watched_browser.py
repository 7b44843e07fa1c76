"""A module's Chromium on the lab's site, failing the module on any console error, request that
left the origin or dialog (hostile text that ran). Import `browser` into a test module to use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import Browser, browse
from tests.integration.site_fixture import BuiltSite


@pytest.fixture(scope="module")
def browser(built: BuiltSite) -> Iterator[Browser]:
    with browse(built.site) as b:
        yield b
    assert b.watch.errors == [], "console or page errors"
    assert b.watch.foreign == [], "requests that left the origin"
    assert b.watch.dialogs == [], "hostile text opened a dialog"
