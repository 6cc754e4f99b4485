"""The flyer layout on its own (no app): PDFs built from hand-made content and read back.

Text through pypdf, pages rendered with pypdfium2, the QR code decoded with zxing-cpp, glyph boxes
and font sizes from PDFium's text layer.
"""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import replace

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, ImageDraw
from support import read_qr, render_pages

from bop.flyers import layout as flyer_pdf
from bop.flyers.layout import Contact, FlyerContent, FlyerDay, FlyerItem, Phrases, render_flyer

MM = 72 / 25.4
URL = "https://bop.example.nl/bop/rijn-en-vliet?week=2026-W48&bron=flyer"
CATEGORIES = ["coffee", "walk", "language", "health", "creative", "sport", "other"]
ARABIC = Phrases(cancelled="ملغى", moved="انتبه: يوم أو وقت مختلف",
                 empty="لا توجد أنشطة هذا الأسبوع — لكن القهوة جاهزة", contact="أسئلة؟ اتصل بي أو راسلني:",
                 phone="هاتف", whatsapp="واتساب", where="العنوان", opening="مفتوح",
                 scan="امسح الرمز: البرنامج على هاتفك", more="انظر أيضا الصفحة التالية", free="مجاني")
BANNER = "Iedereen is welkom. U hoeft zich niet aan te melden."
BANNER_AR = "الجميع مرحب بهم. لا حاجة للتسجيل."


def portrait() -> bytes:
    image = Image.new("RGB", (300, 420), "#dde6ee")
    draw = ImageDraw.Draw(image)
    draw.ellipse((90, 60, 210, 190), fill="#b07a50")
    draw.rectangle((50, 230, 250, 420), fill="#204a80")
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def week(arabic: bool = False) -> tuple[FlyerDay, ...]:
    def ar(text: str) -> str:
        return text if arabic else ""

    return (
        FlyerDay("Maandag 23 november", ar("الاثنين 23 نوفمبر"), (
            FlyerItem("10:00", "12:00", "Koffie-ochtend", "Koffie en een praatje", "coffee",
                      title2=ar("صباح القهوة"), summary2=ar("قهوة وشاي وحديث")),
            FlyerItem("14:00", "15:00", "Wandelclub", "Wandelen in de wijk, hooguit 2 km", "walk",
                      cancelled=True, reason="Koningsdag", title2=ar("نادي المشي")),
        )),
        FlyerDay("Dinsdag 24 november", ar("الثلاثاء 24 نوفمبر"), ()),
        FlyerDay("Woensdag 25 november", ar("الأربعاء 25 نوفمبر"), (
            FlyerItem("13:30", "15:00", "Spreekuur wijkverpleegkundige", "Bloeddruk meten", "health", moved=True),
            FlyerItem("15:00", "16:30", "Samen schilderen", "Alle materialen zijn er", "creative", price="€ 2,50"),
        )),
    )


def content(days=None, arabic: bool = False, photo: bytes | None = b"", **overrides) -> FlyerContent:
    fields = dict(
        location_name="BOP Rijn en Vliet",
        week_label="Programma week 48: 23 tot en met 29 november",
        agenda_url=URL,
        days=week(arabic) if days is None else days,
        address="Rijnstraat 12, 2313 AB Leiden",
        opening_hours="maandag tot en met vrijdag 9:30 tot 12:00",
        banner=BANNER,
        contact=Contact("Samira el Amrani", "071 512 34 56", "06 12 34 56 78",
                        portrait() if photo == b"" else photo),
    )
    if arabic:
        fields.update(phrases2=ARABIC, lang2="ar", week_label2="برنامج الأسبوع 48: من 23 إلى 29 نوفمبر",
                      banner2=BANNER_AR)
    fields.update(overrides)
    return FlyerContent(**fields)


def busy_week(n: int = 25) -> tuple[FlyerDay, ...]:
    days = []
    for d, name in enumerate(["Maandag", "Dinsdag", "Woensdag", "Donderdag", "Vrijdag"]):
        items = tuple(
            FlyerItem(f"{9 + i:02d}:00", f"{10 + i:02d}:00", f"Activiteit {d * 5 + i + 1:02d} in de huiskamer",
                      "Een korte regel uitleg over wat we doen", CATEGORIES[(d + i) % 7],
                      cancelled=(i == 2 and d == 1), reason="ziek")
            for i in range(5) if d * 5 + i < n
        )
        days.append(FlyerDay(f"{name} {23 + d} november", "", items))
    return tuple(days)


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """NFKC (Arabic presentation forms back to letters, no-break spaces to spaces), and line breaks
    as spaces, so a wrapped sentence is found whole."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def forms(pdf: bytes) -> dict[str, pypdf.generic.DictionaryObject]:
    """Every form XObject in the file by name, nested ones included."""
    found = {}

    def walk(resources) -> None:
        for name, ref in (resources or {}).get("/XObject", {}).items():
            obj = ref.get_object()
            if name not in found:
                found[name] = obj
                walk(obj.get("/Resources"))

    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        walk(page["/Resources"])
    return found


def chars(pdf: bytes, page_index: int = 0):
    """(char, font size, (left, bottom, right, top)) for every drawn character, via PDFium."""
    document = pdfium.PdfDocument(pdf)
    page = document[page_index]
    textpage = page.get_textpage()
    width, height = page.get_size()
    result = []
    for i in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
        if char.isspace() or not char.isprintable():
            continue
        size = pdfium_c.FPDFText_GetFontSize(textpage, i)
        result.append((char, size, textpage.get_charbox(i)))
    textpage.close()
    page.close()
    document.close()
    return result, (width, height)


# ---------------------------------------------------------------- sizes and copies


@pytest.mark.parametrize("fmt, width_mm, height_mm", [("A4", 210, 297), ("A3", 297, 420),
                                                      ("A5", 297, 210)])  # A5: two on a landscape A4 sheet
def test_page_size_in_points(fmt, width_mm, height_mm):
    pdf = render_flyer(content(), fmt)
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        assert float(page.mediabox.width) == pytest.approx(width_mm * MM, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(height_mm * MM, abs=0.01)


def test_a5_is_two_a5_flyers_on_an_a4_sheet_with_cut_marks():
    pdf = render_flyer(content(), "A5", copies=3)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2 * flyer_pdf.page_count(content(), "A5")  # 3 flyers round up to 2 sheets
    flyer_forms = [f for name, f in forms(pdf).items() if name.startswith("/FormXob.flyer-")]
    assert flyer_forms
    for form in flyer_forms:  # each flyer is exactly A5
        x0, y0, x1, y1 = (float(v) for v in form["/BBox"])
        assert (x1 - x0, y1 - y0) == (pytest.approx(148 * MM, abs=0.01), pytest.approx(210 * MM, abs=0.01))
    # Both halves carry the flyer: the name is there twice, once left of the cut and once right.
    boxes, (width, _) = chars(pdf)
    b_left = [box for char, _, box in boxes if char == "B" and box[2] < width / 2]
    b_right = [box for char, _, box in boxes if char == "B" and box[0] > width / 2]
    assert b_left and len(b_left) == len(b_right)
    # The cut marks: short vertical strokes at the middle of the top and bottom edges, drawn as
    # vector lines, so the rendered middle column is dark there and white between them.
    image = pdfium.PdfDocument(pdf)[0].render(scale=2).to_pil().convert("L")
    mid = image.width // 2
    assert min(image.getpixel((x, 3)) for x in range(mid - 2, mid + 3)) < 128
    assert min(image.getpixel((x, image.height - 4)) for x in range(mid - 2, mid + 3)) < 128
    assert min(image.getpixel((x, image.height // 2)) for x in range(mid - 2, mid + 3)) > 200


def test_copies_reuse_one_drawn_page():
    one = render_flyer(content(), "A4", copies=1)
    many = render_flyer(content(), "A4", copies=500)
    reader = pypdf.PdfReader(io.BytesIO(many))
    assert len(reader.pages) == 500
    assert (len(many) - len(one)) / 499 < 1024  # bytes per extra copy
    # Every page only places the same form; the drawing itself is in the file once.
    names = {re.search(rb"/(FormXob\.[^ ]+) Do", page.get_contents().get_data()).group(1)
             for page in reader.pages}
    assert names == {b"FormXob.flyer-0"}
    assert text_of(many)[499] == text_of(one)[0]


@pytest.mark.parametrize("copies", [0, -1, 501, 100000])
def test_copies_out_of_range_are_refused(copies):
    with pytest.raises(ValueError):
        render_flyer(content(), "A4", copies=copies)


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        render_flyer(content(), "B5")


# ---------------------------------------------------------------- what the reader sees


def test_every_activity_title_and_time_and_cancellations():
    days = week()
    pdf = render_flyer(content(days))
    text = flat("\n".join(text_of(pdf)))
    items = [item for day in days for item in day.items]
    for day in days:
        if day.items:
            assert day.label in text
    assert "Dinsdag 24 november" not in text  # a day without activities is left out
    for item in items:
        assert item.title in text
        assert f"{item.start} – {item.end}" in text
        # Everything printed between this title and the next time belongs to this item.
        after = text[text.index(item.title):]
        segment = re.split(r"\d\d:\d\d – \d\d:\d\d", after, maxsplit=1)[0]
        assert ("Gaat niet door" in segment) == item.cancelled, item.title
        assert ("Let op: andere dag of tijd" in segment) == item.moved, item.title
    assert "Gaat niet door: Koningsdag" in text
    assert "€ 2,50" in text
    assert BANNER in text
    # Each activity shows its price, or "Gratis" when it is free: cut the text at every time.
    starts = [m.start() for m in re.finditer(r"\d\d:\d\d – \d\d:\d\d", text)]
    pieces = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)], strict=True)]
    assert len(pieces) == len(items)
    for item, piece in zip(items, pieces, strict=True):
        assert item.title in piece
        assert ("Gratis" in piece) == (not item.price), item.title
        assert item.price in piece
    for fixed in ("BOP Rijn en Vliet", "Programma week 48", "Rijnstraat 12, 2313 AB Leiden",
                  "Samira el Amrani", "071 512 34 56", "06 12 34 56 78", "Scan de code"):
        assert fixed in text


def _fonts_of(pdf: bytes, page_index: int = 0) -> list[tuple[str, str, tuple]]:
    """(char, font name, box) for every drawn character, via PDFium."""
    import ctypes

    document = pdfium.PdfDocument(pdf)
    textpage = document[page_index].get_textpage()
    result = []
    buffer = ctypes.create_string_buffer(128)
    for i in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
        if char.isspace() or not char.isprintable():
            continue
        pdfium_c.FPDFText_GetFontInfo(textpage, i, buffer, 128, None)
        result.append((char, buffer.value.decode(), textpage.get_charbox(i)))
    textpage.close()
    document.close()
    return result


def _word(glyphs, word: str) -> list:
    text = "".join(char for char, *_ in glyphs)
    return [glyphs[m.start() + k] for m in re.finditer(re.escape(word), text) for k in range(len(word))]


def test_free_activities_say_gratis_in_bold_under_their_time():
    glyphs = _fonts_of(render_flyer(content()))
    gratis = _word(glyphs, "Gratis")
    assert len(gratis) == 3 * len("Gratis")  # three free activities; the painting costs € 2,50
    price = _word(glyphs, "2,50")
    assert price and all("Bold" in font for _, font, _ in gratis + price)  # bold, like a price
    # In the wide layout the price sits under the time, at its left edge: it costs no extra line.
    times = _word(glyphs, "10:00")
    assert abs(gratis[0][2][0] - times[0][2][0]) < 1.5 and gratis[0][2][3] < times[0][2][1]


def test_bilingual_flyer_says_free_in_both_languages():
    text = flat("\n".join(text_of(render_flyer(content(arabic=True)))))
    assert text.count("Gratis") == 3 and text.count("مجاني") == 3
    assert BANNER in text


def test_see_next_page_note_stays_clear_of_the_programme():
    """A bilingual A5 week whose first activity barely fits under the header: the header gets
    tighter rather than the activity running into "Kijk ook op de volgende bladzijde"."""
    first = FlyerDay("Maandag tot en met vrijdag", "من الاثنين إلى الجمعة", (
        FlyerItem("09:30", "12:00", "Inloopochtend met koffie", "Koffie, thee en een praatje. Loop gewoon binnen.",
                  "coffee", title2="صباح القهوة", summary2="قهوة وشاي وحديث. تفضلوا بالدخول."),))
    pdf = render_flyer(content(arabic=True, days=(first,) + week(True)), "A5")
    boxes, _ = chars(pdf)
    note = _word([(char, None, box) for char, _, box in boxes], "Kijkookopdevolgendebladzijde")
    assert note
    note_top = max(box[3] for *_, box in note)
    above = [box[1] for _, _, box in boxes if box[1] > note[0][2][1] + 1]
    assert min(above) - note_top >= 5


LONG_SUMMARY = ("De wijkverpleegkundige meet uw bloeddruk en geeft advies over eten, bewegen en slapen. "
                "U hoeft geen afspraak te maken. Kom gewoon langs.")


@pytest.mark.parametrize("fmt", ["A4", "A5"])
def test_a_long_summary_is_printed_whole_in_a_narrow_column(fmt):
    items = [FlyerItem("13:30", "15:00", "Spreekuur", LONG_SUMMARY, "health")] + [
        FlyerItem(f"{9 + i:02d}:00", f"{10 + i:02d}:00", f"Koffie {i}", "Koffie en thee", CATEGORIES[i % 7])
        for i in range(7)]
    names = ["Maandag 23", "Dinsdag 24", "Woensdag 25", "Donderdag 26"]
    flyer = content(days=tuple(FlyerDay(f"{name} november", "", tuple(items[2 * d:2 * d + 2]))
                               for d, name in enumerate(names)))
    _content, _size, _st, pages, _more = flyer_pdf.render.plan(flyer, fmt)
    if fmt == "A4":  # the two-column layout, where the summary used to end in "…"
        assert any(x > 0 for page in pages for x, _y, _block in page.placed)
    text = flat(" ".join(text_of(render_flyer(flyer, fmt))))
    assert LONG_SUMMARY in text
    assert "…" not in text


LONG_REASSURANCE = ("U hoeft zich niet aan te melden en u hoeft niets mee te nemen. Geen ervaring nodig: iedereen "
                    "begint een keer. Kom gerust alleen, er is altijd iemand die u wegwijs maakt en koffie zet.")


@pytest.mark.parametrize("fmt", ["A4", "A5"])
def test_a_long_reassurance_line_is_printed_whole_with_its_activity_and_in_the_banner(fmt):
    assert len(LONG_REASSURANCE) <= 200  # what the activity form allows
    items = [FlyerItem("13:30", "15:00", "Spreekuur", LONG_SUMMARY, "health", threshold=LONG_REASSURANCE)] + [
        FlyerItem(f"{9 + i:02d}:00", f"{10 + i:02d}:00", f"Koffie {i}", "Koffie en thee", CATEGORIES[i % 7])
        for i in range(7)]
    items[1] = replace(items[1], threshold="Kom gerust alleen.")  # after a summary without a full stop
    names = ["Maandag 23", "Dinsdag 24", "Woensdag 25", "Donderdag 26"]
    days = tuple(FlyerDay(f"{name} november", "", tuple(items[2 * d:2 * d + 2])) for d, name in enumerate(names))
    for flyer in (content(days=days), content(days=days[1:], reassurance=LONG_REASSURANCE)):
        text = flat(" ".join(text_of(render_flyer(flyer, fmt))))
        assert text.count(LONG_REASSURANCE) == text.count("Adres:")  # once a flyer (A5: two on a sheet)
        assert "…" not in text
    text = flat(" ".join(text_of(render_flyer(content(days=days), fmt))))
    assert f"{LONG_SUMMARY} {LONG_REASSURANCE}" in text
    assert "Koffie en thee. Kom gerust alleen." in text



def test_own_reassurance_lines_give_way_before_a_second_page():
    """A week that fits one A4 page only without the activities' own reassurance lines is printed
    on one page without them; a week that fits with them, or needs two pages anyway, keeps them."""
    render = flyer_pdf.render
    own = "Wie eerst komt, is eerst aan de beurt. Neem gerust iemand mee."

    def flyer(count: int) -> FlyerContent:
        items = [FlyerItem(f"{9 + i % 8:02d}:00", f"{10 + i % 8:02d}:00", f"Activiteit {i}", "Koffie en thee.",
                           CATEGORIES[i % 7], threshold=own) for i in range(count)]
        return content(days=tuple(FlyerDay(f"Dag {d}", "", tuple(items[2 * d:2 * d + 2]))
                                  for d in range((count + 1) // 2)))

    def fits(flyer_content: FlyerContent) -> bool:
        return render._one_page(flyer_content, "A4") is not None

    sizes = range(1, 12)
    tight = [n for n in sizes if not fits(flyer(n)) and fits(render._without_own_reassurance(flyer(n)))]
    roomy = [n for n in sizes if fits(flyer(n))]
    crowded = [n for n in sizes if not fits(render._without_own_reassurance(flyer(n)))]
    assert tight and roomy and crowded  # the three cases exist
    for n, pages, printed in ((roomy[-1], 1, True), (tight[0], 1, False), (crowded[0], 2, True)):
        pdf = render_flyer(flyer(n), "A4")
        assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == pages, n
        assert (own in flat(" ".join(text_of(pdf)))) is printed, n


def test_cancelled_activity_is_struck_through():
    # The struck-out title has a line through the middle of its letters: dark pixels in a row at
    # x-height that run across the word gaps too, which plain text never has.
    pdf = render_flyer(content())
    boxes, (_, height) = chars(pdf)
    text = "".join(char for char, _, _ in boxes)
    start = text.index("Wandelclub")
    word = [box for _, _, box in boxes[start:start + len("Wandelclub")]]
    left, right = word[0][0], word[-1][2]
    bottom, top = min(b[1] for b in word), max(b[3] for b in word)
    scale = 3
    image = pdfium.PdfDocument(pdf)[0].render(scale=scale).to_pil().convert("L")
    rows = range(int((height - top) * scale), int((height - bottom) * scale))
    full_rows = [y for y in rows
                 if all(image.getpixel((x, y)) < 128 for x in range(int(left * scale) + 2, int(right * scale) - 2))]
    assert full_rows, "no strike-through line across the cancelled title"


def test_qr_code_leads_to_the_agenda_with_flyer_marker_and_is_large_enough():
    pdf = render_flyer(content())
    scale = 3.0
    codes = read_qr(render_pages(pdf, dpi=round(72 * scale))[0])
    assert [code.text for code in codes] == [URL]
    assert "bron=flyer" in codes[0].text
    position = codes[0].position
    width_mm = (position.top_right.x - position.top_left.x) / scale / MM
    assert width_mm >= 25


@pytest.mark.parametrize("fmt", ["A5", "A3"])
def test_qr_code_decodes_in_every_format(fmt):
    codes = read_qr(render_pages(render_flyer(content(), fmt), dpi=144)[0])
    assert codes and {code.text for code in codes} == {URL}


def test_body_text_is_at_least_14_points_and_stays_on_the_page():
    for fmt in ("A4", "A5"):
        pdf = render_flyer(content(days=busy_week(), arabic=True), fmt)
        for index in range(len(pypdf.PdfReader(io.BytesIO(pdf)).pages)):
            boxes, (width, height) = chars(pdf, index)
            sizes = {round(size, 1) for _, size, _ in boxes}
            assert min(sizes) >= 14, (fmt, index, sorted(sizes))
            for char, _, (left, bottom, right, top) in boxes:
                assert left >= 5 * MM and right <= width - 5 * MM, (fmt, char)
                assert bottom >= 5 * MM and top <= height - 5 * MM, (fmt, char)


def _overlaps(boxes) -> list:
    """Pairs of glyphs (on different lines) whose boxes overlap: text printed over text."""
    grid: dict[tuple[int, int], list] = {}
    found = []
    for char, _, box in boxes:
        left, bottom, right, top = box
        if right - left < 0.5 or top - bottom < 0.5:
            continue
        cells = {(int(x // 20), int(y // 20)) for x in (left, right) for y in (bottom, top)}
        for cell in cells:
            for other_char, other in grid.get(cell, []):
                same_line = abs(other[1] - bottom) < 2  # kerning neighbours may touch
                ix = min(right, other[2]) - max(left, other[0])
                iy = min(top, other[3]) - max(bottom, other[1])
                if not same_line and ix > 0.5 and iy > 0.5:
                    found.append((char, other_char, box, other))
            grid.setdefault(cell, []).append((char, box))
    return found


@pytest.mark.parametrize("fmt", ["A4", "A5"])
def test_a_busy_week_of_25_fits_legibly_without_overlap(fmt):
    days = busy_week(25)
    pdf = render_flyer(content(days=days), fmt)
    pages = text_of(pdf)
    text = flat("\n".join(pages))
    for day in days:
        for item in day.items:
            assert item.title in text and f"{item.start} – {item.end}" in text
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for index in range(len(reader.pages)):
        boxes, _ = chars(pdf, index)
        assert not _overlaps(boxes)[:3]
    # At most ten pictograms on a page (Pharos): count the pictogram forms each page places.
    for name, form in forms(pdf).items():
        if name.startswith("/FormXob.flyer-"):
            assert len(re.findall(rb"/FormXob\.pict-\S+ Do", form.get_data())) <= 10
    if fmt == "A4":
        assert len(reader.pages) <= 3  # 25 pictograms at ten a page: three pages at most
        assert "Kijk ook op de volgende bladzijde" in pages[0]


def test_an_ordinary_week_fits_one_a4_page():
    assert flyer_pdf.page_count(content(), "A4") == 1
    nine = busy_week(9)
    assert flyer_pdf.page_count(content(days=nine), "A4") == 1


def test_empty_week_prints_a_friendly_flyer():
    pdf = render_flyer(content(days=(FlyerDay("Maandag 23 november"),)))
    text = flat(text_of(pdf)[0])
    assert "Deze week geen activiteiten — de koffie staat wel klaar" in text
    assert "Samira el Amrani" in text
    codes = read_qr(render_pages(pdf, dpi=216)[0])
    assert codes[0].text == URL


def test_long_title_and_emoji_do_not_break_the_pdf():
    long_title = "Heel lange titel " * 18  # 306 characters
    days = (FlyerDay("Maandag 23 november", "", (
        FlyerItem("10:00", "11:00", long_title, "Samen 🎉 koken 🍲 en eten 👩‍🍳", "coffee"),
        FlyerItem("12:00", "13:00", "🧘‍♀️ Stoelyoga", "Rustig bewegen", "sport"),
        FlyerItem("14:00", "15:00", "Eénwoordzonderspatiesdienietoponeregelpastomdathijveeltelangisvoordekolom",
                  "", "other"),
    )),)
    for fmt in ("A4", "A5"):
        pdf = render_flyer(content(days=days), fmt)
        text = flat("\n".join(text_of(pdf)))
        assert "Heel lange titel Heel lange titel" in text
        assert "Heel lange titel..." in text or "Heel lange..." in text  # cut off visibly (NFKC: … is ...)
        assert "Samen koken en eten" in text
        assert "Stoelyoga" in text
        assert not re.search("[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]", text)
        for index in range(len(pypdf.PdfReader(io.BytesIO(pdf)).pages)):
            boxes, (width, height) = chars(pdf, index)
            assert all(box[2] <= width - 5 * MM and box[1] >= 5 * MM for _, _, box in boxes)
            assert not _overlaps(boxes)[:3]


def test_turkish_polish_ukrainian_letters_are_kept():
    phrases = Phrases(cancelled="İptal", contact="Питання? Зателефонуйте", scan="Zeskanuj kod: łódź")
    pdf = render_flyer(content(phrases2=phrases, lang2="tr", week_label2="Program, 48. hafta: ğüşıöç"))
    text = flat(text_of(pdf)[0])
    for word in ("ğüşıöç", "Питання", "łódź"):
        assert word in text


# ---------------------------------------------------------------- Arabic


def test_bilingual_arabic_flyer_contains_the_arabic_text():
    pdf = render_flyer(content(arabic=True))
    text = flat("\n".join(text_of(pdf)))
    # The text layer holds Arabic presentation forms; NFKC maps them back to the letters. Words
    # are compared one by one because digits and punctuation form runs of their own.
    for phrase in (BANNER_AR, "مجاني", "صباح القهوة", "قهوة وشاي وحديث", "نادي المشي", "ملغى",
                   "الاثنين 23 نوفمبر", ARABIC.contact, ARABIC.scan, "انتبه: يوم أو وقت مختلف"):
        for word in re.findall(r"[\u0600-\u06FF]+", phrase):
            assert word in text, word
    assert "Koffie-ochtend" in text and "Gaat niet door" in text  # Dutch stays first


def test_arabic_is_shaped_and_right_to_left():
    pdf = render_flyer(content(arabic=True))
    # Shaped: the drawn glyphs are the joined presentation forms (initial, medial, final, and the
    # lam-alef ligature of "لا حاجة"), which pypdf reports as they are in the font's ToUnicode map.
    raw = "".join(text_of(pdf))
    drawn = [char for char in raw if "\u0621" <= char <= "\u064A" or "\uFB50" <= char <= "\uFEFF"]
    assert drawn and all("\uFB50" <= char <= "\uFEFF" for char in drawn)  # no unshaped letter
    assert any("\uFEF5" <= char <= "\uFEFC" for char in drawn)
    # Right-to-left: PDFium gives the letters of "صباح القهوة" in reading order with their boxes;
    # the first letter must sit at the right of the last, and the line end at its column's right edge.
    boxes, (width, _) = chars(pdf)
    letters = "".join(char for char, _, _ in boxes)
    start = letters.index("صباحالقهوة")
    word = [box for _, _, box in boxes[start:start + len("صباحالقهوة")]]
    assert word[0][0] > word[-1][2]
    assert all(word[i][0] >= word[i + 1][0] for i in range(len(word) - 1))
    assert word[0][2] > width - 20 * MM


# ---------------------------------------------------------------- the contact person


def _images(pdf: bytes) -> list:
    return [form for form in forms(pdf).values() if form.get("/Subtype") == "/Image"]


def test_staff_photo_is_embedded_as_an_image():
    pdf = render_flyer(content())
    images = _images(pdf)
    assert len(images) == 1
    assert (images[0]["/Width"], images[0]["/Height"]) == (360, 450)


@pytest.mark.parametrize("photo", [None, b"not an image at all", portrait()[:200]])
def test_missing_or_corrupt_photo_gets_the_placeholder(photo):
    pdf = render_flyer(content(photo=photo))
    assert _images(pdf) == []
    text = flat(text_of(pdf)[0])
    assert "Samira el Amrani" in text and "06 12 34 56 78" in text
    # The placeholder outline is drawn where the photo would be: dark pixels in the footer's corner.
    document = pdfium.PdfDocument(pdf)
    image = document[0].render(scale=1).to_pil().convert("L")
    document.close()
    region = image.crop((int(15 * MM), int(image.height - 90 * MM), int(45 * MM), image.height - int(15 * MM)))
    assert region.getextrema()[0] < 100


def test_flyer_without_contact_person_still_has_qr():
    pdf = render_flyer(content(contact=None))
    codes = read_qr(render_pages(pdf, dpi=216)[0])
    assert codes[0].text == URL
