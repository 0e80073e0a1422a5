"""The staff admin use cases (SP 177, SP 721, e-tjänster, Kontakta oss, Sms-utkorg) on SQLite
and PostgreSQL: frozen results, refusals naming domain fields, a unit sees only its own rows."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from pasis_tui.core import hsa_cases, settings_cases, staff_lists
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.context import WorkContext
from pasis_tui.core.db import open_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.settings_1177 import SettingsForm
from pasis_tui.core.units import list_units
from tests.conftest import USER


def context(engine: Engine, clock: FixedClock, unit: str) -> WorkContext:
    with open_session(engine, user=USER, clock=clock) as session:
        ref = next(u for u in list_units(session) if u.code == unit)
    return WorkContext(engine=engine, user=USER, clock=clock, unit=ref)


# -- SP 177 ------------------------------------------------------------------------------------


def test_value_note_says_what_empty_or_zero_means() -> None:
    assert settings_cases.value_note("searchable_weeks", "").startswith(
        "tomt = 8 veckor (standard)"
    )
    assert settings_cases.value_note("searchable_weeks", "00").startswith("tomt = 8 veckor")
    assert settings_cases.value_note("patient_rebookings", "1").startswith("1 ombokning ")
    assert settings_cases.value_note("cancel_limit_hours", "24").startswith("tillåtet 25–99")


def test_sp177_read_save_new_period_and_delete(demo_engine: Engine, clock: FixedClock) -> None:
    ctx = context(demo_engine, clock, "REUM")
    page = settings_cases.settings_page(ctx=ctx)
    assert page.total == 1 and page.lines[0].values == ("8 std", "2 std", "24 std", "24 std")
    read = settings_cases.read_settings_record(ctx=ctx, clinic_code="m11")
    assert read.record is not None and read.record.searchable_weeks == ""
    assert read.record.notes[0] == (
        "searchable_weeks",
        settings_cases.value_note("searchable_weeks", ""),
    )
    entry = SettingsForm(
        None, valid_from="2020-01-01", valid_to="2029-12-31", searchable_weeks="12"
    )
    saved = settings_cases.save_settings_record(
        ctx=ctx, clinic_code="M11", form=entry, settings_id=read.record.id
    )
    assert saved.record is not None and saved.record.id == read.record.id
    assert saved.record.searchable_weeks == "12"
    # Another From datum is another period: inside the first it overlaps, after it it is new.
    overlapping = SettingsForm(None, valid_from="2025-01-01")
    with pytest.raises(PasisError, match="överlappar") as refused:
        settings_cases.save_settings_record(
            ctx=ctx, clinic_code="M11", form=overlapping, settings_id=read.record.id
        )
    assert refused.value.field == "valid_from"
    later = SettingsForm(None, valid_from="2030-01-01")
    new = settings_cases.save_settings_record(
        ctx=ctx, clinic_code="M11", form=later, settings_id=read.record.id
    )
    assert new.record is not None and new.record.id != read.record.id
    assert settings_cases.settings_page(ctx=ctx).total == 2
    # The unit's own row (empty code) is a scope of its own.
    unit_row = settings_cases.save_settings_record(
        ctx=ctx, clinic_code="", form=SettingsForm(None, patient_rebookings="5"), settings_id=None
    )
    assert unit_row.record is not None and unit_row.record.clinic_name == "(hela enheten)"
    deleted = settings_cases.delete_settings_record(ctx=ctx, settings_id=new.record.id)
    assert deleted.record is None and "borttagen" in deleted.message
    with pytest.raises(PasisError) as unknown:
        settings_cases.read_settings_record(ctx=ctx, clinic_code="K01")  # KIR's, not REUM's
    assert unknown.value.field == "clinic_id"
    with pytest.raises(PasisError, match="Läs först"):
        settings_cases.delete_settings_record(ctx=ctx, settings_id=None)


# -- SP 721 ------------------------------------------------------------------------------------


def test_sp721_lists_read_save_and_delete(demo_engine: Engine, clock: FixedClock) -> None:
    ctx = context(demo_engine, clock, "KIR")
    clinics = hsa_cases.clinic_page(ctx=ctx)
    assert [(c.clinic_code, c.hsa_id) for c in clinics.lines] == [
        ("K01", "SE162321000255-K01KIR"),
        ("K02", hsa_cases.NOT_MAPPED),
    ]
    read = hsa_cases.read_clinic(ctx=ctx, clinic_code="k02")
    assert read.record is None and read.periods == () and "ingen HSA-mappning i dag" in read.message
    entry = hsa_cases.HsaEntry(
        clinic_code="K02", valid_to="2039-12-31", org_number="2321000255",
        hsa_id="se162321000255-k02dag", name="Dagkirurgi Lund", map_type="a",
    )  # fmt: skip
    saved = hsa_cases.save_mapping_record(ctx=ctx, entry=entry, mapping_id=None)
    assert saved.record is not None and saved.record.hsa_id == "SE162321000255-K02DAG"
    assert saved.record.org_number == "232100-0255" and saved.map_type == "A"
    assert len(saved.periods) == 1
    assert hsa_cases.mapping_page(ctx=ctx, text="k02dag").total == 1
    assert hsa_cases.mapping_page(ctx=ctx).total == 2
    # The same HSA id for K01, typed in another case: refused at hsa_id.
    with pytest.raises(PasisError, match="redan mappat till mottagning K02") as taken:
        hsa_cases.save_mapping_record(
            ctx=ctx,
            entry=hsa_cases.HsaEntry(**{**entry.__dict__, "clinic_code": "K01",
                                        "valid_from": "2040-01-01", "valid_to": "2041-12-31",
                                        "hsa_id": "SE162321000255-K02Dag"}),
            mapping_id=None,
        )  # fmt: skip
    assert taken.value.field == "hsa_id"
    opened = hsa_cases.read_mapping_record(ctx=ctx, mapping_id=saved.record.id)
    assert opened.clinic_code == "K02" and opened.record == saved.record
    deleted = hsa_cases.delete_mapping_record(
        ctx=ctx, clinic_code="K02", mapping_id=saved.record.id
    )
    assert deleted.periods == () and "borttagen" in deleted.message
    k01 = hsa_cases.mapping_page(ctx=ctx).lines[0]
    with pytest.raises(PasisError, match="finns inte längre"):  # another unit's period
        hsa_cases.read_mapping_record(ctx=context(demo_engine, clock, "GASTRO"), mapping_id=k01.id)


@pytest.mark.parametrize(
    ("org", "hsa_id", "ok"),
    [
        ("232100-0255", "SE2321000255-X1", True),  # 10 digits after SE
        ("232100-0255", "SE162321000255-abc9", True),  # 12 with the 16 prefix, any case
        ("232100-0255", "SE162321000255-" + "A" * 16, True),  # 31 characters
        ("232100-0255", "SE162321000255-" + "A" * 17, False),  # 32
        ("232100-0255", "SE162321000255-", False),  # nothing after '-'
        ("232100-0255", "SE162321000255-Å1", False),  # not ASCII
        ("232100-0255", "162321000255-X1", False),  # no SE
        ("232100-0255", "SE162321000256-X1", False),  # the org number's check digit
        ("212000-0142", "SE162321000255-X1", False),  # another organisation's id
        ("132100-0255", "SE162321000255-X1", False),  # third digit under 2
    ],
)
def test_sp721_hsa_id_and_org_number_examples(
    demo_engine: Engine, clock: FixedClock, org: str, hsa_id: str, ok: bool
) -> None:
    ctx = context(demo_engine, clock, "KIR")
    entry = hsa_cases.HsaEntry(
        clinic_code="K02", valid_to="2039-12-31", org_number=org, hsa_id=hsa_id, name="Dagkirurgi"
    )
    if ok:
        assert hsa_cases.save_mapping_record(ctx=ctx, entry=entry, mapping_id=None).record
    else:
        with pytest.raises(PasisError) as refused:
            hsa_cases.save_mapping_record(ctx=ctx, entry=entry, mapping_id=None)
        assert refused.value.field in ("hsa_id", "org_number")


# -- e-tjänster, Kontakta oss, Sms-utkorg ------------------------------------------------------


def test_eservices_save_only_what_changed(demo_engine: Engine, clock: FixedClock) -> None:
    ctx = context(demo_engine, clock, "REUM")
    shown = staff_lists.eservices_of_unit(ctx=ctx).clinics
    assert [c.clinic_code for c in shown] == ["M11", "M12"]
    changes = tuple(
        staff_lists.EserviceChange(c.clinic_id, c.book, c.change, c.contact) for c in shown
    )
    assert (
        staff_lists.save_eservices(ctx=ctx, changes=changes).message == "Inga ändringar att spara"
    )
    off = (staff_lists.EserviceChange(shown[1].clinic_id, False, True, True), *changes[:1])
    saved = staff_lists.save_eservices(ctx=ctx, changes=off)
    assert saved.message == "E-tjänsterna är sparade för M12"
    assert [c.book for c in saved.clinics] == [True, False]
    kir = context(demo_engine, clock, "KIR")
    with pytest.raises(PasisError):  # another unit's clinic
        staff_lists.save_eservices(ctx=kir, changes=off)


def test_contact_requests_newest_first_answered_once(
    demo_engine: Engine, clock: FixedClock
) -> None:
    ctx = context(demo_engine, clock, "GASTRO")
    page = staff_lists.contact_page(ctx=ctx)
    assert page.total == 1 and page.lines[0].state == staff_lists.OPEN
    request_id = page.lines[0].request_id
    assert staff_lists.contact_page(ctx=ctx, state=staff_lists.ANSWERED).total == 0
    with pytest.raises(PasisError, match="Svar måste fyllas i") as empty:
        staff_lists.answer_contact(ctx=ctx, request_id=request_id, answer="  ")
    assert empty.value.field == "text"
    with pytest.raises(PasisError, match="Ärendet finns inte"):  # REUM cannot answer GASTRO's
        staff_lists.answer_contact(
            ctx=context(demo_engine, clock, "REUM"), request_id=request_id, answer="Hej"
        )
    answered = staff_lists.answer_contact(ctx=ctx, request_id=request_id, answer="Ny tid: tis")
    assert answered.request.state == staff_lists.ANSWERED and answered.request.answered
    with pytest.raises(PasisError, match="redan besvarat"):
        staff_lists.answer_contact(ctx=ctx, request_id=request_id, answer="Igen")
    assert staff_lists.contact_page(ctx=ctx, state=staff_lists.OPEN).total == 0


def test_sms_page_counts_the_units_reminders(demo_engine: Engine, clock: FixedClock) -> None:
    reum = staff_lists.sms_page(ctx=context(demo_engine, clock, "REUM"))
    assert reum.total == len(reum.lines) == 1
    assert reum.lines[0].status == "Väntar" and reum.lines[0].due == "2026-12-19 10:00"
    assert staff_lists.sms_page(ctx=context(demo_engine, clock, "KIR")).total == 0
