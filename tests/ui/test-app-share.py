#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenes 2 and 3 of WALKTHROUGH.md, the comparison and the export for the
patient, by keyboard against a real Orthanc with the demo data. Before the
app starts, calibrated "wound" outlines of known area are saved for Jane
Doe's first and last visits as presentation states (lightbox-cli present,
POSTed to the archive). Then: four visits in a 2×2 grid, Alt+→ / Alt+←
step a pane to a newer / older visit, the first and last side by side with
linked zoom, the change panel's numbers are the areas made here, and
Ctrl+E exports a PDF through the file chooser with the name and ID left
out; poppler reads it back and the audit log records it."""
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lbui  # noqa: E402  (first: it clears G_DEBUG before GLib is loaded)
import gi  # noqa: E402

NOTE = "It hurts more since Tuesday."
MY_NOTE = "The wound is healing well. Keep the dressing dry."
STUDY = "1.2.826.0.1.3680043.10.1379.9.1.%d"
IMAGE = "1.2.826.0.1.3680043.10.1379.9.3.%d.1.1"
TITLES = ["2025-01-31 · baseline", "2025-02-14 · +14 d", "2025-02-28 · +4 w", "2025-03-14 · +6 w"]
MM_PER_PX = 0.1
# Outlines (width × height px, rectangles) on visits 1 and 4: 412 and 96 mm².
OUTLINES = {1: (200, 206), 4: (120, 80)}
PATIENT_ID = "100234"


def area_mm2(visit):
    w, h = OUTLINES[visit]
    return w * h * MM_PER_PX * MM_PER_PX


def make_presentation_state(visit, tmp, outline=None, created=None):
    """A calibrated "wound" rectangle on the visit's photo, into the archive;
    @created ("YYYYMMDD") backdates its Presentation Creation Date."""
    ids = lbui.orthanc_instances(STUDY % visit, "XC")
    image = os.path.join(tmp, "image-%d.dcm" % visit)
    with open(image, "wb") as f:
        f.write(lbui.orthanc_rest("/instances/%s/file" % ids[0]))
    w, h = outline or OUTLINES[visit]
    x0, y0 = 1000 - w / 2, 750 - h / 2
    annotations = {
        "version": 1,
        "calibration": {"mm_per_pixel": MM_PER_PX},
        "annotations": [
            {"kind": "polygon", "label": "wound",
             "points": [[x0, y0], [x0 + w, y0], [x0 + w, y0 + h], [x0, y0 + h]]},
        ],
    }
    path = os.path.join(tmp, "a-%d-%s.json" % (visit, created))
    with open(path, "w") as f:
        json.dump(annotations, f)
    pr = os.path.join(tmp, "pr-%d-%s.dcm" % (visit, created))
    subprocess.run([os.environ["LIGHTBOX_CLI"], "present", image, "--annotations", path, "--out", pr,
                    "--label", "wound", "--creator", "Test^Nurse"], check=True, timeout=60)
    if created:
        subprocess.run(["/usr/bin/python3", "-c", """
import pydicom, sys
ds = pydicom.dcmread(sys.argv[1])
ds.PresentationCreationDate = sys.argv[2]
ds.save_as(sys.argv[1])
""", pr, created], check=True, timeout=60)
    with open(pr, "rb") as f:
        req = urllib.request.Request(os.environ["LIGHTBOX_TEST_ORTHANC_URL"] + "/instances", data=f.read(),
                                     headers={"Content-Type": "application/dicom"}, method="POST")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read()).get("Status") in ("Success", "AlreadyStored")


def labels(app, prefix=None, suffix=None):
    out = []
    for n in app.walk():
        try:
            name = n.get_name()
            if not name or n.get_role_name() != "label":
                continue
            if (prefix is None or name.startswith(prefix)) and (suffix is None or name.endswith(suffix)):
                out.append(name)
        except Exception:
            pass
    return out


def zoom_labels(app):
    return labels(app, prefix="Zoom ")


def find_window(app, title, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.app = app._find_app()
        if app.app is not None:
            for i in range(app.app.get_child_count()):
                w = app.app.get_child_at_index(i)
                if w is not None and w.get_name() == title:
                    return w
        time.sleep(0.3)
    return None


def percent_text(p):
    """"−77 %" as the app writes it (U+2212 minus, whole percent)."""
    v = round(p)
    return ("−%d %%" % -v) if v < 0 else ("+%d %%" % v if v > 0 else "0 %")


def press(node):
    """Activates a button or switch through AT-SPI, as a screen reader would."""
    try:
        return node.do_action(0)
    except Exception as e:
        print("# do_action: %s" % e)
        return False


def png_difference(a, b):
    """How many pixels differ between two PNGs of one size (-1: sizes differ)."""
    gi.require_version("GdkPixbuf", "2.0")
    from gi.repository import GdkPixbuf
    pa = GdkPixbuf.Pixbuf.new_from_file(a)
    pb = GdkPixbuf.Pixbuf.new_from_file(b)
    if (pa.get_width(), pa.get_height()) != (pb.get_width(), pb.get_height()):
        return -1
    da, db = pa.get_pixels(), pb.get_pixels()
    n, step = pa.get_n_channels(), pa.get_rowstride()
    nb, stepb = pb.get_n_channels(), pb.get_rowstride()
    count = 0
    for y in range(pa.get_height()):
        ra = da[y * step:y * step + pa.get_width() * n]
        rb = db[y * stepb:y * stepb + pb.get_width() * nb]
        if ra == rb and n == nb:
            continue
        for x in range(pa.get_width()):
            if ra[x * n:x * n + 3] != rb[x * nb:x * nb + 3]:
                count += 1
    return count


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def pdf_text(path, *args):
    r = subprocess.run(["pdftotext", "-enc", "UTF-8"] + list(args) + [path, "-"],
                       capture_output=True, text=True, timeout=60)
    return " ".join(r.stdout.split())


tap = lbui.Tap()
tmp = tempfile.mkdtemp(prefix="lightbox-share-")
for visit in OUTLINES:
    tap.ok(make_presentation_state(visit, tmp), "a calibrated wound outline of visit %d is in the archive" % visit)
# An older state of the last photo with another outline: the newest wins.
tap.ok(make_presentation_state(4, tmp, outline=(200, 200), created="20200101"),
       "an older presentation state of visit 4 (400 mm²) is in the archive too")

full = None
app = lbui.App(["--server", os.environ["LIGHTBOX_TEST_DICOMWEB_URL"]])
try:
    tap.ok(app.wait_for_window("Lightbox", timeout=30) is not None, "main window appears")
    app.wait_for_labels(["DOE, JANE"], timeout=30)
    time.sleep(0.5)
    app.key("Return")
    names = app.wait_for(lambda n: NOTE in n, timeout=30)
    tap.ok(NOTE in names, "Enter opens Jane Doe's newest study")
    time.sleep(1.0)

    # Four visits: a 2×2 grid with four titles.
    app.key("c")
    names = app.wait_for(lambda n: "4 visits" in n and "L LEG" in n, timeout=60)
    tap.ok("4 visits" in names, "C opens the timeline: 4 visits")
    time.sleep(1.0)
    app.key("space", "Down", "space", "Down", "space", "Down", "space")
    names = app.wait_for(lambda n: "4 visits, 4 selected" in n, timeout=10)
    tap.ok("4 visits, 4 selected" in names, "Space selects each of the four visits")
    app.key("Return")
    names = app.wait_for(lambda n: all(t in n for t in TITLES), timeout=30)
    tap.ok(all(t in names for t in TITLES), "four visits side by side, each titled: %s"
           % [t for t in TITLES if t in names])
    time.sleep(2.0)
    zooms = zoom_labels(app)
    tap.ok(len(zooms) == 4, "four viewports (%s)" % zooms)
    panes = [n for n in app.walk() if n.get_role_name() == "label" and n.get_name() in TITLES]
    xs = sorted({n.get_extents(lbui.Atspi.CoordType.WINDOW).x for n in panes})
    ys = sorted({n.get_extents(lbui.Atspi.CoordType.WINDOW).y for n in panes})
    tap.ok(len(panes) == 4 and len(xs) == 2 and len(ys) == 2,
           "laid out in two columns and two rows (x %s, y %s)" % (xs, ys))
    tap.ok("Link rotation" in names, "a Link rotation toggle is shown")
    images = [n.get_name() for n in app.walk()
              if n.get_role_name() == "image" and n.get_name().startswith("Image of ")]
    tap.ok(sorted(images) == sorted("Image of " + t for t in TITLES),
           "each viewport is named by its visit: %s" % images)
    app.screenshot("ui-share-2x2.png")

    # Alt+→ in the first (focused) pane: the next newer visit; Alt+← back.
    app.key("alt+Right")
    names = app.wait_for(lambda n: TITLES[0] not in n and n.count(TITLES[1]) == 2, timeout=15)
    tap.ok(TITLES[0] not in names and names.count(TITLES[1]) == 2,
           "Alt+→ shows the next newer visit in the focused pane")
    app.key("alt+Left")
    names = app.wait_for(lambda n: TITLES[0] in n and n.count(TITLES[1]) == 1, timeout=15)
    tap.ok(TITLES[0] in names and names.count(TITLES[1]) == 1, "Alt+← goes back to the baseline")
    app.key("alt+Left")
    time.sleep(1.0)
    tap.ok(TITLES[0] in app.names(), "there is nothing older than the baseline: it stays")

    # The first and the last, side by side.
    app.key("Escape")
    time.sleep(1.0)
    app.key("c")
    names = app.wait_for(lambda n: "4 visits" in n, timeout=60)
    time.sleep(1.0)
    app.key("space", "Down", "Down", "Down", "space")
    names = app.wait_for(lambda n: "4 visits, 2 selected" in n, timeout=10)
    tap.ok("4 visits, 2 selected" in names, "Space selects the first and the last")
    app.key("Return")
    names = app.wait_for(lambda n: TITLES[0] in n and TITLES[3] in n, timeout=30)
    tap.ok(TITLES[0] in names and TITLES[3] in names and TITLES[1] not in names,
           "the baseline and +6 w side by side")
    time.sleep(2.0)
    before = zoom_labels(app)
    tap.ok(len(before) == 2 and before[0] == before[1], "two viewports at the same zoom: %s" % before)
    app.key("plus")
    after = lbui.wait_until(lambda: zoom_labels(app) != before and zoom_labels(app), timeout=10) or []
    time.sleep(0.5)
    after = zoom_labels(app)
    tap.ok(len(after) == 2 and after != before and after[0] == after[1],
           "zooming one zooms both: %s → %s" % (before, after))

    # Link zoom & pan off: zooming the focused side leaves the other.
    toggle = app.find(role="push button", name="Link zoom & pan")
    was_on = toggle is not None and toggle.get_state_set().contains(lbui.Atspi.StateType.PRESSED)
    tap.ok(toggle is not None and was_on and press(toggle), "the Link zoom & pan toggle is on and can be switched off")
    time.sleep(0.5)
    before = zoom_labels(app)
    app.key("plus")
    time.sleep(1.5)
    after = zoom_labels(app)
    tap.ok(len(after) == 2 and after[0] != before[0] and after[1] == before[1],
           "unlinked, only the focused side zooms: %s → %s" % (before, after))
    press(toggle)
    time.sleep(1.0)
    relinked = zoom_labels(app)
    tap.ok(len(relinked) == 2 and relinked[0] == relinked[1], "linked again, both agree: %s" % relinked)

    # Link rotation: Ctrl+R turns both; unlinked, only the focused one.
    app.key("ctrl+r")
    turned = lbui.wait_until(lambda: all("turned 90°" in z for z in zoom_labels(app)) and zoom_labels(app),
                             timeout=10) or zoom_labels(app)
    tap.ok(len(turned) == 2 and all("turned 90°" in z for z in turned), "Ctrl+R turns both images: %s" % turned)
    rotation = app.find(role="push button", name="Link rotation")
    tap.ok(rotation is not None and press(rotation), "Link rotation can be switched off")
    time.sleep(0.5)
    app.key("ctrl+r")
    time.sleep(1.0)
    turned = zoom_labels(app)
    tap.ok(len(turned) == 2 and "turned 180°" in turned[0] and "turned 90°" in turned[1],
           "unlinked, only the focused image turns: %s" % turned)
    press(rotation)
    time.sleep(1.0)
    turned = zoom_labels(app)
    tap.ok(len(turned) == 2 and all("turned 180°" in z for z in turned),
           "linked again, the other follows the first: %s" % turned)
    app.key("ctrl+r", "ctrl+r")
    time.sleep(1.0)

    # The change panel: the areas made above, and the change.
    values = lbui.wait_until(lambda: labels(app, suffix=" mm²"), timeout=20) or []
    numbers = sorted(float(re.sub(r"[^0-9.]", "", v)) for v in values)
    expected = sorted([area_mm2(1), area_mm2(4)])
    tap.ok(len(numbers) == 2 and all(abs(a - b) <= 0.005 * b for a, b in zip(numbers, expected)),
           "the change table has the two wound areas: %s (made %s)" % (values, expected))
    change = (area_mm2(4) - area_mm2(1)) / area_mm2(1) * 100
    names = app.names()
    tap.ok(percent_text(change) in names, "the change %s is in the table" % percent_text(change))
    summary = percent_text(change) + " since baseline"
    tap.ok(summary in names, "the summary says %r" % summary)
    tap.ok("Change plot" in names, "the plot is shown")
    app.screenshot("ui-share-change-panel.png")

    # Ctrl+E: the export dialog, a note, a PDF through the file chooser.
    app.key("ctrl+e")
    dialog = find_window(app, "Export for the Patient")
    tap.ok(dialog is not None, "Ctrl+E opens the export dialog")
    names = app.names()
    tap.ok("Note for the patient" in names and "Leave out name and ID" in names and
           "Mark as shared with the patient in the archive" in names, "note, identity and share controls")
    switches = []
    for n in app.walk():
        try:
            if n.get_role_name() in ("switch", "toggle button", "check box"):
                switches.append(n)
        except Exception:
            pass

    def is_on(node):
        st = node.get_state_set()
        return st.contains(lbui.Atspi.StateType.CHECKED) or st.contains(lbui.Atspi.StateType.PRESSED)
    state = {}
    for n in switches:
        # Labelled by its row's title (GTK may repeat it in the name).
        for title in ("Leave out name and ID", "Mark as shared with the patient in the archive"):
            if n.get_name().startswith(title):
                state.setdefault(title, (n.get_role_name(), is_on(n)))
    tap.ok(state.get("Leave out name and ID", ("", False))[1] and
           not state.get("Mark as shared with the patient in the archive", ("", True))[1],
           "leave out name and ID is on, mark as shared is off by default: %s" % state)
    time.sleep(1.0)
    subprocess.run(["xdotool", "type", "--delay", "40", MY_NOTE], check=True, timeout=60)
    time.sleep(1.5)
    app.screenshot("ui-share-export-dialog.png")
    # A full disk (a 64 KiB tmpfs, where this test may mount one): the
    # dialog says so in plain words and stays open.
    full = tempfile.mkdtemp(prefix="lightbox-full-")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", full],
                             capture_output=True).returncode == 0
    if mounted:
        app.key("ctrl+s")
        find_window(app, "Save Export")
        time.sleep(1.0)
        app.key("ctrl+a")
        subprocess.run(["xdotool", "type", "--delay", "20", os.path.join(full, "for-patient.pdf")],
                       check=True, timeout=60)
        time.sleep(0.5)
        app.key("Return")
        message = "Could not save the export: No space left on device"
        names = app.wait_for(lambda n: message in n, timeout=60)
        tap.ok(message in names, "a full disk is said in plain words in the dialog")
        still = find_window(app, "Export for the Patient", timeout=2) is not None
        left = os.listdir(full)
        tap.ok(still and left == [], "the dialog stays open (%s) and no half file is left (%s)" % (still, left))
        app.screenshot("ui-share-export-disk-full.png")
    else:
        tap.ok(True, "a full disk is said in plain words # SKIP cannot mount a small tmpfs here")
        tap.ok(True, "the dialog stays open # SKIP cannot mount a small tmpfs here")
    out = os.path.join(tmp, "for-patient.pdf")
    app.key("ctrl+s")
    chooser = find_window(app, "Save Export")
    tap.ok(chooser is not None, "Ctrl+S opens the save dialog")
    time.sleep(1.0)
    app.key("ctrl+a")
    subprocess.run(["xdotool", "type", "--delay", "20", out], check=True, timeout=60)
    time.sleep(0.5)
    app.key("Return")
    written = lbui.wait_until(lambda: os.path.exists(out) and os.path.getsize(out) > 1000, timeout=60)
    tap.ok(written, "the PDF is written to the path typed")
    names = app.wait_for(lambda n: "Export saved" in n, timeout=10)
    tap.ok("Export saved" in names, "the window says the export is saved")

    if written:
        time.sleep(0.5)
        png = subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", out, os.path.join(tmp, "page")],
                             capture_output=True, timeout=60)
        pages = [f for f in os.listdir(tmp) if f.startswith("page") and f.endswith(".png")]
        tap.ok(png.returncode == 0 and len(pages) == 1, "pdftoppm renders the page: %s" % pages)
        text = pdf_text(out)
        tap.ok("Image provided by the patient" in text, "the page carries the patient-image banner")
        tap.ok("2025-01-31" in text and "2025-03-14" in text, "both dates are on the page")
        tap.ok(MY_NOTE in text, "the note is on the page")
        tap.ok("since baseline" in text, "the change summary is on the page")
        info = subprocess.run(["pdfinfo", out], capture_output=True, text=True, timeout=60).stdout
        everything = (text + " " + info).lower()
        tap.ok("doe" not in everything and "jane" not in everything and PATIENT_ID not in everything,
               "neither the name nor the ID in the text or the metadata")

    # From the study view: the current image alone, as PNG, marked as
    # shared: a For Patient KOS reaches the archive.
    kos_before = len(lbui.orthanc_instances(STUDY % 4, "KO"))
    app.key("Escape")
    names = app.wait_for(lambda n: NOTE in n, timeout=15)
    time.sleep(1.0)
    app.key("ctrl+e")
    dialog = find_window(app, "Export for the Patient")
    tap.ok(dialog is not None, "Ctrl+E in the study view opens the export dialog")
    share = None
    for n in app.walk():
        try:
            if n.get_role_name() == "check box" and n.get_name().startswith("Mark as shared"):
                share = n
        except Exception:
            pass
    tap.ok(share is not None and press(share), "mark as shared is switched on")
    time.sleep(1.0)
    out_png = os.path.join(tmp, "for-patient.png")
    app.key("ctrl+s")
    chooser = find_window(app, "Save Export")
    time.sleep(1.0)
    app.key("ctrl+a")
    subprocess.run(["xdotool", "type", "--delay", "20", out_png], check=True, timeout=60)
    time.sleep(0.5)
    app.key("Return")
    written = lbui.wait_until(lambda: os.path.exists(out_png) and os.path.getsize(out_png) > 1000, timeout=60)
    tap.ok(written and png_size(out_png) == (1684, 1190),
           "a .png name writes a 1684 × 1190 PNG (%s)" % (png_size(out_png) if written else None,))
    # The marks shown in the study view are burned in: the page differs
    # from the same image exported without them (by the CLI, same options).
    bare_png = os.path.join(tmp, "bare.png")
    subprocess.run([os.environ["LIGHTBOX_CLI"], "export", os.path.join(tmp, "image-4.dcm"),
                    "--out", bare_png, "--leave-out-identity", "--db", os.path.join(tmp, "cli-audit.db")],
                   capture_output=True, timeout=120)
    changed = png_difference(out_png, bare_png) if written and os.path.exists(bare_png) else -1
    tap.ok(changed > 100, "the study view's marks are burned into its export (%d pixels differ "
           "from the image exported without them)" % changed)
    kos = lbui.wait_until(lambda: len(lbui.orthanc_instances(STUDY % 4, "KO")) > kos_before
                          and lbui.orthanc_instances(STUDY % 4, "KO"), timeout=60) or []
    tap.ok(len(kos) == kos_before + 1, "one more KOS in the study (%d → %d)" % (kos_before, len(kos)))
    titles = []
    for k in kos:
        path = os.path.join(tmp, "kos.dcm")
        with open(path, "wb") as f:
            f.write(lbui.orthanc_rest("/instances/%s/file" % k))
        r = subprocess.run(["/usr/bin/python3", "-c", """
import pydicom, sys
ds = pydicom.dcmread(sys.argv[1])
refs = [i.ReferencedSOPInstanceUID for s in ds.CurrentRequestedProcedureEvidenceSequence
        for se in s.ReferencedSeriesSequence for i in se.ReferencedSOPSequence]
print(ds.ConceptNameCodeSequence[0].CodeValue, ' '.join(refs))
""", path], capture_output=True, text=True, timeout=60)
        titles.append(r.stdout.strip() or r.stderr.strip()[-200:])
    tap.ok(("113007 " + IMAGE % 4) in titles, "it is a For Patient selection of the image: %s" % titles)

    # The audit log: who, which images, where, identity left out.
    db = os.path.join(app.data_dir, "lightbox", "lightbox.db")
    rows = []
    try:
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)
        rows = con.execute("SELECT event, user, server, object_uids FROM audit"
                           " WHERE event LIKE 'export%' ORDER BY id").fetchall()
        con.close()
    except sqlite3.Error as e:
        print("# audit: %s" % e)
    row = rows[0] if len(rows) == 2 else ("", "", "", "")
    tap.ok(len(rows) == 2 and row[0] == "export-anonymous", "an audit record per export, identity left out: %s"
           % rows)
    tap.ok(len(rows) == 2 and rows[1][3] == IMAGE % 4 and rows[1][2].endswith("/for-patient.png"),
           "the study view's export names its one image and the PNG")
    tap.ok(IMAGE % 1 in row[3] and IMAGE % 4 in row[3], "it names both exported images")
    tap.ok(row[2].startswith("file://") and row[2].endswith("/for-patient.pdf") and row[1] != "",
           "it says where and who: %r %r" % (row[2], row[1]))
finally:
    status = app.quit()
    import shutil
    shutil.rmtree(tmp, ignore_errors=True)
    if full is not None:
        if os.path.ismount(full):
            subprocess.run(["umount", full], capture_output=True)
        shutil.rmtree(full, ignore_errors=True)
tap.ok(status == 0, "app exits cleanly (status %s)" % status)
sys.exit(tap.done())
