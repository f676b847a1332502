"""The app in a real browser: streamlit run + headless Chromium (Debian's) through Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
WAIT = 90_000  # ms


def wait_idle(page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=WAIT)


def click_point(page, chart, label: str) -> None:
    """Click the marker whose text label is ``label`` (plotly listens on its drag layer, so click by position)."""
    text = chart.locator("g.scatterlayer g.textpoint text", has_text=label).first
    text.scroll_into_view_if_needed()
    box = text.bounding_box()
    assert box is not None, f"no point labelled {label!r}"
    # The marker sits just below its label (textposition="top center").
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] + 9)


def test_entity_page_in_browser(app_url: str, browser_page) -> None:
    page = browser_page
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(app_url, wait_until="networkidle")
    page.get_by_test_id("stSidebar").get_by_text("Entity", exact=True).click()
    box = page.get_by_label("Search by name, alias or identifier (inn:…, uscc:…)")
    box.fill("romashka")
    box.press("Enter")
    page.get_by_role("heading", name="OOO Romashka (RU)").wait_for(timeout=WAIT)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.locator(".scatterlayer .trace").first.wait_for(timeout=WAIT)
    assert chart.locator("g.scatterlayer path.point").count() >= 5
    click_point(page, chart, "OOO Romashka (RU)")
    page.get_by_text("Selected node: OOO Romashka (Company)").wait_for(timeout=WAIT)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "app-entity.png"), full_page=True)
    outside = [u for u in requests if not u.startswith(app_url) and not u.startswith("data:")]
    assert outside == [], f"the app fetched from outside: {outside[:5]}"


def test_trace_in_browser(app_url: str, browser_page) -> None:
    page = browser_page
    page.goto(app_url, wait_until="networkidle")
    page.get_by_test_id("stSidebar").get_by_text("Trace", exact=True).click()
    page.get_by_label("Via countries", exact=True).fill("HK")
    page.get_by_role("button", name="Trace").click()
    page.get_by_role("heading", name="ranked paths").first.wait_for(timeout=WAIT)
    main = page.get_by_test_id("stMain")
    main.locator('[data-testid="stDataFrame"]').nth(2).wait_for(timeout=WAIT)  # paths, hops, evidence
    chart = main.locator('[data-testid="stPlotlyChart"]').first
    chart.locator("g.scatterlayer path.point").first.wait_for(timeout=WAIT)
    labels = chart.locator("g.scatterlayer g.textpoint text").all_text_contents()
    assert "Sky Bright Trading Ltd (HK)" in labels and "JSC Radio Instrument Plant (RU)" in labels
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "app-trace-before-click.png"))
    click_point(page, chart, "Sky Bright Trading Ltd (HK)")
    page.get_by_text("Selected node: Sky Bright Trading Ltd (Company)").wait_for(timeout=WAIT)
    page.screenshot(path=str(OUTPUT / "app-trace.png"), full_page=True)
