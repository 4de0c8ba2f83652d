"""Findings about the money picture ([finances], [[expense]]): part of the findings catalog."""

from __future__ import annotations

from collections.abc import Mapping

from packager.messages.lang import Lang

MONEY_FINDINGS: Mapping[str, Mapping[Lang, str]] = {
    "DEPENDANTS_INVALID": {
        "zh": "{field}（{label}）是 {value}，应为 0 或正整数（需要您供养的家人人数）。",
        "en": "{field} ({label}) is {value}; write 0 or more (people who depend on you).",
    },
    "EXPENSE_PROOF_MISSING": {
        "zh": "{field} 写的凭证文件“{proof}”（{item}）在案件文件夹中找不到。"
        '最接近的文件是 {nearest}：如果就是它，请把 proof 改成 "{nearest}"；'
        "否则请把凭证放进案件文件夹，或删掉这一行 proof。",
        "en": "{field} names the proof “{proof}” ({item}), which is not in the case folder. "
        'The nearest file is {nearest}: if that is the one, write proof = "{nearest}"; '
        "otherwise put the proof in the case folder or delete the proof line.",
    },
    "EXPENSE_PROOF_UNKNOWN": {
        "zh": "{field} 写的凭证文件“{proof}”（{item}）在案件文件夹中找不到，也没有名字相近的文件。"
        "请把凭证放进案件文件夹（路径相对于案件文件夹），或删掉这一行 proof。",
        "en": "{field} names the proof “{proof}” ({item}); no such file (nor a similar one) "
        "is in the case folder. Put it there (path relative to the case folder) or delete "
        "the proof line.",
    },
    "EXPENSE_PROOF_LEFT_OUT": {
        "zh": "{field} 的凭证 {file}（{item}）没有放入材料包（原因见这个文件的另一条提示），"
        "支出明细表中这一项不标页码。请处理好这个文件后重新生成。",
        "en": "The proof {file} of {field} ({item}) was left out of the packet (its own "
        "finding says why), so the expense table gives no page for it. Fix that file and "
        "build again.",
    },
    "EXPENSE_NO_PROOF": {
        "zh": "一次性支出“{item}”（{amount} 元，{field}）没有写凭证。"
        "如果有收据、发票或收费票据，请拍照放进案件文件夹，并在这一项写上 proof，"
        "支出明细表会标出它在第几页。",
        "en": "The one-off expense “{item}” ({amount} yuan, {field}) names no proof. If you "
        "have the receipt or invoice, put a photo of it in the case folder and name it in "
        "proof; the expense table then points at its page.",
    },
    "SPENDING_OVER_INCOME": {
        "zh": "每月必要支出 {monthly} 元高于每月收入 {income} 元，每月缺口 {gap} 元。"
        "支出明细表和申请书会如实写出这个缺口；如果有家人帮助或其他来源，请在逾期原因说明中写明。",
        "en": "Necessary monthly spending ({monthly} yuan) is above monthly income ({income} "
        "yuan): {gap} yuan short each month. The expense table and the letter say so as it is; "
        "if family or anything else helps you, say so in your statement.",
    },
    "PLAN_OVER_MEANS": {
        "zh": "申请分 {n} 期，每期约 {per} 元，但每月收入减去必要支出只剩约 {left} 元。"
        "平台可能认为这个方案不可信。建议把 request.installments 改为至少 {suggest} 期，"
        "让每期金额不超过每月结余。",
        "en": "{n} installments cost about {per} yuan each, but income minus necessary "
        "spending leaves only about {left} yuan a month. The lender may not find the plan "
        "credible: consider request.installments = {suggest} or more, so that each "
        "installment fits what is left.",
    },
    "PLAN_NO_MEANS": {
        "zh": "申请分 {n} 期，每期约 {per} 元，但每月收入已不够必要支出（结余 {left} 元）。"
        "平台可能认为这个方案不可信。可以考虑更多期数或申请延期还款，"
        "并在逾期原因说明中写明还款的钱从哪里来（如家人帮助）。",
        "en": "{n} installments cost about {per} yuan each, but income does not cover "
        "necessary spending (left: {left} yuan). The lender may not find the plan credible: "
        "consider more installments or a deferral, and say in your statement where the "
        "money will come from (family help, for example).",
    },
}
