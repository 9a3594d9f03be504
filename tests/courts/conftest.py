import pytest


@pytest.fixture
def setup_court(cast, court, users):
    """Two divisions (民一庭 for contracts, 速裁团队 for 民间借贷), three judges each, a clerk and an assistant,
    a division head of 速裁团队, and routes; returns a namespace of what it made."""
    from types import SimpleNamespace

    from yunting.core.cases.models import Cause
    from yunting.core.courts import services as s
    from yunting.core.people.models import User

    admin = users["court_admin"]
    civil = s.division_create(court=court, actor=admin, name="民一庭", default_procedure="simple")
    fast = s.division_create(court=court, actor=admin, name="速裁团队", default_procedure="simple")

    def person(username, name, role, division, weight="1"):
        user = User.objects.filter(username=username).first() or User.objects.create(username=username,
                                                                                     real_name=name)
        s.staff_post_set(court=court, actor=admin, user=user, role=role, division=division, weight=weight)
        return user

    j = {
        "zhang": person("j_zhang", "张法官", "judge", fast),
        "li": person("j_li", "李法官", "judge", fast),
        "wang": users["judge"],
        "zhao": person("j_zhao", "赵法官", "judge", civil),
        "qian": person("j_qian", "钱法官", "judge", civil),
        "sun": person("j_sun", "孙法官", "judge", civil),
    }
    s.staff_post_set(court=court, actor=admin, user=users["judge"], role="judge", division=fast)
    s.staff_post_set(court=court, actor=admin, user=users["clerk"], role="clerk", division=fast)
    s.staff_post_set(court=court, actor=admin, user=users["assistant"], role="judge_assistant", division=fast)
    head = person("h_fast", "周庭长", "division_head", fast)
    head_civil = person("h_civil", "吴庭长", "division_head", civil)
    s.cause_route_set(court=court, actor=admin, cause=Cause.objects.get(name="民间借贷纠纷"), division=fast)
    s.settings_update(court=court, actor=admin, default_division=civil)
    return SimpleNamespace(court=court, admin=admin, civil=civil, fast=fast, judges=j, head=head,
                           head_civil=head_civil)
