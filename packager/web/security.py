"""The guard in front of every request: host, LAN token, origin, CSRF, headers.

The server holds ID numbers, bank statements and medical records, so a
request is refused (before any route runs) when its ``Host`` is not one we
bound (DNS rebinding), when ``--lan`` is on and it carries no token, or when
it changes something without coming from our own page (``Origin`` and a
double-submit CSRF token). Every response carries a strict CSP, ``nosniff``
and ``no-referrer``.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from packager.messages.web import WEB
from packager.web.config import WebConfig

CSRF_COOKIE = "packager_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
TOKEN_COOKIE = "packager_token"  # noqa: S105 (a cookie's name, not a secret)
TOKEN_QUERY = "token"  # noqa: S105
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_FORM_BYTES = 1_000_000
# Scope keys the routes read: the page's CSRF token, and whether the request proved it.
SCOPE_CSRF = "packager.csrf"
SCOPE_CSRF_OK = "packager.csrf_ok"
HEADERS = {
    "content-security-policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}


def hostname(host: str) -> str:
    """The name of a Host header without its port ("[::1]:8765" -> "::1")."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def same_token(a: str | None, b: str | None) -> bool:
    """Constant-time equality of two secrets; a missing one never matches."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


class Guard:
    """ASGI middleware: every rule above, then the app with the scope marked."""

    def __init__(self, app: ASGIApp, config: WebConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse, or pass the request on with its CSRF state in ``scope``."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookies = cookie_parser(headers.get("cookie", ""))
        lang = self.config.lang
        if hostname(headers.get("host", "")) not in self.config.hosts:
            await _refuse(send, 400, "Invalid Host header")
            return
        new_cookies: list[str] = []
        if self.config.token is not None and not same_token(
            cookies.get(TOKEN_COOKIE), self.config.token
        ):
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            sent = (query.get(TOKEN_QUERY) or [None])[0]
            if scope["method"] != "GET" or not same_token(sent, self.config.token):
                await _refuse(send, 403, WEB["forbidden"][_lk(lang)])
                return
            # The token leaves the address bar (and history) and lives in a cookie.
            rest = {k: v for k, v in query.items() if k != TOKEN_QUERY}
            target = quote(scope["path"]) + (f"?{urlencode(rest, doseq=True)}" if rest else "")
            await _redirect(send, target, _cookie(TOKEN_COOKIE, self.config.token))
            return
        csrf = cookies.get(CSRF_COOKIE, "")
        if not csrf:
            csrf = secrets.token_urlsafe(32)
            new_cookies.append(_cookie(CSRF_COOKIE, csrf))
        scope[SCOPE_CSRF] = csrf
        scope[SCOPE_CSRF_OK] = False
        if scope["method"] not in SAFE_METHODS:
            if not _same_origin(headers, scope):
                await _refuse(send, 403, WEB["csrf"][_lk(lang)])
                return
            proved = await self._prove(scope, receive, headers, cookies.get(CSRF_COOKIE))
            if proved is None:
                await _refuse(send, 413, "Request too large")
                return
            verdict, receive = proved
            if verdict is False:
                await _refuse(send, 403, WEB["csrf"][_lk(lang)])
                return
            scope[SCOPE_CSRF_OK] = verdict is True

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                present = {k.decode("latin-1").lower() for k, _ in raw}
                raw += [(k.encode(), v.encode()) for k, v in HEADERS.items() if k not in present]
                raw += [(b"set-cookie", c.encode("latin-1")) for c in new_cookies]
                message["headers"] = raw
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _prove(
        self, scope: Scope, receive: Receive, headers: Headers, cookie: str | None
    ) -> tuple[bool | None, Receive] | None:
        """Check the CSRF token: True proved, False refused, None (multipart) for the route.

        A header is checked at once; a urlencoded form is read here (small) and
        replayed; a multipart upload names the token in its first field, which
        the upload reader checks before it writes a byte. Returns None when a
        form is too large to be read here.
        """
        sent = headers.get(CSRF_HEADER)
        if sent is not None:
            return same_token(sent, cookie), receive
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "multipart/form-data":
            return (None if cookie else False), receive
        if kind != "application/x-www-form-urlencoded":
            return False, receive
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_FORM_BYTES:
                return None
        field = next(iter(parse_qs(body.decode("utf-8", "replace")).get(CSRF_FIELD, [])), None)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        return same_token(field, cookie), replay


def _same_origin(headers: Headers, scope: Scope) -> bool:
    """False when the browser says the request came from another site."""
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is None:
        return True  # not a browser (a script): the CSRF token still has to match
    if origin == "null":
        # Our no-referrer policy makes a browser send "Origin: null" with a plain form post;
        # then its Sec-Fetch-Site (which no page can forge) must say it came from us.
        return headers.get("sec-fetch-site") == "same-origin"
    parts = urlsplit(origin)
    return parts.netloc.lower() == headers.get("host", "").lower() and parts.scheme in (
        "http",
        scope.get("scheme", "http"),
    )


def _cookie(name: str, value: str) -> str:
    return f"{name}={value}; Path=/; HttpOnly; SameSite=Strict"


def _lk(lang: str) -> str:
    return "en" if lang.startswith("en") else "zh"


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *[(k.encode(), v.encode()) for k, v in HEADERS.items()],
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, target: str, cookie: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", target.encode("utf-8")),
                (b"set-cookie", cookie.encode("latin-1")),
                (b"content-length", b"0"),
                *[(k.encode(), v.encode()) for k, v in HEADERS.items()],
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})
