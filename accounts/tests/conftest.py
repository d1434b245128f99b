"""Account administrators beyond the demo's personas: the leaders (负责人) of units of another sector,
another township, another district, the province, an agency — made by the same service, named in
``core.testing.PERSONAS`` for the length of a test so that ``check_matrix`` can use them."""

import pytest

from accounts import services
from accounts.models import Membership, Organisation
from core import testing

LEADS = {
    # persona: (username, name, organisation key or callable, role)
    "housing_lead": ("hb_zhujian_lead", "住建委科长 测试", "housing"),
    "township_lead": ("jd_guangfudao_lead", "光复道街道主任 测试", "township0"),
    "township_other_lead": ("jd_wanghailou_lead", "望海楼街道主任 测试", "township1"),
    "other_region_lead": ("hd_yingji_lead", "河东区应急局局长 测试", "other_emergency"),
    "agency_lead": ("dsf_lead", "第三方机构负责人 测试", "agency"),
}


@pytest.fixture
def leads(world, monkeypatch):
    """Leaders (role 负责人) of: 住建委 (another sector), 光复道街道 (鑫隆's township), 望海楼街道 (another
    township), 河东区应急管理局 and 河东区安委办 (another district), 天津市安委办 (the province), the agency."""
    orgs = dict(world.ctx["orgs"])
    other_district = world.ent_other_region.region.parent
    orgs["other_committee"] = services.ensure_organisation(
        None, kind=Organisation.Kind.COMMITTEE, name="河东区安全生产委员会办公室", region=other_district)
    table = dict(LEADS, other_committee_lead=("hd_anweiban_lead", "河东区安委办主任 测试", "other_committee"),
                 province_lead=("tj_anweiban_lead_t", "市安委办主任 测试", "province_committee"))
    for persona, (username, name, key) in table.items():
        user = services.create_user(None, username=username, password=None, organisation=orgs[key],
                                    role=Membership.Role.LEADER, full_name=name)
        world.ctx["users"][username] = user
        monkeypatch.setitem(testing.PERSONAS, persona, username)
    return world
