"""Filters and tags available in every paper template without `{% load %}`."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from yunting.kernel.common.timeutil import SHANGHAI

from . import numerals

register = template.Library()


def _local(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(SHANGHAI)
    return value


@register.filter
def daxie(value):
    """12345.67 → 壹万贰仟叁佰肆拾伍元陆角柒分."""
    return "" if value in (None, "") else numerals.amount_daxie(value)


@register.filter
def money(value):
    return "" if value in (None, "") else numerals.money(value)


@register.filter
def cn_date(value):
    """Judgments and rulings: 二〇二六年十一月一日."""
    return numerals.date_cn(_local(value)) if isinstance(value, date) else ""


@register.filter
def fig_date(value):
    """Notices: 2026年11月1日."""
    return numerals.date_figures(_local(value)) if isinstance(value, date) else ""


@register.filter
def fig_datetime(value):
    """2026年11月1日 9时30分."""
    if not isinstance(value, datetime):
        return fig_date(value)
    v = _local(value)
    return f"{numerals.date_figures(v)} {v.hour}时{v.minute:02d}分"


@register.filter
def paras(value):
    """Free text → one <p> per non-empty line, escaped."""
    lines = [line.strip() for line in str(value or "").splitlines() if line.strip()]
    return mark_safe("".join(f"<p>{conditional_escape(line)}</p>" for line in lines))


@register.simple_tag(takes_context=True)
def slot(context, name):
    """Where a signature or seal goes: an empty box the signing step fills with a visible stamp."""
    spec = context.get("paper_slots", {}).get(name)
    if spec is None:
        return ""
    return format_html(
        '<span class="sig-slot sig-{}" data-sig-slot="{}" style="width:{}mm;height:{}mm"></span>',
        spec.kind, name, spec.width_mm, spec.height_mm,
    )
