"""The region tree's shape — one check shared by the admin and the loader.

GB/T 2260 (and the NBS township codes): a region's code has 2/4/6/9 digits at province / city /
county / township level and begins with its parent's code, so the code says where the region
lies. Every row placed in the tree (``core.models.RegionCodes``) carries the level codes of its
place, which scoping filters on; a region therefore never moves: a 区划调整 gives it a new code."""

from .models import Region

CODE_LENGTHS = {"province": 2, "city": 4, "county": 6, "township": 9}


def placement_error(code: str, level: str, parent_code: str | None, parent_level: str | None) -> tuple[str, str] | None:
    """Why a region ``code`` at ``level`` under the region ``parent_code`` (at ``parent_level``)
    cannot exist — (field, Chinese reason) — or None."""
    if level not in CODE_LENGTHS:
        return "level", "层级无效。"
    if not (code.isascii() and code.isdigit()) or len(code) != CODE_LENGTHS[level]:
        return "code", f"{Region.Level(level).label}区划代码须为{CODE_LENGTHS[level]}位数字。"
    if level == "province":
        return ("parent", "省级区划没有上级。") if parent_code else None
    expected = Region.LEVEL_ORDER[Region.LEVEL_ORDER.index(level) - 1]
    if not parent_code or parent_level != expected:
        return "parent", f"上级须为{Region.Level(expected).label}区划。"
    if not code.startswith(parent_code):
        return "code", f"区划代码须以上级区划代码{parent_code}开头。"
    return None
