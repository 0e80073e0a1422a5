"""`pasis invitations send`: the server's timer sends what became due, once."""

from __future__ import annotations

import pytest

from pasis_tui.cli import main


def test_send_command_sends_due_invitations_once(
    demo_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The demo's Sara Lund has Skicka till 1177 three days after the demo clock.
    early = ["invitations", "send", "--db", demo_url, "--now", "2026-11-24 23:00"]
    assert main(early) == 0
    assert capsys.readouterr().out.strip() == "Inga kallelser att skicka"
    due = ["invitations", "send", "--db", demo_url, "--now", "2026-11-25 00:30"]
    assert main(due) == 0
    assert capsys.readouterr().out.strip() == "1 kallelser skickade till 1177: Sara Lund"
    assert main(due) == 0
    assert capsys.readouterr().out.strip() == "Inga kallelser att skicka"


def test_send_command_needs_its_action(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["invitations"])
    assert usage.value.code == 2
