"""Every role's home page shows real numbers from the modules."""

from django.utils import timezone

from hazards.models import Hazard
from obligations.summary import obligation_summary


def card_value(html: str, key: str) -> str:
    marker = f'data-testid="value-{key}">'
    start = html.index(marker) + len(marker)
    return html[start:html.index("<", start)]


def test_government_home_has_hazard_and_tip_cards(client, world):
    client.force_login(world.user("committee"))
    html = client.get("/").content.decode()
    assert card_value(html, "hazards_open") == str(Hazard.objects.visible_to(world.user("committee")).open().count())
    assert card_value(html, "tips_open") == "0"


def test_enterprise_home_has_its_obligations_and_no_tips(client, world):
    client.force_login(world.user("enterprise"))
    html = client.get("/").content.decode()
    items = obligation_summary(world.ent_commerce, timezone.localdate())["items"]
    assert card_value(html, "obligations_overdue") == str(sum(1 for i in items if i["status"] == "overdue"))
    assert 'data-testid="value-tips_open"' not in html
