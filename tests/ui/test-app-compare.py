#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scene 2 of WALKTHROUGH.md, first steps, by keyboard against a real
Orthanc with the demo data: from Jane Doe's newest study, C opens her
timeline (four visits, baseline … +6 w, nobody else's), the first and the
last side by side, and zooming one zooms the other."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lbui  # noqa: E402

JANE_DATES = ["2025-01-31", "2025-02-14", "2025-02-28", "2025-03-14"]
JANE_INTERVALS = ["baseline", "+14 d", "+4 w", "+6 w"]


def subtree_names(app, node):
    out = []
    for n in app.walk(node):
        try:
            out.append(n.get_name())
        except Exception:
            pass
    return out


def zoom_labels(app):
    out = []
    for n in app.walk():
        try:
            name = n.get_name()
            if name and name.startswith("Zoom ") and n.get_role_name() == "label":
                out.append(name)
        except Exception:
            pass
    return out


tap = lbui.Tap()
app = lbui.App(["--server", os.environ["LIGHTBOX_TEST_DICOMWEB_URL"]])
try:
    tap.ok(app.wait_for_window("Lightbox", timeout=30) is not None, "main window appears")
    app.wait_for_labels(["DOE, JANE"], timeout=30)
    time.sleep(0.5)

    app.key("Return")
    names = app.wait_for(lambda n: "It hurts more since Tuesday." in n, timeout=30)
    tap.ok("It hurts more since Tuesday." in names, "Enter opens Jane Doe's newest study")
    time.sleep(1.0)

    # C: her timeline, oldest first, with the intervals from the baseline.
    app.key("c")
    names = app.wait_for(lambda n: "4 visits" in n and "L LEG" in n, timeout=60)
    tap.ok("4 visits" in names, "C opens the timeline: 4 visits")
    timeline = app.find(name="Timeline")
    tap.ok(timeline is not None, "the timeline list is exposed")
    inside = subtree_names(app, timeline) if timeline is not None else []
    rows = timeline.get_child_count() if timeline is not None else 0
    tap.ok(rows == 4, "the timeline has 4 rows (%d)" % rows)
    tap.ok(all(d in inside for d in JANE_DATES), "the timeline lists her four dates")
    tap.ok(all(i in inside for i in JANE_INTERVALS),
           "intervals baseline, +14 d, +4 w, +6 w: %s" % [x for x in inside if x and x[:1] in "+b"])
    dates = [x for x in inside if x and len(x) == 10 and x[4] == "-" and x[7] == "-"]
    tap.ok(dates == JANE_DATES, "oldest first and only hers: %s" % dates)
    tap.ok(not any(x and ("ROE" in x or "KHAN" in x or "OKAFOR" in x or "100871" in x) for x in inside),
           "no other patient's study in the timeline")
    app.screenshot("ui-compare-timeline.png")

    # Space selects the first, Down ×3, space selects the last, Enter compares.
    app.key("space", "Down", "Down", "Down", "space")
    time.sleep(0.3)
    app.key("Return")
    names = app.wait_for(lambda n: "2025-01-31 · baseline" in n and "2025-03-14 · +6 w" in n, timeout=30)
    tap.ok("2025-01-31 · baseline" in names, "the left side is the baseline with its date")
    tap.ok("2025-03-14 · +6 w" in names, "the right side is +6 w with its date")
    tap.ok("Link zoom & pan" in names and "Link window" in names and "Link rotation" in names,
           "link toggles are shown")
    tap.ok("Change plot" not in names and not any(n and n.endswith("since baseline") for n in names),
           "no measurements in the archive: no change panel")
    time.sleep(2.0)
    before = zoom_labels(app)
    tap.ok(len(before) == 2 and before[0] == before[1], "both sides start at the same zoom: %s" % before)

    # + in the focused (left) viewport zooms both.
    app.key("plus")
    after = before
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        after = zoom_labels(app)
        if after != before:
            break
        time.sleep(0.3)
    time.sleep(0.5)
    after = zoom_labels(app)
    tap.ok(len(after) == 2 and after != before, "zoom changed: %s → %s" % (before, after))
    tap.ok(len(after) == 2 and after[0] == after[1], "the other side's zoom followed: %s" % after)
    app.screenshot("ui-compare-side-by-side.png")

    # Esc goes back to the study.
    app.key("Escape")
    time.sleep(1.0)
    timeline = app.find(name="Timeline")
    showing = False
    if timeline is not None:
        try:
            showing = timeline.get_state_set().contains(lbui.Atspi.StateType.SHOWING)
        except Exception:
            showing = False
    names = app.names()
    tap.ok("It hurts more since Tuesday." in names and not showing, "Esc returns to the study")
finally:
    status = app.quit()
tap.ok(status == 0, "app exits cleanly (status %s)" % status)
sys.exit(tap.done())
