"""Dump every record of a database as text, and compare two dumps; the helper of scripts/check_upgrade.sh.

Usage (run from the root of the checkout whose code matches the database's migrations):
    python scripts/dump_records.py dump OUT.txt            every table, rows ordered by primary key
    python scripts/dump_records.py count                   prints the number of tables (0 = empty database)
    python scripts/dump_records.py compare BEFORE AFTER [--moved old.model=new.model,...]
                                                           exit 1 on any difference the moves do not explain

The database is the project's `default` (DATABASE_URL). Only Django's own introspection is used, so the dump
works on SQLite and PostgreSQL alike and does not depend on which apps the checkout's code has.

Dump format, one line each, sorted as written:
    # table <name> rows=<n>
    <table>: <column>=<repr(value)> ...                     columns by name, rows by primary key
A column `content_type_id` also shows the content type's label (`ct=app_label.model`), and `django_content_type`
rows show only `id` and that label, so a model moved between apps shows up as `ct=old` -> `ct=new` and nothing
else. The last sections restate permissions by label: `permission: ct=... codename`, `group permission: <group>:
ct=... codename`, `user permission: <username>: ct=... codename`. django_migrations and django_session are left out:
the new code adds migrations, and sessions are not records.
"""

import argparse
import os
import re
import sys
from collections import Counter
from pathlib import Path

EXCLUDED = {"django_migrations", "django_session"}


def _setup():
    # The checkout in the working directory, not wherever this script lives, provides settings and apps.
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    return connection


def _text(value) -> str:
    if isinstance(value, memoryview):
        value = bytes(value)
    return repr(value)


def _content_types(cursor, qn) -> dict[int, str]:
    cursor.execute(f"SELECT id, app_label, model FROM {qn('django_content_type')}")
    return {pk: f"{app_label}.{model}" for pk, app_label, model in cursor.fetchall()}


def dump(out: Path) -> tuple[int, int]:
    """Write the dump to `out`; returns (tables, rows)."""
    connection = _setup()
    qn = connection.ops.quote_name
    introspection = connection.introspection
    tables = rows_total = 0
    with connection.cursor() as cursor, out.open("w", encoding="utf-8") as f:
        names = sorted(set(introspection.table_names(cursor)) - EXCLUDED)
        labels = _content_types(cursor, qn) if "django_content_type" in names else {}
        for table in names:
            columns = sorted(column.name for column in introspection.get_table_description(cursor, table))
            keys = introspection.get_primary_key_columns(cursor, table) or columns
            if table == "django_content_type":
                columns = ["id"]
            cursor.execute(
                f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(table)} ORDER BY {', '.join(qn(k) for k in keys)}"
            )
            rows = cursor.fetchall()
            f.write(f"# table {table} rows={len(rows)}\n")
            for row in rows:
                cells = []
                for column, value in zip(columns, row, strict=True):
                    cell = f"{column}={_text(value)}"
                    if column == "content_type_id" or (table == "django_content_type" and column == "id"):
                        cell += f" ct={labels.get(value, '?')}"
                    cells.append(cell)
                f.write(f"{table}: {' '.join(cells)}\n")
            tables += 1
            rows_total += len(rows)
        if {"auth_permission", "auth_group", "auth_group_permissions"} <= set(names):
            _permissions(cursor, qn, labels, f)
    return tables, rows_total


def _permissions(cursor, qn, labels, f) -> None:
    cursor.execute(f"SELECT id, content_type_id, codename FROM {qn('auth_permission')}")
    permission = {pk: f"ct={labels.get(ct, '?')} {codename}" for pk, ct, codename in cursor.fetchall()}
    lines = [f"permission: {text}" for text in permission.values()]
    cursor.execute(
        f"SELECT g.name, gp.permission_id FROM {qn('auth_group_permissions')} gp "
        f"JOIN {qn('auth_group')} g ON g.id = gp.group_id"
    )
    lines += [f"group permission: {group}: {permission[pk]}" for group, pk in cursor.fetchall()]
    cursor.execute(
        f"SELECT u.username, up.permission_id FROM {qn('auth_user_user_permissions')} up "
        f"JOIN {qn('auth_user')} u ON u.id = up.user_id"
    )
    lines += [f"user permission: {user}: {permission[pk]}" for user, pk in cursor.fetchall()]
    f.write(f"# permissions by label rows={len(lines)}\n")
    f.writelines(line + "\n" for line in sorted(lines))


def count() -> int:
    """The number of tables in the database."""
    connection = _setup()
    return len(connection.introspection.table_names())


def parse_moves(text: str) -> dict[str, str]:
    """'a.m=b.m,c.n=d.n' -> {'a.m': 'b.m', ...}; raises ValueError on a malformed pair."""
    moves = {}
    for pair in filter(None, re.split(r"[,\s]+", text or "")):
        old, sep, new = pair.partition("=")
        if not sep or old.count(".") != 1 or new.count(".") != 1:
            raise ValueError(f"MOVED wants old_app.model=new_app.model pairs, not {pair!r}")
        moves[old.lower()] = new.lower()
    return moves


def normalise(lines: list[str], moves: dict[str, str]) -> tuple[list[str], int]:
    """The lines with each `ct=old` label replaced by `ct=new`; returns (lines, how many lines changed)."""
    if not moves:
        return lines, 0
    pattern = re.compile(r"\bct=(" + "|".join(re.escape(old) for old in moves) + r")(?=\s|$)")
    result, changed = [], 0
    for line in lines:
        new = pattern.sub(lambda m: "ct=" + moves[m.group(1)], line)
        changed += new != line
        result.append(new)
    return result, changed


def _counts(lines: list[str]) -> dict[str, int]:
    return {m.group(1): int(m.group(2)) for line in lines if (m := re.match(r"# (?:table )?(.+) rows=(\d+)$", line))}


def _report_moves(before: list[str], after: list[str], moves: dict[str, str]) -> int:
    """Print each expected content-type move as found; returns how many moves named no content type."""
    content_types_before = [line for line in before if line.startswith("django_content_type: ")]
    content_types_after = {line.split(" ct=")[0]: line for line in after if line.startswith("django_content_type: ")}
    unknown = 0
    for old, new in moves.items():
        moved = [line for line in content_types_before if line.endswith(f" ct={old}")]
        for line in moved:
            print(f"Expected move: {line}  ->  {content_types_after.get(line.split(' ct=')[0], 'GONE')}")
        if not moved:
            print(f"Expected move {old} -> {new}: no such content type before (a typo in MOVED?)")
            unknown += 1
    return unknown


def _report_lines(before: list[str], after: list[str]) -> int:
    """Print the lines only one dump has (the first 40); returns how many differ."""
    missing, added = Counter(before) - Counter(after), Counter(after) - Counter(before)
    shown = 0
    for sign, lines in (("-", missing), ("+", added)):
        for line in sorted(lines.elements()):
            if shown < 40:
                print(f"  {sign} {line[:300]}")
            shown += 1
    if shown > 40:
        print(f"  ... and {shown - 40} more differing lines")
    if not missing and not added and before != after:
        # Every row line carries its primary key, so equal multisets are equal records; the permission
        # section is sorted by label, which a relabelled content type moves.
        print("  The same lines, some in another order (sections sorted by a relabelled content type).")
    print(
        f"Lost or changed (before only): {sum(missing.values()):,} line(s); new (after only): {sum(added.values()):,}"
    )
    return shown


def compare(before_path: Path, after_path: Path, moves: dict[str, str]) -> int:
    """Print a summary of the two dumps; returns the number of unexpected differing lines."""
    before = before_path.read_text(encoding="utf-8").splitlines()
    after = after_path.read_text(encoding="utf-8").splitlines()
    unknown = _report_moves(before, after, moves)
    before, changed = normalise(before, moves)
    counts_before, counts_after = _counts(before), _counts(after)
    print(f"Before: {len(counts_before)} tables/sections, {sum(counts_before.values()):,} rows")
    print(f"After:  {len(counts_after)} tables/sections, {sum(counts_after.values()):,} rows")
    if moves:
        print(f"  {changed:,} line(s) of the old dump relabelled for the moves")
    for name in sorted(counts_before.keys() | counts_after.keys()):
        b, a = counts_before.get(name), counts_after.get(name)
        if b != a:
            print(f"  {name}: rows {b if b is not None else 'no table'} -> {a if a is not None else 'no table'}")
    return _report_lines(before, after) + unknown


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("dump").add_argument("out", type=Path)
    sub.add_parser("count")
    cmp = sub.add_parser("compare")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    cmp.add_argument("--moved", default="")
    args = parser.parse_args(argv)
    if args.command == "dump":
        tables, rows = dump(args.out)
        print(f"Dumped {tables} tables, {rows:,} rows to {args.out}")
        return 0
    if args.command == "count":
        print(count())
        return 0
    try:
        moves = parse_moves(args.moved)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    differences = compare(args.before, args.after, moves)
    print("EQUAL: no record lost or changed." if not differences else "DIFFERENT: see the lines above.")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
