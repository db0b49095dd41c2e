"""One row by key, from SQL written once per process: the reads every signed-in request
makes before anything else (its session, then its person).

The ORM compiles `Model.objects.get(...)` afresh on every call, about 0.5 ms of CPU on
this kind of machine for a one-row query that the database answers in a fraction of
that; on a request that does little else, such as a vote, the two reads were a tenth of
its time (bench/vote_throughput.py). `KeyedRows` writes the same SELECT from the model's
metadata once per database and makes the row an instance the way the ORM does
(`from_db`, with the backend's converters), so that callers cannot tell the difference
(tests/cooperative/accounts/test_rows.py).
"""

from __future__ import annotations

from typing import Any

from django.db import connections, router
from django.db.models import Model

OPERATORS = frozenset({"=", ">", ">=", "<", "<="})


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
    compilation (and without an ORDER BY: the conditions name at most one row)."""

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

    def get(self, *values: Any) -> Model | None:
        """The row whose fields meet the conditions with these values, or None."""
        connection = connections[router.db_for_read(self.model)]
        built = self._built.get(connection.alias)
        if built is None:
            built = self._built[connection.alias] = self._build(connection)
        sql, converters, names, keys = built
        params = [
            field.get_db_prep_value(value, connection)
            for field, value in zip(keys, values, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        return self.model.from_db(connection.alias, names, converted(row, converters, connection))
