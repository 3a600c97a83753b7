"""Streamlit's own words in Vietnamese: what its widgets, toolbars and dialogs would otherwise say in English.

Streamlit 1.67 has no setting for the language of its interface. What configuration can do is done in
.streamlit/config.toml: `client.toolbarMode = "minimal"` hides the app menu (Print, Record a screencast, Made with
Streamlit, …), as no menu item is set in st.set_page_config. The rest is done here, once per page load:

- CSS for what the app replaces: Streamlit's CSV download on tables (the "Tải Excel" button under each table gives
  formatted Excel instead);
- a small script that rewrites Streamlit's English strings wherever Streamlit draws them (text, tooltips, aria
  labels, placeholders), watching the page as it changes. It only touches Streamlit's own chrome: text under
  markdown, code and plain-text elements (the app's and the user's own words) is left alone, except in Streamlit's
  tooltips, uploader button and dialogs, where Streamlit writes its own words as markdown.

The strings are Streamlit 1.67's, read from its frontend bundle (streamlit/static/static/js/*.js): the file
uploader (FileUploader), the pickers (Selectbox, Multiselect, utils), the tables' toolbar and column menu
(DataFrame, Toolbar), copy buttons (useCopyToClipboard), input instructions (InputInstructions) and the app's
frame (index: status widget, connection and page-not-found dialogs). ENGLISH lists what must never show;
tests/browser/test_vietnamese.py checks every page for it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import streamlit as st

PAGE_ICON = Path(__file__).resolve().parent.parent / "data" / "bieu_tuong.png"  # the browser tab's icon, local

# Streamlit's English → Vietnamese, whole strings (after trimming).
WORDS: dict[str, str] = {
    # file uploader
    "Upload": "Tải tệp lên", "Browse files": "Chọn tệp", "Add files": "Thêm tệp",
    "Drag and drop file here": "Kéo thả tệp vào đây", "Drag and drop a file here": "Kéo thả tệp vào đây",
    "Drag and drop files here": "Kéo thả các tệp vào đây", "Upload directories": "Tải thư mục lên",
    "Drag and drop directories here": "Kéo thả thư mục vào đây", "add icon": "thêm",
    # pickers
    "No results": "Không tìm thấy", "No options to select": "Không có lựa chọn nào",
    "Choose an option": "Chọn một mục", "Choose options": "Chọn các mục", "Clear all": "Bỏ chọn tất cả",
    "Clear value": "Bỏ chọn", "Select all": "Chọn tất cả", "Selected values": "Đã chọn", "Open": "Mở",
    "Selectbox options": "Các lựa chọn", "Multiselect options": "Các lựa chọn",
    # tables: toolbar, search, column menu
    "Download as CSV": "Tải CSV", "Search": "Tìm kiếm", "Fullscreen": "Toàn màn hình",
    "Close fullscreen": "Thoát toàn màn hình", "Show/hide columns": "Ẩn/hiện cột", "Add row": "Thêm dòng",
    "Delete row(s)": "Xóa dòng", "Type to search": "Gõ để tìm", "Close Search": "Đóng tìm kiếm",
    "Next Result": "Kết quả sau", "Previous Result": "Kết quả trước", "Clear selection": "Bỏ chọn",
    "Sort ascending": "Sắp xếp tăng dần", "Sort descending": "Sắp xếp giảm dần", "Format": "Định dạng",
    "Autosize": "Tự chỉnh độ rộng", "Pin column": "Ghim cột", "Unpin column": "Bỏ ghim cột",
    "Hide column": "Ẩn cột", "Copy column name": "Sao chép tên cột", "Automatic": "Tự động",
    "Localized": "Theo ngôn ngữ", "Plain": "Số thường", "Percent": "Phần trăm", "Scientific": "Dạng khoa học",
    "Accounting": "Kế toán", "Compact": "Rút gọn", "Dollar": "Đô la", "Euro": "Euro", "Yen": "Yên",
    "Statistics": "Thống kê", "Dataframe column menu": "Trình đơn cột", "Loading...": "Đang tải…",
    "No data": "Không có dữ liệu",
    # copy buttons (st.code)
    "Copy to clipboard": "Sao chép", "Copied": "Đã sao chép",
    # input instructions
    "Press Enter to apply": "Nhấn Enter để áp dụng", "Press Enter to submit form": "Nhấn Enter để gửi",
    "Press Ctrl+Enter to apply": "Nhấn Ctrl+Enter để áp dụng", "Press ⌘+Enter to apply": "Nhấn ⌘+Enter để áp dụng",
    "Clear entry": "Xóa", "Show password": "Hiện mật khẩu", "Hide password": "Ẩn mật khẩu",
    # the app's frame
    "Running...": "Đang chạy…", "Stop": "Dừng", "Stopping...": "Đang dừng…", "Rerun": "Chạy lại",
    "Connecting": "Đang kết nối", "Please wait...": "Xin chờ…", "Connection error": "Lỗi kết nối",
    "Connection lost. Please wait for the app to reconnect, then try again.":
        "Mất kết nối tới máy chủ. Xin chờ kết nối lại rồi thử lại.",
    "Connection timed out.": "Quá thời gian chờ kết nối.",
    "Page not found": "Không tìm thấy trang",
    "The page that you have requested does not seem to exist. Running the app's main page.":
        "Không có trang này. Đang mở trang chính.",
    "Close": "Đóng", "Skip to main content": "Đến nội dung chính", "Main menu": "Trình đơn",
    "Collapse sidebar": "Thu gọn thanh bên", "Expand sidebar": "Mở thanh bên", "View more": "Xem thêm",
    "View less": "Thu gọn", "Clear caches": "Xóa bộ nhớ đệm", "Clear cache": "Xóa bộ nhớ đệm",
}

# Whole strings with a number in them: (pattern, replacement). File sizes read as Vietnamese numbers (12,3 KB).
PATTERNS: list[tuple[str, str]] = [
    (r"^(?:Limit )?(\d+(?:\.\d+)?)\s?(B|KB|MB|GB) per file$", "Tối đa $1 $2 mỗi tệp"),
    (r"^(\d+)\.(\d+)\s?(B|KB|MB|GB)$", "$1,$2 $3"),
    (r"^(\d+)\s?(B|KB|MB|GB)$", "$1 $2"),
    (r"^Remove (.+)$", "Bỏ $1"),
]

# What no page may show: the English a Vietnamese user would meet (tests/browser/test_vietnamese.py).
ENGLISH: tuple[str, ...] = (
    "Drag and drop", "Browse files", "per file", "Upload", "No results", "Choose an option", "Choose options",
    "Download as CSV", "Search", "Fullscreen", "Show/hide columns", "Print", "Record a screencast",
    "Made with Streamlit", "Running...", "Stop", "Press Enter", "Copy to clipboard", "Clear all", "Main menu",
    "Page not found", "Sort ascending", "Autosize", "Pin column", "Zoom", "Pan", "Autoscale", "Reset axes",
    "Download plot", "None", "nan", "NaN", "<NA>",
)

# Streamlit's CSV download of a table: "Tải Excel" under each table replaces it (formatted, formulas neutralised).
# Both labels: the script below renames the button, and this rule must hide it either way.
CSS = """<style>
[data-testid="stElementToolbar"] button[aria-label="Download as CSV"],
[data-testid="stElementToolbar"] button[aria-label="Tải CSV"] { display: none; }
/* the script's own element: nothing to show, and no gap in the page */
[data-testid="stElementContainer"]:has(script[data-cchc-vietnamese]) { display: none; }
</style>"""

_SCRIPT = """<script data-cchc-vietnamese>
(() => {
  if (window.__cchcVietnamese) return;  // once per page load: Streamlit reruns redraw this element
  window.__cchcVietnamese = true;
  const WORDS = __WORDS__;
  const PATTERNS = __PATTERNS__.map(([re, to]) => [new RegExp(re), to]);
  const ATTRS = ["aria-label", "title", "placeholder", "data-title"];
  // the app's and the user's own words are never rewritten, except where Streamlit writes its own words in
  // markdown too: its tooltips, the uploader's button, its dialogs
  const OWN = '[data-testid="stMarkdownContainer"], [data-testid="stCode"], [data-testid="stText"], '
    + '[data-testid="stCaptionContainer"], [data-testid="stHtml"], pre, code, .main-svg';
  const CHROME = '[data-testid="stTooltipContent"], [data-testid="stFileUploaderDropzone"], [role="dialog"]';
  const say = text => {
    const key = text.trim();
    if (!key) return null;
    let out = WORDS[key];
    if (out === undefined) {
      for (const [re, to] of PATTERNS) if (re.test(key)) { out = key.replace(re, to); break; }
    }
    return out === undefined ? null : text.replace(key, out);
  };
  const fixText = node => {
    const parent = node.parentElement;
    if (!parent || (parent.closest(OWN) && !parent.closest(CHROME))) return;
    const fixed = say(node.nodeValue);
    if (fixed !== null && fixed !== node.nodeValue) node.nodeValue = fixed;
  };
  const fixAttrs = el => {
    for (const name of ATTRS) {
      const value = el.getAttribute(name);
      if (!value) continue;
      const fixed = say(value);
      if (fixed !== null && fixed !== value) el.setAttribute(name, fixed);
    }
  };
  // A chart's drawing is thousands of nodes with none of Streamlit's words (its mode bar, where Streamlit adds
  // "Fullscreen", is outside it): the walk never enters a drawing, which keeps the page's first drawing cheap.
  // Nor does it enter the app's own HTML (its tables hold hundreds of cells of names from the user's files).
  const SKIP = "svg.main-svg, canvas, [data-testid='stHtml']";
  const filter = {acceptNode: n => n.nodeType === Node.ELEMENT_NODE && n.matches(SKIP)
    ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT};
  const fix = node => {
    if (node.nodeType === Node.TEXT_NODE) return fixText(node);
    if (node.nodeType !== Node.ELEMENT_NODE || node.closest(SKIP)) return;
    fixAttrs(node);
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, filter);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) fixText(n); else fixAttrs(n);
    }
  };
  new MutationObserver(records => {
    for (const r of records) {
      if (r.type === "childList") r.addedNodes.forEach(fix);
      else if (r.type === "characterData") fixText(r.target);
      else if (!r.target.closest(SKIP)) fixAttrs(r.target);
    }
  }).observe(document.documentElement, {subtree: true, childList: true, characterData: true, attributes: true,
                                        attributeFilter: ATTRS});
  fix(document.body);
})();
</script>"""


def _js_patterns() -> str:
    for pattern, _ in PATTERNS:
        re.compile(pattern)  # a typo fails here, in the tests, not silently in the browser
    return json.dumps(PATTERNS, ensure_ascii=False)


SCRIPT = _SCRIPT.replace("__WORDS__", json.dumps(WORDS, ensure_ascii=False)).replace("__PATTERNS__", _js_patterns())


def apply() -> None:
    """Once per script run, before any page draws: the CSS, and the script (it installs itself once a page load)."""
    st.html(CSS)
    st.html(SCRIPT, unsafe_allow_javascript=True)
