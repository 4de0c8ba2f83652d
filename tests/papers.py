"""Generated documents with known figures: payslips, statements, receipts, diagnoses, discharges.

Each paper is drawn once as a page (Pillow: label on the left, its value in
a column of its own to the right, or a table whose values sit below their
header) and can be saved as a photo on a desk (``tests/desk.py``), turned
on its side, or as a text PDF (WeasyPrint) with the same lines. ``facts``
lists every (field, value) the paper prints, so a test or the benchmark can
tell a fact found from one missed and from one that is not on the page.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw

from packager.demo import cjk_font
from tests.desk import desk_photo

SIZE = (1240, 1754)  # A4 at 150 ppi
LEFT, VALUE = 120, 640  # x of a label, x of its value column
Row = tuple[str, ...]  # one printed row: its cells, left to right


@dataclass(frozen=True)
class Paper:
    """A document: its title, rows of cells, and the facts it prints."""

    title: str
    rows: tuple[Row, ...]
    facts: tuple[tuple[str, float | str], ...]
    # Where each cell of a row starts (x); default: a label and a value column.
    columns: tuple[int, ...] = (LEFT, VALUE)
    extra: dict[str, str] = field(default_factory=dict)


def _yuan(amount: float) -> str:
    return f"{amount:,.2f}"


def payslip(
    net: float = 4800.0,
    month: str = "2026年10月",
    name: str = "王测试",
    pay_day: str = "2026-11-05",
) -> Paper:
    """A payslip: gross, deductions (医疗保险 among them), net pay, the pay date."""
    pension, medical, fund = 0.08, 0.02, 0.05
    gross = round(net / (1 - pension - medical - fund), 2)
    deductions = round(gross - net, 2)
    p, m = round(gross * pension, 2), round(gross * medical, 2)
    rows: tuple[Row, ...] = (
        ("姓名：" + name, "部门：行政部"),
        ("基本工资", _yuan(round(gross * 0.8, 2))),
        ("绩效工资", _yuan(round(gross - round(gross * 0.8, 2), 2))),
        ("应发合计", _yuan(gross)),
        ("养老保险", _yuan(p)),
        ("医疗保险", _yuan(m)),
        ("住房公积金", _yuan(round(deductions - p - m, 2))),
        ("扣款合计", _yuan(deductions)),
        ("实发工资", _yuan(net)),
        ("发放日期", pay_day),
    )
    _ = fund
    return Paper(
        f"工资条（{month}）",
        rows,
        (
            ("name", name),
            ("gross_pay", gross),
            ("net_pay", net),
            ("pay_month", _month(month)),
            ("pay_date", pay_day),
        ),
    )


def _month(text: str) -> str:
    year, rest = text.split("年")
    return f"{int(year):04d}-{int(rest.rstrip('月')):02d}"


def statement(credits: tuple[float, ...] = (4800.0, 4800.0), name: str = "王测试") -> Paper:
    """A bank statement: salary credits (代发工资) among spending, a balance column beside."""
    balance = 3000.0
    rows: list[Row] = [
        ("户名：" + name, "账号：****6789"),
        ("交易日期", "摘要", "交易金额", "账户余额"),
    ]
    facts: list[tuple[str, float | str]] = [("name", name)]
    month = 9
    for credit in credits:
        for day, what, amount in (
            (5, "消费", -126.5),
            (10, "代发工资", credit),
            (18, "转账支出", -800.0),
        ):
            balance = round(balance + amount, 2)
            sign = "+" if amount > 0 else "-"
            rows.append(
                (f"2026-{month:02d}-{day:02d}", what, f"{sign}{_yuan(abs(amount))}", _yuan(balance))
            )
            if what == "代发工资":
                facts.append(("salary_credit", credit))
        month += 1
    return Paper("个人账户交易明细", tuple(rows), tuple(facts), columns=(LEFT, 420, 640, 920))


def receipt(
    total: float = 640.0, name: str = "王测试", day: str = "2026年10月9日", words: str | None = None
) -> Paper:
    """A hospital receipt: items, 合计（小写） and its 大写, the invoice date."""
    import cn2an

    check = round(total * 0.3, 2)
    rows: tuple[Row, ...] = (
        ("交款人：" + name, "门诊号：A1029"),
        ("检查费", _yuan(check)),
        ("药品费", _yuan(round(total - check, 2))),
        ("合计（小写）", "¥" + _yuan(total)),
        ("合计（大写）", words or str(cn2an.an2cn(f"{total:.2f}", "rmb"))),
        ("开票日期：" + day,),
    )
    facts: tuple[tuple[str, float | str], ...] = (
        ("name", name),
        ("total", total),
        ("invoice_date", _iso(day)),
    )
    if words is None:
        facts += (("total_words", total),)
    return Paper("医疗收费票据", rows, facts)


def _iso(day: str) -> str:
    y, rest = day.split("年")
    m, d = rest.rstrip("日").split("月")
    return date(int(y), int(m), int(d)).isoformat()


def pharmacy(total: float = 236.5, name: str = "王测试") -> Paper:
    """A pharmacy list: drugs with price, quantity and amount, then 合计."""
    items = (("阿莫西林胶囊", 18.5, 2), ("布洛芬缓释胶囊", 26.0, 3), ("维生素C片", 12.5, 1))
    rows: list[Row] = [("患者：" + name,), ("药品名称", "单价", "数量", "金额")]
    spent = 0.0
    for drug, price, qty in items:
        rows.append((drug, _yuan(price), str(qty), _yuan(price * qty)))
        spent += price * qty
    rows.append(("其他药品", "", "", _yuan(round(total - spent, 2))))
    rows.append(("合计", "", "", _yuan(total)))
    return Paper(
        "药品清单",
        tuple(rows),
        (("name", name), ("total", total)),
        columns=(LEFT, 560, 760, 920),
    )


def diagnosis(name: str = "王测试", day: str = "2026年10月8日") -> Paper:
    """A diagnosis certificate: no money on it, a date."""
    rows: tuple[Row, ...] = (
        ("姓名：" + name, "性别：男"),
        ("诊断：急性阑尾炎",),
        ("诊断日期：" + day,),
        ("医嘱：术后休息两周。",),
    )
    return Paper("诊断证明书", rows, (("name", name), ("diagnosis_date", _iso(day))))


def discharge(
    name: str = "王测试", admitted: str = "2026-10-08", left: str = "2026-10-22"
) -> Paper:
    """A discharge summary: admission and discharge dates below their labels."""
    rows: tuple[Row, ...] = (
        ("患者姓名：" + name,),
        ("入院日期", "出院日期"),
        (admitted, left),
        ("出院诊断：急性阑尾炎（已手术）",),
    )
    return Paper(
        "出院小结",
        rows,
        (("name", name), ("admission_date", admitted), ("discharge_date", left)),
        columns=(LEFT, 640),
    )


def blank_letter() -> Paper:
    """A page of words with no figure a rule reads: it must give no fact."""
    rows: tuple[Row, ...] = (
        ("本人因病住院，其间无法工作。",),
        ("现已康复并恢复工作。",),
        ("特此说明。",),
    )
    return Paper("情况说明", rows, ())


# --- as pages, photos and PDFs ------------------------------------------------------


def page(paper: Paper) -> Image.Image:
    """The paper drawn flat (A4 at 150 ppi)."""
    im = Image.new("RGB", SIZE, (248, 247, 242))
    draw = ImageDraw.Draw(im)
    draw.text(
        (SIZE[0] // 2, 130),
        paper.title,
        font=cjk_font(60, bold=True),
        fill=(20, 20, 20),
        anchor="mm",
    )
    body = cjk_font(36)
    y = 260
    for row in paper.rows:
        for x, cell in zip(paper.columns, row, strict=False):
            draw.text((x, y), cell, font=body, fill=(25, 25, 25))
        y += 78
    return im


def _jpeg(im: Image.Image, quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def photo(paper: Paper, seed: int = 0, turn: int = 0) -> bytes:
    """A phone photo of the paper on a desk; ``turn`` 90 or 270: the paper lay on its side (EXIF 1)."""
    data = desk_photo(seed, page=page(paper).resize((SIZE[0] * 2, SIZE[1] * 2))).data
    if not turn:
        return data
    shot = Image.open(io.BytesIO(data))
    return _jpeg(shot.rotate(-turn, expand=True))


def text_pdf(paper: Paper, path: Path) -> None:
    """The same paper as a text PDF (a bank's or a hospital's download)."""
    from weasyprint import HTML

    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in paper.rows)
    HTML(
        string=f"""<html lang="zh-CN"><head><meta charset="utf-8"><style>
        @page {{ size: A4; margin: 20mm; }}
        body {{ font-family: "Noto Sans CJK SC"; font-size: 12pt; }}
        td {{ padding: 4pt 12pt 4pt 0; }}</style></head><body>
        <h2>{paper.title}</h2><table>{cells}</table></body></html>"""
    ).write_pdf(path)


def writer(paper: Paper, how: str, seed: int = 0) -> Callable[[Path], None]:
    """A case_factory writer: ``how`` is "pdf", "photo", "turned" or "scan" (a flat PNG)."""

    def write(path: Path) -> None:
        if how == "pdf":
            text_pdf(paper, path)
        elif how == "scan":
            page(paper).save(path, "PNG", dpi=(150, 150))
        else:
            path.write_bytes(photo(paper, seed, 90 if how == "turned" else 0))

    return write
