"""采用: a figure read from a document, written into case.toml because the person said so.

The proposals come from the last build's manifest (``proposals``: what
case.toml lacks and a page prints); the form posts only a proposal's key,
never a figure, so what is written is exactly what the page printed. The
entry is added through tomlkit (comments and layout kept) with ``proof``
naming the file; a proposal already satisfied (income written meanwhile, an
expense already naming that file) is refused, never written twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Table

from packager.read.casefile import CASE_FILE, Case
from packager.web.forms import write_case_file

ENTRY_KEYS = ("item", "amount", "period", "date", "proof")


def _number(value: object) -> int | float:
    """4800 as a person writes it, 236.5 as printed."""
    amount = float(str(value))
    return int(amount) if amount.is_integer() else amount


def open_proposals(
    manifest: Mapping[str, object] | None, case: Case | None
) -> list[dict[str, object]]:
    """The manifest's proposals case.toml does not satisfy yet (what the page offers to adopt)."""
    raw = manifest.get("proposals") if manifest else None
    if not isinstance(raw, list) or case is None:
        return []
    proved = {e.proof for e in case.expense if e.proof}
    out: list[dict[str, object]] = []
    for p in raw:
        if not isinstance(p, dict) or not isinstance(p.get("entry"), dict):
            continue
        entry = p["entry"]
        if (p.get("section") == "finances" and case.finances.monthly_income is None) or (
            p.get("section") == "expense" and entry.get("proof") not in proved
        ):
            out.append(p)
    return out


def find(proposals: Sequence[Mapping[str, object]], key: str) -> Mapping[str, object] | None:
    """The proposal a form names by its key, or None."""
    return next((p for p in proposals if p.get("key") == key), None)


def adopt(raw: str, proposal: Mapping[str, object]) -> str:
    """case.toml text with the proposal's entry written in (comments and layout kept)."""
    doc = tomlkit.parse(raw)
    entry = proposal["entry"]
    if not isinstance(entry, Mapping):
        raise ValueError("a proposal without an entry")
    if proposal.get("section") == "finances":
        table = doc.get("finances")
        if not isinstance(table, Table):
            table = tomlkit.table()
            doc["finances"] = table
            table = doc["finances"]
        table["monthly_income"] = _number(entry["monthly_income"])
        return tomlkit.dumps(doc)
    expenses = doc.get("expense")
    if not isinstance(expenses, AoT):
        expenses = AoT([])
        doc["expense"] = expenses
    row = tomlkit.table()
    for key in ENTRY_KEYS:
        value = entry.get(key)
        if value is None:
            continue
        if key == "amount":
            row[key] = _number(value)
        elif key == "date":
            row[key] = date.fromisoformat(str(value))  # a TOML date, as a person would write it
        else:
            row[key] = str(value)
    expenses.append(row)
    return tomlkit.dumps(doc)


def into_case_file(
    folder: Path, manifest: Mapping[str, object] | None, case: Case | None, key: str
) -> bool | None:
    """Write the proposal named ``key`` into the case's case.toml (comments kept).

    None: no such proposal is offered any more; False: case.toml is not TOML, so
    nothing was written; True: written.
    """
    proposal = find(open_proposals(manifest, case), key)
    if proposal is None:
        return None
    raw = (folder / CASE_FILE).read_text(encoding="utf-8-sig")
    try:
        text = adopt(raw, proposal)
    except (TOMLKitError, ValueError):
        return False
    write_case_file(folder, text)
    return True
