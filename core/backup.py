"""Backup and restore: the database (PostgreSQL: pg_dump/pg_restore custom format; SQLite: the
online backup API) plus the media files (evidence, photos, attachments), with a manifest of row
counts per table. ``manage.py backup DIR`` / ``manage.py restore DIR`` (docs/operations.md).

TIP_IDENTITY_KEY is deliberately NOT part of a backup: without it the reporters' identities in the
restored database cannot be decrypted, and with it next to the data they are no longer protected.
Keep the key in the secret store, separately from the backups.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

KEY_WARNING = ("注意：备份不包含 TIP_IDENTITY_KEY（举报人身份密钥）。请将密钥单独保存在密钥管理处；"
               "恢复后须使用同一密钥，否则实名举报人身份无法解密。")


class BackupError(RuntimeError):
    pass


def row_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.label] = model._base_manager.count()
    return counts


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = ["-h", str(db.get("HOST") or "localhost"), "-p", str(db.get("PORT") or 5432), "-U", str(db.get("USER") or "")]
    return args, env


def _db_name() -> str:
    return str(connection.settings_dict["NAME"])


def backup(target: Path) -> Path:
    """Write a backup into a new directory under ``target``; returns that directory."""
    target = Path(target)
    out = target / f"qingling-backup-{timezone.localtime():%Y%m%d-%H%M%S}"
    out.mkdir(parents=True, exist_ok=False)
    vendor = connection.vendor
    if vendor == "postgresql":
        args, env = _pg_env()
        result = subprocess.run(["pg_dump", *args, "--format=custom", "--no-owner", "-f", str(out / "database.dump"),
                                 _db_name()], env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr[-1000:]}")
    elif vendor == "sqlite":
        connection.ensure_connection()
        dest = sqlite3.connect(out / "database.sqlite3")
        try:
            connection.connection.backup(dest)  # consistent online copy, also while serving
        finally:
            dest.close()
    else:
        raise BackupError(f"unsupported database: {vendor}")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(out / "media.tar.gz", "w:gz") as tar:
        if media.exists():
            tar.add(media, arcname="media")
    manifest = {"created_at": timezone.now().isoformat(), "vendor": vendor, "row_counts": row_counts(),
                "identity_key_included": False, "warning": KEY_WARNING}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def restore(source: Path, *, media: bool = True) -> dict:
    """Restore a backup directory over the configured database (and media). Returns the manifest.
    The application must be stopped (or in maintenance) while this runs."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(f"backup is of {manifest['vendor']}, the configured database is {vendor}")
    if vendor == "postgresql":
        connection.close()
        args, env = _pg_env()
        result = subprocess.run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                                 "-d", _db_name(), str(source / "database.dump")], env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr[-1000:]}")
    else:
        connection.ensure_connection()
        src = sqlite3.connect(source / "database.sqlite3")
        try:
            src.backup(connection.connection)  # replaces every page of the live database
        finally:
            src.close()
    if media:
        root = Path(settings.MEDIA_ROOT)
        with tarfile.open(source / "media.tar.gz", "r:gz") as tar:
            staging = root.parent / f".restore-{os.getpid()}"
            tar.extractall(staging, filter="data")  # no absolute paths, no links out of the tree
        if (staging / "media").exists():
            if root.exists():
                shutil.rmtree(root)
            shutil.move(str(staging / "media"), str(root))
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def verify(manifest: dict) -> list[str]:
    """Tables whose row count differs from the manifest (empty = identical)."""
    now = row_counts()
    return [f"{label}: {count} ≠ {now.get(label)}" for label, count in manifest["row_counts"].items()
            if now.get(label) != count]
