"""F1 help of SP 272 Schemaläggning: its keys and the seed's rules (section 4)."""

from __future__ import annotations

HELP = """\
**Schemaläggning (SP 272).** Schemat läggs i en tidbok på en vårdgivare (**Vårdgivarschema**) eller
en plats (**Plattschema**), av publicerade dagmallar från SP 270.

- Skriv **Vårdgivare** och **From datum** och tryck **Läs** (Alt+L): en månad (fem veckor från
  From datums vecka) med ISO-veckor; **Vy** byter till Vecka eller Arbetsvecka. Varje upplagd dag
  visar `08:00 <dagmallens namn>`: *kursivt* = preliminärt, **fetstil** = publicerat. Röda dagar
  står understrukna.
- **Dagmall**: välj Dagmall*, skriv **Vecka*** (`40-41` eller `40,41`; en vecka före From datums
  vecka gäller nästa år) och **Veckodag*** (`Må Ti On To Fr Lö Sö` eller `Må-Fr`), välj
  **Mottagning*** och **Brevmall*** och tryck **Lägg in i prel. schema** (Alt+G). Röda dagar hoppas
  över och räknas upp, om du inte kryssar i *Ta med röda dagar*. Dagar före dagens datum läggs inte.
- **Veckomall**: en dagmall per veckodag för de valda veckorna. **Förlängning**: upprepar den sista
  publicerade veckan **Antal veckor** framåt (**Förläng**, Alt+N).
- **Ta bort dagmall** (Alt+D) tar bort den valda preliminära dagen; **Töm prel. schema** (Alt+T)
  alla preliminära dagar.
- **Publicera schema** (Alt+P) lägger ut tiderna i tidboken: allt eller inget. En lång
  publicering visar hur långt den kommit (stapel och statusrad); bilden går att använda under tiden.
- **Ändra/Ta bort**: byt mottagning eller brevmall på en lagd dag (**Spara ändring**, Alt+S;
  tiderna följer med och bokningar ligger kvar) eller ta bort dagen (**Ta bort**, Alt+O).
  **Ta bort period** (Alt+R) tar bort de publicerade dagarna i perioden.
  Finns bokade tider räknas de upp, och inget tas bort förrän du bekräftar att de avbokas;
  patienterna får då ett avbokningsmeddelande i 1177.
- **Tidbok** (Alt+I) öppnar vårdgivarens tidbok för den valda dagen.
"""
