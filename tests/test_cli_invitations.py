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
    assert capsys.readouterr().out.strip() == "Inget blev aktuellt"
    due = ["invitations", "send", "--db", demo_url, "--now", "2026-11-25 00:30"]
    assert main(due) == 0
    assert capsys.readouterr().out.strip() == "1 kallelse skickad till 1177: Sara Lund"
    assert main(due) == 0
    assert capsys.readouterr().out.strip() == "Inget blev aktuellt"


def test_send_command_needs_its_action(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["invitations"])
    assert usage.value.code == 2


def test_troubleshoot_command_prints_the_report_for_each_ok_watch(
    demo_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The demo's Emma Berg has the rejected combination: the general Nybesök, not ÖKNY.
    assert (
        main(["troubleshoot", "19850101-2382", "--db", demo_url, "--now", "2026-11-22 10:06"]) == 0
    )
    report = capsys.readouterr().out
    assert report.startswith("Felsökning, bevakning ")
    assert "Emma Berg (19850101-2382)" in report
    assert "[FEL    ] Samma aktivitet" in report and "SP 270" in report
    assert main(["troubleshoot", "19850101-2383", "--db", demo_url]) == 2
    assert "kontrollsiffran" in capsys.readouterr().err
