"""The schema is data: ``chronology/data/datapackage.json``, shipped in the package, matches
the bundled data set's descriptor and CSV files, and its keys hold.

The CSV files are read with the csv module only, so these checks do not lean on the loader.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import chronology.data
from chronology.data.schema import SCHEMA_FILE, Resource, Schema, load_schema

TABLES = (
    "categories",
    "actors",
    "sources",
    "events",
    "event_actors",
    "excerpts",
    "citations",
    "disputes",
)
PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@pytest.fixture(scope="module")
def schema() -> Schema:
    return load_schema()


def read(directory: Path, resource: Resource) -> tuple[list[str], list[dict[str, str]]]:
    with (directory / resource.path).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def test_the_schema_ships_inside_the_package() -> None:
    assert Path(str(SCHEMA_FILE)).parent == Path(chronology.data.__file__).parent
    raw = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert raw["profile"] == "tabular-data-package"
    assert "licenses" not in raw  # a data set's licence is its own, not the schema's


def test_the_bundled_data_set_declares_the_package_schema(data_dir: Path) -> None:
    bundled = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    shipped = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert bundled["resources"] == shipped["resources"], (
        "data/datapackage.json's resources differ from chronology/data/datapackage.json "
        "(the schema the code checks against): copy them over"
    )
    assert bundled["profile"] == shipped["profile"]
    assert bundled["name"] == "niger-us-withdrawal-chronology"
    assert bundled["title"] and bundled["licenses"] and bundled["sources"]


def test_the_tables(schema: Schema) -> None:
    assert tuple(r.name for r in schema.resources) == TABLES
    for res in schema.resources:
        assert res.path == f"{res.name}.csv"
        assert res.title and res.description, res.name


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("where", ["data", "minimal"])
def test_declared_fields_are_exactly_the_csv_columns(
    schema: Schema, data_dir: Path, fixtures_dir: Path, where: str, table: str
) -> None:
    directory = data_dir if where == "data" else fixtures_dir / "minimal"
    res = schema.resource(table)
    header, _ = read(directory, res)
    assert [c for c in res.core_columns if c not in header] == [], "declared but not in the CSV"
    assert [c for c in header if c not in res.columns] == [], "in the CSV but not declared"
    assert header == [c for c in res.columns if c in header], "the CSV columns are in another order"


def test_optional_columns_are_few_and_described(schema: Schema) -> None:
    optional = {(r.name, f.name) for r in schema.resources for f in r.fields if f.optional_column}
    assert optional == {
        ("events", "latitude"),
        ("events", "longitude"),
        ("events", "fatalities"),
        ("citations", "quote"),
        ("excerpts", "supports"),  # issue 21: older and imported data sets have none
        ("citations", "supports"),
    }
    for r in schema.resources:
        for f in r.fields:
            if f.optional_column:
                assert not f.required and "may be left out" in f.description


@pytest.mark.parametrize("table", TABLES)
def test_every_field_is_described(schema: Schema, table: str) -> None:
    for f in schema.resource(table).fields:
        assert f.description.strip(), f"{table}.{f.name}"
        assert f.type in {"string", "boolean", "number"}, f"{table}.{f.name}"


@pytest.mark.parametrize("table", TABLES)
def test_keys_name_declared_fields(schema: Schema, table: str) -> None:
    res = schema.resource(table)
    assert res.primary_key, table
    assert set(res.primary_key) <= set(res.columns)
    for fk in res.foreign_keys:
        assert fk.fields in res.columns
        assert fk.resource in TABLES
        assert "id" in schema.resource(fk.resource).columns


def test_partial_dates_carry_the_date_pattern(schema: Schema) -> None:
    dated = [(r.name, f) for r in schema.resources for f in r.fields if f.partial_date]
    assert {(name, f.name) for name, f in dated} == {
        ("events", "date"),
        ("events", "end_date"),
        ("sources", "published"),
        ("sources", "estimate_earliest"),
        ("sources", "estimate_latest"),
        ("citations", "date"),
    }
    for _, f in dated:
        assert f.pattern is not None
        assert f.pattern.pattern == PARTIAL_DATE_PATTERN


def test_schema_details_the_loader_relies_on(schema: Schema) -> None:
    events = schema.resource("events")
    assert events.field("status").enum == ("happened", "announced", "planned")
    assert events.field("id").required and events.field("id").unique
    assert not events.field("end_date").required
    assert schema.resource("sources").field("kind").enum == ("article", "citation")
    assert schema.resource("sources").field("date_estimated").type == "boolean"
    assert schema.resource("event_actors").primary_key == ("event_id", "actor_id")
    assert [(fk.fields, fk.resource) for fk in schema.resource("actors").foreign_keys] == [
        ("parent", "actors")
    ]
    # a timeline may name no actors (a TimelineJS sheet has no actor column), and no
    # categories (a plain table without one: nothing is filled in that the file does not say)
    assert {r.name: r.min_rows for r in schema.resources if r.name in TABLES[:4]} == {
        "categories": 0,
        "actors": 0,
        "sources": 1,
        "events": 1,
    }


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("where", ["data", "minimal"])
def test_keys_hold(
    schema: Schema, data_dir: Path, fixtures_dir: Path, where: str, table: str
) -> None:
    directory = data_dir if where == "data" else fixtures_dir / "minimal"
    res = schema.resource(table)
    _, records = read(directory, res)
    assert len(records) >= res.min_rows

    for f in res.fields:
        if f.required:
            assert all(r[f.name].strip() for r in records), f"empty {table}.{f.name}"
        if f.enum:
            assert {r[f.name] for r in records if r[f.name]} <= set(f.enum), f.name

    keys = [tuple(r[k] for k in res.primary_key) for r in records]
    repeated = {k for k in keys if keys.count(k) > 1}
    assert not repeated, f"primary key {res.primary_key} repeats: {sorted(repeated)}"

    for fk in res.foreign_keys:
        _, target = read(directory, schema.resource(fk.resource))
        ids = {r["id"] for r in target}
        dangling = sorted({r[fk.fields] for r in records if r[fk.fields]} - ids)
        assert not dangling, f"{table}.{fk.fields} → {fk.resource}: {dangling}"


def test_load_schema_reads_another_descriptor(tmp_path: Path) -> None:
    descriptor = {
        "name": "tiny",
        "resources": [
            {
                "name": "things",
                "path": "things.csv",
                "schema": {
                    "fields": [
                        {"name": "id", "constraints": {"required": True, "pattern": "^[a-z]+$"}},
                        {"name": "kind", "constraints": {"enum": ["a", "b"]}},
                    ],
                    "primaryKey": "id",
                },
            }
        ],
    }
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    tiny = load_schema(path)
    things = tiny.resource("things")
    assert (tiny.name, tiny.title) == ("tiny", "")
    assert things.columns == ["id", "kind"]
    assert things.title == "things"
    assert things.primary_key == ("id",)
    assert things.foreign_keys == ()
    assert things.field("id").required and things.field("id").pattern.search("abc")
    assert things.field("kind").type == "string" and things.field("kind").enum == ("a", "b")
