"""F1 help of SP 272 Schemaläggning: its keys and the seed's rules (section 4)."""

from __future__ import annotations

HELP = """\
**Schemaläggning (SP 272).** Schemat läggs i en tidbok på en vårdgivare (**Vårdgivarschema**) eller
en plats (**Plattschema**), av publicerade dagmallar från SP 270.

- **Vårdgivarschema / Plattschema**, **Vy** och **Del** väljs med ←/→. Kodfälten (Vårdgivare,
  Dagmall, Mottagning, Brevmall) visar namnet bredvid koden; **F4** listar valen (vårdgivarna med
  namn, så du behöver inte kunna signaturen).
- Skriv **Vårdgivare** och **From datum** och tryck **Läs** (Alt+L; sedan **Läs annan**): en månad
  (fem veckor från From datums vecka) med ISO-veckor; **Vy** byter till Vecka eller Arbetsvecka.
  Varje upplagd dag visar `08:00 <kod> <dagmallens namn>`: *kursivt* = preliminärt, **fetstil** =
  publicerat. Röda dagar står understrukna. **Enter** på en dag visar dagen: dagmallar, tider,
  mottagning, brevmall och bokade patienter.
- **Dagmall** (Lägg till Dagmallar): Dagmall*, **Vecka*** (`40-41` eller `40,41`; en vecka före
  From datums vecka gäller nästa år) och **Veckodag*** på raden `Må Ti On To Fr Lö Sö Må-Fr`
  (←/→ flyttar, Mellanslag väljer eller tar bort dagen, på Må-Fr alla fem), **Mottagning*** och
  **Brevmall***; tryck **Lägg in i prel. schema** (Alt+G). Röda dagar hoppas
  över och räknas upp, om du inte kryssar i *Ta med röda dagar*. Dagar före dagens datum läggs inte.
- **Veckomall**: en dagmall per veckodag för de valda veckorna. **Förlängning**: upprepar den sista
  publicerade veckan **Antal veckor** framåt (**Förläng**, Alt+N).
- **Ta bort Dagmallar**: **Ta bort dagmall** (Alt+D) tar bort den valda preliminära dagen;
  **Töm prel. schema** (Alt+T) alla preliminära dagar. Raden Upplagd/Ändrad gäller schemat
  (eller den valda dagen).
- **Publicera schema** (Alt+P) lägger ut tiderna i tidboken: allt eller inget. En lång
  publicering visar hur långt den kommit (stapel och statusrad); bilden går att använda under tiden.
- **Ändra/Ta bort**: byt mottagning eller brevmall på en lagd dag (**Spara ändring**, Alt+S;
  tiderna följer med och bokningar ligger kvar) eller ta bort dagen (**Ta bort**, Alt+O).
  **Ta bort period** (Alt+R) tar bort de publicerade dagarna i perioden.
  Finns bokade tider räknas de upp, och inget tas bort förrän du bekräftar att de avbokas;
  patienterna får då ett avbokningsmeddelande i 1177.
- **Tidbok** (Alt+I) öppnar vårdgivarens tidbok för den valda dagen.
"""
