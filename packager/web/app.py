"""The routes of ``packager serve``: pages, the form, uploads, builds, downloads, JSON.

Every route resolves the case by a validated name and every download by a
resolved path inside ``out/<case>/``; the guard (``security``) has already
checked host, token, origin and CSRF. Pages are rendered in full; htmx swaps
the part a form targets, and without JavaScript every form still works.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections import OrderedDict
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import escape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from tomlkit.exceptions import TOMLKitError

from packager.hant import localize
from packager.messages import lang_key
from packager.messages.web import WEB
from packager.models import Kind
from packager.read.casefile import CASE_FILE
from packager.read.classify import FOLDERS
from packager.scaffold import init_case
from packager.web import adopt, answers, forms
from packager.web.builds import Builds
from packager.web.config import WebConfig, case_dir, list_cases, valid_case_name
from packager.web.flow import FLOW, case_lang, step_of_error
from packager.web.render import render
from packager.web.security import SCOPE_CSRF, SCOPE_CSRF_OK, Guard
from packager.web.thumbs import fingerprint, kept_thumbnail
from packager.web.uploads import UploadRefused, receive_files
from packager.web.views import CaseView, case_view

HERE = Path(__file__).parent
STATIC = {
    "htmx.min.js": "text/javascript",
    "web.css": "text/css",
    "web.js": "text/javascript",
    "icon.svg": "image/svg+xml",
}
REPORT_CSP = (
    "default-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "script-src 'none'; frame-ancestors 'self'"
)


def create_app(config: WebConfig) -> Guard:
    """The whole web face, guarded; ``app.state.builds`` runs the builds."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
    )
    lk = lang_key(config.lang)
    folders = {k.value: FOLDERS[k][0] for k in Kind}
    builds = Builds(config)
    cache = builds.cache  # what the reads and builds fill: pages' texts included
    reader = builds.reader
    # A case page view hashes every file of the case (30 ms for ten phone photos), so the
    # view, and the plain page rendered from it, are kept while nothing they show changed.
    views: OrderedDict[tuple[object, ...], CaseView] = OrderedDict()
    pages: OrderedDict[tuple[object, ...], str] = OrderedDict()
    blank = f"csrf-{secrets.token_hex(16)}"  # stands for each client's own token

    def key_of(name: str, folder: Path) -> tuple[object, ...]:
        state = builds.state(name)
        shown = None if state is None else (state.running, state.done, state.total, state.error)
        read = 0
        with contextlib.suppress(OSError):  # a read landing in the page cache (OCR texts)
            read = cache.pages_dir.stat().st_mtime_ns
        return (
            name,
            config.today(),
            shown,
            read,
            reader.version,
            fingerprint(folder, config.out / name),
        )

    def view_of(name: str, folder: Path) -> CaseView:
        key = key_of(name, folder)
        if key not in views:
            lang = case_lang(config.lang, folder)
            views[key] = case_view(
                folder, config.out / name, lang, config.today(), cache, reader.progress(name)
            )
            while len(views) > 32:
                views.popitem(last=False)
        return views[key]

    def ask_read(name: str, folder: Path, view: CaseView) -> None:
        """Have the files no read knows yet read in the background (never in the request)."""
        unknown = tuple(c.rel for c in view.cards if c.read == "")
        if config.read_on_upload and view.config_error is None and unknown:
            reader.request(name, folder, unknown)

    def page(
        request: Request, template: str, status: int = 200, script: str = "", **context: Any
    ) -> HTMLResponse:
        script = script or config.lang
        lan = context.pop("lan_url", config.lan_url)
        csrf = request.scope.get(SCOPE_CSRF, "")
        html = render(env, template, lk, script, csrf, lan, **context)
        return HTMLResponse(html, status)

    def found(name: str) -> Path:
        path = case_dir(config, name)
        if path is None:
            raise _NotFound
        return path

    def t(key: str, **params: object) -> str:
        return WEB[key][lk].format(**params) if params else WEB[key][lk]

    async def index(request: Request) -> Response:
        return page(request, "index.html", cases=list_cases(config), error=None)

    async def create(request: Request) -> Response:
        form = await request.form()
        name = str(form.get("name", "")).strip()
        if not valid_case_name(name):
            return page(
                request, "index.html", 422, cases=list_cases(config), error=t("bad_name", name=name)
            )
        target = config.inbox / name
        if target.exists() or target.is_symlink():
            return page(
                request,
                "index.html",
                409,
                cases=list_cases(config),
                error=t("name_taken", name=name),
            )
        config.inbox.mkdir(parents=True, exist_ok=True)
        init_case(target, config.lang)
        return RedirectResponse(f"/cases/{name}", 303)

    def case_page(
        request: Request, name: str, status: int = 200, step: str = "", **extra: Any
    ) -> HTMLResponse:
        folder = found(name)
        view = view_of(name, folder)
        ask_read(name, folder, view)
        view = view_of(name, folder)  # the files just asked for show as being read
        state = builds.state(name)
        if step not in FLOW:
            asked = request.query_params.get("step", "")
            step = asked if asked in FLOW else FLOW[0]
        context: dict[str, Any] = {
            "flow": FLOW,
            "step": step,
            # The phone scans straight into this case (the token still goes into a cookie).
            "lan_url": answers.case_lan_url(config.lan_url, name),
            "place": FLOW.index(step),
            "view": view,
            "steps": forms.STEPS,
            "contact_fields": forms.CONTACT_FIELDS,
            "after_fields": forms.AFTER_STEP[1],
            "expense_fields": forms.EXPENSE_FIELDS,
            "expenses": view.expenses,
            "build": state,
            "errors": {},
            "warnings": {},
            "notice": None,
            "upload_notice": None,
            "values": view.values,
            "contacts": view.contacts,
            "proposals": adopt.open_proposals(view.manifest, view.case),
        }
        context.update(extra)
        return page(request, "case.html", status, case_lang(config.lang, folder), **context)

    async def show(request: Request) -> Response:
        name = request.path_params["name"]
        folder = found(name)
        ask_read(name, folder, view_of(name, folder))
        key = (*key_of(name, folder), request.query_params.get("step", ""))
        if key not in pages:
            request.scope[SCOPE_CSRF], csrf = blank, request.scope.get(SCOPE_CSRF, "")
            pages[key] = bytes(case_page(request, name).body).decode("utf-8")
            request.scope[SCOPE_CSRF] = csrf
            while len(pages) > 32:
                pages.popitem(last=False)
        return HTMLResponse(pages[key].replace(blank, str(escape(request.scope[SCOPE_CSRF]))))

    async def save_form(request: Request) -> Response:
        name = request.path_params["name"]
        folder = found(name)
        form = await request.form()
        go, at = str(form.get("go", "")), str(form.get("at", ""))
        answers = {k: [str(v) for v in form.getlist(k)] for k in form if k not in ("go", "at")}
        raw = (folder / CASE_FILE).read_text(encoding="utf-8-sig")
        try:
            text = forms.apply_answers(raw, answers)
        except TOMLKitError:  # case.toml is not TOML: the form cannot merge into it
            return case_page(request, name, 422, at, errors={"": (WEB["case_file_error"][lk],)})
        view = view_of(name, folder)
        verdict = forms.judge(text, config.lang, config.today(), view.documents, view.skipped)
        if not verdict.ok:
            shown = {k: v[-1] for k, v in answers.items() if k in forms.FIELDS}
            rows = {
                section: [
                    {**cells, "row": str(place or "")}
                    for place, cells in forms.posted_rows(answers, section)
                ]
                for section in forms.ROWS
            }
            notice = localize(
                WEB["fix_below"][lk].format(count=sum(len(v) for v in verdict.errors.values())),
                case_lang(config.lang, folder),
            )
            return case_page(
                request,
                name,
                422,
                step_of_error(verdict.errors) or at,
                errors=verdict.errors,
                warnings=verdict.warnings,
                notice=notice,
                values=shown,
                contacts=rows["contact"],
                expenses=rows["expense"],
            )
        forms.write_case_file(folder, text)
        saved = localize(WEB["saved"][lk], case_lang(config.lang, folder))
        return case_page(request, name, 200, go or at, warnings=verdict.warnings, notice=saved)

    async def upload(request: Request) -> Response:
        name = request.path_params["name"]
        folder = found(name)
        cookie = None if request.scope.get(SCOPE_CSRF_OK) else request.scope.get(SCOPE_CSRF)
        try:
            received = await receive_files(
                request, folder, folders, config.max_file_bytes, config.max_request_bytes, cookie
            )
        except UploadRefused as exc:
            mb = config.max_file_mb if exc.key == "too_large_file" else config.max_request_mb
            return case_page(request, name, exc.status, upload_notice=t(exc.key, mb=f"{mb:g}"))
        lines = [t("refused_type", name=n) for n in received.refused]
        if received.saved:
            lines.insert(0, t("uploaded", names="、".join(Path(p).name for p in received.saved)))
        status = 200 if received.saved else 415 if received.refused else 400
        return case_page(request, name, status, upload_notice="\n".join(lines) or t("no_files"))

    async def decide(request: Request) -> Response:
        name = request.path_params["name"]
        folder = found(name)
        form = await request.form()
        rel = str(form.get("path", ""))
        kind = str(form.get("kind", ""))
        cards = {c.rel: c for c in view_of(name, folder).cards}
        turn = str(form.get("turn", "0"))
        if rel not in cards or (kind and kind not in folders) or turn not in ("0", "90", "270"):
            return case_page(request, name, 422, upload_notice=t("not_found"))
        rotate = (cards[rel].rotate + int(turn)) % 360
        raw = (folder / CASE_FILE).read_text(encoding="utf-8-sig")
        forms.write_case_file(
            folder, forms.set_file(raw, rel, kind or None, "exclude" in form, rotate)
        )
        return case_page(request, name)

    async def adopt_fact(request: Request) -> Response:
        """采用: write a proposal of the last build (named by its key only) into case.toml."""
        name = request.path_params["name"]
        folder = found(name)
        form = await request.form()
        view = view_of(name, folder)
        done = adopt.into_case_file(folder, view.manifest, view.case, str(form.get("key", "")))
        if done is None:
            return case_page(request, name, 409, notice=t("adopt_gone"))
        if not done:
            return case_page(request, name, 422, errors={"": (t("case_file_error"),)})
        return case_page(request, name, notice=t("adopted"))

    async def build(request: Request) -> Response:
        name = request.path_params["name"]
        folder = found(name)
        started = builds.start(name, folder, view_of(name, folder).case)
        return case_page(request, name, 202 if started else 409, "step_build")

    async def status(request: Request) -> Response:
        name = request.path_params["name"]
        found(name)
        if builds.building(name):
            return case_page(request, name, 200, "step_build")
        # Done: the whole page again, on the build's step (the downloads), not the first one.
        return Response(
            status_code=200, headers={"HX-Redirect": f"/cases/{quote(name)}?step=step_build"}
        )

    async def api_case(request: Request) -> Response:
        """What is known of the case, from state: never a page read, whatever runs."""
        name = request.path_params["name"]
        folder = found(name)
        view = view_of(name, folder)
        ask_read(name, folder, view)
        return JSONResponse(answers.case_answer(name, view, builds.state(name), reader.busy(name)))

    async def download(request: Request) -> Response:
        name = request.path_params["name"]
        found(name)
        root = (config.out / name).resolve()
        target = (root / request.path_params["path"]).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            raise _NotFound
        if target.name == "report.html" and target.parent == root:
            return FileResponse(
                target,
                headers={"content-security-policy": REPORT_CSP, "x-frame-options": "SAMEORIGIN"},
            )
        return FileResponse(target, filename=target.name)

    async def images_zip(request: Request) -> Response:
        name = request.path_params["name"]
        found(name)
        folder = (config.out / name / "images").resolve()
        if not folder.is_dir() or not folder.is_relative_to(config.out.resolve()):
            raise _NotFound
        return Response(
            answers.images_zip_bytes(folder),
            media_type="application/zip",
            headers={"content-disposition": answers.attachment(f"{name}-images.zip")},
        )

    async def thumb(request: Request) -> Response:
        name = request.path_params["name"]
        folder = found(name).resolve()
        target = (folder / request.path_params["path"]).resolve()
        if not target.is_relative_to(folder) or not target.is_file() or target.is_symlink():
            raise _NotFound
        rel = target.relative_to(folder).as_posix()
        card = next((c for c in view_of(name, found(name)).cards if c.rel == rel), None)
        try:
            jpeg = await run_in_threadpool(kept_thumbnail, target, card.rotate if card else 0)
        except (OSError, ValueError, RuntimeError):  # not an image we can show
            raise _NotFound from None
        return Response(jpeg, media_type="image/jpeg")

    async def static(request: Request) -> Response:
        file = request.path_params["file"]
        if file not in STATIC:
            raise _NotFound
        return FileResponse(HERE / "static" / file, media_type=STATIC[file])

    async def not_found(request: Request, exc: Exception) -> Response:
        return page(request, "error.html", 404, title=t("not_found"), detail=None)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        yield
        await asyncio.to_thread(builds.close)

    routes = [
        Route("/", index),
        Route("/cases", create, methods=["POST"]),
        Route("/cases/{name}", show),
        Route("/cases/{name}/form", save_form, methods=["POST"]),
        Route("/cases/{name}/files", upload, methods=["POST"]),
        Route("/cases/{name}/file", decide, methods=["POST"]),
        Route("/cases/{name}/build", build, methods=["POST"]),
        Route("/cases/{name}/adopt", adopt_fact, methods=["POST"]),
        Route("/cases/{name}/status", status),
        Route("/cases/{name}/images.zip", images_zip),
        Route("/cases/{name}/out/{path:path}", download),
        Route("/cases/{name}/thumb/{path:path}", thumb),
        Route("/api/cases/{name}", api_case),
        Route("/static/{file}", static),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={404: not_found, _NotFound: not_found},
        lifespan=lifespan,
    )
    app.state.builds = builds
    return Guard(app, config)


class _NotFound(Exception):
    """No such case, file or page: one 404, whatever the reason."""
