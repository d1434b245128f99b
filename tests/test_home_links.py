"""Every number on a persona's home page is a link to the list it counts, filtered: following the
link, the list's own total (shown by the list layer, core/lists.py) equals the number on the card."""

import re

import pytest

from core.testing import PERSONAS

CARD = re.compile(r'<a class="[^"]*" href="(?P<url>[^"]+)">\s*<div class="card card-metric[^"]*" data-testid="card-(?P<key>\w+)">'
                  r'.*?data-testid="value-(?P=key)">(?P<value>[^<]*)<', re.S)
NUMBER_CARD = re.compile(r'data-testid="value-(\w+)">\s*(\d+)\s*<')
TOTAL = re.compile(r'data-testid="(?:list-)?total">共 (\d+) 条')
# An enterprise's obligations page is its own checklist: the card counts its overdue items.
TOTALS = {"obligations_overdue": re.compile(r'data-testid="overdue-count">(\d+)<')}
# Accidents: the accident list moves onto core/lists.py in another lane (open/overdue filters come with it).
NOT_YET_LISTS: set[str] = set()


@pytest.fixture
def demo(db):
    from core.demo import load_demo
    from regions.loader import TEST_FILE, load_regions
    from regions.models import Region

    if not Region.objects.filter(code="120105").exists():
        load_regions(TEST_FILE)
    return load_demo()


def home_cards(client):
    html = client.get("/").content.decode()
    numbers = dict(NUMBER_CARD.findall(html))
    linked = {m["key"]: (m["url"].replace("&amp;", "&"), m["value"].strip()) for m in CARD.finditer(html)}
    return numbers, linked


@pytest.mark.slow
def test_every_home_number_links_to_a_list_showing_the_same_total(client, demo):
    checked, problems = 0, []
    for persona in ("committee", "commerce", "emergency", "township", "enterprise", "agency", "province"):
        client.force_login(demo["users"][PERSONAS[persona]])
        numbers, linked = home_cards(client)
        assert numbers, persona
        for key, value in numbers.items():
            if key not in linked:
                problems.append(f"{persona}: the number {key}={value} is not a link")
                continue
            if key in NOT_YET_LISTS:
                continue
            url = linked[key][0]
            response = client.get(url)
            total = TOTALS.get(key, TOTAL).search(response.content.decode())
            if response.status_code != 200 or total is None:
                problems.append(f"{persona}: {key} links to {url} ({response.status_code}), which shows no list total")
            elif total.group(1) != value:
                problems.append(f"{persona}: {key} says {value}, {url} lists {total.group(1)}")
            checked += 1
    assert not problems, "\n".join(problems)
    assert checked >= 20


@pytest.mark.django_db
def test_loading_the_demo_a_second_time_changes_nothing_and_does_not_fail(demo):
    """``make run`` loads the demo on every start: on a database that has it, nothing is added."""
    from core.demo import load_demo
    from core.models import Event
    from enterprises.models import Engagement

    engagements, events = Engagement.objects.count(), Event.objects.count()
    assert engagements == 3  # ents[10:13], this year's contracts
    load_demo()
    assert (Engagement.objects.count(), Event.objects.count()) == (engagements, events)
