"""The Import page through AppTest: upload, every page on the upload, problems, back, sessions."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import chronology
from chronology import ui

ROOT = Path(__file__).resolve().parent.parent
ENTRY = ROOT / "dashboard.py"
IMPORTS = ROOT / "tests" / "fixtures" / "imports"
SHEET = (IMPORTS / "timelinejs-sheet.csv").read_bytes()
ACLED = (IMPORTS / "acled-export.csv").read_bytes()
BANNER = "your uploaded timeline"
MALFORMED = {
    "timelinejs": ("sheet.csv", SHEET.replace(b"\r\n2013,", b"\r\n-44,", 1), "Year", 5),
    "acled": ("acled.csv", ACLED.replace(b"26 July 2023", b"late July", 1), "event_date", 2),
    "plain": ("plain.csv", b"date,title\n2024-01-01,Fine\nsoon,Undated\n", "date", 3),
    "package": ("pkg.zip", b"PK\x03\x04 not really a zip", None, None),
}


pytestmark = pytest.mark.usefixtures("app_env")


def on_import_page() -> AppTest:
    at = AppTest.from_file(str(ENTRY), default_timeout=60).run()
    at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    return at


def uploaded(name: str, data: bytes) -> AppTest:
    at = on_import_page()
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def banner(at: AppTest) -> str:
    return "\n".join(i.value for i in at.info if BANNER in i.value)


def ready(at: AppTest) -> str:
    marks = [h.value for h in at.html if 'id="chronology-ready"' in h.value]
    assert marks, "the page did not finish rendering"
    return marks[-1]


def frame(at: AppTest, first: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if list(d.value.columns)[:1] == [first])


def shown(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Events shown")


def test_the_import_page_is_in_the_navigation() -> None:
    assert ("pages/upload.py", "Import", ":material/upload_file:") in ui.PAGES
    at = on_import_page()
    assert 'data-page="upload"' in ready(at)
    assert not banner(at)


def test_a_timelinejs_upload_shows_on_every_page() -> None:
    at = uploaded("sheet.csv", SHEET)
    (done,) = at.success
    assert "as a TimelineJS sheet: 7 events" in done.value
    assert "Niger and its partners, 2012–2024" in banner(at)
    columns = frame(at, "column in the file")
    assert dict(zip(columns["column in the file"], columns["became"], strict=True))[
        "Group"
    ].startswith("category")
    for page in ("pages/timeline.py", "pages/actors.py", "pages/sources.py", "pages/data.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert "Niger and its partners" in banner(at), page
        assert f'data-page="{Path(page).stem}"' in ready(at)
    keys = {b.key for b in at.get("download_button")}
    assert "download_timelinejs_sheet" in keys  # the Data page was the last one opened
    at.switch_page("pages/timeline.py").run()
    assert shown(at) == "7 / 7"
    assert 'data-event="coup-in-niamey"' in "".join(h.value for h in at.html)
    assert at.radio(key="lanes").value == "event"  # 7 events: a row each (issue 19)


def test_the_filters_work_on_the_upload() -> None:
    at = uploaded("acled.csv", ACLED)
    at.switch_page("pages/timeline.py").run()
    assert shown(at) == "5 / 5"
    actors = at.multiselect(key="actors")
    assert "protesters-niger" in actors.options or "Protesters (Niger)" in actors.options
    actors.set_value(["protesters-niger"]).run()
    assert not at.exception
    assert shown(at) == "1 / 5"
    at.multiselect(key="actors").set_value([]).run()
    at.multiselect(key="cat").set_value(["battles", "protests"]).run()
    assert shown(at) == "2 / 5"


@pytest.mark.parametrize("layout", list(MALFORMED))
def test_a_malformed_upload_lists_its_problems(layout: str) -> None:
    name, data, column, row = MALFORMED[layout]
    at = uploaded(name, data)
    (error,) = at.error
    assert f"in ` {name} `" in error.value and "nothing was loaded" in error.value
    table = frame(at, "file")
    assert list(table.columns) == ["file", "row", "column", "value", "problem", "fix"]
    assert set(table["file"]) == {name}
    if column:
        assert (str(row), column) in set(zip(table["row"], table["column"], strict=True))
    assert not banner(at)  # the bundled data is still shown
    at.switch_page("pages/timeline.py").run()
    total = len(chronology.load().events)
    assert shown(at) == f"{total} / {total}"


def test_back_to_the_bundled_data() -> None:
    at = uploaded("sheet.csv", SHEET)
    at.button(key="drop_upload").click().run()
    assert not at.exception
    assert not banner(at)
    assert not at.success  # the uploader was emptied: the upload is not read again
    at.switch_page("pages/timeline.py").run()
    total = len(chronology.load().events)
    assert shown(at) == f"{total} / {total}"
    assert at.radio(key="lanes").value == "event"  # 31 events: a row each (issue 19)


def test_another_session_does_not_see_the_upload() -> None:
    first = uploaded("sheet.csv", SHEET)
    second = AppTest.from_file(str(ENTRY), default_timeout=60).run()  # same process, same caches
    assert not second.exception
    assert not banner(second)
    total = len(chronology.load().events)
    assert shown(second) == f"{total} / {total}"
    first.switch_page("pages/timeline.py").run()
    assert shown(first) == "7 / 7"


def test_switching_data_sets_drops_filters_of_the_other_one() -> None:
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.query_params["actors"] = "Russia"
    at.run()
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value(("acled.csv", ACLED, "text/csv")).run()
    assert not at.exception
    assert at.multiselect(key="actors").value == []
    assert not at.warning


def test_a_package_written_by_the_command_line_opens_in_the_dashboard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chronology.cli import main

    out = tmp_path / "mine"
    assert main(["import", str(IMPORTS / "acled-export.csv"), str(out)]) == 0
    monkeypatch.setattr(sys, "argv", ["dashboard.py", "--data", str(out)])
    at = AppTest.from_file(str(ENTRY), default_timeout=60).run()
    assert not at.exception, at.exception
    assert shown(at) == "5 / 5"
    assert not banner(at)  # a data directory, not a session's upload


HOSTILE_ROWS = [
    '2024-01-02,"=HYPERLINK(""http://evil.example"",""x"")",a formula cell,Evil State',
    "2024-01-03,<script>alert(1)</script>,<img src=x onerror=alert(1)>,Evil State",
    "2024-01-04,![x](javascript:alert(1)),[click](javascript:alert(1)),Evil State",
]


def _hostile_table(rows: int) -> bytes:
    """A plain events table: hostile cells first, then plain rows up to ``rows`` events."""
    lines = ["date,title,summary,actors", *HOSTILE_ROWS]
    lines += [f"2023-{m % 12 + 1:02d},Event {m},Routine event,Actor {m % 50}" for m in range(rows)]
    return ("\n".join(lines[: rows + 1]) + "\n").encode()


@pytest.mark.slow
def test_a_hostile_upload_of_100000_rows_behaves_like_the_same_data_on_disk(
    tmp_path: Path,
) -> None:
    from chronology.cli import main

    data = _hostile_table(100_000)
    (tmp_path / "events.csv").write_bytes(data)
    assert main(["import", str(tmp_path / "events.csv"), str(tmp_path / "out")]) == 0
    on_disk = chronology.load(tmp_path / "out")
    assert len(on_disk.events) == 100_000

    at = uploaded("events.csv", data)
    assert BANNER in banner(at)
    at.switch_page("pages/timeline.py").run()
    assert not at.exception, at.exception
    assert shown(at) == "100,000 / 100,000"
    for page in ("pages/actors.py", "pages/sources.py", "pages/data.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert 'data-events="100000"' in ready(at), page
    at.switch_page("pages/timeline.py").run()
    at.text_input(key="q").set_value("alert").run()
    assert shown(at) == "2 / 100,000"  # the script and the markdown rows, searched as text
    html = "\n".join(h.value for h in at.html)
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html.lower()
    markdown = "\n".join(m.value for m in at.markdown)
    assert "](javascript:" not in markdown
