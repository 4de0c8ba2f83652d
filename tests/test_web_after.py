"""The web page's last step, 提交之后: [submission] and [agreement] answered and saved."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.test_web_flow import ANSWERS
from tests.webkit import client, config, new_case


def test_after_sending_fields_are_saved_and_shown(tmp_path: Path) -> None:
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        new_case(c, token)
        page = c.get("/cases/wang?step=step_after")
        assert "8. 提交之后" in page.text and 'name="submission.tracking"' in page.text
        assert "网上上传" in page.text and "邮寄单号" in page.text
        after = {
            "submission.date": "2026-11-30",
            "submission.channel": "mail",
            "submission.tracking": "EA123456789CN",
            "agreement.total": "7,600",
            "agreement.installments": "12",
            "agreement.first_due": "2027-01-10",
        }
        r = c.post("/cases/wang/form", data={"csrf_token": token, **ANSWERS, **after})
        assert r.status_code == 200, r.text
        data = tomllib.loads((cfg.inbox / "wang" / "case.toml").read_text(encoding="utf-8"))
        assert data["submission"]["tracking"] == "EA123456789CN"
        assert data["submission"]["channel"] == "mail"
        assert str(data["submission"]["date"]) == "2026-11-30"
        assert data["agreement"]["total"] == 7600 and data["agreement"]["installments"] == 12
        bad = c.post(
            "/cases/wang/form",
            data={"csrf_token": token, **ANSWERS, "agreement.total": "很多"},
        )
        assert bad.status_code == 422
        assert "应为数字" in bad.text
