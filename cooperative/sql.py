"""Every SQL statement that Allmende writes itself instead of the ORM, in one module.

Two kinds of SQL live here, and nowhere else:

- What the ORM cannot say: PostgreSQL's advisory locks (`advisory_lock`, `read_locked`)
  and an insert that yields to a unique constraint and says whether it did
  (`insert_or_nothing`).
- Reads that a hot path makes so often that compiling them through the ORM each time is
  a noticeable share of its cost (`bench/vote_throughput.py`): the session and the
  signed-in person of every request (`KeyedRows`) and the poll of a vote with its page
  (`PageChildRow`). They are written once per process and database from the models'
  metadata, and their rows become instances the way the ORM makes them (`Model.from_db`
  with the backend's converters), so callers cannot tell the difference.

Wagtail's rule for page view restrictions (a restriction on the page or an ancestor, an
alias restricted by its source page) is written here once (`view_restricted_sql`) and
used both on its own (`page_view_restricted`) and inside `PageChildRow`.

tests/cooperative/test_sql.py holds each piece against the ORM or against Wagtail's own
`Page.get_view_restrictions`. This module imports no Allmende app; every layer may use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Model

OPERATORS = frozenset({"=", ">", ">=", "<", "<="})


# --- advisory locks (PostgreSQL) ---------------------------------------------------------


def _lock_sql(connection, shared: bool) -> str | None:
    if connection.vendor != "postgresql":
        return None  # SQLite runs one writing transaction at a time
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    return f"SELECT {function}(%s, %s)"


def advisory_lock(space: int, key: int, *, shared: bool = False, using: str | None = None) -> None:
    """Hold PostgreSQL's advisory lock (space, key) until the transaction ends (call it in
    one). Shared holders run beside each other; an exclusive one waits for them, and while
    it waits, new holders queue behind it (the queue is fair, unlike row locks taken FOR
    SHARE). Nothing on other databases: SQLite runs one writing transaction at a time."""
    connection = connections[using or DEFAULT_DB_ALIAS]
    sql = _lock_sql(connection, shared)
    if sql is not None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [space, key])


def read_locked(space: int, key: int, rows: KeyedRows, *values: Any, shared: bool = False) -> Any:
    """`advisory_lock(space, key)`, then `rows.get(*values)`, in one round trip.

    The read is a statement of its own that starts once the lock is held: under READ
    COMMITTED each statement sees what was committed when it started, so it sees whatever
    committed while this transaction waited for the lock (a close of a poll, say)."""
    connection = connections[router.db_for_read(rows.model)]
    lock = _lock_sql(connection, shared)
    if lock is None:
        return rows.get(*values)
    sql, params = rows.statement(connection, values)
    if connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"):
        # Server-side binding takes one statement per execute.
        advisory_lock(space, key, shared=shared, using=connection.alias)
        return rows.get(*values)
    with connection.cursor() as cursor:
        cursor.execute(f"{lock}; {sql}", [space, key, *params])
        cursor.nextset()  # past the lock's row
        row = cursor.fetchone()
    return rows.instance(connection, row)


# --- writes the ORM has no words for -------------------------------------------------------


def insert_or_nothing(instance: Model, *, unique: Sequence[str]) -> bool:
    """Insert `instance` unless a row with the same values of the fields `unique` (those of
    a unique constraint) exists: True and the instance saved with its key, or False and
    nothing written. A concurrent insert of the same values is waited for, not raced
    (`ON CONFLICT DO NOTHING`): the constraint decides who was first, in one statement.
    (`bulk_create(ignore_conflicts=True)` would not say which happened.)"""
    model = type(instance)
    meta = model._meta
    alias = router.db_for_write(model, instance=instance) or DEFAULT_DB_ALIAS
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = [field for field in meta.local_concrete_fields if field is not meta.auto_field]
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    unique_fields: list[Any] = [meta.get_field(name) for name in unique]
    conflict = ", ".join(quote(field.column) for field in unique_fields)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608 (names from the model)
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({conflict}) DO NOTHING RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = alias
    return True


# --- rows by key, written once -----------------------------------------------------------


def row_converters(fields, connection, alias: str = "x") -> list[tuple[int, list, Any]]:
    """What the ORM would convert in a row of these fields' columns, in this order (SQLite's
    datetimes and booleans, for instance; nothing on PostgreSQL): (index, converters,
    expression) for the columns that need it."""
    converters = []
    for index, field in enumerate(fields):
        expression = field.get_col(alias)
        found = connection.ops.get_db_converters(expression)
        found += field.get_db_converters(connection)
        if found:
            converters.append((index, found, expression))
    return converters


def converted(row, converters, connection):
    """The row with the values `row_converters` named converted, as the ORM reads them."""
    if not converters:
        return row
    row = list(row)
    for index, found, expression in converters:
        for converter in found:
            row[index] = converter(row[index], expression, connection)
    return row


class KeyedRows:
    """`KeyedRows(Session, ("session_key", "="), ("expire_date", ">")).get(key, now)` is
    `Session.objects.filter(session_key=key, expire_date__gt=now).first()` without the
    compilation (and without an ORDER BY: the conditions name at most one row).

    The ORM compiles `Model.objects.get(...)` afresh on every call, about 0.5 ms of CPU on
    a small machine for a one-row query that the database answers in a fraction of that;
    on a request that does little else, such as a vote, the session's and the person's
    reads were a tenth of its time."""

    def __init__(self, model: type[Model], *conditions: tuple[str, str]) -> None:
        if not conditions or any(operator not in OPERATORS for _name, operator in conditions):
            raise ValueError(f"conditions must be (field, operator) pairs with {OPERATORS}")
        self.model = model
        self.conditions = conditions
        self._built: dict[str, tuple] = {}

    def _build(self, connection) -> tuple:
        meta = self.model._meta
        quote = connection.ops.quote_name
        fields = list(meta.concrete_fields)
        keys: list[Any] = [meta.get_field(name) for name, _operator in self.conditions]
        where = " AND ".join(
            f"{quote(field.column)} {operator} %s"
            for field, (_name, operator) in zip(keys, self.conditions, strict=True)
        )
        columns = ", ".join(quote(field.column) for field in fields)
        sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {where}"  # noqa: S608
        converters = row_converters(fields, connection, meta.db_table)
        return sql, converters, [field.attname for field in fields], keys

    def _built_for(self, connection) -> tuple:
        built = self._built.get(connection.alias)
        if built is None:
            built = self._built[connection.alias] = self._build(connection)
        return built

    def statement(self, connection, values: Sequence[Any]) -> tuple[str, list]:
        """The SELECT and its parameters for these values."""
        sql, _converters, _names, keys = self._built_for(connection)
        params = [
            field.get_db_prep_value(value, connection)
            for field, value in zip(keys, values, strict=True)
        ]
        return sql, params

    def instance(self, connection, row) -> Any:
        """The instance of a row that `statement` selected (None for no row)."""
        if row is None:
            return None
        _sql, converters, names, _keys = self._built_for(connection)
        return self.model.from_db(connection.alias, names, converted(row, converters, connection))

    def get(self, *values: Any) -> Any:
        """The row whose fields meet the conditions with these values, or None."""
        connection = connections[router.db_for_read(self.model)]
        sql, params = self.statement(connection, values)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return self.instance(connection, row)


# --- Wagtail's page view restrictions ----------------------------------------------------


def view_restricted_sql(path: str) -> str:
    """An SQL condition, true when a Wagtail view restriction applies to the page whose
    tree path is the SQL expression `path` (a column, or a `%s` given twice).

    Wagtail's rule (`Page.get_view_restrictions`): a restriction on the page or on an
    ancestor (a page's path begins with each ancestor's), where an alias among them (the
    page included) counts with its source page's restrictions instead of its own. Wagtail
    makes aliases of source pages only, never of aliases, so one step resolves them. Any
    restriction counts, of every type (password, login, groups): a restricted page is not
    public. The restrictions table is small; it is read from that side."""
    from wagtail.models import Page, PageViewRestriction

    page = Page._meta
    restriction = PageViewRestriction._meta
    fields: Any = {name: page.get_field(name) for name in ("alias_of", "path")}
    restricted_page = restriction.get_field("page").column  # type: ignore[union-attr]
    alias_of, tree_path = fields["alias_of"].column, fields["path"].column
    return (
        f"(EXISTS (SELECT 1 FROM {restriction.db_table} AS r "  # noqa: S608 (names from models)
        f"JOIN {page.db_table} AS rp ON rp.{page.pk.column} = r.{restricted_page} "
        f"WHERE rp.{alias_of} IS NULL "
        f"AND substr({path}, 1, length(rp.{tree_path})) = rp.{tree_path}) "
        f"OR EXISTS (SELECT 1 FROM {restriction.db_table} AS r "
        f"JOIN {page.db_table} AS a ON a.{alias_of} = r.{restricted_page} "
        f"WHERE substr({path}, 1, length(a.{tree_path})) = a.{tree_path}))"
    )


def page_view_restricted(page) -> bool:
    """Whether a view restriction applies to the Wagtail page (see `view_restricted_sql`),
    in one short query; Wagtail's `get_view_restrictions` takes two or more, and this is
    asked on every view of a consultation and every vote."""
    connection = connections[router.db_for_read(type(page))]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {view_restricted_sql('%s')}", [page.path, page.path])
        (restricted,) = cursor.fetchone()
    return bool(restricted)


class PageChildRow:
    """One row of `model` by key, with what a hot path needs of the Wagtail page it belongs
    to, in one query written once per process and database:

        PageChildRow(Poll, page_fields=(...), joined=((PollClosure, "poll", "closed_at"),))
        .get(poll_id, page_id=None) -> (poll, [closed_at], restricted) | None

    The row has every concrete field of `model`; its page (`model.page`, an instance of
    the page's specific class) has the `page_fields` that live in Wagtail's page table and
    defers the rest, as `select_related("page").only(...)` would leave it. `joined` names
    one-to-one rows keyed by the row (model, field pointing to the row, field to read):
    their values, None where there is no such row. `restricted` is `view_restricted_sql`
    for the page. `page_id` narrows the key to rows of that page."""

    def __init__(
        self,
        model: type[Model],
        *,
        page_fields: Sequence[str],
        joined: Sequence[tuple[type[Model], str, str]] = (),
    ) -> None:
        self.model = model
        self.page_fields = tuple(page_fields)
        self.joined = tuple(joined)
        self._built: dict[str, tuple] = {}

    def _build(self, connection) -> tuple:
        from wagtail.models import Page

        meta = self.model._meta
        page_field: Any = meta.get_field("page")
        page_model: Any = page_field.related_model
        quote = connection.ops.quote_name
        fields = list(meta.concrete_fields)
        # In the model's order, as from_db wants them; the key (page_ptr_id for a specific
        # page) comes last, and is the row's own foreign key: its table is not needed.
        wanted = set(self.page_fields)
        page_fields = [f for f in page_model._meta.concrete_fields if f.name in wanted]
        if len(page_fields) != len(wanted) or any(
            f.model._meta.db_table != Page._meta.db_table for f in page_fields
        ):
            raise ValueError(f"page_fields must be fields of Wagtail's page table: {wanted}")
        page_pk = page_model._meta.pk
        columns = [
            *(f"m.{quote(f.column)}" for f in fields),
            *(f"pg.{quote(f.column)}" for f in page_fields),
            f"m.{quote(page_field.column)}",
        ]
        joins = []
        joined_fields = []
        for n, (other, key_name, value_name) in enumerate(self.joined):
            key: Any = other._meta.get_field(key_name)
            value: Any = other._meta.get_field(value_name)
            joins.append(
                f"LEFT JOIN {quote(other._meta.db_table)} AS j{n} "
                f"ON j{n}.{quote(key.column)} = m.{quote(meta.pk.column)}"
            )
            columns.append(f"j{n}.{quote(value.column)}")
            joined_fields.append(value)
        path: Any = Page._meta.get_field("path")
        columns.append(view_restricted_sql(f"pg.{quote(path.column)}"))
        sql = (
            f"SELECT {', '.join(columns)} "  # noqa: S608 (names from the models)
            f"FROM {quote(meta.db_table)} AS m "
            f"JOIN {quote(Page._meta.db_table)} AS pg "
            f"ON pg.{quote(Page._meta.pk.column)} = m.{quote(page_field.column)} "
            f"{' '.join(joins)} WHERE m.{quote(meta.pk.column)} = %s"
        )
        by_page = f" AND m.{quote(page_field.column)} = %s"
        # What the ORM would convert (SQLite's datetimes and booleans; nothing on PostgreSQL)
        converters = row_converters([*fields, *page_fields, page_pk, *joined_fields], connection)
        names = [f.attname for f in fields]
        page_names = [*(f.attname for f in page_fields), page_pk.attname]
        return sql, by_page, converters, names, page_model, page_names

    def get(self, pk: Any, *, page_id: Any = None) -> tuple[Any, list, bool] | None:
        """(row with its page, values of `joined`, whether the page is view-restricted), or
        None if there is no such row (of that page)."""
        connection = connections[router.db_for_read(self.model)]
        built = self._built.get(connection.alias)
        if built is None:
            built = self._built[connection.alias] = self._build(connection)
        sql, by_page, converters, names, page_model, page_names = built
        with connection.cursor() as cursor:
            if page_id is None:
                cursor.execute(sql, [pk])
            else:
                cursor.execute(sql + by_page, [pk, page_id])
            row = cursor.fetchone()
        if row is None:
            return None
        row = converted(row, converters, connection)
        split = len(names)
        end = split + len(page_names)
        instance: Any = self.model.from_db(connection.alias, names, row[:split])
        instance.page = page_model.from_db(connection.alias, page_names, row[split:end])
        return instance, list(row[end:-1]), bool(row[-1])
