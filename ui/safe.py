"""Text that comes from files, URLs and accounts, made safe for Streamlit's markdown.

Nearly every Streamlit text element renders markdown: st.markdown, titles, captions, alerts, toasts, metric labels,
values and deltas, widget labels and help tooltips, radio and select_slider options, tabs, expander, popover, page
link, link and download button labels. A unit named "[Bấm vào đây](https://…)" or "![x](http://…)" would become a
link or fetch an image on the dashboard's origin; Streamlit also turns ":red[…]", ":material/icon:", emoji short codes
and "$…$" (KaTeX) into markup. md() makes such text read literally; what the user reads is the text itself.

How Streamlit 1.67 renders what md() writes (checked in Chromium, every element kind listed above):
- a backslash before ASCII punctuation shows the character alone, and stops links, images, emphasis, code, tables,
  headings, lists, `:red[…]` directives and `$…$` math;
- "<", ">" and "&" are written as entities (shown as the character; raw HTML is never HTML, even where a caller
  passes unsafe_allow_html=True);
- but three things work on the parsed text, after backslashes are gone: GFM's bare-URL links ("https://…", "www.…",
  "name@host.tld"), emoji short codes (":smile:") and material icons (":material/home:"). A WORD JOINER (U+2060,
  invisible, no width) after every ":" and "@" and between "www" and "." breaks their patterns;
- line breaks become spaces (a name is one line; a line break could start a block).

Plain-text places must not get md(): st.text, st.code, st.dataframe / st.data_editor cells, selectbox and
multiselect options (format_func), placeholders, file names of download buttons, page titles.
Plotly figures are not markdown: cchc.show.figures.plot_text escapes their text.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_BACKSLASHED = frozenset("\\`*_[](){}#+-.!|~:$")
_JOINED_AFTER = frozenset(":@")
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_WWW = re.compile(r"(?i)www(?=\\\.)")


def md(text: object) -> str:
    """`text` (a name, a file name, a value from a file or a URL, a message quoting one) escaped for Streamlit's
    markdown, so it shows literally. Format strings keep their own markdown: f"**{md(name)}**".

    Escape once, at the place the text meets Streamlit: md() of md() shows the backslashes.
    """
    if text is None:
        return ""
    out = []
    # one line, never starting with blanks: four leading spaces or a tab would make it a code block
    for ch in _LINE_BREAKS.sub(" ", str(text).replace("\t", " ")).lstrip(" "):
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
            continue
        if ch in _BACKSLASHED:
            out.append("\\")
        out.append(ch)
        if ch in _JOINED_AFTER:
            out.append(WORD_JOINER)
    return _WWW.sub(lambda m: m.group(0) + WORD_JOINER, "".join(out))
