#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real Lightbox under Xvfb against the harness Orthanc: the main window
appears and lists the patient-generated fixture studies (not the CT one).
Widgets are found through the accessibility tree (AT-SPI), as a screen
reader would; a screenshot is saved for people to look at."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lbui  # noqa: E402

tap = lbui.Tap()
app = lbui.App(["--server", os.environ["LIGHTBOX_TEST_DICOMWEB_URL"]])
try:
    root = app.wait_for_window("Lightbox", timeout=30)
    tap.ok(root is not None, "main window appears")

    names = app.wait_for_labels(["FIXTURE, ALICE", "FIXTURE, BOB"], timeout=30)
    tap.ok("FIXTURE, ALICE" in names, "patient-generated study of Alice listed")
    tap.ok("FIXTURE, BOB" in names, "patient-generated study of Bob listed")
    tap.ok("FIXTURE, CAROL" not in names, "CT study left out of the worklist")
    tap.ok(any(n == "2 studies" for n in names), "count label says 2 studies")
    worklist = app.find(role="table", name="Worklist") or app.find(name="Worklist")
    tap.ok(worklist is not None, "worklist has an accessible name")
    refresh = app.find(role="push button", name="Refresh")
    tap.ok(refresh is not None, "refresh button has an accessible name")

    shot = app.screenshot("ui-worklist.png")
    tap.ok(os.path.getsize(shot) > 10000, "screenshot saved: " + shot)

    # Preferences open from the app action (Ctrl+, in the window).
    r = app.activate_action("preferences")
    tap.ok(r.returncode == 0, "app.preferences activates over D-Bus " + r.stderr.strip())
    prefs = app.wait_for_window("Preferences", timeout=15)
    tap.ok(prefs is not None, "preferences window appears")
    tap.ok(app.find(role="push button", name="Add archive") is not None,
           "add-archive button has an accessible name")
    names = app.wait_for_labels(["Local archive"], timeout=10)
    tap.ok("Local archive" in names, "default archive profile listed")
    app.screenshot("ui-preferences.png")
finally:
    status = app.quit()
tap.ok(status == 0, "app exits cleanly (status %s)" % status)
sys.exit(tap.done())
