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
    # Quality hints arrive in the background: the blurry and the dark photo
    # of Max Roe's back carry a badge, the sharp photos do not.
    names = app.wait_for(lambda n: sum(1 for x in n if x and ("blurry" in x or "under-exposed" in x)) >= 2,
                         timeout=90)
    hints = [x for x in names if x and ("blurry" in x or "exposed" in x or "resolution" in x)]
    print("# quality hints: %s" % hints)
    tap.ok(any(x.startswith("blurry") for x in hints), "a photo is marked blurry")
    tap.ok(any("under-exposed" in x for x in hints), "a photo is marked under-exposed")
    tap.ok(len([x for x in hints if "blurry" in x]) == 1, "only one photo is marked blurry")
    shot = app.screenshot("ui-demo-worklist.png")
    tap.ok(os.path.getsize(shot) > 10000, "screenshot saved: " + shot)
finally:
    status = app.quit()
tap.ok(status == 0, "app exits cleanly (status %s)" % status)
sys.exit(tap.done())
