"""Take full-page screenshots of every page in headless Chromium: python scripts/screenshots.py URL OUTDIR"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGES = ["", "giai-quyet", "truc-tuyen", "tieu-chi", "gia-dinh", "don-vi?don_vi=UBND+x%C3%A3+Ia+Kd%C4%83m", "du-lieu"]


def wait_idle(page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60000)
    page.wait_for_timeout(1500)


def main(base: str, out: Path, width: int = 1600, height: int = 1000) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        for path in PAGES:
            page.goto(f"{base.rstrip('/')}/{path}")
            wait_idle(page)
            name = path.split("?")[0] or "tong-quan"
            # Streamlit scrolls inside its own container: grow the viewport to the content to capture it all.
            full = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
            page.set_viewport_size({"width": width, "height": max(height, int(full) + 40)})
            page.wait_for_timeout(800)
            page.screenshot(path=str(out / f"{name}.png"))
            page.set_viewport_size({"width": width, "height": height})
            print(out / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
