"""Reference data: sectors (行业领域, from seed 000 §二 and DOMAIN.md) and department types.

Loaded by a data migration and idempotently by ``load_reference_data`` (tests that flush
the database call it again). Jurisdictions may edit these rows afterwards; nothing in code
depends on a sector's name, only on its stable ``code``.
"""

# code, name, parent code, high_risk, drill interval in months, sort. Drills: 应急预案管理办法 art. 33 and seeds
# 000/002 item 18 — high-risk sectors and crowded venues (商贸, 旅游, 校园, 医院) at least every half-year.
SECTORS = [
    ("coal", "煤矿", None, True, 6, 10),
    ("noncoal_mine", "非煤矿山", None, True, 6, 20),
    ("hazchem", "危险化学品", None, True, 6, 30),
    ("fireworks", "烟花爆竹", None, True, 6, 40),
    ("road_transport", "道路运输", None, True, 6, 50),
    ("construction", "建筑施工", None, True, 6, 60),
    ("fire", "消防", None, False, 12, 70),
    ("gas", "城镇燃气", None, True, 6, 80),
    ("self_built_housing", "自建房", None, False, 12, 90),
    ("tourism", "旅游", None, False, 6, 100),
    ("industry_trade", "工贸", None, False, 12, 110),
    ("metallurgy", "冶金", "industry_trade", True, 6, 111),
    ("nonferrous", "有色", "industry_trade", True, 6, 112),
    ("building_materials", "建材", "industry_trade", False, 12, 113),
    ("machinery", "机械", "industry_trade", False, 12, 114),
    ("light_industry", "轻工", "industry_trade", False, 12, 115),
    ("textile", "纺织", "industry_trade", False, 12, 116),
    ("tobacco", "烟草", "industry_trade", False, 12, 117),
    ("commerce", "商贸服务和仓储物流", None, False, 6, 120),
    ("water_transport", "水上交通", None, True, 6, 130),
    ("fishing_vessel", "渔业船舶", None, False, 12, 140),
    ("special_equipment", "特种设备", None, False, 12, 150),
    ("civil_explosives", "民爆物品", None, True, 6, 160),
    ("water_conservancy", "水利", None, False, 12, 170),
    ("electric_power", "电力", None, False, 12, 180),
    ("civil_aviation", "民航", None, False, 12, 190),
    ("agriculture", "农业（畜禽屠宰、农村沼气）", None, False, 12, 200),
    ("campus", "校园", None, False, 6, 210),
    ("hospital", "医院", None, False, 6, 220),
    ("laboratory", "实验室", None, False, 12, 230),
    ("emerging", "新兴行业领域", None, False, 12, 240),
]

# code, name, comprehensive, enforcement, default sector codes, sort
DEPARTMENT_TYPES = [
    ("emergency", "应急管理局", True, True, ["hazchem", "fireworks", "industry_trade", "noncoal_mine"], 10),
    ("housing", "住房和城乡建设", False, True, ["construction", "gas", "self_built_housing"], 20),
    ("commerce", "商务", False, True, ["commerce"], 30),
    ("transport", "交通运输", False, True, ["road_transport", "water_transport"], 40),
    ("market", "市场监督管理", False, True, ["special_equipment"], 50),
    ("fire_rescue", "消防救援", False, True, ["fire"], 60),
    ("public_security", "公安", False, True, [], 70),
    ("agriculture", "农业农村", False, True, ["fishing_vessel", "agriculture"], 80),
    ("water", "水利", False, True, ["water_conservancy"], 90),
    ("education", "教育", False, False, ["campus"], 100),
    ("health", "卫生健康", False, False, ["hospital"], 110),
    ("culture_tourism", "文化和旅游", False, True, ["tourism"], 120),
    ("industry_it", "工业和信息化", False, True, ["civil_explosives"], 130),
    ("energy", "能源", False, True, ["coal", "electric_power"], 140),
    ("natural_resources", "自然资源", False, True, [], 150),
    ("science", "科技", False, False, ["laboratory"], 160),
]


def load_reference_data(Sector=None, DepartmentType=None) -> None:
    if Sector is None:
        from .models import DepartmentType, Sector
    if Sector.objects.filter(code="emerging").exists() and DepartmentType.objects.filter(code="science").exists():
        return
    by_code = {}
    for code, name, parent, high_risk, drill_months, sort in SECTORS:
        obj, _ = Sector.objects.get_or_create(
            code=code,
            defaults={"name": name, "parent": by_code.get(parent), "high_risk": high_risk,
                      "drill_months": drill_months, "sort_order": sort},
        )
        by_code[code] = obj
    for code, name, comprehensive, enforcement, sectors, sort in DEPARTMENT_TYPES:
        obj, created = DepartmentType.objects.get_or_create(
            code=code, defaults={"name": name, "comprehensive": comprehensive, "enforcement": enforcement, "sort_order": sort}
        )
        if created:
            obj.default_sectors.set([by_code[s] for s in sectors])
