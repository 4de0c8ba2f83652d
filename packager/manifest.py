"""manifest.json and the names of every published file, in one place.

The manifest is the machine-readable truth about a run (design.md's stable
keys): written here at the end of a build, and read here by the watcher at
start to tell an up-to-date bundle from a stale one. File names are here too
because the manifest, the CLI and the report all name the same files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from packager import __version__
from packager.messages import measure_text, message, words
from packager.models import EncodedImage, OutputFile, PacketPlan, SourcePage, SourceRecord, Status
from packager.privacy import mask_text
from packager.read.agree import proposals
from packager.read.casefile import case_file_sha256
from packager.read.facts import Fact
from packager.read.finances import picture, resolve_proof
from packager.read.holidays import holidays_sha256
from packager.read.intake import display_path, intake
from packager.read.prepare import Prepared

MANIFEST_FILE = "manifest.json"
REPORT_FILE = "report.html"
GENERATED_BY = f"packager {__version__}"


def upload_name(name: str, part: int = 0, parts: int = 0) -> str:
    """逾期还款协商-<case>.pdf, or …-part2-of-3.pdf for a split bundle."""
    if parts > 1:
        return f"{words.LABEL}-{name}-part{part}-of-{parts}.pdf"
    return f"{words.LABEL}-{name}.pdf"


def image_name(name: str, page: int, total: int) -> str:
    """images/逾期还款协商-<case>-p001.jpg: zero-padded so names sort in page order."""
    width = max(3, len(str(total)))
    return f"images/{words.LABEL}-{name}-p{page:0{width}d}.jpg"


def mail_name(name: str) -> str:
    """mail/逾期还款协商-<case>-print.pdf."""
    return f"mail/{words.LABEL}-{name}-print.pdf"


def output_record(path: str, profile: str, data: bytes, pages: int = 0) -> OutputFile:
    """Manifest record of one output file held in memory (pages 0 for files that are not PDFs)."""
    return OutputFile(path, profile, hashlib.sha256(data).hexdigest(), pages, len(data))


def _quads(pages: Sequence[SourcePage]) -> tuple[tuple[float, ...], ...]:
    """The quads of the pages made into scans, each once (slices of one image share it)."""
    quads: list[tuple[float, ...]] = []
    for page in pages:
        quad = page.content.quad if isinstance(page.content, EncodedImage) else None
        if quad is not None and quad not in quads:
            quads.append(quad)
    return tuple(quads)


def _cleaned(pages: Sequence[SourcePage]) -> str:
    """What the clean-up did: cropped (a page only cut out), flattened (all), or "" (none)."""
    images = [p.content for p in pages if isinstance(p.content, EncodedImage) and p.content.quad]
    if not images:
        return ""
    return "cropped" if any(i.cropped for i in images) else "flattened"


def source_records(prep: Prepared, plan: PacketPlan | None) -> tuple[SourceRecord, ...]:
    """Every source: placed ones with their packet pages (in packet order), then the rest."""
    records: list[SourceRecord] = []
    if plan is not None:
        for section in plan.sections:
            for placed in section.documents:
                if placed.document.written:
                    continue  # the 支出明细 written from case.toml is not a file of the case
                src = placed.document.source
                records.append(
                    SourceRecord(
                        src.rel,
                        src.sha256,
                        placed.document.kind,
                        len(placed.pages),
                        placed.first_page,
                        placed.last_page,
                        Status.OK,
                        _quads(placed.pages),
                        _cleaned(placed.pages),
                    )
                )
    else:
        for doc, pages in prep.documents:
            src = doc.source
            records.append(
                SourceRecord(
                    src.rel,
                    src.sha256,
                    doc.kind,
                    len(pages),
                    None,
                    None,
                    Status.OK,
                    _quads(pages),
                    _cleaned(pages),
                )
            )
    for s in sorted(prep.skipped, key=lambda s: s.rel):
        records.append(SourceRecord(s.rel, s.sha256, s.kind, 0, None, None, s.status))
    return tuple(records)


def finances_block(
    prep: Prepared, sources: Sequence[SourceRecord], plan: PacketPlan | None = None
) -> dict[str, object] | None:
    """The manifest's ``finances``: the picture the page and the letter state (None: none stated).

    ``monthly_balance`` is income minus necessary monthly spending (negative:
    spending exceeds income); ``monthly_gap`` is the shortfall (0 when none);
    ``pages`` the packet pages of the written 支出明细 (None before a build).
    """
    seen = picture(prep.case)
    if seen is None:
        return None
    first = {s.path: s.first_page for s in sources}
    documents = [d for d, _ in prep.documents]
    expenses = []
    for line in seen.lines:
        proof = resolve_proof(line.proof, documents) if line.proof else None
        expenses.append(
            {
                "item": mask_text(line.item),
                "amount": line.amount,
                "period": line.period.value,
                "date": None if line.by_month or line.day is None else line.day.isoformat(),
                "month": f"{line.day:%Y-%m}" if line.by_month and line.day else None,
                "proof": display_path(line.proof) if line.proof else None,
                "proof_page": first.get(proof.source.rel) if proof is not None else None,
            }
        )
    balance = seen.balance
    written = [
        [placed.first_page, placed.last_page]
        for section in (plan.sections if plan is not None else ())
        for placed in section.documents
        if placed.document.written
    ]
    return {
        "pages": written[0] if written else None,
        "monthly_income": seen.income,
        "previous_monthly_income": seen.previous_income,
        "dependants": seen.dependants,
        "monthly_spending": seen.monthly,
        "one_off_spending": seen.once,
        "monthly_balance": balance,
        "monthly_gap": None if balance is None else max(0.0, round(-balance, 2)),
        "plan_per_month": seen.plan_per_month,
        "left_after_plan": seen.left_after_plan,
        "expenses": expenses,
    }


def packet_pages(plan: PacketPlan | None) -> dict[str, int]:
    """Each placed file's first packet page (empty before a build)."""
    return {
        placed.document.source.rel: placed.first_page
        for section in (plan.sections if plan is not None else ())
        for placed in section.documents
        if not placed.document.written
    }


def fact_record(fact: Fact, first: dict[str, int]) -> dict[str, object]:
    """One fact as the manifest lists it: ``page`` the packet page (None before a build)."""
    start = first.get(fact.file)
    value = fact.value if isinstance(fact.value, float | str) else fact.value.isoformat()
    return {
        "file": fact.file,
        "page": None if start is None else start + fact.slot,
        "file_page": fact.page,
        "field": fact.field,
        "value": value,
        "text": mask_text(fact.text),
    }


def facts_block(prep: Prepared, plan: PacketPlan | None = None) -> list[dict[str, object]]:
    """The manifest's ``facts``: every figure, date and name the documents print, in packet order."""
    first = packet_pages(plan)
    return [fact_record(f, first) for f in prep.facts]


def proposals_block(prep: Prepared, plan: PacketPlan | None = None) -> list[dict[str, object]]:
    """The manifest's ``proposals``: entries case.toml lacks, each with the fact it comes from."""
    first = packet_pages(plan)
    documents = [d for d, _ in prep.documents]
    return [
        {
            "key": p.key,
            "section": p.section,
            "entry": dict(p.entry),
            "fact": fact_record(p.fact, first),
        }
        for p in proposals(prep.case, documents, prep.facts)
    ]


def request_block(prep: Prepared) -> dict[str, object]:
    """The manifest's ``request``: the plan, and the reasons the letter and the rules followed.

    ``reason`` stays one value (the first given, or None), as case.toml's
    ``reason`` was one value; ``reasons`` lists them all, in the order given.
    """
    req = prep.case.request
    return {
        "plan": req.plan.value if req.plan else None,
        "reason": req.reason[0].value if req.reason else None,
        "reasons": [r.value for r in req.reason],
    }


def manifest(
    prep: Prepared,
    sources: Sequence[SourceRecord],
    outputs: Sequence[OutputFile],
    lang: str,
    plan: PacketPlan | None = None,
) -> dict[str, object]:
    """manifest.json: the stable keys of design.md, every path masked."""
    return {
        "case": prep.name,
        "complete": prep.complete,
        "generated_by": GENERATED_BY,
        "sources": [
            {
                "path": s.path,
                "sha256": s.sha256,
                "kind": s.kind.value if s.kind else None,
                "pages": s.pages,
                "first_page": s.first_page,
                "last_page": s.last_page,
                "status": s.status.value,
                # Photos made into scans: the sheet's corners (x, y from top left, clockwise)
                # in the photo's upright pixels, one list of four per page cleaned.
                # "flattened", "cropped" (edges not trusted: cut out and levelled) or false.
                "cleaned": s.cleaned or False,
                "quads": [[list(q[i : i + 2]) for i in range(0, 8, 2)] for q in s.quads],
            }
            for s in sources
        ],
        "outputs": [
            {
                "path": o.path,
                "profile": o.profile,
                "sha256": o.sha256,
                "pages": o.pages,
                "bytes": o.bytes,
            }
            for o in outputs
        ],
        "findings": [
            {
                "severity": f.severity.value,
                "code": f.code,
                "file": f.file,
                "page": f.page,
                "message": message(f, lang),
            }
            for f in prep.findings
        ],
        "eligibility": [
            {
                "code": m.code,
                "value": round(m.value, 4),
                "limit": m.limit,
                "within": m.within,
                "source": m.source,
                "message": measure_text(m, lang),
            }
            for m in prep.guidance
        ],
        "review_window": None
        if prep.review is None
        else {
            "from": prep.review.earliest.isoformat(),
            "to": prep.review.latest.isoformat(),
            "from_estimated": prep.review.earliest_estimated,
            "to_estimated": prep.review.latest_estimated,
            "working_days": [prep.review.low, prep.review.high],
            # Whose word the working days are on: a holidays file, chinese_calendar, weekdays.
            "sources": [{"kind": s.kind, "detail": s.detail} for s in prep.review.sources],
        },
        # After the packet is sent (issue 25): where the case stands and the agreed schedule.
        "submission": submission_block(prep),
        "agreement": agreement_block(prep),
        "finances": finances_block(prep, sources, plan),
        # What the documents print (design.md): read back, never put in the letter on their own.
        "facts": facts_block(prep, plan),
        "proposals": proposals_block(prep, plan),
        "request": request_block(prep),
        # What the watcher compares at start to tell an up-to-date bundle from a stale one.
        "case_file_sha256": prep.case_file_sha256,
        # And the inbox's holidays.toml (None: there is none): a change moves review windows.
        "holidays_file_sha256": holidays_sha256(prep.case_dir),
    }


def submission_block(prep: Prepared) -> dict[str, object] | None:
    """[submission] as the read side understood it: state, working day, the window from it."""
    state = prep.standing
    if state is None:
        return None
    sub = prep.case.submission
    window = state.window
    return {
        "state": state.state,
        "date": sub.date.isoformat() if sub.date else None,
        "channel": sub.channel.value if sub.channel else None,
        "tracking": sub.tracking,
        "reference": sub.reference,
        "working_day": state.day if window is not None else None,
        "window": None
        if window is None
        else {
            "from": window.earliest.isoformat(),
            "to": window.latest.isoformat(),
            "estimated": window.estimated,
            "working_days": [window.low, window.high],
            "sources": [{"kind": s.kind, "detail": s.detail} for s in window.sources],
        },
    }


def agreement_block(prep: Prepared) -> dict[str, object] | None:
    """The agreed schedule: every due day and its amount in fen (their sum is ``total_fen``)."""
    plan = prep.schedule
    if plan is None:
        return None
    agreement = prep.case.agreement
    return {
        "date": agreement.date.isoformat() if agreement.date else None,
        "plan": agreement.plan.value if agreement.plan else None,
        "reference": agreement.reference,
        "total_fen": plan.total_fen,
        "dues": [
            {"index": d.index, "date": d.day.isoformat(), "fen": d.fen, "day_off": d.day_off}
            for d in plan.dues
        ],
    }


def manifest_bytes(data: dict[str, object]) -> bytes:
    """The manifest as written: UTF-8 JSON, Chinese as is, indented, newline-terminated."""
    return json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n"


def up_to_date(case_dir: Path, out_root: Path) -> bool:
    """True when ``out_root/<case>/manifest.json`` was built from exactly these files.

    Compares the sha256 of every source (and of case.toml) with the manifest,
    checks the published files are all there, and that this version of
    packager wrote it. Anything unreadable counts as stale.
    """
    folder = out_root / display_path(case_dir.name)
    try:
        data = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        if data.get("generated_by") != GENERATED_BY:
            return False
        case_sha = case_file_sha256(case_dir)
        if case_sha is None or data.get("case_file_sha256") != case_sha:
            return False
        if data.get("holidays_file_sha256") != holidays_sha256(case_dir):
            return False
        for output in data["outputs"]:
            if (folder / output["path"]).stat().st_size != output["bytes"]:
                return False
        recorded = sorted((s["path"], s["sha256"] or "") for s in data["sources"])
        found = intake(case_dir)
    except Exception:  # noqa: BLE001 - a missing or odd manifest, a vanished folder: build it
        return False
    current = sorted(
        [(f.rel, f.sha256) for f in found.files] + [(s.rel, s.sha256 or "") for s in found.skipped]
    )
    return current == recorded
