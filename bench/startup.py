"""Start-up to an idle main menu (headless) against a bare Textual app, and screen open times.

    python bench/startup.py [--runs 7]

Start-up is the wall time from spawning the process to the first paint of the first screen
(after that the app answers keys), median of --runs runs; for Pasis also the time until the
database is open. Screen open: each built screen opened on demo data, first time (imports its
module, composes, loads its data) and again (kept alive), median of 5. Targets (issue #2):
start-up ≤ 1.5× the bare app, each screen < 150 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE_APP = """
import sys
from textual.app import App
from textual.screen import Screen
from textual.widgets import Footer, Static

class One(Screen):
    def compose(self):
        yield Static("Hej")
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(lambda: (sys.__stdout__.write("PAINTED\\n"),
                                         sys.__stdout__.flush()))

class Bare(App):
    def get_default_screen(self):
        return One()

Bare().run(headless=True)
"""

PASIS_APP = """
import sys
from pasis_tui.app import MENU_ENTRY, PasisApp
from pasis_tui.core.clock import FixedClock, parse_now
from screens.meny import MenuScreen

def say(word):
    sys.__stdout__.write(word + "\\n")
    sys.__stdout__.flush()

class MeasuredMenu(MenuScreen):
    def on_mount(self):
        self.call_after_refresh(lambda: say("PAINTED"))

class Measured(PasisApp):
    def get_default_screen(self):
        return MeasuredMenu(MENU_ENTRY)
    def _database_ready(self, ctx):
        super()._database_ready(ctx)
        say("DBREADY")

Measured(database_url=sys.argv[1], user="VIS", clock=FixedClock(parse_now("2026-11-22 10:06")),
         unit_code="KIR").run(headless=True)
"""


def time_process(code: str, *args: str, until: tuple[str, ...]) -> dict[str, float]:
    """Seconds from spawn to each marker line the child prints."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    seen: dict[str, float] = {}
    assert child.stdout is not None
    try:
        for line in child.stdout:
            word = line.strip()
            if word in until:
                seen[word] = time.perf_counter() - start
            if all(marker in seen for marker in until):
                break
    finally:
        child.kill()
        child.wait()
    return seen


async def _painted(app: object) -> None:
    painted = asyncio.Event()
    app.screen.call_after_refresh(painted.set)  # type: ignore[attr-defined]
    await painted.wait()


async def _open_and_paint(app: object, entry: object) -> float:
    """Seconds from asking for a screen until it is painted with its data loaded."""
    began = time.perf_counter()
    app.open_entry(entry)  # type: ignore[attr-defined]
    await _painted(app)
    await app.workers.wait_for_complete()  # type: ignore[attr-defined]
    await _painted(app)
    return time.perf_counter() - began


async def screen_open_times(url: str) -> dict[str, tuple[float, float]]:
    from pasis_tui.app import PasisApp
    from pasis_tui.core.clock import FixedClock, parse_now
    from screens import SCREENS

    clock = FixedClock(parse_now("2026-11-22 10:06"))
    app = PasisApp(database_url=url, user="VIS", clock=clock, unit_code="KIR")
    results: dict[str, tuple[float, float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        while app.db_state == "opening":
            await pilot.pause(0.01)
        await app.workers.wait_for_complete()
        for entry in SCREENS:
            if not entry.built:
                continue
            times = []
            for _ in range(6):
                times.append(await _open_and_paint(app, entry))
                await app.pop_screen()
                await pilot.pause()
            results[entry.label + " " + entry.name] = (times[0], statistics.median(times[1:]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    from pasis_tui.core.clock import FixedClock, parse_now
    from pasis_tui.core.db import make_engine
    from pasis_tui.core.demo import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        engine = make_engine(url)
        build_demo(engine, clock=FixedClock(parse_now("2026-11-22 10:06")))
        engine.dispose()

        time_process(BARE_APP, until=("PAINTED",))  # warm the file cache once
        bare, painted, db_ready = [], [], []
        for _ in range(args.runs):
            bare.append(time_process(BARE_APP, until=("PAINTED",))["PAINTED"])
            seen = time_process(PASIS_APP, url, until=("PAINTED", "DBREADY"))
            painted.append(seen["PAINTED"])
            db_ready.append(seen["DBREADY"])
        bare_median = statistics.median(bare)
        pasis_median = statistics.median(painted)
        print(f"start-up, median of {args.runs} (spawn → first paint, headless):")
        print(f"  bare Textual app, one screen : {bare_median * 1000:7.0f} ms")
        print(
            f"  pasis main menu              : {pasis_median * 1000:7.0f} ms"
            f"   ratio {pasis_median / bare_median:.2f}× (target ≤ 1.5×)"
        )
        print(f"  pasis database open (after)  : {statistics.median(db_ready) * 1000:7.0f} ms")

        print("screen open on demo data (first time / kept alive, median of 5):")
        for name, (first, again) in asyncio.run(screen_open_times(url)).items():
            flag = "ok" if again < 0.150 else "SLOW"
            print(f"  {name:45s} {first * 1000:6.0f} ms / {again * 1000:5.0f} ms  {flag}")


if __name__ == "__main__":
    main()
