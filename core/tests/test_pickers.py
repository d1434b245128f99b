"""Pickers search inside the user's scope only, find hazards by their printed number and offer a firm
only the standard items that apply to it."""

import pytest

from core.testing import client_as
from hazards import services as hazards


def results(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.json()["results"]


@pytest.fixture
def hazard(world):
    from accounts.models import Sector

    return hazards.register_hazard(world.user("commerce"), enterprise=world.ent_commerce,
                                   sector=Sector.objects.get(code="commerce"), description="仓库消防通道堵塞",
                                   grade="general")


def test_a_hazard_is_found_by_its_printed_number_and_by_its_text(client, world, hazard):
    client_as(client, world, "commerce")
    assert [r["value"] for r in results(client, f"/pickers/hazards/?q={hazard.number}")] == [hazard.pk]
    assert [r["value"] for r in results(client, "/pickers/hazards/?q=消防通道")] == [hazard.pk]
    assert results(client, f"/pickers/hazards/?q={hazard.number}")[0]["text"] == hazard.number


@pytest.mark.parametrize("persona, sees", [
    ("committee", True), ("commerce", True), ("township", True), ("enterprise", True),
    ("housing", False),  # another sector
    ("other_region", False),  # another district
    ("enterprise_other", False),  # another enterprise
    ("nobody", False),
])
def test_the_hazard_picker_never_names_a_hazard_outside_the_scope(client, world, hazard, persona, sees):
    client_as(client, world, persona)
    found = results(client, f"/pickers/hazards/?q={hazard.number}")
    assert bool(found) is sees
    assert (hazard.number in client.get("/pickers/hazards/?q=").content.decode()) is sees


def test_pickers_answer_nothing_to_anonymous_users(client, world):
    response = client.get("/pickers/enterprises/?q=鑫隆")
    assert response.status_code in (302, 404) and "鑫隆" not in response.content.decode()


def test_enterprise_picker_finds_by_name_and_credit_code_within_scope(client, world):
    ent = world.ent_commerce
    client_as(client, world, "commerce")
    assert ent.pk in [r["value"] for r in results(client, f"/pickers/enterprises/?q={ent.credit_code[:8]}")]
    assert ent.pk in [r["value"] for r in results(client, "/pickers/enterprises/?q=鑫隆")]
    client_as(client, world, "other_region")
    assert ent.pk not in [r["value"] for r in results(client, "/pickers/enterprises/?q=鑫隆")]


def test_a_trading_firm_is_offered_no_metallurgy_items(client, world):
    """工贸 2023 art. 4 (冶金) applies only to metallurgy enterprises (STANDARDS.md): a 商贸 firm is
    offered the general 工贸 articles, never the 冶金 article."""
    client_as(client, world, "commerce")
    rows = results(client, f"/pickers/standard-items/?enterprise={world.ent_commerce.pk}&q=")
    assert rows
    texts = " ".join(r["text"] for r in rows)
    assert "第三条" in texts and "第四条" not in texts
    assert all(r["group"] for r in rows)
    assert not any("GONGMAO" in r["text"] for r in rows)  # cited in Chinese, never by internal code


def test_unknown_pickers_are_404(client, world):
    client_as(client, world, "committee")
    assert client.get("/pickers/passwords/").status_code == 404


def test_a_chosen_id_outside_the_scope_is_not_labelled_on_a_form(world, hazard):
    from enforcement.forms import OpenCaseForm

    form = OpenCaseForm(data={"hazard": hazard.pk}, user=world.user("other_region"))
    assert hazard.number not in str(form["hazard"])
    form = OpenCaseForm(data={"hazard": hazard.pk}, user=world.user("commerce"))
    assert hazard.number in str(form["hazard"])
