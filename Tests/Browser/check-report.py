#!/usr/bin/env python3
"""The HTML report as a person sees it: opened in headless Chromium (selenium and chromedriver).

Usage: python3 Tests/Browser/check-report.py BULWARK_BINARY [ESTATE]

Runs `bulwark analyze ESTATE` (default Examples/northwind) into a temporary folder, opens
report.html offline, and checks: no console errors; each of the three views (executive,
technical, compliance) shows when its tab is clicked and is populated (its tables have rows, its
pictures are drawn); the technical view's search filters the findings. A screenshot of each view
is kept in .screenshots/ (ignored by git). Exits 1 on any failure, 2 when the browser cannot start.
"""
import os
import subprocess
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.common.by import By


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def main():
    binary = sys.argv[1]
    estate = sys.argv[2] if len(sys.argv) > 2 else "Examples/northwind"
    out = tempfile.mkdtemp(prefix="bulwark-report-")
    run = subprocess.run([binary, "analyze", estate, "--out", out, "--trials", "20000"], capture_output=True, text=True)
    if run.returncode != 0:
        fail("bulwark analyze exited %d: %s" % (run.returncode, run.stderr))
    page = os.path.join(out, "report.html")

    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"]:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    try:
        service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver") if os.path.exists("/usr/bin/chromedriver") else None
        driver = webdriver.Chrome(options=options, service=service) if service else webdriver.Chrome(options=options)
    except Exception as error:  # noqa: BLE001 - any failure to start the browser
        print("cannot start headless Chromium: %s" % error)
        sys.exit(2)
    shots = os.path.join(os.getcwd(), ".screenshots")
    os.makedirs(shots, exist_ok=True)
    try:
        driver.get("file://" + page)
        views = {
            "executive": ["#top-risks tbody tr", "#fix-first tbody tr", "#loss-exceedance path", ".attack-path"],
            "technical": ["#technical-findings tbody tr", "#network-map rect", "#reachability-heat-map rect"],
            "compliance": ["#assets tbody tr", "#soa tbody tr", "#csf tbody tr"],
        }
        for view, selectors in views.items():
            driver.find_element(By.ID, "tab-" + view).click()
            section = driver.find_element(By.ID, view)
            if not section.is_displayed():
                fail("the %s view does not show when its tab is clicked" % view)
            for other in views:
                if other != view and driver.find_element(By.ID, other).is_displayed():
                    fail("the %s view shows while %s is selected" % (other, view))
            for selector in selectors:
                found = section.find_elements(By.CSS_SELECTOR, selector)
                if not found:
                    fail("the %s view has nothing for %s" % (view, selector))
                if not any(e.is_displayed() for e in found):
                    fail("the %s view's %s is not visible" % (view, selector))
            driver.save_screenshot(os.path.join(shots, "report-%s.png" % view))
            print("%s view: %s" % (view, ", ".join("%s %d" % (s, len(section.find_elements(By.CSS_SELECTOR, s))) for s in selectors)))

        # The technical view's search narrows the findings to those that mention the text.
        driver.find_element(By.ID, "tab-technical").click()
        rows = driver.find_elements(By.CSS_SELECTOR, "#technical-findings tbody tr")
        first = rows[0].find_elements(By.TAG_NAME, "td")[0].text
        box = driver.find_element(By.ID, "filter-text")
        box.send_keys(first)
        shown = [r for r in rows if r.is_displayed()]
        if not shown or any(first.lower() not in r.text.lower() for r in shown):
            fail("searching for %r does not narrow the findings to it" % first)
        box.clear()
        box.send_keys("no-such-finding-anywhere")
        if any(r.is_displayed() for r in rows):
            fail("a search that matches nothing leaves rows shown")
        print("search: %d of %d rows for %r" % (len(shown), len(rows), first))

        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        if errors:
            fail("console errors: %s" % errors)
        print("report.html: no console errors; screenshots in %s" % shots)
    finally:
        driver.quit()


main()
