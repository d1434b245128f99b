#!/usr/bin/env python3
# ruff: noqa: UP031  (stdlib-only checker kept Python-2-style portable)
"""Validate standards/data/catalogue.json (and key_inspection_items.json if present).

Stdlib only. Usage:
    python3 standards/data/check_catalogue.py [path/to/catalogue.json]

Prints, per standard, the number of counted items (counts: true) versus
expected_item_count, then any structural errors. Exits 1 on any error or
count mismatch, 0 otherwise.
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

SECTORS = {
    "coal", "noncoal_mine", "hazchem", "fireworks", "road_transport", "construction", "fire", "gas",
    "self_built_housing", "tourism", "industry_trade", "metallurgy", "nonferrous", "building_materials",
    "machinery", "light_industry", "textile", "tobacco", "commerce", "water_transport", "fishing_vessel",
    "special_equipment", "civil_explosives", "water_conservancy", "electric_power", "civil_aviation",
    "agriculture", "campus", "hospital", "laboratory", "emerging",
}
VERIFIED = {"V", "P", "R"}
STATUS = {"in_force", "repealed"}
CATEGORIES = {"management", "industry", "special", "general", "catchall"}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CODE_RE = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
SUMMARY_ZH_MAX = 80

STANDARD_KEYS = [
    "code", "title", "short_title", "issuer", "doc_number", "adopted", "published", "effective",
    "repealed", "status", "supersedes", "sectors", "cross_cutting", "source_note", "verified",
    "items_pending", "expected_item_count", "articles",
]
ARTICLE_KEYS = ["number", "title", "category", "items"]
ITEM_KEYS = ["code", "number", "official_ref", "summary_zh", "summary_en", "verified", "counts"]

# Counts fixed by the docs (DOMAIN.md / STANDARDS.md); guards against a silently edited expected_item_count.
REQUIRED_COUNTS = {
    "HAZCHEM-2017": 20, "FIREWORKS-2017": 20, "GONGMAO-2023": 64, "GONGMAO-2017": 59,
    "HOUSING-2024": 53, "HOUSING-2022": 34, "GAS-2023": 22, "COAL-2020": 15, "COAL-REG-2024": 17,
    "FISHING-2022": 8, "WATER-PASSENGER-2017": 6,
    "METAL-MINE-2022": None, "ROAD-2023": None, "INLAND-SHIP-2024": None,
    "CIVIL-EXPLOSIVES-2023": None, "FIRE-GB35181-2025": None, "SPECIAL-EQUIP-GB45067-2024": None,
}
# Per-article counted-item breakdowns stated by the docs.
ARTICLE_COUNTS = {
    "GONGMAO-2023": {"3": 3, "4": 8, "5": 13, "6": 8, "7": 7, "8": 7, "9": 2, "10": 2,
                     "11": 10, "12": 2, "13": 2, "14": 0},
    "GONGMAO-2017": {"DUST": 10, "AMMONIA": 2, "CONFINED-SPACE": 2, "METALLURGY": 11, "NONFERROUS": 10,
                     "BUILDING-MATERIALS": 6, "MACHINERY": 7, "LIGHT-INDUSTRY": 6, "TEXTILE": 2,
                     "TOBACCO": 2, "COMMERCE": 1},
    "HOUSING-2024": {"4": 5, "5": 4, "6": 4, "7": 3, "8": 9, "9": 5, "10": 2, "11": 4, "12": 2,
                     "13": 7, "14": 3, "15": 3, "16": 1, "17": 1},
    "HOUSING-2022": {"4": 4, "5": 4, "6": 3, "7": 5, "8": 7, "9": 3, "10": 1, "11": 2, "12": 1,
                     "13": 2, "14": 1, "15": 1},
    "GAS-2023": {"4": 5, "5": 5, "6": 3, "7": 3, "8": 1, "9": 4, "10": 1},
}
# Repeal/supersession links stated by the docs.
REQUIRED_SUPERSEDES = {"GONGMAO-2023": "GONGMAO-2017", "HOUSING-2024": "HOUSING-2022"}


class Checker:
    def __init__(self):
        self.errors = []

    def err(self, where, msg):
        self.errors.append("%s: %s" % (where, msg))

    def keys(self, where, obj, expected):
        if not isinstance(obj, dict):
            self.err(where, "expected an object, got %s" % type(obj).__name__)
            return False
        missing = [k for k in expected if k not in obj]
        extra = [k for k in obj if k not in expected]
        if missing:
            self.err(where, "missing keys %s" % missing)
        if extra:
            self.err(where, "unexpected keys %s" % extra)
        return not missing

    def nonempty_str(self, where, value, field):
        if not isinstance(value, str) or not value.strip():
            self.err(where, "%s must be a non-empty string" % field)
            return False
        return True

    def opt_str(self, where, value, field):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            self.err(where, "%s must be a non-empty string or null" % field)


def check_format(chk, path, raw, data):
    canonical = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if raw != canonical:
        chk.err(path, "not in canonical form (UTF-8, ensure_ascii=False, indent=2, trailing newline)")


def check_item(chk, where, item, std_code, art_number, index, codes):
    if not chk.keys(where, item, ITEM_KEYS):
        return
    code = item["code"]
    if art_number == "":
        want = "%s-%d" % (std_code, index)
    else:
        want = "%s-%s-%d" % (std_code, art_number, index)
    if code != want:
        chk.err(where, "item code %r, expected %r" % (code, want))
    if code in codes:
        chk.err(where, "duplicate item code %r" % code)
    codes.add(code)
    if not isinstance(item["number"], str):
        chk.err(where, "number must be a string")
    chk.opt_str(where, item["official_ref"], "official_ref")
    if chk.nonempty_str(where, item["summary_zh"], "summary_zh"):
        zh = item["summary_zh"]
        if len(zh) > SUMMARY_ZH_MAX:
            chk.err(where, "summary_zh is %d characters (max %d)" % (len(zh), SUMMARY_ZH_MAX))
        if not CJK_RE.search(zh):
            chk.err(where, "summary_zh contains no Chinese characters")
    chk.nonempty_str(where, item["summary_en"], "summary_en")
    if item["verified"] not in VERIFIED:
        chk.err(where, "verified must be one of %s" % sorted(VERIFIED))
    if not isinstance(item["counts"], bool):
        chk.err(where, "counts must be true/false")


def check_standard(chk, std, codes):
    where = "standard %s" % (std.get("code") if isinstance(std, dict) else "?")
    if not chk.keys(where, std, STANDARD_KEYS):
        return None
    code = std["code"]
    if not isinstance(code, str) or not CODE_RE.match(code):
        chk.err(where, "bad standard code %r" % (code,))
        code = str(code)
    for f in ("title", "short_title", "issuer", "source_note"):
        chk.nonempty_str(where, std[f], f)
    chk.opt_str(where, std["doc_number"], "doc_number")
    for f in ("adopted", "published", "effective", "repealed"):
        v = std[f]
        if v is not None and (not isinstance(v, str) or not DATE_RE.match(v)):
            chk.err(where, "%s must be YYYY-MM-DD or null, got %r" % (f, v))
    if std["status"] not in STATUS:
        chk.err(where, "status must be one of %s" % sorted(STATUS))
    if std["status"] == "in_force" and std["repealed"] is not None:
        chk.err(where, "in_force standard has a repealed date")
    if std["supersedes"] is not None and not isinstance(std["supersedes"], str):
        chk.err(where, "supersedes must be a code or null")
    sectors = std["sectors"]
    if not isinstance(sectors, list) or not sectors:
        chk.err(where, "sectors must be a non-empty list")
    else:
        bad = [s for s in sectors if s not in SECTORS]
        if bad:
            chk.err(where, "unknown sector codes %s" % bad)
        if len(set(sectors)) != len(sectors):
            chk.err(where, "duplicate sector codes")
    for f in ("cross_cutting", "items_pending"):
        if not isinstance(std[f], bool):
            chk.err(where, "%s must be true/false" % f)
    if std["verified"] not in VERIFIED:
        chk.err(where, "verified must be one of %s" % sorted(VERIFIED))
    exp = std["expected_item_count"]
    if exp is not None and (isinstance(exp, bool) or not isinstance(exp, int) or exp < 0):
        chk.err(where, "expected_item_count must be a non-negative integer or null")
        exp = None

    articles = std["articles"]
    if not isinstance(articles, list):
        chk.err(where, "articles must be a list")
        return code, 0, 0, exp
    if std["items_pending"] is True and exp is not None:
        chk.err(where, "items_pending standard should have expected_item_count null")
    if std["items_pending"] is not True and not articles:
        chk.err(where, "no articles but items_pending is false")

    counted = total = 0
    per_article = {}
    art_numbers = set()
    for a_i, art in enumerate(articles):
        awhere = "%s article[%d]" % (where, a_i)
        if not chk.keys(awhere, art, ARTICLE_KEYS):
            continue
        num = art["number"]
        if not isinstance(num, str):
            chk.err(awhere, "article number must be a string")
            continue
        awhere = "%s art.%s" % (where, num or "<flat>")
        if num in art_numbers:
            chk.err(awhere, "duplicate article number")
        art_numbers.add(num)
        if num == "" and (art["category"] != "general" or len(articles) != 1):
            chk.err(awhere, "flat list must be the only article and have category 'general'")
        if num != "" and not CODE_RE.match(num):
            chk.err(awhere, "article number must be digits/uppercase letters and hyphens")
        chk.opt_str(awhere, art["title"], "title")
        if art["category"] not in CATEGORIES:
            chk.err(awhere, "category must be one of %s" % sorted(CATEGORIES))
        items = art["items"]
        if not isinstance(items, list) or not items:
            chk.err(awhere, "items must be a non-empty list")
            continue
        n_counted = 0
        for i, item in enumerate(items, 1):
            check_item(chk, "%s item[%d]" % (awhere, i), item, code, num, i, codes)
            if isinstance(item, dict) and item.get("counts") is True:
                n_counted += 1
            elif isinstance(item, dict) and item.get("counts") is False and art["category"] != "catchall":
                chk.err("%s item[%d]" % (awhere, i), "counts:false is only allowed in a 'catchall' article")
        per_article[num] = n_counted
        counted += n_counted
        total += len(items)

    if code in ARTICLE_COUNTS:
        for num, want in ARTICLE_COUNTS[code].items():
            got = per_article.get(num)
            if got != want:
                chk.err(where, "art.%s has %s counted items, docs state %d" % (num, got, want))
        extra = set(per_article) - set(ARTICLE_COUNTS[code])
        if extra:
            chk.err(where, "articles not in the documented structure: %s" % sorted(extra))
    return code, counted, total, exp


def check_links(chk, standards):
    by_code = {s["code"]: s for s in standards if isinstance(s, dict) and "code" in s}
    for code, std in by_code.items():
        sup = std.get("supersedes")
        if sup is None:
            continue
        if sup not in by_code:
            chk.err("standard %s" % code, "supersedes unknown code %r" % sup)
        elif by_code[sup].get("status") != "repealed":
            chk.err("standard %s" % code, "supersedes %s, which is not marked repealed" % sup)
        if sup == code:
            chk.err("standard %s" % code, "supersedes itself")
    for code, sup in REQUIRED_SUPERSEDES.items():
        if code in by_code and by_code[code].get("supersedes") != sup:
            chk.err("standard %s" % code, "must supersede %s" % sup)
    for code, want in REQUIRED_COUNTS.items():
        if code not in by_code:
            chk.err("catalogue", "required standard %s missing" % code)
        elif by_code[code].get("expected_item_count") != want:
            chk.err("standard %s" % code, "expected_item_count %r, docs give %r"
                    % (by_code[code].get("expected_item_count"), want))


def check_key_items(chk, path):
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    try:
        data = json.loads(raw)
    except ValueError as e:
        chk.err(path, "invalid JSON: %s" % e)
        return []
    check_format(chk, path, raw, data)
    if not isinstance(data, list):
        chk.err(path, "top level must be a list")
        return []
    codes, sectors, summary = set(), set(), []
    for i, lst in enumerate(data):
        where = "%s[%d]" % (os.path.basename(path), i)
        if not chk.keys(where, lst, ["sector", "title", "version", "verified", "source_note", "items"]):
            continue
        if lst["sector"] not in SECTORS:
            chk.err(where, "unknown sector %r" % lst["sector"])
        if lst["sector"] in sectors:
            chk.err(where, "duplicate list for sector %r" % lst["sector"])
        sectors.add(lst["sector"])
        chk.nonempty_str(where, lst["title"], "title")
        chk.nonempty_str(where, lst["source_note"], "source_note")
        if isinstance(lst["version"], bool) or not isinstance(lst["version"], int) or lst["version"] < 1:
            chk.err(where, "version must be a positive integer")
        if lst["verified"] not in VERIFIED:
            chk.err(where, "verified must be one of %s" % sorted(VERIFIED))
        items = lst["items"]
        if not isinstance(items, list) or not items:
            chk.err(where, "items must be a non-empty list")
            continue
        prefix = "KEY-%s-" % str(lst["sector"]).upper().replace("_", "-")
        for j, item in enumerate(items, 1):
            iwhere = "%s item[%d]" % (where, j)
            if not chk.keys(iwhere, item, ["code", "summary_zh", "summary_en"]):
                continue
            if item["code"] != "%s%d" % (prefix, j):
                chk.err(iwhere, "code %r, expected %r" % (item["code"], "%s%d" % (prefix, j)))
            if item["code"] in codes:
                chk.err(iwhere, "duplicate code")
            codes.add(item["code"])
            if chk.nonempty_str(iwhere, item["summary_zh"], "summary_zh"):
                if len(item["summary_zh"]) > SUMMARY_ZH_MAX:
                    chk.err(iwhere, "summary_zh longer than %d characters" % SUMMARY_ZH_MAX)
                if not CJK_RE.search(item["summary_zh"]):
                    chk.err(iwhere, "summary_zh contains no Chinese characters")
            chk.nonempty_str(iwhere, item["summary_en"], "summary_en")
        summary.append((lst["sector"], len(items), lst["verified"]))
    return summary


def main(argv):
    path = argv[1] if len(argv) > 1 else os.path.join(HERE, "catalogue.json")
    chk = Checker()
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    try:
        data = json.loads(raw)
    except ValueError as e:
        print("FAIL %s: invalid JSON: %s" % (path, e))
        return 1
    check_format(chk, path, raw, data)
    if not chk.keys("catalogue", data, ["version", "standards"]):
        for e in chk.errors:
            print("ERROR " + e)
        return 1
    if data["version"] != 1:
        chk.err("catalogue", "version must be 1")
    standards = data["standards"]
    if not isinstance(standards, list) or not standards:
        chk.err("catalogue", "standards must be a non-empty list")
        standards = []

    codes, seen_std, rows, mismatches = set(), set(), [], 0
    for std in standards:
        res = check_standard(chk, std, codes)
        if res is None:
            continue
        code, counted, total, exp = res
        if code in seen_std:
            chk.err("standard %s" % code, "duplicate standard code")
        seen_std.add(code)
        rows.append((code, counted, total, exp, std.get("verified"), std.get("items_pending")))
    if codes & seen_std:
        chk.err("catalogue", "item codes clash with standard codes: %s" % sorted(codes & seen_std))
    check_links(chk, standards)

    print("%-28s %7s %8s %6s  %s" % ("standard", "counted", "expected", "items", "result"))
    for code, counted, total, exp, ver, pending in rows:
        if exp is None:
            result = "ok (expected unknown%s)" % (", items pending" if pending else "")
        elif counted == exp:
            result = "ok"
        else:
            result = "MISMATCH"
            mismatches += 1
        print("%-28s %7d %8s %6d  %s [%s]" % (code, counted, "-" if exp is None else exp, total, result, ver))
    print("%d standards, %d items" % (len(rows), sum(r[2] for r in rows)))

    key_path = os.path.join(os.path.dirname(os.path.abspath(path)), "key_inspection_items.json")
    if os.path.exists(key_path):
        print()
        print("key_inspection_items.json:")
        for sector, n, ver in check_key_items(chk, key_path):
            print("  %-20s %2d items [%s]" % (sector, n, ver))

    for e in chk.errors:
        print("ERROR " + e)
    if chk.errors or mismatches:
        print("FAIL: %d error(s), %d count mismatch(es)" % (len(chk.errors), mismatches))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
