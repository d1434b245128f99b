"""Demo risk points with assessments for a few enterprises (idempotent)."""

from . import services
from .models import RiskPoint

POINTS = [
    # enterprise index, code, name, category, location, factors, method, (l, e, c|s)
    (0, "XL-01", "二层仓库", "火灾", "二层仓储区", "可燃物集中存放、电气线路老化", "lec", {"l": 3, "e": 6, "c": 15}),
    (0, "XL-02", "配电室", "触电", "一层东侧", "带电作业、绝缘损坏", "ls", {"l": 2, "s": 4}),
    (6, "JJ-01", "塔吊作业", "起重伤害", "3号楼", "限位失灵、违章吊装", "lec", {"l": 6, "e": 6, "c": 40}),
    (6, "JJ-02", "深基坑", "坍塌", "2号楼基坑", "支护变形、降水失效", "ls", {"l": 4, "s": 5}),
    (11, "JY-01", "卸油区", "火灾爆炸", "站区西侧", "油气挥发、静电", "lec", {"l": 3, "e": 6, "c": 40}),
    (11, "JY-02", "加油机", "火灾", "加油岛", "油品泄漏", "ls", {"l": 2, "s": 3}),
]


def load(ctx: dict) -> None:
    ents = ctx["enterprises"]
    for index, code, name, category, location, factors_text, method, factors in POINTS:
        ent = ents[index]
        if RiskPoint.objects.filter(enterprise=ent, code=code).exists():
            continue
        point = services.create_risk_point(
            None, ent, code=code, name=name, category=category, location=location, hazard_factors=factors_text,
            consequences="人员伤亡、财产损失", control_measures="落实岗位责任制，定期检查", monitoring="视频监控",
            responsible_unit="安全管理部", responsible_person=ent.principal_name, responsible_phone=ent.principal_phone,
            supervising_department="河北区应急管理局", emergency_plan=f"{category}专项应急预案",
            emergency_resources="灭火器、消防沙、疏散通道；最近消防站约2公里",
            longitude=117.2 + index / 1000, latitude=39.15 + index / 1000)
        services.assess(None, point, method=method, factors=factors)
