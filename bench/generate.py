"""Write a valid chronology data directory of N generated events, for benchmarks.

Usage::

    python bench/generate.py 10000 bench/out/data-10000

The events have actors (in a parent tree), excerpts that quote a generated stored article
verbatim (most with a dating phrase the checks resolve), and citations of public records, so
every check of ``python -m chronology check`` runs on them. The output is deterministic for a
given N and seed.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
CATEGORIES = (
    ("military", "Military", "Deployments, bases, troop movements and military cooperation."),
    ("diplomatic", "Diplomatic", "Agreements, visits, statements and ruptures."),
    ("political", "Political", "Changes of government and domestic political events."),
    ("security", "Security", "Armed violence and counter-terrorism operations."),
)
VERBS = ("met", "signed an accord with", "criticised", "sent envoys to", "trained", "supplied")
PLACES = ("Niamey", "Agadez", "Tillabéri", "Diffa", "Zinder", "Maradi", "Dosso", "Tahoua")
STATUSES = ("happened",) * 8 + ("announced", "planned")
EVENTS_PER_ARTICLE = 25
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2024, 12, 31)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _day(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _actors(n_events: int) -> list[dict[str, str]]:
    """States at the top, with governments, forces and people below them."""
    n_states = max(4, min(60, n_events // 200))
    rows = []
    for s in range(n_states):
        sid = f"state-{s}"
        rows.append(_actor(sid, f"State {s}", "state", ""))
        rows.append(_actor(f"government-{s}", f"Government of State {s}", "government", sid))
        rows.append(_actor(f"forces-{s}", f"Armed forces of State {s}", "armed forces", sid))
        rows.append(
            _actor(f"command-{s}", f"Regional command of State {s}", "armed forces", f"forces-{s}")
        )
    rows.append(_actor("alliance", "The Alliance", "international organisation", ""))
    rows.append(_actor("armed-group", "An armed group", "armed group", ""))
    n_people = max(2, n_events // 100)
    for p in range(n_people):
        parent = f"government-{p % n_states}"
        rows.append(_actor(f"person-{p}", f"Person {p}", "person", parent))
    return rows


def _actor(aid: str, name: str, kind: str, parent: str) -> dict[str, str]:
    return {"id": aid, "name": name, "kind": kind, "parent": parent, "description": f"{name}."}


def generate(n_events: int, out: Path, seed: int = 0) -> Path:
    """Write the data directory ``out`` (replacing it) with ``n_events`` events."""
    if n_events < 1:
        raise ValueError("n_events must be at least 1")
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "sources").mkdir(parents=True)

    actors = _actors(n_events)
    actor_ids = [a["id"] for a in actors]
    names = {a["id"]: a["name"] for a in actors}
    span_days = (LAST_DAY - FIRST_DAY).days

    events, event_actors, excerpts, citations, sources = [], [], [], [], []
    n_articles = max(1, -(-n_events // EVENTS_PER_ARTICLE))
    n_records = max(1, n_events // 50)
    for r in range(n_records):
        day = FIRST_DAY + timedelta(days=rng.randrange(span_days))
        sources.append(_source(f"record-{r}", "citation", day, f"[Public record {r}]"))

    for a in range(n_articles):
        first = a * EVENTS_PER_ARTICLE
        batch = range(first, min(n_events, first + EVENTS_PER_ARTICLE))
        published = FIRST_DAY + timedelta(days=rng.randrange(400, span_days))
        sentences = [f"Article {a} reports on the region as of {_day(published)}."]
        for i in batch:
            eid = f"event-{i}"
            who = rng.sample(actor_ids, k=rng.choice((1, 2, 2, 3)))
            verb = rng.choice(VERBS)
            place = rng.choice(PLACES)
            kind = rng.random()
            if kind < 0.55:  # a day named in full
                day = published - timedelta(days=rng.randrange(1, 400))
                when, end, phrase = day.isoformat(), "", _day(day)
                text_when = f" on {phrase}"
            elif kind < 0.7:  # last month, relative to the publication date
                prev = published.replace(day=1) - timedelta(days=1)
                when, end, phrase = f"{prev:%Y-%m}", "", "last month"
                text_when = " last month"
            elif kind < 0.8:  # a period, dated by a note
                start = published - timedelta(days=rng.randrange(200, 400))
                stop = start + timedelta(days=rng.randrange(30, 180))
                when, end, phrase = f"{start:%Y-%m}", f"{stop:%Y-%m}", ""
                text_when = " for several months"
            else:  # dated by a citation: quoted without a date, or citation only (kind ≥ 0.95)
                day = FIRST_DAY + timedelta(days=rng.randrange(span_days))
                when, end, phrase = day.isoformat(), "", ""
                text_when = ""
            subject, others = names[who[0]], [names[x] for x in who[1:]]
            obj = " and ".join(others) or "local leaders"
            quote = f"{subject} {verb} {obj} in {place}{text_when} (item {i})."
            if kind < 0.95:
                sentences.append(quote)
                backs = "summary;date;place;actors" if phrase else "summary;place;actors"
                excerpts.append(
                    {"event_id": eid, "source_id": f"article-{a}", "quote": quote,
                     "dating_phrase": phrase, "supports": backs}
                )  # fmt: skip
            events.append(
                {
                    "id": eid,
                    "title": f"{subject} {verb} {obj}",
                    "summary": f"Generated event {i}: {subject} {verb} {obj} in {place}.",
                    "date": when,
                    "end_date": end,
                    "category": rng.choice(CATEGORIES)[0],
                    "status": rng.choice(STATUSES),
                    "place": place,
                    "date_note": "Span given by the article's 'several months'." if end else "",
                }
            )
            for j, actor in enumerate(who):
                role = "actor" if j == 0 else rng.choice(("target", "participant"))
                event_actors.append({"event_id": eid, "actor_id": actor, "role": role})
            if not phrase and not end:
                record = f"record-{rng.randrange(n_records)}"
                note = "" if kind < 0.95 else f"The record states it ({subject}, {place})."
                backs = "date" if kind < 0.95 else "summary;date;place;actors"
                citations.append(
                    {"event_id": eid, "source_id": record, "date": when, "note": note,
                     "supports": backs}
                )  # fmt: skip
            elif end:  # a period: a record gives its start, another its end
                for date_, backs in ((when, "date"), (end, "end_date")):
                    record = f"record-{rng.randrange(n_records)}"
                    citations.append(
                        {"event_id": eid, "source_id": record, "date": date_, "note": "",
                         "supports": backs}
                    )  # fmt: skip
        text_file = f"sources/article-{a}.txt"
        (out / text_file).write_text(" ".join(sentences) + "\n", encoding="utf-8")
        sources.append(_source(f"article-{a}", "article", published, f"Article {a}", text_file))

    header = ["id", "name", "description"]
    categories = [dict(zip(header, c, strict=True)) for c in CATEGORIES]
    _write(out / "categories.csv", header, categories)
    _write(out / "actors.csv", ["id", "name", "kind", "parent", "description"], actors)
    _write(
        out / "sources.csv",
        ["id", "kind", "title", "publisher", "published", "date_estimated", "estimate_earliest",
         "estimate_latest", "estimate_basis", "address", "text_file", "notes"],
        sources,
    )  # fmt: skip
    _write(
        out / "events.csv",
        ["id", "title", "summary", "date", "end_date", "category", "status", "place", "date_note"],
        events,
    )
    _write(out / "event_actors.csv", ["event_id", "actor_id", "role"], event_actors)
    _write(
        out / "excerpts.csv",
        ["event_id", "source_id", "quote", "dating_phrase", "supports"],
        excerpts,
    )
    _write(out / "citations.csv", ["event_id", "source_id", "date", "note", "supports"], citations)
    return out


def _source(
    sid: str, kind: str, published: date, title: str, text_file: str = ""
) -> dict[str, str]:
    return {
        "id": sid,
        "kind": kind,
        "title": title,
        "publisher": "Generated Press" if kind == "article" else "Generated Registry",
        "published": published.isoformat(),
        "date_estimated": "false",
        "estimate_earliest": "",
        "estimate_latest": "",
        "estimate_basis": "",
        "address": "" if kind == "article" else f"https://example.org/records/{sid}",
        "text_file": text_file,
        "notes": "",
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: ``generate.py N OUTDIR [--seed S]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of events")
    parser.add_argument("outdir", type=Path, help="directory to write (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    out = generate(args.n, args.outdir, args.seed)
    print(f"wrote {args.n} events to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
