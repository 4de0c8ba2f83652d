"""Why a run stopped: the words of every ``PackagerError``, in both languages.

Errors are raised deep in a stage that does not know the user's language, so
they carry both (Chinese first, English on the next line); the CLI prints
them as they are. Each says what is wrong and what to do.
"""

from __future__ import annotations

from collections.abc import Mapping

from packager.messages.lang import Lang

ERRORS: Mapping[str, Mapping[Lang, str]] = {
    # holidays.toml (read/holidays.py): the 放假/调休 days a person adds for a year.
    "HOLIDAYS_SYNTAX": {
        "zh": '{file} 的格式不对：{error}。每年写成 [2027]，下面写 off = ["2027-01-01"] 和 '
        'work = ["2027-02-14"]，日期用英文双引号。',
        "en": "{file} is not valid TOML: {error}. Write each year as [2027] with "
        'off = ["2027-01-01"] and work = ["2027-02-14"].',
    },
    "HOLIDAYS_BAD_YEAR": {
        "zh": "{file} 里的 [{value}] 不是年份。请写四位数的年份，例如 [2027]。",
        "en": "[{value}] in {file} is not a year; write four digits, e.g. [2027].",
    },
    "HOLIDAYS_UNKNOWN_KEY": {
        "zh": "{file} 的 [{year}] 下不认识 {key}。只能写 off（放假的日子）、work（调休上班的日子）"
        "和 source（通知的名称）。",
        "en": "{file}: [{year}] has an unknown key {key}; only off (days off), work (make-up "
        "working days) and source (the notice) are allowed.",
    },
    "HOLIDAYS_NOT_LIST": {
        "zh": '{file} 的 [{year}] {key} 应该是一组日期，例如 {key} = ["{year}-01-01"]。',
        "en": '{file}: [{year}] {key} must be a list of dates, e.g. {key} = ["{year}-01-01"].',
    },
    "HOLIDAYS_BAD_DATE": {
        "zh": '{file} 的 [{year}] {key} 里，“{value}”不是有效日期。请写成 "{year}-02-05"，'
        '连续几天可以写 "{year}-02-05 至 {year}-02-11"。',
        "en": '{file}: [{year}] {key} has "{value}", which is not a date; write "{year}-02-05", '
        'or "{year}-02-05 至 {year}-02-11" for several days.',
    },
    "HOLIDAYS_WRONG_YEAR": {
        "zh": "{file} 的 [{year}] {key} 里有 {value}，不是 {year} 年的日子。请把它写到对应年份下面。",
        "en": "{file}: [{year}] {key} has {value}, which is not in {year}; put it under its own year.",
    },
    "HOLIDAYS_BAD_RANGE": {
        "zh": "{file} 的 [{year}] {key} 里，“{value}”的起止日期不对（结束早于开始，或超过 31 天）。",
        "en": '{file}: [{year}] {key}: the range "{value}" ends before it starts or spans more '
        "than 31 days.",
    },
    "HOLIDAYS_BOTH": {
        "zh": "{file} 的 [{year}] 里，{value} 既写在 off（放假）里，又写在 work（调休上班）里。"
        "请对照国务院办公厅的通知，只保留一处。",
        "en": "{file}: [{year}] lists {value} both as a day off (off) and as a working day "
        "(work); check the State Council notice and keep one.",
    },
    "HOLIDAYS_UNREADABLE": {
        "zh": "无法读取 {file}：{error}。请把它存成 UTF-8 文本，或者删掉它。",
        "en": "Cannot read {file}: {error}. Save it as UTF-8 text, or remove it.",
    },
    "OUTPUT_NOT_WRITABLE": {
        "zh": "无法写入输出文件夹 {root}：{error}。请检查权限或换一个 -o 位置。",
        "en": "Cannot write to {root}: {error}.",
    },
    "OUTPUT_WRITE_FAILED": {
        "zh": "写入 {target} 失败：{error}。请检查磁盘空间和权限。",
        "en": "Writing {target} failed: {error}.",
    },
    "OUT_INSIDE_CASE": {
        "zh": "输出文件夹 {out} 在案件文件夹 {case} 里面。案件文件夹只会被读取，不会写入；"
        "请把 -o 指向案件文件夹之外，例如 -o ../out。",
        "en": "The output folder {out} is inside the case folder {case}, which is only ever "
        "read; point -o outside it, e.g. -o ../out.",
    },
    "VERIFY_FAILED": {
        "zh": "输出文件 {file} 校验失败：{error}。请重新生成；仍然失败请报告此问题。",
        "en": "Verification of {file} failed: {error}.",
    },
    "VERIFY_PAGES": {
        "zh": "输出文件 {file} 页数不对：{pages}，应为 {expected}。请重新生成。",
        "en": "Wrong page count in {file}: {pages} != {expected}.",
    },
    "VERIFY_OUTLINE": {
        "zh": "输出文件 {file} 缺少书签。请重新生成。",
        "en": "No bookmarks in {file}.",
    },
    "UNKNOWN_PROFILE": {
        "zh": "未知的输出方式 {unknown}。可选：upload、mail（用逗号分隔，如 --profile upload,mail）。",
        "en": "Unknown profile {unknown}; choose from upload, mail.",
    },
    "NO_PROFILE": {
        "zh": "没有给出输出方式。可选：upload、mail（用逗号分隔，如 --profile upload,mail）。",
        "en": "No profile given; choose from upload, mail.",
    },
    "CAP_NOT_POSITIVE": {
        "zh": "大小上限必须大于 0。",
        "en": "Size caps must be greater than 0.",
    },
    "FILE_CHANGED": {
        "zh": "{file} 在生成材料包的过程中被修改了，请等文件保存完毕后重新运行。",
        "en": "{file} changed while the packet was being built; run again once it is saved.",
    },
    "NOT_A_FOLDER": {
        "zh": "{folder} 不是文件夹。请给出案件文件夹的路径。",
        "en": "{folder} is not a folder; give the path of a case folder.",
    },
    "RENDER_FAILED": {
        "zh": "PDF 生成失败（{template}）：{error}",
        "en": "Rendering failed ({template}): {error}",
    },
    "FONT_MISSING": {
        "zh": "缺少中文字体，以下文字无法显示：{chars}。"
        "请安装 fonts-noto-cjk（sudo apt-get install fonts-noto-cjk）后重试。",
        "en": "No font has glyphs for: {chars}. Install fonts-noto-cjk and try again.",
    },
    "FONT_NOT_SC": {
        "zh": "生成的 PDF 使用了非简体中文字体：{faces}。请安装 fonts-noto-cjk。",
        "en": "The PDF would use a non-Simplified-Chinese face: {faces}.",
    },
    "FONT_NOT_TC": {
        "zh": "生成的 PDF 使用了非繁体中文字体：{faces}。请安装 fonts-noto-cjk。",
        "en": "The PDF would use a non-Traditional-Chinese face: {faces}.",
    },
    "INTERNAL": {
        "zh": "内部错误：{error}\n请设置 PACKAGER_DEBUG=1 重新运行并报告此问题。",
        "en": "Internal error: {error}. Run again with PACKAGER_DEBUG=1 and report it.",
    },
}
