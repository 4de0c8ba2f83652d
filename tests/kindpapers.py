"""Generated papers with the titles, table headers and stamps real Chinese papers carry.

Each paper is drawn as a scan (Pillow) together with the lines where they were
drawn (the boxes an OCR engine would give, for fast tests without OCR), or
written as a text PDF (WeasyPrint), in Simplified or Traditional characters
(OpenCC, Taiwan wording). The set holds distractors on purpose: a payslip's
医疗保险, a statement's 医院 row, a lab report's table without 金额, a receipt
from a hospital, a prescription's 药品金额, a death certificate a hospital
issues, and papers of none of our kinds (an exam, a book page, an envelope, a
form about something else, a menu with prices).
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from packager.demo import cjk_font
from packager.hant import HANT_TW, to_hant
from packager.models import Kind, Line, PageText

HANS, HANT = "zh-Hans", HANT_TW
INK, SEAL, GREY = (25, 25, 25), (205, 30, 30), (120, 120, 120)


@dataclass(frozen=True, slots=True)
class Paper:
    """One document: what it is (``kind`` None: none of ours) and what it prints, top to bottom."""

    name: str
    kind: Kind | None
    heading: tuple[str, ...] = ()  # large centred lines: the issuer, then the title
    lines: tuple[str, ...] = ()  # body lines above the table
    table: tuple[tuple[str, ...], ...] = ()  # the header row first
    after: tuple[str, ...] = ()  # lines below the table
    stamp: tuple[str, ...] = ()  # a red seal's text, e.g. ("某某医院", "财务专用章")
    chat: tuple[tuple[str, str], ...] = ()  # a phone screenshot: ("L"|"R", bubble text)
    bar: str = ""  # a screenshot's title bar
    size: tuple[int, int] = (1240, 1754)


def _say(text: str, script: str) -> str:
    return to_hant(text, script) if script != HANS else text


def draw(paper: Paper, script: str = HANS) -> tuple[Image.Image, PageText]:
    """The paper as a flat scan, and the lines as drawn (text, box) for tests without OCR."""
    if paper.chat:
        return _screenshot(paper, script)
    w, h = paper.size
    im = Image.new("RGB", paper.size, (250, 249, 245))
    d = ImageDraw.Draw(im)
    drawn: list[Line] = []

    def put(xy: tuple[float, float], text: str, size: int, fill=INK, anchor="la", bold=False):
        text = _say(text, script)
        font = cjk_font(size, bold=bold)
        d.text(xy, text, font=font, fill=fill, anchor=anchor)
        box = d.textbbox(xy, text, font=font, anchor=anchor)
        drawn.append(Line(text, tuple(float(v) for v in box), 0.99))  # type: ignore[arg-type]

    y = 90
    for n, text in enumerate(paper.heading):
        size = 44 if n < len(paper.heading) - 1 else 60
        put((w / 2, y), text, size, anchor="mt", bold=True)
        y += size + 34
    y += 20
    for text in paper.lines:
        put((100, y), text, 30)
        y += 52
    if paper.table:
        y += 10
        cols = len(paper.table[0])
        step = (w - 200) / cols
        d.line((100, y - 10, w - 100, y - 10), fill=INK, width=2)
        for r, row in enumerate(paper.table):
            for c, cell in enumerate(row):
                if cell:
                    put((100 + c * step + 6, y), cell, 28, bold=r == 0)
            y += 50
            if r == 0:
                d.line((100, y - 10, w - 100, y - 10), fill=INK, width=1)
        d.line((100, y - 4, w - 100, y - 4), fill=INK, width=2)
        y += 24
    for text in paper.after:
        put((100, y), text, 30)
        y += 52
    if paper.stamp:
        cx, cy = w - 330, min(y + 110, h - 200)
        d.ellipse((cx - 130, cy - 130, cx + 130, cy + 130), outline=SEAL, width=7)
        d.text((cx, cy - 52), "★", font=cjk_font(40), fill=SEAL, anchor="mm")
        for n, text in enumerate(paper.stamp):
            size = 26 if len(text) > 8 else 30
            put((cx, cy + n * 42), text, size, fill=SEAL, anchor="mm", bold=True)
    return im, PageText(tuple(drawn), paper.size)


def _screenshot(paper: Paper, script: str) -> tuple[Image.Image, PageText]:
    """A phone screenshot: status bar, a title bar, bubbles left (theirs) and right (yours)."""
    w, h = 750, 1624
    im = Image.new("RGB", (w, h), (237, 237, 237))
    d = ImageDraw.Draw(im)
    drawn: list[Line] = []

    def put(xy: tuple[float, float], text: str, size: int, anchor: str = "la") -> None:
        text = _say(text, script)
        font = cjk_font(size)
        d.text(xy, text, font=font, fill=INK, anchor=anchor)
        box = d.textbbox(xy, text, font=font, anchor=anchor)
        drawn.append(Line(text, tuple(float(v) for v in box), 0.99))  # type: ignore[arg-type]

    put((40, 22), "10:24", 30)
    put((w - 40, 22), "5G 85%", 26, anchor="ra")
    d.rectangle((0, 80, w, 180), fill=(247, 247, 247))
    if paper.bar:
        put((w / 2, 112), paper.bar, 34, anchor="mt")
    y = 230
    for side, text in paper.chat:
        font = cjk_font(30)
        tw = d.textlength(_say(text, script), font=font)
        if side == "L":
            d.rounded_rectangle((120, y - 18, 120 + tw + 48, y + 52), 14, fill=(255, 255, 255))
            d.ellipse((24, y - 18, 96, y + 54), fill=(90, 140, 220))
            put((144, y), text, 30)
        else:
            d.rounded_rectangle((w - 168 - tw, y - 18, w - 120, y + 52), 14, fill=(149, 236, 105))
            d.ellipse((w - 96, y - 18, w - 24, y + 54), fill=(220, 160, 90))
            put((w - 144, y), text, 30, anchor="ra")
        y += 120
    d.rectangle((0, h - 120, w, h), fill=(247, 247, 247))
    return im, PageText(tuple(drawn), (w, h))


def pdf(paper: Paper, script: str = HANS) -> bytes:
    """The paper as a text PDF (WeasyPrint): the same words, a real text layer."""
    from weasyprint import HTML

    def say(text: str) -> str:
        return html.escape(_say(text, script))

    parts = [f'<p class="org">{say(t)}</p>' for t in paper.heading[:-1]]
    if paper.heading:
        parts.append(f"<h1>{say(paper.heading[-1])}</h1>")
    parts += [f"<p>{say(t)}</p>" for t in paper.lines]
    if paper.table:
        head, *rows = paper.table
        parts.append("<table><tr>" + "".join(f"<th>{say(c)}</th>" for c in head) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{say(c)}</td>" for c in row) + "</tr>" for row in rows]
        parts.append("</table>")
    parts += [f"<p>{say(t)}</p>" for t in paper.after]
    if paper.stamp:
        parts.append('<div class="seal">' + "<br>".join(say(t) for t in paper.stamp) + "</div>")
    for side, text in paper.chat:
        parts.append(f'<p class="{side}">{say(text)}</p>')
    css = (
        "@page{size:A4;margin:18mm}body{font-family:'Noto Sans CJK SC';font-size:11pt}"
        ".org{text-align:center;font-size:15pt;margin:0}h1{text-align:center;font-size:20pt}"
        "table{width:100%;border-collapse:collapse}th,td{border:1px solid #333;padding:3pt}"
        ".seal{color:#c22;border:3px solid #c22;border-radius:50%;width:45mm;height:45mm;"
        "text-align:center;padding-top:16mm;margin-left:110mm;box-sizing:border-box}"
        ".R{text-align:right}"
    )
    doc = f"<html><head><style>{css}</style></head><body>{''.join(parts)}</body></html>"
    out = io.BytesIO()
    HTML(string=doc).write_pdf(out)
    return out.getvalue()


def save(paper: Paper, folder: Path, script: str = HANS, as_pdf: bool = False) -> Path:
    """Write the paper as a phone would name it: a JPEG scan, or a PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    tag = "t" if script != HANS else "s"
    if as_pdf:
        path = folder / f"{paper.name}-{tag}.pdf"
        path.write_bytes(pdf(paper, script))
        return path
    im, _ = draw(paper, script)
    path = folder / f"{paper.name}-{tag}.{'png' if paper.chat else 'jpg'}"
    if paper.chat:
        im.save(path)
    else:
        im.save(path, "JPEG", quality=88, dpi=(150, 150))
    return path


HOSPITAL = "某某市第一人民医院"

PAPERS: tuple[Paper, ...] = (
    # ------------------------------------------------------------------ medical
    Paper(
        "lab_report",
        Kind.MEDICAL,
        heading=(HOSPITAL, "检验报告单"),
        lines=(
            "姓名：王测试  性别：男  年龄：38岁  科别：呼吸内科",
            "标本类型：静脉血  床号：12  临床诊断：社区获得性肺炎",
        ),
        table=(
            ("检验项目", "结果", "参考范围", "单位"),
            ("白细胞计数 WBC", "11.2 ↑", "3.5-9.5", "10^9/L"),
            ("中性粒细胞百分比", "82.1 ↑", "40-75", "%"),
            ("血红蛋白 HGB", "136", "130-175", "g/L"),
            ("血小板计数 PLT", "210", "125-350", "10^9/L"),
        ),
        after=("送检医生：李某  检验者：张某  审核者：赵某", "报告日期：2026-10-12"),
    ),
    Paper(
        "lab_sheet_no_title",
        Kind.MEDICAL,
        heading=(HOSPITAL,),
        lines=("姓名：王测试  样本编号：20261012-031", "送检科室：消化内科"),
        table=(
            ("项目", "结果", "单位", "参考值"),
            ("谷丙转氨酶 ALT", "86 ↑", "U/L", "9-50"),
            ("谷草转氨酶 AST", "61 ↑", "U/L", "15-40"),
            ("肌酐 CREA", "78", "umol/L", "57-111"),
        ),
        after=("本报告仅对所检标本负责",),
    ),
    Paper(
        "prescription",
        Kind.MEDICAL,
        heading=(HOSPITAL, "门诊处方笺"),
        lines=(
            "费别：医保  科别：内科  门诊号：0012345",
            "姓名：王测试  性别：男  年龄：38岁",
            "临床诊断：急性支气管炎",
            "Rp.",
            "阿莫西林胶囊 0.25g×24粒  用法：口服 每次2粒 每日3次",
            "复方甘草片 100片  用法：口服 每次3片 每日3次",
        ),
        after=("医师：李某某    药品金额：36.50元", "审核：    调配：    核对：    发药："),
    ),
    Paper(
        "diagnosis",
        Kind.MEDICAL,
        heading=(HOSPITAL, "诊断证明书"),
        lines=(
            "姓名：王测试  性别：男  年龄：38岁  门诊号：0012345",
            "诊断：腰椎间盘突出症",
            "建议：卧床休息，全休一个月，避免重体力劳动。",
        ),
        after=("医师签名：李某某", "2026年10月15日"),
        stamp=(HOSPITAL, "诊断证明专用章"),
    ),
    Paper(
        "discharge",
        Kind.MEDICAL,
        heading=(HOSPITAL, "出院小结"),
        lines=(
            "姓名：王测试  住院号：A2026101  科室：普外科",
            "入院日期：2026年10月3日  出院日期：2026年10月24日",
            "入院诊断：急性阑尾炎",
            "出院诊断：急性化脓性阑尾炎（术后）",
            "治疗经过：入院后完善检查，于10月4日行腹腔镜阑尾切除术。",
            "出院医嘱：注意休息，一月内避免剧烈活动，定期复查。",
        ),
        after=("主治医师：李某某",),
    ),
    Paper(
        "imaging",
        Kind.MEDICAL,
        heading=(HOSPITAL, "CT检查报告单"),
        lines=(
            "姓名：王测试  检查号：CT2026-8812  检查部位：腰椎",
            "检查所见：L4/5椎间盘向后突出，硬膜囊受压。",
            "诊断意见：L4/5椎间盘突出。",
        ),
        after=("报告医师：周某  审核医师：吴某",),
    ),
    Paper(
        "outpatient_record",
        Kind.MEDICAL,
        heading=(HOSPITAL, "门诊病历"),
        lines=(
            "主诉：腰痛伴左下肢麻木两周。",
            "现病史：两周前搬重物后出现腰痛，逐渐加重。",
            "既往史：体健。",
            "体格检查：L4/5棘突旁压痛，直腿抬高试验阳性。",
            "初步诊断：腰椎间盘突出症",
            "处理：卧床休息，口服止痛药，建议复查MRI。",
        ),
    ),
    Paper(
        "sick_leave",
        Kind.MEDICAL,
        heading=("病假证明",),
        lines=(
            "王测试同志因病于2026年10月就诊，",
            "经诊断为：重度抑郁发作，",
            "建议休息三十天。",
        ),
        after=("医生：钱某某", "某某区中心医院门诊部"),
    ),
    # ------------------------------------------------------------------ expenses
    Paper(
        "hospital_receipt",
        Kind.EXPENSES,
        heading=("某某省医疗门诊收费票据（电子）",),
        lines=(
            "交款人：王测试  医保类型：职工医保",
            f"开票单位：{HOSPITAL}  科室：呼吸内科",
        ),
        table=(
            ("项目名称", "数量", "单价", "金额（元）"),
            ("西药费", "1", "236.00", "236.00"),
            ("检查费", "1", "180.00", "180.00"),
            ("化验费", "1", "95.00", "95.00"),
        ),
        after=("合计（大写）伍佰壹拾壹元整  ￥511.00", "医保统筹支付：302.00  个人自付：209.00"),
        stamp=(HOSPITAL, "财务专用章"),
    ),
    Paper(
        "inpatient_bill",
        Kind.EXPENSES,
        heading=(HOSPITAL, "住院费用清单"),
        lines=("姓名：王测试  住院号：A2026101  床号：15  科室：普外科", "诊断：急性阑尾炎"),
        table=(
            ("项目名称", "规格", "单位", "数量", "单价", "金额"),
            ("头孢唑林钠注射液", "1g", "支", "6", "12.50", "75.00"),
            ("腹腔镜阑尾切除术", "", "次", "1", "2800.00", "2800.00"),
            ("床位费", "", "日", "21", "60.00", "1260.00"),
        ),
        after=("费用合计：4135.00元",),
    ),
    Paper(
        "vat_invoice",
        Kind.EXPENSES,
        heading=("电子发票（普通发票）",),
        lines=(
            "发票号码：26112000000012345678  开票日期：2026年11月02日",
            "购买方名称：王测试  销售方名称：某某药业连锁有限公司",
            "纳税人识别号：91330100MA2XXXXXXX",
        ),
        table=(
            ("项目名称", "数量", "单价", "金额", "税率", "税额"),
            ("*西药*布洛芬缓释胶囊", "2", "22.12", "44.25", "13%", "5.75"),
        ),
        after=("价税合计（大写）伍拾元整  （小写）￥50.00", "开票人：孙某"),
        stamp=("某某药业连锁有限公司", "发票专用章"),
    ),
    Paper(
        "train_ticket",
        Kind.EXPENSES,
        lines=(
            "E123456789  检票：12A",
            "北京南站   G101   上海虹桥站",
            "2026年11月20日 08:00开   05车12A号",
            "￥553.0元   网   二等座",
            "限乘当日当次车",
            "1101051949****002X 王测试",
            "买票请到12306 发货请到95306",
            "中国铁路祝您旅途愉快",
        ),
        size=(1240, 820),
    ),
    Paper(
        "pos_slip",
        Kind.EXPENSES,
        heading=("银联POS签购单",),
        lines=(
            "商户存根 MERCHANT COPY",
            "商户名称：某某大药房",
            "商户编号：898330154110001",
            "终端编号：10293847",
            "卡号：6222 **** **** 7890",
            "交易类型：消费 SALE",
            "参考号：123456789012",
            "金额 AMOUNT：RMB 268.00",
            "持卡人签名 CARDHOLDER SIGNATURE",
        ),
        size=(760, 1500),
    ),
    Paper(
        "electricity_bill",
        Kind.EXPENSES,
        heading=("国网某某供电公司", "电费缴费通知单"),
        lines=(
            "户号：3301234567  户名：王测试",
            "用电地址：某某市某某路1号",
            "本期用电量：312千瓦时",
            "本期电费：186.40元",
            "请于2026年12月10日前缴清。",
        ),
    ),
    Paper(
        "receipt",
        Kind.EXPENSES,
        heading=("收款收据",),
        lines=(
            "今收到：王测试",
            "交来：2026年11月房租",
            "人民币（大写）：贰仟伍佰元整  ￥2500.00",
            "收款人：周某",
        ),
        stamp=("某某房屋租赁有限公司", "财务专用章"),
        size=(1240, 900),
    ),
    Paper(
        "pharmacy_list",
        Kind.EXPENSES,
        heading=("某某大药房", "药品清单"),
        table=(
            ("品名", "规格", "数量", "单价", "金额"),
            ("阿莫西林胶囊", "0.25g*24", "2", "18.00", "36.00"),
            ("复方甘草片", "100片", "1", "9.50", "9.50"),
        ),
        after=("合计：45.50元  支付方式：微信",),
    ),
    # ------------------------------------------------------------------ income
    Paper(
        "payslip",
        Kind.INCOME,
        heading=("某某科技有限公司", "工资条（2026年10月）"),
        lines=("姓名：王测试  部门：技术部",),
        table=(
            ("基本工资", "绩效", "应发工资", "医疗保险", "养老保险", "实发工资"),
            ("5000.00", "1000.00", "6000.00", "120.00", "480.00", "4800.00"),
        ),
        after=("失业保险：30.00  住房公积金：420.00  个人所得税：0.00",),
    ),
    Paper(
        "bank_statement",
        Kind.INCOME,
        heading=("中国某某银行", "个人账户交易明细"),
        lines=("户名：王测试  账号：6222 **** **** 7890", "起止日期：2026-08-01 至 2026-10-31"),
        table=(
            ("交易日期", "摘要", "收入", "支出", "余额", "对方户名"),
            ("2026-08-10", "代发工资", "4800.00", "", "5320.10", "某某科技有限公司"),
            ("2026-08-15", "消费", "", "350.00", "4970.10", HOSPITAL),
            ("2026-09-10", "代发工资", "4800.00", "", "9102.33", "某某科技有限公司"),
        ),
    ),
    Paper(
        "income_certificate",
        Kind.INCOME,
        heading=("收入证明",),
        lines=(
            "兹证明王测试（身份证号：110105********002X）为我公司员工，",
            "自2020年3月起在我公司技术部工作，",
            "近一年月平均收入为人民币陆仟元整（￥6000.00）。",
            "特此证明。",
        ),
        stamp=("某某科技有限公司", "人事专用章"),
        size=(1240, 1200),
    ),
    Paper(
        "tax_record",
        Kind.INCOME,
        heading=("个人所得税纳税记录",),
        lines=("纳税人姓名：王测试  纳税人识别号：110105********002X",),
        table=(
            ("税款所属期", "所得项目", "扣缴义务人", "实缴(退)金额"),
            ("2026-09", "工资薪金所得", "某某科技有限公司", "36.00"),
            ("2026-10", "工资薪金所得", "某某科技有限公司", "36.00"),
        ),
    ),
    Paper(
        "social_insurance",
        Kind.INCOME,
        heading=("社会保险个人缴费明细",),
        lines=("姓名：王测试  参保单位：某某科技有限公司",),
        table=(
            ("缴费年月", "险种", "缴费基数", "个人缴纳"),
            ("2026-09", "养老保险", "6000", "480.00"),
            ("2026-09", "医疗保险", "6000", "120.00"),
        ),
        after=("参保缴费明细仅供参考",),
    ),
    Paper(
        "bank_advice",
        Kind.INCOME,
        heading=("中国某某银行", "电子回单"),
        lines=(
            "付款人：某某科技有限公司",
            "收款人：王测试",
            "金额：人民币4800.00元",
            "用途：代发工资 2026年10月",
        ),
        stamp=("中国某某银行", "电子回单专用章"),
        size=(1240, 1100),
    ),
    # ------------------------------------------------------------------ circumstances
    Paper(
        "resignation",
        Kind.CIRCUMSTANCES,
        heading=("离职证明",),
        lines=(
            "兹证明王测试自2020年3月1日至2026年9月30日在我公司任职，",
            "因公司经营调整，双方于2026年9月30日解除劳动关系。",
            "特此证明。",
        ),
        stamp=("某某科技有限公司", "人事专用章"),
        size=(1240, 1100),
    ),
    Paper(
        "termination",
        Kind.CIRCUMSTANCES,
        heading=("解除劳动合同证明书",),
        lines=("王测试，身份证号110105********002X，", "与本单位于2026年9月30日解除劳动合同。"),
        size=(1240, 900),
    ),
    Paper(
        "unemployment",
        Kind.CIRCUMSTANCES,
        heading=("某某市人力资源和社会保障局", "失业登记证明"),
        lines=(
            "王测试于2026年10月8日办理失业登记，",
            "现处于失业状态，按规定领取失业保险金。",
        ),
        size=(1240, 1000),
    ),
    Paper(
        "committee_letter",
        Kind.CIRCUMSTANCES,
        heading=("情况说明",),
        lines=(
            "兹有我社区居民王测试，家住某某小区3栋。",
            "其配偶于2026年患重病住院，家庭收入中断，生活困难。",
            "情况属实，特此证明。",
        ),
        after=("某某街道某某社区居民委员会",),
        stamp=("某某社区居民委员会",),
    ),
    Paper(
        "death_certificate",
        Kind.CIRCUMSTANCES,
        heading=("居民死亡医学证明（推断）书",),
        lines=(
            "死者姓名：王某某  性别：男  年龄：67岁",
            "死亡日期：2026年9月2日  死亡地点：医院",
            "直接死亡原因：急性心肌梗死",
            f"医师签名：李某某  单位：{HOSPITAL}",
        ),
    ),
    Paper(
        "accident",
        Kind.CIRCUMSTANCES,
        heading=("道路交通事故认定书",),
        lines=(
            "事故时间：2026年8月12日18时20分",
            "当事人：王测试，驾驶电动自行车",
            "王测试无责任。",
        ),
        stamp=("某某市公安局交通警察支队",),
    ),
    # ------------------------------------------------------------------ communication
    Paper(
        "chat_service",
        Kind.COMMUNICATION,
        bar="在线客服",
        chat=(
            ("L", "您好，请问有什么可以帮您？"),
            ("R", "我想申请协商还款"),
            ("L", "请提供收入证明和情况说明"),
            ("R", "好的，我整理后提交"),
            ("L", "已为您登记工单，三个工作日内回复"),
        ),
    ),
    Paper(
        "chat_few_words",
        Kind.COMMUNICATION,
        bar="小李",
        chat=(
            ("L", "在吗"),
            ("R", "在的"),
            ("L", "钱的事怎么样了"),
            ("R", "下个月再说吧"),
            ("L", "好吧"),
            ("R", "谢谢理解"),
        ),
    ),
    Paper(
        "call_log",
        Kind.COMMUNICATION,
        heading=("通话记录",),
        table=(
            ("通话时间", "对方号码", "通话时长", "呼叫类型"),
            ("2026-11-22 10:15", "95188", "12分30秒", "呼出"),
            ("2026-11-25 14:02", "95188", "8分02秒", "呼入"),
        ),
    ),
    # ------------------------------------------------------------------ none of ours
    Paper(
        "exam",
        None,
        heading=("2026年普通高等学校招生全国统一考试",),
        lines=(
            "绝密★启用前",
            "数学",
            "注意事项：1. 答卷前，考生务必将自己的姓名、考生号填写在答题卡上。",
            "一、选择题：本题共8小题，每小题5分，共40分。",
            "1. 某医院有医生20人，护士30人，则医生占全体的比例为",
        ),
    ),
    Paper(
        "book_page",
        None,
        lines=(
            "第三章  习惯是怎样养成的",
            "在上一章，我们讨论了动机与能力的关系。",
            "比如，你每天都能在早上六点起床去跑步，",
            "但是一到星期天就做不到了。",
            "这是因为，星期天的时候，你的运动动机并不强。",
            "56",
        ),
    ),
    Paper(
        "envelope",
        None,
        lines=(
            "邮政编码 310000",
            "浙江省杭州市某某路100号",
            "某某公司 收",
            "贴邮票处",
            "寄件人地址：北京市朝阳区测试路1号  邮编：100020",
        ),
        size=(1600, 900),
    ),
    Paper(
        "practice_form",
        None,
        heading=("某某市中学生社会实践活动登记表",),
        table=(
            ("学校", "年级", "姓名", "班级"),
            ("实践时间", "实践地点", "实践内容", "指导老师"),
        ),
        after=("实践形式：社区服务 / 公益劳动 / 志愿者活动",),
    ),
    Paper(
        "menu",
        None,
        heading=("某某小馆", "菜单"),
        table=(
            ("菜名", "价格"),
            ("宫保鸡丁", "38元"),
            ("鱼香肉丝", "32元"),
            ("米饭", "2元"),
        ),
    ),
)
