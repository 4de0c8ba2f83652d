"""report.html's 从材料中读到的数字: every fact with its page, then what may be adopted.

Facts are shown for checking only: the letter and the 支出明细 page state
what the person wrote. Each row names the file, its page and the packet
page, the value as a person reads it and the line it was read from.
"""

from __future__ import annotations

import re
from datetime import date

from packager.manifest import facts_block
from packager.messages import day_text, message, text
from packager.models import PacketPlan
from packager.read.prepare import Prepared

PROPOSALS = ("PROPOSE_INCOME", "PROPOSE_EXPENSE")


def fact_value(record: dict[str, object], lang: str) -> str:
    """A fact's value as the report shows it: 3,520.00 元, 2026年10月8日, a name."""
    value = record["value"]
    if isinstance(value, float):
        return text("fact_amount", lang, amount=f"{value:,.2f}")
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return day_text(date.fromisoformat(value), lang).split("（")[0]
    return str(value)


def facts_section(prep: Prepared, plan: PacketPlan, lang: str) -> dict[str, object] | None:
    """The section 从材料中读到的数字: each fact with its page, then what may be adopted."""
    records = facts_block(prep, plan)
    if not records:
        return None
    rows = []
    for record in records:
        where = text("facts_where", lang, file=record["file"], page=record["file_page"])
        if record["page"] is not None:
            where += text("facts_packet_page", lang, n=record["page"])
        rows.append(
            {
                "where": where,
                "field": text(f"fact_{record['field']}", lang),
                "value": fact_value(record, lang),
                "text": record["text"],
                "page": record["page"],
            }
        )
    return {
        "title": text("sec_facts", lang),
        "note": text("facts_note", lang),
        "rows": rows,
        "proposals_title": text("sec_proposals", lang),
        "proposals": [message(f, lang) for f in prep.findings if f.code in PROPOSALS],
    }
