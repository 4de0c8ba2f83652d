"""``packager serve`` in a real browser (Debian's chromium through Playwright), as a person uses it."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import save_phone_jpeg
from tests.webkit import config

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(os.environ.get("PACKAGER_SHOTS", "/tmp/packager-web-shots"))
NPM = Path(__file__).resolve().parent.parent / "build" / "npm" / "node_modules"
AXE = NPM / "axe-core" / "axe.min.js"  # scripts/web-test-deps.sh (make test) installs it
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Mobile Safari/537.36"
    ),
    "locale": "zh-CN",
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install chromium"
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real uvicorn serving tmp/inbox on a free loopback port."""
    import uvicorn

    from packager.web.app import create_app

    cfg = config(tmp_path)
    port = _free_port()
    srv = uvicorn.Server(
        uvicorn.Config(
            create_app(cfg), host="127.0.0.1", port=port, access_log=False, log_level="warning"
        )
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", cfg.inbox
    srv.should_exit = True
    thread.join(30)


def test_a_person_makes_a_packet_in_the_browser(server: tuple[str, Path], tmp_path: Path) -> None:
    """This test ensures a person can, in chromium, create a case, answer the interview (a wrong
    check digit explained, then fixed), upload photos, fix an unsorted photo's kind, build and
    read the report; each step is screenshotted for a human to look at."""
    from playwright.sync_api import expect, sync_playwright

    url, inbox = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    photos = tmp_path / "phone"
    photos.mkdir()
    for name, size in (
        ("工资条.jpg", (600, 800)),
        ("收据.jpg", (620, 800)),
        ("IMG_0042.jpg", (640, 800)),
    ):
        save_phone_jpeg(photos / name, 6, size)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url)
        page.fill("input[name=name]", "wang")
        page.screenshot(path=str(SHOTS / "1-new-case.png"))
        page.click("button[type=submit]")
        expect(page.locator("h1.case-name")).to_have_text("wang")

        page.fill("[name='applicant.name']", "王测试")
        page.fill("[name='applicant.id_number']", "110105194912310021")
        page.fill("[name='applicant.phone']", "13800138000")
        page.fill("[name='account.platform']", "支付宝")
        page.fill("[name='account.product']", "花呗")
        page.fill("[name='account.amount_owed']", "3800")
        page.fill("[name='account.overdue_since']", "2026-11-20")
        page.select_option("[name='request.plan']", "installments")
        page.fill("[name='request.installments']", "12")
        page.check("[name='request.reason'][value='income_drop']")
        page.fill(
            "[name='request.statement']",
            "今年十月起公司停工，收入减少一半，家里还要照顾老人，未能按期还款。",
        )
        page.locator("[name='contact.date']").first.fill("2026-11-22")
        page.locator("[name='contact.channel']").first.select_option("phone")
        page.click("#interview .actions.save button")
        expect(page.locator(".msg.error").first).to_contain_text("校验码不对")
        page.locator(".field.bad").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "2-check-digit.png"))
        page.fill("[name='applicant.id_number']", "11010519491231002X")
        page.click("#interview .actions.save button")
        expect(page.locator("#interview .notice")).to_contain_text("已保存")
        page.screenshot(path=str(SHOTS / "3-saved.png"), full_page=True)

        page.set_input_files(
            "input.gallery",
            [str(photos / n) for n in ("工资条.jpg", "收据.jpg", "IMG_0042.jpg")],
        )
        expect(page.locator(".card")).to_have_count(3)
        unsorted = page.locator(".card.unsorted")
        expect(unsorted).to_have_count(1)
        page.locator("#files").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "4-uploaded.png"))
        unsorted.locator("select[name=kind]").select_option("expenses")
        expect(page.locator(".card.unsorted")).to_have_count(0)
        expect(page.locator("#checklist .missing")).to_have_count(0)
        page.screenshot(path=str(SHOTS / "5-kind-fixed.png"))

        page.click("#build button[type=submit]")
        expect(page.locator("#build .ok, #build .notice, #build .alert").first).to_be_visible(
            timeout=240_000
        )
        expect(page.get_by_text("材料包已生成")).to_be_visible(timeout=240_000)
        expect(page.locator(".downloads a").first).to_be_visible()
        page.screenshot(path=str(SHOTS / "6-built.png"))
        report = page.frame_locator(".report iframe")
        expect(report.locator("body")).to_contain_text("王")
        expect(report.locator("h1")).to_be_visible()
        page.locator(".report").scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / "7-report.png"))
        with page.expect_download() as download:
            page.locator(".downloads a").first.click()
        assert download.value.suggested_filename.endswith(".pdf")
        browser.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert (inbox / "wang" / "IMG_0042.jpg").is_file()


def test_money_steps_in_the_browser(server: tuple[str, Path], tmp_path: Path) -> None:
    """This test ensures a person can, in chromium, give their income, add two expenses (one
    with its receipt picked from the case's files), see a wrong amount explained beside its
    cell, see the checklist count the written 支出明细, and remove a row; screenshotted."""
    from playwright.sync_api import expect, sync_playwright

    url, inbox = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    save_phone_jpeg(tmp_path / "收费票据.jpg", 1, (600, 800))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.goto(url)
        page.fill("input[name=name]", "li")
        page.click("button[type=submit]")
        expect(page.locator("h1.case-name")).to_have_text("li")
        page.select_option("#files select[name=kind]", "medical")
        page.set_input_files("input.gallery", str(tmp_path / "收费票据.jpg"))
        expect(page.locator(".card")).to_have_count(1)

        page.fill("[name='finances.monthly_income']", "2000")
        page.fill("[name='finances.previous_monthly_income']", "6000")
        page.fill("[name='finances.dependants']", "1")
        rows = page.locator("#step_expenses .rowed")
        rows.nth(0).locator("[name='expense.item']").fill("住院医疗费")
        rows.nth(0).locator("[name='expense.amount']").fill("-9180")
        rows.nth(0).locator("[name='expense.period']").select_option("once")
        rows.nth(0).locator("[name='expense.date']").fill("2026-09-21")
        rows.nth(0).locator("[name='expense.proof']").select_option("疾病证明/收费票据.jpg")
        page.click("#step_expenses button[name=add]")
        expect(page.locator("#step_expenses .msg.error").first).to_contain_text("应大于 0")
        page.locator("#step_expenses").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "8-expense-error.png"))

        rows = page.locator("#step_expenses .rowed")
        rows.nth(0).locator("[name='expense.amount']").fill("9180")
        rows.nth(1).locator("[name='expense.item']").fill("房租")
        rows.nth(1).locator("[name='expense.amount']").fill("1500")
        rows.nth(1).locator("[name='expense.period']").select_option("monthly")
        page.click("#step_expenses button[name=add]")
        expect(page.locator("#interview .notice")).to_contain_text("已保存")
        expect(page.locator("#step_expenses .rowed")).to_have_count(3)
        expect(page.locator("#step_expenses .money")).to_contain_text("每月结余 500.00 元")
        expect(page.locator("#checklist li.written")).to_contain_text("支出明细")
        page.locator("#step_money").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "9-expenses-saved.png"))

        page.locator("#step_expenses .rowed").nth(1).locator("button[name=remove]").click()
        expect(page.locator("#step_expenses .rowed")).to_have_count(2)
        page.locator("#step_expenses").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "10-row-removed.png"))
        browser.close()
    text = (inbox / "li" / "case.toml").read_text(encoding="utf-8")
    assert 'item = "住院医疗费"' in text and 'proof = "疾病证明/收费票据.jpg"' in text
    assert 'item = "房租"' not in text


def axe_problems(page: object) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now (the report's frame,
    sandboxed with no scripts, is left to the report's own checks)."""
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    found = page.evaluate(  # type: ignore[attr-defined]
        """async () => {
            const r = await axe.run(document, {iframes: false, resultTypes: ["violations"]});
            return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => v.id + " (" + v.impact + "): "
                     + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
        }"""
    )
    return [str(f) for f in found]


def _no_sideways(page: object) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width <= 390, width


@pytest.mark.skipif(not AXE.is_file(), reason="needs axe-core: scripts/web-test-deps.sh")
def test_a_person_makes_a_packet_on_a_phone(server: tuple[str, Path], tmp_path: Path) -> None:
    """This test ensures on a phone (390x844, touch, a phone's user agent) a person names a case
    张三, sees adding photos on the first screen, picks photos and a PDF through the gallery
    picker, sees each card read and sorted without a build, answers one question step a
    screen (progress shown, saved, back and forward), builds and downloads; axe-core finds
    nothing serious or critical on any screen, nothing scrolls sideways, no console error."""
    from PIL import Image
    from playwright.sync_api import expect, sync_playwright

    url, inbox = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    gallery = tmp_path / "相册"
    gallery.mkdir()
    for name, size in (("工资条.jpg", (900, 1200)), ("收入证明.jpg", (960, 1280))):
        save_phone_jpeg(gallery / name, 6, size)
    save_phone_jpeg(gallery / "IMG_2041.jpg", 1, (1000, 1300))
    Image.new("RGB", (600, 800), (250, 250, 250)).save(gallery / "银行流水.pdf", "PDF")
    problems: dict[str, list[str]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(**PHONE, bypass_csp=True)  # axe is injected inline
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on(
            "response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None
        )
        page.goto(url)
        problems["front"] = axe_problems(page)
        page.fill("input[name=name]", "张三")
        page.screenshot(path=str(SHOTS / "phone-1-new-case.png"))
        page.click("button[type=submit]")
        expect(page.locator("h1.case-name")).to_have_text("张三")
        gallery_button = page.get_by_text("从相册或文件选择")
        expect(gallery_button).to_be_in_viewport()
        expect(page.locator("label.pick", has_text="拍照")).to_be_in_viewport()
        expect(page.locator("#step_who")).to_be_hidden()  # the questions come after
        expect(page.locator(".stepper")).to_contain_text("先把照片和文件加进来")
        problems["case"] = axe_problems(page)
        _no_sideways(page)
        page.screenshot(path=str(SHOTS / "phone-2-first-screen.png"))

        with page.expect_file_chooser() as chooser:
            gallery_button.click()
        assert chooser.value.is_multiple()
        chooser.value.set_files([str(p) for p in sorted(gallery.iterdir())])
        expect(page.locator(".card")).to_have_count(4)
        page.screenshot(path=str(SHOTS / "phone-3-reading.png"), full_page=True)
        expect(page.locator(".card.is-reading")).to_have_count(0, timeout=120_000)
        expect(page.locator(".reading-note")).to_have_count(0)
        card = page.locator(".card", has_text="工资条.jpg")
        expect(card.locator("select[name=kind] option[selected]")).to_have_text("收入证明")
        expect(page.locator(".card", has_text="银行流水.pdf").locator(".state.bad")).to_have_count(
            0
        )
        problems["cards"] = axe_problems(page)
        _no_sideways(page)
        page.screenshot(path=str(SHOTS / "phone-4-read.png"), full_page=True)

        page.get_by_text("下一步：回答问题").click()
        expect(page.locator("#step_who")).to_be_visible()
        expect(page.locator("#files")).to_be_hidden()
        expect(page.locator(".stepper")).to_contain_text("问题 1/8")
        page.fill("[name='applicant.name']", "张三")
        page.fill("[name='applicant.id_number']", "11010519491231002X")
        page.fill("[name='applicant.phone']", "13800138000")
        problems["step 1"] = axe_problems(page)
        page.screenshot(path=str(SHOTS / "phone-5-step-who.png"))
        page.locator("#step_who").get_by_role("button", name="保存，下一步").click()
        expect(page.locator("#step_account")).to_be_visible()
        expect(page.locator(".stepper")).to_contain_text("问题 2/8")
        page.fill("[name='account.platform']", "支付宝")
        page.fill("[name='account.product']", "花呗")
        page.fill("[name='account.amount_owed']", "3800")
        page.fill("[name='account.overdue_since']", "2026-11-20")
        page.locator("#step_account").get_by_role("button", name="保存，上一步").click()
        expect(page.locator("#step_who")).to_be_visible()
        expect(page.locator("[name='applicant.name']")).to_have_value("张三")  # saved
        page.locator("#step_who").get_by_role("button", name="保存，下一步").click()
        expect(page.locator("[name='account.platform']")).to_have_value("支付宝")
        page.locator("#step_account").get_by_role("button", name="保存，下一步").click()
        expect(page.locator("#step_plan")).to_be_visible()
        page.select_option("[name='request.plan']", "installments")
        page.fill("[name='request.installments']", "12")
        page.locator("#step_plan").get_by_role("button", name="保存，下一步").click()
        expect(page.locator("#step_why")).to_be_visible()
        page.check("[name='request.reason'][value='income_drop']")
        page.fill("[name='request.statement']", "今年十月起公司停工，收入减少一半，未能按期还款。")
        problems["step 4"] = axe_problems(page)
        page.screenshot(path=str(SHOTS / "phone-6-step-why.png"))
        for step in ("step_why", "step_money", "step_expenses"):
            page.locator(f"#{step}").get_by_role("button", name="保存，下一步").click()
        expect(page.locator("#step_contacts")).to_be_visible()
        expect(page.locator(".stepper")).to_contain_text("问题 7/8")
        page.locator("#step_contacts [name='contact.date']").first.fill("2026-11-22")
        page.locator("#step_contacts [name='contact.channel']").first.select_option("phone")
        page.locator("#step_contacts").get_by_role("button", name="保存，下一步").click()
        expect(page.locator("#step_after")).to_be_visible()  # 提交之后 (issue 25): not sent yet
        expect(page.locator(".stepper")).to_contain_text("问题 8/8")
        problems["step 8"] = axe_problems(page)
        page.locator("#step_after").get_by_role("button", name="保存，去生成").click()
        expect(page.locator("#build")).to_be_visible()
        expect(page.locator(".stepper")).to_contain_text("生成材料包")
        problems["build"] = axe_problems(page)
        page.screenshot(path=str(SHOTS / "phone-7-build.png"), full_page=True)

        page.locator("#build button[type=submit]").click()
        expect(page.locator(".downloads a").first).to_be_visible(timeout=240_000)
        expect(page.locator("#build")).to_contain_text("草稿")  # 支出明细 is still missing
        problems["built"] = axe_problems(page)
        _no_sideways(page)
        page.screenshot(path=str(SHOTS / "phone-8-built.png"), full_page=True)
        with page.expect_download() as download:
            page.locator(".downloads a").first.click()
        assert download.value.suggested_filename.endswith(".pdf")
        with page.expect_download() as zipped:
            page.get_by_text("逐页图片（zip）").click()
        assert zipped.value.suggested_filename == "张三-images.zip"
        context.close()
        browser.close()
    assert not errors, errors
    assert {k: v for k, v in problems.items() if v} == {}
    assert (inbox / "张三" / "IMG_2041.jpg").is_file()


@pytest.mark.skipif(not AXE.is_file(), reason="needs axe-core: scripts/web-test-deps.sh")
def test_desktop_pages_pass_axe_and_show_every_step(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    """This test ensures on a desktop screen every interview step shows at once beside the
    checklist (no step buttons), drag and drop is offered, and axe-core finds nothing serious
    or critical on the front page, an empty case and a case with files."""
    from playwright.sync_api import expect, sync_playwright

    url, _ = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    save_phone_jpeg(tmp_path / "工资条.jpg", 6, (900, 1200))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(
            viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True
        )
        page.goto(url)
        assert axe_problems(page) == []
        page.fill("input[name=name]", "李四")
        page.click("button[type=submit]")
        expect(page.locator("#step_who")).to_be_visible()
        expect(page.locator("#step_contacts")).to_be_visible()
        expect(page.locator("#checklist")).to_be_visible()
        expect(page.locator(".stepper")).to_be_hidden()
        expect(page.locator(".drop-hint")).to_be_visible()
        assert axe_problems(page) == []
        page.set_input_files("input.gallery", str(tmp_path / "工资条.jpg"))
        expect(page.locator(".card")).to_have_count(1)
        expect(page.locator(".card.is-reading")).to_have_count(0, timeout=60_000)
        assert axe_problems(page) == []
        page.screenshot(path=str(SHOTS / "desktop-case.png"), full_page=True)
        browser.close()


def test_the_phone_flow_works_without_javascript(server: tuple[str, Path], tmp_path: Path) -> None:
    """This test ensures with JavaScript off a phone can still create a case, upload through
    the gallery picker and the 上传 button, and go step to step by plain form posts (saved)."""
    from playwright.sync_api import expect, sync_playwright

    url, inbox = server
    save_phone_jpeg(tmp_path / "工资条.jpg", 1, (600, 800))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(**PHONE, java_script_enabled=False)
        page = context.new_page()
        page.goto(url)
        page.fill("input[name=name]", "wang")
        page.click("button[type=submit]")
        page.set_input_files("input.gallery", str(tmp_path / "工资条.jpg"))
        page.click("#files button.send")
        expect(page.locator(".card")).to_have_count(1)
        page.get_by_text("下一步：回答问题").click()
        page.fill("[name='applicant.name']", "王测试")
        page.locator("#step_who").get_by_role("button", name="保存，下一步").click()
        expect(page.locator("#step_account")).to_be_visible()
        expect(page.locator("#step_who")).to_be_hidden()
        page.screenshot(path=str(SHOTS / "phone-nojs-step2.png"))
        context.close()
        browser.close()
    assert 'name = "王测试"' in (inbox / "wang" / "case.toml").read_text(encoding="utf-8")
