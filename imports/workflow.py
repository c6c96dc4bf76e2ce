"""The import workflow both apps share: read a file, plan every row, preview, apply in one transaction, record."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.cache import LISTS, bump, registry_changed
from core.history import ChangeNote
from imports.models import ImportRecord
from imports.spreadsheets import MAX_PROBLEMS, ImportColumn, ImportFileError, Problem, Table, read_table

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
PREVIEW_LIFETIME = datetime.timedelta(days=1)
CHUNK = 1000
# One lock for every import: they all may create cities, and they are rare and short, so waiting is cheap.
IMPORT_LOCK_KEY = 7_301_202_410
LOCK_WAIT = "60s"
ATTEMPTS = 3
DEADLOCK, SERIALIZATION_FAILURE, LOCK_NOT_AVAILABLE = "40P01", "40001", "55P03"
# Lazy: each is shown in the language of the person importing (str() when set on a Preview).
RECORDS_CHANGED = gettext_lazy(
    "The records changed while the file was being applied (someone else may be importing the same "
    "cities); nothing was written. Preview the file again."
)
CHANGED_SINCE_PREVIEW = gettext_lazy(
    "The records changed since the preview (someone else imported or edited them in the meantime); "
    "nothing was written. Preview the file again to see what it would do now."
)
IMPORT_BUSY = gettext_lazy(
    "Another import has been running for over a minute; nothing was written. Try again in a few minutes."
)


@dataclass
class RowChange:
    row: int
    action: str
    record: str
    details: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"row": self.row, "action": self.action, "record": self.record, "details": self.details}


@dataclass
class Plan:
    """What an importer found in a file; subclasses of Importer keep their pending writes on it."""

    problems: list[Problem] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)


@dataclass
class Preview:
    """What an import will do (or did): the file's description, a change per row, and its problems:
    the first MAX_PROBLEMS by row, then only a count (`more_problems`), so a hostile file cannot make millions."""

    file_name: str
    title: str
    description: str = ""
    error: str = ""
    problems: list[Problem] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    applied: bool = False
    record: ImportRecord | None = None
    more_problems: int = 0
    encoding: str = ""  # the text encoding a CSV was read in; "" for XLSX or an unreadable file
    warnings: list[str] = field(default_factory=list)  # to check before applying: an encoding that was a guess

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.more_problems

    @property
    def is_valid(self) -> bool:
        return not self.error and not self.problems

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        for change in self.changes:
            counts[change.action] += 1
        return counts

    def lines(self) -> list[str]:
        """The preview as text, for the management commands."""
        head = _("%(title)s from %(file)s") % {"title": self.title, "file": self.file_name}
        lines = [head + (f" ({self.description})" if self.description else "")]
        if self.error:
            return [*lines, _("Error: %(error)s") % {"error": self.error}]
        lines += [_("Warning: %(warning)s") % {"warning": warning} for warning in self.warnings]
        lines += [
            _("Row %(row)s: %(action)s %(record)s") % {"row": c.row, "action": c.action, "record": c.record}
            + (f": {'; '.join(c.details)}" if c.details else "")
            for c in self.changes
        ]
        counts = self.counts
        lines.append(
            _("%(create)s to create, %(update)s to update, %(unchanged)s unchanged.")
            % {"create": counts[CREATE], "update": counts[UPDATE], "unchanged": counts[UNCHANGED]}
        )
        if self.problems:
            count = self.problem_count
            lines.append(
                ngettext("%(count)s problem; nothing was written:", "%(count)s problems; nothing was written:", count)
                % {"count": f"{count:,}"}
            )
            lines += [str(problem) for problem in self.problems]
            if self.more_problems:
                lines.append(_("… and %(count)s more problems.") % {"count": f"{self.more_problems:,}"})
        return lines


_IMPORTERS: dict[str, type["Importer"]] = {}


def importer_title(kind: str) -> str:
    """The title of the importer declared for `kind` ("members" -> "Member cities and membership terms")."""
    importer = _IMPORTERS.get(kind)
    return str(importer.title) if importer else kind


class Importer:
    """One kind of import. Subclass it in your app's `importers.py` (imported at start-up by the imports app).

    Declare:
        kind: a short unique name, stored on each ImportRecord ("members"); title: what the import reads.
        columns: ImportColumns; the file's header must name the required ones (in any order, any case).
    Override when the import needs a context (a conference): from_options(options) rebuilds the importer from
    options(), a JSON-able dict kept on the ImportRecord between preview and apply; context() is the short text
    the history shows ("ICLC 6").

    plan(table) -> Plan: reads `table.rows` ((row number, {column name: str}) pairs, already decoded, trimmed,
        bounded and free of control characters) and the database, and WRITES NOTHING. Returns a Plan (or a subclass
        holding the pending writes) with one RowChange per data row (CREATE, UPDATE or UNCHANGED, the record's
        label, and what changes) and a Problem (row, column, reason) for every row it refuses. It may assume the
        required columns are present; it must not raise for bad values (they are problems), and it should read
        in a fixed number of queries per CHUNK rows, not per row. It is called twice: for the preview, and again
        at apply, inside the apply's transaction and lock, so it sees the records as they are then.
    write(plan, note) -> None: called only for a plan without problems, inside one transaction with every other
        apply locked out. Every insert and update goes through `note` (ChangeNote.bulk_create/bulk_update), so
        the history names the person and the import. It may raise IntegrityError when the database refuses a row
        (a rule a concurrent writer broke): the whole import is then rolled back and the person told the records
        changed. It returns nothing; the counts come from the plan's changes.
    changed_scopes(plan) -> list of cache scopes or None: called after write(), in its transaction, it names
        the cache scopes (core.cache) of the records the write changed ("city:42", "country:7"), so that the
        pages and figures of every other record stay cached; "lists" is added to them. None, the default,
        makes every page and figure stale, as any bulk write that sends no signals must.
    """

    kind: str
    title: str
    columns: list[ImportColumn]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            _IMPORTERS[cls.kind] = cls

    @classmethod
    def from_options(cls, options: dict) -> "Importer":
        return cls()

    def options(self) -> dict:
        """What to keep on the ImportRecord to rebuild this importer when the preview is applied."""
        return {}

    def context(self) -> str:
        return ""

    def plan(self, table: Table) -> Plan:
        raise NotImplementedError

    def write(self, plan: Plan, note: ChangeNote) -> None:
        """Write the plan; every write goes through `note`, so the history says who and which import."""
        raise NotImplementedError

    def changed_scopes(self, plan: Plan) -> list[str] | None:
        """The cache scopes of what write(plan) changed; None (the default) for everything."""
        return None

    def check_lengths(self, number: int, values: dict[str, str], problems: list[Problem]) -> bool:
        ok = True
        for column in self.columns:
            value = values[column.name]
            if column.required and not value:
                message = _("%(column)s is empty") % {"column": column.name.replace("_", " ")}
                problems.append(Problem(number, column.name, message))
                ok = False
            elif column.max_length and len(value) > column.max_length:
                message = _("is %(length)s characters long; at most %(max)s") % {
                    "length": len(value),
                    "max": column.max_length,
                }
                problems.append(Problem(number, column.name, message))
                ok = False
        return ok


def _plan(importer: Importer, data: bytes, file_name: str) -> tuple[Preview, Plan | None]:
    preview = Preview(file_name=file_name, title=str(importer.title))
    try:
        table = read_table(data, importer.columns)
    except ImportFileError as error:
        preview.error = str(error)
        return preview, None
    preview.description, preview.encoding, preview.warnings = table.description, table.encoding, table.warnings
    plan = importer.plan(table)
    # The table kept its first problems in row order, so these are the file's first MAX_PROBLEMS.
    problems = sorted(table.problems + plan.problems, key=lambda p: p.row)
    preview.problems = problems[:MAX_PROBLEMS]
    preview.more_problems = table.more_problems + len(problems) - len(preview.problems)
    preview.changes = plan.changes
    return preview, plan


def import_preview(*, importer: Importer, data: bytes, file_name: str) -> Preview:
    """Read and check the file against the database as it is now; writes nothing."""
    preview, _ = _plan(importer, data, file_name)
    return preview


def import_store(*, importer: Importer, preview: Preview, data: bytes, file_name: str, user) -> ImportRecord:
    """Keep a previewed file until it is applied, with the changes its preview showed (the apply is held
    to them); drops the stale previews of everyone."""
    ImportRecord.objects.filter(
        status=ImportRecord.Status.PREVIEWED, created_at__lt=timezone.now() - PREVIEW_LIFETIME
    ).delete()
    record = _new_record(importer, data, file_name, user, user.get_username())
    record.changes, record.encoding = _changes_json(preview), preview.encoding
    record.save()
    return record


def _new_record(importer: Importer, data: bytes, file_name: str, user, user_name: str) -> ImportRecord:
    """An unsaved record of `data` as `importer` reads it, by `user` (None from a shell, named `user_name`)."""
    return ImportRecord(
        kind=importer.kind,
        file_name=file_name[:255],
        file_size=len(data),
        file_sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        options=importer.options(),
        context=importer.context(),
        imported_by=user,
        imported_by_name=user_name,
    )


def import_previewed(*, record: ImportRecord, preview: Preview) -> None:
    """Remember the changes a stored file's preview just showed: applying it later writes exactly these or nothing."""
    ImportRecord.objects.filter(pk=record.pk, status=ImportRecord.Status.PREVIEWED).update(
        changes=_changes_json(preview)
    )


def import_apply(
    *, importer: Importer, data: bytes, file_name: str, user=None, user_name: str = "", record=None
) -> Preview:
    """Check the file again and write all of it in one transaction, or nothing if any row has a problem.

    Applies wait for one another (a lock held until commit), and each plans again once it holds the lock,
    against the records as they are then. With a stored `record` (the admin's preview), a row whose
    change now differs from the one previewed is a problem ("changed since the preview") and nothing is
    written. A deadlock or serialisation failure is retried, then reported on the returned preview's
    `error` like every other refusal: this raises nothing for the state of the database.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _apply(importer, data, file_name, user, user_name, record)
        except OperationalError as error:
            state = getattr(error.__cause__, "sqlstate", None)
            retry = state in (DEADLOCK, SERIALIZATION_FAILURE) or "database is locked" in str(error)
            if retry and attempt < ATTEMPTS:
                continue
            if not retry and state != LOCK_NOT_AVAILABLE:
                raise
            message = IMPORT_BUSY if state == LOCK_NOT_AVAILABLE else RECORDS_CHANGED
            return Preview(file_name, str(importer.title), error=str(message))
    raise AssertionError("unreachable")  # pragma: no cover


def _apply(importer: Importer, data: bytes, file_name: str, user, user_name: str, record) -> Preview:
    with transaction.atomic():
        lock_imports()
        if record is not None:
            record = ImportRecord.objects.select_for_update().get(pk=record.pk)
            if record.status != ImportRecord.Status.PREVIEWED:
                return Preview(file_name, str(importer.title), error=_("This file has already been applied."))
        preview, plan = _plan(importer, data, file_name)
        if not preview.is_valid or plan is None:  # no plan: the file could not be read, which the preview says
            return preview
        if record is not None and (changed := changed_since_preview(record.changes, preview, importer)):
            preview.problems = changed
            preview.error = str(CHANGED_SINCE_PREVIEW)
            return preview
        try:
            with transaction.atomic():
                # Recorded first, so that each change in the history can name its import.
                record = _record(importer, preview, data, record, user, user_name)
                reason = f"Import #{record.pk}: {record.file_name}"  # the history's record: not translated
                importer.write(plan, ChangeNote(user=user, user_name=record.imported_by_name, reason=reason))
        except IntegrityError:
            transaction.set_rollback(True)
            preview.error = str(RECORDS_CHANGED)
            return preview
        preview.record = record
        preview.applied = True
        # The bulk writes above send no signals: the importer names what they changed, or everything is stale.
        scopes = importer.changed_scopes(plan)
        if scopes is None:
            registry_changed()
        else:
            bump([*scopes, LISTS])
    return preview


def lock_imports() -> None:
    """Wait (at most LOCK_WAIT) until no other import is being applied; held until the transaction ends.

    PostgreSQL: a transaction-level advisory lock (raises OperationalError with sqlstate 55P03 after
    LOCK_WAIT). SQLite: a write that changes nothing takes the database's write lock now, before the
    plan reads anything, so two applies queue instead of failing when both try to write.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The wait bound stays for the rest of the apply: its row locks give up after LOCK_WAIT too.
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true), pg_advisory_xact_lock(%s)", [LOCK_WAIT, IMPORT_LOCK_KEY]
            )
        elif connection.vendor == "sqlite":
            cursor.execute(f"UPDATE {ImportRecord._meta.db_table} SET id = id WHERE 0")


def changed_since_preview(planned: list[dict], preview: Preview, importer: Importer) -> list[Problem]:
    """A problem on every row whose change differs from the one previewed (`planned`, as stored)."""
    was = {change["row"]: change for change in planned}
    now = {change["row"]: change for change in _changes_json(preview)}
    column = importer.columns[0].name
    return [
        Problem(
            row,
            column,
            _("changed since the preview: it was %(was)s, it is now %(now)s")
            % {"was": _said(was.get(row)), "now": _said(now.get(row))},
        )
        for row in sorted(was.keys() | now.keys())
        if was.get(row) != now.get(row)
    ]


def _said(change: dict | None) -> str:
    if change is None:
        return _("unchanged")
    details = f" ({'; '.join(change['details'])})" if change["details"] else ""
    return f"{change['action']} {change['record']}{details}"


def _changes_json(preview: Preview) -> list[dict]:
    return [change.as_json() for change in preview.changes if change.action != UNCHANGED]


def _record(importer, preview: Preview, data: bytes, record, user, user_name: str) -> ImportRecord:
    if record is None:
        record = _new_record(
            importer, data, preview.file_name, user, user_name or (user.get_username() if user else "")
        )
    counts = preview.counts
    record.encoding = preview.encoding
    record.status = ImportRecord.Status.APPLIED
    record.applied_at = timezone.now()
    record.created_count, record.updated_count = counts[CREATE], counts[UPDATE]
    record.unchanged_count = counts[UNCHANGED]
    record.changes = _changes_json(preview)
    record.save()
    return record


def chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def duplicate_problems(keyed_rows: dict, column: str, label) -> tuple[list[Problem], set[int]]:
    """A problem on every repeat of the same key: "Vinh, Viet Nam appears twice, rows 3 and 9"."""
    problems, repeated = [], set()
    for key, numbers in keyed_rows.items():
        if len(numbers) < 2:
            continue
        listed = _("%(rows)s and %(last)s") % {"rows": ", ".join(str(n) for n in numbers[:-1]), "last": numbers[-1]}
        if len(numbers) == 2:
            template = _("%(record)s appears twice, rows %(rows)s")
        else:
            template = _("%(record)s appears %(count)s times, rows %(rows)s")
        for number in numbers[1:]:
            message = template % {"record": label(key), "count": len(numbers), "rows": listed}
            problems.append(Problem(number, column, message))
        repeated.update(numbers[1:])
    return problems, repeated
