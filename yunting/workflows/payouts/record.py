"""The distribution record (案款发还笔录) of one recipient: the whole distribution, the recipient's own (masked)
account, their handwritten signature (the platform signs on their behalf), then the court seal on approval.
Rendered by kernel/documents (WeasyPrint, fonts embedded)."""

from __future__ import annotations

from yunting.kernel.documents.library import COMMON, SEAL_SLOT, Slot, SlotKind, Template, Var, VarType

T, L, M, DT = VarType.TEXT, VarType.LIST, VarType.MONEY, VarType.DATETIME
RECIPIENT_SLOT = Slot("recipient", "领款人签名", SlotKind.HANDWRITING, 50, 20)
TEMPLATE = Template(
    "payout_record", "案款发还笔录", "payout_record", "payout_record.html",
    (*COMMON, Var("recipient", T, "领款人"), Var("received_total", M, "收到案款"),
     Var("shares", L, "分配方案", help="[{name, role, amount}]"), Var("amount", M, "本人应领金额"),
     Var("bank_name", T, "开户行"), Var("account_masked", T, "银行账号"), Var("account_name", T, "账户名"),
     Var("confirmed_at", DT, "确认时间"), Var("judge_name", T, "执行法官"), Var("note", T, "说明", required=False)),
    (RECIPIENT_SLOT, SEAL_SLOT),
)
