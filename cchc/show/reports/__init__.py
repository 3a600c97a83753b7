"""Meeting reports: one content model (`content.build_report`), rendered as PDF, PowerPoint and self-contained HTML.

The names below are the reports' public face, used by the Dữ liệu-free export buttons (ui.common) and the tests.
"""

from .content import (  # noqa: F401
                      ILLUSTRATIVE_NOTICE,
                      MIME_TYPES,
                      PPTX_MAX_TABLE_SLIDES,
                      PPTX_TABLE_ROWS,
                      REPORT_TITLE,
                      SECTION_TITLES,
                      SECTIONS,
                      TABLE_FONT_PT,
                      Report,
                      ReportPart,
                      build_report,
                      figure_subtitle,
                      figure_title,
                      report_filename,
                      slugify,
)
from .html import report_html  # noqa: F401
from .images import browser_path, chart_png, render_images, start_renderer  # noqa: F401
from .pdf import find_fonts, report_pdf  # noqa: F401
from .pptx import report_pptx  # noqa: F401
