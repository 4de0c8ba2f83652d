"""Which kind of document a page is, from what it says and where it says it.

Content is the last word, after case.toml, the folder and the file name.

The words are data (``packager/data/vocabulary.toml``, ``read.vocabulary``).
Where a word stands counts: in the title (the largest line near the top, or
a short centred one) it weighs double, and a document's name there (检验报告单,
工资条, 收费票据) decides unless strong evidence says otherwise; a table
header (项目 + 结果 + 参考范围 + 单位 on one row) and a stamp's text (财务专用章)
count as wholes; a chat screenshot is known by its layout (a status bar,
bubbles on both sides) when it has few words. Single words never decide (a
payslip mentions 医疗保险, a statement a 医院 row, a hospital's receipt 医院):
a kind wins only with enough score and a clear margin over the next, papers
of none of our kinds (an exam, a book page) competing like a kind. A close
call is left to the person, naming both candidates; what decided is named.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from packager.hant import to_hans, to_hans_hk, to_hans_phrases
from packager.models import Document, Finding, Kind, PageText, Severity, SourceFile
from packager.privacy import mask_text
from packager.read.layout import is_chat, rows, title_lines
from packager.read.vocabulary import Entry, Vocabulary, vocabulary

# A document's name in its title counts this much on top of its doubled weight.
TITLE_BONUS = 8
# A word in the title zone counts this many times.
TITLE_WEIGHT = 2
# Enough evidence, and a clear winner.
MIN_SCORE = 5
MARGIN = 1.5
# A chat screenshot's layout (status bar, bubbles on both sides) counts this much.
LAYOUT_WEIGHT = 5
# A header row longer than this is a sentence, not a header.
HEADER_CHARS = 80

# What decided: the catalog words each (``content_title`` …).
TITLE, HEADER, STAMP, LAYOUT, WORDS = "title", "header", "stamp", "layout", "words"

_STAMP_LINE = re.compile(r"专用章|公章|之章|印章")


@dataclass(frozen=True, slots=True)
class Verdict:
    """The likeliest kind (None on a close call or too little text) and what decided it.

    ``where`` is what decided (title, header, stamp, layout or words) and
    ``phrase`` what it said; ``other`` is True when the pages read as none of
    our kinds, and ``title`` is the page's title as read (to name it then).
    """

    kind: Kind | None
    matched: tuple[str, ...] = ()
    candidates: tuple[Kind, ...] = ()
    scores: Mapping[Kind, float] | None = None
    where: str = ""
    phrase: str = ""
    other: bool = False
    title: str = ""


@dataclass(slots=True)
class _Tally:
    """Evidence gathered over a document's pages, per kind (None: none of ours)."""

    # entry index -> (best multiplier, distinct words in order found)
    entries: dict[int, tuple[int, list[str]]] = field(default_factory=dict)
    titles: dict[Kind | None, list[str]] = field(default_factory=dict)
    headers: dict[Kind, tuple[int, str]] = field(default_factory=dict)
    stamps: dict[Kind, tuple[int, str]] = field(default_factory=dict)
    layout: bool = False
    title_text: str = ""


@cache
def _words() -> tuple[tuple[str, int], ...]:
    """Every CJK word of the table with its entry, longest first (the longest match wins)."""
    found = [
        (word, n)
        for n, entry in enumerate(vocabulary().entries)
        for word in entry.words
        if not word.isascii()
    ]
    return tuple(sorted(found, key=lambda w: len(w[0]), reverse=True))


@cache
def _english() -> tuple[tuple[re.Pattern[str], str, int], ...]:
    return tuple(
        (re.compile(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])"), word, n)
        for n, entry in enumerate(vocabulary().entries)
        for word in entry.words
        if word.isascii()
    )


def forms(text: str, vocab: Vocabulary | None = None) -> tuple[str, ...]:
    """A line as the table is matched against: no spaces, Simplified characters and wording.

    The first form is OpenCC's ``t2s``; Taiwan wording (``tw2sp``) and Hong Kong
    forms (``hk2s``) follow when they differ.
    """
    vocab = vocab or vocabulary()
    compact = "".join(unicodedata.normalize("NFKC", text).split())
    first = vocab.spell(to_hans(compact))
    others = (vocab.spell(to_hans_phrases(compact)), vocab.spell(to_hans_hk(compact)))
    return (first, *dict.fromkeys(f for f in others if f != first))


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], int], ...]:
    return tuple(
        (re.compile(pattern), n)
        for n, entry in enumerate(vocabulary().entries)
        for pattern in entry.patterns
    )


def _found(text: str) -> list[tuple[str, int]]:
    """(word, entry) pairs in one form of a line; a word inside a longer match does not count."""
    taken: list[tuple[int, int]] = []
    hits: list[tuple[str, int]] = []
    for word, n in _words():
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(a <= start and end <= b for a, b in taken):
                taken.append((start, end))
                if (word, n) not in hits:
                    hits.append((word, n))
            start = text.find(word, start + 1)
    for pattern, n in _patterns():
        match = pattern.search(text)
        if match and (match.group(0)[:16], n) not in hits:
            hits.append((match.group(0)[:16], n))  # what the page printed, to name it
    return hits


def _page(text: PageText, tally: _Tally, vocab: Vocabulary) -> None:
    """Add what one page says, and where, to the tally."""
    order = title_lines(text)
    title = set(order)
    if order and not tally.title_text:
        tally.title_text = mask_text(text.lines[order[0]].text.strip())[:40]  # shown to people
    entries = vocab.entries

    def record(hits: list[tuple[str, int]], in_title: bool) -> None:
        mult = TITLE_WEIGHT if in_title else 1
        for word, n in hits:
            best, words = tally.entries.get(n, (0, []))
            if word not in words:
                words.append(word)
            tally.entries[n] = (max(best, mult), words)
            if entries[n].title and in_title:
                named = tally.titles.setdefault(entries[n].kind, [])
                if word not in named:
                    named.append(word)

    seen = [forms(line.text, vocab) for line in text.lines]
    stamped = set()
    for i, line in enumerate(text.lines):
        variants = seen[i]
        if _STAMP_LINE.search(variants[0]) or (
            variants[0].endswith("章") and len(variants[0]) <= 20
        ):
            stamped.add(i)
            for stamp in vocab.stamps:
                for form in variants:
                    word = next((w for w in stamp.words if w in form), None)
                    if word is None or (stamp.along and not any(a in form for a in stamp.along)):
                        continue
                    if stamp.weight > tally.stamps.get(stamp.kind, (0, ""))[0]:
                        tally.stamps[stamp.kind] = (stamp.weight, word)
            continue  # a seal's 医院 says who stamped it, not what the paper is
        hits = [hit for form in variants for hit in _found(form)]
        low = unicodedata.normalize("NFKC", line.text).lower()
        hits += [(word, n) for pattern, word, n in _english() if pattern.search(low)]
        record(hits, i in title)
    for row in rows(text):
        joined = ["".join(seen[i][0] for i in row), "".join(seen[i][-1] for i in row)]
        if len(row) > 1 and not stamped & set(row):
            # Words split over cells (北京南站 | G101 | 上海虹桥站) are read on the row as well.
            record([hit for form in joined for hit in _found(form)], bool(title & set(row)))
        if len(joined[0]) > HEADER_CHARS:
            continue
        for header in vocab.headers:
            cells = [
                next((w for w in group if any(w in j for j in joined)), None)
                for group in header.cells
            ]
            present = [w for w in cells if w is not None]
            best = tally.headers.get(header.kind, (0, ""))[0]
            if len(present) >= header.need and header.weight > best:
                tally.headers[header.kind] = (header.weight, "、".join(present))
    tally.layout = tally.layout or is_chat(text)


def _points(entry: Entry, mult: int, words: Sequence[str]) -> float:
    """An entry counts once, in full at its best place; more of its words add half, up to double."""
    extra = min(0.5 * entry.weight * (len(words) - 1), float(entry.weight))
    return (entry.weight + extra) * mult


def _tally(texts: Iterable[PageText | None]) -> _Tally:
    tally = _Tally()
    vocab = vocabulary()
    for text in texts:
        if text is not None and text.lines:
            _page(text, tally, vocab)
    return tally


def scores(
    texts: Iterable[PageText | None],
) -> tuple[dict[Kind | None, float], dict[Kind | None, list[str]]]:
    """Per kind (None: none of ours), the weighted score over a document's pages and its words."""
    return _scored(_tally(texts))


def _scored(tally: _Tally) -> tuple[dict[Kind | None, float], dict[Kind | None, list[str]]]:
    keys: list[Kind | None] = [*Kind, None]
    total: dict[Kind | None, float] = {k: 0.0 for k in keys}
    found: dict[Kind | None, list[tuple[float, str]]] = {k: [] for k in keys}
    entries = vocabulary().entries
    for n, (mult, words) in tally.entries.items():
        entry = entries[n]
        points = _points(entry, mult, words)
        if tally.layout and entry.title and mult == 1:
            points /= 2  # in a conversation a paper's name is talked about, not printed
        total[entry.kind] += points
        found[entry.kind].append((points, words[0]))
    for kind, (weight, _) in [*tally.headers.items(), *tally.stamps.items()]:
        total[kind] += weight
    if tally.layout:
        total[Kind.COMMUNICATION] += LAYOUT_WEIGHT
    if len(tally.titles) == 1:
        (named,) = tally.titles
        total[named] += TITLE_BONUS
    ordered = {
        k: [w for _, w in sorted(found[k], key=lambda pw: pw[0], reverse=True)] for k in keys
    }
    return total, ordered


def judge(texts: Iterable[PageText | None]) -> Verdict:
    """The kind a document's pages read as, or None with the two likeliest when unsure."""
    tally = _tally(texts)
    total, found = _scored(tally)
    ours = {k: v for k, v in total.items() if k is not None}
    ranked = sorted(total, key=lambda k: total[k], reverse=True)
    best, second = ranked[0], ranked[1]
    if total[best] < MIN_SCORE:
        return Verdict(None, (), (), ours, title=tally.title_text)
    if best is None:
        return Verdict(None, (), (), ours, other=True, title=tally.title_text)
    if total[best] < MARGIN * total[second]:
        if second is None:  # as much like none of our kinds
            return Verdict(None, (), (), ours, other=True, title=tally.title_text)
        return Verdict(None, (), (best, second), ours, title=tally.title_text)
    matched = tuple(found[best][:3])
    where, phrase = WORDS, "、".join(matched)
    if list(tally.titles) == [best]:
        where, phrase = TITLE, tally.titles[best][0]
    elif best in tally.headers:
        where, phrase = HEADER, tally.headers[best][1]
    elif best in tally.stamps:
        where, phrase = STAMP, tally.stamps[best][1]
    elif best is Kind.COMMUNICATION and tally.layout and total[best] - LAYOUT_WEIGHT < MIN_SCORE:
        where, phrase = LAYOUT, ""
    return Verdict(best, matched, (best,), ours, where, phrase, title=tally.title_text)


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
            elif verdict.title:  # named by its title: what it is, and that it is none of ours
                said.append(
                    Finding(
                        "UNCLASSIFIED_OTHER",
                        Severity.WARNING,
                        file=rel,
                        params={"title": verdict.title},
                    )
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
                params={
                    "kind": verdict.kind.value,
                    "matched": matched,
                    "where": verdict.where,
                    "phrase": verdict.phrase,
                },
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
