"""The 公安机关 a 移送司法机关 goes to. 《行政执法机关移送涉嫌犯罪案件的规定》(国务院令第310号，2020年修订)
第三条: the case is transferred to the 同级公安机关 — so the decision names it, and the 涉嫌犯罪案件移送书 is
addressed to it (its 主送机关, the first line after the 文号). A transfer recorded before the field existed
names none: its 移送书 keeps the bare "公安机关：". Expected texts are written out here."""

import io

import pytest
from docx import Document

from core.models import Event
from core.services import ServiceError
from core.testing import client_as
from enforcement import services
from enforcement.models import Decision

from .helpers import notified_case, principal

POLICE = "天津市公安局河北分局"


def _addressee(content: bytes) -> str:
    paragraphs = [p.text for p in Document(io.BytesIO(content)).paragraphs]
    after_number = paragraphs.index(next(p for p in paragraphs if p.startswith("文号："))) + 1
    return paragraphs[after_number]


def test_a_transfer_names_the_police_organ_it_goes_to(world):
    case = notified_case(world)
    handler = world.user("commerce")
    for blank in ("", "   "):
        with pytest.raises(ServiceError) as refused:
            services.transfer(handler, case, party=principal(case), reason="涉嫌危险作业罪", transfer_to=blank)
        assert refused.value.field == "transfer_to" and "同级公安机关" in refused.value.message
    with pytest.raises(ServiceError) as refused:
        services.transfer(handler, case, party=principal(case), reason="涉嫌危险作业罪", transfer_to="局" * 101)
    assert refused.value.field == "transfer_to" and refused.value.message == "公安机关名称不能超过100字。"
    assert not case.decisions.exists()  # a refusal records nothing
    decision = services.transfer(handler, case, party=principal(case), reason="涉嫌危险作业罪", transfer_to=f" {POLICE} ")
    assert Decision.objects.get(pk=decision.pk).transfer_to == POLICE
    event = Event.objects.filter(verb="case.transfer").latest("pk")
    assert event.data["transfer_to"] == POLICE and event.data["decision"] == decision.pk


def test_the_transfer_document_is_addressed_to_it(client, world):
    case = notified_case(world)
    decision = services.transfer(world.user("commerce"), case, party=principal(case), reason="涉嫌危险作业罪",
                                 transfer_to=POLICE)
    client_as(client, world, "commerce")
    assert _addressee(client.get(f"/enforcement/decisions/{decision.pk}/document/").content) == f"{POLICE}："
    api = client.get(f"/api/v1/decisions/{decision.pk}/document/")
    assert _addressee(b"".join(api.streaming_content) if api.streaming else api.content) == f"{POLICE}："


def test_a_transfer_recorded_before_names_no_organ_and_its_document_says_so(client, world):
    case = notified_case(world)
    decision = services.transfer(world.user("commerce"), case, party=principal(case), reason="涉嫌危险作业罪",
                                 transfer_to=POLICE)
    # a row written before the column existed (the migration's default); decisions refuse an update
    older = Decision.objects.create(case=case, party=principal(case), kind=Decision.Kind.TRANSFER, reason="旧记录",
                                    decided_by_org=decision.decided_by_org, decided_on=decision.decided_on)
    assert older.transfer_to == ""
    client_as(client, world, "commerce")
    assert _addressee(client.get(f"/enforcement/decisions/{older.pk}/document/").content) == "公安机关："


def test_the_case_page_asks_for_it_and_shows_it(client, world):
    case = notified_case(world)
    client_as(client, world, "commerce")
    form = {"transfer-party": principal(case).pk, "transfer-reason": "涉嫌危险作业罪"}
    r = client.post(f"/enforcement/cases/{case.pk}/transfer/", form)
    assert r.status_code == 400 and 'data-field="transfer_to"' in r.content.decode()
    assert not case.decisions.exists()
    r = client.post(f"/enforcement/cases/{case.pk}/transfer/", {**form, "transfer-transfer_to": POLICE})
    assert r.status_code == 302
    decision = case.decisions.get()
    html = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert f'data-testid="transfer-to-{decision.pk}">（移送{POLICE}）' in html


def test_the_api_gives_it_on_a_transfer_and_blank_on_any_other_decision(client, world):
    case = notified_case(world)
    transfer = services.transfer(world.user("commerce"), case, party=principal(case), reason="涉嫌危险作业罪",
                                 transfer_to=POLICE)
    other = services.decide_no_penalty(world.user("commerce"), case, reason="首违不罚")
    client_as(client, world, "commerce")
    assert client.get(f"/api/v1/decisions/{transfer.pk}/").json()["transfer_to"] == POLICE
    assert client.get(f"/api/v1/decisions/{other.pk}/").json()["transfer_to"] == ""


def test_the_receipt_names_the_transfers_police_organ_unless_another_signed(client, world):
    from enforcement import transfers

    case = notified_case(world)
    handler = world.user("commerce")
    decision = services.transfer(handler, case, party=principal(case), reason="涉嫌危险作业罪", transfer_to=POLICE)
    row = transfers.record_transfer_receipt(handler, decision, received_on=decision.decided_on)
    assert row.receiving_organ == POLICE
    # 第七条: another organ signed (it forwards the case) — named, it is recorded as given
    row = transfers.record_transfer_receipt(handler, decision, received_on=decision.decided_on,
                                            receiving_organ="天津市公安局河东分局")
    assert row.receiving_organ == "天津市公安局河东分局"
    # through the API, left out: the transfer's organ
    other = services.transfer(handler, case, party=principal(case), reason="涉嫌重大责任事故罪", transfer_to=POLICE)
    client_as(client, world, "commerce")
    r = client.post(f"/api/v1/decisions/{other.pk}/transfer-receipt/", {"received_on": str(other.decided_on)},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["transfer_receiving_organ"] == POLICE


def test_a_transfer_naming_no_organ_needs_the_receipts(world):
    from enforcement import transfers

    case = notified_case(world)
    named = services.transfer(world.user("commerce"), case, party=principal(case), reason="涉嫌危险作业罪",
                              transfer_to=POLICE)
    older = Decision.objects.create(case=case, party=principal(case), kind=Decision.Kind.TRANSFER, reason="旧记录",
                                    decided_by_org=named.decided_by_org, decided_on=named.decided_on)
    with pytest.raises(ServiceError) as refused:
        transfers.record_transfer_receipt(world.user("commerce"), older, received_on=older.decided_on)
    assert refused.value.field == "receiving_organ" and refused.value.message == "请填写接收移送的公安机关。"
