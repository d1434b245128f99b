"""An enterprise's obligation page shows the latest records of each kind and says how many there
are in all when it shows fewer (no silent cap)."""

import re

from django.urls import reverse

from core.testing import client_as
from obligations.models import Remark


def test_remarks_section_says_latest_ten_of_the_total(client, world):
    ent = world.ent_commerce
    for i in range(12):
        Remark.objects.create(enterprise=ent, topic="综合", text=f"意见{i}", created_by=world.user("committee"))
    client_as(client, world, "committee")
    response = client.get(reverse("obligations:enterprise", args=[ent.pk]))
    assert response.status_code == 200
    assert len(response.context["remarks"]) == 10
    html = response.content.decode()
    assert "最近 10 条，共 12 条" in html


def test_no_note_when_everything_is_shown(client, world):
    ent = world.ent_commerce
    Remark.objects.create(enterprise=ent, topic="综合", text="意见", created_by=world.user("committee"))
    client_as(client, world, "committee")
    html = client.get(reverse("obligations:enterprise", args=[ent.pk])).content.decode()
    assert re.search(r"监管意见\s*</h2>", html)  # the heading carries no "最近…共…" note
