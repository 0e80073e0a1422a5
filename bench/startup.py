"""Start-up to a *usable* screen (headless) against a bare Textual app's first paint.

    python bench/startup.py [--runs 7]

Wall time from spawning the process: for the bare app its first paint; for Pasis the menu's
first paint, the menu usable (database open, painted again), and `pasis --screen 272` usable
with HAN's month read and drawn. Median and min–max of --runs runs, all in the same run.
Target (issue #7): usable ≤ 3× the bare app's first paint. Screen opens: bench/screens.py.
"""

from __future__ import annotations

import argparse
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
from pasis_tui import startup_gc
startup_gc.pause()  # as `pasis` does
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
         unit_code="KIR", prebuild=True).run(headless=True)
"""

#: `pasis --screen 272` in REUM: usable once HAN's month is read and painted.
SP272_APP = """
import sys
from pasis_tui import startup_gc
startup_gc.pause()  # as `pasis` does
from pasis_tui.app import PasisApp
from pasis_tui.core.clock import FixedClock, parse_now

def say(word):
    sys.__stdout__.write(word + "\\n")
    sys.__stdout__.flush()

class Measured(PasisApp):
    def _database_ready(self, ctx):
        super()._database_ready(ctx)
        self.set_interval(0.005, self._poll)
        self.phase = "open"

    def _poll(self):
        screen = self.screen
        if self.phase == "open" and screen.id == "bild_272" and screen._ready:
            screen.query_one("#vardgivare").value = "HAN"
            screen.query_one("#from_datum").value = "2026-11-23"
            screen.action_read()
            self.phase = "read"
        elif self.phase == "read" and not self.db_work.busy and screen.view is not None:
            self.phase = "done"
            screen.call_after_refresh(lambda: say("USABLE"))

Measured(database_url=sys.argv[1], user="VIS", clock=FixedClock(parse_now("2026-11-22 10:06")),
         unit_code="REUM", start_screen="272", prebuild=True).run(headless=True)
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


def _spread(values: list[float], bare: float) -> str:
    median = statistics.median(values)
    return (
        f"{median * 1000:6.0f} ms ({min(values) * 1000:.0f}–{max(values) * 1000:.0f})"
        f"   {median / bare:.1f}× bare"
    )


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
        bare, painted, db_ready, sp272 = [], [], [], []
        for _ in range(args.runs):
            bare.append(time_process(BARE_APP, until=("PAINTED",))["PAINTED"])
            seen = time_process(PASIS_APP, url, until=("PAINTED", "DBREADY"))
            painted.append(seen["PAINTED"])
            db_ready.append(seen["DBREADY"])
            sp272.append(time_process(SP272_APP, url, until=("USABLE",))["USABLE"])
        bare_median = statistics.median(bare)
        print(f"start-up, median (min–max) of {args.runs} runs, spawn → …, headless:")
        print(f"  bare Textual app, first paint      {_spread(bare, bare_median)}")
        print(f"  pasis menu, first paint            {_spread(painted, bare_median)}")
        print(f"  pasis menu usable (database open)  {_spread(db_ready, bare_median)}")
        print(f"  pasis --screen 272, HAN's month    {_spread(sp272, bare_median)}")
        worst = max(statistics.median(db_ready), statistics.median(sp272)) / bare_median
        print(f"  target: usable ≤ 3× bare — {'ok' if worst <= 3 else 'OVER'} ({worst:.1f}×)")


if __name__ == "__main__":
    main()
