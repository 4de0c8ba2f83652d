"""The bundled example case: a fictional person, documents drawn at run time.

Everything here is obviously fake (示例 watermark, the textbook ID number
11010519491231002X, the phone number 13800138000). The photos are drawn with
Pillow and saved the way phones save them: sideways pixels plus an EXIF
orientation tag, so the demo shows that pages come out upright.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from packager.pdf import cjkfont

CASE_TOML = """\
# 示例案件：所有信息均为虚构。
[applicant]
name = "李示例"
id_number = "11010519491231002X"
phone = "13800138000"
address = "北京市朝阳区示例路 1 号 2 单元 301 室"

[account]
platform = "支付宝"
product = "花呗"
account = "li***@example.com"
credit_limit = 10000.00
amount_owed = 3800.00
overdue_since = {overdue}
recipient = "支付宝（中国）网络技术有限公司 客户服务中心"
mailing_address = "浙江省杭州市西湖区示例大道 100 号"

[request]
plan = "一次性偿还本金"
reason = "疾病"
statement = \"\"\"今年 10 月本人因急性阑尾炎住院手术，住院及术后休养共计三周，其间无法工作，当月工资仅发放基本部分，医疗费用又支出了 6,200 元，导致花呗账单未能按期还款。
目前本人已康复并恢复工作，收入稳定。本人希望一次性偿还欠款本金，恳请减免逾期产生的利息和罚息。\"\"\"

[[contact]]
date = {contact}
channel = "电话"
reference = "工单 20261122-0001"
summary = "说明住院情况，客服建议通过 App 提交协商材料"
"""


def cjk_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A Simplified-Chinese face for drawing the sample documents."""
    family = "Noto Sans CJK SC:style=Bold" if bold else "Noto Sans CJK SC"
    found = cjkfont.matched(f"{family}:lang=zh-cn")
    try:
        if found is not None:
            return ImageFont.truetype(str(found[0]), size, index=found[1])
    except OSError:
        pass
    return ImageFont.load_default(size)


def paper(
    title: str,
    lines: list[str],
    size: tuple[int, int] = (1240, 1754),
    tint: tuple[int, int, int] = (246, 244, 238),
) -> Image.Image:
    """A document page: title, lines of text, a red seal and a 示例 watermark."""
    im = Image.new("RGB", size, tint)
    draw = ImageDraw.Draw(im)
    w, _ = size
    draw.text((w // 2, 110), title, font=cjk_font(64, bold=True), fill=(20, 20, 20), anchor="mm")
    body = cjk_font(34)
    y = 230
    for line in lines:
        draw.text((110, y), line, font=body, fill=(30, 30, 30))
        y += 62
    cx, cy = w - 300, y + 90
    draw.ellipse((cx - 110, cy - 110, cx + 110, cy + 110), outline=(200, 30, 30), width=8)
    draw.text((cx, cy), "示例专用章", font=cjk_font(30, bold=True), fill=(200, 30, 30), anchor="mm")
    mark = cjk_font(40, bold=True)
    draw.text(
        (w // 2, size[1] - 80),
        "示例 · 虚构数据 · 仅供演示",
        font=mark,
        fill=(160, 160, 160),
        anchor="mm",
    )
    return im


def save_as_phone_photo(im: Image.Image, path: Path, orientation: int) -> None:
    """Store pixels as the sensor saw them, with the EXIF tag that turns them upright."""
    stored = {
        1: im,
        3: im.transpose(Image.Transpose.ROTATE_180),
        6: im.transpose(Image.Transpose.ROTATE_90),
        8: im.transpose(Image.Transpose.ROTATE_270),
    }[orientation]
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored.save(path, "JPEG", quality=88, exif=exif, dpi=(72, 72))


def statement_pdf(path: Path, today: date) -> None:
    """A two-page bank statement, as a bank's website would let you download it."""
    from weasyprint import HTML

    rows = []
    for i in range(44):
        day = today - timedelta(days=88 - 2 * i)
        amount = "+8,500.00" if day.day == 10 else f"-{(37 * i) % 300 + 18:.2f}"
        text = "工资" if day.day == 10 else ("餐饮" if i % 3 else "医疗")
        rows.append(f"<tr><td>{day.isoformat()}</td><td>{text}</td><td>{amount}</td></tr>")
    html = f"""<html lang="zh-CN"><head><meta charset="utf-8"><style>
      @page {{ size: A4; margin: 20mm; }}
      body {{ font-family: "Noto Sans CJK SC"; font-size: 11pt; }}
      table {{ width: 100%; border-collapse: collapse; }}
      td, th {{ border-bottom: 0.5pt solid #999; padding: 4pt; }}
      .fake {{ color: #999; }}</style></head><body>
      <h2>示例银行 个人账户交易明细</h2>
      <p>户名：李示例　账号：****7890　<span class="fake">示例 · 虚构数据</span></p>
      <table><tr><th>日期</th><th>摘要</th><th>金额（元）</th></tr>{"".join(rows)}</table>
      </body></html>"""
    HTML(string=html).write_pdf(path)


def chat_screenshot(path: Path) -> None:
    """A phone screenshot of a chat with customer service (1080 wide, PNG)."""
    im = Image.new("RGB", (1080, 1920), (237, 237, 237))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, 1080, 150), fill=(30, 120, 255))
    draw.text((540, 95), "在线客服", font=cjk_font(44, bold=True), fill="white", anchor="mm")
    font = cjk_font(36)
    talk = [
        ("客服", "您好，请问有什么可以帮您？"),
        ("我", "我因住院手术逾期了几天，想协商还款。"),
        ("客服", "理解您的情况。请准备收入证明、支出明细和"),
        ("客服", "疾病证明，通过 App 提交协商申请。"),
        ("我", "好的，我整理好材料后马上提交，谢谢。"),
    ]
    y = 220
    for who, text in talk:
        mine = who == "我"
        box = (380, y, 1040, y + 110) if mine else (40, y, 880, y + 110)
        draw.rounded_rectangle(box, 18, fill=(149, 236, 105) if mine else "white")
        draw.text((box[0] + 30, y + 34), text, font=font, fill=(20, 20, 20))
        y += 170
    draw.text((540, 1840), "示例 · 虚构数据", font=cjk_font(32), fill=(150, 150, 150), anchor="mm")
    im.save(path, "PNG")


def write_demo_case(case_dir: Path, today: date) -> Path:
    """Create the example case folder (overwriting a previous demo folder)."""
    if case_dir.exists():
        shutil.rmtree(case_dir)
    for folder in ("收入证明", "支出明细", "疾病证明", "沟通记录"):
        (case_dir / folder).mkdir(parents=True)
    overdue = today - timedelta(days=8)
    (case_dir / "case.toml").write_text(
        CASE_TOML.format(
            overdue=overdue.isoformat(), contact=(today - timedelta(days=6)).isoformat()
        ),
        encoding="utf-8",
    )
    payslip = paper(
        "工资条（2026年10月）",
        [
            "姓名：李示例　　部门：示例部",
            "基本工资：4,000.00 元",
            "绩效工资：0.00 元（病假）",
            "应发合计：4,000.00 元",
            "实发合计：3,520.00 元",
            "备注：10 月病假 15 天",
        ],
    )
    save_as_phone_photo(payslip, case_dir / "收入证明" / "工资条-2026年10月.jpg", 6)
    statement_pdf(case_dir / "收入证明" / "银行流水.pdf", today)
    receipt = paper(
        "医疗费用收据",
        [
            "患者：李示例",
            "住院号：示例-0001",
            "手术费：3,100.00 元",
            "住院费：2,400.00 元",
            "药品费：700.00 元",
            "合计：6,200.00 元",
        ],
        size=(1240, 1000),
    )
    # Scanned at 150 dpi: shown at its real size, as a scanned receipt should be.
    receipt.save(case_dir / "支出明细" / "医疗费用收据.png", "PNG", dpi=(150, 150))
    diagnosis = paper(
        "诊断证明书",
        [
            "姓名：李示例　性别：男",
            "诊断：急性阑尾炎（已手术）",
            "住院日期：2026年10月8日至10月22日",
            "医嘱：术后休息两周，避免劳累。",
            "示例医院 普外科",
        ],
    )
    save_as_phone_photo(diagnosis, case_dir / "疾病证明" / "诊断证明.jpg", 3)
    chat_screenshot(case_dir / "沟通记录" / "客服聊天记录.png")
    return case_dir
