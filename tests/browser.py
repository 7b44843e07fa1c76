"""A real browser on a site served over HTTP: Debian's Chromium driven by Playwright.

`Browser.open(path)` returns a page whose console errors, page errors, dialogs (an `alert` from
hostile text would open one) and requests are recorded, so every test can assert that nothing
went wrong and nothing left the origin.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root in a container, without the network: no sandbox, no background connections to Google.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) until the block ends; yields the origin."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Watch:
    origin: str
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on(
            "console",
            lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("dialog", self._dialog)
        page.on("request", self._request)

    def _dialog(self, dialog) -> None:  # type: ignore[no-untyped-def]
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _request(self, request) -> None:  # type: ignore[no-untyped-def]
        url = request.url
        if not (url.startswith(self.origin + "/") or url.startswith(("data:", "blob:", "about:"))):
            self.foreign.append(url)


class Browser:
    def __init__(self, origin: str, browser) -> None:  # type: ignore[no-untyped-def]
        self.origin = origin
        self._browser = browser
        self.watch = Watch(origin)

    def open(self, path: str) -> Page:
        page = self._browser.new_page()
        page.set_default_timeout(15_000)
        self.watch.attach(page)
        page.goto(self.origin + path)
        return page


@contextmanager
def browse(site: Path) -> Iterator[Browser]:
    with serve(site) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield Browser(origin, browser)
        finally:
            browser.close()


LOADED = """() => {
  const meta = document.querySelector('.md-search-result__meta');
  return meta && meta.textContent && !/初始化|Initializing/.test(meta.textContent);
}"""
# The result list's meta line counts the results (or says there are none) once the query ran;
# before, it reads "Initializing search" or "Type to start searching".
READY = """() => {
  const meta = document.querySelector('.md-search-result__meta');
  return meta && /\\d|没有|No matching/.test(meta.textContent);
}"""


def search(page: Page, query: str) -> list[str]:
    """Material's search box: type a query, return the result links (paths) in order."""
    box = page.locator("input.md-search__input")
    box.click()
    page.wait_for_function(LOADED)  # a query typed before the index is loaded is dropped
    box.fill(query)
    box.press("End")  # Material searches on key events; fill() alone types no key
    page.wait_for_function(READY)
    links = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")
    return [str(link) for link in links]
