"""Browser sessions: hardened cookies, CSRF on every form, server-side sign-out, safe redirects."""

from __future__ import annotations

import hashlib
from http.cookies import SimpleCookie

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import text

from quarterdeck.domain.access import Actor
from quarterdeck.services import accounts
from quarterdeck.settings import Settings
from quarterdeck.storage import Database
from quarterdeck.web import create_app
from tests.api.routes import ROUTES, Route, send
from tests.api.world import ALPHA, Browsers, MovableClock, World, row_counts, target_in
from tests.api.world import workspace_state as state
from tests.conftest import PASSWORD, csrf_from, sign_in
from tests.web.browser import read

NEW_PASSWORD = "a brand new passphrase 42"
UI_POSTS = [r for r in ROUTES if not r.api and r.writes and r.path != "/login"]


def _set_cookie(response_headers: list[str], name: str) -> dict[str, str | bool]:
    """The attributes of the Set-Cookie header for `name`, lower-cased."""
    for header in response_headers:
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        if name in jar:
            morsel = jar[name]
            attributes: dict[str, str | bool] = {"value": morsel.value}
            attributes.update({k.lower(): v for k, v in morsel.items() if v})
            return attributes
    raise AssertionError(f"no Set-Cookie for {name}")


def _log_in(
    client: TestClient, email: str, password: str = PASSWORD, next_url: str = "/"
) -> Response:
    form = client.get("/login", params={"next": next_url})
    return client.post(
        "/login",
        data={
            "email": email,
            "password": password,
            "csrf_token": csrf_from(form.text),
            "next": next_url,
        },
        follow_redirects=False,
    )


def _open_sessions(db: Database) -> int:
    with db.unit_of_work(write=False) as uow:
        return int(
            uow.session.execute(
                text("SELECT count(*) FROM auth_sessions WHERE revoked_at IS NULL")
            ).scalar_one()
        )


def _is_signed_out(client: TestClient) -> bool:
    page = client.get("/", follow_redirects=False)
    api = client.get("/api/v1/me")
    return (
        page.status_code == 303
        and page.headers["location"].startswith("/login")
        and api.status_code == 401
    )


def test_session_cookie_is_httponly_lax_site_wide_and_not_secure_over_http(
    world: World, client: TestClient
) -> None:
    response = _log_in(client, world.alpha.viewer.email)
    assert response.status_code == 303
    cookie = _set_cookie(response.headers.get_list("set-cookie"), "qd_session")
    assert cookie["httponly"] is True
    assert str(cookie["samesite"]).lower() == "lax"
    assert cookie["path"] == "/"
    assert "secure" not in cookie
    assert int(str(cookie["max-age"])) == 12 * 3600


def test_session_cookie_is_secure_when_settings_ask_for_it(
    settings: Settings, db: Database, world: World
) -> None:
    secure = Settings(database_url=settings.database_url, secure_cookies=True)
    with TestClient(create_app(secure, database=db), raise_server_exceptions=False) as client:
        form = client.get("/login")
        login_csrf = _set_cookie(form.headers.get_list("set-cookie"), "qd_login_csrf")
        response = client.post(
            "/login",
            data={
                "email": world.alpha.viewer.email,
                "password": PASSWORD,
                "csrf_token": csrf_from(form.text),
            },
            # A Secure cookie is not sent back over http, so send it as the browser would.
            headers={"Cookie": f"qd_login_csrf={login_csrf['value']}"},
            follow_redirects=False,
        )
    assert response.status_code == 303
    cookie = _set_cookie(response.headers.get_list("set-cookie"), "qd_session")
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert login_csrf["secure"] is True
    assert login_csrf["httponly"] is True


def test_session_cookie_is_secure_when_the_request_came_over_https(
    app: FastAPI, world: World
) -> None:
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        response = _log_in(client, world.alpha.viewer.email)
    assert response.status_code == 303
    assert _set_cookie(response.headers.get_list("set-cookie"), "qd_session")["secure"] is True


def test_cookie_holds_a_random_secret_and_the_server_only_its_hash(
    db: Database, world: World, client: TestClient
) -> None:
    response = _log_in(client, world.alpha.viewer.email)
    secret = str(_set_cookie(response.headers.get_list("set-cookie"), "qd_session")["value"])
    assert len(secret) >= 40
    with db.unit_of_work(write=False) as uow:
        stored = uow.session.execute(text("SELECT token_hash FROM auth_sessions")).scalars().all()
    assert stored == [hashlib.sha256(secret.encode()).hexdigest()]


@pytest.mark.parametrize(
    "tamper",
    ["no login cookie", "no form field", "field from another form"],
)
def test_login_without_the_login_csrf_pair_is_refused_and_opens_no_session(
    db: Database, world: World, browsers: Browsers, tamper: str
) -> None:
    client = browsers.open()
    form = client.get("/login")
    field = csrf_from(form.text)
    if tamper == "no login cookie":
        client.cookies.clear()
    elif tamper == "no form field":
        field = ""
    else:
        field = csrf_from(browsers.open().get("/login").text)
    response = client.post(
        "/login",
        data={"email": world.alpha.owner.email, "password": PASSWORD, "csrf_token": field},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "qd_session" not in response.headers.get("set-cookie", "")
    assert _open_sessions(db) == 0
    assert _is_signed_out(client)


def test_a_session_cookie_planted_before_login_is_not_adopted(
    world: World, client: TestClient
) -> None:
    client.cookies.set("qd_session", "chosen-by-an-attacker")
    response = _log_in(client, world.alpha.viewer.email)
    issued = _set_cookie(response.headers.get_list("set-cookie"), "qd_session")["value"]
    assert issued != "chosen-by-an-attacker"


def test_wrong_password_opens_no_session(db: Database, world: World, client: TestClient) -> None:
    response = _log_in(client, world.alpha.viewer.email, password="not the password at all")
    assert response.status_code == 401
    assert "email or password is wrong" in response.text
    assert _open_sessions(db) == 0


@pytest.mark.parametrize("route", UI_POSTS, ids=lambda r: r.id)
def test_form_post_without_csrf_token_is_refused_and_changes_nothing(
    db: Database, world: World, client: TestClient, route: Route
) -> None:
    sign_in(client, world.alpha.owner.email)
    before, counts, sessions = state(db, ALPHA), row_counts(db), _open_sessions(db)
    response = send(client, route, route.build(target_in(db, world, world.alpha)))
    assert response.status_code == 403
    assert "the form has expired or did not come from Quarterdeck" in response.text
    assert state(db, ALPHA) == before
    assert row_counts(db) == counts
    assert _open_sessions(db) == sessions
    assert client.get("/").status_code == 200  # still signed in


@pytest.mark.parametrize("route", UI_POSTS, ids=lambda r: r.id)
def test_form_post_with_a_wrong_csrf_token_is_refused(
    db: Database, world: World, client: TestClient, route: Route
) -> None:
    sign_in(client, world.alpha.owner.email)
    counts = row_counts(db)
    call = route.build(target_in(db, world, world.alpha))
    response = send(client, route, call, csrf="forged-token")
    assert response.status_code == 403
    assert row_counts(db) == counts


def test_logout_ends_the_session_on_the_server(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = browsers.open()
    csrf = sign_in(client, world.alpha.viewer.email)
    stolen = client.cookies["qd_session"]
    response = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert 'qd_session=""' in response.headers["set-cookie"]
    assert _open_sessions(db) == 0
    replay = browsers.open(cookies={"qd_session": stolen})
    assert _is_signed_out(replay)


def test_changing_the_password_ends_every_open_session(
    db: Database, world: World, browsers: Browsers, operator: Actor
) -> None:
    laptop, phone = browsers.open(), browsers.open()
    sign_in(laptop, world.alpha.owner.email)
    sign_in(phone, world.alpha.owner.email)
    with db.unit_of_work(write=True) as uow:
        ended = accounts.set_password(
            uow, actor=operator, email=world.alpha.owner.email, password=NEW_PASSWORD
        )
    assert ended == 2
    assert _is_signed_out(laptop)
    assert _is_signed_out(phone)
    fresh = browsers.open()
    assert _log_in(fresh, world.alpha.owner.email).status_code == 401
    assert _log_in(fresh, world.alpha.owner.email, NEW_PASSWORD).status_code == 303


def test_session_expires_after_the_configured_hours(
    world: World, client: TestClient, clock: MovableClock
) -> None:
    sign_in(client, world.alpha.viewer.email)
    clock.advance(hours=11, minutes=59)
    assert client.get("/").status_code == 200
    clock.advance(minutes=2)
    assert _is_signed_out(client)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "http:evil.example",
        "javascript:alert(1)",
        " //evil.example",
        "evil.example",
    ],
)
def test_login_never_redirects_to_another_site(
    world: World, client: TestClient, target: str
) -> None:
    form = client.get("/login", params={"next": target})
    assert read(form.text).form("/login").fields["next"] == "/"
    response = client.post(
        "/login",
        data={
            "email": world.alpha.viewer.email,
            "password": PASSWORD,
            "csrf_token": csrf_from(form.text),
            "next": target,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_login_redirect_with_control_characters_stays_on_the_site(
    world: World, client: TestClient
) -> None:
    # Browsers drop tabs and newlines from URLs; "/\t/evil.example" must not become "//evil".
    response = _log_in(client, world.alpha.viewer.email, next_url="/\t/evil.example")
    location = response.headers["location"]
    assert location.startswith("/")
    assert not location.replace("\t", "").replace("\n", "").startswith("//")


def test_login_returns_to_the_page_that_asked_for_it(world: World, client: TestClient) -> None:
    first = client.get(f"/w/{ALPHA}/members", follow_redirects=False)
    assert first.headers["location"] == f"/login?next=/w/{ALPHA}/members"
    response = _log_in(client, world.alpha.viewer.email, next_url=f"/w/{ALPHA}/members")
    assert response.headers["location"] == f"/w/{ALPHA}/members"
