"""What the timelines say about enforcement events, in the words of the texts: 登记改正 is the
party's correction of the violation (安全生产法 art. 112 "拒不改正" / the 责令改正 it answers),
not an amendment of the decision; 约谈通报街道及部门 is dispatch row 3.10 (DISPATCH_TABLE.md);
公布典型执法案例 is seed 000 三(三)2(1)⑤ and row 3.8."""

import datetime
import re

from django.utils import timezone

from core import labels
from core.events import events_for
from enforcement import services
from enforcement.models import EnterpriseMeasure, OversightNotice

from .helpers import article, entity, notified_case


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def timeline_verbs(client, case) -> list[str]:
    html = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    return re.findall(r'data-testid="event-verb">([^<]+)<', html[html.index('data-testid="timeline"'):])


def test_the_partys_correction_reads_as_a_correction_on_the_case_timeline(client, world):
    handler = world.user("commerce")
    case = notified_case(world)
    d = services.decide_penalty(handler, case, party=entity(case), article=article(102), amount=10000,
                                correction_ordered_on=_day(-3), correction_deadline=_day(5))
    services.advance(handler, case, "decide")
    services.record_correction(handler, d, corrected_on=_day(-1))
    client.force_login(world.user("enterprise"))
    verbs = timeline_verbs(client, case)
    assert "登记改正" in verbs
    assert "更正决定" not in verbs


def test_a_published_typical_case_reads_as_such_on_the_case_timeline(client, world):
    handler = world.user("commerce")
    case = notified_case(world)
    services.decide_penalty(handler, case, party=entity(case), article=article(102), amount=10000)
    services.advance(handler, case, "decide")
    services.advance(handler, case, "close")
    services.publish_typical(handler, case, title="某商贸公司未消除事故隐患案", summary="依法处罚。")
    client.force_login(handler)
    assert "公布典型执法案例" in timeline_verbs(client, case)


def test_an_interview_or_notice_of_a_township_reads_as_row_3_10_says(world):
    committee = world.user("committee")
    said = {}
    for kind in ("interview", "notice"):
        row = services.record_notice(committee, target=world.org("township0"), kind=kind, reason="隐患整治不力")
        said[kind] = [labels.verb_label(e.verb) for e in events_for(row)]
    assert said == {"interview": ["约谈街道及部门"], "notice": ["通报街道及部门"]}


def test_every_verb_built_from_a_kind_has_its_own_label():
    """record_notice and add_measure build their verbs from the kinds (not caught by the scan of
    literal verbs in core/tests/test_labels.py): each has an explicit label."""
    verbs = [f"enforcement.notice_{k}" for k in OversightNotice.Kind.values]
    verbs += [f"enforcement.{k}" for k in EnterpriseMeasure.Kind.values]
    assert not [v for v in verbs if v not in labels.VERBS]
