# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the demo data set: OUTDIR/<PatientID>/<NN>-<date>-<kind>/IM0001.dcm
and OUTDIR/MANIFEST.json (what each file is for, pixel scales, sizes)."""

import hashlib
import io
import json
import os
import sys

from PIL import Image

from . import catalog, dicomio, grayscale, scenes

US_FRAME_TIME_MS = 50.0
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__)))))
DEFAULT_CLI = os.path.join(REPO, "_build", "src", "cli", "lightbox-cli")
USAGE = ("usage: make-demo-data [--cli LIGHTBOX-CLI] OUTDIR\n"
         "Writes the deterministic Lightbox demo data set (DICOM Part-10 files and\n"
         "MANIFEST.json) into OUTDIR. Photos are wrapped by `lightbox-cli wrap`: --cli,\n"
         "else $LIGHTBOX_CLI, else _build/src/cli/lightbox-cli in the repository.\n"
         "See docs/demo-data.md.\n")


def _exif_time(study):
    d, t = study["date"], study["time"]
    return "%s:%s:%s %s:%s:%s" % (d[:4], d[4:6], d[6:], t[:2], t[2:4], t[4:6])


def find_cli(argv_cli):
    """lightbox-cli: --cli, else $LIGHTBOX_CLI, else the repository's _build."""
    cli = argv_cli or os.environ.get("LIGHTBOX_CLI") or DEFAULT_CLI
    how = ("--cli" if argv_cli else "LIGHTBOX_CLI" if os.environ.get("LIGHTBOX_CLI")
           else "the default")
    if not (os.path.isfile(cli) and os.access(cli, os.X_OK)):
        sys.stderr.write(
            "make-demo-data: lightbox-cli not found at %s (%s).\n"
            "The photos are wrapped by `lightbox-cli wrap`: build it first\n"
            "(meson setup _build && ninja -C _build), or set LIGHTBOX_CLI to the binary.\n"
            % (cli, how))
        return None
    return cli


def build_one(study, patients, cli, path):
    """Writes one catalog entry to @path; returns (dataset, facts)."""
    patient = patients[study["patient"]]
    kind = study["kind"]
    if kind in ("wound", "mole", "back", "otoscope"):
        draw = dict(study["draw"], when=_exif_time(study))
        fn = {"wound": scenes.wound_visit, "mole": scenes.mole_visit,
              "back": scenes.back_photo, "otoscope": scenes.otoscope_photo}[kind]
        jpeg, facts = fn(draw)
        w, h = Image.open(io.BytesIO(jpeg)).size
        # The wrapper keeps the JPEG as it is but for the EXIF block (APP1).
        stored = dicomio.strip_app1(jpeg)
        facts.update({"width": w, "height": h, "jpeg_bytes": len(stored),
                      "jpeg_sha256": hashlib.sha256(stored).hexdigest(),
                      "drawn_jpeg_bytes": len(jpeg),
                      "subsampling": draw.get("subsampling",
                                              "4:2:2" if kind == "otoscope" else "4:2:0")})
        return dicomio.wrap_photo(cli, patient, study, jpeg, path), facts
    if kind == "cr":
        px, facts = grayscale.chest_cr()
        facts.update({"width": int(px.shape[1]), "height": int(px.shape[0]),
                      "bits_stored": 12})
        facts["windows"] = [list(w) for w in facts["windows"]]
        ds = dicomio.cr(patient, study, px, facts, grayscale.WINDOWS_CR)
        dicomio.write(ds, path)
        return ds, facts
    if kind == "us":
        frames, facts = grayscale.lung_us_clip()
        facts.update({"width": int(frames.shape[2]), "height": int(frames.shape[1]),
                      "frame_time_ms": US_FRAME_TIME_MS})
        facts["sector"] = dict(facts["sector"], apex=list(facts["sector"]["apex"]))
        ds = dicomio.us_clip(patient, study, frames, facts, US_FRAME_TIME_MS)
        dicomio.write(ds, path)
        return ds, facts
    raise ValueError(kind)


def main(argv):
    args, argv_cli = list(argv[1:]), None
    if len(args) == 3 and args[0] == "--cli":
        argv_cli, args = args[1], args[2:]
    if len(args) != 1 or args[0].startswith("-"):
        sys.stderr.write(USAGE)
        return 2
    out = args[0]
    cli = find_cli(argv_cli)
    if cli is None:
        return 1
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
        rel = os.path.join(patient["id"], "%02d-%s-%s" % (study["number"], study["date"],
                                                          study["kind"]), "IM0001.dcm")
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            ds, facts = build_one(study, patients, cli, path)
        except RuntimeError as e:
            sys.stderr.write("make-demo-data: %s\n" % e)
            return 1
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
