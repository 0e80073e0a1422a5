"""F1 on the 1177 screen: how the patient's side works, in Swedish."""

from __future__ import annotations

HELP = """\
**1177 Invånare.** Här ser du öppen kallelse så som patienten ser den på 1177: inkorgen,
kallelsen, tidbokningen och de bokade tiderna. Allt är tangentbordsstyrt.

- **Logga in** (Alt+L eller Enter) med ditt personnummer i valfri form: 19121212-1212,
  191212121212 eller 121212+1212. Du ser bara dina egna meddelanden och bokningar.
- **Inkorg** (Alt+I eller F5): nyaste meddelandet först, olästa är markerade med ●. **Enter**
  öppnar ett meddelande; då räknas det som läst.
- En **Kallelse** visar *Kallelsen gäller*, *Mottagning*, *Du får boka tid till*, *Ort* och
  *Syfte*. **Boka tid** (Alt+B) visar de lediga tiderna dag för dag. Välj tid med ↑/↓ och
  **Enter**, kontrollera den och tryck **Bekräfta bokning** (Alt+K). Bekräftelsen ("Tid bokad
  hos …") och, om mottagningen skickar brev, den digitala kallelsen hamnar i inkorgen.
- Hinner någon annan boka tiden före dig får du beskedet *Tiden är inte längre ledig* och ser de
  tider som är kvar.
- **Bokade tider** (Alt+T eller F6): dina kommande tider. Under listan står om du kan omboka
  och avboka tiden själv och till när. **Omboka** (Alt+O) visar tiderna du kan byta till;
  **Avboka** (Alt+A) frågar först. En avbokning betyder att du inte längre vill ha tiden:
  mottagningen avslutar ditt ärende.
- Får du inte ändra tiden själv (tidsgränsen har passerat, du har redan ombokat så många gånger
  som mottagningen tillåter, eller tiden kan inte avbokas i 1177, t.ex. en tid med tolk) står
  det varför. Erbjuder mottagningen **Kontakta oss för att omboka eller avboka tid** (Alt+N)
  skriver du vad du vill ändra och trycker **Skicka** (Alt+S).
- **Boka tid direkt** (Alt+D eller F7): mottagningar som låter vem som helst boka vissa tider
  (1177-nivå 4). Välj mottagning och tid på samma sätt.
- **Esc** går tillbaka ett steg. **Logga ut** (Alt+U). **Alt+X** byter bild.
"""
