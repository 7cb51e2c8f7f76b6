#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`lightbox-cli decide` against the harness Orthanc (fixtures loaded): each
decision becomes a key object document in the same study, valid for
dciodvfy, with the title and reason codes of DESIGN.md."""
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

CLI = os.environ["LIGHTBOX_CLI"]
URL = os.environ["LIGHTBOX_TEST_DICOMWEB_URL"]
REST = os.environ["LIGHTBOX_TEST_ORTHANC_URL"]
ALICE = "1.2.826.0.1.3680043.10.1379.9.1"
BOB = "1.2.826.0.1.3680043.10.1379.9.2"
n = 0
failed = 0


def ok(cond, what):
    global n, failed
    n += 1
    failed += 0 if cond else 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n, what), flush=True)


def rest(path):
    with urllib.request.urlopen(REST + path, timeout=30) as r:
        return r.read()


def kos_files(study_uid):
    out = []
    for st in json.loads(rest("/studies?expand")):
        if st["MainDicomTags"]["StudyInstanceUID"] != study_uid:
            continue
        for sid in st["Series"]:
            se = json.loads(rest("/series/" + sid))
            if se["MainDicomTags"].get("Modality") == "KO":
                out += [rest("/instances/%s/file" % i) for i in se["Instances"]]
    return out


def describe(data, tmp):
    path = os.path.join(tmp, "kos.dcm")
    with open(path, "wb") as f:
        f.write(data)
    v = subprocess.run(["dciodvfy", "-new", path], capture_output=True, text=True)
    errors = [l for l in v.stderr.splitlines() if l.startswith("Error")]
    r = subprocess.run(["/usr/bin/python3", "-c", """
import pydicom, sys
ds = pydicom.dcmread(sys.argv[1])
items = {i.ConceptNameCodeSequence[0].CodeValue: i for i in ds.ContentSequence if 'ConceptNameCodeSequence' in i}
mod = items['113011'].ConceptCodeSequence[0].CodeValue if '113011' in items else ''
text = items['113012'].TextValue if '113012' in items else ''
obs = str(items['121008'].PersonName) if '121008' in items else ''
print(ds.ConceptNameCodeSequence[0].CodeValue + '|' + mod + '|' + text + '|' + obs + '|' + ds.StudyInstanceUID)
""", path], capture_output=True, text=True)
    return errors, r.stdout.strip().split("|")


env = dict(os.environ)
with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, "lightbox.db")
    base = [CLI, "decide", "--server", URL, "--db", db, "--reviewer", "Anna Nurse"]

    r = subprocess.run(base + ["--study", ALICE, "--retake", "under-exposed",
                               "--instructions", "Please take the photo near a window in daylight"],
                       capture_output=True, text=True)
    ok(r.returncode == 0 and "1 stored, 0 failed" in r.stdout, "retake stored: " + (r.stdout + r.stderr).strip()[-200:])
    files = kos_files(ALICE)
    ok(len(files) == 1, "one KOS in Alice's study")
    errors, (title, mod, text, obs, study) = describe(files[0], tmp) if files else (["none"], [""] * 5)
    ok(not errors, "dciodvfy: no errors %s" % errors[:3])
    ok(title == "113010" and mod == "111211", "retake: title 113010, modifier 111211 (%s, %s)" % (title, mod))
    ok("near a window in daylight" in text, "instructions for the patient in the description: " + text)
    ok(obs == "Nurse^Anna" and study == ALICE, "observer Nurse^Anna, same study (%s)" % obs)

    r = subprocess.run(base + ["--study", BOB, "--reject", "wrong-patient"], capture_output=True, text=True)
    ok(r.returncode == 0, "reject wrong patient: exit 0")
    files = kos_files(BOB)
    errors, (title, mod, text, obs, study) = describe(files[0], tmp) if files else (["none"], [""] * 5)
    ok(title == "113037" and mod == "" and not errors, "wrong patient: title 113037, no modifier, valid")

    r = subprocess.run(base + ["--study", BOB, "--reject", "sideways"], capture_output=True, text=True)
    ok(r.returncode == 2 and "unknown reason" in r.stderr, "an unknown reason is a usage error")
    r = subprocess.run(base + ["--study", "1.2.3.4.5.6.7", "--approve"], capture_output=True, text=True)
    ok(r.returncode == 1 and "not in the archive" in r.stderr, "an unknown study: clear error, exit 1: " + r.stderr.strip())
    r = subprocess.run(base + ["--study", BOB, "--approve", "--reject", "blurry"], capture_output=True, text=True)
    ok(r.returncode == 2, "two decisions at once is a usage error")
    ok(len(kos_files(BOB)) == 1, "nothing was sent for the refused commands")

print("1..%d" % n)
sys.exit(1 if failed else 0)
