"""Words of the local web page (``packager serve``): pages, buttons, refusals."""

from __future__ import annotations

from collections.abc import Mapping

from packager.messages.lang import Lang

WEB: Mapping[str, Mapping[Lang, str]] = {
    "title": {"zh": "逾期还款协商材料", "en": "Repayment negotiation packet"},
    "cases": {"zh": "我的案件", "en": "My cases"},
    "no_cases": {"zh": "还没有案件。先在下面起个名字。", "en": "No case yet. Name one below."},
    "new_case": {"zh": "新建案件", "en": "New case"},
    "case_name": {"zh": "案件名称（例如 zhangsan-huabei）", "en": "Case name (e.g. zhang-huabei)"},
    "create": {"zh": "新建", "en": "Create"},
    "bad_name": {
        "zh": "案件名称“{name}”不能用：请只用汉字、字母、数字、- 和 _，不超过 64 个字，不以点开头。",
        "en": "The case name “{name}” cannot be used: use letters, digits, - and _ only, "
        "at most 64 characters, not starting with a dot.",
    },
    "name_taken": {
        "zh": "已经有名为“{name}”的案件，请换一个名字，或直接打开它。",
        "en": "A case named “{name}” exists already: choose another name or open it.",
    },
    "step_who": {"zh": "1. 您是谁", "en": "1. Who you are"},
    "step_account": {"zh": "2. 账户", "en": "2. The account"},
    "step_plan": {"zh": "3. 您希望怎么还", "en": "3. How you want to repay"},
    "step_why": {"zh": "4. 为什么", "en": "4. Why"},
    "step_contacts": {"zh": "5. 联系记录", "en": "5. Contacts with the lender"},
    "contact_hint": {
        "zh": "每和平台联系一次填一行；空行不保存。",
        "en": "One row per contact; empty rows are not saved.",
    },
    "choose": {"zh": "请选择", "en": "Choose"},
    "save": {"zh": "保存", "en": "Save"},
    "saved": {"zh": "已保存到 case.toml。", "en": "Saved to case.toml."},
    "fix_below": {
        "zh": "有 {count} 处需要改正，请看标红的地方；这次没有保存。",
        "en": "{count} answer(s) need fixing (marked red); nothing was saved.",
    },
    "files": {"zh": "材料文件", "en": "Documents"},
    "drop_here": {
        "zh": "把照片或 PDF 拖到这里，或点下面选择（手机可直接拍照）",
        "en": "Drop photos or PDFs here, or choose them below (a phone can take a photo)",
    },
    "upload_into": {"zh": "放入类别", "en": "Put into"},
    "auto_kind": {"zh": "自动判断", "en": "Detect"},
    "upload": {"zh": "上传", "en": "Upload"},
    "uploaded": {"zh": "已收到：{names}", "en": "Received: {names}"},
    "refused_type": {
        "zh": "{name} 不是图片或 PDF，没有保存。请上传照片、扫描件或 PDF。",
        "en": "{name} is not an image or a PDF and was not saved. Upload photos, scans or PDFs.",
    },
    "too_large_file": {
        "zh": "文件太大（每个文件最多 {mb} MB），没有保存。请拍得小一点或分开上传。",
        "en": "A file is too large (at most {mb} MB each) and nothing was saved. "
        "Take a smaller photo or upload separately.",
    },
    "too_large_request": {
        "zh": "一次上传太多（最多 {mb} MB），没有保存。请分几次上传。",
        "en": "Too much at once (at most {mb} MB) and nothing was saved. Upload in several goes.",
    },
    "no_files": {"zh": "没有选择文件。", "en": "No file chosen."},
    "kind": {"zh": "类别", "en": "Kind"},
    "unclassified": {"zh": "未分类（不会放入）", "en": "Unsorted (left out)"},
    "exclude": {"zh": "不放入材料包", "en": "Leave out"},
    "rule_file": {"zh": "您选的", "en": "your choice"},
    "rule_folder": {"zh": "按文件夹", "en": "by folder"},
    "rule_keyword": {"zh": "按文件名", "en": "by name"},
    "checklist": {"zh": "清单", "en": "Checklist"},
    "present": {"zh": "已有", "en": "present"},
    "missing": {"zh": "还缺", "en": "missing"},
    "optional": {"zh": "可选", "en": "optional"},
    "fields_missing": {"zh": "还要填写：", "en": "Still to fill in:"},
    "all_set": {"zh": "材料齐全，可以生成。", "en": "Everything is there: ready to build."},
    "build": {"zh": "生成材料包", "en": "Build the packet"},
    "building": {"zh": "正在生成……", "en": "Building…"},
    "progress": {"zh": "已读 {done}/{total} 个文件", "en": "{done} of {total} files read"},
    "built_complete": {"zh": "材料包已生成。", "en": "The packet is built."},
    "built_draft": {
        "zh": "已生成草稿（材料不全，每页有“草稿”字样）。补齐清单里缺的再生成一次。",
        "en": "Built as a draft (incomplete, every page marked). Add what the checklist "
        "lacks and build again.",
    },
    "build_failed": {"zh": "没能生成材料包", "en": "The packet could not be built"},
    "what_to_do": {
        "zh": "请按上面的提示修改后再点“生成材料包”。您的文件都没有被改动。",
        "en": "Fix what the message says, then build again. None of your files was changed.",
    },
    "results": {"zh": "下载", "en": "Downloads"},
    "upload_pdf": {"zh": "网上上传用的 PDF", "en": "PDF for online upload"},
    "images_zip": {"zh": "逐页图片（zip）", "en": "Page images (zip)"},
    "mail_pdf": {"zh": "打印邮寄用的 PDF", "en": "Print-ready mail packet"},
    "report": {"zh": "检查报告", "en": "Report"},
    "case_file_error": {
        "zh": "case.toml 有问题，先在下面的表单里改正：",
        "en": "case.toml has a problem; fix it in the form below:",
    },
    "lan_title": {"zh": "用手机上传", "en": "Upload from a phone"},
    "lan_hint": {
        "zh": "手机连同一个 Wi-Fi，扫这个二维码打开本页。",
        "en": "On the same Wi-Fi, scan this code with the phone to open this page.",
    },
    "forbidden": {
        "zh": "拒绝访问：请用 packager serve 打印的链接（或二维码）打开本页。",
        "en": "Refused: open this page with the link (or QR code) packager serve printed.",
    },
    "csrf": {
        "zh": "拒绝：这个请求不是从本页发出的。请刷新页面再试。",
        "en": "Refused: this request did not come from this page. Reload the page and retry.",
    },
    "not_found": {"zh": "没有这个页面或文件。", "en": "No such page or file."},
    "back": {"zh": "返回", "en": "Back"},
    "choice_lump_sum": {"zh": "一次性偿还本金", "en": "Pay the principal at once"},
    "choice_installments": {"zh": "分期还款", "en": "Installments"},
    "choice_deferral": {"zh": "延期还款", "en": "A deferral"},
    "choice_illness": {"zh": "疾病", "en": "Illness"},
    "choice_unemployment": {"zh": "失业", "en": "Unemployment"},
    "choice_income_drop": {"zh": "收入下降", "en": "Income dropped"},
    "choice_family": {"zh": "家庭变故", "en": "A family crisis"},
    "choice_other": {"zh": "其他", "en": "Other"},
    "choice_phone": {"zh": "电话", "en": "Phone"},
    "choice_online": {"zh": "在线客服", "en": "Online chat"},
    "choice_app": {"zh": "App", "en": "App"},
    "choice_letter": {"zh": "信函", "en": "Letter"},
    "field_contact.channel": {"zh": "方式", "en": "how"},
    "field_contact.reference": {"zh": "工单号或客服工号", "en": "ticket or agent number"},
    "field_contact.summary": {"zh": "谈了什么", "en": "what was said"},
    "serving": {
        "zh": "材料网页已打开：{url}\n按 Ctrl+C 停止。",
        "en": "The packet page is at {url}\nPress Ctrl+C to stop.",
    },
}
