"""Python's cyclic garbage collector during start-up, and after it.

Start-up creates some hundred thousand objects (SQLAlchemy, pydantic, the models, Textual,
the screens) and frees almost none of them, yet the collector walks them again and again as
they are made: about a tenth of the time to a usable menu (bench/startup.py). `pasis` pauses the
collector from its first line until the database is open (`PasisApp` resumes it), and once the
screens are built at idle it freezes what lives for the whole run out of later collections, so
that a collection while the user works walks only what was made since.
"""

from __future__ import annotations

import gc


def pause() -> None:
    """No cyclic collection until `resume()`: called first thing by `pasis`."""
    gc.disable()


def resume() -> None:
    """Collect again, leaving out what start-up made: the first collection after the pause
    would walk all of it at once (0.1 s on the UI thread, measured), and nearly all of it lives
    as long as the app."""
    if not gc.isenabled():  # else nobody paused it (tests, a library user): leave it be
        gc.freeze()
        gc.enable()


def freeze_long_lived() -> None:
    """Collect once what was made since `resume()`, then keep every object alive now out of
    later collections (at idle)."""
    gc.collect()
    gc.freeze()
