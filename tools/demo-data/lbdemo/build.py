# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the demo data set: OUTDIR/<PatientID>/<NN>-<date>-<kind>/IM0001.dcm
and OUTDIR/MANIFEST.json (what each file is for, pixel scales, sizes)."""

import io
import json
import os
import sys

from PIL import Image

from . import catalog, dicomio, grayscale, scenes

US_FRAME_TIME_MS = 50.0


def _exif_time(study):
    d, t = study["date"], study["time"]
    return "%s:%s:%s %s:%s:%s" % (d[:4], d[4:6], d[6:], t[:2], t[2:4], t[4:6])


def build_one(study, patients):
    """Returns (dataset, facts) for one catalog entry."""
    patient = patients[study["patient"]]
    kind = study["kind"]
    if kind in ("wound", "mole", "back", "otoscope"):
        draw = dict(study["draw"], when=_exif_time(study))
        fn = {"wound": scenes.wound_visit, "mole": scenes.mole_visit,
              "back": scenes.back_photo, "otoscope": scenes.otoscope_photo}[kind]
        jpeg, facts = fn(draw)
        w, h = Image.open(io.BytesIO(jpeg)).size
        facts.update({"width": w, "height": h, "jpeg_bytes": len(jpeg),
                      "subsampling": draw.get("subsampling",
                                              "4:2:2" if kind == "otoscope" else "4:2:0")})
        return dicomio.photo(patient, study, jpeg, w, h), facts
    if kind == "cr":
        px, facts = grayscale.chest_cr()
        facts.update({"width": int(px.shape[1]), "height": int(px.shape[0]),
                      "bits_stored": 12})
        facts["windows"] = [list(w) for w in facts["windows"]]
        return dicomio.cr(patient, study, px, facts, grayscale.WINDOWS_CR), facts
    if kind == "us":
        frames, facts = grayscale.lung_us_clip()
        facts.update({"width": int(frames.shape[2]), "height": int(frames.shape[1]),
                      "frame_time_ms": US_FRAME_TIME_MS})
        facts["sector"] = dict(facts["sector"], apex=list(facts["sector"]["apex"]))
        return dicomio.us_clip(patient, study, frames, facts, US_FRAME_TIME_MS), facts
    raise ValueError(kind)


def main(argv):
    if len(argv) != 2 or argv[1].startswith("-"):
        sys.stderr.write("usage: make-demo-data OUTDIR\n"
                         "Writes the deterministic Lightbox demo data set (DICOM Part-10\n"
                         "files and MANIFEST.json) into OUTDIR. See docs/demo-data.md.\n")
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    patients = {p["key"]: p for p in catalog.PATIENTS}
    manifest = {
        "reference_date": catalog.REFERENCE_DATE,
        "uid_root": dicomio.DEMO_ARC,
        "patients": [],
    }
    by_patient = {p["key"]: [] for p in catalog.PATIENTS}
    for study in catalog.STUDIES:
        patient = patients[study["patient"]]
        ds, facts = build_one(study, patients)
        rel = os.path.join(patient["id"], "%02d-%s-%s" % (study["number"], study["date"],
                                                          study["kind"]), "IM0001.dcm")
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        dicomio.write(ds, path)
        by_patient[study["patient"]].append({
            "number": study["number"],
            "file": rel,
            "study_uid": ds.StudyInstanceUID,
            "series_uid": ds.SeriesInstanceUID,
            "sop_instance_uid": ds.SOPInstanceUID,
            "sop_class_uid": ds.SOPClassUID,
            "transfer_syntax_uid": ds.file_meta.TransferSyntaxUID,
            "modality": study["modality"],
            "kind": study["kind"],
            "date": study["date"],
            "time": study["time"],
            "study_description": study["study_description"],
            "body_part": study["body_part"][0],
            "laterality": study.get("laterality") or "",
            "visit": study.get("visit", ""),
            "patient_comments": study.get("patient_comments", ""),
            "purpose": study["purpose"],
            "facts": facts,
        })
        print("make-demo-data: %s" % rel, file=sys.stderr)
    for p in catalog.PATIENTS:
        manifest["patients"].append({
            "name": p["name"], "id": p["id"], "birth_date": p["birth"], "sex": p["sex"],
            "studies": by_patient[p["key"]],
        })
    with open(os.path.join(out, "MANIFEST.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    return 0
