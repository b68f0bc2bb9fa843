"""Every word of a Word file's body comes across: Word XML written here, as Word writes it
(hyperlinks, content controls, fields, smart tags, custom XML, an emoji in
mc:AlternateContent, symbols, sub- and superscript, a text box, a drop cap), then read
by the import. Before, each of these lost its words without a warning."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from lxml import etree

from engine.documents.blocks import from_markdown, to_markdown
from engine.documents.formats import import_document

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"')


def run(text: str, props: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<w:t xml:space="preserve">' \
           f'{text}</w:t></w:r>'


def word_file(tmp_path: Path, *bodies: str, link: str = "") -> Path:
    """A .docx whose body is the given XML pieces (paragraphs, or what holds them);
    ``link``: an external target for relationship id "rLink"."""
    document = docx.Document()
    body = document.element.body
    if link:
        rid = document.part.relate_to(link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        bodies = tuple(b.replace('r:id="rLink"', f'r:id="{rid}"') for b in bodies)
    for xml in bodies:
        holder = etree.fromstring(f"<w:body {NS}>{xml}</w:body>")
        for child in holder:
            body.insert(len(body) - 1, child)  # before the section properties
    path = tmp_path / "made.docx"
    document.save(str(path))
    return path


def markdown(path: Path) -> str:
    return import_document(path).markdown


def test_a_links_words_come_across_as_a_markdown_link(tmp_path):
    path = word_file(tmp_path, "<w:p>" + run("An ") +
                     '<w:hyperlink r:id="rLink">' + run("external link") + run(" to") +
                     "</w:hyperlink>" + run(" a popular website.") +
                     '<w:hyperlink w:anchor="chapter2">' + run(" See chapter two") +
                     "</w:hyperlink></w:p>", link="https://example.org/a-page")
    text = markdown(path)
    assert "An [external link to](https://example.org/a-page) a popular website." in text
    assert "[See chapter two](#chapter2)" in text
    blocks = from_markdown(text)  # and read back: the same link, the same words
    assert blocks[0].runs[1].link == "https://example.org/a-page"
    assert to_markdown(blocks) == text


def test_content_controls_around_runs_paragraphs_and_cells_keep_their_words(tmp_path):
    path = word_file(
        tmp_path,
        "<w:sdt><w:sdtPr/><w:sdtContent><w:p>" + run("Paragraph1 in a control.") +
        "</w:p><w:sdt><w:sdtContent><w:p>" + run("Paragraph2, nested.") +
        "</w:p></w:sdtContent></w:sdt></w:sdtContent></w:sdt>",
        "<w:p>" + run("Before ") + "<w:sdt><w:sdtContent>" + run("inside") +
        "</w:sdtContent></w:sdt>" + run(" after.") + "</w:p>",
        "<w:tbl><w:tr><w:tc><w:p>" + run("cell one") + "</w:p></w:tc>"
        "<w:sdt><w:sdtContent><w:tc><w:p>" + run("Body copy") +
        "</w:p></w:tc></w:sdtContent></w:sdt></w:tr></w:tbl>")
    text = markdown(path)
    assert "Paragraph1 in a control." in text and "Paragraph2, nested." in text
    assert "Before inside after." in text
    assert "| cell one | Body copy |" in text


def test_fields_show_their_result_and_never_their_instructions(tmp_path):
    path = word_file(
        tmp_path,
        '<w:p><w:fldSimple w:instr=" DATE ">' + run("7 December 2026") +
        "</w:fldSimple>" + run(" and ") +
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://x.org" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("the classic study") +
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    text = markdown(path)
    assert "7 December 2026 and the classic study" in text
    assert "HYPERLINK" not in text


def test_smart_tags_custom_xml_symbols_and_an_emoji_as_word_2016_writes_it(tmp_path):
    path = word_file(
        tmp_path,
        '<w:p><w:smartTag w:uri="urn:places" w:element="country">' + run("Egypt") +
        "</w:smartTag>" + run(" and ") + '<w:customXml w:element="place">' + run("Israel") +
        "</w:customXml>" + run(" ") + '<w:r><w:sym w:font="Symbol" w:char="F061"/></w:r>' +
        run(" ") + '<mc:AlternateContent><mc:Choice Requires="w14">' + run("😀") +
        "</mc:Choice><mc:Fallback>" + run("😀") + "</mc:Fallback></mc:AlternateContent>" +
        run(" done.") + "</w:p>")
    assert markdown(path).strip() == "Egypt and Israel a 😀 done."


def test_superscript_and_subscript_are_the_characters(tmp_path):
    path = word_file(tmp_path, "<w:p>" + run("10 m") +
                     run("2", '<w:vertAlign w:val="superscript"/>') + run(" of H") +
                     run("2", '<w:vertAlign w:val="subscript"/>') + run("O.") + "</w:p>")
    assert markdown(path).strip() == "10 m² of H₂O."


def test_a_text_box_follows_the_paragraph_it_is_anchored_in(tmp_path):
    box = ('<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p>' + run("Words in a box.") +
           "</w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>")
    path = word_file(tmp_path, "<w:p>" + run("The anchor paragraph.") + box + "</w:p>",
                     "<w:p>" + run("The next paragraph.") + "</w:p>")
    assert markdown(path) == ("The anchor paragraph.\n\nWords in a box.\n\n"
                              "The next paragraph.\n")


def test_a_drop_cap_starts_its_paragraph_and_letters_formatted_one_by_one_are_one_word(
        tmp_path):
    cap = '<w:p><w:pPr><w:framePr w:dropCap="drop" w:lines="3"/></w:pPr>' + run("O") + "</w:p>"
    letters = "".join(run(c, "<w:b/>") for c in "nce")
    path = word_file(tmp_path, cap, "<w:p>" + letters + run(" upon a time.") + "</w:p>")
    assert markdown(path).strip() == "O**nce** upon a time."


def test_numbered_lists_count_in_the_markdown(tmp_path):
    text = "1. one\n2. two\n   1. two a\n   2. two b\n3. three\n"
    assert to_markdown(from_markdown(text)) == text
