"""Findings about what reading a file's pages found: damage, repairs, orientation, content."""

from __future__ import annotations

from collections.abc import Mapping

from packager.messages.lang import Lang

PAGES: Mapping[str, Mapping[Lang, str]] = {
    # --- damaged and unusual files ---
    "DAMAGED_IMAGE": {
        "zh": "{file} 第 {page} 页的图像数据有损坏（解码时发现 {count} 处错误），"
        "这一页可能有空白、条纹或错位的部分，但已按能读出的内容放入材料包。"
        "请打开材料包核对这一页；如有看不清的地方，请重新扫描或重新导出后替换。",
        "en": "The image data of {file} page {page} is damaged (the decoder found {count} "
        "errors): parts of the page may be blank, striped or shifted. What could be read is "
        "in the packet; check that page, and if anything is unreadable, scan or export it "
        "again and replace the file.",
    },
    "DECODER_WARNINGS": {
        "zh": "读取 {file} 时，解码程序报告了 {count} 处问题（例如：{first}），"
        "文件已按能读出的内容放入材料包。请打开材料包核对这份文件的页面是否完整、清楚；"
        "如有问题，请重新扫描或重新导出后替换。",
        "en": "While {file} was read, the decoder reported {count} problems (for example: "
        "{first}). What could be read is in the packet; check that its pages are complete and "
        "clear, and if not, scan or export it again and replace the file.",
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
        "zh": "{file} 第 {page} 页有 {count} 处填写内容或批注无法画进材料包（例如用了本机字体里没有的字，"
        "或批注没有可显示的外观），这一页在材料包里会缺少它们。请在电脑或手机上打开这份 PDF，"
        "用“打印 → 另存为 PDF”另存一份（填写内容会固定在页面上），用它替换原文件。",
        "en": "{file} page {page} has {count} form values or annotations that cannot be drawn "
        "into the packet (for example characters no installed font has, or a note with no "
        "appearance), so that page lacks them there. Open the PDF on a computer or phone, use "
        "Print → Save as PDF (which fixes the entries onto the page) and replace the file "
        "with that copy.",
    },
    # --- what the pages say ---
    "SORTED_BY_CONTENT": {
        "zh": "{file} 没有放在分类文件夹里；{reason}，所以归入“{kind_title}”。"
        "如果分错了，请把它移到正确的分类文件夹。",
        "en": "{file} was not in a kind folder; {reason}, so it is filed under “{kind_title}”. "
        "If that is wrong, move it into the right kind folder.",
    },
    "UNCLASSIFIED_OTHER": {
        "zh": "{file} 的标题读作“{title}”，看不出是收入证明、支出明细、疾病证明、其他情况说明或"
        "沟通记录中的哪一类（页面上没有这几类材料的标题、表头或印章），未放入材料包。"
        "如果它确实是其中一类，请把它移到对应的文件夹（收入证明/、支出明细/、疾病证明/、"
        "其他说明/、沟通记录/）。",
        "en": "{file} is titled “{title}” and reads like none of the kinds of proof (no title, "
        "table header or stamp of income, expenses, medical, hardship or contacts); it is not "
        "in the packet. If it is one of them, move it into that kind's folder (income/, "
        "expenses/, medical/, other/, communication/).",
    },
    "UNCLASSIFIED_CLOSE": {
        "zh": "{file} 的内容既像“{first_title}”又像“{second_title}”，无法确定，未放入材料包。"
        "请把它移到对应的分类文件夹（如 {first_folder}/ 或 {second_folder}/）。",
        "en": "{file} reads like both “{first_title}” and “{second_title}”; not in the packet. "
        "Move it into the right kind folder ({first_folder}/ or {second_folder}/).",
    },
    "KIND_MISMATCH": {
        "zh": "{file} 放在“{kind_title}”里，但内容看起来是“{content_kind_title}”。已按您的分类放入；"
        "如果放错了，请把它移到 {content_kind_folder}/。",
        "en": "{file} is filed under “{kind_title}” but reads like “{content_kind_title}”. It is in "
        "the packet as you filed it; if that is wrong, move it into {content_kind_folder}/.",
    },
    "PAGE_TURNED": {
        "zh": "{file} 第 {page} 页是横着或倒着拍的，已按文字方向转正（顺时针 {turn}°）。",
        "en": "{file} page {page} was sideways or upside down; it was turned upright by its "
        "text ({turn}° clockwise).",
    },
    "ORIENTATION_UNSURE": {
        "zh": "{file} 第 {page} 页看不出正反方向，已按原样放入。请在报告里看一眼这一页；"
        "如果方向不对，请把照片转正后重新保存。",
        "en": "Could not tell which way up {file} page {page} is; it is in the packet as "
        "taken. Check that page in the report; if it is turned, rotate the photo and save it.",
    },
    "PAGE_NOT_FOUND": {
        "zh": "{file} 里没能找准纸张的四个角，照片按原样放入（没有裁边、没有拉平）。"
        "想让这一页更清楚：把纸平放在颜色较深的桌面上，四个角都拍进画面，从正上方再拍一张。",
        "en": "Could not find the four corners of the sheet in {file}; the photo is in the "
        "packet as taken (not cropped or flattened). For a clearer page, lay the sheet flat on "
        "a darker surface with all four corners in view and photograph it from straight above.",
    },
    "CROP_UNSURE": {
        "zh": "{file} 里纸张外面也有文字，裁到纸张可能会裁掉内容，所以照片按原样放入。"
        "请在报告里看一眼这一页；如果文字都在纸上，可以把纸放在空桌面上重新拍一张。",
        "en": "{file} has text outside the sheet that was found, so cropping to the sheet could "
        "cut something off; the photo is in the packet as taken. Check that page in the report; "
        "if all the text is on the sheet, photograph it again on a clear surface.",
    },
    "SURROUND_KEPT": {
        "zh": "{file} 里没能找准纸张的四条边，已按纸张和文字的范围裁边、摆正，但页面上还留着一些背景。"
        "想让这一页更清楚：把纸平放在颜色较深的空桌面上，四个角都拍进画面，从正上方再拍一张。",
        "en": "Could not find all four edges of the sheet in {file}; it was cropped to the paper "
        "and its text and levelled, but some background is still on the page. For a clearer "
        "page, lay the sheet flat on a clear, darker surface with all four corners in view "
        "and photograph it from straight above.",
    },
    "OTHER_PERSON": {
        "zh": "{file} 上写的姓名是“{name}”，不是申请人本人。放款机构一般只认本人的材料；"
        "如果这是家人的证明（如家人的诊断证明），请在申请书的情况说明里写清楚关系。",
        "en": "{file} names “{name}”, not the applicant. Lenders usually accept only the "
        "applicant's own papers; if it is a family member's (e.g. their diagnosis), say so "
        "and how you are related in your statement.",
    },
}

# What decided a file's kind by content (``SORTED_BY_CONTENT``'s {reason}, and the web card's).
CONTENT_REASONS: Mapping[str, Mapping[Lang, str]] = {
    "title": {"zh": "页面标题是“{phrase}”", "en": "the page's title is “{phrase}”"},
    "header": {"zh": "表格的表头是“{phrase}”", "en": "its table header reads “{phrase}”"},
    "stamp": {"zh": "印章上写着“{phrase}”", "en": "its stamp reads “{phrase}”"},
    "layout": {
        "zh": "页面是聊天截图的样子（顶部状态栏、左右两边的对话气泡）",
        "en": "it is laid out like a chat screenshot (a status bar, bubbles on both sides)",
    },
    "words": {"zh": "页面上有“{matched}”", "en": "its pages say “{matched}”"},
}
