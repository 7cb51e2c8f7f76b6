#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Make small synthetic DICOM objects for the network tests, and optionally
load them into the harness Orthanc through its REST API.

  make-objects.py --out DIR [--studies N] [--instances K] [--frames F]
                  [--size WxH] [--prefix UIDROOT] [--load]

Writes N studies of one series of K instances each (F frames of WxH 8-bit
MONOCHROME2 pixels whose values encode the frame number). With --load,
POSTs every file to $LIGHTBOX_TEST_ORTHANC_URL/instances (with
$LIGHTBOX_TEST_AUTH if set). UIDs are PREFIX.s (study), PREFIX.s.1
(series) and PREFIX.s.1.k (instances). Prints nothing: TAP owns stdout.
"""
import argparse
import base64
import http.client
import os
import sys
import urllib.parse

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

SC = "1.2.840.10008.5.1.4.1.1.7"  # Secondary Capture Image Storage


def make(path, prefix, s, k, frames, w, h, acc):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SC
    meta.MediaStorageSOPInstanceUID = f"{prefix}.{s}.1.{k}"
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.SOPClassUID = SC
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = f"{prefix}.{s}"
    ds.SeriesInstanceUID = f"{prefix}.{s}.1"
    ds.PatientName = f"TEST^PATIENT{s % 50}"
    ds.PatientID = f"P{s % 50:04d}"
    ds.StudyDate = f"2026{1 + s % 12:02d}{1 + s % 28:02d}"
    ds.StudyTime = "120000"
    ds.AccessionNumber = f"{acc}{s}"
    ds.StudyDescription = f"Synthetic {s}"
    ds.Modality = "XC" if s % 2 == 0 else "OT"
    ds.SeriesNumber = 1
    ds.InstanceNumber = k + 1
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = h
    ds.Columns = w
    ds.BitsAllocated = 8
    ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    if frames > 1:
        ds.NumberOfFrames = frames
    ds.PixelData = b"".join(bytes([(f + 1) & 0xFF]) * (w * h) for f in range(frames))
    ds.save_as(path, write_like_original=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--studies", type=int, default=1)
    ap.add_argument("--instances", type=int, default=1)
    ap.add_argument("--frames", type=int, default=1)
    ap.add_argument("--size", default="8x8")
    ap.add_argument("--prefix", default="1.2.826.0.1.3680043.10.1043.1")
    ap.add_argument("--accession-prefix", default="A")
    ap.add_argument("--load", action="store_true")
    a = ap.parse_args()
    w, h = (int(x) for x in a.size.split("x"))
    os.makedirs(a.out, exist_ok=True)
    paths = []
    for s in range(a.studies):
        for k in range(a.instances):
            p = os.path.join(a.out, f"s{s:05d}-i{k:03d}.dcm")
            make(p, a.prefix, s, k, a.frames, w, h, a.accession_prefix)
            paths.append(p)
    if a.load:
        url = urllib.parse.urlparse(os.environ["LIGHTBOX_TEST_ORTHANC_URL"])
        headers = {"Content-Type": "application/dicom"}
        auth = os.environ.get("LIGHTBOX_TEST_AUTH")
        if auth:
            headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        for p in paths:
            with open(p, "rb") as f:
                conn.request("POST", "/instances", body=f.read(), headers=headers)
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                sys.exit(f"loading {p}: HTTP {r.status}")

if __name__ == "__main__":
    main()
