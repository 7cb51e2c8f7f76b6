#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test images for the presentation-state tests, drawn here:

  mono.dcm   MONOCHROME2 16-bit Secondary Capture, 320 x 240, Pixel Spacing
             0.5\\0.25, a window, rescale (CT-like), patient name in Latin-1
  mono1.dcm  the same as MONOCHROME1
  rgb.dcm    RGB 8-bit Secondary Capture with an ICC profile (lcms's sRGB)
  photo.jpg  a JPEG for `lightbox-cli wrap` (YBR_FULL_422 VL Photographic)

Usage: make-images.py OUTDIR
"""
import io
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
from PIL import Image, ImageCms, ImageDraw

out = sys.argv[1]
STUDY = generate_uid()


def base(sop_class, photometric, samples, bits):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.PatientName = "Test^Anna"
    ds.PatientID = "PR-1"
    ds.PatientBirthDate = "19700101"
    ds.PatientSex = "F"
    ds.StudyInstanceUID = STUDY
    ds.StudyDate = "20240301"
    ds.StudyTime = "101500"
    ds.StudyID = "S1"
    ds.AccessionNumber = "A1"
    ds.ReferringPhysicianName = ""
    ds.SeriesInstanceUID = generate_uid()
    ds.SeriesNumber = 1
    ds.Modality = "OT"
    ds.InstanceNumber = 1
    ds.ConversionType = "WSD"
    ds.PhotometricInterpretation = photometric
    ds.SamplesPerPixel = samples
    ds.Rows = 240
    ds.Columns = 320
    ds.BitsAllocated = bits
    ds.BitsStored = bits if bits == 8 else 12
    ds.HighBit = ds.BitsStored - 1
    ds.PixelRepresentation = 0
    return ds


def mono(photometric, name):
    ds = base("1.2.840.10008.5.1.4.1.1.7", photometric, 1, 16)
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.PatientName = "Müller^Anna"
    y, x = np.mgrid[0:240, 0:320]
    img = ((x * 7 + y * 5) % 4096).astype(np.uint16)
    ds.PixelData = img.tobytes()
    ds.PixelSpacing = [0.5, 0.25]
    ds.WindowCenter = 2048
    ds.WindowWidth = 4096
    ds.RescaleIntercept = -1024
    ds.RescaleSlope = 1
    ds.RescaleType = "HU"
    ds.save_as(f"{out}/{name}", write_like_original=False)


mono("MONOCHROME2", "mono.dcm")
mono("MONOCHROME1", "mono1.dcm")

# A clip of 3 frames (Multi-frame Grayscale Word Secondary Capture): marks
# on one frame carry a Referenced Frame Number.
ds = base("1.2.840.10008.5.1.4.1.1.7.3", "MONOCHROME2", 1, 16)
ds.NumberOfFrames = 3
ds.FrameIncrementPointer = (0x0018, 0x2002)
ds.FrameLabelVector = ["a", "b", "c"]
y, x = np.mgrid[0:240, 0:320]
ds.PixelData = b"".join((((x * (k + 3) + y) % 4096).astype(np.uint16)).tobytes() for k in range(3))
ds.save_as(f"{out}/multiframe.dcm", write_like_original=False)

ds = base("1.2.840.10008.5.1.4.1.1.7", "RGB", 3, 8)
ds.PlanarConfiguration = 0
img = Image.new("RGB", (320, 240), (200, 160, 140))
ImageDraw.Draw(img).ellipse((100, 60, 220, 180), fill=(150, 40, 40))
ds.PixelData = img.tobytes()
ds.ICCProfile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
ds.save_as(f"{out}/rgb.dcm", write_like_original=False)

img.save(f"{out}/photo.jpg", quality=90)
