"""The demo's watches: every type and state, a rejected combination, no account, paper mail."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import select

from pasis_tui.core import models
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session
from pasis_tui.core.offers import offers_for_watch
from pasis_tui.core.watches import read_watch


def test_demo_has_every_type_and_state(demo_engine: Engine, clock: FixedClock) -> None:
    with open_session(demo_engine, user="VIS", clock=clock) as session:
        rows = session.exec(
            select(models.Watch, models.Patient).join(models.Patient).order_by(models.Watch.id)
        ).all()
        seen: dict[str, tuple[str, str, int, str]] = {}
        for watch, patient in rows:
            assert watch.id is not None
            view = read_watch(session=session, clock=clock, watch_id=watch.id)
            offers = offers_for_watch(session=session, clock=clock, watch_id=watch.id)
            blocking = offers.blocking.condition if offers.blocking else ""
            seen.setdefault(  # a name's first watch: the demo's own, before follow-up's
                patient.first_name,
                (view.form.watch_type, view.state.split(" (")[0], len(offers.offered), blocking),
            )
    assert {t for t, *_ in seen.values()} == {"ÖK", "V", "ÅB", "R"}
    assert {s for _, s, *_ in seen.values()} >= {
        "Sparad",
        "Skickad till 1177",
        "Bokad",
        "Avbokad",
        "Borttagen",
        "Boka t o m passerat",
    }
    karin = seen["Karin"]
    assert karin[:2] == ("ÖK", "Skickad till 1177") and karin[2] > 20  # bookable in 1177
    assert seen["Emma"][2:] == (0, "activity")  # the rejected combination
    assert seen["Gustav"][1] == "Skickad till 1177" and seen["Agda"][1] == "Skickad till 1177"
    with open_session(demo_engine, user="VIS", clock=clock) as session:
        gustav = session.exec(select(models.Patient).where(models.Patient.first_name == "Gustav"))
        agda = session.exec(select(models.Patient).where(models.Patient.first_name == "Agda"))
        assert not gustav.one().has_1177_account
        assert not agda.one().digital_mail
