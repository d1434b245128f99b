"""The 涉嫌犯罪案件移送书 of a 移送司法机关 decision, downloaded from the case page and the API.

What it must say comes from the law, not from the renderer: 《行政执法机关移送涉嫌犯罪案件的规定》
(国务院令第310号，2020年修订) 第三条 — a case whose facts are suspected of a crime is transferred to the
公安机关; 第六条 — the materials that go with the 移送书 ((二) 调查报告 … (五) 其他材料); 第七条 — the 公安机关
signs the 回执 of the 移送书. The 抄送 to the 人民检察院 is asked by the 两法衔接 rules. 危险作业罪 is
《中华人民共和国刑法》第一百三十四条之一. The document is served on the receiving organ and identifies the
person by his whole 公民身份号码 (built here by the test's own GB 11643-1999 check character); every
other place keeps it masked. Transfers are hidden from enterprise users, so is their document.
"""

import datetime
import io

import pytest
import yaml
from django.utils import timezone
from docx import Document

from core import idnumber
from core.models import SecurityLog
from core.testing import check_matrix, client_as
from enforcement import services
from enforcement.models import Decision

from .helpers import notified_case, principal

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def gb11643(first17: str) -> str:
    """GB 11643-1999 §8.2: ISO 7064 MOD 11-2 check character appended to the first 17 digits."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


WANG = gb11643("37020219850312231")  # 青岛市市南区, born 1985-03-12
DECIDED = timezone.localdate() - datetime.timedelta(days=3)
REASON = "当事人明知储罐区可燃气体报警装置长期关闭，仍组织动火作业，具有发生重大伤亡事故的现实危险"


@pytest.fixture
def transferred(world):
    """A case of 商务局 on 鑫隆商贸: its principal (number recorded) transferred for 危险作业罪; a second
    person (no number recorded) transferred for another reason, not flagged."""
    handler = world.user("commerce")
    case = notified_case(world, parties=[("other", "孙某")])
    services.set_party_id_number(handler, case, party=principal(case), id_number=WANG)
    flagged = services.transfer(handler, case, party=principal(case), reason=REASON, dangerous_ops=True,
                                decided_on=DECIDED, transfer_to="天津市公安局河北分局")
    plain = services.transfer(handler, case, party=case.parties.get(name="孙某"), reason="涉嫌重大责任事故罪", transfer_to="天津市公安局河北分局")
    return case, flagged, plain


def _open(content: bytes):
    """(paragraph texts, {first cell: second cell} of the tables) of a real .docx (python-docx)."""
    doc = Document(io.BytesIO(content))
    paragraphs = [p.text for p in doc.paragraphs]
    cells = {row.cells[0].text: row.cells[1].text for t in doc.tables for row in t.rows}
    return paragraphs, cells


def _page(client, decision):
    r = client.get(f"/enforcement/decisions/{decision.pk}/document/")
    assert r.status_code == 200 and r["Content-Type"] == DOCX
    assert "attachment" in r["Content-Disposition"]
    return _open(r.content)


def _api(client, decision):
    r = client.get(f"/api/v1/decisions/{decision.pk}/document/")
    assert r.status_code == 200 and r["Content-Type"] == DOCX, r.content[:300]
    return _open(b"".join(r.streaming_content) if r.streaming else r.content)


def _date(d: datetime.date) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


# ---------------------------------------------------------------- what the document says

@pytest.mark.parametrize("via", [_page, _api])
def test_the_transfer_document_names_the_person_by_his_whole_number_and_the_rules(client, world, transferred, via):
    case, flagged, _plain = transferred
    ent = world.ent_commerce
    client.force_login(world.user("commerce"))
    paragraphs, cells = via(client, flagged)
    text = "\n".join(paragraphs)
    assert "涉嫌犯罪案件移送书" in paragraphs[:3]  # the title, under the organ's name
    assert world.org("commerce").name in paragraphs[:3]
    assert f"文号：{flagged.number}" in paragraphs
    assert "天津市公安局河北分局：" in paragraphs  # addressed to the 公安机关 the decision names (第三条)
    # the person, his unit and role, his whole number (not the masked one), the unit's credit code
    assert cells["当事人"] == f"{ent.principal_name}（{ent.name}主要负责人）"
    assert cells["公民身份号码"] == WANG and "*" not in cells["公民身份号码"]
    assert cells["所在单位"] == ent.name and cells["统一社会信用代码"] == ent.credit_code
    assert f"案由：{case.title}" in paragraphs
    assert REASON in text
    # 危险作业罪, flagged
    assert "危险作业罪（《中华人民共和国刑法》第一百三十四条之一）" in text
    # 第三条: transferred to the 公安机关 for 审查
    assert "《行政执法机关移送涉嫌犯罪案件的规定》第三条" in text and "移送公安机关审查" in text
    # 第六条: the four materials that go with the 移送书, each listed
    assert "第六条" in text
    for n, material in enumerate(["涉嫌犯罪案件情况的调查报告", "涉案物品清单", "有关检验报告或者鉴定结论",
                                  "其他有关涉嫌犯罪的材料"], 1):
        assert f"{n}. {material}" in paragraphs, material
    # the 抄送, the organ and the date of the decision at the bottom
    assert "抄送：同级人民检察院" in paragraphs
    tail = paragraphs[paragraphs.index("抄送：同级人民检察院") - 2:]
    assert tail[:2] == [world.org("commerce").name, _date(DECIDED)]
    # 第七条: the 回执 the 公安机关 signs
    assert "回　执" in paragraphs and "签收人：" in paragraphs and "第七条" in text


def test_a_transfer_without_a_number_says_unregistered_and_no_dangerous_ops_sentence(client, world, transferred):
    _case, _flagged, plain = transferred
    client.force_login(world.user("commerce"))
    paragraphs, cells = _page(client, plain)
    text = "\n".join(paragraphs)
    assert cells["当事人"] == f"孙某（{world.ent_commerce.name}其他直接责任人员）"
    assert cells["公民身份号码"] == "未登记"
    assert WANG not in text and WANG not in "".join(cells.values())  # not the other person's number
    assert "涉嫌重大责任事故罪" in text
    assert "危险作业罪" not in text and "第一百三十四条之一" not in text  # not flagged
    assert "抄送：同级人民检察院" in paragraphs and "《行政执法机关移送涉嫌犯罪案件的规定》第三条" in text


def test_the_download_is_logged_and_the_number_stays_masked_elsewhere(client, world, transferred):
    case, flagged, _plain = transferred
    client.force_login(world.user("commerce"))
    _page(client, flagged)
    assert SecurityLog.objects.filter(kind=SecurityLog.Kind.DOWNLOAD, username=world.user("commerce").username,
                                      detail__document="enforcement_decision", detail__object_type="enforcement.decision",
                                      detail__object_id=flagged.pk).exists()
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert idnumber.masked(WANG) in page and WANG not in page
    api = client.get(f"/api/v1/decisions/{flagged.pk}/").content.decode()
    assert WANG not in api


# ---------------------------------------------------------------- the case page and the schema

def test_the_case_page_links_the_transfer_document_for_government_users_only(client, world, transferred):
    case, flagged, plain = transferred
    client.force_login(world.user("commerce"))
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    for d in (flagged, plain):
        assert f'href="/enforcement/decisions/{d.pk}/document/"' in page, d
    client.force_login(world.user("enterprise"))  # the enterprise does not see its transfers at all
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert f"/enforcement/decisions/{flagged.pk}/document/" not in page and "移送司法机关" not in page


def test_the_api_schema_names_the_transfer_document(client, world):
    client_as(client, world, "admin")
    schema = yaml.safe_load(client.get("/api/schema/").content)
    op = schema["paths"]["/api/v1/decisions/{id}/document/"]["get"]
    assert "涉嫌犯罪案件移送书" in op["summary"] and DOCX in op["responses"]["200"]["content"]


# ---------------------------------------------------------------- who may download it

# a case opened by 商务局 on 鑫隆商贸 (商贸, 光复道街道); transfers are for government users only
PAGE = {
    "anon": "login", "commerce": 200, "commerce_lead": 200, "committee": 200, "emergency": 200, "township": 200,
    "housing": 404, "other_region": 404, "township_other": 404,  # another sector, another region
    "enterprise": 404, "enterprise_safety": 404,  # the enterprise's own users: transfers are hidden from them
    "enterprise_other": 404, "agency": 404, "nobody": 404,
}


def test_who_downloads_the_transfer_document_from_the_page(client, world, transferred):
    _case, flagged, _plain = transferred
    check_matrix(client, world, f"/enforcement/decisions/{flagged.pk}/document/", PAGE)


def test_who_downloads_the_transfer_document_from_the_api(client, world, transferred):
    _case, flagged, _plain = transferred
    check_matrix(client, world, f"/api/v1/decisions/{flagged.pk}/document/", PAGE | {"anon": (401, 403)})


def test_the_enterprise_still_downloads_its_own_penalty_decision(client, world, transferred):
    """Hiding transfers does not hide the enterprise's other documents."""
    from .helpers import article, entity

    case, _flagged, _plain = transferred
    fine = services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102), amount=30000)
    client.force_login(world.user("enterprise"))
    paragraphs, _cells = _page(client, fine)
    assert "行政处罚决定书" in paragraphs[:3]
    assert Decision.objects.filter(case=case, kind=Decision.Kind.TRANSFER).count() == 2
