#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks tools/make-demo-data: runs it twice into a temp dir and verifies
determinism, counts, DICOM conformance (pydicom, dciodvfy) and that the
pictures show what the demo needs (shrinking wound, blurry / dark photos,
a moving ultrasound clip). The photos are wrapped by `lightbox-cli wrap`
($LIGHTBOX_CLI, which meson's test environment sets). Speaks TAP.

usage: check-demo-data.py [PATH/TO/make-demo-data]
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.encaps import generate_pixel_data_frame
from PIL import Image

HERE = os.path.dirname(os.path.realpath(__file__))
GENERATOR = (sys.argv[1] if len(sys.argv) > 1
             else os.path.join(HERE, "..", "..", "tools", "make-demo-data"))

VL_PHOTO = "1.2.840.10008.5.1.4.1.1.77.1.4"
JPEG_BASELINE = "1.2.840.10008.1.2.4.50"

results = []


def check(ok, name, diag=None):
    results.append(bool(ok))
    n = len(results)
    print("%s %d - %s" % ("ok" if ok else "not ok", n, name))
    if diag and not ok:
        for line in str(diag).splitlines():
            print("# " + line)
    sys.stdout.flush()
    return ok


def tree(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = fh.read()
    return out


def gray(rgb):
    a = rgb.astype(np.float32)
    return 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]


def laplacian_var(g):
    lap = (4 * g[1:-1, 1:-1] - g[:-2, 1:-1] - g[2:, 1:-1] - g[1:-1, :-2] - g[1:-1, 2:])
    return float(lap.var())


def reddish_area_mm2(rgb, mm_per_px):
    a = rgb.astype(np.float32)
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    red = (r > 60) & (g < 0.62 * r) & (b < 0.70 * r)
    return float(red.sum()) * mm_per_px * mm_per_px


def main():
    tmp = tempfile.mkdtemp(prefix="lb-demo-test-")
    try:
        run(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % len(results))
    failed = results.count(False)
    print("# %d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


def run(tmp):
    a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
    # both runs at once: they must not influence each other either
    procs = [subprocess.Popen(["/usr/bin/python3", GENERATOR, d], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for d in (a, b)]
    outs = [p.communicate() for p in procs]
    ok = True
    for d, p, (_, err) in zip((a, b), procs, outs):
        ok &= check(p.returncode == 0, "make-demo-data %s exits 0" % os.path.basename(d),
                    err[-2000:])
    if not ok:
        return
    ta, tb = tree(a), tree(b)
    differ = sorted(k for k in set(ta) | set(tb) if ta.get(k) != tb.get(k))
    check(not differ, "two runs write byte-identical files (%d files)" % len(ta),
          "differ: %s" % differ[:10])

    with open(os.path.join(a, "MANIFEST.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    studies = [s for p in manifest["patients"] for s in p["studies"]]
    dcm_files = sorted(k for k in ta if k.endswith(".dcm"))
    check(len(manifest["patients"]) == 4, "4 patients", len(manifest["patients"]))
    check(len(studies) == 12, "12 studies", len(studies))
    check(len(dcm_files) == 12 and sorted(s["file"] for s in studies) == dcm_files,
          "12 instances, one file per manifest entry", dcm_files)

    # --- every file parses and says what the manifest says
    datasets = {}
    bad = []
    for p in manifest["patients"]:
        for s in p["studies"]:
            try:
                ds = pydicom.dcmread(os.path.join(a, s["file"]))
                datasets[s["file"]] = ds
                if (str(ds.PatientName) != p["name"] or ds.PatientID != p["id"]
                        or ds.StudyInstanceUID != s["study_uid"]
                        or ds.SOPInstanceUID != s["sop_instance_uid"]
                        or ds.Modality != s["modality"]):
                    bad.append("%s: header does not match the manifest" % s["file"])
            except Exception as e:  # noqa: BLE001
                bad.append("%s: %s" % (s["file"], e))
    check(not bad, "every file parses with pydicom and matches the manifest", "\n".join(bad))
    uids = [s["study_uid"] for s in studies]
    check(len(set(uids)) == 12 and all(u.startswith("1.2.826.0.1.3680043.10.1379.") for u in uids),
          "study UIDs are distinct and under the project root")
    names = {p["name"]: p for p in manifest["patients"]}
    jane = names.get("DOE^JANE", {})
    check(jane.get("id") == "100234" and jane.get("birth_date") == "19620411",
          "Jane Doe: MRN 100234, born 1962-04-11")

    # --- photos: VL Photographic, JPEG baseline kept as a JPEG
    photos = [s for s in studies if s["sop_class_uid"] == VL_PHOTO]
    check(len(photos) == 10, "10 VL Photographic Image objects", len(photos))
    bad = []
    decoded = {}
    for s in photos:
        ds = datasets.get(s["file"])
        if ds is None:
            bad.append("%s: unreadable" % s["file"])
            continue
        if ds.file_meta.TransferSyntaxUID != JPEG_BASELINE:
            bad.append("%s: transfer syntax %s" % (s["file"], ds.file_meta.TransferSyntaxUID))
        if ds.PhotometricInterpretation != "YBR_FULL_422" or ds.Modality != "XC":
            bad.append("%s: photometric/modality" % s["file"])
        if list(ds.ImageType) != ["ORIGINAL", "PRIMARY"]:
            bad.append("%s: image type %s" % (s["file"], ds.ImageType))
        frame = next(generate_pixel_data_frame(ds.PixelData, 1))
        if frame[:2] != b"\xff\xd8" or b"\xff\xd9" not in frame[-4:]:
            bad.append("%s: pixel data is not a JPEG (starts %s)" % (s["file"], frame[:4].hex()))
            continue
        n = s["facts"]["jpeg_bytes"]
        if len(frame) not in (n, n + 1) or frame[n - 2:n] != b"\xff\xd9" or frame[n:].strip(b"\0"):
            bad.append("%s: fragment is not the %d-byte JPEG (+ pad)" % (s["file"], n))
        elif hashlib.sha256(frame[:n]).hexdigest() != s["facts"]["jpeg_sha256"]:
            bad.append("%s: fragment differs from the drawn JPEG less its EXIF" % s["file"])
        if b"Exif\0\0" in frame:
            bad.append("%s: the EXIF block is still in the JPEG" % s["file"])
        im = Image.open(io.BytesIO(frame))
        if im.format != "JPEG" or im.size != (ds.Columns, ds.Rows) or im.info.get("progressive"):
            bad.append("%s: JPEG %s %s" % (s["file"], im.format, im.size))
        decoded[s["file"]] = np.asarray(im.convert("RGB"))
    check(not bad, "photos: the JPEG (FFD8...FFD9), byte for byte but for its EXIF block, in "
          "encapsulated pixel data, YBR_FULL_422, XC, ORIGINAL\\PRIMARY", "\n".join(bad))

    # --- photos: written by lightbox-cli wrap, marked patient-generated
    bad = []
    for s in photos:
        ds = datasets.get(s["file"])
        if ds is None:
            continue
        ctx = [(i.ConceptNameCodeSequence[0].CodeValue,
                i.ConceptNameCodeSequence[0].CodingSchemeDesignator)
               for i in ds.get("AcquisitionContextSequence", [])
               if "ConceptNameCodeSequence" in i]
        if ("PGHD", "99LBX") not in ctx:
            bad.append("%s: no patient-generated marker (%s)" % (s["file"], ctx))
        sw = list(ds.get("SoftwareVersions", []))
        if not (len(sw) == 2 and sw[1].startswith("Lightbox ")):
            bad.append("%s: Software Versions %s (not from the wrapper?)" % (s["file"], sw))
        if (ds.SeriesInstanceUID != s["series_uid"] or ds.InstanceCreationDate != s["date"]
                or ds.ContentTime != s["time"] or ds.AcquisitionDateTime != s["date"] + s["time"]
                or ds.BodyPartExamined != s["body_part"]
                or ds.get("PatientComments", "") != s["patient_comments"]
                or ds.get("ImageLaterality", "") != s["laterality"]):
            bad.append("%s: UIDs, dates, body part, laterality or comments differ from the "
                       "manifest" % s["file"])
    check(not bad, "photos: wrapped by lightbox-cli (patient-generated marker, catalog UIDs, "
          "dates and comments)", "\n".join(bad))

    # --- dciodvfy: no errors
    if shutil.which("dciodvfy") is None:
        check(False, "dciodvfy is installed (package dicom3tools)")
    else:
        bad = []
        for f in dcm_files:
            p = subprocess.run(["dciodvfy", os.path.join(a, f)], capture_output=True, text=True)
            errs = [l for l in (p.stdout + p.stderr).splitlines() if l.startswith("Error")]
            if errs:
                bad.append("%s:\n  %s" % (f, "\n  ".join(errs)))
        check(not bad, "dciodvfy reports no errors for any of the %d files" % len(dcm_files),
              "\n".join(bad))

    # --- the wound shrinks, as measured on the decoded pictures
    wounds = sorted((s for s in studies if s["kind"] == "wound"), key=lambda s: s["date"])
    check(len(wounds) == 4, "Jane Doe has 4 wound visits")
    areas, bad = [], []
    for s in wounds:
        if s["file"] not in decoded:
            bad.append("%s: not decoded" % s["file"])
            continue
        m = reddish_area_mm2(decoded[s["file"]], s["facts"]["mm_per_pixel"])
        areas.append(m)
        want = s["facts"]["wound_area_mm2"]
        if abs(m - want) > 0.12 * want:
            bad.append("%s: measured %.0f mm2, drawn %.0f mm2" % (s["file"], m, want))
    check(not bad and len(areas) == 4,
          "measured wound areas match the drawn ones within 12 %% (%s mm2)"
          % ", ".join("%.0f" % x for x in areas), "\n".join(bad))
    shrink = len(areas) == 4 and all(x > y for x, y in zip(areas, areas[1:]))
    change = (areas[-1] - areas[0]) / areas[0] * 100 if len(areas) == 4 else 0
    check(shrink and -85 < change < -70,
          "wound area shrinks at every visit, %.0f %% from first to last" % change, areas)
    days = [int(s["date"]) for s in wounds]
    import datetime
    dts = [datetime.date(d // 10000, d // 100 % 100, d % 100) for d in days]
    check(all((y - x).days == 14 for x, y in zip(dts, dts[1:])), "wound visits are 2 weeks apart",
          dts)
    check(any(s["facts"]["width"] * s["facts"]["height"] >= 12_000_000 for s in wounds),
          "one wound photo is a 12 MP photo")

    # --- quality hints: the blurry one is blurry, the dark one dark
    sharp = [s for s in studies if s["kind"] == "mole"]
    blurry = [s for s in studies if s["kind"] == "back" and s["facts"].get("defect") == "blur"]
    dark = [s for s in studies if s["kind"] == "back" and s["facts"].get("defect") == "dark"]
    if check(len(sharp) == 3 and len(blurry) == 1 and len(dark) == 1,
             "Max Roe: 3 lesion visits, one blurry and one dark photo"):
        lv = {s["file"]: laplacian_var(gray(decoded[s["file"]])) for s in sharp + blurry}
        lb = lv[blurry[0]["file"]]
        ls = min(lv[s["file"]] for s in sharp)
        check(lb < 0.35 * ls, "blurry photo: variance of Laplacian %.1f < 0.35 x sharp (%.1f)"
              % (lb, ls))
        mean = {s["file"]: float(gray(decoded[s["file"]]).mean()) for s in sharp + dark}
        md = mean[dark[0]["file"]]
        ms = min(mean[s["file"]] for s in sharp)
        check(md < 70 and md < 0.5 * ms, "dark photo: mean luminance %.0f < 70 and < half of "
              "the well exposed ones (%.0f)" % (md, ms))

    # --- grayscale objects: 12-bit CR with windows, moving US clip
    cr = [s for s in studies if s["modality"] == "CR"]
    if check(len(cr) == 1, "one CR image"):
        ds = datasets[cr[0]["file"]]
        px = ds.pixel_array
        check(ds.PhotometricInterpretation == "MONOCHROME2" and ds.BitsAllocated == 16
              and ds.BitsStored == 12 and len(ds.WindowCenter) >= 2
              and "RescaleSlope" in ds and int(px.max()) > 3000 and int(px.min()) < 500,
              "CR: MONOCHROME2, 12 bits stored, window presets, rescale, wide dynamic range "
              "(%d..%d)" % (px.min(), px.max()))
    us = [s for s in studies if s["modality"] == "US"]
    if check(len(us) == 1, "one US clip"):
        ds = datasets[us[0]["file"]]
        fr = ds.pixel_array.astype(np.int16)
        nf = int(ds.NumberOfFrames)
        diffs = [float(np.abs(fr[i + 1] - fr[i]).mean()) for i in range(nf - 1)]
        check(30 <= nf <= 60 and ds.BitsAllocated == 8 and float(ds.FrameTime) > 0
              and ds.Rows == 360 and ds.Columns == 480,
              "US: %d frames of 480x360, 8 bits, Frame Time %s ms" % (nf, ds.FrameTime))
        check(min(diffs) > 2.0, "US: every frame differs from the previous one (speckle moves, "
              "min mean |diff| %.1f)" % min(diffs))
        reg = ds.SequenceOfUltrasoundRegions[0]
        check(reg.PhysicalUnitsXDirection == 3 and reg.PhysicalDeltaX > 0,
              "US: calibrated region (%.4f cm/pixel)" % reg.PhysicalDeltaX)


if __name__ == "__main__":
    sys.exit(main())
