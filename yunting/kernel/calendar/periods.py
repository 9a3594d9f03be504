"""Statutory periods by name, counted exactly as DOMAIN.md "Counting periods" says (CPL art 85; Civil Code
arts 200–204), with every step written down so a clerk can check the answer by hand.

- The day of the event is not counted: days and months run from the next day.
- Days: the last day is the event date + N. Months: the same day number N months later, or that month's last
  day when it has no such day (Civil Code art 202): 2026-01-31 + 1 month → 2026-02-28.
- Working days: the N-th working day after the event.
- Excluded intervals (公告, 鉴定, 和解, jurisdiction objections, suspension — CPLI art 243): the last day moves
  later by the calendar days of each interval (both ends included) inside the running period; an interval the
  moved end reaches counts too. Overlapping intervals count once.
- Then, if the last day is not a working day of the official calendar (or a day the court declared closed), the
  period ends on the next working day. Make-up working days (调休上班) are working days.
- A year the official calendar does not cover yet counts weekends only and marks the result provisional.

Pure: no ORM, no Django; the court's closures come in as a set of dates.
"""

from __future__ import annotations

import calendar as _cal
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar

from .deadlines import is_provisional, is_rest_day


class PeriodError(ValueError):
    """Bad input to the calculator; `code` is stable, `data` names the offending value."""

    def __init__(self, code: str, message: str, **data):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data


@dataclass(frozen=True)
class Period:
    kind: str
    label: str  # Chinese name of the period, as a court writes it
    basis: str  # the article(s)
    days: int = 0
    months: int = 0
    working_days: int = 0

    @property
    def length_text(self) -> str:
        if self.months:
            return f"{self.months} 个月"
        if self.working_days:
            return f"{self.working_days} 个工作日"
        return f"{self.days} 日"


CPL = "《中华人民共和国民事诉讼法》"
PERIODS: dict[str, Period] = {p.kind: p for p in (
    Period("filing-review", "立案审查期限", f"{CPL}第一百二十六条", days=7),
    Period("fee-payment", "预交诉讼费期限", "《诉讼费用交纳办法》第二十二条", days=7),
    Period("answer", "答辩期", f"{CPL}第一百二十八条", days=15),
    Period("answer-foreign", "答辩期（在中华人民共和国领域内没有住所）", f"{CPL}第二百八十五条", days=30),
    Period("evidence-ordinary", "举证期限（普通程序）", "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第九十九条",
           days=15),
    Period("evidence-simple", "举证期限（简易程序）", "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第二百六十六条",
           days=15),
    Period("evidence-small-claims", "举证期限（小额诉讼）",
           "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第二百七十五条", days=7),
    Period("evidence-appeal", "举证期限（第二审）", "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第九十九条",
           days=10),
    Period("appeal-judgment", "上诉期（判决）", f"{CPL}第一百七十一条", days=15),
    Period("appeal-ruling", "上诉期（裁定）", f"{CPL}第一百七十一条", days=10),
    Period("appeal-foreign", "上诉期（在中华人民共和国领域内没有住所）", f"{CPL}第二百八十六条", days=30),
    Period("public-notice", "公告送达期间", f"{CPL}第九十五条", days=30),
    Period("public-notice-foreign", "公告送达期间（涉外）", f"{CPL}第二百八十三条", days=60),
    Period("trial-ordinary", "审理期限（普通程序）", f"{CPL}第一百五十二条", months=6),
    Period("trial-simple", "审理期限（简易程序）", f"{CPL}第一百六十四条", months=3),
    Period("trial-small-claims", "审理期限（小额诉讼）", f"{CPL}第一百六十八条", months=2),
    Period("trial-appeal-judgment", "审理期限（判决上诉）", f"{CPL}第一百八十三条", months=3),
    Period("trial-appeal-ruling", "审理期限（裁定上诉）", f"{CPL}第一百八十三条", days=30),
    Period("trial-special", "审理期限（特别程序）", f"{CPL}第一百八十七条", days=30),
    Period("confirmation-decide", "司法确认审查期限", "《最高人民法院关于人民调解协议司法确认程序的若干规定》第五条", days=15),
    Period("commutation-decide", "减刑、假释案件审理期限", "《最高人民法院关于减刑、假释案件审理程序的规定》第一条", months=1),
    Period("procuratorate-objection", "检察院书面纠正意见期限", "《中华人民共和国刑事诉讼法》第二百七十四条", days=20),
    Period("transcript-read", "阅读笔录期限", f"{CPL}第一百五十条", days=5),
    Period("judgment-send", "当庭宣判后发送判决书期限", f"{CPL}第一百五十一条", days=10),
    Period("mediation-assign", "指定调解员期限", "《人民法院在线调解规则》第十条", working_days=3),
    Period("mediation-pick", "当事人共同选定调解员期限", "《人民法院在线调解规则》第十条", working_days=2),
    Period("mediation-accept", "调解员接受委派期限", "《人民法院在线调解规则》第十二条", working_days=3),
    Period("mediation-prefiling", "诉前调解期限", "《人民法院在线调解规则》第二十四条", days=30),
    Period("confirmation-accept", "司法确认受理期限", "《最高人民法院关于人民调解协议司法确认程序的若干规定》第四条", days=3),
    Period("confirmation-apply", "申请司法确认期限", "《中华人民共和国民事诉讼法》第二百零五条", days=30),
)}

HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Interval:
    """Both ends included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def overlap(self, first: date, last: date) -> int:
        lo, hi = max(self.start, first), min(self.end, last)
        return (hi - lo).days + 1 if lo <= hi else 0


@dataclass
class Computed:
    kind: str
    label: str
    basis: str
    start: date  # the event date (not counted)
    due: date
    provisional: bool
    excluded_days: int = 0
    extension_months: int = 0
    steps: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "label": self.label, "from": self.start.isoformat(), "due": self.due.isoformat(),
                "basis": self.basis, "provisional": self.provisional, "excluded_days": self.excluded_days,
                "extension_months": self.extension_months, "steps": self.steps}


LAST_YEAR = 2199  # far enough for any period; beyond it month arithmetic would leave the calendar


def parse_date(text: str, *, name: str = "from") -> date:
    try:
        day = date.fromisoformat((text or "").strip())
    except (ValueError, TypeError):
        day = None
    if day is None or day.year > LAST_YEAR:
        raise PeriodError("bad_date", f"日期格式不正确：“{text}”，应为 YYYY-MM-DD", field=name, value=text)
    return day


def parse_interval(text: str) -> Interval:
    """"START:END" (both YYYY-MM-DD, both days included)."""
    parts = (text or "").split(":")
    if len(parts) != 2:
        raise PeriodError("bad_interval", f"排除期间格式不正确：“{text}”，应为 START:END（YYYY-MM-DD:YYYY-MM-DD）",
                          field="excluded", value=text)
    start, end = (parse_date(p, name="excluded") for p in parts)
    if end < start:
        raise PeriodError("bad_interval", f"排除期间的结束日早于开始日：“{text}”", field="excluded", value=text)
    return Interval(start, end)


def period_for(kind: str) -> Period:
    try:
        return PERIODS[kind]
    except KeyError:
        raise PeriodError("unknown_kind", f"未知的期间种类：“{kind}”。可用：{', '.join(PERIODS)}",
                          field="kind", value=kind) from None


def add_months(day: date, months: int) -> date:
    """Civil Code art 202: the same day number, or the month's last day when it has no such day."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, _cal.monthrange(year, month)[1]))


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for iv in sorted(intervals, key=lambda i: i.start):
        if out and iv.start <= out[-1].end + timedelta(days=1):
            out[-1] = Interval(out[-1].start, max(out[-1].end, iv.end))
        else:
            out.append(iv)
    return out


def _rest(day: date, closures: frozenset[date]) -> bool:
    return day in closures or is_rest_day(day)


def _why_rest(day: date, closures: frozenset[date]) -> str:
    if day in closures:
        return "本院公告闭院日"
    if not is_provisional(day):
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        if on_holiday and name:
            return f"法定节假日（{HOLIDAY_NAMES.get(name, name)}）"
    return f"休息日（星期{WEEKDAYS[day.weekday()]}）"


def _d(day: date) -> str:
    return f"{day.isoformat()}（星期{WEEKDAYS[day.weekday()]}）"


def compute(kind: str, start: date, *, excluded: Iterable[Interval] = (), closures: Iterable[date] = (),
            extension_months: int = 0, extension_days: int = 0, explain: bool = True) -> Computed:
    """The last day of the period `kind` that starts with an event on `start`, with its steps (`explain=False`:
    the same answer without the words, for recomputing many cases at once)."""
    period = period_for(kind)
    if not explain and not period.working_days:
        return _quick(period, start, merge(excluded), frozenset(closures), extension_months, extension_days)
    closed = frozenset(closures)
    intervals = merge(excluded)
    steps: list[dict] = [{"op": "start", "date": start.isoformat(),
                          "text": f"事件日 {_d(start)} 不计入，自次日 {(start + timedelta(days=1)).isoformat()} 起算"}]
    if period.working_days:
        return _working_days(period, start, intervals, closed, steps)
    if period.months:
        raw = add_months(start, period.months)
        note = "（该月无对应日，取月末）" if raw.day != start.day else ""
        steps.append({"op": "add", "date": raw.isoformat(),
                      "text": f"{period.length_text}：期间届满日为 {raw.isoformat()}{note}"})
    else:
        raw = start + timedelta(days=period.days)
        steps.append({"op": "add", "date": raw.isoformat(), "text": f"{period.length_text}：{start.isoformat()} + "
                      f"{period.days} 日 = {raw.isoformat()}"})
    if extension_months:
        total = period.months + extension_months if period.months else 0
        raw = add_months(start, total) if total else add_months(raw, extension_months)
        steps.append({"op": "extend", "date": raw.isoformat(),
                      "text": f"经批准延长 {extension_months} 个月 → {raw.isoformat()}"})
    if extension_days:
        raw = raw + timedelta(days=extension_days)
        steps.append({"op": "extend", "date": raw.isoformat(),
                      "text": f"经批准延长 {extension_days} 日 → {raw.isoformat()}"})
    end, excluded_days = _exclude(start, raw, intervals, steps)
    due = end
    while _rest(due, closed):
        due += timedelta(days=1)
    if due != end:
        steps.append({"op": "rest_day", "date": due.isoformat(),
                      "text": f"{_d(end)} 为{_why_rest(end, closed)}，顺延至其后第一个工作日 {_d(due)}"})
    provisional = is_provisional(due)  # the latest day the period touches
    if provisional:
        steps.append({"op": "provisional", "date": due.isoformat(),
                      "text": "所涉年份的国务院节假日安排尚未公布：暂按周六、周日为休息日计算，结果为临时结果，"
                              "节假日安排公布后重新计算"})
    return Computed(period.kind, period.label, period.basis, start, due, provisional, excluded_days,
                    extension_months, steps)


def _quick(period: Period, start: date, intervals: list[Interval], closed: frozenset[date], extension_months: int,
           extension_days: int) -> Computed:
    """compute() without the steps: the same arithmetic, in the same order."""
    if period.months:
        raw = add_months(start, period.months + extension_months)
    else:
        raw = start + timedelta(days=period.days)
        if extension_months:
            raw = add_months(raw, extension_months)
    raw += timedelta(days=extension_days)
    end, total = raw, 0
    if intervals:
        end, total = _exclude(start, raw, intervals, None)
    due = end
    while _rest(due, closed):
        due += timedelta(days=1)
    return Computed(period.kind, period.label, period.basis, start, due, is_provisional(due), total, extension_months)


def _exclude(start: date, raw: date, intervals: list[Interval], steps: list[dict] | None) -> tuple[date, int]:
    """Move `raw` later by the excluded days inside (start, end], until the end reaches no further interval."""
    first = start + timedelta(days=1)
    end, total = raw, 0
    while True:
        total = sum(iv.overlap(first, end) for iv in intervals)
        moved = raw + timedelta(days=total)
        if moved == end:
            break
        end = moved
    if steps is None:
        return end, total
    for iv in intervals:
        inside = iv.overlap(first, end)
        if inside:
            steps.append({"op": "exclude", "date": None,
                          "text": f"不计入期间：{iv.start.isoformat()} 至 {iv.end.isoformat()}，其中 {inside} 日在期间内"})
    if total:
        steps.append({"op": "exclude", "date": end.isoformat(),
                      "text": f"共扣除 {total} 日：{raw.isoformat()} + {total} 日 = {end.isoformat()}"})
    return end, total


def _working_days(period: Period, start: date, intervals: list[Interval], closed: frozenset[date],
                  steps: list[dict]) -> Computed:
    day, counted, skipped = start, 0, 0
    while counted < period.working_days:
        day += timedelta(days=1)
        if any(iv.start <= day <= iv.end for iv in intervals):
            skipped += 1
            continue
        if not _rest(day, closed):
            counted += 1
    steps.append({"op": "add", "date": day.isoformat(),
                  "text": f"{period.length_text}：自次日起第 {period.working_days} 个工作日为 {_d(day)}"
                          "（休息日、节假日不计）"})
    if skipped:
        steps.append({"op": "exclude", "date": day.isoformat(), "text": f"不计入期间共 {skipped} 日已跳过"})
    provisional = is_provisional(day)
    if provisional:
        steps.append({"op": "provisional", "date": day.isoformat(),
                      "text": "所涉年份的国务院节假日安排尚未公布：暂按周六、周日为休息日计算，结果为临时结果"})
    return Computed(period.kind, period.label, period.basis, start, day, provisional, skipped, 0, steps)


def working_days_until(today: date, due: date, *, closures: Iterable[date] = ()) -> int:
    """Working days after `today` up to and including `due` (0 when due today; negative calendar days when
    overdue are not working days: callers compare dates for that)."""
    closed = frozenset(closures)
    n, day = 0, today
    while day < due:
        day += timedelta(days=1)
        if not _rest(day, closed):
            n += 1
    return n


def nth_working_day_after(day: date, n: int, *, closures: Iterable[date] = ()) -> date:
    """The n-th working day after `day` (the horizon of "due within n working days")."""
    closed = frozenset(closures)
    while n > 0:
        day += timedelta(days=1)
        if not _rest(day, closed):
            n -= 1
    return day
