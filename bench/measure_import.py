"""Time an import: an ACLED-layout CSV of N rows read into our package, then checked and built.

Usage: ``.venv/bin/python bench/measure_import.py [--rows 1000,10000,35000] [--runs 3]``

The file is generated in memory (deterministic: a fixed seed), in the layout of ACLED's export
tool, with the three time precisions, associated actors and a few thousand distinct names.
Prints, per size, the file's size and the medians of: reading (``formats.read_file``) and
checking + building the data set (``formats.to_dataset``), as the Import page does.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import time

from chronology import formats

# fmt: off
HEADER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]
# fmt: on
MONTHS = "January February March April May June July August September October November December"


def acled_file(rows: int, seed: int = 1) -> bytes:
    """An ACLED-layout CSV of ``rows`` events."""
    rng = random.Random(seed)
    months = MONTHS.split()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for i in range(rows):
        year, month, day = rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28)
        writer.writerow(
            [
                f"NIG{i}", f"{day:02d} {months[month - 1]} {year}", year, rng.choice("1123"),
                "Political violence",
                rng.choice(["Battles", "Protests", "Riots", "Violence against civilians"]),
                "Armed clash", f"Group {rng.randint(1, 2000)}",
                f"Assoc {rng.randint(1, 500)}; Assoc {rng.randint(1, 500)}",
                rng.choice(["State forces", "Rebel group", "Political militia", "Civilians"]),
                f"Group {rng.randint(1, 2000)}", "", "State forces", "12", "", "562",
                "Western Africa", "Niger", "Tillaberi", "", "", f"Place {rng.randint(1, 300)}",
                "14.1", "1.5", "1", f"Source {rng.randint(1, 300)}", "National",
                'Notes, with a comma and "quotes".', "0", "", "1700000000",
            ]
        )  # fmt: skip
    return buffer.getvalue().encode("utf-8-sig")


def main() -> None:
    """Measure and print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000,10000,35000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("rows | file | read (median) | check + build (median)")
    for rows in (int(n) for n in args.rows.split(",")):
        data = acled_file(rows)
        read, build = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            imported = formats.read_file(data, "bench.csv")
            middle = time.perf_counter()
            formats.to_dataset(imported)
            read.append(middle - start)
            build.append(time.perf_counter() - middle)
        print(
            f"{rows:,} | {len(data) / 2**20:.1f} MB | {statistics.median(read):.2f} s | "
            f"{statistics.median(build):.2f} s"
        )


if __name__ == "__main__":
    main()
