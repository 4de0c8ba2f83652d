"""One catalog of user-facing messages, keyed by stable codes.

Simplified Chinese is the default; English with ``--lang en``. Every message
names the file or field, says what is wrong and what to do. Templates use
``str.format`` fields filled from ``Finding.params``.
"""

from __future__ import annotations

from collections.abc import Mapping

from packager.models import Finding, Kind

Lang = str  # "zh" or "en"

KIND_TITLES: Mapping[Kind, Mapping[Lang, str]] = {
    Kind.INCOME: {"zh": "收入证明", "en": "Proof of income"},
    Kind.EXPENSES: {"zh": "支出明细", "en": "Expenses"},
    Kind.MEDICAL: {"zh": "疾病证明", "en": "Medical certificates"},
    Kind.CIRCUMSTANCES: {"zh": "其他情况说明", "en": "Other hardship"},
    Kind.COMMUNICATION: {"zh": "沟通记录", "en": "Record of contacts"},
}

CATALOG: Mapping[str, Mapping[Lang, str]] = {
    # --- case.toml -------------------------------------------------------
    "CASE_FILE_MISSING": {
        "zh": "找不到案件文件 {file}。请在案件文件夹中放入 case.toml（可运行 packager init {case} 生成模板）。",
        "en": "No case file at {file}. Put a case.toml in the case folder "
        "(packager init {case} writes a template).",
    },
    "CASE_FILE_UNREADABLE": {
        "zh": "无法读取 {file}：{error}。请确认文件存在且可读。",
        "en": "Cannot read {file}: {error}. Check that the file exists and is readable.",
    },
    "CASE_FILE_ENCODING": {
        "zh": "{file} 不是 UTF-8 编码。请用记事本或其他编辑器“另存为 UTF-8”后重试。",
        "en": "{file} is not UTF-8 text. Save it as UTF-8 in your editor and try again.",
    },
    "TOML_SYNTAX": {
        "zh": "{file} 第 {line} 行第 {column} 列格式有误：{error}。"
        '提示：文字要用英文双引号括起来，例如 name = "张三"。',
        "en": "{file} line {line}, column {column}: {error}. "
        'Hint: text values need double quotes, e.g. name = "Zhang San".',
    },
    "UNKNOWN_KEY": {
        "zh": "case.toml 中有无法识别的字段 {field}。{suggestion}",
        "en": "case.toml has an unknown field {field}. {suggestion}",
    },
    "UNKNOWN_KEY_SUGGEST": {
        "zh": "您是不是想写 {nearest}？",
        "en": "Did you mean {nearest}?",
    },
    "UNKNOWN_KEY_NONE": {
        "zh": "这一部分可用的字段有：{known}。",
        "en": "Known fields here: {known}.",
    },
    "BAD_VALUE": {
        "zh": "case.toml 字段 {field} 的值 {value} 无法使用：{problem}。请写成：{example}",
        "en": "case.toml field {field} has an unusable value {value}: {problem}. Write: {example}",
    },
    "BAD_CHOICE": {
        "zh": "case.toml 字段 {field} 的值 {value} 不在可选范围内。可选：{choices}。例如：{example}",
        "en": "case.toml field {field} has value {value}, which is not one of: {choices}. "
        "Example: {example}",
    },
    "MISSING_KEY": {
        "zh": "case.toml 的 {section} 缺少字段 {field}。请补上，例如：{example}",
        "en": "case.toml {section} lacks field {field}. Add it, e.g.: {example}",
    },
    # --- intake and classification ----------------------------------------
    "UNCLASSIFIED": {
        "zh": "无法判断 {file} 属于哪类材料，未放入材料包。请把它移到对应的文件夹"
        "（收入证明/、支出明细/、疾病证明/、其他说明/、沟通记录/），"
        "或在文件名中写明类别（如“工资条”“诊断证明”）。",
        "en": "Could not tell what kind of document {file} is, so it is not in the packet. "
        "Move it into a kind folder (income/, expenses/, medical/, other/, communication/) "
        "or name it with a keyword (payslip, receipt, diagnosis …).",
    },
    "UNSUPPORTED_FILE": {
        "zh": "{file} 不是可识别的图片或 PDF（按内容判断），已跳过。"
        "请导出为 JPG、PNG 或 PDF 后重新放入。",
        "en": "{file} is not an image or PDF we recognise (checked by content); skipped. "
        "Export it as JPG, PNG or PDF and drop it in again.",
    },
    "EMPTY_FILE": {
        "zh": "{file} 是空文件（0 字节），已跳过。请重新拍照或重新下载。",
        "en": "{file} is empty (0 bytes); skipped. Take the photo again or download it again.",
    },
    "UNREADABLE_FILE": {
        "zh": "无法读取 {file}：{error}。文件可能损坏或只下载了一部分，"
        "请重新拍照、重新扫描或重新导出后再放入。",
        "en": "Cannot read {file}: {error}. It may be damaged or only partly downloaded; "
        "take the photo, scan or export again and drop it in.",
    },
    "SPECIAL_FILE": {
        "zh": "{file} 不是普通文件（可能是快捷方式、管道或设备），未读取。请放入文件本身。",
        "en": "{file} is not a regular file (a link, pipe or device); not read. "
        "Put the file itself in the folder.",
    },
    "SYMLINK": {
        "zh": "{file} 是指向其他位置的链接，为保护隐私未跟随读取。请把文件本身复制进案件文件夹。",
        "en": "{file} is a link to somewhere else; not followed, to keep your files private. "
        "Copy the file itself into the case folder.",
    },
    "ENCRYPTED_PDF": {
        "zh": '{file} 有密码保护，无法打开。请在 case.toml 中加上：[[password]] file = "{file}" '
        'password = "……"，或导出一份无密码的 PDF。',
        "en": '{file} is password-protected. Add to case.toml: [[password]] file = "{file}" '
        'password = "…", or export a copy without a password.',
    },
    "EMPTY_PDF": {
        "zh": "{file} 是没有任何页面的 PDF，已跳过。请重新下载或导出。",
        "en": "{file} is a PDF with no pages; skipped. Download or export it again.",
    },
    "DUPLICATE": {
        "zh": "{file} 与 {other} 内容完全相同，只保留一份。",
        "en": "{file} is identical to {other}; only one copy is kept.",
    },
    "EXIF_ORIENTATION_INVALID": {
        "zh": "{file} 的拍摄方向信息无效（{value}），按原样摆放。如页面方向不对，请旋转后重新保存。",
        "en": "{file} has an invalid orientation tag ({value}); placed as stored. "
        "If the page is sideways, rotate and save it again.",
    },
    # --- completeness -----------------------------------------------------
    "MISSING_KIND": {
        "zh": "缺少{kind_title}。{why}请把材料放入 {folder}/ 文件夹。",
        "en": "{kind_title} is missing. {why}Put it in the {folder}/ folder.",
    },
    "MISSING_FIELD": {
        "zh": "case.toml 尚未填写 {field}（{label}）。请补上，例如：{example}",
        "en": "case.toml does not fill in {field} ({label}) yet. Add it, e.g.: {example}",
    },
    "IMAGE_TOO_LARGE": {
        "zh": "{file} 的图片尺寸过大（{error}），为防止耗尽内存未打开。请用手机或电脑把图片缩小后重新保存。",
        "en": "{file} is too large to open safely ({error}). Resize the image and save it again.",
    },
    # --- outputs (bundle) -------------------------------------------------
    "MAIL_ADDRESS_MISSING": {
        "zh": "case.toml 尚未填写{label}（{field}），因此没有生成邮寄材料包（mail/），"
        "上传材料已照常生成。请补上后重新生成，例如：{example}",
        "en": "case.toml does not fill in {field} ({label}), so the mail packet (mail/) was "
        "not made; the upload bundle was. Add it and build again, e.g.: {example}",
    },
    "UPLOAD_COMPRESSED": {
        "zh": "为了不超过 {cap} MB 的上传上限，{file} 中的照片已重新压缩"
        "（每英寸 {ppi} 像素，JPEG 质量 {quality}，保留彩色），文件大小 {size} MB。"
        "邮寄打印版（--profile mail）保留原图。",
        "en": "To stay under the {cap} MB upload cap, the photos in {file} were re-encoded "
        "({ppi} ppi, JPEG quality {quality}, colour kept); the file is {size} MB. "
        "The mail packet (--profile mail) keeps the originals.",
    },
    "UPLOAD_SPLIT": {
        "zh": "材料即使压缩到最低清晰度也超过 {cap} MB 的上传上限，已分成 {parts} 个文件"
        "（从 {first} 开始，每个都在上限以内，页码连续）。请按顺序全部上传；"
        "如果网站允许更大的文件，可用 --max-mb 提高上限，合成一个文件。",
        "en": "Even at the lowest legible quality the packet exceeds the {cap} MB upload cap, "
        "so it was split into {parts} files (starting with {first}; each under the cap, "
        "page numbers continuous). Upload all of them in order, or raise the cap with "
        "--max-mb if the site accepts larger files.",
    },
    "UPLOAD_LOW_RESOLUTION": {
        "zh": "第 {page} 页（{file}）即使单独成一个文件也超过 {cap} MB，"
        "已降到每英寸 {ppi} 像素，细小的字可能看不清。"
        "如网站允许，请用 --max-mb 提高上限，或重新拍一张只含这份材料的照片。",
        "en": "Page {page} ({file}) exceeds {cap} MB even alone, so it was reduced to "
        "{ppi} ppi; small print may be hard to read. Raise the cap with --max-mb if the "
        "site allows, or photograph the document again more tightly.",
    },
    "UPLOAD_OVER_CAP": {
        "zh": "{file}（第 {first}–{last} 页）为 {size} MB，仍超过 {cap} MB 的上传上限："
        "其中的页面无法再缩小。请用 --max-mb 或 case.toml 中 [output] upload_max_mb "
        "提高上限，或改用邮寄方式提交。",
        "en": "{file} (pages {first}–{last}) is {size} MB, still over the {cap} MB cap: its "
        "pages cannot shrink further. Raise the cap with --max-mb or [output] "
        "upload_max_mb in case.toml, or submit by mail.",
    },
    "IMAGE_OVER_CAP": {
        "zh": "{file} 为 {size} MB，超过单张图片 {cap} MB 的上限。"
        "请在 case.toml 的 [output] 中提高 image_max_mb，或改为上传 PDF。",
        "en": "{file} is {size} MB, over the {cap} MB image cap. Raise image_max_mb under "
        "[output] in case.toml, or upload the PDF instead.",
    },
    "RECIPIENT_DEFAULTED": {
        "zh": "未填写收件方（account.recipient），申请书抬头暂写为“{recipient}”。",
        "en": "No addressee (account.recipient); the letter is addressed to “{recipient}”.",
    },
}

WHY_REQUIRED: Mapping[str, Mapping[Lang, str]] = {
    "always": {"zh": "每份协商申请都需要这类材料。", "en": "Every request needs it. "},
    "illness": {"zh": "申请原因是疾病，需要医院出具的证明。", "en": "The reason is illness. "},
    "unemployment": {
        "zh": "申请原因是失业，需要相关说明或证明。",
        "en": "The reason is job loss. ",
    },
    "family": {
        "zh": "申请原因是家庭变故，需要相关说明或证明。",
        "en": "The reason is a family event. ",
    },
}


def lang_key(lang: str) -> Lang:
    """Map a ``--lang`` value to a catalog key."""
    return "en" if lang.lower().startswith("en") else "zh"


def render(code: str, lang: str, params: Mapping[str, object]) -> str:
    """Word one message; unknown codes fall back to the code itself."""
    entry = CATALOG.get(code)
    if entry is None:
        return code
    template = entry[lang_key(lang)]
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def message(finding: Finding, lang: str) -> str:
    """Word a finding for the user."""
    params: dict[str, object] = {"file": finding.file or "", **finding.params}
    code = finding.code
    if code.startswith("MISSING_") and "kind" in params:
        kind = Kind(str(params["kind"]))
        why = WHY_REQUIRED.get(str(params.get("why")), {})
        params.update(kind_title=kind_title(kind, lang), why=why.get(lang_key(lang), ""))
        code = "MISSING_KIND"
    if finding.page is not None:
        params.setdefault("page", finding.page)
    return render(code, lang, params)


def kind_title(kind: Kind, lang: str) -> str:
    """Display name of a document kind."""
    return KIND_TITLES[kind][lang_key(lang)]
