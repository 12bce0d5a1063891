"""The package's public names change only on purpose (a pinned ``__all__``, as httpx does)."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import chronology

PUBLIC = [
    "DEFAULT_DATA_DIR",
    "CitationView",
    "DataError",
    "DataSet",
    "DateError",
    "DisputeView",
    "EventDetail",
    "ExcerptView",
    "Interval",
    "PartialDate",
    "Problem",
    "Query",
    "Resolution",
    "filter_events",
    "load",
    "parse_partial",
    "resolve_phrase",
]


def test_all_is_pinned() -> None:
    assert chronology.__all__ == PUBLIC


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_is_importable(name: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from chronology import {name}", namespace)
    assert namespace[name] is getattr(chronology, name)


def test_star_import_gives_exactly_the_public_names() -> None:
    namespace: dict[str, object] = {}
    exec("from chronology import *", namespace)
    assert sorted(k for k in namespace if k != "__builtins__") == sorted(PUBLIC)


def test_nothing_public_is_left_unexported() -> None:
    """Every public, non-module attribute of the package is in ``__all__``."""
    public = {
        name
        for name, value in vars(chronology).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert public == set(PUBLIC)


MODULES = sorted(
    ".".join(path.relative_to(Path(chronology.__file__).parent).with_suffix("").parts)
    for path in Path(chronology.__file__).parent.rglob("*.py")
    if path.stem not in {"__init__", "__main__"} and "__all__" in path.read_text(encoding="utf-8")
)


@pytest.mark.parametrize("module", MODULES)
def test_each_module_exports_what_it_defines(module: str) -> None:
    mod = importlib.import_module(f"chronology.{module}")
    missing = [name for name in mod.__all__ if not hasattr(mod, name)]
    assert not missing
    assert len(set(mod.__all__)) == len(mod.__all__)


def test_only_the_ui_package_imports_streamlit() -> None:
    """The logic stays usable without a server: streamlit is imported under chronology/ui only."""
    root = Path(chronology.__file__).parent
    importers = set()
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                importers.add(path.relative_to(root).parts[0])
    assert importers == {"ui"}


def _imports_of(path: Path, root: Path) -> set[str]:
    """The rooms (data, views, formats, ui) a module of the package imports from."""
    package = path.relative_to(root).parent.parts
    rooms = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = [*base, *(node.module or "").split(".")] if node.module else list(base)
            if not target or not target[0]:
                target = [a.name for a in node.names][:1]
            rooms.add(target[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("chronology."):
            rooms.add(node.module.split(".")[1])
    return rooms


def test_data_flows_one_way_between_rooms() -> None:
    """data imports no other room; views only data; formats data and views; ui may use all."""
    root = Path(chronology.__file__).parent
    allowed = {
        "data": {"data"},
        "views": {"data", "views"},
        "formats": {"data", "views", "formats"},
    }
    wrong = {}
    for room, may in allowed.items():
        for path in (root / room).rglob("*.py"):
            extra = _imports_of(path, root) - may
            if extra:
                wrong[path.relative_to(root).as_posix()] = sorted(extra)
    assert wrong == {}
