"""The three-level e-file catalogue: volume (正卷/副卷) → section → document.

No official SPC "三级目录" text could be found (DOMAIN-SOURCES.md §5, gaps), so this follows the paper-era order
of a civil first-instance main volume and the rule that deliberation and secret material go to the 副卷. It is
data: seeded into CatalogSection per case type by a migration, and editable by a court afterwards.
Each section lists the document kinds that land in it automatically; anything else lands in "其他材料".
"""

MAIN, SECONDARY = "main", "secondary"

CIVIL = [
    (MAIN, "01", "起诉与受理", ["complaint", "filing_application", "acceptance_notice", "fee_notice", "fee_receipt",
                           "application"]),
    (MAIN, "02", "当事人身份与授权", ["identity", "power_of_attorney", "business_license"]),
    (MAIN, "03", "证据材料", ["evidence", "evidence_list", "cross_examination"]),
    (MAIN, "04", "答辩与反诉", ["defence", "counterclaim"]),
    (MAIN, "05", "送达材料", ["summons", "service_receipt", "service_certificate", "notice"]),
    (MAIN, "06", "庭审与调解", ["hearing_transcript", "mediation_transcript", "mediation_agreement", "agent_statement",
                           "space_transcript"]),
    (MAIN, "07", "鉴定与保全", ["appraisal_report", "preservation_ruling"]),
    (MAIN, "08", "裁判文书", ["judgment", "ruling", "mediation_statement", "payment_order"]),
    (MAIN, "90", "其他材料", ["other"]),
    (SECONDARY, "51", "审理报告与合议", ["trial_report", "deliberation_record"]),
    (SECONDARY, "52", "审批与内部材料", ["approval", "internal_note", "judicial_committee_record"]),
    (SECONDARY, "99", "副卷其他材料", ["secondary_other"]),
]

ENFORCEMENT = [
    (MAIN, "01", "执行申请与立案", ["enforcement_application", "filing_application", "acceptance_notice", "identity"]),
    (MAIN, "02", "执行依据", ["judgment", "ruling", "mediation_statement"]),
    (MAIN, "03", "财产调查与控制", ["property_report", "preservation_ruling", "evidence"]),
    (MAIN, "04", "送达材料", ["notice", "service_receipt", "service_certificate"]),
    (MAIN, "05", "执行裁定与结案", ["enforcement_ruling", "closure_notice"]),
    (MAIN, "90", "其他材料", ["other"]),
    (SECONDARY, "51", "执行审批与合议", ["approval", "deliberation_record", "internal_note"]),
    (SECONDARY, "99", "副卷其他材料", ["secondary_other"]),
]

SENTENCE_CHANGE = [
    (MAIN, "01", "提请与立案", ["commutation_proposal", "filing_application", "acceptance_notice"]),
    (MAIN, "02", "罪犯改造材料", ["reform_record", "evidence", "identity"]),
    (MAIN, "03", "公示与监督", ["public_notice", "procuratorate_opinion"]),
    (MAIN, "04", "裁定与送达", ["ruling", "service_receipt", "notice"]),
    (MAIN, "90", "其他材料", ["other"]),
    (SECONDARY, "51", "合议与审批", ["deliberation_record", "approval", "trial_report"]),
    (SECONDARY, "99", "副卷其他材料", ["secondary_other"]),
]

CATALOG_BY_CATEGORY = {
    "civil": CIVIL,
    "mediation": CIVIL,
    "administrative": CIVIL,
    "preservation": CIVIL,
    "bankruptcy": CIVIL,
    "enforcement": ENFORCEMENT,
    "criminal": SENTENCE_CHANGE,
}

DOCUMENT_KIND_LABELS = {
    "complaint": "起诉状",
    "filing_application": "立案申请",
    "acceptance_notice": "受理通知书",
    "fee_notice": "交费通知书",
    "fee_receipt": "交费凭证",
    "identity": "身份证明",
    "power_of_attorney": "授权委托书",
    "business_license": "营业执照",
    "evidence": "证据",
    "evidence_list": "证据清单",
    "cross_examination": "质证意见",
    "defence": "答辩状",
    "application": "申请书",
    "agent_statement": "代理词",
    "counterclaim": "反诉状",
    "summons": "传票",
    "service_receipt": "送达回证",
    "service_certificate": "电子送达凭证",
    "notice": "通知书",
    "hearing_transcript": "庭审笔录",
    "mediation_transcript": "调解笔录",
    "space_transcript": "案件空间记录",
    "mediation_agreement": "调解协议",
    "appraisal_report": "鉴定意见",
    "preservation_ruling": "保全裁定",
    "judgment": "判决书",
    "ruling": "裁定书",
    "mediation_statement": "调解书",
    "payment_order": "支付令",
    "trial_report": "审理报告",
    "deliberation_record": "合议笔录",
    "approval": "审批表",
    "internal_note": "内部意见",
    "judicial_committee_record": "审委会记录",
    "enforcement_application": "执行申请书",
    "property_report": "财产报告",
    "enforcement_ruling": "执行裁定书",
    "closure_notice": "结案通知书",
    "commutation_proposal": "减刑建议书",
    "reform_record": "改造表现材料",
    "public_notice": "公示材料",
    "procuratorate_opinion": "检察意见",
    "other": "其他材料",
    "secondary_other": "副卷其他材料",
    "payout_record": "案款发还笔录",
}


# --- who may issue each kind ------------------------------------------------------------------------------------
# A kind says who makes such a document: the court (its rulings, notices, transcripts, internal papers), a party
# (or the lawyer acting for one), or an outside institution taking part in the case (a prison, a procuratorate, an
# appraisal institution). Parties and lawyers may submit party kinds only; an institution its own kinds too; court
# staff any kind. Court kinds reach a case through the papers flow (core/papers), which only court staff can use.
COURT, PARTY, INSTITUTION = "court", "party", "institution"

COURT_KINDS = frozenset({
    "acceptance_notice", "fee_notice", "summons", "service_receipt", "service_certificate", "notice",
    "hearing_transcript", "mediation_transcript", "space_transcript", "preservation_ruling", "judgment", "ruling", "mediation_statement",
    "payment_order", "trial_report", "deliberation_record", "approval", "internal_note", "judicial_committee_record",
    "enforcement_ruling", "closure_notice", "public_notice", "secondary_other", "payout_record",
})
INSTITUTION_KINDS = frozenset({"appraisal_report", "commutation_proposal", "reform_record", "procuratorate_opinion"})

# the institution kinds each outside case role may submit (besides the party kinds)
INSTITUTION_KINDS_BY_ROLE = {
    "prison_officer": frozenset({"commutation_proposal", "reform_record"}),
    "procurator": frozenset({"procuratorate_opinion"}),
    "appraiser": frozenset({"appraisal_report"}),
}
INSTITUTION_ROLES = frozenset(INSTITUTION_KINDS_BY_ROLE)


def kind_issuer(kind: str) -> str:
    """court | party | institution: who makes documents of this kind. Unknown kinds are a party's material."""
    if kind in COURT_KINDS:
        return COURT
    if kind in INSTITUTION_KINDS:
        return INSTITUTION
    return PARTY


def kinds_submittable_by(*, court_staff: bool, roles) -> set[str] | None:
    """The kinds a person in these case roles may submit; None means any (court staff)."""
    if court_staff:
        return None
    allowed = set(DOCUMENT_KIND_LABELS) - COURT_KINDS - INSTITUTION_KINDS
    for role in roles:
        allowed |= INSTITUTION_KINDS_BY_ROLE.get(role, frozenset())
    return allowed


# the kind a submission form starts on, by the submitter's standing in the case
DEFAULT_KIND_BY_PARTY_ROLE = {
    "plaintiff": "evidence", "appellant": "evidence", "applicant": "evidence",
    "defendant": "defence", "appellee": "defence", "respondent": "defence",
    "third_party": "evidence", "convict": "evidence",
}
DEFAULT_KIND_BY_ROLE = {"prison_officer": "reform_record", "procurator": "procuratorate_opinion",
                        "appraiser": "appraisal_report"}

DOCUMENT_KIND_LABELS_EN = {
    "complaint": "Statement of claim", "filing_application": "Filing application",
    "acceptance_notice": "Notice of acceptance", "fee_notice": "Notice of fees", "fee_receipt": "Fee receipt",
    "identity": "Proof of identity", "power_of_attorney": "Power of attorney", "business_license": "Business licence",
    "evidence": "Evidence", "evidence_list": "List of evidence", "cross_examination": "Cross-examination opinion",
    "defence": "Statement of defence", "counterclaim": "Counterclaim", "application": "Application",
    "agent_statement": "Statement of the agent ad litem", "summons": "Summons",
    "service_receipt": "Service receipt", "service_certificate": "Electronic service certificate", "notice": "Notice",
    "hearing_transcript": "Hearing transcript", "mediation_transcript": "Mediation transcript",
    "space_transcript": "Case space transcript",
    "mediation_agreement": "Mediation agreement", "appraisal_report": "Appraisal opinion",
    "preservation_ruling": "Preservation ruling", "judgment": "Judgment", "ruling": "Ruling",
    "mediation_statement": "Mediation statement", "payment_order": "Payment order", "trial_report": "Trial report",
    "deliberation_record": "Deliberation record", "approval": "Approval form", "internal_note": "Internal note",
    "judicial_committee_record": "Judicial committee record", "enforcement_application": "Enforcement application",
    "property_report": "Property report", "enforcement_ruling": "Enforcement ruling",
    "closure_notice": "Closure notice", "commutation_proposal": "Commutation proposal",
    "reform_record": "Record of reform", "public_notice": "Public notice",
    "procuratorate_opinion": "Procuratorate opinion", "other": "Other material",
    "secondary_other": "Other material (secondary volume)", "payout_record": "Record of payout",
}


def kind_label(kind: str) -> str:
    """The kind's name in the active language (Chinese unless English is chosen)."""
    from django.utils.translation import get_language

    if (get_language() or "").startswith("en"):
        return DOCUMENT_KIND_LABELS_EN.get(kind, kind)
    return DOCUMENT_KIND_LABELS.get(kind, kind)
