"""One core call off the UI thread for a dialog (a ModalScreen, which has no `run_db`).

As `PasisScreen.run_db`: the app's `db_work` tracker counts the call until its result is shown,
a `PasisError`'s message goes to `refused`, any other error is logged and described in Swedish,
never shown as a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.screen import ModalScreen

from pasis_tui.core.errors import PasisError

if TYPE_CHECKING:
    from pasis_tui.core.context import WorkContext
    from screens.base import PasisHost

log = logging.getLogger(__name__)
T = TypeVar("T")


def run_in_dialog(
    dialog: ModalScreen[Any],
    work: Callable[[WorkContext], T],
    *,
    done: Callable[[T], None],
    refused: Callable[[str], None],
    failed: str,
    group: str,
) -> None:
    """Run `work(ctx)` in a thread; `done(result)` or `refused(message)` on the UI thread.

    `failed` is the message for an unexpected error, with `{kind}` for the error's type. The
    callbacks must not return an awaitable: this worker belongs to the dialog they may close.
    """
    host = cast("PasisHost", dialog.app)
    ctx = host.ctx
    if ctx is None:
        return
    tracker = host.db_work
    tracker.begin()
    app = dialog.app

    def job() -> None:
        try:
            result = work(ctx)
        except PasisError as error:
            app.call_from_thread(refused, error.message)
        except Exception as error:  # never a traceback in front of a user
            log.exception("%s failed", group)
            app.call_from_thread(refused, failed.format(kind=type(error).__name__))
        else:
            app.call_from_thread(done, result)
        finally:
            app.call_from_thread(tracker.end)

    dialog.run_worker(job, thread=True, group=group, exclusive=True, exit_on_error=False)
