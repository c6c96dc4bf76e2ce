"""Run EXPLAIN ANALYZE on every query of every page benchmark_pages times, and report sequential scans."""

import json
import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.cache import new_generation
from devtools.benchmarking import PUBLIC, pages, signed_in_clients

# A page view may never read this table from end to end; the other large tables are reported, not refused.
FORBIDDEN = "conferences_delegate"
DECLARE = re.compile(r"^DECLARE\s.*?\sCURSOR\s(?:WITH(?:OUT)?\sHOLD\s)?FOR\s", re.IGNORECASE | re.DOTALL)
LARGE = {FORBIDDEN, "conferences_delegation", "network_city", "network_membershipterm"}


def plan_nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


SERVER_BOUND = re.compile(r"\$\d")


class Command(BaseCommand):
    help = (
        "Load each page benchmark_pages times twice, first with an empty cache, and run EXPLAIN (ANALYZE) on "
        "every SELECT of both requests. Prints per page the slowest query and the large tables read by a "
        "sequential scan: 'view' for the second request (what every view of the page runs), 'fill' for the "
        "first (what runs once after the records change, to fill the cache). PostgreSQL only; fails if a page "
        f"view reads {FORBIDDEN} sequentially."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only", help="Explain only the pages whose name contains this text.")
        parser.add_argument("--plans", action="store_true", help="Print the plan of each page view's slowest query.")

    def handle(self, *args, only, plans, **options):
        if connection.vendor != "postgresql":
            raise CommandError("EXPLAIN plans are PostgreSQL's: run with DATABASE_URL set to PostgreSQL.")
        refused = []
        header = f"{'page':34} {'view: queries, slowest ms, seq scans':44} fill: queries, slowest ms, seq scans"
        self.stdout.write(header)
        with signed_in_clients() as (anonymous, staff):
            for page in pages():
                if only and only not in page.name:
                    continue
                client = anonymous if page.kind == PUBLIC else staff
                new_generation()  # nothing cached: the first request fills what it needs
                fill, view = self._queries(client, page.url), self._queries(client, page.url)
                fill, view = [self._explain(sql) for sql in fill], [self._explain(sql) for sql in view]
                if any(FORBIDDEN in scans for _, _, scans in view):
                    refused.append(page.name)
                self.stdout.write(f"{page.name[:34]:34} {self._summary(view):44} {self._summary(fill)}")
                if plans and view:
                    self.stdout.write(self._plan_text(max(view, key=lambda e: e[0])[1]))
        if refused:
            raise CommandError(f"Sequential scans of {FORBIDDEN} on every view of: {'; '.join(refused)}")
        self.stdout.write(f"No page view reads {FORBIDDEN} sequentially.")

    @staticmethod
    def _queries(client, url) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, secure=True)
            if response.streaming:
                b"".join(response.streaming_content)
        # Iterated querysets arrive as server-side cursors: DECLARE name ... CURSOR FOR SELECT ...
        sqls = [DECLARE.sub("", q["sql"].lstrip()) for q in captured]
        # The cache-token query is bound on the server ($1, $2...: core.cache), so its text cannot run alone; it
        # reads a few rows of a small table by key.
        return [sql for sql in sqls if sql.upper().startswith(("SELECT", "WITH")) and not SERVER_BOUND.search(sql)]

    @staticmethod
    def _summary(explained) -> str:
        slowest = max((ms for ms, _, _ in explained), default=0.0)
        scans = sorted({scan for _, _, scans in explained for scan in scans})
        return f"{len(explained):2} {slowest:8.1f}  {', '.join(scans) or '-'}"

    @staticmethod
    def _explain(sql: str) -> tuple[float, str, list[str]]:
        """(execution ms, the query, the large tables it scans sequentially)."""
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            (plan,) = cursor.fetchone()
        plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
        scans = [
            node["Relation Name"]
            for node in plan_nodes(plan["Plan"])
            if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in LARGE
        ]
        return plan["Execution Time"], sql, scans

    @staticmethod
    def _plan_text(sql: str) -> str:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            return "\n".join([sql, *(row[0] for row in cursor.fetchall())])
