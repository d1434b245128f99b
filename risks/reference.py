"""Default band tables (DOMAIN.md §4.2–4.3, tagged with their variant) and control tiers (§4.1).
Loaded by a data migration and idempotently by ``ensure_defaults``."""

# code, method, name, source, default, [(level, min_score)]
TABLES = [
    ("lec_a", "lec", "LEC分级（变体A）", "DOMAIN.md §4.2 变体A V[S27a]：D≥160重大，70–160较大，20–70一般，<20低", True,
     [("major", 160), ("large", 70), ("general", 20), ("low", 0)]),
    ("lec_b", "lec", "LEC分级（变体B）", "DOMAIN.md §4.2 变体B V[S27b]：D≥320重大，160–320较大，70–160一般，<70低", False,
     [("major", 320), ("large", 160), ("general", 70), ("low", 0)]),
    ("ls_common", "ls", "风险矩阵分级（通用）", "DOMAIN.md §4.3 通用 V[S28]：20–25重大，15–16较大，9–12一般，1–8低", True,
     [("major", 20), ("large", 15), ("general", 9), ("low", 1)]),
    ("ls_coal", "ls", "风险矩阵分级（煤矿行业变体）", "DOMAIN.md §4.3 煤矿论文变体：20–25重大，10–16较大，4–9一般，1–3低", False,
     [("major", 20), ("large", 10), ("general", 4), ("low", 1)]),
]

TIERS = [
    ("major", "公司级（主要负责人）", "停止作业或不得开工，直至风险降低 (P)"),
    ("large", "公司安全管理部门及职能部门（分管负责人）", "(P)"),
    ("general", "车间（部门）级，公司安全管理部门监督", "(P)"),
    ("low", "班组（岗位）级，车间监督", "(P)"),
]


def ensure_defaults(apps=None) -> None:
    if apps is None:
        from .models import Band, BandTable, ControlTier
    else:
        Band, BandTable, ControlTier = (apps.get_model("risks", n) for n in ("Band", "BandTable", "ControlTier"))
    for code, method, name, source, default, bands in TABLES:
        if BandTable.objects.filter(code=code).exists():
            continue
        table = BandTable.objects.create(code=code, method=method, name=name, source=source, version=1, is_default=default)
        for level, minimum in bands:
            Band.objects.create(table=table, level=level, min_score=minimum)
    for level, tier, note in TIERS:
        ControlTier.objects.get_or_create(level=level, defaults={"tier": tier, "note": note})
