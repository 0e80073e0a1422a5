"""F1 for SP 090 Bevakning: the instruction's rules (seed 5.1–5.3, 9, 12) in Swedish."""

HELP = """\
**Bevakning (SP 090).** En bevakning med typ **ÖK** skickar en kallelse till invånarens inkorg i
1177 med uppmaning att boka en tid. Den måste ha **samma mottagning, vårdgivare, besökslängd och
aktivitet** som tidboken som är schemalagd för patienten att boka sig i. Bevakningen ligger kvar
tills patienten bokat en tid; då blir den en bokning.

- **Patient**: skriv personnummer (10 eller 12 siffror, även samordningsnummer) eller början av
  namnet och tryck Enter. **Ny patient** (Alt+P) registrerar en ny.
- **Vårdåtagande**: välj patientens vårdåtagande (F4 visar dem) så fylls **Datum** (medicinskt
  måldatum) och **Remiss** i automatiskt (nybesök, seed 5.1).
- **Typ** ÖK; **Kontakttyp** NY, ÅB, TE eller KT. Vid ÅB, TE och KT måste **Beslut om återbesök**
  fyllas i.
- **Var** lämnas tomt vid öppen kallelse. **Intern text** visas aldrig för patienten.
- **Bekr (patient)** – Nej, **(Bevakn) Brev** – Nej. **(Bokn) Brev** – Ja ger en digital kallelse
  (brevkod och standardtext) när patienten bokar; Nej ger ingen.
- **Får avbokas av patient i 1177**: Nej om patienten inte ska kunna avboka själv; tomt betyder
  avbokningsbar.
- **Skicka till 1177**: dagen (ÅÅÅÅ-MM-DD, ev. TT:MM) då kallelsen går till inkorgen; tomt betyder
  inom en timme. **Boka fr o m / t o m**: inom vilket intervall patienten kan boka.
- **Syfte** syns i kallelsen innan patienten bokar: högst 80 tecken inklusive blanksteg
  (räknaren visar hur många).
- Kodfält visar namnet bredvid koden; **F4** visar valen.
- **Spara** (Alt+S): fel markeras vid fältet; varningar (t.ex. inga lediga tider, inget konto på
  1177, papperskallelse) visas i en lista som du bekräftar innan bevakningen sparas.
- **Boka** (Alt+K) visar de tider som erbjuds (ÖK) eller passar (vanlig bevakning) och bokar en.
  **Avboka** (Alt+A) avbokar bokningen; Pasis tolkar en avbokning att patienten ska avslutas.
- **Nästa denna pat** (Alt+N), **Första bev** (Alt+F), **Ny bev** (Alt+Y), **Borttag** (Alt+B:
  tar bort bevakningen och återkallar kallelsen).
- **Översikt bev.utsök** (Alt+Ö) går till SP 191; **Nästa i bev. lista** (Alt+L) visar nästa
  bevakning i listan från SP 191.
- **Felsökning** (F6): varför ser patienten inga tider? (mappning mot HSA-id, samma aktivitet,
  vårdgivare och besökslängd, lediga ÖK-tider i tidboken, (Bokn) Brev = Ja).
- Panelen **Konto på 1177** visar om patienten har aktivt konto, aviseringar påslagna, valt
  Digitalt via 1177 eller Post, mobilnummer, och **Utskick** med tid.
"""
