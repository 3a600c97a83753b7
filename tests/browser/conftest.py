"""The browser fixture (Debian's Chromium through Playwright) for every browser test module, from test_browser."""

from test_browser import browser  # noqa: F401  (a fixture)
