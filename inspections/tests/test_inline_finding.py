"""A checklist line answered inline (htmx) as 存在隐患 becomes a finding at once: the answer's
response carries the 发现隐患 card out of band with that finding and its choice "台账中的同一隐患"
(the enterprise's open hazards; the prompt when one cites the same 判定标准 item) — as the full
page shows it after a reload (test_existing_hazard_pages.py), without the reload. Changing the
answer back removes the finding from the card the same way."""

import datetime
import re

import pytest

from core.testing import client_as

from .factories import record, today
from .test_existing_hazard import self_reported

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world):
    rec = record(world)
    line = rec.items.filter(standard_item__isnull=False).order_by("sort_order").first()
    hazard = self_reported(world, line.standard_item)  # 鑫隆商贸's own major hazard citing the same item
    return rec, line, hazard


def _answer(client, rec, line, result, **fields):
    data = {f"i{line.pk}-result": result, **{f"i{line.pk}-{k}": v for k, v in fields.items()}}
    return client.post(f"/inspections/records/{rec.pk}/items/{line.pk}/", data, HTTP_HX_REQUEST="true")


def _findings_card(html: str) -> str:
    match = re.search(r'<div id="findings"[^>]*hx-swap-oob="true"[^>]*>.*</div>', html, re.S)
    assert match, "no out-of-band 发现隐患 card in the answer"
    return match.group(0)


def test_the_page_keeps_a_place_for_the_card_before_any_finding(client, world, scene):
    rec, _line, _hazard = scene
    client_as(client, world, "emergency")
    html = client.get(f"/inspections/records/{rec.pk}/").content.decode()
    assert '<div id="findings"' in html and 'data-testid="finding"' not in html
    assert "the record's findings" not in html  # the partial's template comment is not printed


def test_an_inline_finding_brings_its_ledger_choice_without_a_reload(client, world, scene):
    rec, line, hazard = scene
    client_as(client, world, "emergency")
    response = _answer(client, rec, line, "hazard", note="安全出口上锁", grade="general",
                       deadline=(today() + datetime.timedelta(days=15)).isoformat())
    assert response.status_code == 200 and "<html" not in response.content.decode()
    card = _findings_card(response.content.decode())
    assert f'id="finding-{line.pk}"' in card and "安全出口上锁" in card
    assert 'data-testid="match-form"' in card and f"/findings/{line.pk}/match/" in card
    option = next(text for text in card.splitlines() if f'value="{hazard.pk}"' in text)
    assert hazard.number in option  # the enterprise's open hazard offered by its number
    assert 'data-testid="duplicate-prompt"' in card and hazard.number in card  # it cites the same item

    again = _answer(client, rec, line, "conform")  # no longer a finding: the card empties the same way
    card = _findings_card(again.content.decode())
    assert 'data-testid="finding"' not in card and 'data-testid="match-form"' not in card


def test_a_refused_answer_leaves_the_card_alone(client, world, scene):
    rec, line, _hazard = scene
    client_as(client, world, "emergency")
    response = _answer(client, rec, line, "na", note="")  # 不适用 needs a reason
    assert response.status_code == 400 and 'id="findings"' not in response.content.decode()
