"""The Import page's partial loads and day order (issue 20), through AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
ENTRY = ROOT / "dashboard.py"
IMPORTS = ROOT / "tests" / "fixtures" / "imports"
SOME_BAD = (IMPORTS / "plain-some-bad-rows.csv").read_bytes()
BANNER = "your uploaded timeline"

pytestmark = pytest.mark.usefixtures("app_env")


def uploaded(name: str, data: bytes) -> AppTest:
    at = AppTest.from_file(str(ENTRY), default_timeout=60).run()
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def banner(at: AppTest) -> str:
    return "\n".join(i.value for i in at.info if BANNER in i.value)


def test_the_good_rows_load_when_the_user_chooses_and_the_rest_stay_listed() -> None:
    at = uploaded("bad.csv", SOME_BAD)
    (error,) = at.error
    assert "nothing was loaded" in error.value and "load the rows without problems" in error.value
    button = next(b for b in at.button if b.key == "import_skip")
    assert button.label == "Load the 2 good rows, skip the 3 listed"
    assert not banner(at)
    button.click().run()
    assert not at.exception, at.exception
    (done,) = at.success
    assert "2 events" in done.value and "3 rows with problems were skipped" in done.value
    assert "bad" in banner(at)
    skipped = next(d.value for d in at.dataframe if list(d.value.columns)[:2] == ["file", "row"])
    assert list(skipped["row"]) == ["3", "4", "5"]
    assert list(skipped["column"]) == ["date", "date", "source_address"]
    assert all(skipped["fix"].str.len() > 0)
    at.switch_page("pages/timeline.py").run()
    assert not at.exception, at.exception
    assert next(m.value for m in at.metric if m.label == "Events shown") == "2 / 2"


def test_the_day_order_chosen_on_the_page_reads_an_ambiguous_date() -> None:
    at = uploaded("bad.csv", SOME_BAD)
    at.radio(key="import_day_order").set_value("dayfirst").run()
    assert not at.exception, at.exception
    button = next(b for b in at.button if b.key == "import_skip")
    assert button.label == "Load the 3 good rows, skip the 2 listed"  # 03/04/2024 now reads


def test_a_file_with_no_good_row_offers_no_partial_load() -> None:
    at = uploaded("none.csv", b"date,title\nsoon,Undated\nlater,Also undated\n")
    assert at.error
    assert not [b for b in at.button if b.key == "import_skip"]
