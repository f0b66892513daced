"""`make screenshots`: a PNG of every page of app.py, as chromium draws it, under docs/screenshots/.

Starts the app on a free port against a temporary store built from data/ (never data/cruscotto.duckdb), opens each
page registered in app.py (hidden ones are addresses that forward, not pages), waits until it is idle and every
chart and table is drawn, refuses to shoot a page that shows an error, and saves docs/screenshots/<title>.png (the
whole page, menu included). The phone views (Panoramica and Andamenti at 390 px, what issue 14 asks to check by eye)
are saved as <title>_390.png by `--width 390 --pages panoramica andamenti --suffix _390`; `make screenshots` takes
both.

    .venv/bin/python tests/e2e/screenshots.py [--out DIR] [--width 1400] [--pages NAME ...] [--suffix _390]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the project, for cruscotto (run as a script)
import harness  # noqa: E402

OUT = harness.ROOT / "docs" / "screenshots"


def _has_emoji_font() -> bool:
    try:
        listed = subprocess.run(["fc-list"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return True  # cannot tell: say nothing
    return "emoji" in listed.lower()


def file_name(app_page) -> str:
    """The page's title as a file name: «Aree strategiche» -> aree_strategiche (the default page included)."""
    return "_".join("".join(c.lower() if c.isalnum() else " " for c in app_page.title).split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNGs (default docs/screenshots)")
    parser.add_argument("--width", type=int, default=harness.VIEWPORT["width"], help="browser width in pixels")
    parser.add_argument("--pages", nargs="*", help="file names (without .png) of the pages to shoot; default all")
    parser.add_argument("--suffix", default="", help="added to each file name, e.g. _390")
    args = parser.parse_args(argv)

    missing = harness.missing_browser()
    if missing is not None:
        print(f"screenshots: {missing[1]}", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    if not _has_emoji_font():
        print("screenshots: no colour emoji font, the menu icons will be empty boxes "
              "(`sudo apt-get install fonts-noto-color-emoji`)", file=sys.stderr)
    pages = [p for p in harness.discover_pages() if p.visible]
    if args.pages:
        pages = [p for p in pages if file_name(p) in args.pages]
    work = Path(tempfile.mkdtemp(prefix="e2e-screenshots-"))
    store = harness.temporary_store(folder=work)
    failures = []
    server = harness.StreamlitServer(harness.APP, db_path=store, log_dir=work, extra_env=harness.LOCAL_MODE)
    with server, sync_playwright() as playwright:
        browser = harness.launch_browser(playwright)
        try:
            context = browser.new_context(viewport={"width": args.width, "height": harness.VIEWPORT["height"]},
                                          locale="it-IT", timezone_id="Europe/Rome")
            context.add_init_script(harness.INIT_SCRIPT)
            for app_page in pages:
                page = harness.new_page(context)
                target = args.out / f"{file_name(app_page)}{args.suffix}.png"
                try:
                    visit = harness.open_page(page, server.page_url(app_page.url_path))
                    harness.full_page_screenshot(page, target, width=args.width)
                    harness.assert_no_problems(page, app_page.title)
                except AssertionError as exc:
                    failures.append(f"{app_page.title}: {exc}")
                    print(f"  ✗ {app_page.title}: not saved ({exc})", file=sys.stderr)
                else:
                    print(f"  ✓ {target.relative_to(harness.ROOT) if target.is_relative_to(harness.ROOT) else target}"
                          f"  ({visit.charts} charts, {visit.dataframes} tables)")
                finally:
                    page.close()
        finally:
            browser.close()
    known = {f"{file_name(p)}{suffix}.png" for p in harness.discover_pages() for suffix in ("", "_390")}
    for stale in sorted(args.out.glob("*.png")):
        if stale.name not in known:
            print(f"  ! {stale.name} is not a page of app.py any more: delete it if it is not used elsewhere")
    if failures:
        print(f"screenshots: {len(failures)} page(s) not saved; server log: {server.log_path}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
