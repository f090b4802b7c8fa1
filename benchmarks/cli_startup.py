"""CLI startup: `quarterdeck --help` against a bare interpreter start, same interpreter.

Every command pays this cost before doing anything, so the CLI must import lazily.
Aim: `quarterdeck --help` under 3x `python -c pass`. Run with `make bench`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 15
AIM = 3.0
BIN = Path(sys.executable).parent


def median_seconds(command: list[str]) -> float:
    # One unmeasured run first, so every measured run finds the bytecode cache warm.
    subprocess.run(command, check=True, capture_output=True)
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    cli = BIN / "quarterdeck"
    if not cli.exists():
        print(f"{cli} not found; run `make bench` (it installs the package first)")
        return 1
    python = sys.executable
    bare = median_seconds([python, "-c", "pass"])
    framework = median_seconds([python, "-c", "import typer"])
    app_import = median_seconds([python, "-c", "import quarterdeck.cli.app"])
    help_ = median_seconds([str(cli), "--help"])
    ratio = help_ / bare

    print(f"CLI startup, median of {RUNS} runs ({python})")
    print(f"  python -c pass                           {bare * 1000:8.1f} ms")
    print(f'  python -c "import typer"                 {framework * 1000:8.1f} ms  (the floor)')
    print(f'  python -c "import quarterdeck.cli.app"   {app_import * 1000:8.1f} ms')
    print(f"  quarterdeck --help                       {help_ * 1000:8.1f} ms")
    verdict = "within" if ratio < AIM else "OVER"
    print(f"  ratio quarterdeck --help / python -c pass: {ratio:.2f}x ({verdict} the {AIM:g}x aim)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
