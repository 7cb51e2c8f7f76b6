#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The annotation tools, editing and the unsaved-marks prompt, against a real
Orthanc with the demo data, by synthesized mouse and keyboard.

Before the app starts, Amira Khan's CR study gets a second image and a GSPS
made by dcmtk's dcmpsmk (then rotated 90° and given a DISPLAY-unit text and
polyline with pydicom, see make-dcmpsmk-gsps.py). The app opens the study:
the state is listed and applied (its text, "Shown rotated 90°"). Then: an
ellipse and an arrow drawn by mouse, a handle of the ellipse dragged (its
area changes), the ellipse labelled by double click, a text edited by Enter,
undo/redo, marks kept while moving to the other image and back, and K
(another study) asks "Save Annotations?"; Save sends one GSPS per image with
marks, which pydicom, dcmpschk and dciodvfy accept."""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lbui  # noqa: E402  (first: it clears G_DEBUG before GLib is loaded)

from gi.repository import Atspi  # noqa: E402

DEMO = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
CR_STUDY = "1.2.826.0.1.3680043.10.1379.9.1.10"
CR_IMAGE = "1.2.826.0.1.3680043.10.1379.9.3.10.1.1"
CR_SECOND = "1.2.826.0.1.3680043.10.1379.9.3.10.1.2"
US_NOTE_PREFIX = "Modality: US"


def xdo(*args):
    subprocess.run(["xdotool"] + [str(a) for a in args], check=True, timeout=30)


def click(x, y, repeat=1):
    xdo("mousemove", int(x), int(y))
    time.sleep(0.15)
    if repeat > 1:
        xdo("click", "--repeat", repeat, "--delay", 80, 1)
    else:
        xdo("click", 1)
    time.sleep(0.6)


def drag(x0, y0, x1, y1, steps=8):
    xdo("mousemove", int(x0), int(y0))
    time.sleep(0.15)
    xdo("mousedown", 1)
    for i in range(1, steps + 1):
        xdo("mousemove", int(x0 + (x1 - x0) * i / steps), int(y0 + (y1 - y0) * i / steps))
        time.sleep(0.05)
    xdo("mouseup", 1)
    time.sleep(0.6)


def upload(path):
    data = open(path, "rb").read()
    req = urllib.request.Request(os.environ["LIGHTBOX_TEST_ORTHANC_URL"] + "/instances", data=data,
                                 headers={"Content-Type": "application/dicom"}, method="POST")
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def viewport_box(app):
    node = app.find(role="image", name="Image")
    if node is None:
        return None
    e = node.get_extents(Atspi.CoordType.WINDOW)
    return (e.x, e.y, e.width, e.height)


def panel(names):
    """The annotations panel beside the image: its lines."""
    for n in names:
        if n and ("(not saved)" in n or "Shown rotated" in n or n.startswith("None")):
            return n.splitlines()
    return []


def area_line(lines, prefix=""):
    return next((s for s in lines if s.startswith(prefix) and "mm²" in s), None)


def number(line):
    m = re.search(r"([0-9][0-9.]*) mm", line or "")
    return float(m.group(1)) if m else None


def dialog_has_button(app, heading, label):
    """Whether the dialog showing @heading offers @label. (Its buttons are
    pressed by their mnemonics, as a person would: an AT-SPI action on a
    button whose handler destroys the dialog trips GTK's accessibility
    code.)"""
    seen = []
    for i in range(app.app.get_child_count()):
        win = app.app.get_child_at_index(i)
        if win is None:
            continue
        nodes = []
        for n in app.walk(win):
            try:
                nodes.append((n, n.get_role_name(), n.get_name()))
            except Exception:
                continue
        if heading not in [name for _, _, name in nodes]:
            continue
        for node, role, name in nodes:
            seen.append((role, name))
            # GTK names a button by its mnemonic label and its text: "_Save Save".
            if role in ("push button", "button") and name and name.replace("_", "").split()[-1] == label:
                return True
    print("# no %r button in the dialog: %r" % (label, seen))
    return False


tap = lbui.Tap()
status = 0

# The archive: a second image in the CR study and the dcmpsmk GSPS.
work = tempfile.mkdtemp(prefix="lightbox-annotate-")
cr = os.path.join(DEMO, "101502", "10-20250220-cr", "IM0001.dcm")
made = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "make-dcmpsmk-gsps.py"), cr, work],
                      capture_output=True, text=True)
tap.ok(made.returncode == 0, "dcmpsmk makes a GSPS for the CR and dcmpschk accepts it after the edits: %s"
       % (made.stdout + made.stderr).strip().replace("\n", " | ")[-300:])
up1 = upload(os.path.join(work, "second.dcm"))
up2 = upload(os.path.join(work, "gsps.dcm"))
tap.ok(up1.get("Status") in ("Success", "AlreadyStored") and up2.get("Status") in ("Success", "AlreadyStored"),
       "the second image and the GSPS are in the archive")

# Amira Khan's studies (CR and US) in the worklist, through the settings.
config = os.path.join(work, "config")
os.makedirs(os.path.join(config, "glib-2.0", "settings"))
with open(os.path.join(config, "glib-2.0", "settings", "keyfile"), "w") as f:
    f.write("[io/github/lightboxpacs/Lightbox]\nworklist-modalities=['CR', 'US']\n")
env = {"GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": config}

app = lbui.App(["--server", os.environ["LIGHTBOX_TEST_DICOMWEB_URL"]], env=env)
try:
    tap.ok(app.wait_for_window("Lightbox", timeout=30) is not None, "main window appears")
    app.wait_for_labels(["KHAN, AMIRA"], timeout=30)
    time.sleep(0.5)
    # The newest study is the US clip; J opens the next one, the CR.
    app.key("Return")
    app.wait_for(lambda n: any(s and US_NOTE_PREFIX in s for s in n), timeout=30)
    time.sleep(1.0)
    app.key("j")
    names = app.wait_for(lambda n: any(s and s.startswith("DCMTK_TEST · ") for s in n) and
                         any(s and "dcmpsmk note" in s for s in n), timeout=30)
    tap.ok(any(s and s.startswith("DCMTK_TEST · DCMTK TEST · ") for s in names),
           "the dcmpsmk state is listed by label and creator")
    lines = panel(names)
    tap.ok("dcmpsmk note" in lines and "Shown rotated 90° clockwise" in lines,
           "it is applied: its DISPLAY text and its rotation: %r" % lines)
    tap.ok(any(s.endswith(" mm") for s in lines) and "Calibrated: 0.17 mm per pixel" in lines,
           "its DISPLAY polyline is measured with its Presentation Pixel Spacing: %r" % lines)
    time.sleep(1.5)
    app.screenshot("ui-annotate-dcmpsmk-applied.png")

    box = viewport_box(app)
    tap.ok(box is not None and box[2] > 300 and box[3] > 300, "the viewport's place on screen: %s" % (box,))
    x, y, w, h = box
    cx, cy = x + w / 2, y + h / 2

    # An ellipse over a box (E), an arrow (Shift+L): press, drag, release.
    click(cx, cy)              # focus the image (select tool: nothing there)
    app.key("e")
    drag(cx - 100, cy - 50, cx + 100, cy + 50)
    names = app.wait_for(lambda n: area_line(panel(n)) is not None, timeout=10)
    ellipse = area_line(panel(names))
    tap.ok(ellipse is not None and "not calibrated" not in ellipse,
           "an ellipse, measured in mm²: %r" % ellipse)
    app.key("shift+l")
    drag(cx - 160, cy + 110, cx - 60, cy + 70)
    names = app.wait_for(lambda n: len([s for s in panel(n) if s.endswith(" mm")]) >= 2, timeout=10)
    tap.ok(len([s for s in panel(names) if s.endswith(" mm")]) >= 2, "an arrow, measured in mm: %r" % panel(names))
    app.screenshot("ui-annotate-arrow-handles.png")

    # Select the ellipse and drag the handle at its right end outwards.
    app.key("s")
    click(cx, cy)
    app.screenshot("ui-annotate-ellipse-handles.png")
    drag(cx + 100, cy, cx + 180, cy)
    names = app.wait_for(lambda n: area_line(panel(n)) not in (None, ellipse), timeout=10)
    bigger = area_line(panel(names))
    tap.ok(number(bigger) is not None and number(ellipse) is not None and number(bigger) > number(ellipse) * 1.3,
           "dragging a handle changes the measurement: %r → %r" % (ellipse, bigger))
    app.key("ctrl+z")
    names = app.wait_for(lambda n: area_line(panel(n)) == ellipse, timeout=10)
    tap.ok(area_line(panel(names)) == ellipse, "one Ctrl+Z undoes the whole handle drag")
    app.key("ctrl+shift+z")
    names = app.wait_for(lambda n: area_line(panel(n)) == bigger, timeout=10)
    tap.ok(area_line(panel(names)) == bigger, "Ctrl+Shift+Z redoes it")

    # A double click on the selected ellipse asks its label.
    click(cx, cy, repeat=2)
    names = app.wait_for(lambda n: "Label the Mark" in n, timeout=10)
    tap.ok("Label the Mark" in names, "a double click on the selection asks its label")
    xdo("type", "--delay", "60", "lesion")
    app.key("Return")
    names = app.wait_for(lambda n: area_line(panel(n), "lesion: ") is not None, timeout=10)
    tap.ok(area_line(panel(names), "lesion: ") is not None, "the ellipse is labelled: %r" % panel(names))

    # A text, then Enter on it edits it.
    app.key("n")
    click(cx + 150, cy - 110)
    names = app.wait_for(lambda n: "Add Text" in n, timeout=10)
    xdo("type", "--delay", "60", "edge")
    app.key("Return")
    app.wait_for(lambda n: "edge" in panel(n), timeout=10)
    app.key("s")
    click(cx + 150, cy - 110)
    app.key("Return")
    names = app.wait_for(lambda n: "Edit Text" in n, timeout=10)
    tap.ok("Edit Text" in names, "Enter on a selected text asks to edit it")
    app.key("ctrl+a")
    xdo("type", "--delay", "60", "edges closing well")
    app.key("Return")
    names = app.wait_for(lambda n: "edges closing well" in panel(n), timeout=10)
    tap.ok("edges closing well" in panel(names) and "edge" not in panel(names), "the text is changed")
    app.key("ctrl+z")
    names = app.wait_for(lambda n: "edge" in panel(n), timeout=10)
    tap.ok("edge" in panel(names) and "edges closing well" not in panel(names), "Ctrl+Z restores the old text")
    app.key("ctrl+shift+z")
    names = app.wait_for(lambda n: "edges closing well" in panel(n), timeout=10)
    tap.ok("edges closing well" in panel(names), "Ctrl+Shift+Z brings the new text back")

    # The other image (Alt+→): its own marks, a point; back (Alt+←): ours are kept.
    app.key("alt+Right")
    names = app.wait_for(lambda n: panel(n)[:1] == ["None"], timeout=15)
    tap.ok(panel(names)[:1] == ["None"] and "1 other image with marks not saved" in panel(names),
           "the second image has no marks; the first one's are kept: %r" % panel(names))
    time.sleep(1.0)
    click(cx, cy)
    app.key("d")
    click(cx + 40, cy + 40)
    names = app.wait_for(lambda n: "point" in panel(n), timeout=10)
    tap.ok("point" in panel(names), "a point on the second image")
    app.key("alt+Left")
    names = app.wait_for(lambda n: area_line(panel(n), "lesion: ") is not None, timeout=15)
    lines = panel(names)
    tap.ok(area_line(lines, "lesion: ") == "lesion: " + bigger and "edges closing well" in lines
           and "(not saved)" in lines and "1 other image with marks not saved" in lines,
           "back on the first image, its marks are as they were left: %r" % lines)

    # Choosing another presentation state in the drop-down with marks not
    # saved asks first; Cancel keeps the marks and the state shown.
    dropdown = app.find(name="Presentation state")
    tap.ok(dropdown is not None, "the presentation-state drop-down is exposed")
    if dropdown is not None:
        # Opened by a click; its list has the shown state first, then
        # "New annotations": Down and Enter choose that.
        e = dropdown.get_extents(Atspi.CoordType.WINDOW)
        click(e.x + e.width / 2, e.y + e.height / 2)
        time.sleep(0.8)
        app.screenshot("ui-annotate-switch-popover.png")
        app.key("Down")
        time.sleep(0.3)
        app.key("Return")
    names = app.wait_for(lambda n: "Replace Marks Not Saved?" in n, timeout=10)
    tap.ok("Replace Marks Not Saved?" in names, "choosing another state with unsaved marks asks first")
    app.screenshot("ui-annotate-switch-prompt.png")
    app.key("alt+c")
    time.sleep(1.5)
    names = app.names()
    lines = panel(names)
    tap.ok("Replace Marks Not Saved?" not in names and area_line(lines, "lesion: ") == "lesion: " + bigger
           and "(not saved)" in lines and "dcmpsmk note" in lines,
           "Cancel keeps the marks and the state shown: %r" % lines)

    # K (the other study): asked first; Save sends both images' marks.
    time.sleep(0.5)
    app.key("s")
    click(cx - 250, cy - 150)   # the viewport has the focus again (select: nothing there)
    app.key("k")
    names = app.wait_for(lambda n: "Save Annotations?" in n, timeout=10)
    tap.ok("Save Annotations?" in names, "leaving the study with unsaved marks asks first")
    app.screenshot("ui-annotate-save-prompt.png")
    tap.ok(all(dialog_has_button(app, "Save Annotations?", b) for b in ("Save", "Discard", "Cancel")),
           "the dialog offers Save, Discard and Cancel")
    app.key("alt+s")
    names = app.wait_for(lambda n: any(s and US_NOTE_PREFIX in s for s in n), timeout=30)
    tap.ok(any(s and US_NOTE_PREFIX in s for s in names) and "Save Annotations?" not in names,
           "Save: the other study opens")
    prs = lbui.wait_until(lambda: len(lbui.orthanc_instances(CR_STUDY, "PR")) >= 3 and
                          lbui.orthanc_instances(CR_STUDY, "PR"), timeout=60) or []
    tap.ok(len(prs) == 3, "two new presentation states reached the archive (%d in all)" % len(prs))

    checked = {}
    for pr in prs:
        path = os.path.join(work, "pr-%s.dcm" % pr)
        with open(path, "wb") as f:
            f.write(lbui.orthanc_rest("/instances/%s/file" % pr))
        check = subprocess.run(["/usr/bin/python3", "-c", """
import pydicom, sys
ds = pydicom.dcmread(sys.argv[1])
ref = ds.ReferencedSeriesSequence[0].ReferencedImageSequence[0].ReferencedSOPInstanceUID
types, texts = [], []
for item in ds.get('GraphicAnnotationSequence', []):
    types += [g.GraphicType for g in item.get('GraphicObjectSequence', [])]
    texts += [t.UnformattedTextValue for t in item.get('TextObjectSequence', [])]
print(ds.SOPClassUID, ds.ContentLabel, ref, ds.get('ImageRotation', ''))
print(' '.join(sorted(set(types))))
print('|'.join(texts))
""", path], capture_output=True, text=True)
        out = check.stdout.splitlines()
        if len(out) == 3 and out[0].split()[1] != "DCMTK_TEST":
            checked[out[0].split()[2]] = (path, out)
    first = checked.get(CR_IMAGE)
    second = checked.get(CR_SECOND)
    tap.ok(first is not None and first[1][0].startswith("1.2.840.10008.5.1.4.1.1.11.1 LESION ")
           and first[1][0].endswith(" 90") and first[1][1] == "ELLIPSE POLYLINE"
           and "edges closing well" in first[1][2].split("|") and "dcmpsmk note" in first[1][2].split("|")
           and any(t.startswith("lesion: ") and "mm²" in t for t in first[1][2].split("|")),
           "the first image's GSPS: LESION, rotated 90, ELLIPSE, arrow, both texts, the measurement: %r"
           % (first[1] if first else checked))
    tap.ok(second is not None and "POINT" in second[1][1], "the second image's GSPS has the point: %r"
           % (second[1] if second else None))
    for name, item in (("first", first), ("second", second)):
        if item is None:
            tap.ok(False, "dcmpschk and dciodvfy on the %s image's GSPS: missing" % name)
            continue
        pschk = subprocess.run(["dcmpschk", item[0]], capture_output=True, text=True)
        iod = subprocess.run(["dciodvfy", item[0]], capture_output=True, text=True)
        errors = [s for s in (pschk.stdout + pschk.stderr + iod.stdout + iod.stderr).splitlines()
                  if "Error" in s or s.startswith("E:")]
        tap.ok(pschk.returncode == 0 and not errors,
               "dcmpschk and dciodvfy accept the %s image's GSPS: %r" % (name, errors[:5]))

    # Closing the window with unsaved marks asks too: Cancel keeps it open;
    # then Ctrl+Q asks, and Discard closes it (and the app with its last
    # window).
    time.sleep(1.0)
    app.key("s")
    click(cx - 250, cy - 150)
    app.key("l")
    drag(cx - 100, cy + 60, cx + 100, cy + 60)
    names = app.wait_for(lambda n: "(not saved)" in panel(n), timeout=10)
    tap.ok("(not saved)" in panel(names), "a line on the US clip, not saved")
    close = app.find(role="push button", name="Close")
    tap.ok(close is not None and close.get_action_iface().do_action(0),
           "the window's close button is pressed")
    names = app.wait_for(lambda n: "Save Annotations?" in n, timeout=10)
    tap.ok("Save Annotations?" in names and app.proc.poll() is None,
           "closing the window with unsaved marks asks first")
    app.screenshot("ui-annotate-close-prompt.png")
    app.key("alt+c")
    time.sleep(1.5)
    names = app.names()
    tap.ok(app.proc.poll() is None and "Save Annotations?" not in names and "(not saved)" in panel(names),
           "Cancel keeps the window and the marks")
    # Ctrl+Q asks the same way rather than quitting over the marks.
    app.key("ctrl+q")
    names = app.wait_for(lambda n: "Save Annotations?" in n, timeout=10)
    tap.ok("Save Annotations?" in names and app.proc.poll() is None,
           "Ctrl+Q with unsaved marks asks first")
    app.key("alt+d")
    exited = lbui.wait_until(lambda: app.proc.poll() is not None, timeout=15)
    tap.ok(exited and app.proc.returncode == 0, "Discard closes the window and the app ends cleanly (%s)"
           % app.proc.returncode)
finally:
    status = app.quit()

rc = tap.done()
sys.exit(rc or (status if status not in (0, None) else 0))
