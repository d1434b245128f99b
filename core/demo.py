"""Demo data: 天津市河北区 (120105) with its real townships, its committee office and
departments, 30+ enterprises across sectors, and every persona of PRODUCT.md.

Idempotent: running it again creates nothing new. Every row is made through the services,
exactly as users would make it. After the base data each app may add its own demo rows by
defining ``<app>/demo.py: load(ctx)`` (also idempotent); ``ctx`` is the dict built here.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts import services as acc
from accounts.models import DepartmentType, Membership, Organisation, Sector
from accounts.reference import load_reference_data
from enterprises import services as ent_services
from enterprises.models import Enterprise
from enterprises.validators import make_credit_code
from regions.models import Region

DEMO_PASSWORD = "Qingling@2026"
DISTRICT = "120105"  # 天津市河北区
OTHER_DISTRICT = "120102"  # 天津市河东区 (for "other region" demonstrations)

User = get_user_model()

# name, sectors, township index, flags
ENTERPRISES = [
    ("天津市河北区鑫隆商贸有限公司", ["commerce"], 0, {"fire_key_unit": True}),
    ("天津海河之星大型超市有限公司", ["commerce"], 1, {"fire_key_unit": True, "uses_gas": True}),
    ("天津望海楼酒店管理有限公司", ["commerce"], 1, {"uses_gas": True}),
    ("天津市鸿顺冷链物流有限公司", ["commerce", "light_industry"], 2, {"has_special_equipment": True}),
    ("天津宁园仓储服务有限公司", ["commerce"], 6, {}),
    ("天津北宁集贸市场管理有限公司", ["commerce"], 7, {"fire_key_unit": True}),
    ("天津市津建第三建筑工程有限公司", ["construction"], 3, {"has_special_equipment": True}),
    ("天津河北城市更新建设有限公司", ["construction"], 4, {"has_special_equipment": True}),
    ("天津市新开河市政工程有限公司", ["construction"], 3, {}),
    ("天津津燃华润燃气有限公司河北分公司", ["gas"], 5, {"uses_gas": True}),
    ("天津市铁东液化气供应站", ["gas"], 4, {"uses_gas": True}),
    ("天津中石化河北区建昌道加油站", ["hazchem"], 5, {"uses_hazchem": True}),
    ("天津渤化化工贸易有限公司", ["hazchem"], 8, {"uses_hazchem": True}),
    ("天津市江都路油漆涂料经营部", ["hazchem"], 8, {"uses_hazchem": True}),
    ("天津市河北区金鼎金属制品有限公司", ["machinery"], 9, {}),
    ("天津月牙河精密铸造有限公司", ["machinery", "metallurgy"], 9, {"uses_gas": True}),
    ("天津市光复道食品有限公司", ["light_industry"], 0, {"uses_gas": True}),
    ("天津王串场酿造有限公司", ["light_industry"], 7, {}),
    ("天津市海河锂电新能源科技有限公司", ["light_industry", "emerging"], 2, {}),
    ("天津市宏达木业加工有限公司", ["light_industry"], 6, {}),
    ("天津市津北纺织印染有限公司", ["textile"], 6, {"uses_hazchem": True}),
    ("天津市河北区粉末冶金有限公司", ["metallurgy", "machinery"], 9, {"has_special_equipment": True}),
    ("天津新材建材有限公司", ["building_materials"], 8, {}),
    ("天津市河北区公交客运有限公司", ["road_transport"], 3, {}),
    ("天津市顺达危险货物运输有限公司", ["road_transport", "hazchem"], 4, {"uses_hazchem": True}),
    ("天津市河北区第一人民医院", ["hospital"], 2, {"fire_key_unit": True, "uses_gas": True}),
    ("天津市第十四中学", ["campus"], 1, {"fire_key_unit": True}),
    ("天津大学河北校区化学实验中心", ["laboratory", "campus"], 5, {"uses_hazchem": True}),
    ("天津意式风情区旅游发展有限公司", ["tourism"], 1, {"fire_key_unit": True}),
    ("天津市河北区自建房出租户（建昌道12号）", ["self_built_housing"], 5, {}),
    ("天津金街电梯维保有限公司", ["special_equipment"], 0, {"has_special_equipment": True}),
    ("天津市河北区锦绣印刷有限公司", ["light_industry"], 7, {}),
]


def _user(ctx, username, full_name, org, role, **kw):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = acc.create_user(None, username=username, password=DEMO_PASSWORD, organisation=org, role=role,
                               full_name=full_name, **kw)
    ctx["users"][username] = user
    ctx["logins"].append((username, full_name, org.name, dict(Membership.Role.choices)[role]))
    return user


def _dept(ctx, key, name, type_code, region):
    dtype = DepartmentType.objects.get(code=type_code)
    org = acc.ensure_organisation(None, kind=Organisation.Kind.DEPARTMENT, name=name, region=region, department_type=dtype)
    if not org.competences.exists():
        for sector in dtype.default_sectors.all():
            acc.set_competence(None, department=org, sector=sector)
    ctx["orgs"][key] = org
    return org


@transaction.atomic
def load_base(ctx: dict) -> dict:
    load_reference_data()
    district = Region.objects.get(code=DISTRICT)
    city = district.parent
    province = city.parent
    townships = list(district.children.order_by("code"))
    ctx.update(district=district, townships=townships)
    orgs = ctx["orgs"]
    orgs["province_committee"] = acc.ensure_organisation(None, kind=Organisation.Kind.COMMITTEE, name="天津市安全生产委员会办公室", region=province)
    orgs["committee"] = acc.ensure_organisation(None, kind=Organisation.Kind.COMMITTEE, name="河北区安全生产委员会办公室", region=district)
    _dept(ctx, "emergency", "河北区应急管理局", "emergency", district)
    _dept(ctx, "commerce", "河北区商务局", "commerce", district)
    _dept(ctx, "housing", "河北区住房和建设委员会", "housing", district)
    _dept(ctx, "market", "河北区市场监督管理局", "market", district)
    _dept(ctx, "fire", "河北区消防救援支队", "fire_rescue", district)
    _dept(ctx, "transport", "河北区交通运输局", "transport", district)
    _dept(ctx, "education", "河北区教育局", "education", district)
    _dept(ctx, "health", "河北区卫生健康委员会", "health", district)
    _dept(ctx, "tourism", "河北区文化和旅游局", "culture_tourism", district)
    for i, t in enumerate(townships):
        orgs[f"township{i}"] = acc.ensure_organisation(
            None, kind=Organisation.Kind.TOWNSHIP, name=f"{t.name}办事处", region=t, parent=orgs["committee"])
    other = Region.objects.get(code=OTHER_DISTRICT)
    orgs["other_emergency"] = _dept(ctx, "other_emergency", "河东区应急管理局", "emergency", other)
    orgs["agency"] = acc.ensure_organisation(None, kind=Organisation.Kind.AGENCY, name="天津安评技术服务有限公司", region=district)

    sectors = {s.code: s for s in Sector.objects.all()}
    for i, (name, sector_codes, t_index, flags) in enumerate(ENTERPRISES):
        ent = Enterprise.objects.filter(name=name).first()
        if ent is None:
            ent = ent_services.create_enterprise(
                None, name=name, credit_code=make_credit_code(f"91120105MA0{i + 1:05d}X"), region=townships[t_index],
                sectors=[sectors[c] for c in sector_codes], address=f"天津市河北区{townships[t_index].name}示范路{i + 1}号",
                principal_name=f"负责人{i + 1:02d}", principal_phone=f"1380000{i + 1:04d}",
                controller_name=f"控制人{i + 1:02d}", controller_phone=f"1390000{i + 1:04d}",
                legal_representative=f"法人{i + 1:02d}", employees=20 + 7 * i,
                scale="above" if i % 3 == 0 else "below", **flags)
        ctx["enterprises"].append(ent)
    other_ent = Enterprise.objects.filter(name="天津市河东区示范化工有限公司").first() or ent_services.create_enterprise(
        None, name="天津市河东区示范化工有限公司", credit_code=make_credit_code("91120102MA000001X"),
        region=other.children.order_by("code").first(), sectors=[sectors["hazchem"]], uses_hazchem=True,
        principal_name="河东负责人", principal_phone="13700000001")
    ctx["other_enterprise"] = other_ent

    ents = ctx["enterprises"]
    if not ents[10].engagements.exists():  # the units engaged below (a second load_demo adds none)
        for e in ents[10:13]:
            ent_services.engage_agency(None, agency=orgs["agency"], enterprise=e,
                                        start=timezone.localdate().replace(month=1, day=1))  # this year's contract

    admin = User.objects.filter(username="admin").first() or User.objects.create_superuser(
        "admin", "admin@example.invalid", DEMO_PASSWORD, first_name="系统管理员")
    ctx["users"]["admin"] = admin
    ctx["logins"].append(("admin", "系统管理员", "—", "超级用户"))
    _user(ctx, "tj_anweiban", "市安委办 周明", orgs["province_committee"], Membership.Role.OFFICER)
    _user(ctx, "hb_anweiban", "区安委办 李静", orgs["committee"], Membership.Role.OFFICER)
    _user(ctx, "hb_anweiban_lead", "区安委办主任 赵刚", orgs["committee"], Membership.Role.LEADER)
    _user(ctx, "hb_yingji", "应急局执法员 王强", orgs["emergency"], Membership.Role.OFFICER, is_inspector=True, inspector_cert="12010500001")
    _user(ctx, "hb_yingji2", "应急局执法员 陈晨", orgs["emergency"], Membership.Role.OFFICER, is_inspector=True, inspector_cert="12010500002")
    _user(ctx, "hb_yingji_lead", "应急局副局长 孙伟", orgs["emergency"], Membership.Role.LEADER, is_inspector=True, inspector_cert="12010500003")
    _user(ctx, "hb_shangwu", "商务局 刘洋", orgs["commerce"], Membership.Role.OFFICER, is_inspector=True, inspector_cert="12010500011")
    _user(ctx, "hb_shangwu_lead", "商务局科长 吴敏", orgs["commerce"], Membership.Role.LEADER, is_inspector=True, inspector_cert="12010500012")
    _user(ctx, "hb_zhujian", "住建委 郑军", orgs["housing"], Membership.Role.OFFICER, is_inspector=True, inspector_cert="12010500021")
    _user(ctx, "hb_shichang", "市场监管局 何丽", orgs["market"], Membership.Role.OFFICER, is_inspector=True)
    _user(ctx, "jd_guangfudao", "光复道街道安全办 马超", orgs["township0"], Membership.Role.OFFICER)
    _user(ctx, "jd_wanghailou", "望海楼街道安全办 高燕", orgs["township1"], Membership.Role.OFFICER)
    _user(ctx, "hd_yingji", "河东区应急局 钱坤", orgs["other_emergency"], Membership.Role.OFFICER, is_inspector=True)
    e0 = ent_services.ensure_enterprise_organisation(None, ents[0])
    e6 = ent_services.ensure_enterprise_organisation(None, ents[6])
    e11 = ent_services.ensure_enterprise_organisation(None, ents[11])
    _user(ctx, "qy_xinlong", "鑫隆商贸 主要负责人01", e0, Membership.Role.PRINCIPAL, phone="13800000001")
    _user(ctx, "qy_xinlong_aq", "鑫隆商贸 安全员", e0, Membership.Role.SAFETY_MANAGER)
    _user(ctx, "qy_jinjian", "津建三公司 主要负责人07", e6, Membership.Role.PRINCIPAL, phone="13800000007")
    _user(ctx, "qy_jiayouzhan", "建昌道加油站 主要负责人12", e11, Membership.Role.PRINCIPAL, phone="13800000012")
    _user(ctx, "dsf_expert", "第三方专家 林涛", orgs["agency"], Membership.Role.EXPERT)
    return ctx


def load_demo() -> dict:
    ctx: dict = {"orgs": {}, "users": {}, "enterprises": [], "logins": []}
    load_base(ctx)
    return load_apps(ctx)


def load_apps(ctx: dict) -> dict:
    """Every app's demo records (``<app>/demo.py``'s ``load``) on ``ctx``'s units and people — the
    demo's, or a test world's (tests/test_form_pages_refuse_empty_posts.py)."""
    for app in settings.INSTALLED_APPS:
        if "." in app or app == "core":
            continue
        try:
            module = import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        module.load(ctx)
    return ctx
