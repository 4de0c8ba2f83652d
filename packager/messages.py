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
    "RECIPIENT_DEFAULTED": {
        "zh": "未填写收件方（account.recipient），申请书抬头暂写为“{recipient}”。",
        "en": "No addressee (account.recipient); the letter is addressed to “{recipient}”.",
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
