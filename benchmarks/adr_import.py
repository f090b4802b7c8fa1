"""ADR import: reading 2,000 generated ADR files (Nygard, MADR 2, MADR 4 and log4brains, in
subfolders) against just reading the same files' bytes, same interpreter, same run.

The baseline is the floor any importer pays (walking the tree and reading every byte); the
ratio says what parsing costs on top. Run with `make bench`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from quarterdeck.ingest.adr import read_adr_directory

FILES = 2_000
RUNS = 3

BODY = """The checkout team wants to {verb} because the current setup makes releases slow.
Two incidents last quarter traced back to it, and on-call load keeps growing.

- it affects {count} services
- finance asked for a cost estimate first
"""


def nygard(number: int) -> tuple[str, str]:
    status = "Accepted" if number % 3 else "Proposed"
    if number % 7:
        status += f"\n\nSupercedes [{number - 1}. Earlier]({number - 1:04d}-earlier.md)"
    text = (
        f"# {number}. Adopt option {number} for the orders service\n\n"
        f"Date: 2021-03-{number % 28 + 1:02d}\n\n## Status\n\n{status}\n\n"
        f"## Context\n\n{BODY.format(verb='split the monolith', count=number % 40)}\n"
        "## Decision\n\nWe extract the service behind the gateway.\n\n"
        "## Consequences\n\nOne more deployment pipeline to keep green.\n"
    )
    return f"{number:04d}-adopt-option-{number}.md", text


def madr2(number: int) -> tuple[str, str]:
    text = (
        f"# Choose a database for report {number}\n\n* Status: accepted\n"
        f"* Deciders: Ana Lima, Jonas Becker\n* Date: 27/11/2020\n\n"
        f"## Context and Problem Statement\n\n{BODY.format(verb='move reports', count=3)}\n"
        "## Considered Options\n\n* PostgreSQL\n* MySQL\n\n"
        '## Decision Outcome\n\nChosen option: "PostgreSQL", because of window functions.\n\n'
        "### Positive Consequences\n\n* Reports get simpler.\n\n"
        "## Pros and Cons of the Options\n\n### PostgreSQL\n\n* Good, because window functions\n"
        "* Bad, because a second engine\n\n### MySQL\n\n* Good, because we run it already\n"
    )
    return f"{number}-choose-a-database-{number}.md", text


def madr4(number: int) -> tuple[str, str]:
    text = (
        "---\nstatus: accepted\ndate: 2023-02-14\ndecision-makers: [Dana Whitfield, Olu Adeyemi]\n"
        "consulted: Staff engineers\ninformed: Product leadership\ntags: [reliability]\n---\n\n"
        f"# Use feature flags for release {number}\n\n"
        f"## Context and Problem Statement\n\n{BODY.format(verb='ship dark', count=5)}\n"
        "## Considered Options\n\n* Hosted flags\n* Own flags\n\n"
        '## Decision Outcome\n\nChosen option: "Hosted flags".\n\n'
        "### Consequences\n\n* Good, because gradual roll-outs\n* Bad, because a vendor\n\n"
        "### Confirmation\n\nA build check fails on flags older than ninety days.\n\n"
        "## Pros and Cons of the Options\n\n### Hosted flags\n\n* Good, because audit logs\n"
        "* Neutral, because pricing per seat\n* Bad, because a vendor\n"
    )
    return f"{number:04d}-use-feature-flags-{number}.md", text


def log4brains(number: int) -> tuple[str, str]:
    text = (
        f"# Cache product pages at the edge, part {number}\n\n- Status: accepted\n"
        f"- Deciders: Mei Chen\n- Date: 2021-05-12\n- Tags: performance, cost\n\n"
        f"## Context and Problem Statement\n\n{BODY.format(verb='cut egress', count=2)}\n"
        "## Decision Outcome\n\nChosen option: cache at the CDN for five minutes.\n"
    )
    return f"2021{number % 12 + 1:02d}{number % 28 + 1:02d}-cache-part-{number}.md", text


def generate(root: Path) -> None:
    makers = (nygard, madr2, madr4, log4brains)
    for number in range(1, FILES + 1):
        name, text = makers[number % len(makers)](number)
        folder = root / f"team-{number % 10}"
        folder.mkdir(exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def read_bytes(root: Path) -> int:
    total = 0
    for folder, _, names in os.walk(root):
        for name in names:
            total += len(Path(folder, name).read_bytes())
    return total


def median_seconds(action: Callable[[], object]) -> float:
    action()  # unmeasured: warms the page cache and the imports
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        generate(root)
        result = read_adr_directory(root)
        if len(result.records) != FILES or result.failures:
            print(f"expected {FILES} records, got {len(result.records)}: {result.failures[:3]}")
            return 1
        baseline = median_seconds(lambda: read_bytes(root))
        imported = median_seconds(lambda: read_adr_directory(root))
    print(f"ADR import of {FILES} generated files, median of {RUNS} runs ({sys.executable})")
    print(f"  read every file's bytes (baseline)   {baseline * 1000:8.1f} ms")
    print(
        f"  read_adr_directory                   {imported * 1000:8.1f} ms"
        f"  ({FILES / imported:,.0f} files/s)"
    )
    print(f"  ratio import / baseline: {imported / baseline:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
