#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scene 1 of WALKTHROUGH.md, by keyboard, against a real Orthanc with the
demo data: open the newest study, reject it for motion blur (R, Enter), see
the next study load and the status change; the rejection note in the
archive is a valid KOS (dciodvfy, pydicom). Then, with the archive frozen,
approve a study: the decision waits in the outbox, the window says so, and
it arrives once the archive answers again."""
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lbui  # noqa: E402

ORTHANC_PID = int(os.environ["LIGHTBOX_TEST_ORTHANC_PID"])
JANE_NEWEST = "1.2.826.0.1.3680043.10.1379.9.1.4"


def ko_instances(study_uid):
    return lbui.orthanc_instances(study_uid, "KO")




tap = lbui.Tap()
app = lbui.App(["--server", os.environ["LIGHTBOX_TEST_DICOMWEB_URL"]])
stopped = False
try:
    tap.ok(app.wait_for_window("Lightbox", timeout=30) is not None, "main window appears")
    app.wait_for_labels(["DOE, JANE"], timeout=30)
    time.sleep(0.5)

    # Enter opens the newest study: Jane Doe's wound, with her note.
    app.key("Return")
    names = app.wait_for(lambda n: "It hurts more since Tuesday." in n, timeout=30)
    tap.ok("It hurts more since Tuesday." in names, "Enter opens the newest study with the patient's note")
    tap.ok("Not reviewed yet" in names, "study shows it is not reviewed yet")
    app.screenshot("ui-triage-study.png")

    # J / K move between studies without going back to the list.
    app.key("j")
    names = app.wait_for(lambda n: "Second try, taken before work." in n, timeout=30)
    tap.ok("Second try, taken before work." in names, "J opens the next study from the study view")
    app.key("k")
    names = app.wait_for(lambda n: "It hurts more since Tuesday." in n, timeout=30)
    tap.ok("It hurts more since Tuesday." in names, "K goes back to the previous study")
    time.sleep(1.0)

    # R, Enter: rejected for motion blur, the first reason.
    app.key("r")
    time.sleep(0.8)
    app.screenshot("ui-triage-reject-popover.png")
    app.key("Return")
    names = app.wait_for(lambda n: "Second try, taken before work." in n, timeout=30)
    tap.ok("Second try, taken before work." in names, "the next study opens after the decision")
    tap.ok(any(x and x.startswith("Rejected by") and "Motion blur" in x for x in names),
           "worklist shows the study as rejected for motion blur")

    kos = lbui.wait_until(lambda: ko_instances(JANE_NEWEST), timeout=60)
    tap.ok(len(kos) == 1, "the rejection note reached the archive once (%d)" % len(kos))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "kos.dcm")
        with open(path, "wb") as f:
            f.write(lbui.orthanc_rest("/instances/%s/file" % kos[0]) if kos else b"")
        v = subprocess.run(["dciodvfy", "-new", path], capture_output=True, text=True)
        errors = [l for l in v.stderr.splitlines() if l.startswith("Error")]
        tap.ok(kos and "KeyObjectSelectionDocument" in v.stderr and not errors,
               "dciodvfy finds no error in the KOS %s" % errors[:3])
        check = subprocess.run(["/usr/bin/python3", "-c", """
import pydicom, sys
ds = pydicom.dcmread(sys.argv[1])
title = ds.ConceptNameCodeSequence[0]
mods = [i.ConceptCodeSequence[0].CodeValue for i in ds.ContentSequence
        if 'ConceptNameCodeSequence' in i and i.ConceptNameCodeSequence[0].CodeValue == '113011']
ev = ds.CurrentRequestedProcedureEvidenceSequence[0]
refs = [s.ReferencedSOPInstanceUID for se in ev.ReferencedSeriesSequence for s in se.ReferencedSOPSequence]
assert ds.Modality == 'KO' and ds.StudyInstanceUID == sys.argv[2]
print(title.CodeValue, title.CodingSchemeDesignator, ','.join(mods), len(refs))
""", path, JANE_NEWEST], capture_output=True, text=True)
        tap.ok(check.stdout.split() == ["113001", "DCM", "111210", "1"],
               "KOS title 113001 with modifier 111210, evidence lists the photo: %s %s"
               % (check.stdout.strip(), check.stderr.strip()[-200:]))

    # The archive goes down: the decision waits, and the window says so.
    os.kill(ORTHANC_PID, signal.SIGSTOP)
    stopped = True
    app.key("a")
    names = app.wait_for(lambda n: "1 waiting" in n, timeout=20)
    tap.ok("1 waiting" in names, "with the archive down, the approval waits in the outbox")
    app.screenshot("ui-triage-waiting.png")
    os.kill(ORTHANC_PID, signal.SIGCONT)
    stopped = False
    names = app.wait_for(lambda n: "1 waiting" not in n, timeout=90)
    tap.ok("1 waiting" not in names, "once the archive answers, the outbox empties")
    roe_dark = "1.2.826.0.1.3680043.10.1379.9.1.9"
    kos = lbui.wait_until(lambda: ko_instances(roe_dark), timeout=30)
    tap.ok(len(kos) == 1, "the approval arrived in the archive exactly once (%d)" % len(kos))

    # Meanwhile a colleague decides the study now open (the blurry one):
    # the nurse is told who and when before anything is sent.
    roe_blurry = "1.2.826.0.1.3680043.10.1379.9.1.8"
    app.wait_for(lambda n: "New spot on my back, my wife took the photo." in n, timeout=30)
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([os.environ["LIGHTBOX_CLI"], "decide", "--server",
                            os.environ["LIGHTBOX_TEST_DICOMWEB_URL"], "--study", roe_blurry,
                            "--approve", "--reviewer", "Ben Doctor", "--db", os.path.join(tmp, "db")],
                           capture_output=True, text=True)
    tap.ok(r.returncode == 0, "a colleague approves the open study from another workstation")
    app.key("r")
    time.sleep(0.8)
    app.key("Return")
    names = app.wait_for(lambda n: "Already Reviewed" in n, timeout=20)
    tap.ok("Already Reviewed" in names, "the nurse is warned before sending")
    tap.ok(any(x and "Approved by Ben Doctor" in x for x in names), "the warning says who decided")
    app.screenshot("ui-triage-conflict.png")
    app.key("Escape")
    time.sleep(2)
    tap.ok(len(ko_instances(roe_blurry)) == 1, "keeping the colleague's decision sends nothing")

    # T: a retake with a reason and instructions, typed; then "Send Mine"
    # over the colleague's approval.
    app.key("t")
    time.sleep(0.8)
    app.key("space")
    time.sleep(0.5)
    app.key("Down")
    app.key("Return")
    time.sleep(0.3)
    app.key("Tab")
    subprocess.run(["xdotool", "type", "--delay", "20", "Please take the photo near a window in daylight"],
                   check=True, timeout=30)
    app.key("Return")
    names = app.wait_for(lambda n: "Already Reviewed" in n, timeout=20)
    tap.ok("Already Reviewed" in names, "the warning comes again for the retake")
    app.key("alt+s")
    kos = lbui.wait_until(lambda: len(ko_instances(roe_blurry)) == 2, timeout=30)
    tap.ok(kos, "sending anyway stores the retake request next to the approval")
    with tempfile.TemporaryDirectory() as tmp:
        texts = []
        for i in ko_instances(roe_blurry):
            path = os.path.join(tmp, i + ".dcm")
            with open(path, "wb") as f:
                f.write(lbui.orthanc_rest("/instances/%s/file" % i))
            r = subprocess.run(["/usr/bin/python3", "-c", """
import pydicom, sys
ds = pydicom.dcmread(sys.argv[1])
items = [i for i in ds.ContentSequence if 'ConceptNameCodeSequence' in i]
mods = [i.ConceptCodeSequence[0].CodeValue for i in items if i.ConceptNameCodeSequence[0].CodeValue == '113011']
text = [i.TextValue for i in items if i.ConceptNameCodeSequence[0].CodeValue == '113012']
print(ds.ConceptNameCodeSequence[0].CodeValue, mods[0] if mods else '-', text[0] if text else '')
""", path], capture_output=True, text=True)
            texts.append(r.stdout.strip())
    tap.ok(any(t.startswith("113010 111211") and "near a window in daylight" in t for t in texts),
           "retake: 113010, under-exposed (111211), with the instructions: %s" % texts)
finally:
    if stopped:
        os.kill(ORTHANC_PID, signal.SIGCONT)
    status = app.quit()
tap.ok(status == 0, "app exits cleanly (status %s)" % status)

# Another workstation (a fresh app with its own database) sees both
# decisions, read back from the archive's key object documents.
other = lbui.App(["--server", os.environ["LIGHTBOX_TEST_DICOMWEB_URL"]])
try:
    other.wait_for_window("Lightbox", timeout=30)
    names = other.wait_for(lambda n: any(x and x.startswith("Rejected by") for x in n)
                           and any(x and x.startswith("Approved by") for x in n), timeout=30)
    tap.ok(any(x and x.startswith("Rejected by") and "Motion blur" in x for x in names),
           "a second workstation shows the rejection")
    tap.ok(any(x and x.startswith("Approved by") for x in names),
           "a second workstation shows the approval")
    other.screenshot("ui-triage-second-workstation.png")
finally:
    status = other.quit()
tap.ok(status == 0, "second app exits cleanly (status %s)" % status)
sys.exit(tap.done())
