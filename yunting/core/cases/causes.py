"""The official civil cause list (民事案件案由规定, all four levels) as data, and which causes fit which case types.

The list is `data/civil_causes.txt` (its header names the revision and the source). `causes_load` writes it into
the Cause table — from the data migration, and from `reference_data_ensure` for tests that flush tables — and is
idempotent. The causes Yunting shipped before the list keep their codes (MS-0001 …): cases reference them, so a
listed cause with the same name takes over that row instead of getting a new code.

Levels: 1 = 第一部分 … (a grouping, never chosen), 2 = 一、二、…, 3 = 1. 2. …, 4 = (1) (2) ….  The SPC's rule is to
take the most specific level that fits (fourth, else third, else second), so levels 2–4 can be chosen; a
second-level category whose only cause has the same name (不当得利纠纷) is chosen through that cause.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "civil_causes.txt"
NON_LITIGATION_PART = "非讼程序案件案由"
# second-level categories whose causes belong to a case type of their own rather than to civil litigation
CATEGORY_OF_GROUP = {"申请保全案件": "preservation", "破产程序案件": "bankruptcy"}
CIVIL_LITIGATION_TYPES = ("民初", "民终", "民诉前调", "民督")
PAYMENT_ORDER_CAUSE = "申请支付令"
NUMERALS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 59 → 五十九 (the second-level numbering)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else NUMERALS[tens] + "十"
    return head + (NUMERALS[ones] if ones else "")


@dataclass(frozen=True)
class OfficialCause:
    key: str  # "P04", "C10", "108", "108.3": stable position in the list
    name: str
    level: int
    number: str  # as printed: 第四部分 · 十 · 108 · 108.(3)
    parent_key: str
    order: int
    category: str
    non_litigation: bool
    selectable: bool


@cache
def official_causes() -> tuple[OfficialCause, ...]:
    rows: list[dict] = []
    part = group = third = None
    n_part = n_group = n_third = n_fourth = 0
    part_name = group_name = ""
    for line in DATA_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("= "):
            n_part += 1
            part_name = line[2:].strip()
            part = {"key": f"P{n_part:02d}", "name": part_name, "level": 1, "number": f"第{chinese_ordinal(n_part)}部分",
                    "parent_key": ""}
            rows.append(part)
        elif line.startswith("- "):
            n_group += 1
            group_name = line[2:].strip()
            group = {"key": f"C{n_group:02d}", "name": group_name, "level": 2, "number": chinese_ordinal(n_group),
                     "parent_key": part["key"]}
            rows.append(group)
        elif line.startswith("  "):
            n_fourth += 1
            rows.append({"key": f"{n_third}.{n_fourth}", "name": line.strip(), "level": 4,
                         "number": f"{n_third}.({n_fourth})", "parent_key": third["key"]})
        else:
            n_third += 1
            n_fourth = 0
            third = {"key": str(n_third), "name": line.strip(), "level": 3, "number": str(n_third),
                     "parent_key": group["key"]}
            rows.append(third)
        rows[-1]["part"], rows[-1]["group"] = part_name, group_name
    children: dict[str, set[str]] = {}
    for r in rows:
        children.setdefault(r["parent_key"], set()).add(r["name"])
    out = []
    for order, r in enumerate(rows, start=1):
        selectable = r["level"] >= 2 and not (r["level"] == 2 and r["name"] in children.get(r["key"], set()))
        out.append(OfficialCause(
            key=r["key"], name=r["name"], level=r["level"], number=r["number"], parent_key=r["parent_key"],
            order=order, category=CATEGORY_OF_GROUP.get(r["group"], "civil") if r["level"] > 2 else "civil",
            non_litigation=r["part"] == NON_LITIGATION_PART and r["level"] > 1, selectable=selectable))
    return tuple(out)


def official_code(key: str) -> str:
    return f"AY-{key}"


def causes_load(Cause) -> int:
    """Write the official list into `Cause` (the model class: a migration passes its historical one). Rows that
    exist (by code, or an earlier cause with the same name) are updated in place; returns how many were new."""
    official = official_causes()
    rows = list(Cause.objects.all())
    by_code = {c.code: c for c in rows}
    existing = {c.name: c for c in rows if c.selectable}
    code_of: dict[str, str] = {}
    new, changed = [], []
    fields = ("parent_id", "level", "number", "order", "selectable", "non_litigation")
    for oc in official:
        row = by_code.get(official_code(oc.key)) or (existing.get(oc.name) if oc.selectable else None)
        values = {"parent_id": code_of.get(oc.parent_key), "level": oc.level, "number": oc.number,
                  "order": oc.order, "selectable": oc.selectable, "non_litigation": oc.non_litigation}
        if row is None:
            row = Cause(code=official_code(oc.key), name=oc.name, category=oc.category, **values)
            new.append(row)
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
        code_of[oc.key] = row.code
    Cause.objects.bulk_create(new, batch_size=500)  # parents come before their children in the list
    if changed:
        Cause.objects.bulk_update(changed, fields, batch_size=500)
    return len(new)


def cause_fits(*, cause_category: str, non_litigation: bool, cause_name: str, type_code: str,
               type_category: str) -> bool:
    """Whether a cause may be filed under a case type: the same category (pre-litigation mediation takes civil
    litigation causes); civil 非讼 causes (司法确认, 宣告失踪 …) only under 民特, 申请支付令 under 民督 too;
    civil litigation causes under 民初, 民终, 民诉前调 and 民督 (a payment order is asked on a money claim)."""
    if type_category == "mediation":
        return cause_category == "civil" and not non_litigation
    if cause_category != type_category:
        return False
    if cause_category != "civil":
        return True
    if non_litigation:
        return type_code == "民特" or (type_code == "民督" and cause_name == PAYMENT_ORDER_CAUSE)
    return type_code in CIVIL_LITIGATION_TYPES
