"""Headless Chromium for the page tests and the page benchmark, driven by Selenium.

Debian's ``chromium`` and ``chromium-driver`` (installed by ``.ci/system-deps``): Selenium is given
both paths, so Selenium Manager never looks for (or downloads) a browser or a driver. The flags
keep Chromium off the network (this machine's network is closed: without them its background
connections are refused, many at a time) and every start gets a fresh, empty profile.

:func:`browser` is a session-scoped pytest fixture (one Chromium for the whole test run; tests
that need it are skipped, with the reason, where no browser can be found).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

__all__ = ["FLAGS", "unavailable", "start_chromium", "browser", "open_page", "console_errors", "viewer_png",
           "client_point", "hover", "tap", "info_fields", "colour_pixels"]

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium")
DRIVER = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1")


def _first(paths) -> str | None:
    return next((p for p in paths if os.access(p, os.X_OK)), None)


def unavailable() -> str | None:
    """Why no browser test can run here, or ``None``."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if _first(CHROMIUM) is None or _first(DRIVER) is None:
        return ("no Chromium and ChromeDriver (Debian: apt-get install chromium chromium-driver, as "
                ".ci/system-deps does)")
    return None


def start_chromium(size: tuple[int, int] = (1280, 860)):
    """A headless Chromium (Selenium ``WebDriver``) with a fresh profile; ``driver.profile`` is its folder."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    reason = unavailable()
    if reason:
        raise RuntimeError(reason)
    profile = tempfile.mkdtemp(prefix="kitcut-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = _first(CHROMIUM)
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile}")
    opts.add_argument(f"--window-size={size[0]},{size[1]}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=_first(DRIVER)))
    driver.profile = profile
    return driver


def quit_chromium(driver) -> None:
    try:
        driver.quit()
    finally:
        shutil.rmtree(getattr(driver, "profile", ""), ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    reason = unavailable()
    if reason:
        pytest.skip(f"no browser for the page tests: {reason}")
    driver = start_chromium()
    try:
        yield driver
    finally:
        quit_chromium(driver)


def console_errors(driver) -> list[str]:
    """The browser's console errors since the last call (script errors, failed loads, console.error)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def open_page(driver, path: str | Path, timeout: float = 10.0) -> None:
    """Open a page (a file or a URL) and wait until every marker viewer on it has drawn."""
    url = str(path) if "://" in str(path) else Path(path).resolve().as_uri()
    driver.get(url)
    end = time.monotonic() + timeout
    while True:
        done = driver.execute_script(
            "return document.readyState === 'complete' && (!window.kitcut || "
            "window.kitcut.viewers.every(function (v) { return v.timings.firstDraw; }))")
        if done:
            return
        if time.monotonic() > end:
            raise TimeoutError(f"{url}: the page did not finish drawing in {timeout} s")
        time.sleep(0.02)


def settle(driver) -> None:
    """Wait for the viewers' next frame (they draw on requestAnimationFrame)."""
    driver.execute_async_script(
        "var done = arguments[0]; requestAnimationFrame(function () { requestAnimationFrame(done); });")


def client_point(driver, viewer: int, x: float, y: float) -> tuple[int, int]:
    """Viewport pixel of marker point ``(x, y)`` mm in viewer ``viewer``."""
    sx, sy = driver.execute_script(
        "var v = window.kitcut.viewers[arguments[0]], r = v.over.getBoundingClientRect(),"
        " s = v.screenOf(arguments[1], arguments[2]); return [r.left + s[0], r.top + s[1]];", viewer, x, y)
    return int(round(sx)), int(round(sy))


def hover(driver, viewer: int, x: float, y: float) -> None:
    """Move the mouse over marker point ``(x, y)`` of a viewer (at once: no 250 ms glide)."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    px, py = client_point(driver, viewer, x, y)
    actions = ActionBuilder(driver, duration=0)
    actions.pointer_action.move_to_location(px, py)
    actions.perform()


def mouse_away(driver) -> None:
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    actions = ActionBuilder(driver, duration=0)
    actions.pointer_action.move_to_location(1, 1)
    actions.perform()


def tap(driver, viewer: int, x: float, y: float) -> None:
    """Tap marker point ``(x, y)`` with a finger (a touch pointer: down and up, no move)."""
    from selenium.webdriver.common.actions import interaction
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.pointer_input import PointerInput

    px, py = client_point(driver, viewer, x, y)
    actions = ActionBuilder(driver, mouse=PointerInput(interaction.POINTER_TOUCH, "finger"))
    actions.pointer_action.move_to_location(px, py).pointer_down().pointer_up()
    actions.perform()


def info_fields(driver, viewer: int = 0) -> dict[str, str]:
    """What the viewer's info box shows (``{}`` when it is hidden): field -> text."""
    return driver.execute_script(
        "var box = window.kitcut.viewers[arguments[0]].info, out = {};"
        "if (box.hidden) return out;"
        "box.querySelectorAll('tr[data-k]').forEach(function (r) {"
        " out[r.getAttribute('data-k')] = r.querySelector('td').textContent; });"
        "out.piece_index = box.getAttribute('data-piece'); return out;", viewer)


def viewer_png(driver, viewer: int = 0) -> np.ndarray:
    """A screenshot of a viewer's drawing area as ``uint8[h, w, 3]``."""
    from PIL import Image
    from selenium.webdriver.common.by import By

    element = driver.find_elements(By.CSS_SELECTOR, ".kv-canvas")[viewer]
    img = Image.open(io.BytesIO(element.screenshot_as_png)).convert("RGB")
    return np.asarray(img)


def colour_pixels(img: np.ndarray, rgb: tuple[int, int, int], within: float = 40.0) -> int:
    """How many pixels are within ``within`` (RGB distance) of ``rgb``."""
    d = np.linalg.norm(img.astype(float) - np.array(rgb, dtype=float), axis=2)
    return int((d <= within).sum())
