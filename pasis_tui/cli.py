"""The `pasis` command: open the TUI, build a demo database, or apply migrations."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from typing import Any

from pasis_tui.core.clock import Clock, FixedClock, SystemClock, parse_now
from pasis_tui.core.errors import PasisError
from pasis_tui.core.paths import default_database_path, default_demo_path

ENV_DATABASE = "PASIS_DATABASE_URL"
MAX_SIGNATURE = 12

DESCRIPTION = """\
Pasis TUI: Region Skånes Pasis-bilder för öppen kallelse (SP 270, 272, 090, 191, 177, 721)
och 1177-invånarsidan, i terminalen.

  pasis                       öppna Pasis på standarddatabasen
  pasis demo                  bygg en ny demodatabas och öppna den
  pasis demo --create-only    bygg demodatabasen och avsluta
  pasis db upgrade            uppgradera databasens schema
  pasis invitations send      skicka kallelser som blivit aktuella (för serverns timer)
  pasis troubleshoot PNR      felsök varför patienten inte ser några tider (seed 12)
"""

EPILOG = f"""\
Databasen: --db tar en sökväg till en SQLite-fil eller en SQLAlchemy-URL, t.ex.
postgresql+psycopg://user@host/pasis. Utan --db används ${ENV_DATABASE}, annars
{default_database_path()} (skapas vid första start). Demodatabasen ligger som standard i
{default_demo_path()}.

Tangenter: Alt+X byter bild (skriv 270, 272, 090 …), F1 hjälp, Esc tillbaka, Ctrl+Q avslutar,
Alt + understruken bokstav trycker en knapp, Tab / Shift+Tab flyttar mellan fälten.
"""


def _db_arg(text: str) -> str:
    from pasis_tui.core.db import database_url

    if not text.strip():
        raise argparse.ArgumentTypeError("tom databas")
    try:
        return database_url(text)
    except PasisError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def _now_arg(text: str) -> FixedClock:
    try:
        return FixedClock(parse_now(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'ogiltig tid {text!r}: skriv "ÅÅÅÅ-MM-DD TT:MM", t.ex. "2026-11-22 10:06"'
        ) from None


def _user_arg(text: str) -> str:
    value = text.strip().upper()
    if not value or len(value) > MAX_SIGNATURE or not value.isprintable() or " " in value:
        raise argparse.ArgumentTypeError(
            f"signaturen ska vara 1–{MAX_SIGNATURE} tecken utan mellanslag"
        )
    return value


def _screen_arg(text: str) -> str:
    from screens import find_screen

    if find_screen(text) is None:
        raise argparse.ArgumentTypeError(
            f"okänd bild {text!r}: 270, 272, 090, 191, 177, 721, 1177, TIDBOK eller PMO"
        )
    return text


def _default_user() -> str:
    try:
        name = getpass.getuser()
    except Exception:  # no login name in some containers
        name = "PASIS"
    return name.upper()[:MAX_SIGNATURE]


def _add_common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    def default(value: Any) -> Any:
        return argparse.SUPPRESS if suppress else value

    parser.add_argument(
        "--db",
        type=_db_arg,
        default=default(None),
        metavar="PATH_OR_URL",
        help=f"SQLite-fil eller SQLAlchemy-URL (även ${ENV_DATABASE})",
    )
    parser.add_argument(
        "--user",
        type=_user_arg,
        default=default(None),
        metavar="SIG",
        help="användarsignatur i huvudraden och i Upplagd/Ändrad (standard: inloggningsnamnet)",
    )
    parser.add_argument(
        "--enhet",
        default=default(None),
        metavar="KOD",
        help="enheten du arbetar i, t.ex. KIR (standard: den första)",
    )
    parser.add_argument(
        "--now",
        type=_now_arg,
        default=default(None),
        metavar='"ÅÅÅÅ-MM-DD TT:MM"',
        help="låser programmets klocka (utbildning, demo, test); annars verklig svensk tid",
    )
    parser.add_argument(
        "--screen",
        type=_screen_arg,
        default=default(None),
        metavar="NNN",
        help="öppna den bilden direkt, t.ex. 270",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pasis",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="{demo,db,invitations,troubleshoot}")
    demo = sub.add_parser(
        "demo",
        help="bygg en ny demodatabas och öppna den",
        description="Bygger en ny demodatabas (skriver aldrig över en annan "
        "databas utan att fråga) och öppnar Pasis på den.",
    )
    _add_common(demo, suppress=True)
    demo.add_argument("--create-only", action="store_true", help="bygg databasen och avsluta")
    db = sub.add_parser("db", help="databasens schema")
    db_sub = db.add_subparsers(dest="db_command", metavar="{upgrade}", required=True)
    upgrade = db_sub.add_parser("upgrade", help="tillämpa migreringarna (görs även vid start)")
    _add_common(upgrade, suppress=True)
    invitations = sub.add_parser("invitations", help="öppna kallelser till 1177")
    inv_sub = invitations.add_subparsers(dest="inv_command", metavar="{send}", required=True)
    send = inv_sub.add_parser(
        "send",
        help="skicka kallelser vars Skicka till 1177 har passerats (kör från en timer)",
        description="Skickar varje kallelse som blivit aktuell, exakt en gång, även om flera "
        "körs samtidigt; --now bestämmer klockan.",
    )
    _add_common(send, suppress=True)
    trouble = sub.add_parser(
        "troubleshoot",
        help="felsök en patients öppna kallelser: varför syns inga tider?",
        description="Kör varje kontroll av felsökningslistan (seed 12) och regeln för "
        "erbjudna tider för patientens ÖK-bevakningar, nyaste först: OK, FEL eller VARNING, "
        "hur många tider kontrollen tar bort och vad som ska ändras i vilken bild.",
    )
    trouble.add_argument("personnummer", metavar="PERSONNUMMER", help="t.ex. 19121212-1212")
    _add_common(trouble, suppress=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    clock: Clock = args.now or SystemClock()
    user: str = args.user or _default_user()
    unit: str | None = args.enhet
    url = "?"
    try:
        if args.command == "demo":
            from pasis_tui.core.demo import DEMO_UNIT, DEMO_USER

            user = args.user or DEMO_USER  # the training organisation's own signature
            unit = args.enhet or DEMO_UNIT
            url = args.db or _db_arg(str(default_demo_path()))
            _build_demo(url, clock=clock, user=user)
            if args.create_only:
                print(f"Demodatabasen är byggd: {url}")
                return 0
        else:
            url = args.db or _env_db()
            if args.command == "db":
                return _upgrade(url)
            if args.command == "invitations":
                return _send_invitations(url, clock=clock, user=user)
            if args.command == "troubleshoot":
                return _troubleshoot(url, clock=clock, user=user, personnummer=args.personnummer)
            from pasis_tui.core.db import refuse_read_only

            refuse_read_only(url)  # before the screen opens, not at the first Spara
    except PasisError as error:
        print(f"pasis: {error.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\n{INTERRUPTED}", file=sys.stderr)
        return 130
    except Exception as error:  # a database that cannot be opened: say so, no traceback
        from pasis_tui.core.db import describe_db_error

        reason = describe_db_error(error)
        print(f"pasis: Databasen kan inte öppnas ({url}): {reason}", file=sys.stderr)
        return 2
    return _run_tui(url, user=user, clock=clock, unit=unit, screen=args.screen)


INTERRUPTED = "pasis: avbrutet."


def _env_db() -> str:
    """The database from $PASIS_DATABASE_URL, else the default file."""
    value = os.environ.get(ENV_DATABASE)
    try:
        return _db_arg(value or str(default_database_path()))
    except argparse.ArgumentTypeError as error:
        raise PasisError(f"${ENV_DATABASE}: {error}", field="db") from None


def _run_tui(url: str, *, user: str, clock: Clock, unit: str | None, screen: str | None) -> int:
    from pasis_tui import startup_gc

    startup_gc.pause()  # for the imports of start-up; PasisApp resumes it once the database is open
    try:
        from pasis_tui.app import PasisApp

        app = PasisApp(
            database_url=url,
            user=user,
            clock=clock,
            unit_code=unit,
            start_screen=screen,
            prebuild=True,
        )
        app.run()
    finally:
        startup_gc.resume()  # whatever way the app ended (already resumed if it opened)
    return app.return_code or 0


def _upgrade(url: str) -> int:
    from pasis_tui.core.db import make_engine, upgrade

    engine = make_engine(url)
    try:
        state = upgrade(engine)
    finally:
        engine.dispose()
    print(f"Databasen har schema {state.current} (senaste: {state.head})")
    return 0


def _send_invitations(url: str, *, clock: Clock, user: str) -> int:
    from pasis_tui.core.citizen_dispatch import dispatch
    from pasis_tui.core.db import make_engine, upgrade

    engine = make_engine(url)
    upgrade(engine)
    print(dispatch(engine=engine, clock=clock, user=user).message)  # invitations, SMS reminders
    return 0


def _troubleshoot(url: str, *, clock: Clock, user: str, personnummer: str) -> int:
    """Felsökning's report, the same text as on SP 090; only reads the database."""
    from pasis_tui.core.db import make_engine, open_session, schema_state
    from pasis_tui.core.troubleshooting import troubleshoot_patient

    engine = make_engine(url)
    try:
        state = schema_state(engine)
        if not state.up_to_date:
            raise PasisError(SCHEMA_EMPTY if state.current is None else SCHEMA_OLD, field="db")
        with open_session(engine, user=user, clock=clock) as session:
            reports = troubleshoot_patient(session=session, clock=clock, personnummer=personnummer)
    finally:
        engine.dispose()
    print("\n\n".join(report.text for report in reports))
    return 0


SCHEMA_OLD = "Databasens schema är äldre än programmet: kör `pasis db upgrade` först."
SCHEMA_EMPTY = "Databasen är tom: inget att felsöka (bygg en med `pasis demo`)."


def _build_demo(url: str, *, clock: Clock, user: str) -> None:
    """A fresh demo database at `url`; an existing non-demo database is only replaced on a 'ja'."""
    from pasis_tui.core.demo import rebuild_demo

    rebuild_demo(
        url,
        clock=clock,
        user=user,
        may_replace=lambda: _confirm_overwrite(url),
        on_build=lambda: print(f"Bygger demodatabasen {url} …", file=sys.stderr),
    )


def _confirm_overwrite(url: str) -> bool:
    """Ask on the terminal; no terminal or end-of-input (Ctrl+D) is a no."""
    if not sys.stdin.isatty():
        return False
    try:
        answer = input(f"{url} är ingen demodatabas. Skriv över den med demodata? [j/N] ")
    except EOFError:
        print(file=sys.stderr)
        return False
    return answer.strip().lower() in ("j", "ja", "y", "yes")


if __name__ == "__main__":
    sys.exit(main())
