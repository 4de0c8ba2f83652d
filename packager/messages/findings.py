"""The findings catalog: what a check found, keyed by the finding's stable code.

Every message names the file or field, says what is wrong and what to do.
Templates use ``str.format`` fields filled from ``Finding.params``.
"""

from __future__ import annotations

from collections.abc import Mapping

from packager.messages.after import AFTER_FINDINGS
from packager.messages.facts import FACT_FINDINGS
from packager.messages.lang import Lang
from packager.messages.money import MONEY_FINDINGS

FINDINGS: Mapping[str, Mapping[Lang, str]] = {
    # --- case.toml -------------------------------------------------------
    "CASE_FILE_MISSING": {
        "zh": "找不到案件文件 {file}。请在案件文件夹中放入 case.toml（可运行 {command} init {case} 生成模板）。",
        "en": "No case file at {file}. Put a case.toml in the case folder "
        "({command} init {case} writes a template).",
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
    "EXCLUDED": {
        "zh": "{file} 按 case.toml 的 [[file]] 设置（exclude = true）未放入材料包。",
        "en": "{file} is left out of the packet, as its [[file]] entry in case.toml says "
        "(exclude = true).",
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
    "DUPLICATE_KINDS": {
        "zh": "{file} 与 {other} 内容完全相同，却放在两个分类里（{copy_kind_title} 和 {kept_kind_title}）。"
        "同一份材料只能属于一类：已按 {other} 归入{kept_kind_title}；如果分错了，请删去放错的那一份。",
        "en": "{file} is identical to {other} but sits in two kinds ({copy_kind_title} and "
        "{kept_kind_title}); one document cannot be both. It counts as {kept_kind_title} ({other}); "
        "if that is wrong, remove the misplaced copy.",
    },
    "EXIF_ORIENTATION_INVALID": {
        "zh": "{file} 的拍摄方向信息无效（{value}），按原样摆放。如页面方向不对，请旋转后重新保存。",
        "en": "{file} has an invalid orientation tag ({value}); placed as stored. "
        "If the page is sideways, rotate and save it again.",
    },
    "TRUNCATED_FILE": {
        "zh": "{file} 不完整（只复制或下载了一部分：{error}），未放入材料包。"
        "请从手机或原网站重新复制、重新下载一次。",
        "en": "{file} is incomplete (only part of it was copied or downloaded: {error}); "
        "not in the packet. Copy it from the phone or download it again.",
    },
    "PDF_PASSWORD_WRONG": {
        "zh": "case.toml 中为 {file} 填写的密码打不开它。请核对 [[password]] 里的密码"
        "（注意大小写和空格），或导出一份无密码的 PDF。",
        "en": "The password given in case.toml for {file} does not open it. Check the "
        "[[password]] entry (case and spaces matter) or export a copy without a password.",
    },
    "PDF_PAGE_DAMAGED": {
        "zh": "{file} 第 {page} 页已损坏（{error}），整个文件未放入材料包。请重新下载或重新导出这份 PDF。",
        "en": "Page {page} of {file} is damaged ({error}); the file is not in the packet. "
        "Download or export the PDF again.",
    },
    "EXTENSION_MISMATCH": {
        "zh": "{file} 的扩展名与内容不符，实际是 {actual} 文件；已按内容正常使用，无需处理。",
        "en": "{file} is really a {actual} file despite its extension; it is used as such, "
        "nothing to do.",
    },
    "TOO_DEEP": {
        "zh": "文件夹 {file} 嵌套太深（超过 {depth} 层），里面的文件未读取。请把材料移到浅一些的文件夹中。",
        "en": "Folder {file} is nested too deep (over {depth} levels); files in it were not "
        "read. Move them to a shallower folder.",
    },
    "UNREADABLE_FOLDER": {
        "zh": "无法打开文件夹 {file}：{error}。里面的文件未读取，请检查文件夹权限。",
        "en": "Cannot open folder {file}: {error}. Files in it were not read; check its "
        "permissions.",
    },
    # --- page quality (warnings; the page is still in the packet) --------
    "LOW_RESOLUTION": {
        "zh": "{file} 第 {page} 页清晰度偏低（放到 A4 上约 {ppi} ppi，建议至少 150），"
        "小字可能看不清。请靠近一些重新拍摄，或用扫描 App 以 200 dpi 以上扫描。",
        "en": "{file} page {page} has low resolution (about {ppi} ppi on A4; 150 or more "
        "is advised); small print may be unreadable. Photograph it closer or scan at 200 dpi "
        "or more.",
    },
    "BLANK_PAGE": {
        "zh": "{file} 第 {page} 页几乎是空白的。如果是扫描进来的空白背面，可以删掉；否则请检查是否拍错或扫错了页面。",
        "en": "{file} page {page} is nearly blank. If it is a blank back side, remove it; "
        "otherwise check that the right page was photographed or scanned.",
    },
    "POOR_EXPOSURE": {
        "zh": "{file} 第 {page} 页太暗或太淡，文字可能看不清。请在光线充足处重新拍摄（避免阴影和反光），或调高扫描对比度。",
        "en": "{file} page {page} is too dark or too faint to read easily. Photograph it "
        "again in good light (no shadows or glare), or scan with more contrast.",
    },
    "BLURRY": {
        "zh": "{file} 第 {page} 页比较模糊，文字可能看不清。请拿稳手机、对好焦后重新拍摄。",
        "en": "{file} page {page} is blurred; the text may be unreadable. Hold the phone "
        "steady, let it focus and photograph it again.",
    },
    "NEAR_DUPLICATE": {
        "zh": "{file} 第 {page} 页看起来与 {other} 第 {other_page} 页是同一张图片（可能被重复保存或压缩过）。"
        "如果确实重复，请删掉其中一份；两份都保留在材料包中。",
        "en": "{file} page {page} looks like the same picture as {other} page {other_page} "
        "(perhaps saved or compressed twice). If it is a repeat, delete one; both are in the "
        "packet.",
    },
    # --- completeness -----------------------------------------------------
    "MISSING_KIND": {
        "zh": "缺少{kind_title}。{why}请把材料放入 {folder}/ 文件夹。{instead}",
        "en": "Missing: {kind_title}. {why}Put it in the {folder}/ folder.{instead}",
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
    "UPLOAD_COMPRESSED": {
        "zh": "为了不超过 {cap} MB 的上传上限，{file} 中的照片已重新压缩"
        "（每英寸 {ppi} 像素，JPEG 质量不低于 {quality}，保留彩色），文件大小 {size} MB。"
        "邮寄打印版（--profile mail）保留原图。",
        "en": "To stay under the {cap} MB upload cap, the photos in {file} were re-encoded "
        "({ppi} ppi, JPEG quality {quality} or better, colour kept); the file is {size} MB. "
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
    "MISSING_MAIL_FIELD": {
        "zh": "邮寄材料包需要 {field}（{label}），case.toml 中还没有填写，所以不会生成邮寄材料包（mail/）；"
        "上传材料不受影响。请补上，例如：{example}",
        "en": "The mail-in packet needs {field} ({label}), which case.toml does not fill in yet, "
        "so no mail packet (mail/) is made; the upload bundle is not affected. "
        "Add it, e.g.: {example}",
    },
    "RECOMMENDED_FIELD": {
        "zh": "建议填写 {field}（{label}）：{purpose}例如：{example}",
        "en": "Please fill in {field} ({label}): {purpose}E.g.: {example}",
    },
    # --- field validation -------------------------------------------------
    "ID_FORMAT": {
        "zh": "{field}（身份证号）{masked} 的格式不对：应为 18 位，前 17 位是数字，"
        "最后一位是数字或 X（现在是 {length} 位）。请对照身份证重新填写。",
        "en": "{field} (ID number) {masked} has the wrong form: 18 characters, 17 digits "
        "then a digit or X (it has {length}). Copy it again from the ID card.",
    },
    "ID_BIRTH_DATE": {
        "zh": "{field}（身份证号）{masked} 的第 7–14 位（出生日期）不是一个真实的日期。"
        "请对照身份证逐位核对。",
        "en": "{field} (ID number) {masked}: digits 7–14 (the birth date) are not a real date. "
        "Check it digit by digit against the ID card.",
    },
    "ID_CHECK_DIGIT": {
        "zh": "{field}（身份证号）{masked} 的最后一位校验码不对：按前 17 位计算应为 {expected}，"
        "填写的是 {actual}。多半是某一位抄错了，请对照身份证逐位核对。",
        "en": "{field} (ID number) {masked}: the check digit is wrong — the first 17 digits give "
        "{expected}, the number ends in {actual}. One digit is probably mistyped; check it "
        "against the ID card.",
    },
    "PHONE_INVALID": {
        "zh": "{field}（手机号）{masked} 不是有效的中国大陆手机号：应为 1 开头的 11 位数字"
        "（前面可以带 +86）。请核对，平台要靠它联系您。",
        "en": "{field} (mobile) {masked} is not a valid mainland mobile number: 11 digits "
        "starting with 1 (+86 allowed). Check it; the lender will call you on it.",
    },
    # --- values -----------------------------------------------------------
    "INSTALLMENTS_INVALID": {
        "zh": "分期期数 {field} = {value} 不合理：期数应为 1 到 {cap} 之间的整数。"
        "请改成您实际想申请的期数，例如：installments = 12",
        "en": "{field} = {value} is not a plan: use a whole number from 1 to {cap}, "
        "e.g. installments = 12",
    },
    "INSTALLMENTS_OVER_CAP": {
        "zh": "分期期数 {field} = {value} 超过 {cap} 期。按《商业银行信用卡业务监督管理办法》第七十条，"
        "信用卡个性化分期最长 5 年（{cap} 期），银行一般不会同意更长的方案。建议改为 {cap} 期以内。",
        "en": "{field} = {value} is more than {cap} months. Art. 70 of the credit-card rules caps "
        "a personalised card plan at 5 years ({cap} months); the bank will most likely decline. "
        "Ask for {cap} or fewer.",
    },
    "INSTALLMENTS_LONG": {
        "zh": "分期期数 {field} = {value} 超过 {cap} 期。这类产品没有公开的期数上限，"
        "是否接受由平台决定；期数越长，平台越可能要求您说明理由。",
        "en": "{field} = {value} is more than {cap} months. There is no published cap for this "
        "product; the lender decides, and may ask why so long.",
    },
    "DEFER_DAYS_INVALID": {
        "zh": "延期天数 {field} = {value} 不合理：应为大于 0 的整数，例如：defer_days = 30",
        "en": "{field} = {value} is not a deferral: use a whole number above 0, e.g. defer_days = 30",
    },
    "DATE_IN_FUTURE": {
        "zh": "{field}（{label}）是 {value}，晚于今天（{today}）。请核对日期，写已经发生的日子。",
        "en": "{field} ({label}) is {value}, after today ({today}). Check the date; it must "
        "already have happened.",
    },
    "AMOUNT_NOT_POSITIVE": {
        "zh": "{field}（{label}）是 {value}，应大于 0。请写实际金额（单位：元），例如：{example}",
        "en": "{field} ({label}) is {value}; it must be above 0. Write the amount in yuan, "
        "e.g. {example}",
    },
    "OWED_OVER_LIMIT": {
        "zh": "欠款本金 {owed} 元高于授信额度 {credit_limit} 元。请核对这两个数字"
        "（欠款是否把利息、罚息也算进去了？额度是否填错？）；如果属实，请在逾期原因说明中解释。",
        "en": "The principal owed ({owed} yuan) is above the credit limit ({credit_limit} yuan). "
        "Check both numbers (interest and penalties included? limit mistyped?); if they are "
        "right, explain it in your statement.",
    },
    "STATEMENT_SHORT": {
        "zh": "逾期原因说明（{field}）只有 {length} 个字。平台需要用您自己的话了解情况："
        "发生了什么、从什么时候开始、现在收入如何、打算怎么还。建议至少写 {minimum} 字。",
        "en": "Your statement ({field}) has only {length} characters. The lender needs the "
        "reason in your own words: what happened, since when, your income now and how you "
        "will pay. Write at least {minimum}.",
    },
    **MONEY_FINDINGS,
    **FACT_FINDINGS,
    **AFTER_FINDINGS,
    # --- eligibility guidance (folklore; warnings only) --------------------
    "GUIDE_OWED_RATIO": {
        "zh": "欠款 {owed} 元，占额度 {ratio}（参考上限 {limit}；来源：{source}）",
        "en": "Owed {owed} yuan, {ratio} of the limit (guide: at most {limit}; source: {source})",
    },
    "GUIDE_OVERDUE_DAYS": {
        "zh": "已逾期 {days} 天（参考上限 {limit} 天；来源：{source}）",
        "en": "Overdue for {days} days (guide: at most {limit}; source: {source})",
    },
    "OWED_RATIO_HIGH": {
        "zh": "欠款 {owed} 元，占额度 {ratio}，高于参考上限 {limit}（来源：{source}）。"
        "平台可能不同意协商，但这不是官方规定，仍可以提交；请在说明中写清还款能力和还款诚意。",
        "en": "Owed {owed} yuan, {ratio} of the limit: above the {limit} guide "
        "(source: {source}). The lender may decline, but this is not an official rule; you can still "
        "apply. Show your ability and willingness to repay in your statement.",
    },
    "OVERDUE_LONG": {
        "zh": "已逾期 {days} 天，超过参考上限 {limit} 天（来源：{source}）。协商机会有限，"
        "越早提交越好；这不是官方规定，仍可以申请。",
        "en": "Overdue for {days} days, beyond the {limit}-day guide (source: {source}). Chances "
        "shrink with time, so send it soon; this is not an official rule and you can still apply.",
    },
    # --- init ---------------------------------------------------------------
    "INIT_EXISTS": {
        "zh": "{file} 已经存在，没有覆盖。如需重新生成模板，请先把它改名或移走。",
        "en": "{file} already exists and was not overwritten. Rename or move it first to get "
        "a fresh template.",
    },
    "INIT_NOT_FOLDER": {
        "zh": "{file} 已存在但不是文件夹，无法在这里建立案件。请换一个名字。",
        "en": "{file} exists and is not a folder; cannot create a case there. Pick another name.",
    },
}
