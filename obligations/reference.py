"""Default rule data (RULES.md §5–6). Loaded by a data migration and again, idempotently, by
``ensure_defaults`` (tests that flush the database, demo loading). Tags: V verified text,
P partly, R our own default, seed = dispatch notice."""

import datetime

# code, name, value, tag, note
RULES = [
    ("principal_check_months_high_risk", "高危行业主要负责人带队检查周期（月）", 1, "seed", "seed 000/002 第8条：高危行业每月"),
    ("principal_check_months", "主要负责人带队检查周期（月）", 3, "seed", "seed 000/002 第8条：每季度"),
    ("principal_study_months", "主要负责人专题研究周期（月）", 3, "seed", "seed 002 第8条：每季度组织专题研究1次"),
    ("principal_study_months_high_risk", "高危行业主要负责人专题研究周期（月）", 1, "seed", "seed 002 第8条：高危行业领域每月至少1次"),
    ("certificate_validity_years", "特种作业操作证有效期（年）", 6, "V", "总局令第30号"),
    ("certificate_review_years", "特种作业操作证复审周期（年）", 3, "V", "总局令第30号"),
    ("certificate_alert_days_first", "证书到期第一次提醒（天）", 60, "V", "到期前60日内申请复审/延期"),
    ("certificate_alert_days_second", "证书到期第二次提醒（天）", 30, "R", ""),
    ("drill_months_default", "应急演练周期缺省值（月）", 12, "V", "应急预案管理办法第33条；行业周期见行业领域"),
    ("cost_year_lag", "安全生产费用检查年度（上一年度=1）", 1, "R", ""),
]

# high_risk, min_employees, institution_required, full_time_min, any_manager_min, tag, note
STAFFING = [
    (True, 0, False, 1, 1, "P", "安全生产法第24条：高危行业设机构或配专职人员（本平台取专职≥1）"),
    (True, 100, True, 2, 2, "R", "本平台默认：高危行业≥100人设机构并配专职人员"),
    (False, 0, False, 0, 1, "P", "安全生产法第24条：≤100人配专职或兼职人员"),
    (False, 101, False, 1, 1, "P", "安全生产法第24条：>100人设机构或配专职人员（本平台取专职≥1）"),
]

YI = 100_000_000
WAN = 10_000
# industry, category, method, lower, upper, rate %
COST_RATES_2022 = [
    ("hazchem", "", "marginal", 0, 1000 * WAN, "4.5"),
    ("hazchem", "", "marginal", 1000 * WAN, YI, "2.25"),
    ("hazchem", "", "marginal", YI, 10 * YI, "0.55"),
    ("hazchem", "", "marginal", 10 * YI, None, "0.2"),
    ("fireworks", "", "marginal", 0, 1000 * WAN, "4"),
    ("fireworks", "", "marginal", 1000 * WAN, 2000 * WAN, "3"),
    ("fireworks", "", "marginal", 2000 * WAN, None, "2.5"),
    ("construction", "矿山工程", "flat", 0, None, "3.5"),
    ("construction", "房屋建筑工程", "flat", 0, None, "3"),
    ("construction", "铁路工程", "flat", 0, None, "3"),
    ("construction", "城市轨道交通工程", "flat", 0, None, "3"),
    ("construction", "水利水电工程", "flat", 0, None, "2.5"),
    ("construction", "电力工程", "flat", 0, None, "2.5"),
    ("construction", "冶炼工程", "flat", 0, None, "2"),
    ("construction", "机电安装工程", "flat", 0, None, "2"),
    ("construction", "化工石油工程", "flat", 0, None, "2"),
    ("construction", "通信工程", "flat", 0, None, "2"),
    ("construction", "市政公用工程", "flat", 0, None, "1.5"),
    ("construction", "港口与航道工程", "flat", 0, None, "1.5"),
    ("construction", "公路工程", "flat", 0, None, "1.5"),
]

# 财资〔2022〕136号 per-ton rates (元/吨 of output; the highest applicable category): industry, category, 元/t, tag
PER_TON_RATES_2022 = [
    ("coal", "煤与瓦斯突出矿井、冲击地压矿井", "50", "V"),
    ("coal", "高瓦斯矿井、水文地质类型复杂和极复杂矿井、容易自燃煤层矿井", "30", "V"),
    ("coal", "其他井工矿", "15", "V"),
    ("coal", "露天矿", "5", "V"),
    ("noncoal_mine", "金属矿山（露天）", "5", "P"),
    ("noncoal_mine", "金属矿山（井工）", "15", "P"),
    ("noncoal_mine", "非金属矿山（露天）", "3", "P"),
    ("noncoal_mine", "非金属矿山（井工）", "8", "P"),
    ("noncoal_mine", "小型露天采石场", "2", "P"),
    ("noncoal_mine", "核工业矿山", "25", "P"),
]


def ensure_defaults(apps=None) -> None:
    get = (lambda name: apps.get_model("obligations", name)) if apps else None
    if get is None:
        from . import models as m

        ObligationRule, StaffingRule, CostRateTable, CostRate = m.ObligationRule, m.StaffingRule, m.CostRateTable, m.CostRate
    else:
        ObligationRule, StaffingRule, CostRateTable, CostRate = (get(n) for n in ("ObligationRule", "StaffingRule", "CostRateTable", "CostRate"))
    for code, name, value, tag, note in RULES:
        ObligationRule.objects.get_or_create(code=code, defaults={"name": name, "value": value, "tag": tag, "note": note})
    for high_risk, n, inst, full, anym, tag, note in STAFFING:
        StaffingRule.objects.get_or_create(high_risk=high_risk, min_employees=n, defaults={
            "institution_required": inst, "full_time_min": full, "any_manager_min": anym, "tag": tag, "note": note})
    table, created = CostRateTable.objects.get_or_create(code="caizi_2022_136", version=1, defaults={
        "name": "企业安全生产费用提取和使用管理办法（财资〔2022〕136号）", "effective_from": datetime.date(2022, 11, 21)})
    if created or not table.rates.exists():
        for industry, category, method, lower, upper, rate in COST_RATES_2022:
            CostRate.objects.create(table=table, industry=industry, category=category, method=method, lower=lower,
                                    upper=upper, rate_percent=rate, tag="V")
    if any(f.name == "unit_rate" for f in CostRate._meta.get_fields()):  # migration 0002 runs before the field exists
        ensure_per_ton_rates(table, CostRate)


def ensure_per_ton_rates(table, CostRate) -> None:
    """Coal and non-coal per-ton rates of 财资〔2022〕136号 (RULES.md §5), idempotently."""
    for industry, category, per_ton, tag in PER_TON_RATES_2022:
        CostRate.objects.get_or_create(table=table, industry=industry, category=category, method="per_ton", defaults={
            "lower": 0, "upper": None, "rate_percent": 0, "unit_rate": per_ton, "tag": tag})
