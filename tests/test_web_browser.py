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
        page.click("#interview button[type=submit]")
        expect(page.locator(".msg.error").first).to_contain_text("校验码不对")
        page.locator(".field.bad").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "2-check-digit.png"))
        page.fill("[name='applicant.id_number']", "11010519491231002X")
        page.click("#interview button[type=submit]")
        expect(page.locator("#interview .notice")).to_contain_text("已保存")
        page.screenshot(path=str(SHOTS / "3-saved.png"), full_page=True)

        page.set_input_files(
            "input[type=file]",
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
        page.set_input_files("input[type=file]", str(tmp_path / "收费票据.jpg"))
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
