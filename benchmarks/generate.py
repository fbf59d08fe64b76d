"""Synthetic but valid briefings for the scale benchmarks, deterministic from a seed.

    python -m benchmarks.generate --out benchmarks/out/gen --count 1000 --huge

writes ``brief-0000.toml`` … (20 sections, 200 assets, 200 actors, 100 quotes,
40 locations, 60 events each: about 250 KB, a long article turned into data)
into ``OUT/realistic/`` and one ``huge.toml`` (5,000 assets, the rest as
above) into ``OUT/``. The same seed always gives byte-identical files.

Every reference resolves, ``within`` and ``affiliation`` only point at earlier
entries (no loops), external facts name their source, and the files are as
faithful as ``briefing check --strict`` asks (no hedge word in the random text
for a status or role to drop, dates no more precise than their basis), every quote's text sits
in its section's paragraphs (so the reader sets it apart, as with real
briefings) and entity names recur in the text (so mentions are found). String
lengths follow the bundled Sparta briefing: names of 5–40 characters, statuses
of 20–80, evidence sentences of 60–200, paragraphs of 300–900, quotes of
80–400.

Only the standard library is used: the benchmarks must not depend on the code
they measure to produce their input.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Bumped whenever the output changes, so cached files are regenerated.
GENERATOR_VERSION = 2


@dataclass(frozen=True)
class Size:
    sections: int = 20
    assets: int = 200
    actors: int = 200
    quotes: int = 100
    locations: int = 40
    events: int = 60


REALISTIC = Size()
HUGE = Size(assets=5000)

ASSET_KINDS = [
    "aircraft",
    "helicopter",
    "air_defence",
    "ship",
    "submarine",
    "vehicle",
    "air_base",
    "naval_base",
    "installation",
    "diplomatic_mission",
    "troops",
    "equipment",
    "other",
]
ACTOR_KINDS = [
    "state",
    "government",
    "person",
    "armed_group",
    "military",
    "intelligence_agency",
    "think_tank",
    "company",
    "media",
    "international_organisation",
    "group",
]
LOCATION_KINDS = ["country", "region", "city", "base", "port", "sea_area", "site"]
PRECISIONS = ["exact", "inferred", "approximate"]

SYLLABLES = [
    "ka",
    "lo",
    "ver",
    "an",
    "tis",
    "mor",
    "del",
    "ra",
    "sun",
    "bel",
    "gor",
    "ia",
    "ne",
    "vas",
    "ko",
    "rin",
    "tal",
    "es",
    "um",
    "dar",
]
PHRASES = (
    "the ministry said forces were moving equipment toward the coast while analysts warned that "
    "the withdrawal could take weeks and satellite images showed aircraft on the tarmac near the "
    "port where officials confirmed a convoy of trucks had arrived overnight and a spokesman "
    "declined to comment on reports that the base would close before the end of the month as "
    "negotiations over access continued amid concern about supply lines shipping routes fuel "
    "shortages and the security of remaining personnel in the region according to people familiar "
    "with the matter who spoke on condition of anonymity because they were not authorised to brief",
)
# Without the hedge words `briefing check` looks for ("could", "about"): random
# sentences would put them in evidence and leave them out of statuses by chance,
# a warning no editor would write.
HEDGES = {"could", "about", "may", "might", "reportedly", "likely"}
WORDS = [word for phrase in PHRASES for word in phrase.split() if word not in HEDGES]
ASSET_NOUNS = [
    "cargo plane",
    "attack helicopter",
    "air defense unit",
    "frigate",
    "landing ship",
    "submarine",
    "armoured vehicle",
    "air base",
    "naval base",
    "radar station",
    "embassy",
    "battalion",
    "artillery battery",
    "supply depot",
    "tanker",
]
ACTOR_FORMS = [
    "Ministry of {}",
    "{} Armed Forces",
    "{} Shipping Company",
    "Institute for {} Studies",
    "{} Liberation Front",
    "{} Intelligence Service",
    "Republic of {}",
    "{} Daily",
    "General {}",
    "Colonel {}",
]
PLACE_FORMS = ["{}", "Port of {}", "{} air base", "{} Bay", "{} province", "the coast near {}"]
TITLE_WORDS = [
    "Withdrawal",
    "Logistics",
    "Setbacks",
    "Negotiations",
    "Implications",
    "Regional",
    "Supply",
    "Lines",
    "Strategy",
    "Convoy",
    "Imagery",
    "Diplomacy",
    "Future",
    "Security",
]


class Writer:
    """Just enough TOML: basic strings through JSON escaping (a JSON string is a TOML basic string)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    @staticmethod
    def value(value: object) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return repr(value)
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, list):
            return "[" + ", ".join(Writer.value(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{ " + ", ".join(f"{k} = {Writer.value(v)}" for k, v in value.items()) + " }"
        raise TypeError(type(value))

    def table(self, header: str, fields: dict[str, object]) -> None:
        self.lines.append("")
        self.lines.append(header)
        for key, value in fields.items():
            if value is None or value == []:
                continue
            if isinstance(value, list) and value and isinstance(value[0], str) and len(self.value(value)) > 100:
                # Long arrays of strings one per line, as people write them.
                self.lines.append(f"{key} = [")
                self.lines.extend(f"  {self.value(v)}," for v in value)
                self.lines.append("]")
            else:
                self.lines.append(f"{key} = {self.value(value)}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    # Strings

    def word(self) -> str:
        syllables = self.rng.randint(2, 4)
        return "".join(self.rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()

    def sentence(self, low: int, high: int, names: Sequence[str] = ()) -> str:
        target = self.rng.randint(low, high)
        words: list[str] = []
        length = 0
        while length < target:
            token = self.rng.choice(names) if names and self.rng.random() < 0.08 else self.rng.choice(WORDS)
            words.append(token)
            length += len(token) + 1
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, names: list[str]) -> str:
        target = self.rng.randint(300, 900)
        sentences: list[str] = []
        while sum(len(s) + 1 for s in sentences) < target:
            sentences.append(self.sentence(60, 200, names))
        return " ".join(sentences)

    def when(self, section_ids: list[str] | None = None) -> dict[str, object]:
        day = datetime.date(2024, 12, 1) + datetime.timedelta(days=self.rng.randint(0, 27))
        basis = self.rng.choice(["article", "external", "editor"])
        precision = self.rng.choice(PRECISIONS)
        when: dict[str, object] = {"date": day, "precision": precision, "basis": basis}
        if self.rng.random() < 0.3:
            when["until"] = day + datetime.timedelta(days=self.rng.randint(1, 3))
        if basis == "article":
            # What the article states, year included, is all it may say.
            when["stated"] = f"December {day.day}, {day.year}"
        elif self.rng.random() < 0.5:
            when["stated"] = self.rng.choice(["on Monday", "last week", f"December {day.day}", "overnight"])
            if precision == "exact" and when["stated"] != f"December {day.day}":
                when["precision"] = "inferred"
        if basis == "editor" and precision == "exact":
            when["precision"] = "approximate"
        if basis == "external":
            when["source"] = f"{self.word()} News, {day.isoformat()}"
        if basis == "editor" or self.rng.random() < 0.3:
            when["note"] = self.sentence(40, 120)
        return when

    def notes(self, chance: float) -> list[dict[str, object]]:
        notes: list[dict[str, object]] = []
        while self.rng.random() < chance and len(notes) < 3:
            note: dict[str, object] = {"text": self.sentence(50, 180)}
            if self.rng.random() < 0.5:
                note["basis"] = "external"
                note["source"] = f"{self.word()} Agency, 2024-12-{self.rng.randint(1, 28):02d}"
            else:
                note["basis"] = "editor"
            notes.append(note)
        return notes

    def grading(self) -> dict[str, object] | None:
        if self.rng.random() < 0.7:
            return None
        return {
            "reliability": self.rng.choice("ABCDEF"),
            "credibility": self.rng.randint(1, 6),
            "note": self.sentence(30, 90),
        }

    # The document

    def briefing(self, size: Size, number: int) -> str:
        rng = self.rng
        out = Writer()
        out.lines.append(f"# Synthetic briefing {number} (benchmarks/generate.py, generator v{GENERATOR_VERSION}).")
        out.lines.append("")
        out.lines.append("format = 1")

        # Entities first, in memory: the text must mention them and hold the quotes.
        actors = []
        for i in range(size.actors):
            name = rng.choice(ACTOR_FORMS).format(self.word() + (f" {self.word()}" if rng.random() < 0.3 else ""))
            aliases = []
            if rng.random() < 0.4:
                aliases.append("".join(part[0] for part in name.split() if part[0].isupper()) + self.word()[:2].upper())
            if rng.random() < 0.3:
                aliases.append(name.split()[-1])
            actors.append(
                {
                    "id": f"actor-{i:04d}",
                    "name": name,
                    "kind": rng.choice(ACTOR_KINDS),
                    "aliases": aliases,
                    "role": self.sentence(40, 110),
                    "affiliation": f"actor-{rng.randrange(i):04d}" if i and rng.random() < 0.4 else None,
                    "notes": self.notes(0.15),
                }
            )
        locations = []
        for i in range(size.locations):
            position = None
            if rng.random() < 0.8:
                basis = rng.choice(["external", "editor"])
                position = {
                    "lat": round(rng.uniform(-60, 70), 2),
                    "lon": round(rng.uniform(-170, 170), 2),
                    "precision": "approximate",
                    "basis": basis,
                    "uncertainty_km": rng.choice([2, 10, 50, 250]),
                }
                if basis == "external":
                    position["source"] = f"Public reporting: {self.word()} gazetteer"
                else:
                    position["note"] = "Approximate centre, to place it on a map."
            locations.append(
                {
                    "id": f"loc-{i:03d}",
                    "name": rng.choice(PLACE_FORMS).format(self.word()),
                    "kind": rng.choice(LOCATION_KINDS),
                    "aliases": [self.word()] if rng.random() < 0.2 else [],
                    "within": f"loc-{rng.randrange(i):03d}" if i and rng.random() < 0.5 else None,
                    "near": f"loc-{rng.randrange(i):03d}" if i and rng.random() < 0.1 else None,
                    "position": position,
                    "notes": self.notes(0.1),
                }
            )
        section_ids = [f"section-{i:02d}" for i in range(size.sections)]
        body_ids = section_ids[2:] or section_ids
        events = []
        for i in range(size.events):
            events.append(
                {
                    "id": f"event-{i:03d}",
                    "what": self.sentence(60, 200),
                    "where": rng.choice(locations)["id"] if rng.random() < 0.7 else None,
                    "actors": sorted({rng.choice(actors)["id"] for _ in range(rng.randint(1, 3))}),
                    "reported_by": sorted({rng.choice(actors)["id"] for _ in range(rng.randint(0, 2))}),
                    "section": rng.choice(body_ids),
                    "grading": self.grading(),
                    "when": self.when(),
                    "notes": self.notes(0.1),
                }
            )
        quotes = []
        for i in range(size.quotes):
            quotes.append(
                {
                    "id": f"quote-{i:03d}",
                    "speaker": rng.choice(actors)["id"],
                    "text": self.sentence(80, 400),
                    "section": rng.choice(body_ids),
                    "context": f"{self.word()} officials said" if rng.random() < 0.7 else None,
                    "grading": self.grading(),
                    "when": self.when() if rng.random() < 0.6 else None,
                    "notes": self.notes(0.1),
                }
            )
        assets = []
        for i in range(size.assets):
            noun = rng.choice(ASSET_NOUNS)
            name = f"{self.word()} {noun}"
            reported_by = (
                sorted({rng.choice(actors)["id"] for _ in range(rng.randint(1, 2))}) if rng.random() < 0.6 else []
            )
            count = None
            if rng.random() < 0.5:
                value = rng.choice([1, 2, 3, 4, 12, 40, 300, 7500])
                count = {"value": value, "precision": rng.choice(PRECISIONS), "stated": f"some {value}"}
            assets.append(
                {
                    "id": f"asset-{i:05d}",
                    "name": name,
                    "kind": rng.choice(ASSET_KINDS),
                    "aliases": [noun] if rng.random() < 0.3 else [],
                    "count": count,
                    "status": self.sentence(20, 80)[:-1] if rng.random() < 0.7 else None,
                    "location": rng.choice(locations)["id"] if rng.random() < 0.8 else None,
                    "owner": rng.choice(actors)["id"] if rng.random() < 0.8 else None,
                    "reported_by": reported_by,
                    "reported_in": [rng.choice(events)["id"]] if reported_by and rng.random() < 0.7 else [],
                    "evidence": [self.sentence(60, 200) for _ in range(rng.randint(1, 3))],
                    "grading": self.grading(),
                    "notes": self.notes(0.2),
                }
            )

        names = [a["name"] for a in actors[:60]] + [a["name"] for a in assets[:60]]
        names += [loc["name"] for loc in locations]
        paragraphs: dict[str, list[str]] = {
            sid: [self.paragraph(names) for _ in range(rng.randint(2, 5))] for sid in body_ids
        }
        for quote in quotes:
            speaker = next(a for a in actors if a["id"] == quote["speaker"])
            paragraphs[quote["section"]].append(
                f"{self.sentence(40, 120, names)} “{quote['text']}” {speaker['name']} said."
            )

        # Meta
        meta: dict[str, object] = {
            "headline": f"{self.word()} Forces Pull Out As Convoy Stalls Near {self.word()} Coast",
        }
        if number % 2:
            meta["publication"] = f"The {self.word()} Post"
            meta["author"] = f"{self.word()} {self.word()}"
            meta["published"] = datetime.date(2024, 12, rng.randint(1, 28))
            meta["url"] = f"https://news.example/{number}/{self.word().lower()}"
        else:
            meta["unstated"] = ["publication", "author", "published", "url"]
        meta["language"] = "en"
        meta["tags"] = [self.word().lower() for _ in range(6)]
        out.table("[meta]", meta)
        for note in self.notes(0.9) + self.notes(0.9):
            out.table("[[meta.caveats]]", note)

        out.lines.append("\n# ---------------------------------------------------------------- sections")
        for number_, sid in enumerate(section_ids):
            if number_ == 0:
                out.table("[[sections]]", {"id": sid, "kind": "lede", "paragraphs": [self.paragraph(names)]})
            elif number_ == 1 and size.sections > 2:
                bullets = [self.sentence(50, 140, names)[:-1] for _ in range(6)]
                out.table("[[sections]]", {"id": sid, "kind": "glance", "title": "At a Glance", "bullets": bullets})
            else:
                title = " ".join(rng.sample(TITLE_WORDS, rng.randint(2, 5)))
                out.table("[[sections]]", {"id": sid, "kind": "body", "title": title, "paragraphs": paragraphs[sid]})

        def entity(collection: str, item: dict[str, object], sub: tuple[str, ...] = ("when",)) -> None:
            fields = {k: v for k, v in item.items() if k not in ("notes", *sub)}
            out.table(f"[[{collection}]]", fields)
            for key in sub:
                if item.get(key):
                    out.table(f"[{collection}.{key}]", item[key])  # type: ignore[arg-type]
            for note in item.get("notes") or []:  # type: ignore[union-attr]
                out.table(f"[[{collection}.notes]]", note)

        tables = (("assets", assets, ()), ("actors", actors, ()), ("quotes", quotes, ("when",)))
        tables += (("locations", locations, ()), ("events", events, ("when",)))
        for collection, items, sub in tables:
            out.lines.append(f"\n# {' ' + collection:->73}")
            for item in items:
                entity(collection, item, sub)
        return out.text()


def write_set(out: Path, count: int, *, huge: bool, seed: int = 2024) -> tuple[list[Path], Path | None]:
    """Write ``count`` realistic briefings (and the huge one) into ``out``.

    File ``i`` depends only on the seed, ``i`` and the generator version, so files
    left by an earlier run with the same seed and version are reused (a quick
    run's 50 files are the first 50 of a full run's 1,000).
    """
    realistic_dir = out / "realistic"
    manifest_path = out / "manifest.json"
    try:
        previous = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        previous = {}
    reuse = previous.get("version") == GENERATOR_VERSION and previous.get("seed") == seed
    if not reuse:
        for stale in [*realistic_dir.glob("brief-*.toml"), out / "huge.toml"]:
            stale.unlink(missing_ok=True)
    realistic_dir.mkdir(parents=True, exist_ok=True)
    files = [realistic_dir / f"brief-{i:04d}.toml" for i in range(count)]
    for i, path in enumerate(files):
        if not path.is_file():
            path.write_text(Generator(seed * 100_000 + i).briefing(REALISTIC, i), encoding="utf-8")
    huge_path = out / "huge.toml" if huge else None
    if huge_path is not None and not huge_path.is_file():
        huge_path.write_text(Generator(seed - 1).briefing(HUGE, 99_999), encoding="utf-8")
    manifest_path.write_text(json.dumps({"version": GENERATOR_VERSION, "seed": seed}))
    return files, huge_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/gen"))
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--huge", action="store_true", help="also write huge.toml (5,000 assets)")
    parser.add_argument("--seed", type=int, default=2024)
    options = parser.parse_args(argv)
    files, huge = write_set(options.out, options.count, huge=options.huge, seed=options.seed)
    total = sum(f.stat().st_size for f in files)
    print(f"{len(files)} briefings in {options.out / 'realistic'} ({total / len(files) / 1024:.0f} KB each)")
    if huge is not None:
        print(f"{huge} ({huge.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
