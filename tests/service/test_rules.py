"""The pure rules: the proposed channel order from the address history, and the legal date per channel."""

from datetime import UTC, date, datetime

import pytest

from yunting.core.service.rules import Contact, Recipient, deemed_served_on, earliest, plan_channels, serves


def channels(steps):
    return [s.channel for s in steps]


def test_no_consent_means_no_electronic_channel():
    r = Recipient(contacts=[Contact("phone", "13987654321"), Contact("account", "user:5"),
                            Contact("email", "a@b.cn")], has_address=True)
    assert channels(plan_channels(r)) == ["post", "direct", "announcement"]


def test_consented_channels_come_first_and_announcement_last():
    r = Recipient(contacts=[Contact("phone", "13987654321"), Contact("account", "user:5")],
                  consented=frozenset({"portal", "sms"}), has_address=True)
    assert channels(plan_channels(r)) == ["portal", "sms", "post", "direct", "announcement"]


def test_a_number_that_failed_twice_goes_last_with_the_reason():
    r = Recipient(contacts=[Contact("phone", "13987654321", failed=2, recent="ff"), Contact("account", "user:5")],
                  consented=frozenset({"portal", "sms"}), has_address=True)
    steps = plan_channels(r)
    assert channels(steps) == ["portal", "post", "direct", "sms", "announcement"]
    assert steps[3].reason == "此号码 2 次送达失败，排在最后"


def test_a_lawyer_who_always_signs_on_the_platform_goes_first():
    r = Recipient(contacts=[Contact("phone", "13987654321", delivered=1, recent="s"),
                            Contact("account", "user:9", delivered=10, recent="ssssssssss", lawyer=True)],
                  consented=frozenset({"sms", "portal"}))
    steps = plan_channels(r)
    assert steps[0].channel == "portal"
    assert steps[0].reason == "该律师近 10 次均在平台签收"


def test_sms_with_a_good_streak_beats_a_portal_account_never_used():
    r = Recipient(contacts=[Contact("phone", "13987654321", delivered=4, recent="ssss"), Contact("account", "user:5")],
                  consented=frozenset({"sms", "portal"}))
    steps = plan_channels(r)
    assert channels(steps)[:2] == ["sms", "portal"]
    assert steps[0].reason == "此号码近 4 次均送达成功"


def test_phone_serves_only_a_summons_or_notice():
    contacts = [Contact("phone", "13987654321")]
    assert "phone" not in channels(plan_channels(Recipient(contacts=contacts, document_kind="judgment")))
    assert "phone" in channels(plan_channels(Recipient(contacts=contacts, document_kind="summons")))
    assert not serves("phone", "delivered", "judgment")
    assert serves("phone", "delivered", "summons")


@pytest.mark.parametrize("channel,outcome,served", [
    ("portal", "delivered", True), ("portal", "read", True), ("sms", "sent", False), ("sms", "read", True),
    ("email", "failed", False), ("post", "delivered", True), ("post", "failed", False),
    ("direct", "refused", True),  # 留置送达 (CPL art 89)
    ("sms", "refused", False), ("announcement", "published", True), ("announcement", "failed", False),
])
def test_which_outcomes_serve(channel, outcome, served):
    assert serves(channel, outcome) is served


def test_electronic_service_is_the_day_it_reaches_the_recipient_in_shanghai():
    # 2026-03-01 17:30 UTC is 2026-03-02 01:30 in Shanghai
    assert deemed_served_on("sms", datetime(2026, 3, 1, 17, 30, tzinfo=UTC)) == (date(2026, 3, 2), False)
    assert deemed_served_on("post", datetime(2026, 3, 1, 3, 0, tzinfo=UTC))[0] == date(2026, 3, 1)


@pytest.mark.parametrize("published,foreign,deemed", [
    (date(2026, 9, 1), False, date(2026, 10, 8)),   # +30 = 10-01, National Day holiday → next working day
    (date(2026, 9, 8), False, date(2026, 10, 8)),   # +30 = 10-08, a working day
    (date(2026, 9, 1), True, date(2026, 11, 2)),    # +60 = 10-31, a Saturday → Monday
])
def test_announcement_is_deemed_served_after_30_or_60_days_on_the_official_calendar(published, foreign, deemed):
    at = datetime(published.year, published.month, published.day, 2, tzinfo=UTC)
    assert deemed_served_on("announcement", at, foreign=foreign)[0] == deemed


def test_a_court_closure_moves_the_deemed_date():
    at = datetime(2026, 9, 8, 2, tzinfo=UTC)
    assert deemed_served_on("announcement", at, closures={date(2026, 10, 8)})[0] == date(2026, 10, 9)


def test_the_earliest_effective_delivery_counts():
    assert earliest([date(2026, 3, 5), None, date(2026, 3, 2)]) == date(2026, 3, 2)
