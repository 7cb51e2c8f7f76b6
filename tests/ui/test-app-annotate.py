#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scene 2 of WALKTHROUGH.md against a real Orthanc with the demo data, by
synthesized mouse and keyboard: open Jane Doe's newest wound photo,
calibrate (a line, 10 mm), outline the wound with the polygon tool and label
it "wound", add a text label, delete and undo, save with Ctrl+S; a CSPS
reaches the archive with a POLYLINE and a TEXT (pydicom). Then a fresh app
(a second workstation) opens the study and shows the presentation state
applied: the outline's measurement in mm² and the text."""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lbui  # noqa: E402  (first: it clears G_DEBUG before GLib is loaded)

from gi.repository import Atspi  # noqa: E402

JANE_NEWEST = "1.2.826.0.1.3680043.10.1379.9.1.4"
NOTE = "It hurts more since Tuesday."
TEXT = "Slough 20 %"


def pr_instances(study_uid):
    return lbui.orthanc_instances(study_uid, "PR")




def xdo(*args):
    subprocess.run(["xdotool"] + [str(a) for a in args], check=True, timeout=30)


def click(x, y):
    xdo("mousemove", int(x), int(y))
    time.sleep(0.15)
    xdo("click", 1)
    # Longer than a double click: each click is a point of its own.
    time.sleep(0.6)


def drag(x0, y0, x1, y1):
    xdo("mousemove", int(x0), int(y0))
    time.sleep(0.15)
    xdo("mousedown", 1)
    for i in range(1, 6):
        xdo("mousemove", int(x0 + (x1 - x0) * i / 5), int(y0 + (y1 - y0) * i / 5))
        time.sleep(0.05)
    xdo("mouseup", 1)
    time.sleep(0.6)


def viewport_box(app):
    node = app.find(role="image", name="Image")
    if node is None:
        return None
    e = node.get_extents(Atspi.CoordType.WINDOW)
    return (e.x, e.y, e.width, e.height)


def label_starting(names, prefix):
    return next((n for n in names if n and n.startswith(prefix)), None)


tap = lbui.Tap()
status = 0

app = lbui.App(["--server", os.environ["LIGHTBOX_TEST_DICOMWEB_URL"]])
try:
    tap.ok(app.wait_for_window("Lightbox", timeout=30) is not None, "main window appears")
    app.wait_for_labels(["DOE, JANE"], timeout=30)
    time.sleep(0.5)
    app.key("Return")
    names = app.wait_for(lambda n: NOTE in n, timeout=30)
    tap.ok(NOTE in names, "Jane Doe's newest wound photo opens")
    tap.ok("New annotations" in names, "no presentation state yet: new annotations")
    time.sleep(1.5)

    box = viewport_box(app)
    tap.ok(box is not None and box[2] > 200 and box[3] > 200, "the viewport's place on screen: %s" % (box,))
    x, y, w, h = box
    cx, cy = x + w / 2, y + h / 2

    # Calibrate: a line, then its length (10 mm, the default offered).
    click(cx, cy)              # focus the image (select tool: nothing there)
    app.key("shift+c")
    drag(cx - 150, cy + 120, cx - 50, cy + 120)
    time.sleep(1.0)
    app.screenshot("ui-annotate-calibrate.png")
    app.key("ctrl+a")
    xdo("type", "--delay", "60", "10")
    app.key("Return")
    names = app.wait_for(lambda n: any(s and "Calibrated:" in s for s in n), timeout=10)
    tap.ok(any(s and "Calibrated: 0.1 mm per pixel" in s for s in names) or
           any(s and "Calibrated:" in s for s in names), "calibrated by a 10 mm line")

    # Outline: four corners, Enter closes it, then the label.
    app.key("p")
    for px, py in [(-60, -60), (60, -60), (60, 50), (-60, 50)]:
        click(cx + px, cy + py)
    app.key("Return")
    time.sleep(1.0)
    app.screenshot("ui-annotate-label.png")
    xdo("type", "--delay", "60", "wound")
    app.key("Return")
    names = app.wait_for(lambda n: label_starting(n, "wound: ") is not None, timeout=10)
    outline = label_starting(names, "wound: ")
    tap.ok(outline is not None and "mm²" in outline and "not calibrated" not in outline,
           "the outline is labelled and measured in mm²: %r" % (outline or "").splitlines()[:1])

    # A text label.
    app.key("n")
    click(cx + 90, cy - 90)
    time.sleep(0.8)
    xdo("type", "--delay", "60", TEXT)
    app.key("Return")
    names = app.wait_for(lambda n: any(s and TEXT in s for s in n), timeout=10)
    tap.ok(any(s and TEXT in s for s in names), "the text label is added")

    # Select it and delete it; undo brings it back, redo removes it, undo again.
    app.key("s")
    click(cx + 90, cy - 90)
    app.key("Delete")
    names = app.wait_for(lambda n: not any(s and TEXT in s for s in n), timeout=10)
    tap.ok(not any(s and TEXT in s for s in names), "Delete removes the selected text")
    app.key("ctrl+z")
    names = app.wait_for(lambda n: any(s and TEXT in s for s in n), timeout=10)
    tap.ok(any(s and TEXT in s for s in names), "Ctrl+Z brings it back")
    app.key("ctrl+shift+z")
    names = app.wait_for(lambda n: not any(s and TEXT in s for s in n), timeout=10)
    tap.ok(not any(s and TEXT in s for s in names), "Ctrl+Shift+Z removes it again")
    app.key("ctrl+z")
    names = app.wait_for(lambda n: any(s and TEXT in s for s in n), timeout=10)
    app.screenshot("ui-annotate-marks.png")

    # Ctrl+S: a presentation state, through the outbox, into the archive.
    app.key("ctrl+s")
    names = app.wait_for(lambda n: any(s and s.startswith("WOUND") for s in n), timeout=15)
    tap.ok(any(s and s.startswith("WOUND") for s in names), "the saved state is listed for the image")
    prs = lbui.wait_until(lambda: pr_instances(JANE_NEWEST), timeout=60)
    tap.ok(len(prs) == 1, "one presentation state reached the archive (%d)" % len(prs))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "pr.dcm")
        with open(path, "wb") as f:
            f.write(lbui.orthanc_rest("/instances/%s/file" % prs[0]) if prs else b"")
        check = subprocess.run(["/usr/bin/python3", "-c", """
import pydicom, sys
ds = pydicom.dcmread(sys.argv[1])
assert ds.Modality == 'PR' and ds.StudyInstanceUID == sys.argv[2]
types, texts = [], []
for item in ds.GraphicAnnotationSequence:
    types += [g.GraphicType for g in item.get('GraphicObjectSequence', [])]
    texts += [t.UnformattedTextValue for t in item.get('TextObjectSequence', [])]
print(ds.SOPClassUID, ds.ContentLabel, str(ds.ContentCreatorName))
print('POLYLINE' in types, any(t == sys.argv[3] for t in texts), any(t.startswith('wound: ') for t in texts))
""", path, JANE_NEWEST, TEXT], capture_output=True, text=True)
        lines = check.stdout.splitlines()
        tap.ok(len(lines) == 2 and lines[1] == "True True True",
               "pydicom reads a POLYLINE, the text and the measurement: %s %s"
               % (check.stdout.strip().replace("\n", " | "), check.stderr.strip()[-300:].replace("\n", " | ")))
        tap.ok(len(lines) == 2 and lines[0].startswith("1.2.840.10008.5.1.4.1.1.11.2 WOUND"),
               "a Color Softcopy Presentation State labelled WOUND: %s" % (lines[:1],))

    # A new mark, then J (next study): asked first; Escape stays.
    app.key("l")
    drag(cx - 100, cy - 150, cx + 100, cy - 150)
    names = app.wait_for(lambda n: any(s and "(not saved)" in s for s in n), timeout=10)
    tap.ok(any(s and "(not saved)" in s for s in names), "a new line is marked as not saved")
    app.key("j")
    names = app.wait_for(lambda n: "Save Annotations?" in n, timeout=10)
    tap.ok("Save Annotations?" in names, "leaving the study with unsaved marks asks first")
    app.key("Escape")
    time.sleep(1.0)
    names = app.names()
    tap.ok(NOTE in names and "Save Annotations?" not in names, "Cancel stays on the study")
    app.key("ctrl+s")
    prs = lbui.wait_until(lambda: len(pr_instances(JANE_NEWEST)) == 2 and pr_instances(JANE_NEWEST), timeout=60)
    tap.ok(len(prs or []) == 2, "the second save reached the archive too")
    app.key("j")
    names = app.wait_for(lambda n: "Second try, taken before work." in n, timeout=30)
    tap.ok("Second try, taken before work." in names and "Save Annotations?" not in names,
           "once saved, J opens the next study without asking")
finally:
    status = app.quit()

# A second workstation: a fresh app opens the study and applies the state.
app2 = lbui.App(["--server", os.environ["LIGHTBOX_TEST_DICOMWEB_URL"]])
try:
    tap.ok(app2.wait_for_window("Lightbox", timeout=30) is not None, "a second app starts")
    app2.wait_for_labels(["DOE, JANE"], timeout=30)
    time.sleep(0.5)
    app2.key("Return")
    names = app2.wait_for(lambda n: label_starting(n, "wound: ") is not None, timeout=30)
    outline = label_starting(names, "wound: ")
    tap.ok(outline is not None and "mm²" in outline,
           "the outline is applied with its calibrated measurement: %r" % outline)
    tap.ok(any(s and TEXT in s for s in names), "the text label is applied")
    tap.ok(any(s and s.startswith("WOUND · ") for s in names), "the presentation state is listed by label")
    tap.ok(any(s and " mm\n" in s + "\n" and "wound: " in s for s in names),
           "the newest state (with the line) is the one applied")
    app2.screenshot("ui-annotate-second-app.png")
finally:
    status2 = app2.quit()

rc = tap.done()
sys.exit(rc or (status if status not in (0, None) else 0) or (status2 if status2 not in (0, None) else 0))
