"""The indicator board at the size the issue names, and larger: queries and time.

Builds N indicators x 11 counties x 24 monthly periods of official figures (bulk insert) in a
temporary database, then times board_rows (one RANK() query for the periods needed plus a
fixed handful), the board page and one indicator's page (the trend over every period), and
prints the query counts, which must not grow with the data.

    python bench/indicators_board.py                       # SQLite in a temporary folder
    python bench/indicators_board.py --indicators 40 80 160
    python bench/indicators_board.py --postgres postgres://postgres@127.0.0.1:5432/duban_bench
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from concurrent_writers import configure, create_pg, drop_pg, migrate


def build(n_indicators: int, counties: int = 11, periods: int = 24):
    from duban.accounts.choices import Role
    from duban.accounts.factories import make_user_with_role
    from duban.indicators.choices import ValueSource, ValueStatus
    from duban.indicators.factories import make_indicator
    from duban.indicators.models import AnnualTarget, IndicatorValue
    from duban.org.choices import RegionLevel
    from duban.org.factories import make_county, make_region, make_unit

    tag = time.time_ns() % 10**9
    home = make_county(f"测速县{tag}")
    peers = [home] + [
        make_region(f"测速同城{tag}-{i}", level=RegionLevel.COUNTY, parent=home.parent)
        for i in range(counties - 1)
    ]
    unit = make_unit(f"测速局{tag}", region=home)
    keys = [y * 100 + m for y in (2025, 2026) for m in range(1, 13)][:periods]
    rows = []
    for i in range(n_indicators):
        ind = make_indicator(home, unit, name=f"测速指标{tag}-{i}", weight="3")
        AnnualTarget.objects.create(indicator=ind, year=keys[-1] // 100, value=100, target_place=3)
        rows += [
            IndicatorValue(
                indicator=ind,
                county=c,
                period=k,
                value=(ci * 7 + i + k) % 17 + 1,
                status=ValueStatus.VERIFIED,
                source=ValueSource.BULLETIN,
                is_official=True,
            )
            for ci, c in enumerate(peers)
            for k in keys
        ]
    IndicatorValue.objects.bulk_create(rows, batch_size=5000)
    leader = make_user_with_role(Role.COUNTY_LEADER, region=home)
    return leader, ind, len(rows)


def timed(fn, repeat: int = 5):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(times), len(ctx.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--indicators", type=int, nargs="+", default=[10, 40, 160])
    parser.add_argument("--postgres", help="a PostgreSQL URL for a throwaway database (dropped afterwards)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var:
        if args.postgres:
            create_pg(args.postgres)
        configure(var, args.postgres)
        migrate()
        try:
            from django.conf import settings
            from django.test import Client
            from django.test.utils import override_settings
            from django.urls import reverse

            from duban.indicators.board import board_rows
            from duban.indicators.models import Indicator

            plain = {
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
            override_settings(STORAGES=plain).enable()  # pages render without collectstatic
            print(
                f"{'indicators':>10} {'values':>8} {'board_rows ms':>14} {'q':>3} {'page ms':>8} {'q':>3} {'detail ms':>10} {'q':>3}"
            )
            for n in args.indicators:
                leader, ind, values = build(n)
                qs = Indicator.objects.visible_to(leader)
                rows_ms, rows_q = timed(lambda qs=qs, leader=leader: board_rows(leader, qs))
                client = Client()
                client.force_login(leader)
                page_ms, page_q = timed(lambda c=client: c.get(reverse("indicators:board")))
                detail_ms, detail_q = timed(
                    lambda c=client, i=ind: c.get(reverse("indicators:indicator_detail", args=[i.pk]))
                )
                print(
                    f"{n:>10} {values:>8} {rows_ms * 1000:>14.1f} {rows_q:>3} {page_ms * 1000:>8.1f} {page_q:>3} {detail_ms * 1000:>10.1f} {detail_q:>3}"
                )
        finally:
            if args.postgres:
                from django.db import connections

                connections.close_all()
                drop_pg(args.postgres)


if __name__ == "__main__":
    main()
