"""Browser tests: a real server on a demo database, driven through headless Chromium.

The server runs as a subprocess started exactly as a person would start it (`quarterdeck init`,
`demo`, `serve`), so these tests cover the CLI wiring and the app factory too.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = os.environ.get("QUARTERDECK_TEST_CHROMIUM", "/usr/bin/chromium")
# `playwright install` cannot download browsers here; the system Chromium runs with these flags.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
DEMO_EMAIL = "cto@harbourline.example"
DEMO_PASSWORD = "e2e-demo-password-7f3a"
# Bounds, not assertions: how long to wait for things that should take a moment.
COMMAND_TIMEOUT_S = 120
SERVER_START_ATTEMPTS = 200  # x 0.1 s, about 20 s
PAGE_TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class DemoServer:
    url: str
    email: str
    password: str


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Keep each phase's report on the test item, so fixtures can tell whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def quarterdeck(database_url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "quarterdeck", "--db", database_url, *args]


def server_environment() -> dict[str, str]:
    # The server must use the --db it is given and nothing from the developer's shell.
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("QUARTERDECK_") or name.startswith("QUARTERDECK_TEST_")
    }


def run_command(command: list[str], log: Path) -> None:
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
        env=server_environment(),
        check=False,
    )
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(command)}\n{result.stdout}{result.stderr}\n")
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(command[2:])} failed with exit status {result.returncode}:\n"
            f"{result.stdout}{result.stderr}",
            pytrace=False,
        )


def wait_until_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(SERVER_START_ATTEMPTS):
        if server.poll() is not None:
            pytest.fail(
                f"the server exited with status {server.returncode}:\n{log.read_text()}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"the server did not answer {url}/healthz:\n{log.read_text()}", pytrace=False)


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    # The server runs in its own process group, so workers it started go too.
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """`quarterdeck init`, `demo` and `serve` on a fresh SQLite file, like `make run` does."""
    directory = tmp_path_factory.mktemp("e2e-server")
    database_url = f"sqlite:///{directory / 'quarterdeck.db'}"
    log = directory / "server.log"
    run_command(quarterdeck(database_url, "init"), log)
    run_command(quarterdeck(database_url, "demo", "--password", DEMO_PASSWORD), log)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = quarterdeck(database_url, "serve", "--host", "127.0.0.1", "--port", str(port))
    with log.open("ab") as out:
        server = subprocess.Popen(
            serve,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=server_environment(),
            start_new_session=True,
        )
    try:
        wait_until_healthy(url, server, log)
        yield DemoServer(url=url, email=DEMO_EMAIL, password=DEMO_PASSWORD)
    finally:
        stop(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; `make test` installs the chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def artifact_name(test_name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name).strip("_")


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test; a screenshot is kept when the test fails."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            screenshot = ARTIFACTS / f"{artifact_name(request.node.name)}.png"
            page.screenshot(path=screenshot, full_page=True)
        context.close()
