"""The template library: which papers exist, their variables, and where signatures go.

Each template is an HTML file (Django template language) under `templates/`, rendered to PDF by WeasyPrint.
A court edits a template by copying the file into `settings.DOCUMENT_TEMPLATES_DIR` (default
`<data dir>/document-templates/`) and changing it: that directory is searched first. The variables and
signature slots below are the contract the HTML may rely on.

Why HTML/CSS rather than DOCX (docxtpl): rendering needs no office suite (LibreOffice costs ~1 s and 200 MB
per conversion, WeasyPrint ~0.1 s in-process), the layout rules of court papers (A4 margins, centred title,
right-aligned case number, 仿宋/宋体) are a few lines of CSS, fonts are embedded and subset so the text
extracts exactly, and the positions of signature slots can be read back from the layout to place visible
signatures. Court staff who know Word can still edit the HTML's text; the structure is plain.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from yunting.kernel.common.errors import NotFound

from .variables import Var, VarType

T, P, D, DT, M, N, L = (VarType.TEXT, VarType.PROSE, VarType.DATE, VarType.DATETIME, VarType.MONEY, VarType.INT,
                        VarType.LIST)


class SlotKind(StrEnum):
    PERSON = "person"  # a named court officer signs with a personal certificate
    SEAL = "seal"  # the court seal (院印)
    HANDWRITING = "handwriting"  # a party signs on a screen; the platform signs on their behalf


@dataclass(frozen=True)
class Slot:
    name: str  # the PDF signature field name, and `data-sig-slot` in the HTML
    label: str
    kind: SlotKind
    width_mm: float = 45
    height_mm: float = 18


@dataclass(frozen=True)
class Template:
    code: str
    title: str  # the paper's title, printed centred
    kind: str  # e-file document kind (core.efile.catalog)
    file: str
    variables: tuple[Var, ...]
    slots: tuple[Slot, ...] = ()  # in signing order

    def var(self, name: str) -> Var:
        return next(v for v in self.variables if v.name == name)

    @property
    def editable(self) -> tuple[Var, ...]:
        return tuple(v for v in self.variables if v.editable)


# variables every paper has
COMMON = (
    Var("court_name", T, "法院名称"),
    Var("case_number", T, "案号"),
    Var("cause", T, "案由"),
    Var("issue_date", D, "落款日期"),
)
PARTIES = Var("parties", L, "当事人", help="[{label, name, detail}]")
RECIPIENT = Var("recipient", T, "受送达人")
JUDGE = Var("judge_name", T, "审判员")
CLERK = Var("clerk_name", T, "书记员")
CONTACT = Var("contact", T, "联系人及电话", required=False, editable=True)

JUDGE_SLOT = Slot("judge", "审判员签名", SlotKind.PERSON)
CLERK_SLOT = Slot("clerk", "书记员签名", SlotKind.PERSON)
SEAL_SLOT = Slot("seal", "院印", SlotKind.SEAL, width_mm=42, height_mm=42)

TEMPLATES: dict[str, Template] = {}


def _add(t: Template) -> None:
    TEMPLATES[t.code] = t


_add(Template(
    "acceptance_notice", "受理案件通知书", "acceptance_notice", "acceptance_notice.html",
    (*COMMON, RECIPIENT, Var("filed_date", D, "收到起诉状日期"), Var("fee", M, "预交案件受理费"),
     Var("fee_days", N, "交费期限（日）"), Var("procedure", T, "适用程序"), JUDGE, CONTACT,
     Var("notes", P, "其他告知事项", required=False, editable=True)),
    (SEAL_SLOT,),
))
_add(Template(
    "response_notice", "应诉通知书", "notice", "response_notice.html",
    (*COMMON, RECIPIENT, Var("plaintiffs", T, "原告"), Var("answer_days", N, "答辩期（日）"),
     Var("evidence_days", N, "举证期限（日）"), JUDGE, CONTACT,
     Var("notes", P, "其他告知事项", required=False, editable=True)),
    (SEAL_SLOT,),
))
_add(Template(
    "evidence_notice", "举证通知书", "notice", "evidence_notice.html",
    (*COMMON, RECIPIENT, Var("evidence_days", N, "举证期限（日）"), Var("evidence_deadline", D, "举证期限届满日"),
     Var("notes", P, "需要提交的证据", required=False, editable=True), CONTACT),
    (SEAL_SLOT,),
))
_add(Template(
    "summons", "传票", "summons", "summons.html",
    (*COMMON, RECIPIENT, Var("appear_as", T, "被传唤人诉讼地位"), Var("appear_reason", T, "传唤事由"),
     Var("appear_at", DT, "应到时间"), Var("place", T, "应到处所"),
     Var("notes", P, "注意事项", required=False, editable=True), JUDGE, CLERK),
    (SEAL_SLOT,),
))
_add(Template(
    "witness_notice", "在线出庭作证通知书", "notice", "witness_notice.html",
    (*COMMON, RECIPIENT, Var("applicant", T, "申请人"), Var("witness_name", T, "证人"),
     Var("facts", T, "待证事实"), Var("place", T, "作证方式与场所"),
     Var("notes", P, "其他告知事项", required=False, editable=True), JUDGE),
    (SEAL_SLOT,),
))
_add(Template(
    "service_receipt", "送达回证", "service_receipt", "service_receipt.html",
    (*COMMON, RECIPIENT, Var("served_documents", L, "送达文书", help="[{title, number}]"),
     Var("address", T, "送达地址", required=False, editable=True), Var("method", T, "送达方式"),
     Var("server_name", T, "送达人"), Var("served_at", DT, "送达时间", required=False),
     Var("remarks", P, "备考", required=False, editable=True)),
    (Slot("recipient", "受送达人签名", SlotKind.HANDWRITING, 50, 20), Slot("server", "送达人签名", SlotKind.PERSON),
     SEAL_SLOT),
))
_add(Template(
    "withdrawal_ruling", "民事裁定书", "ruling", "withdrawal_ruling.html",
    (*COMMON, PARTIES, Var("plaintiffs", T, "原告"), Var("defendants", T, "被告"), Var("filed_date", D, "立案日期"),
     Var("withdraw_date", D, "申请撤诉日期"),
     Var("reasoning", P, "本院认为", editable=True), Var("fee", M, "案件受理费"), Var("fee_payer", T, "负担人"),
     JUDGE, CLERK),
    (JUDGE_SLOT, CLERK_SLOT, SEAL_SLOT),
))
_add(Template(
    # 不予受理裁定 (CPL 126, 157 I(1)): the court refuses a filing; appealable within 10 days of service (CPL 171)
    "rejection_ruling", "民事裁定书", "ruling", "rejection_ruling.html",
    (*COMMON, PARTIES, Var("plaintiffs", T, "起诉人"), Var("defendants", T, "被起诉人"),
     Var("filed_date", D, "收到起诉状日期"), Var("reasoning", P, "本院经审查认为", editable=True),
     Var("appeal_days", N, "上诉期（日）"), Var("appeal_court", T, "上诉法院"), JUDGE,
     Var("clerk_name", T, "书记员", required=False)),
    (SEAL_SLOT,),
))
_add(Template(
    "mediation_statement", "民事调解书", "mediation_statement", "mediation_statement.html",
    (*COMMON, PARTIES, Var("plaintiffs", T, "原告"), Var("defendants", T, "被告"),
     Var("claims", P, "原告诉讼请求及事实理由", editable=True),
     Var("agreement", P, "调解协议内容", editable=True), Var("fee", M, "案件受理费"),
     Var("fee_terms", T, "受理费负担", editable=True), JUDGE, CLERK),
    (JUDGE_SLOT, CLERK_SLOT, SEAL_SLOT),
))
_add(Template(
    "judgment", "民事判决书", "judgment", "judgment.html",
    (*COMMON, PARTIES, Var("plaintiffs", T, "原告"), Var("defendants", T, "被告"), Var("filed_date", D, "立案日期"),
     Var("procedure", T, "适用程序"), Var("hearing_text", T, "开庭情况", editable=True),
     Var("claims", P, "原告诉称", editable=True), Var("defence", P, "被告辩称", editable=True),
     Var("facts", P, "本院查明", editable=True), Var("reasoning", P, "本院认为", editable=True),
     Var("legal_basis", T, "法律依据", editable=True), Var("orders", P, "判决主文", editable=True),
     Var("claim_amount", M, "诉讼标的额", required=False), Var("fee", M, "案件受理费"),
     Var("fee_payer", T, "受理费负担人", editable=True), Var("appeal_court", T, "上诉法院"),
     Var("appeal_days", N, "上诉期（日）"), JUDGE, CLERK),
    (JUDGE_SLOT, CLERK_SLOT, SEAL_SLOT),
))
_add(Template(
    "trial_report", "审理报告", "trial_report", "trial_report.html",
    (*COMMON, PARTIES, Var("filed_date", D, "立案日期"), Var("procedure", T, "适用程序"),
     Var("claim_amount", M, "诉讼标的额", required=False), Var("judge_name", T, "承办法官"),
     Var("summary", P, "案件由来及审理经过", editable=True), Var("claims", P, "诉辩意见", editable=True),
     Var("facts", P, "审理查明的事实", editable=True), Var("issues", P, "争议焦点", editable=True),
     Var("opinion", P, "处理意见及理由", editable=True)),
    (JUDGE_SLOT,),
))
_add(Template(
    "deliberation_record", "合议笔录", "deliberation_record", "deliberation_record.html",
    (*COMMON, Var("held_at", DT, "合议时间"), Var("place", T, "合议地点"),
     Var("panel", L, "合议庭成员", help="[{role, name}]"), CLERK, Var("case_title", T, "案件"),
     Var("discussion", P, "评议意见", editable=True), Var("conclusion", P, "合议结论", editable=True)),
    (JUDGE_SLOT, CLERK_SLOT),
))
_add(Template(
    "hearing_transcript", "庭审笔录", "hearing_transcript", "hearing_transcript.html",
    (*COMMON, Var("held_at", DT, "开庭时间"), Var("place", T, "开庭地点"), JUDGE, CLERK,
     Var("attendees", T, "到庭人员", editable=True), Var("record", P, "庭审记录", editable=True),
     # filled by workflows/transcripts: absence and leaving from the room's trail, the review version, and one
     # signature line per participant ([{label, slot}]; the template's slots are then replaced to match)
     Var("absences", T, "缺席及中途退庭", required=False), Var("version_note", T, "笔录版本", required=False),
     Var("signers", L, "签名人", required=False, help="[{label, slot}]")),
    (Slot("party", "当事人签名", SlotKind.HANDWRITING, 50, 20), JUDGE_SLOT, CLERK_SLOT),
))

_add(Template(
    # 调解协议书 (OMR art 20; 人民调解法 art 28): the parties' own agreement, drafted by the mediator. Not a court
    # paper: `court_name` carries the mediation organisation. Its slots (one per party, then the mediator) are
    # set per dispute (dataclasses.replace), all hand-signed on screen.
    "mediation_agreement", "调解协议书", "mediation_agreement", "mediation_agreement.html",
    (*COMMON, PARTIES, Var("organisation_name", T, "调解组织"), Var("mediator_name", T, "调解员"),
     Var("applied_date", D, "申请调解日期"), Var("facts", P, "纠纷简要事实", editable=True),
     Var("terms", P, "协议内容", editable=True), Var("signers", L, "签名人", help="[{label, name, slot}]")),
    (Slot("party_1", "当事人签名", SlotKind.HANDWRITING, 50, 20), Slot("mediator", "调解员签名", SlotKind.HANDWRITING, 50, 20)),
))
_add(Template(
    # 司法确认裁定 (CPL arts 205–206; SJC): the court rules an agreement valid, or refuses; effective at once
    "confirmation_ruling", "民事裁定书", "ruling", "confirmation_ruling.html",
    (*COMMON, PARTIES, Var("applicants", T, "申请人"), Var("applied_date", D, "申请日期"),
     Var("agreement_date", D, "协议日期"), Var("organisation_name", T, "调解组织"),
     Var("agreement_terms", P, "协议内容"), Var("reasoning", P, "本院经审查认为", editable=True),
     Var("orders", P, "裁定主文", editable=True), JUDGE, Var("clerk_name", T, "书记员", required=False)),
    (JUDGE_SLOT, SEAL_SLOT),
))
_add(Template(
    # 诉前调查报告: what a failed pre-litigation mediation hands to the trial: undisputed facts, disputed points
    "investigation_report", "诉前调查报告", "mediation_transcript", "investigation_report.html",
    (*COMMON, PARTIES, Var("organisation_name", T, "调解组织"), Var("mediator_name", T, "调解员"),
     Var("claims", P, "申请人请求"), Var("claim_amount", M, "争议金额", required=False),
     Var("record", P, "调解经过"), Var("undisputed", P, "无争议事实", required=False),
     Var("disputed", P, "争议焦点", required=False), Var("outcome", P, "调解结果")),
))


def template_get(code: str) -> Template:
    try:
        return TEMPLATES[code]
    except KeyError:
        raise NotFound("没有这个文书模板", code="template_not_found", data={"template": code}) from None


def template_list() -> list[Template]:
    return list(TEMPLATES.values())
