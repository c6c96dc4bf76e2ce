#!/usr/bin/env bash
# Prove an upgrade loses no data: fill a database with the code at OLD_REV, migrate it with the current checkout,
# and compare a dump of every record before and after (scripts/dump_records.py).
#
#   OLD_REV=<git revision> DATABASE_URL=<url> [MOVED=old_app.model=new_app.model,...] scripts/check_upgrade.sh
#
# DATABASE_URL: an EMPTY database (sqlite:////tmp/proof/db.sqlite3 or postgres://user@host:5432/name); the script
#   refuses one that has tables. RESET=1 empties it first (SQLite: deletes the file; PostgreSQL: drops and
#   recreates the schema public). Default: sqlite:////tmp/proof/check_upgrade.sqlite3, reset.
# MOVED: models whose content type moves between apps; their `ct=` labels in the old dump are renamed before
#   the diff, so the move is the one allowed difference. django_migrations and django_session are not dumped.
# KEEP=1 keeps the temporary worktree and the dumps (their directory is printed).
# BETWEEN_DUMPS: a shell command run on the database after the first dump, before migrating; only for checking
#   that this script does catch a difference (e.g. deleting a row).
# Exit status: 0 equal; 1 a record lost or changed, or a step failed; 2 bad usage.
set -euo pipefail

NEW="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$NEW/.venv/bin/python}"
DUMPER="$NEW/scripts/dump_records.py"
: "${OLD_REV:?Give OLD_REV, the git revision to fill the database with (e.g. OLD_REV=HEAD~3)}"
if [[ -z "${DATABASE_URL:-}" ]]; then
    mkdir -p /tmp/proof
    export DATABASE_URL=sqlite:////tmp/proof/check_upgrade.sqlite3 RESET=1
fi
export DATABASE_URL
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-check-upgrade}"
MOVED="${MOVED:-}"

OLD_SHA="$(git -C "$NEW" rev-parse --verify "$OLD_REV^{commit}")" || { echo "No git revision $OLD_REV." >&2; exit 2; }
NEW_SHA="$(git -C "$NEW" rev-parse HEAD)"
WORK="$(mktemp -d /tmp/check_upgrade.XXXXXX)"
OLD="$WORK/old"
started=$SECONDS

step() { printf '[%4ds] %s\n' $((SECONDS - started)) "$*"; }
cleanup() {
    if [[ "${KEEP:-}" == 1 ]]; then
        echo "Kept: $WORK (remove the worktree with: git -C $NEW worktree remove --force $OLD)"
    else
        git -C "$NEW" worktree remove --force "$OLD" 2>/dev/null || true
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
# Commands of the old code run in the old worktree, those of the new code here; both with the same venv.
old() { (cd "$OLD" && "$PY" "$@"); }
new() { (cd "$NEW" && "$PY" "$@"); }
# Run a step, its output to the log; show its last line, or the log's end if it fails.
logged() {
    "$@" >"$WORK/step.log" 2>&1 || { tail -n 30 "$WORK/step.log"; echo "FAILED: $*" >&2; exit 1; }
    tail -n 1 "$WORK/step.log" | sed 's/^/        /'
}

step "Old code: $OLD_REV = ${OLD_SHA:0:10}; new code: $NEW (HEAD ${NEW_SHA:0:10}$(git -C "$NEW" diff --quiet HEAD || echo ', with uncommitted changes'))"
step "Database: ${DATABASE_URL%%://*} $(basename "${DATABASE_URL#*://}")"
git -C "$NEW" worktree add --quiet --detach "$OLD" "$OLD_SHA"

if [[ "${RESET:-}" == 1 ]]; then
    step "RESET=1: emptying the database"
    case "$DATABASE_URL" in
        sqlite:*) rm -f "${DATABASE_URL#sqlite://}" ;;
        postgres*) new -c "
import os, sys; sys.path.insert(0, os.getcwd()); os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')
import django; django.setup()
from django.db import connection
with connection.cursor() as c: c.execute('DROP SCHEMA public CASCADE; CREATE SCHEMA public')" ;;
        *) echo "RESET=1 knows only sqlite and postgres URLs." >&2; exit 2 ;;
    esac
fi
tables="$(old "$DUMPER" count | tail -n 1)"
if [[ "$tables" != 0 ]]; then
    echo "The database already has $tables tables: give an empty one, or RESET=1 to empty it." >&2
    exit 2
fi

step "Old code: migrate"
logged old manage.py migrate --no-input
step "Old code: load_demo_data"
logged old manage.py load_demo_data
step "Old code: generate_network --cities 200 --delegates 2000"
logged old manage.py generate_network --cities 200 --delegates 2000
# Records that point at users, content types and permissions, so a content type moved the wrong way (deleted and
# made anew rather than relabelled) shows: a staff user in a role with direct view permissions, who makes the
# import, and then one admin log entry per model that has rows. Only django.contrib models are used: they exist
# at any revision.
step "Old code: a staff user with a role and direct view permissions"
logged old manage.py shell -c '
from django.contrib.auth.models import Group, Permission, User
user = User.objects.create_user("upgrade-check", is_staff=True)
user.groups.add(*Group.objects.order_by("pk")[:1])
user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
groups = ", ".join(user.groups.values_list("name", flat=True))
print(f"user {user.username} in {groups}, {user.user_permissions.count()} direct permissions")'
step "Old code: import_members (applied, not a dry run) of a small cohort"
cat >"$WORK/cohort.csv" <<'CSV'
city,country,joined,province,local_name,source
Upgradeville,Viet Nam,2024-09-12,Đồng Tháp,,https://example.org/check-upgrade
Proofstadt,Germany,2024-09,Saxony,,https://example.org/check-upgrade
Sa Đéc,Viet Nam,2020,Dong Thap,,https://example.org/check-upgrade
CSV
logged old manage.py import_members --user upgrade-check "$WORK/cohort.csv"
step "Old code: one admin log entry per model with rows"
logged old manage.py shell -c '
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
user, logged = User.objects.get(username="upgrade-check"), []
for ct in ContentType.objects.order_by("pk"):
    model = ct.model_class()
    obj = model and model._default_manager.order_by("pk").first()
    if obj is not None:
        LogEntry.objects.create(user=user, content_type=ct, object_id=str(obj.pk), object_repr=str(obj)[:200],
                                action_flag=CHANGE, change_message="check_upgrade")
        logged.append(ct.model)
among = "importrecord" in logged
print(f"{len(logged)} admin log entries; the import record among them: {among}")'

step "Old code: dump every record"
old "$DUMPER" dump "$WORK/before.txt"
if [[ -n "${BETWEEN_DUMPS:-}" ]]; then
    step "BETWEEN_DUMPS: $BETWEEN_DUMPS"
    (cd "$NEW" && bash -c "$BETWEEN_DUMPS")
fi

step "New code: migrate"
logged new manage.py migrate --no-input
grep -E '^ *Applying' "$WORK/step.log" | sed 's/^ */        /' || true
step "New code: every model change has its migration (makemigrations --check)"
logged new manage.py makemigrations --check --dry-run
step "New code: dump every record"
new "$DUMPER" dump "$WORK/after.txt"

step "Compare (moved: ${MOVED:-none})"
set +e
new "$DUMPER" compare "$WORK/before.txt" "$WORK/after.txt" --moved "$MOVED"
status=$?
set -e
step "Done in $((SECONDS - started)) s: $([[ $status == 0 ]] && echo 'no data lost' || echo 'UNEXPECTED DIFFERENCES')"
exit $status
