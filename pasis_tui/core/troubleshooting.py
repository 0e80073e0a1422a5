"""Felsökning (seed 12 made a feature): "why can't the patient see any times?" for one watch.

Every check of the seed and of the offered-slot rule, in order, says OK, FEL or VARNING, how many
candidate slots it removes, and what to change on which screen. The report is the same text on
SP 090, SP 191 and `pasis felsok`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.clock import Clock, from_utc_naive
from pasis_tui.core.context import WorkContext
from pasis_tui.core.errors import PasisError
from pasis_tui.core.hsa import mapped_name
from pasis_tui.core.ids import format_personnummer, normalize_personnummer
from pasis_tui.core.offers import OfferResult, offers_for_watch

OK, FAIL, WARNING = "OK", "FEL", "VARNING"
NO_WATCHES = "Patienten {pnr} har ingen bevakning av typ ÖK"
PATIENT_UNKNOWN = "Okänd patient: {pnr}"

#: What to change, and where, when a condition of the offered-slot rule removes candidates.
FIXES = {
    "watch": "Fyll i Mott, Vg, Aktivitet och Besökets längd i SP 090 (en avslutad bevakning "
    "erbjuder inga tider)",
    "window": "Lägg och publicera schema för vårdgivaren i SP 272 inom Boka fr o m – t o m, "
    "eller ändra perioden i SP 090; Sökbara schemaveckor i SP 177",
    "future": "Tiderna har passerat: lägg nya tider i SP 272",
    "activity": "Välj samma Aktivitet i SP 090 som på dagmallens rad (SP 270) i schemat",
    "visit_length": "Besökets längd i SP 090 ska vara dagmallsradens Besökslängd (SP 270)",
    "level": "Sätt 1177-nivå 3 – ombokningsbar på dagmallens rad (SP 270), publicera och "
    "lägg schemat på nytt (SP 272)",
    "activity_type": "Aktiviteten ska vara Bokningsbar tid, Grupptid eller Telefontid "
    "(SP 270 Aktivitet)",
    "free": "Alla tider är bokade: lägg fler tider i SP 272",
    "hsa": "Mappa mottagningen till ett HSA-id för dagarna i SP 721 flik 4",
    "sent": "Kallelsen skickas vid Skicka till 1177 (SP 090); Borttag återkallar den",
}
LABELS = {
    "watch": "Bevakningen",
    "window": "Tider i perioden",
    "future": "Framåt i tiden",
    "activity": "Samma aktivitet",
    "visit_length": "Samma besökslängd",
    "level": "1177-nivå 3",
    "activity_type": "Bokningsbar aktivitetstyp",
    "free": "Ledig plats",
    "hsa": "HSA-mappning på tidernas dagar",
    "sent": "Kallelsen skickad",
}


@dataclass(frozen=True)
class Finding:
    """One check: its verdict, the candidates it removes (None: not a slot condition)."""

    check: str
    verdict: str
    text: str
    removed: int | None = None
    fix: str = ""

    @property
    def line(self) -> str:
        removed = f" (−{self.removed})" if self.removed else ""
        fix = f"\n        → {self.fix}" if self.fix and self.verdict != OK else ""
        return f"[{self.verdict:<7}] {self.check}{removed}: {self.text}{fix}"


@dataclass(frozen=True)
class Report:
    watch_id: int
    heading: str
    offered: int
    findings: tuple[Finding, ...]

    @property
    def problems(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.verdict != OK)

    @property
    def summary(self) -> str:
        if self.offered:
            noun = "tid" if self.offered == 1 else "tider"
            return f"Patienten erbjuds {self.offered} {noun} i 1177."
        first = next((f for f in self.findings if f.verdict == FAIL), None)
        return "Patienten erbjuds inga tider" + (f": {first.check}." if first else ".")

    @property
    def text(self) -> str:
        lines = [self.heading, self.summary, ""]
        lines += [finding.line for finding in self.findings]
        return "\n".join(lines)


def troubleshoot(*, session: Session, clock: Clock, watch_id: int) -> Report:
    """Felsökning for one watch: the offered-slot rule's funnel and the seed's other checks."""
    watch = session.get(models.Watch, watch_id)
    if watch is None:
        raise PasisError("Bevakningen finns inte", field="watch")
    patient = session.get(models.Patient, watch.patient_id)
    assert patient is not None
    offers = offers_for_watch(session=session, clock=clock, watch_id=watch_id)
    findings = [*_rule_findings(offers), *_seed_findings(session, clock, watch, patient)]
    heading = (
        f"Felsökning, bevakning {watch_id}: {patient.first_name} {patient.last_name} "
        f"({format_personnummer(patient.personnummer)}), typ {watch.watch_type}"
        f"{_describe(session, watch)}, {clock.now():%Y-%m-%d %H:%M}"
    )
    return Report(
        watch_id=watch_id, heading=heading, offered=len(offers.offered), findings=tuple(findings)
    )


def troubleshoot_patient(*, session: Session, clock: Clock, personnummer: str) -> list[Report]:
    """Felsökning for each of a patient's ÖK watches, newest first (`pasis felsok`)."""
    number = normalize_personnummer(personnummer, today=clock.now().date())
    patient = session.exec(
        select(models.Patient).where(models.Patient.personnummer == number)
    ).first()
    shown = format_personnummer(number)
    if patient is None:
        raise PasisError(PATIENT_UNKNOWN.format(pnr=shown), field="personnummer")
    watch_ids = session.exec(
        select(models.Watch.id)
        .where(
            models.Watch.patient_id == patient.id,
            models.Watch.watch_type == models.WatchType.OPEN_INVITATION,
        )
        .order_by(col(models.Watch.id).desc())
    ).all()
    if not watch_ids:
        raise PasisError(NO_WATCHES.format(pnr=shown), field="personnummer")
    return [troubleshoot(session=session, clock=clock, watch_id=i) for i in watch_ids if i]


def _describe(session: Session, watch: models.Watch) -> str:
    clinic = session.get(models.Clinic, watch.clinic_id) if watch.clinic_id else None
    caregiver = session.get(models.Caregiver, watch.caregiver_id) if watch.caregiver_id else None
    activity = session.get(models.Activity, watch.activity_id) if watch.activity_id else None
    parts = [
        f"{clinic.code if clinic else '?'}/{caregiver.signature if caregiver else '?'}",
        activity.code if activity else "",
        f"{watch.visit_length_min} min" if watch.visit_length_min else "",
    ]
    return " " + " ".join(p for p in parts if p)


def _rule_findings(offers: OfferResult) -> list[Finding]:
    """The offered-slot rule, one finding per condition, from the engine's own funnel."""
    findings = []
    for step in offers.steps:
        # Removing some candidates is normal (other activities that day); none left is the fault.
        failed = step.remaining == 0
        verdict = FAIL if failed else OK
        findings.append(
            Finding(
                check=LABELS.get(step.condition, step.condition),
                verdict=verdict,
                text=step.text,
                removed=step.removed,
                fix=FIXES.get(step.condition, ""),
            )
        )
        if failed:
            break  # later conditions have no candidates left to judge
    return findings


def _seed_findings(
    session: Session, clock: Clock, watch: models.Watch, patient: models.Patient
) -> list[Finding]:
    """Seed 12's other checks: HSA today, letters, invitation, the patient's 1177, e-tjänster."""
    today = clock.now().date()
    findings = [_hsa_today(session, watch, today), _invitation(session, watch)]
    if watch.booking_letter:
        findings.append(Finding("Digital kallelse", OK, "(Bokn) Brev = Ja: följer bokningen"))
    else:
        findings.append(
            Finding(
                "Digital kallelse",
                WARNING,
                "(Bokn) Brev = Nej: ingen digital kallelse följer bokningen",
                fix="Sätt (Bokn) Brev = Ja med brevkod i SP 090",
            )
        )
    findings += _patient(patient)
    if watch.clinic_id is not None:
        clinic = session.get(models.Clinic, watch.clinic_id)
        assert clinic is not None
        findings.append(_eservices(clinic))
    return findings


def _hsa_today(session: Session, watch: models.Watch, today: dt.date) -> Finding:
    check = "HSA-mappning idag"
    if watch.clinic_id is None:
        return Finding(check, FAIL, "Bevakningen saknar Mott", fix=FIXES["watch"])
    named = mapped_name(session=session, clinic_id=watch.clinic_id, day=today)
    if named is None:
        return Finding(check, FAIL, "Mottagningen är inte mappad idag", fix=FIXES["hsa"])
    return Finding(check, OK, f"Kallelsen visar {named.name} ({named.hsa_id})")


def _invitation(session: Session, watch: models.Watch) -> Finding:
    check = "Kallelse"
    if watch.watch_type != models.WatchType.OPEN_INVITATION:
        return Finding(check, WARNING, "Bara typ ÖK skickar en öppen kallelse", fix=FIXES["sent"])
    row = session.exec(
        select(models.Invitation).where(models.Invitation.watch_id == watch.id)
    ).first()
    if row is None:
        return Finding(check, FAIL, "Ingen kallelse är lagd", fix="Spara bevakningen i SP 090")
    if row.withdrawn_at is not None:
        at = from_utc_naive(row.withdrawn_at)
        return Finding(check, FAIL, f"Återkallad {at:%Y-%m-%d %H:%M}", fix=FIXES["sent"])
    if row.sent_at is None:
        at = from_utc_naive(row.due_at)
        return Finding(check, WARNING, f"Inte skickad än; skickas {at:%Y-%m-%d %H:%M}")
    return Finding(check, OK, f"Skickad {from_utc_naive(row.sent_at):%Y-%m-%d %H:%M}")


def _patient(patient: models.Patient) -> list[Finding]:
    """seed 9: no account, notifications off or paper mail mean she may never see it."""
    if not patient.has_1177_account:  # then her notifications and choices do not apply
        return [
            Finding(
                "Konto på 1177",
                FAIL,
                "Inget konto: kallelsen når henne inte",
                fix="Kontakta patienten per telefon eller brev",
            )
        ]
    findings = [Finding("Konto på 1177", OK, "Aktivt konto finns")]
    if patient.notifications_on:
        findings.append(Finding("Aviseringar", OK, "Påslagna"))
    else:
        findings.append(
            Finding(
                "Aviseringar",
                WARNING,
                "Avstängda: hon får ingen avisering om kallelsen",
                fix="Be patienten slå på aviseringar i 1177",
            )
        )
    if patient.digital_mail:
        findings.append(Finding("Kommunikation", OK, "Digitalt via 1177"))
    else:
        findings.append(
            Finding(
                "Kommunikation",
                WARNING,
                "Post: hon har valt papperskallelse",
                fix="Skicka kallelse per post eller kontakta patienten",
            )
        )
    return findings


def _eservices(clinic: models.Clinic) -> Finding:
    """seed 8: without Boka tid the invitation has no booking service behind it."""
    off = [
        name
        for name, on in (
            ("Boka tid", clinic.eservice_book),
            ("Omboka eller avboka tid", clinic.eservice_change),
            ("Kontakta oss för att omboka eller avboka tid", clinic.eservice_contact),
        )
        if not on
    ]
    if not clinic.eservice_book:
        return Finding(
            "E-tjänster",
            FAIL,
            f"Avstängda: {', '.join(off)}",
            fix="Slå på Boka tid för mottagningen (e-tjänster)",
        )
    if off:
        return Finding("E-tjänster", WARNING, f"Avstängda: {', '.join(off)}")
    return Finding("E-tjänster", OK, "Boka tid, Omboka eller avboka tid, Kontakta oss")


def troubleshoot_watch(*, ctx: WorkContext, watch_id: int) -> Report:
    """Felsökning as one read (the key in SP 090, the row key in SP 191)."""
    with ctx.read() as session:
        return troubleshoot(session=session, clock=ctx.clock, watch_id=watch_id)
