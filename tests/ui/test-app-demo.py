#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real Lightbox under Xvfb against a harness Orthanc loaded with the
demo data set (tools/make-demo-data): the worklist lists the patients'
photo studies, newest first, and leaves out what is not patient-generated
by the default modalities (XC, OT)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lbui  # noqa: E402

tap = lbui.Tap()
app = lbui.App(["--server", os.environ["LIGHTBOX_TEST_DICOMWEB_URL"]])
try:
    tap.ok(app.wait_for_window("Lightbox", timeout=30) is not None, "main window appears")
    names = app.wait_for_labels(["DOE, JANE", "ROE, MAX", "OKAFOR, DANIEL"], timeout=30)
    for who in ("DOE, JANE", "ROE, MAX", "OKAFOR, DANIEL"):
        tap.ok(who in names, "demo patient %s listed" % who)
    # Ten photo studies: Doe 4, Roe 5, Okafor 1; Khan's CR and US are not XC/OT.
    tap.ok("10 studies" in names, "count label says 10 studies")
    tap.ok("KHAN, AMIRA" not in names, "CR and US studies left out by the default modalities")
    # Row order is checked in test-worklist-view (the accessibility tree
    # lists recycled rows in widget order, not in display order).
    dates = [n for n in names if n and (n.startswith("2025-") or n.startswith("2024-"))]
    tap.ok(len(dates) == 10, "ten submission dates shown")
    shot = app.screenshot("ui-demo-worklist.png")
    tap.ok(os.path.getsize(shot) > 10000, "screenshot saved: " + shot)
finally:
    status = app.quit()
tap.ok(status == 0, "app exits cleanly (status %s)" % status)
sys.exit(tap.done())
