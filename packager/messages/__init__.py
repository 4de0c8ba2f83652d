"""One catalog of user-facing messages, keyed by stable codes.

Simplified Chinese is the default; English with ``--lang en``. Every message
names the file or field, says what is wrong and what to do. Templates use
``str.format`` fields filled from ``Finding.params``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from packager.hant import to_hant
from packager.models import Finding, Kind, Measure

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
        "zh": "缺少{kind_title}。{why}请把材料放入 {folder}/ 文件夹。",
        "en": "Missing: {kind_title}. {why}Put it in the {folder}/ folder.",
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
    # --- packager watch ---------------------------------------------------
    "WATCH_NO_INBOX": {
        "zh": "收件箱文件夹 {inbox} 不存在。请先创建它（每个案件一个子文件夹），"
        "或在命令中写明收件箱位置：packager watch 收件箱路径",
        "en": "The inbox folder {inbox} does not exist. Create it (one sub-folder per case) "
        "or name it: packager watch INBOX",
    },
    "WATCH_OUT_IN_INBOX": {
        "zh": "输出文件夹 {out} 位于收件箱 {inbox} 之内，生成的文件会被当成新材料反复处理。"
        "请用 -o 指定收件箱以外的文件夹，例如 -o out",
        "en": "The output folder {out} is inside the inbox {inbox}; built files would be "
        "picked up as new scans again and again. Choose an -o outside the inbox, e.g. -o out",
    },
    "WATCH_INBOX_IN_OUT": {
        "zh": "收件箱 {inbox} 位于输出文件夹 {out} 之内，生成材料包时可能覆盖您的案件文件夹。"
        "请让两者互不包含，例如 packager watch inbox -o out",
        "en": "The inbox {inbox} is inside the output folder {out}; publishing a bundle "
        "could replace your case folders. Keep them apart, e.g. packager watch inbox -o out",
    },
    "WATCH_START": {
        "zh": "开始监视 {inbox}（{mode}），材料包输出到 {out}。文件停止变化 {settle} 秒后自动生成；"
        "按 Ctrl+C 停止。",
        "en": "Watching {inbox} ({mode}); bundles go to {out}, built {settle} s after "
        "the last change. Ctrl+C stops.",
    },
    "WATCH_POLLING_AUTO": {
        "zh": "{inbox} 位于网络或 FUSE 文件系统（{fstype}），收不到变化通知，改为每秒轮询检查。",
        "en": "{inbox} is on a network or FUSE file system ({fstype}), where change events "
        "do not arrive; polling once a second instead.",
    },
    "WATCH_POLLING_FALLBACK": {
        "zh": "系统拒绝提供文件变化通知（{error}），改为轮询检查。"
        "如需恢复即时通知，可用 sysctl 调高 fs.inotify.max_user_watches。",
        "en": "The system refused change notifications ({error}); polling instead. "
        "Raise fs.inotify.max_user_watches with sysctl to get them back.",
    },
    "WATCH_UP_TO_DATE": {
        "zh": "{case}：材料包已是最新，无需重新生成。",
        "en": "{case}: bundle is up to date.",
    },
    "WATCH_BUILT": {
        "zh": "{case}：{pages} 页 · {state} · 用时 {seconds} 秒 · 错误 {error} · 警告 {warning} · "
        "提示 {info} → {out_dir}",
        "en": "{case}: {pages} pages · {state} · {seconds} s · errors {error} · "
        "warnings {warning} · info {info} → {out_dir}",
    },
    "WATCH_MODE_NATIVE": {"zh": "即时通知", "en": "native events"},
    "WATCH_MODE_POLLING": {"zh": "轮询", "en": "polling"},
    "WATCH_MODE_ONCE": {"zh": "单次，处理完即退出", "en": "once, then exit"},
    "WATCH_COMPLETE": {"zh": "材料齐全", "en": "complete"},
    "WATCH_DRAFT": {"zh": "草稿（材料不全）", "en": "draft (incomplete)"},
    "WATCH_FAILED": {
        "zh": "{case}：未能生成材料包。{error}\n改好后保存即可自动重新生成；"
        "已有的材料包不受影响，其他案件照常处理。",
        "en": "{case}: not built. {error}\nFix it and save: the case is rebuilt by itself. "
        "Any earlier bundle is kept; other cases go on.",
    },
    "WATCH_CRASHED": {
        "zh": "生成过程意外中止（{error}），可能是某个文件损坏或过大。已重新启动生成进程。",
        "en": "The build process ended unexpectedly ({error}), perhaps on a damaged or "
        "huge file. It has been restarted.",
    },
    "WATCH_WAITING": {
        "zh": "{case}：{file} 还没写完或正被其他程序占用（{detail}），{retry} 秒后再看。",
        "en": "{case}: {file} is still being written or is in use ({detail}); "
        "looking again in {retry} s.",
    },
    "WATCH_NOT_READY": {
        "zh": "{case}：{file} 一直被其他程序占用，本次未生成。请关闭占用它的程序后重试。",
        "en": "{case}: {file} stayed in use by another program; not built this time. "
        "Close that program and try again.",
    },
    "WATCH_REMOVED": {
        "zh": "{case}：案件文件夹已移走；输出文件夹中的材料包保留不动。",
        "en": "{case}: the case folder is gone; its bundle in the output folder is kept.",
    },
    "WATCH_ABANDONED": {
        "zh": "{case}：因停止监视放弃了正在进行的生成，原有材料包保持不变；下次启动时会重新生成。",
        "en": "{case}: build abandoned on stop; the previous bundle is unchanged and "
        "the next start rebuilds it.",
    },
    "WATCH_OBSERVER_RESTARTED": {
        "zh": "文件监视中断（{error}），已重新开始监视并全面检查一遍。",
        "en": "File watching stopped ({error}); restarted it and rescanning everything.",
    },
    "WATCH_INBOX_MISSING": {
        "zh": "收件箱 {inbox} 暂时不可用（被移走或网络共享断开），等待它恢复……",
        "en": "The inbox {inbox} is unavailable (moved, or the share dropped); waiting for it …",
    },
    "WATCH_STOP": {"zh": "已停止监视。", "en": "Stopped watching."},
    # --- real-world files (issue 15) ---
    "DAMAGED_IMAGE": {
        "zh": "{file} 第 {page} 页的图像数据有损坏（解码时发现 {count} 处错误），"
        "这一页可能有空白、条纹或错位的部分，但已按能读出的内容放入材料包。"
        "请打开材料包核对这一页；如有看不清的地方，请重新扫描或重新导出后替换。",
        "en": "The image data of {file} page {page} is damaged (the decoder found {count} "
        "errors): parts of the page may be blank, striped or shifted. What could be read is "
        "in the packet; check that page, and if anything is unreadable, scan or export it "
        "again and replace the file.",
    },
    "UNSUPPORTED_VARIANT": {
        "zh": "{file} 是一种本工具读不了的 {kind} 格式变体（文件本身是完整的），未放入材料包。"
        "请用看图软件或手机打开它，另存为 PNG 或 JPG 后放入；如果打不开，请重新获取这份文件。",
        "en": "{file} is a kind of {kind} file this tool cannot read (the file itself is "
        "complete); not in the packet. Open it in an image viewer and save it as PNG or JPG; "
        "if it does not open there either, get the file again.",
    },
    "PDF_REPAIRED": {
        "zh": "{file} 的内部结构有损坏（常见于保存或下载中断），已自动修复后放入材料包。"
        "请核对这份文件的每一页是否完整；如有缺失，请重新下载或导出。",
        "en": "The structure of {file} was damaged (often an interrupted save or download); "
        "it was repaired and is in the packet. Check that every page of it is complete; if "
        "anything is missing, download or export it again.",
    },
    "PDF_MARKS_NOT_DRAWN": {
        "zh": "{file} 第 {page} 页有 {count} 处填写内容或批注（如中文表单内容）无法画进材料包，"
        "这一页在材料包里会缺少它们。请在电脑或手机上打开这份 PDF，用“打印 → 另存为 PDF”"
        "另存一份（填写内容会固定在页面上），用它替换原文件。",
        "en": "{file} page {page} has {count} form values or annotations (such as Chinese "
        "form entries) that cannot be drawn into the packet, so that page lacks them there. "
        "Open the PDF on a computer or phone, use Print → Save as PDF (which fixes the "
        "entries onto the page) and replace the file with that copy.",
    },
}

# Plain names of case.toml fields, shown beside the dotted name.
FIELD_TITLES: Mapping[str, Mapping[Lang, str]] = {
    "applicant.name": {"zh": "申请人姓名", "en": "your name"},
    "applicant.id_number": {"zh": "身份证号", "en": "ID number"},
    "applicant.phone": {"zh": "手机号", "en": "mobile number"},
    "applicant.address": {"zh": "您的寄件地址", "en": "your postal address"},
    "account.platform": {"zh": "借款平台", "en": "lender"},
    "account.product": {"zh": "产品", "en": "product"},
    "account.account": {"zh": "账户", "en": "account"},
    "account.credit_limit": {"zh": "授信额度", "en": "credit limit"},
    "account.amount_owed": {"zh": "欠款本金", "en": "principal owed"},
    "account.overdue_since": {"zh": "逾期起始日", "en": "overdue since"},
    "account.recipient": {"zh": "收件方", "en": "addressee"},
    "account.mailing_address": {"zh": "平台收件地址", "en": "lender's postal address"},
    "request.plan": {"zh": "还款方案", "en": "repayment plan"},
    "request.installments": {"zh": "分期期数", "en": "number of installments"},
    "request.defer_days": {"zh": "延期天数", "en": "days of deferral"},
    "request.reason": {"zh": "逾期原因类别", "en": "reason"},
    "request.statement": {"zh": "逾期原因说明", "en": "statement"},
    "contact.date": {"zh": "沟通日期", "en": "contact date"},
}

# Why a recommended (not required) field matters.
FIELD_PURPOSE: Mapping[str, Mapping[Lang, str]] = {
    "applicant.id_number": {
        "zh": "平台要据此核对身份（报告和申请书中只显示前 6 位和后 4 位）。",
        "en": "the lender checks who you are (only the first 6 and last 4 are shown). ",
    },
    "applicant.phone": {
        "zh": "平台要通过它联系您（只显示前 3 位和后 4 位）。",
        "en": "the lender calls you on it (shown as 3****4). ",
    },
    "account.credit_limit": {
        "zh": "用来核对欠款并计算欠款占额度的比例。",
        "en": "used to check the amount owed and its share of the limit. ",
    },
}

# Where a threshold comes from (eligibility.Guide.source).
SOURCE_NAMES: Mapping[str, Mapping[Lang, str]] = {
    "folklore": {"zh": "经验规则，非官方", "en": "rule of thumb, not official"},
}

SEVERITY_NAMES: Mapping[str, Mapping[Lang, str]] = {
    "error": {"zh": "错误", "en": "error"},
    "warning": {"zh": "警告", "en": "warning"},
    "info": {"zh": "提示", "en": "info"},
}

# Words of the terminal summary and of report.html (not findings).
TEXT: Mapping[str, Mapping[Lang, str]] = {
    "complete": {"zh": "材料齐全", "en": "Packet complete"},
    "draft": {
        "zh": "材料不全：已生成草稿，每页标有“草稿 · 材料不全”",
        "en": "Packet incomplete: written as a draft",
    },
    "check_incomplete": {
        "zh": "材料不全：补齐下列错误后才能提交",
        "en": "Packet incomplete: fix the errors below before sending",
    },
    "progress": {"zh": "处理页面", "en": "Reading pages"},
    "kind": {"zh": "材料", "en": "Kind"},
    "required": {"zh": "是否必需", "en": "Required"},
    "documents": {"zh": "份数", "en": "Documents"},
    "pages": {"zh": "页数", "en": "Pages"},
    "state": {"zh": "状态", "en": "Status"},
    "findings": {"zh": "发现", "en": "Findings"},
    "severity": {"zh": "级别", "en": "Severity"},
    "count": {"zh": "条数", "en": "Count"},
    "output": {"zh": "输出", "en": "Output"},
    "report": {"zh": "报告", "en": "Report"},
    "page_images": {"zh": "（每页一张图片，共 {n} 张）", "en": "({n} page images)"},
    "review": {"zh": "审核时间", "en": "Review time"},
    "guidance": {"zh": "协商条件自查", "en": "Eligibility guide"},
    "req_always": {"zh": "必需", "en": "required"},
    "req_reason": {"zh": "必需（原因：{reason}）", "en": "required (reason: {reason})"},
    "req_optional": {"zh": "可选", "en": "optional"},
    "reason_illness": {"zh": "疾病", "en": "illness"},
    "reason_unemployment": {"zh": "失业", "en": "job loss"},
    "reason_family": {"zh": "家庭变故", "en": "family event"},
    "have": {"zh": "✔ 已有", "en": "✔ present"},
    "missing": {"zh": "✘ 缺少", "en": "✘ missing"},
    "none": {"zh": "—", "en": "—"},
    "estimated": {"zh": "估算", "en": "estimate"},
    "review_line": {
        "zh": "提交后一般 {low}–{high} 个工作日答复：约 {earliest} 至 {latest}（经验估计，非平台承诺）",
        "en": "Answer usually within {low}–{high} working days: about {earliest} to {latest} "
        "(rule of thumb, not a promise)",
    },
    "review_short": {
        "zh": "提交后一般 {low}–{high} 个工作日会有答复（经验估计，不是平台承诺）。",
        "en": "An answer usually comes within {low}–{high} working days (rule of thumb, "
        "not a promise).",
    },
    "review_estimated": {
        "zh": "标“估算”的日期所在年份的放假安排尚未收录，暂按周一至周五计算。",
        "en": "Dates marked “estimate” fall in a year whose holiday calendar is not known yet; "
        "counted Monday to Friday.",
    },
    "within": {"zh": "在参考范围内", "en": "within the guide"},
    "beyond": {"zh": "超出参考范围", "en": "beyond the guide"},
    "init_done": {
        "zh": "已建立案件文件夹 {folder}：请先阅读 使用说明.txt，填写 case.toml，"
        "再把材料放进各分类文件夹，然后运行 packager check {folder}",
        "en": "Created the case folder {folder}: read 使用说明.txt, fill in case.toml, drop "
        "your documents into the kind folders, then run packager check {folder}",
    },
    # --- report.html ------------------------------------------------------
    "report_title": {"zh": "逾期还款协商材料包报告", "en": "Overdue-repayment negotiation packet"},
    "generated": {
        "zh": "{date} 由 {generator} 生成。本报告只保存在您自己的电脑上，没有上传到任何地方。",
        "en": "Made on {date} by {generator}. This report stays on your computer; nothing "
        "was uploaded.",
    },
    "banner_complete": {
        "zh": "材料齐全，可以提交。",
        "en": "Complete: ready to send.",
    },
    "banner_draft": {
        "zh": "草稿 · 材料不全：每一页都标有“草稿 · 材料不全”。请先解决下面的问题，再重新生成：",
        "en": "Draft · incomplete: every page carries the draft mark. Fix these, then build again:",
    },
    "banner_notes": {
        "zh": "另有 {count} 条提醒，见“需要注意的问题”。",
        "en": "{count} more notes under “Findings”.",
    },
    "sec_checklist": {"zh": "材料清单", "en": "Checklist"},
    "sec_findings": {"zh": "需要注意的问题", "en": "Findings"},
    "no_findings": {"zh": "没有发现问题。", "en": "Nothing to fix."},
    "sec_guidance": {"zh": "协商条件自查", "en": "Eligibility guide"},
    "guidance_note": {
        "zh": "下面的门槛只是网上流传的经验说法（{source}），没有法规或平台公开的依据；超出也可以申请，"
        "只是平台可能不同意。唯一有法规依据的条件是：确实无力按期还款，并且仍愿意还款"
        "（《商业银行信用卡业务监督管理办法》第七十条，只适用于银行信用卡）。",
        "en": "These thresholds are only rules of thumb passed around online ({source}); no "
        "regulation or lender publishes them. You can apply beyond them; the lender may say "
        "no. The only documented condition: you really cannot pay on time and still want to "
        "repay (Art. 70 of the credit-card rules, bank credit cards only).",
    },
    "guidance_unknown": {
        "zh": "填写 account.credit_limit（授信额度）和 account.overdue_since（逾期起始日）后才能计算。",
        "en": "Fill in account.credit_limit and account.overdue_since to compute these.",
    },
    "sec_review": {"zh": "审核时间", "en": "When to expect an answer"},
    "review_basis": {
        "zh": "从 {start} 起按中国大陆工作日计算（含调休上班的周末，不含法定节假日）。"
        "“{low}–{high} 个工作日”只是经验说法，不是平台的承诺；超过时间没有答复，可以打电话询问进度。",
        "en": "Counted from {start} in mainland working days (make-up working weekends "
        "included, public holidays excluded). “{low}–{high} working days” is a rule of "
        "thumb, not the lender's promise; if you hear nothing by then, call and ask.",
    },
    "sec_pages": {"zh": "逐页预览", "en": "Every page"},
    "page_n": {"zh": "第 {n} 页", "en": "Page {n}"},
    "letter_source": {"zh": "申请书（自动生成）", "en": "Letter (generated)"},
    "source_page": {"zh": "{file} 第 {page} 页", "en": "{file}, page {page}"},
    "sec_outputs": {"zh": "生成的文件", "en": "Files made"},
    "sec_skipped": {"zh": "没有放入材料包的文件", "en": "Files left out of the packet"},
    "sec_next": {"zh": "下一步怎么做", "en": "What to do next"},
    "next_check": {
        "zh": "逐页看一遍上面的预览：每页是否清晰、方向是否正确、有没有放错的材料。",
        "en": "Look through every page above: sharp, upright, nothing in the wrong place.",
    },
    "next_upload": {
        "zh": "网上提交：在 {platform} App 或官网的协商还款/客服入口上传 {upload}；"
        "如果表单只收图片，就上传逐页图片。上传后截图保存提交成功的页面。",
        "en": "Online: upload {upload} in the {platform} app or website (repayment "
        "negotiation or customer service). If the form takes images only, upload the page "
        "images. Screenshot the confirmation.",
    },
    "next_mail": {
        "zh": "邮寄：打印 {print}，信封上注明“逾期还款协商”，寄给 {recipient}。"
        "请用挂号信或 EMS 等能查询的方式寄出；寄出前自己留一份完整复印件，并保存邮寄回执和单号。",
        "en": "By post: print {print}, write “逾期还款协商” on the envelope and send it to "
        "{recipient} by registered or tracked mail. Keep a full copy for yourself and the "
        "receipt with its tracking number.",
    },
    "next_record": {
        "zh": "记录每一次沟通：日期、方式（电话、在线客服、App）、客服工号、对方答应了什么；能录音就录音。"
        "把记录补进 case.toml 的 [[contact]]，下次生成时会写进申请书。谈妥的方案请对方书面确认（短信、App 消息或函件）。",
        "en": "Record every contact: date, channel (phone, chat, app), agent number and what "
        "was promised; record calls when you can. Add them to case.toml as [[contact]] and "
        "they go into the letter next time. Ask for any agreed plan in writing.",
    },
    "next_wait": {
        "zh": "等待答复期间保持手机畅通；按时接听平台电话。",
        "en": "Keep your phone on while you wait and answer the lender's calls.",
    },
    "next_card": {
        "zh": "信用卡个性化分期一旦达成，会在征信报告上显示为“信用卡个性化分期”，"
        "并且在还清之前不能再申请任何银行的信用卡。",
        "en": "An agreed personalised card plan shows on your credit report as "
        "“信用卡个性化分期”, and you may not apply for any credit card until it is paid off.",
    },
    "next_scam": {
        "zh": "不要付钱给任何“债务协商”“停息挂账”“反催收”中介，直接和平台官方联系；"
        "不要把密码、短信验证码告诉任何人，包括自称客服的人。",
        "en": "Never pay a “debt negotiation” agency; deal with the lender directly. Never "
        "give anyone a password or SMS code, even someone who says they are customer service.",
    },
    "next_12378": {
        "zh": "遇到不当催收（辱骂、威胁、骚扰家人同事等），可拨打 12378"
        "（国家金融监督管理总局消费者投诉热线）投诉，并保留录音和截图。",
        "en": "For improper collection (insults, threats, calling family or colleagues), "
        "complain on 12378 (the NFRA consumer hotline) and keep recordings and screenshots.",
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


def is_hant(lang: str) -> bool:
    """True for Traditional Chinese ("zh-Hant"): the zh catalog through OpenCC."""
    return lang.lower() in ("zh-hant", "zh-tw", "zh-hk")


# Parameters that are paths or names in the user's folder: never converted to Traditional.
PATH_PARAMS = frozenset({"file", "other", "folder", "case", "upload", "print"})


def _format(template: str, lang: str, params: Mapping[str, object]) -> str:
    if is_hant(lang):
        template = to_hant(template)
        params = {
            k: to_hant(v) if isinstance(v, str) and k not in PATH_PARAMS else v
            for k, v in params.items()
        }
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def render(code: str, lang: str, params: Mapping[str, object]) -> str:
    """Word one message; unknown codes fall back to the code itself."""
    entry = CATALOG.get(code)
    if entry is None:
        return code
    return _format(entry[lang_key(lang)], lang, params)


def text(key: str, lang: str, **params: object) -> str:
    """A word or sentence of the summary or the report (``TEXT``)."""
    return _format(TEXT[key][lang_key(lang)], lang, params)


def field_title(field: str, lang: str) -> str:
    """Plain name of a dotted case.toml field ("contact[2].date" -> 沟通日期)."""
    key = re.sub(r"\[\d+\]", "", field)
    entry = FIELD_TITLES.get(key)
    return entry[lang_key(lang)] if entry else field


def source_name(source: str, lang: str) -> str:
    """Where a threshold comes from, in words ("folklore" -> 经验规则，非官方)."""
    entry = SOURCE_NAMES.get(source)
    return entry[lang_key(lang)] if entry else source


def severity_name(severity: str, lang: str) -> str:
    """错误 / 警告 / 提示."""
    return _format(SEVERITY_NAMES[severity][lang_key(lang)], lang, {})


def message(finding: Finding, lang: str) -> str:
    """Word a finding for the user."""
    params: dict[str, object] = {"file": finding.file or "", **finding.params}
    code = finding.code
    lk = lang_key(lang)
    if code.startswith("MISSING_") and "kind" in params:
        kind = Kind(str(params["kind"]))
        why = WHY_REQUIRED.get(str(params.get("why")), {})
        params.update(kind_title=kind_title(kind, lk), why=why.get(lk, ""))
        code = "MISSING_KIND"
    if "field" in params:
        params.setdefault("label", field_title(str(params["field"]), lang))
        purpose = FIELD_PURPOSE.get(str(params["field"]))
        params.setdefault("purpose", purpose[lk] if purpose else "")
    if "source" in params:
        params["source"] = source_name(str(params["source"]), lang)
    if finding.page is not None:
        params.setdefault("page", finding.page)
    return render(code, lang, params)


def measure_text(measure: Measure, lang: str) -> str:
    """One eligibility figure in words, with its source."""
    params = {**measure.params, "source": source_name(measure.source, lang)}
    return render(measure.code, lang, params)


def kind_title(kind: Kind, lang: str) -> str:
    """Display name of a document kind."""
    return KIND_TITLES[kind][lang_key(lang)]
