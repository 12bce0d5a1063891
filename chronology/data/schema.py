"""The data set's schema, read from ``datapackage.json`` (Frictionless Data Package conventions).

The schema ships inside the package (``chronology/data/datapackage.json``, read through
:mod:`importlib.resources`), so an installed ``chronology`` checks a data directory from any
folder. A data set's own ``datapackage.json`` (the bundled ``data/datapackage.json``) repeats
these resources beside its title, licences and sources; a test keeps the two in agreement.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

__all__ = ["SCHEMA_FILE", "Field", "ForeignKey", "Resource", "Schema", "load_schema"]

SCHEMA_FILE: Traversable = files(__package__).joinpath("datapackage.json")
"""The schema every data directory is checked against (package data, not the bundled data)."""


@dataclass(frozen=True, slots=True)
class Field:
    """One column: its type, constraints and description."""

    name: str
    type: str = "string"
    description: str = ""
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None
    partial_date: bool = False
    optional_column: bool = False  # the column itself may be left out of the file
    minimum: float | None = None  # for numbers
    maximum: float | None = None
    pattern_fix: str = ""  # how to write a value the pattern refuses (a default fix otherwise)


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """Values of ``fields`` must be ids of ``resource``."""

    fields: str
    resource: str


@dataclass(frozen=True, slots=True)
class Resource:
    """One table: its file, fields and keys."""

    name: str
    path: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    min_rows: int = 0
    optional_file: bool = False  # the file may be left out: then the table has no rows

    @property
    def columns(self) -> list[str]:
        """Declared column names, in order."""
        return [f.name for f in self.fields]

    @property
    def core_columns(self) -> list[str]:
        """The columns a file must have: all but those that may be left out."""
        return [f.name for f in self.fields if not f.optional_column]

    def field(self, name: str) -> Field:
        """The field called ``name``."""
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True, slots=True)
class Schema:
    """All tables of the data package."""

    name: str
    title: str
    resources: tuple[Resource, ...] = field(default=())
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def resource(self, name: str) -> Resource:
        """The resource called ``name``."""
        return next(r for r in self.resources if r.name == name)


def _field(spec: dict[str, Any]) -> Field:
    cons = spec.get("constraints", {})
    pattern = cons.get("pattern")
    return Field(
        name=spec["name"],
        type=spec.get("type", "string"),
        description=spec.get("description", ""),
        required=bool(cons.get("required", False)),
        unique=bool(cons.get("unique", False)),
        enum=tuple(cons.get("enum", ())),
        pattern=re.compile(pattern) if pattern else None,
        partial_date=bool(spec.get("chronology:partialDate", False)),
        optional_column=bool(spec.get("chronology:optionalColumn", False)),
        minimum=cons.get("minimum"),
        maximum=cons.get("maximum"),
        pattern_fix=spec.get("chronology:patternFix", ""),
    )


def _keys(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def load_schema(path: Path | Traversable = SCHEMA_FILE) -> Schema:
    """Read a data package descriptor (by default the package's own) into a :class:`Schema`."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    resources = []
    for res in raw["resources"]:
        schema = res["schema"]
        resources.append(
            Resource(
                name=res["name"],
                path=res["path"],
                title=res.get("title", res["name"]),
                description=res.get("description", ""),
                fields=tuple(_field(f) for f in schema["fields"]),
                primary_key=_keys(schema.get("primaryKey")),
                foreign_keys=tuple(
                    ForeignKey(fk["fields"], fk["reference"]["resource"])
                    for fk in schema.get("foreignKeys", [])
                ),
                min_rows=int(res.get("chronology:minRows", 0)),
                optional_file=bool(res.get("chronology:optionalFile", False)),
            )
        )
    return Schema(name=raw["name"], title=raw.get("title", ""), resources=tuple(resources), raw=raw)
