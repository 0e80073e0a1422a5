"""SP 191 Bevakningsutsökning's use cases: one keyword-only function per action, one transaction.

They take the WorkContext and return frozen records (the core's `OrderLine`, `FoundWatch`,
`CleanedLine` …), never ORM rows, so each screen worker is exactly one call.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func
from sqlmodel import col, select

from pasis_tui.core import models
from pasis_tui.core.code_lists import CodeList, as_choices, codes, parse_code_of
from pasis_tui.core.context import WorkContext
from pasis_tui.core.errors import PasisError
from pasis_tui.core.paging import PAGE_SIZE, Page
from pasis_tui.core.parse import parse_date, parse_int
from pasis_tui.core.watch_followup import (
    CleanedLine,
    CleanResult,
    MoveResult,
    Recipients,
    clean_watches,
    cleaned,
    letter_recipients,
    move_watches,
    send_letters,
)
from pasis_tui.core.watch_search import (
    ORDER_UNKNOWN,
    SORT_ORDERS,
    FoundWatch,
    OrderCriteria,
    OrderLine,
    chosen_watches,
    chunks,
    delete_order,
    list_orders,
    order_ids,
    order_watches,
    place_order,
)

#: The code fields as SP 090 has them (the code typed, its name beside it, F4 lists them):
#: (shown text, value). Sorteringsordning is a plain choice.
TYPE_CHOICES = as_choices(codes(CodeList.WATCH_TYPE))
CONTACT_CHOICES = as_choices(codes(CodeList.CONTACT_TYPE))
CATEGORY_CHOICES = as_choices(codes(CodeList.CAREGIVER_CATEGORY))
SHORT_NOTICE_CHOICES = as_choices(codes(CodeList.SHORT_NOTICE))
SORT_CHOICES = tuple((name.capitalize(), name) for name in SORT_ORDERS)
CHOOSE_ORDER = "Välj först en beställning i 1 Beställningsöversikt (Enter på raden)"
YEAR_FIELDS = {
    "birth_year_from": "Patientens födelseår from",
    "birth_year_to": "Patientens födelseår tom",
}


@dataclass(frozen=True)
class OrderForm:
    """2 Beställning as typed (dates ÅÅÅÅ-MM-DD, years ÅÅÅÅ); empty means "any"."""

    clinic_code: str = ""
    from_date: str = ""
    to_date: str = ""
    watch_type: str = ""
    book_to_passed: str = ""
    caregiver_signature: str = ""
    caregiver_category: str = ""
    code: str = ""
    short_notice: str = ""
    contact_type: str = ""
    birth_year_from: str = ""
    birth_year_to: str = ""
    internal_diagnosis_from: str = ""
    internal_diagnosis_to: str = ""
    sort_order: str = ""


@dataclass(frozen=True)
class OrderRow:
    """1 Beställningsöversikt: an order with what was done on its list."""

    order: OrderLine
    cleaned: int
    moved: int
    letters: int


@dataclass(frozen=True)
class Placed:
    order_no: int
    count: int
    message: str


@dataclass(frozen=True)
class OrderList:
    """The order's stored list in its order: what SP 090's "Nästa i bev. lista" walks."""

    order_no: int
    watch_ids: tuple[int, ...]


@dataclass(frozen=True)
class LettersSent:
    """7 Bevakningsbrev: who got the letter in 1177, who on paper, and the paper file."""

    digital: tuple[str, ...]  # "Namn (personnummer)"
    paper: tuple[str, ...]
    paper_file: str  # '' when nobody needed paper
    message: str


def criteria_from_form(form: OrderForm) -> OrderCriteria:
    """The typed text as criteria; a bad date, year or code names its field."""
    years = {
        name: parse_int(getattr(form, name), field=name, low=1800, high=2200, label=label)
        for name, label in YEAR_FIELDS.items()
    }
    return OrderCriteria(
        clinic_code=form.clinic_code,
        from_date=parse_date(form.from_date, field="from_date"),
        to_date=parse_date(form.to_date, field="to_date"),
        watch_type=parse_code_of(CodeList.WATCH_TYPE, form.watch_type, field="watch_type"),
        book_to_passed=parse_date(form.book_to_passed, field="book_to_passed"),
        caregiver_signature=form.caregiver_signature,
        caregiver_category=parse_code_of(
            CodeList.CAREGIVER_CATEGORY, form.caregiver_category, field="caregiver_category"
        ),
        code=form.code,
        short_notice=parse_code_of(CodeList.SHORT_NOTICE, form.short_notice, field="short_notice"),
        contact_type=parse_code_of(CodeList.CONTACT_TYPE, form.contact_type, field="contact_type"),
        birth_year_from=years["birth_year_from"],
        birth_year_to=years["birth_year_to"],
        internal_diagnosis_from=form.internal_diagnosis_from,
        internal_diagnosis_to=form.internal_diagnosis_to,
        sort_order=form.sort_order,
    )


def place_search_order(*, ctx: WorkContext, form: OrderForm) -> Placed:
    """Beställ: the order is stored with the next Beställningsnr and the watches it found."""
    criteria = criteria_from_form(form)
    with ctx.write() as session:
        placed = place_order(session=session, unit_id=ctx.unit.id, criteria=criteria)
    return Placed(placed.order.order_no, placed.order.count, placed.message)


def order_page(*, ctx: WorkContext, offset: int = 0, limit: int = PAGE_SIZE) -> Page[OrderRow]:
    """1 Beställningsöversikt: the user's orders, newest first, with Rensning / Byte vg / Brev."""
    o, r = models.WatchSearchOrder, models.WatchSearchResult
    with ctx.read() as session:
        total = session.exec(
            select(func.count()).select_from(o).where(o.created_by == ctx.user)
        ).one()
        lines = list_orders(session=session, user=ctx.user, offset=offset, limit=limit)
        done: dict[int, tuple[int, int, int]] = {}
        if lines:
            counts = select(
                r.order_id,
                func.count(col(r.cleaned_at)),
                func.count(col(r.moved_at)),
                func.count(col(r.letter_sent_at)),
            ).where(col(r.order_id).in_([line.order_no for line in lines]))
            for order_id, n_clean, n_move, n_letter in session.exec(
                counts.group_by(col(r.order_id))
            ).all():
                done[order_id] = (n_clean, n_move, n_letter)
    rows = tuple(OrderRow(line, *done.get(line.order_no, (0, 0, 0))) for line in lines)
    return Page(lines=rows, total=int(total), offset=offset)


def _order_no(order_no: int | None) -> int:
    if order_no is None:
        raise PasisError(CHOOSE_ORDER, field="order_no")
    return order_no


def watch_page(
    *, ctx: WorkContext, order_no: int | None, offset: int = 0, limit: int = PAGE_SIZE
) -> Page[FoundWatch]:
    """3 Översikt bevakningar: a page of the order's watches as they are now."""
    number = _order_no(order_no)
    with ctx.read() as session:
        page = order_watches(session=session, order_no=number, offset=offset, limit=limit)
    return Page(lines=tuple(page.rows), total=page.total, offset=page.offset)


def order_list(*, ctx: WorkContext, order_no: int) -> OrderList:
    """The whole stored list of an order, in its order (ids only)."""
    with ctx.read() as session:
        ids = order_ids(session=session, order_no=order_no)
    return OrderList(order_no=order_no, watch_ids=tuple(ids))


def chosen_order_watches(
    *, ctx: WorkContext, order_no: int | None, watch_ids: tuple[int, ...]
) -> tuple[FoundWatch, ...]:
    """5 Rensning and 6 Byte av vårdgivare: the chosen watches as they are now, in list order."""
    number = _order_no(order_no)
    with ctx.read() as session:
        return tuple(chosen_watches(session=session, order_no=number, watch_ids=watch_ids))


def order_recipients(
    *, ctx: WorkContext, order_no: int | None, limit: int = PAGE_SIZE
) -> Recipients:
    """7 Bevakningsbrev: who Skicka would write to, by 1177 or by post."""
    number = _order_no(order_no)
    with ctx.read() as session:
        return letter_recipients(session=session, order_no=number, limit=limit)


def remove_search_order(*, ctx: WorkContext, order_no: int) -> str:
    """Ta bort: the user's order and its list (the watches stay)."""
    with ctx.write() as session:
        return delete_order(session=session, order_no=order_no, user=ctx.user)


def clean_order_watches(
    *, ctx: WorkContext, order_no: int | None, watch_ids: tuple[int, ...], reason: str
) -> CleanResult:
    """5 Rensning: close the chosen watches with a reason (invitations withdrawn)."""
    number = _order_no(order_no)
    with ctx.write() as session:
        return clean_watches(
            session=session,
            clock=ctx.clock,
            order_no=number,
            watch_ids=list(watch_ids),
            reason=reason,
        )


def cleaned_lines(*, ctx: WorkContext, order_no: int | None) -> tuple[CleanedLine, ...]:
    """4 Översikt rensningar: who closed which watch of the order, when and why."""
    number = _order_no(order_no)
    with ctx.read() as session:
        if session.get(models.WatchSearchOrder, number) is None:
            raise PasisError(ORDER_UNKNOWN, field="order_no")
        return tuple(cleaned(session=session, order_no=number))


def move_order_watches(
    *,
    ctx: WorkContext,
    order_no: int | None,
    watch_ids: tuple[int, ...],
    caregiver: str,
    confirmed: bool = False,
) -> MoveResult:
    """6 Byte av vårdgivare: unless confirmed, warnings from the offer engine move nothing."""
    number = _order_no(order_no)
    with ctx.write() as session:
        return move_watches(
            session=session,
            clock=ctx.clock,
            order_no=number,
            watch_ids=list(watch_ids),
            caregiver_signature=caregiver,
            confirmed=confirmed,
        )


def letters_directory() -> Path:
    """Where paper Bevakningsbrev are written (beside the user's database)."""
    from pasis_tui.core.paths import user_data_dir

    return user_data_dir() / "bevakningsbrev"


def send_order_letters(
    *, ctx: WorkContext, order_no: int | None, text: str, directory: Path | None = None
) -> LettersSent:
    """7 Bevakningsbrev: 1177 messages to those with an account, a paper file for the rest."""
    number = _order_no(order_no)
    w, p = models.Watch, models.Patient
    with ctx.write() as session:
        result = send_letters(session=session, clock=ctx.clock, order_no=number, text=text)
        ids = [*result.digital, *result.paper]
        names: dict[int | None, str] = {}
        for part in chunks(ids):
            query = select(w.id, p.first_name, p.last_name, p.personnummer)
            query = query.join(p, col(p.id) == w.patient_id).where(col(w.id).in_(part))
            names.update(
                (watch_id, f"{first} {last} ({pnr[:8]}-{pnr[8:]})")
                for watch_id, first, last, pnr in session.exec(query).all()
            )
        paper_file = ""
        if result.paper:
            folder = directory or letters_directory()
            stamp = ctx.clock.now().strftime("%Y%m%d-%H%M%S")
            path = folder / f"bestallning-{number}-{stamp}.txt"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                path.write_text(result.paper_text, encoding="utf-8")
            except OSError as error:  # nothing sent unless the paper letters exist too
                raise PasisError(
                    f"Pappersbreven kunde inte skrivas till {path}: {error.strerror}",
                    field="letter_text",
                ) from None
            paper_file = str(path)
    message = result.message + (f"; pappersbrev i {paper_file}" if paper_file else "")
    return LettersSent(
        digital=tuple(names.get(i, str(i)) for i in result.digital),
        paper=tuple(names.get(i, str(i)) for i in result.paper),
        paper_file=paper_file,
        message=message,
    )
