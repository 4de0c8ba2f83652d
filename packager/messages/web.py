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
    "step_money": {"zh": "5. 收支情况", "en": "5. Income"},
    "money_hint": {
        "zh": "税后收入，按月算（元）；现在没有收入就填 0。会写进申请书和支出明细表。",
        "en": "After-tax income per month (yuan); 0 if none now. Goes into the letter and the "
        "expense table.",
    },
    "step_expenses": {"zh": "6. 支出明细", "en": "6. Expenses"},
    "expense_hint": {
        "zh": "每笔重大支出填一行（医疗费、学费、房租……）；一次性的填日期或月份，每月的可不填。"
        "填了支出，就会生成一页“支出明细”表，不必再手写一张拍照。",
        "en": "One row per large cost (medical bills, school fees, rent…); a one-off one with "
        "its date or month. With expenses written here, an expense table page is made for you.",
    },
    "no_proof": {"zh": "（没有凭证）", "en": "(no proof)"},
    "remove_row": {"zh": "删除这一行", "en": "Remove this row"},
    "add_row": {"zh": "保存并再加一行", "en": "Save and add a row"},
    "step_contacts": {"zh": "7. 联系记录", "en": "7. Contacts with the lender"},
    "contact_hint": {
        "zh": "每和平台联系一次填一行；空行不保存。",
        "en": "One row per contact; empty rows are not saved.",
    },
    "choose": {"zh": "请选择", "en": "Choose"},
    "choices_hint": {"zh": "可以选多项", "en": "Tick all that apply"},
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
    "turn_left": {"zh": "向左转 90°", "en": "Turn left 90°"},
    "turn_right": {"zh": "向右转 90°", "en": "Turn right 90°"},
    "turned": {"zh": "已顺时针转 {degrees}°", "en": "Turned {degrees}° clockwise"},
    "rule_file": {"zh": "您选的", "en": "your choice"},
    "rule_folder": {"zh": "按文件夹", "en": "by folder"},
    "rule_keyword": {"zh": "按文件名", "en": "by name"},
    "rule_content": {"zh": "按内容", "en": "by content"},
    "rule_unread": {"zh": "待读取", "en": "to be read"},
    "why_unread": {
        "zh": "还没读过这份文件的文字：点“生成材料包”时会按页面内容归类；也可以现在就在“类别”里选。",
        "en": "Its pages are not read yet: building sorts it by what they say; or pick its "
        "kind now.",
    },
    "why_sorted": {
        "zh": "{reason}，所以归入“{kind}”。不对的话，在上面的“类别”里改。",
        "en": "By its content: {reason}, so it is filed under “{kind}”. If wrong, change the "
        "kind above.",
    },
    "why_other_kind": {
        "zh": "标题读作“{title}”，看不出是哪一类材料，暂不放入。如果它是其中一类，请在上面的“类别”里选。",
        "en": "Titled “{title}”, it reads like none of the kinds of proof, so it is left out. If "
        "it is one of them, pick its kind above.",
    },
    "why_close": {
        "zh": "内容既像“{first}”又像“{second}”，没法确定，暂不放入。请在上面的“类别”里选一个。",
        "en": "It reads like both “{first}” and “{second}”, so it is left out for now. Pick "
        "its kind above.",
    },
    "why_mismatch": {
        "zh": "内容看起来像“{content_kind}”。如果放错了，在上面的“类别”里改。",
        "en": "Its content reads like “{content_kind}”. If it is filed wrongly, change the "
        "kind above.",
    },
    "why_unsure": {
        "zh": "第 {page} 页看不出正反方向，已按原样放入。请看缩略图；方向不对就把照片转正后重新上传。",
        "en": "Page {page}: could not tell which way up; kept as taken. Check the thumbnail; "
        "if it is turned, rotate the photo and upload it again.",
    },
    "why_turned": {
        "zh": "第 {page} 页是横着或倒着拍的，已按文字转正。",
        "en": "Page {page} was sideways or upside down; it is turned upright by its text.",
    },
    "why_other": {
        "zh": "页面上的姓名是“{name}”，不是申请人本人。如果是家人的证明，请在情况说明里写清关系；"
        "不该放入就勾“不放入材料包”。",
        "en": "The page names “{name}”, not the applicant. If it is a family member's paper, "
        "say how you are related in the statement; if it does not belong, leave it out.",
    },
    "checklist": {"zh": "清单", "en": "Checklist"},
    "present": {"zh": "已有", "en": "present"},
    "written": {"zh": "已填写（自动成表）", "en": "written (table made for you)"},
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
    "choice_upload": {"zh": "网上上传", "en": "Uploaded"},
    "choice_mail": {"zh": "邮寄", "en": "By post"},
    "step_after": {"zh": "8. 提交之后", "en": "8. After sending"},
    "after_hint": {
        "zh": "材料寄出或上传以后再填：平台一般 7–15 个工作日内答复，过了 15 个工作日还没答复，"
        "packager 会提醒您打电话并写好跟进函。平台同意方案后，填上约定的总额和期数，"
        "就能得到还款计划表和手机日历提醒。",
        "en": "Fill in once the packet is sent: lenders usually answer within 7–15 working days; "
        "past 15, packager reminds you to call and writes a follow-up letter. Once a plan is "
        "agreed, its total and instalments give a schedule and calendar reminders.",
    },
    "choice_once": {"zh": "一次性", "en": "Once"},
    "choice_monthly": {"zh": "每月", "en": "Monthly"},
    "field_contact.channel": {"zh": "方式", "en": "how"},
    "field_contact.reference": {"zh": "工单号或客服工号", "en": "ticket or agent number"},
    "field_contact.summary": {"zh": "谈了什么", "en": "what was said"},
    "serving": {
        "zh": "材料网页已打开：{url}\n按 Ctrl+C 停止。",
        "en": "The packet page is at {url}\nPress Ctrl+C to stop.",
    },
    # --- 采用 (packager/web/adopt.py): figures read from the documents ---------------
    "proposals_title": {"zh": "从材料中读到的数字", "en": "Figures read from your documents"},
    "proposals_note": {
        "zh": "上次生成时从材料上读到、case.toml 里还没有的数字。核对无误再点“采用”，会写进 case.toml。",
        "en": "Read from your documents at the last build, and not in case.toml yet. Check "
        "each one; “采用” (adopt) writes it into case.toml.",
    },
    "propose_income": {
        "zh": "每月收入 {amount} 元（{file} 第 {page} 页）",
        "en": "Monthly income {amount} yuan ({file}, page {page})",
    },
    "propose_expense": {
        "zh": "支出“{item}” {amount} 元，凭证 {file}（第 {page} 页）",
        "en": "Expense “{item}” {amount} yuan, proof {file} (page {page})",
    },
    "proposal_read": {"zh": "读到的原文：{text}", "en": "As read: {text}"},
    "adopt": {"zh": "采用", "en": "采用 Adopt"},
    "adopted": {"zh": "已写进 case.toml。", "en": "Written into case.toml."},
    "adopt_gone": {
        "zh": "这个数字已经不需要采用了（case.toml 已经写了，或者材料变了）。请重新生成后再看。",
        "en": "That figure is no longer offered (case.toml has it, or the documents changed). "
        "Build again and look once more.",
    },
    # Issue 22: the phone's flow, the two pickers, each file's read.
    "pick_gallery": {"zh": "从相册或文件选择", "en": "Choose from photos or files"},
    "pick_camera": {"zh": "拍照", "en": "Take a photo"},
    "pick_hint": {
        "zh": "可以一次选好几张照片，也可以选 PDF、微信里保存的图片。选好就会自动上传。",
        "en": "Pick several photos at once, or PDFs and saved chat images. They upload as "
        "soon as you choose them.",
    },
    "reading": {"zh": "读取中……", "en": "Reading…"},
    "reading_count": {
        "zh": "正在读取 {left} 份文件，读完会自动显示类别，不用等，可以先填下面的问题。",
        "en": "Reading {left} file(s); their kinds appear when read. No need to wait: go on "
        "with the questions.",
    },
    "read_failed": {"zh": "这份文件读不出来", "en": "This file could not be read"},
    "sheet_found": {"zh": "已找到纸张，裁边拉平", "en": "Sheet found: cropped and flattened"},
    "sheet_not_found": {"zh": "没找准纸张，按原样放入", "en": "No sheet found: kept as taken"},
    "content_turned": {"zh": "已按文字转正", "en": "Turned upright by its text"},
    "sorted_after_read": {"zh": "读取后自动归类", "en": "Sorted once read"},
    "refresh": {"zh": "刷新看结果", "en": "Refresh to see"},
    "step_files": {"zh": "添加照片和文件", "en": "Add photos and files"},
    "step_build": {"zh": "生成材料包", "en": "Build the packet"},
    "flow": {"zh": "填写进度", "en": "Progress"},
    "flow_files": {"zh": "第一步：先把照片和文件加进来", "en": "First: add your photos and files"},
    "flow_question": {"zh": "问题 {n}/{total}", "en": "Question {n} of {total}"},
    "flow_build": {"zh": "最后：生成材料包并下载", "en": "Last: build and download"},
    "next": {"zh": "下一步", "en": "Next"},
    "next_questions": {"zh": "下一步：回答问题", "en": "Next: the questions"},
    "prev": {"zh": "上一步", "en": "Back"},
    "save_next": {"zh": "保存，下一步", "en": "Save and continue"},
    "save_prev": {"zh": "保存，上一步", "en": "Save and go back"},
    "to_build": {"zh": "保存，去生成", "en": "Save and build"},
    "thumb_of": {"zh": "{file} 的缩略图", "en": "Thumbnail of {file}"},
    "lan_scan": {
        "zh": "用手机扫这个二维码，就能在手机上打开本页、直接拍照或从相册上传（手机要连同一个 Wi-Fi）。",
        "en": "Scan this code with the phone to open this page there and add photos from the "
        "camera or the gallery (the phone must be on the same Wi-Fi).",
    },
    "why_unknown": {
        "zh": "已读过，但页面上没认出是哪类材料。请在“类别”里选一个；不属于这次申请就勾“不放入材料包”。",
        "en": "Read, but its pages do not say which kind of paper it is. Pick its kind above; "
        "if it does not belong, leave it out.",
    },
}
