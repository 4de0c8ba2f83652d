"""Which kind of document a page is, from what it says.

Content is the last word, after case.toml, the folder and the file name.

Weighted keywords per kind on NFKC text: a document's title weighs most, and
single words never decide alone (a payslip mentions 医疗保险, a hospital
receipt 医院), so a kind wins only with enough score and a clear margin over
the next; a close call is left to the person, naming both candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from packager.hant import to_hans
from packager.models import Document, Finding, Kind, PageText, Severity, SourceFile

# kind -> (phrase, weight). Titles (收入证明, 诊断证明书 …) weigh most.
RULES: Mapping[Kind, tuple[tuple[str, int], ...]] = {
    Kind.INCOME: (
        ("收入证明", 6),
        ("工资条", 6),
        ("工资单", 6),
        ("工资明细", 5),
        ("薪资", 3),
        ("实发工资", 4),
        ("实发金额", 3),
        ("应发工资", 4),
        ("基本工资", 3),
        ("绩效", 1),
        ("个人所得税", 1),
        ("公积金", 1),
        ("银行流水", 6),
        ("交易明细", 5),
        ("账户明细", 5),
        ("对账单", 3),
        ("流水", 2),
        ("余额", 1),
        ("交易日期", 2),
        ("收入", 1),
        ("代发工资", 3),
    ),
    Kind.EXPENSES: (
        ("支出明细", 6),
        ("收费票据", 6),
        ("医疗收费", 4),
        ("发票", 4),
        ("收据", 4),
        ("收款收据", 5),
        ("账单", 4),
        ("费用清单", 5),
        ("药品清单", 5),
        ("购药", 3),
        ("药房", 3),
        ("药店", 3),
        ("合计", 1),
        ("金额", 1),
        ("费用", 2),
        ("交款人", 3),
        ("单价", 2),
        ("数量", 1),
        ("学费", 3),
        ("房租", 3),
    ),
    Kind.MEDICAL: (
        ("诊断证明", 7),
        ("诊断书", 6),
        ("疾病证明", 6),
        ("出院小结", 7),
        ("出院记录", 7),
        ("入院记录", 6),
        ("病历", 4),
        ("病情", 2),
        ("诊断", 2),
        ("住院", 2),
        ("患者", 1),
        ("医师", 1),
        ("主治", 1),
        ("科室", 1),
        ("治疗", 1),
        ("手术", 1),
        ("医嘱", 2),
        ("建议休息", 3),
        ("检查报告", 4),
    ),
    Kind.CIRCUMSTANCES: (
        ("离职证明", 7),
        ("解除劳动合同", 7),
        ("终止劳动合同", 7),
        ("失业", 3),
        ("情况说明", 6),
        ("死亡证明", 6),
        ("离职", 3),
        ("辞退", 3),
        ("裁员", 3),
        ("停业", 3),
        ("失业登记", 5),
        ("困难证明", 5),
    ),
    Kind.COMMUNICATION: (
        ("在线客服", 5),
        ("客服", 3),
        ("工单", 3),
        ("通话记录", 5),
        ("聊天记录", 5),
        ("协商", 1),
        ("还款计划", 1),
        ("人工服务", 3),
        ("您好", 1),
    ),
}
# A title line (large print, or near the top) counts this many times.
TITLE_WEIGHT = 2
# Enough evidence, and a clear winner.
MIN_SCORE = 5
MARGIN = 1.5


@dataclass(frozen=True, slots=True)
class Verdict:
    """The likeliest kind (None on a close call or too little text) and what decided it."""

    kind: Kind | None
    matched: tuple[str, ...] = ()
    candidates: tuple[Kind, ...] = ()
    scores: Mapping[Kind, int] | None = None


def _is_title(line_height: float, heights: Sequence[float], top: float, size: int) -> bool:
    if not heights or size <= 0:
        return False
    median = sorted(heights)[len(heights) // 2]
    return line_height >= 1.4 * median or top < 0.12 * size


def scores(texts: Iterable[PageText | None]) -> tuple[dict[Kind, int], dict[Kind, list[str]]]:
    """Per kind, the weighted score over every page of a document and the phrases found."""
    total = {kind: 0 for kind in RULES}
    found: dict[Kind, list[str]] = {kind: [] for kind in RULES}
    for text in texts:
        if text is None:
            continue
        heights = [line.height for line in text.lines]
        for line in text.lines:
            compact = to_hans(re.sub(r"\s+", "", line.text))
            title = _is_title(line.height, heights, line.box[1], text.size[1])
            for kind, rules in RULES.items():
                for phrase, weight in rules:
                    if phrase in compact:
                        total[kind] += weight * (TITLE_WEIGHT if title else 1)
                        if phrase not in found[kind]:
                            found[kind].append(phrase)
    return total, found


def judge(texts: Iterable[PageText | None]) -> Verdict:
    """The kind a document's pages read as, or None with the two likeliest when unsure."""
    total, found = scores(texts)
    ranked = sorted(total, key=lambda k: total[k], reverse=True)
    best, second = ranked[0], ranked[1]
    if total[best] < MIN_SCORE:
        candidates = tuple(k for k in ranked[:2] if total[k] > 0)
        return Verdict(None, (), candidates, total)
    if total[best] < MARGIN * total[second]:
        return Verdict(None, (), (best, second), total)
    return Verdict(best, tuple(found[best][:3]), (best,), total)


# Who a document is about: the name after one of these labels.
_NAME = re.compile(
    r"(?:姓名|户名|交款人|患者姓名|患者|员工姓名|职工姓名|持卡人)[:：]?\s*([\u4e00-\u9fff·]{2,5})"
)


def names(texts: Iterable[PageText | None]) -> tuple[str, ...]:
    """The person names a document states (姓名：…, 户名：…, 患者：…), in order."""
    seen: list[str] = []
    for text in texts:
        if text is None:
            continue
        for line in text.lines:
            for match in _NAME.finditer(to_hans(re.sub(r"\s+", "", line.text))):
                name = match.group(1)
                # 性别, 年龄 … follow a name on the same line: cut at the next label.
                name = re.split(r"性别|年龄|科室|金额|日期|卡号|账号|编号", name)[0]
                if len(name) >= 2 and name not in seen:
                    seen.append(name)
    return tuple(seen)


# Content contradicts the user's sorting only when it is this sure.
MISMATCH_SCORE = 2 * MIN_SCORE


def _applicant_named(name: str, applicant: str) -> bool:
    return name in applicant or applicant in name


def by_content(
    source: SourceFile,
    sorted_as: Document | None,
    texts: Sequence[PageText | None],
    applicant: str | None,
) -> tuple[Document | None, tuple[Finding, ...]]:
    """The document a read file becomes, and what its pages' content says about it.

    A file a rule sorted keeps its kind (the person's choice wins; a strong
    contradiction is a warning); an unsorted one takes the kind its content
    clearly reads as, or stays out with the likeliest kinds named. Pages the
    content turned upright are named, and so are those it could not decide.
    """
    rel = source.rel
    said: list[Finding] = []
    if not any(texts):
        if sorted_as is None:
            said.append(Finding("UNCLASSIFIED", Severity.WARNING, file=rel))
        return sorted_as, tuple(said)
    for number, text in enumerate(texts, start=1):
        if text is None:
            continue
        if text.turn:
            said.append(
                Finding(
                    "PAGE_TURNED", Severity.INFO, file=rel, page=number, params={"turn": text.turn}
                )
            )
        elif not text.sure:
            said.append(Finding("ORIENTATION_UNSURE", Severity.WARNING, file=rel, page=number))
    verdict = judge(texts)
    doc = sorted_as
    if sorted_as is None:
        if verdict.kind is None:
            if len(verdict.candidates) == 2:
                first, second = verdict.candidates
                params = {"first": first.value, "second": second.value}
                said.append(
                    Finding("UNCLASSIFIED_CLOSE", Severity.WARNING, file=rel, params=params)
                )
            else:
                said.append(Finding("UNCLASSIFIED", Severity.WARNING, file=rel))
            return None, tuple(said)
        matched = "、".join(verdict.matched)
        doc = Document(source, verdict.kind, f"content:{matched}")
        said.append(
            Finding(
                "SORTED_BY_CONTENT",
                Severity.INFO,
                file=rel,
                params={"kind": verdict.kind.value, "matched": matched},
            )
        )
    elif (
        verdict.kind is not None
        and sorted_as.rule != "file:case.toml"  # said in so many words: never second-guessed
        and verdict.kind is not sorted_as.kind
        and verdict.scores is not None
        and verdict.scores[verdict.kind] >= MISMATCH_SCORE
        and verdict.scores[sorted_as.kind] < MIN_SCORE
    ):
        said.append(
            Finding(
                "KIND_MISMATCH",
                Severity.WARNING,
                file=rel,
                params={"kind": sorted_as.kind.value, "content_kind": verdict.kind.value},
            )
        )
    if applicant and doc is not None and doc.kind is not Kind.COMMUNICATION:
        for name in names(texts):
            if not _applicant_named(name, applicant):
                said.append(
                    Finding("OTHER_PERSON", Severity.WARNING, file=rel, params={"name": name})
                )
                break
    return doc, tuple(said)
