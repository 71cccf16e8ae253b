"""Import and export 50,000 rows through the real sheet machinery; prints rows/s as JSON.

A dedicated bench county gets 20 towns and a system administrator; the file holds 50,000 units
spread over the towns (a real county has ~50: the figure is about the machinery, not the
register). The import goes through the same path as production: calamine read, the file
checks (formulas, merged cells), cell parsing, lookups, then `duban.org.services.create_unit`
per row with its audit entry, all in one transaction. The export reads the same FilterSet
queryset as the page.

    python bench/sheets_50k.py                       # SQLite in a temporary folder
    python bench/sheets_50k.py --rows 5000           # a smaller run
    python bench/sheets_50k.py --postgres postgres://postgres@127.0.0.1:5432/duban_h8_bench
                                                     # creates that database, runs, drops it
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TOWNS = 20


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--postgres", help="URL of a PostgreSQL database to create, use and drop")
    return parser.parse_args()


def _pg(url: str, *, create: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"unsafe database name: {name!r}")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(args: argparse.Namespace, var: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DUBAN_VAR"] = str(var)
    os.environ["DJANGO_SETTINGS_MODULE"] = "duban.settings"
    if args.postgres:
        _pg(args.postgres, create=True)
        os.environ["DATABASE_URL"] = args.postgres
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = var / "files"
    settings.DUBAN_SHEETS = {**settings.DUBAN_SHEETS, "MAX_ROWS": max(args.rows, 100_000)}
    call_command("migrate", verbosity=0)


def build_county():
    from duban.accounts.choices import Role
    from duban.accounts.services import create_user, grant_role
    from duban.org.choices import RegionLevel
    from duban.org.services import create_region

    def region(name, code, level, parent=None):
        return create_region(actor=None, name=name, code=code, level=level, parent=parent, check_access=False)

    city = region("基准市", "BC", RegionLevel.CITY)
    county = region("基准县", "BX", RegionLevel.COUNTY, city)
    for i in range(1, TOWNS + 1):
        region(f"基准{i}镇", f"BT{i:02d}", RegionLevel.TOWN, county)
    admin = create_user(actor=None, username="bench_admin", real_name="基准管理员", check_access=False)
    grant_role(actor=None, user=admin, role=Role.SYSTEM_ADMIN, region=county, check_access=False)
    return admin


def write_file(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("单位")
    sheet.append(["单位名称", "简称", "单位代码", "类型", "所在区划", "分管领导账号", "排序"])
    kinds = ["部门", "镇街", "园区"]
    for i in range(rows):
        town = f"基准{i % TOWNS + 1}镇"
        sheet.append([f"基准单位{i:06d}", f"单位{i}", f"B{i:06d}", kinds[i % 3], town, "", i % 1000])
    workbook.save(path)


def timed(label: str, rows: int, figures: dict, fn):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    figures[label] = {"seconds": round(seconds, 2), "rows_per_s": round(rows / seconds) if seconds else None}
    print(f"{label:28s} {seconds:8.2f} s  {rows / seconds:10.0f} rows/s", file=sys.stderr, flush=True)
    return result


def run(args: argparse.Namespace, var: Path) -> dict:
    from django.db import connection
    from python_calamine import CalamineWorkbook

    from duban.sheets.base import get_sheet
    from duban.sheets.files import read_table
    from duban.sheets.importing import run_import
    from duban.sheets.writing import csv_chunks, write_xlsx

    admin = build_county()
    sheet = get_sheet("units")
    path = var / "units.xlsx"
    write_file(path, args.rows)
    n = args.rows
    figures: dict = {
        "rows": n,
        "database": connection.vendor,
        "file_mb": round(path.stat().st_size / 2**20, 2),
    }
    timed(
        "calamine_read",
        n,
        figures,
        lambda: CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(),
    )
    table = timed("read_table_with_checks", n, figures, lambda: read_table(path, path.name))

    def do_import(commit: bool):
        report = run_import(sheet, table, actor=admin, filename=path.name, commit=commit)
        assert report.ok, report.problems[:5]
        return report

    report = timed("import_dry_run", n, figures, lambda: do_import(False))
    assert report.created == n and not report.committed
    report = timed("import_commit", n, figures, lambda: do_import(True))
    assert report.committed and report.created == n

    qs, _filters = sheet.filtered(admin, {"status": "all"})
    out = var / "export.xlsx"
    count = timed("export_xlsx", n, figures, lambda: write_xlsx(sheet, qs, out))
    assert count == n, count
    timed("export_csv", n, figures, lambda: sum(len(chunk) for chunk in csv_chunks(sheet, qs)))
    again = timed("reimport_export_unchanged", n, figures, lambda: do_import_file(sheet, out, admin))
    assert again.unchanged == n, (again.unchanged, again.problems[:5])
    return figures


def do_import_file(sheet, path: Path, admin):
    from duban.sheets.files import read_table
    from duban.sheets.importing import run_import

    return run_import(sheet, read_table(path, path.name), actor=admin, filename=path.name, commit=True)


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="duban-sheets-bench-") as folder:
        var = Path(folder)
        setup_django(args, var)
        try:
            figures = run(args, var)
        finally:
            if args.postgres:
                from django.db import connections

                connections.close_all()
                _pg(args.postgres, create=False)
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
