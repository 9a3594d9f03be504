"""Example variables for every template: used by tests, `make bench` and the template gallery."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")
_common = {
    "court_name": "深圳市宝安区人民法院",
    "case_number": "（2026）粤0306民初1234号",
    "cause": "民间借贷纠纷",
    "issue_date": date(2026, 11, 20),
}
_parties = [
    {"label": "原告", "name": "张伟", "detail": "男，1949年12月31日出生，汉族，住北京市西城区"},
    {"label": "委托诉讼代理人", "name": "黄志强", "detail": "广东宝城律师事务所律师"},
    {"label": "被告", "name": "李娜", "detail": "女，1991年1月1日出生，汉族，住江西省九江市"},
]

SAMPLES: dict[str, dict] = {
    "acceptance_notice": {**_common, "recipient": "张伟", "filed_date": date(2026, 11, 18), "fee": Decimal("1150.00"),
                          "fee_days": 7, "procedure": "简易程序", "judge_name": "王立明",
                          "contact": "刘晓燕 0755-27891234", "notes": ""},
    "response_notice": {**_common, "recipient": "李娜", "plaintiffs": "张伟", "answer_days": 15, "evidence_days": 15,
                        "judge_name": "王立明", "contact": "刘晓燕 0755-27891234"},
    "evidence_notice": {**_common, "recipient": "李娜", "evidence_days": 15, "evidence_deadline": date(2026, 12, 7),
                        "notes": "借条原件、转账记录。"},
    "summons": {**_common, "recipient": "李娜", "appear_as": "被告", "appear_reason": "开庭审理",
                "appear_at": datetime(2026, 12, 15, 9, 30, tzinfo=SH), "place": "本院第三法庭（云庭在线法庭）",
                "judge_name": "王立明", "clerk_name": "刘晓燕"},
    "service_receipt": {**_common, "recipient": "李娜",
                        "served_documents": [{"title": "应诉通知书", "number": "（2026）粤0306民初1234号"},
                                             {"title": "举证通知书"}, {"title": "传票"}],
                        "address": "江西省九江市浔阳区某路1号", "method": "电子送达（云庭平台）",
                        "server_name": "孙浩然", "served_at": datetime(2026, 11, 21, 10, 5, tzinfo=SH)},
    "withdrawal_ruling": {**_common, "parties": _parties, "plaintiffs": "张伟", "defendants": "李娜",
                          "filed_date": date(2026, 11, 18), "withdraw_date": date(2026, 11, 25),
                          "reasoning": "原告撤诉的申请符合法律规定，应予准许。", "fee": Decimal("2300.00"),
                          "fee_payer": "原告张伟", "judge_name": "王立明", "clerk_name": "刘晓燕"},
    "rejection_ruling": {**_common, "parties": [{"label": "起诉人", "name": "张伟", "detail": "住深圳市宝安区新安街道"},
                                                {"label": "被起诉人", "name": "陈明", "detail": ""}],
                         "plaintiffs": "张伟", "defendants": "陈明", "filed_date": date(2026, 11, 18),
                         "reasoning": "起诉人就同一借款已于2024年起诉，本院作出的判决已发生法律效力，本次起诉违反"
                                      "“一事不再理”原则。", "appeal_days": 10,
                         "appeal_court": "广东省深圳市中级人民法院", "judge_name": "赵文静"},
    "mediation_statement": {**_common, "parties": _parties, "plaintiffs": "张伟", "defendants": "李娜",
                            "claims": "原告诉称：被告于2025年3月1日向原告借款100000元，约定2025年12月31日归还，到期未还。",
                            "agreement": "一、被告李娜于2026年12月31日前向原告张伟归还借款本金人民币100000元；\n二、原告张伟放弃其他诉讼请求。",
                            "fee": Decimal("2300.00"), "fee_terms": "由被告李娜负担。",
                            "judge_name": "王立明", "clerk_name": "刘晓燕"},
    "judgment": {**_common, "parties": _parties, "plaintiffs": "张伟", "defendants": "李娜",
                 "filed_date": date(2026, 11, 18), "procedure": "简易程序",
                 "hearing_text": "公开开庭进行了审理，原告张伟及其委托诉讼代理人黄志强、被告李娜到庭参加诉讼。",
                 "claims": "1. 判令被告归还借款本金100000元；\n2. 本案诉讼费用由被告负担。",
                 "defence": "借款属实，但因经济困难暂时无力偿还。",
                 "facts": "2025年3月1日，被告向原告出具借条一张，载明借款100000元。",
                 "reasoning": "合法的借贷关系受法律保护。被告未按约定归还借款，应承担还款责任。",
                 "legal_basis": "《中华人民共和国民法典》第六百七十五条",
                 "orders": "被告李娜于本判决发生法律效力之日起十日内向原告张伟归还借款本金人民币100000元。",
                 "claim_amount": Decimal("100000"), "fee": Decimal("2300.00"), "fee_payer": "被告李娜",
                 "appeal_court": "广东省深圳市中级人民法院", "appeal_days": 15,
                 "judge_name": "王立明", "clerk_name": "刘晓燕"},
    "trial_report": {**_common, "parties": _parties, "filed_date": date(2026, 11, 18), "procedure": "简易程序",
                     "claim_amount": Decimal("100000"), "judge_name": "王立明",
                     "summary": "本案于2026年11月18日立案，适用简易程序，于2026年12月15日在线开庭。",
                     "claims": "原告请求归还借款100000元；被告对借款无异议。",
                     "facts": "被告向原告借款100000元，有借条及转账记录为证。",
                     "issues": "借款是否已届清偿期。", "opinion": "支持原告的诉讼请求。"},
    "deliberation_record": {**_common, "held_at": datetime(2026, 12, 16, 14, 0, tzinfo=SH), "place": "本院第二合议室",
                            "panel": [{"role": "审判长", "name": "王立明"}, {"role": "审判员", "name": "陈思远"},
                                      {"role": "人民陪审员", "name": "周雅琴"}],
                            "clerk_name": "刘晓燕", "case_title": "张伟诉李娜民间借贷纠纷",
                            "discussion": "审判长王立明：借贷关系清楚，应予支持。\n审判员陈思远：同意。",
                            "conclusion": "一致意见：支持原告的诉讼请求。"},
    "hearing_transcript": {**_common, "held_at": datetime(2026, 12, 15, 9, 30, tzinfo=SH),
                           "place": "本院第三法庭（云庭在线法庭）", "judge_name": "王立明", "clerk_name": "刘晓燕",
                           "attendees": "原告张伟及其委托诉讼代理人黄志强，被告李娜",
                           "record": "审判员：现在开庭。\n原告：请求被告归还借款。\n被告：借款属实。"},
}
