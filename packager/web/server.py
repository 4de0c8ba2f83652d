"""Start the page: pick the address, make the --lan token, print the URL (and a QR code), run."""

from __future__ import annotations

import secrets
import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from packager.messages import lang_key
from packager.messages.web import WEB
from packager.web.config import LOOPBACK_NAMES, WebConfig


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent to find it)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def make_config(inbox: Path, out: Path, host: str, port: int, lan: bool, lang: str) -> WebConfig:
    """The server's rules: loopback names only, or the LAN address plus a fresh token."""
    if not lan:
        return WebConfig(inbox=inbox, out=out, lang=lang, hosts=(*LOOPBACK_NAMES, host))
    address = lan_address()
    token = secrets.token_urlsafe(24)
    url = f"http://{address}:{port}/?token={token}"
    return WebConfig(
        inbox=inbox,
        out=out,
        lang=lang,
        token=token,
        hosts=(*LOOPBACK_NAMES, address),
        lan_url=url,
    )


def url_of(config: WebConfig, host: str, port: int) -> str:
    """The address to open: the LAN one with its token, else the loopback one."""
    if config.lan_url:
        return config.lan_url
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(
    inbox: Path,
    out: Path,
    host: str,
    port: int,
    lan: bool,
    browser: bool,
    lang: str,
    announce: Callable[[str, str | None], None],
) -> None:
    """Run the page until Ctrl+C; nothing is logged per request (paths can hold names).

    ``announce`` (the CLI's) shows the sentence with the URL, and the --lan URL as a QR code.
    """
    import uvicorn

    from packager.web.app import create_app

    config = make_config(inbox, out, host, port, lan, lang)
    bind = "0.0.0.0" if lan else host  # noqa: S104 (--lan asks for it; the token guards it)
    url = url_of(config, host, port)
    announce(WEB["serving"][lang_key(lang)].format(url=url), config.lan_url)
    if browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(
        create_app(config),
        host=bind,
        port=port,
        access_log=False,
        log_level="warning",
        server_header=False,
        date_header=False,
    )
