"""ui.safe.md: text from files, URLs and accounts reads literally wherever Streamlit renders markdown.

The browser is the judge (tests/browser/test_hostile_names.py opens every page on hostile names); here the rules are
checked fast: md()'s output rendered by markdown-it as CommonMark with GFM's bare-URL links and strikethrough (what
Streamlit's renderer parses) holds no element but its paragraph and reads as the input; and the patterns Streamlit
applies to the parsed text itself (emoji short codes, material icons, directives, bare URLs, math) find nothing.
"""

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ui.safe import WORD_JOINER, md

HOSTILE = [
    "[Bấm vào đây](https://evil.example/x)",
    "![x](http://127.0.0.1:9/leak.png)",
    '<img src="http://127.0.0.1:9/leak.png">',
    "<a href='https://evil.example'>x</a>",
    "<https://evil.example>",
    "[x]: https://evil.example",
    ":red[x] :blue-background[y] :small[z] :material/home: :material_home: :smile: :+1: :streamlit:",
    "$x^2$ và $$y$$",
    "https://evil.example/p www.evil.example WWW.Evil.example me@evil.example mailto:me@evil.example",
    "**đậm** _nghiêng_ ~~gạch~~ `mã` ```khối```",
    "# Tiêu đề",
    "- mục",
    "+ mục",
    "1. mục",
    "2) mục",
    "> trích",
    "a | b\n--- | ---\nc | d",
    "dòng một\n\n# dòng hai\n===",
    "&lt;b&gt; &amp; &#60;",
    "\\[escaped\\] \\",
    "{#id .class} :::note",
    "\t!",  # a leading tab: an indented code block (found by the randomised test)
    "    mã thụt lề",  # four leading spaces: the same
]

ORDINARY = ["UBND xã Ia Tul", "Phòng Văn hóa-Thông tin", "Văn phòng HĐND-UBND huyện", "Phòng TN&MT",
            "Trung tâm Văn hóa, Thông tin và Thể thao (cũ)", "UBND huyện Ia Pa", "3.4. Tỷ lệ hồ sơ đúng hạn",
            "kế hoạch 75/KH-UBND ngày 10/7/2019", "thong_ke_quy_1.xlsx", "Điểm thẩm định 2018"]


def _renderer() -> MarkdownIt:
    renderer = MarkdownIt("commonmark", {"linkify": True}).enable(["linkify", "strikethrough", "table"])
    renderer.linkify.set({"fuzzy_link": False})  # GFM links bare URLs with a scheme or www., and e-mail addresses
    return renderer


RENDER = _renderer()


def shown(markdown: str) -> str:
    """What a reader sees of rendered markdown that is one paragraph of text (fails on any other element)."""
    rendered = RENDER.render(markdown).strip()
    assert rendered.startswith("<p>") and rendered.endswith("</p>"), rendered
    inner = rendered[3:-4]
    assert "<" not in inner, rendered  # no element at all inside the paragraph: no link, image, emphasis, code
    return html.unescape(inner).replace(WORD_JOINER, "")


def one_line(text: str) -> str:
    return re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", text)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_as_its_own_characters(text):
    # leading blanks are never shown by markdown; a tab reads as a space
    assert shown(md(text)) == one_line(text).replace("\t", " ").lstrip(" ")


@pytest.mark.parametrize("text", HOSTILE)
def test_what_streamlit_reads_in_the_parsed_text_finds_nothing(text):
    # Streamlit's renderer turns these into emoji, icons, coloured text, links and math after parsing, when the
    # backslashes are already gone: so they must not match the text a reader sees either
    text_seen = html.unescape(md(text).replace("\\", ""))
    patterns = [r":[\w+-][\w_+-]*:", r":material[/_]", r":[a-z-]+\[", r"https?://", r"(?i)www\.",
                r"[-.\w+]@[-\w]"]
    for pattern in patterns:
        assert not re.search(pattern, text_seen), (pattern, text_seen)
    assert not re.search(r"(?<!\\)\$", md(text))  # every $ escaped: no KaTeX


def test_within_markdown_of_its_own():
    name = "[x](https://evil.example) *y*"
    rendered = RENDER.render(f"Đơn vị **{md(name)}** · 3 tiêu chí").strip()
    bold = html.escape(md(name).replace("\\", ""), quote=False)  # the name, as its characters
    assert rendered == f"<p>Đơn vị <strong>{bold}</strong> · 3 tiêu chí</p>"
    assert "href" not in rendered


@pytest.mark.parametrize("name", ORDINARY)
def test_ordinary_vietnamese_names_read_unchanged(name):
    assert shown(md(name)) == name
    assert WORD_JOINER not in md(name)


def test_letters_and_spaces_are_left_as_they_are():
    assert md("UBND xã Ia Tul") == "UBND xã Ia Tul"
    assert md("Ủy ban nhân dân xã Chư Răng") == "Ủy ban nhân dân xã Chư Răng"


def test_the_rules():
    assert md("a*b_c") == r"a\*b\_c"
    assert md("<b>&") == "&lt;b&gt;&amp;"
    assert md("x:y") == "x\\:" + WORD_JOINER + "y"
    assert md("a@b") == "a@" + WORD_JOINER + "b"
    assert md("www.x") == "www" + WORD_JOINER + r"\.x"
    assert md("một\r\n\r\n  hai") == "một hai"
    assert md(None) == "" and md(3.5) == r"3\.5"


PUNCTUATION_AND_LETTERS = st.lists(st.sampled_from(
    list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ ") + list("aăâbđeêhiklmnoôơptuưwxyzÀÁẠỦỹ019")
    + ["\n", "\t", "www", "http", "://", ":material/", "&lt;", "1. ", "# "]), max_size=30).map("".join)


@given(PUNCTUATION_AND_LETTERS)
def test_any_text_reads_as_itself(text):
    # leading and trailing blanks are trimmed by markdown (and by Streamlit), tabs inside kept as spaces
    expected = re.sub(r"[ \t]+", " ", one_line(text)).strip()
    seen = re.sub(r"[ \t]+", " ", shown(md(text)) if text.strip() else "").strip()
    assert seen == expected
