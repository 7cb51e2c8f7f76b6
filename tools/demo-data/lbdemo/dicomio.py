# SPDX-License-Identifier: GPL-3.0-or-later
"""Building the demo DICOM objects.

Photos: VL Photographic Image Storage, written by Lightbox's own wrapper
(`lightbox-cli wrap`, src/dicom/lb-dicom-wrap.cpp) from the JPEG drawn
here, with every UID, date and time given so that nothing comes from the
clock or a random generator. CR (12-bit in 16) and the US clip (multi-frame
8-bit), both native, are built with pydicom (2.3): the wrapper makes photos
only. No current time, no random UIDs: every value comes from the catalog.
"""

import os
import subprocess
import tempfile

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

UID_ROOT = "1.2.826.0.1.3680043.10.1379."
DEMO_ARC = UID_ROOT + "9."                  # demo data lives under .9
IMPLEMENTATION_CLASS_UID = DEMO_ARC + "0.1"
IMPLEMENTATION_VERSION = "LBX_DEMO_1"    # CR and US; the wrapper writes dcmtk's
ISSUER_OF_PATIENT_ID = "LIGHTBOX-DEMO"

CR_IMAGE = "1.2.840.10008.5.1.4.1.1.1"
US_MULTIFRAME = "1.2.840.10008.5.1.4.1.1.3.1"


def study_uid(n):
    return "%s1.%d" % (DEMO_ARC, n)


def series_uid(n, s):
    return "%s2.%d.%d" % (DEMO_ARC, n, s)


def instance_uid(n, s, i):
    return "%s3.%d.%d.%d" % (DEMO_ARC, n, s, i)


def frame_of_reference_uid(n, s):
    return "%s4.%d.%d" % (DEMO_ARC, n, s)


def code(value, scheme, meaning):
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return item


def _new(sop_class, sop_uid, transfer_syntax):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = sop_uid
    meta.TransferSyntaxUID = transfer_syntax
    meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
    meta.ImplementationVersionName = IMPLEMENTATION_VERSION
    ds = Dataset()
    ds.file_meta = meta
    ds.preamble = b"\0" * 128
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = sop_uid
    return ds


def _common(ds, patient, study, series_no, instance_no):
    """Patient, General Study, Patient Study, General Series, General Equipment,
    General Image / Acquisition attributes shared by every object."""
    n = study["number"]
    # SOP Common
    ds.InstanceCreationDate = study["date"]
    ds.InstanceCreationTime = study["time"]
    ds.TimezoneOffsetFromUTC = study.get("tz", "+0100")
    # General Study
    ds.StudyDate = study["date"]
    ds.StudyTime = study["time"]
    ds.AccessionNumber = study["accession"]
    ds.Modality = study["modality"]
    ds.Manufacturer = study["manufacturer"]
    if study.get("institution"):
        ds.InstitutionName = study["institution"]
    ds.ReferringPhysicianName = study.get("referring", "")
    if study.get("station"):
        ds.StationName = study["station"]
    ds.StudyDescription = study["study_description"]
    ds.SeriesDescription = study["series_description"]
    ds.ManufacturerModelName = study["model"]
    # Patient
    ds.PatientName = patient["name"]
    ds.PatientID = patient["id"]
    ds.IssuerOfPatientID = ISSUER_OF_PATIENT_ID
    ds.PatientBirthDate = patient["birth"]
    ds.PatientSex = patient["sex"]
    if study.get("patient_comments"):
        ds.PatientComments = study["patient_comments"]
    # General Equipment
    if study.get("serial"):
        ds.DeviceSerialNumber = study["serial"]
    if study.get("software"):
        ds.SoftwareVersions = study["software"]
    # General Study / Series / Image numbering
    ds.StudyInstanceUID = study_uid(n)
    ds.SeriesInstanceUID = series_uid(n, series_no)
    ds.StudyID = "LB%d" % n
    ds.SeriesNumber = series_no
    ds.InstanceNumber = instance_no
    ds.ContentDate = study["date"]
    ds.ContentTime = study["time"]
    ds.AcquisitionDateTime = study["date"] + study["time"]
    ds.SeriesDate = study["date"]
    ds.SeriesTime = study["time"]


def _anatomy(ds, study):
    part, sct, meaning = study["body_part"]
    ds.BodyPartExamined = part
    ds.AnatomicRegionSequence = [code(sct, "SCT", meaning)]
    lat = study.get("laterality")
    if lat:
        # Image Laterality only: the series-level Laterality (Type 2C) must
        # not be sent when Image Laterality is.
        ds.ImageLaterality = lat


def strip_app1(jpeg):
    """The JPEG without its APP1 segments (EXIF, XMP): what the wrapper
    stores for an upright photo. Computed here independently of the
    wrapper, so that tests/demo can check its output byte for byte."""
    assert jpeg[:2] == b"\xff\xd8"
    out, pos = [jpeg[:2]], 2
    while jpeg[pos + 1] != 0xDA:  # up to the first scan
        seg = 2 + int.from_bytes(jpeg[pos + 2:pos + 4], "big")
        if jpeg[pos + 1] != 0xE1:
            out.append(jpeg[pos:pos + seg])
        pos += seg
    out.append(jpeg[pos:])
    return b"".join(out)


def wrap_photo(cli, patient, study, jpeg, path):
    """Writes the photo to @path as a VL Photographic Image with
    `lightbox-cli wrap` (JPEG kept as it is, the patient-generated marker,
    Anatomic Region from the body part). Returns pydicom's reading of it."""
    n = study["number"]
    date, time = study["date"], study["time"]
    args = [
        "--patient-id", patient["id"], "--patient-name", patient["name"],
        "--birth-date", patient["birth"], "--sex", patient["sex"],
        "--issuer-of-patient-id", ISSUER_OF_PATIENT_ID,
        "--study-uid", study_uid(n), "--series-uid", series_uid(n, 1),
        "--sop-uid", instance_uid(n, 1, 1),
        "--study-date", date, "--study-time", time, "--study-id", "LB%d" % n,
        "--study-description", study["study_description"],
        "--series-description", study["series_description"],
        "--accession", study["accession"],
        "--series-number", "1", "--instance-number", "1",
        # taken, uploaded and wrapped at the study's time: no clock
        "--acquisition-datetime", date + time,
        "--content-date", date, "--content-time", time,
        "--creation-date", date, "--creation-time", time,
        "--timezone-offset", study.get("tz", "+0100"),
        "--manufacturer", study["manufacturer"], "--model", study["model"],
        "--body-part", study["body_part"][0],
    ]
    if study.get("software"):
        args += ["--device-software", study["software"]]
    if study.get("laterality"):
        args += ["--laterality", study["laterality"]]
    if study.get("patient_comments"):
        args += ["--patient-comment", study["patient_comments"]]
    with tempfile.TemporaryDirectory(prefix="lb-demo-") as tmp:
        src = os.path.join(tmp, "photo.jpg")
        with open(src, "wb") as f:
            f.write(jpeg)
        p = subprocess.run([cli, "wrap", src, "--out", path] + args,
                           capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("lightbox-cli wrap failed for study %d: %s" % (n, p.stderr.strip()))
    if p.stdout.strip() != instance_uid(n, 1, 1):
        raise RuntimeError("lightbox-cli wrap: unexpected SOP Instance UID %r" % p.stdout)
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    # The wrapper's Anatomic Region must be the one the catalog names.
    part, sct, _ = study["body_part"]
    got = [i.CodeValue for i in ds.get("AnatomicRegionSequence", [])]
    if got != [sct]:
        raise RuntimeError("study %d: wrapper's anatomic region %s for %s, catalog says %s"
                           % (n, got, part, sct))
    return ds


def cr(patient, study, pixels, facts, windows):
    n = study["number"]
    ds = _new(CR_IMAGE, instance_uid(n, 1, 1), ExplicitVRLittleEndian)
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    _common(ds, patient, study, 1, 1)
    _anatomy(ds, study)
    ds.ViewPosition = "PA"
    ds.PatientOrientation = ["L", "F"]
    ds.KVP = "120"
    ds.ExposureTime = 8
    ds.XRayTubeCurrent = 320
    ds.DistanceSourceToDetector = "1800"
    ds.ImagerPixelSpacing = [facts["pixel_spacing_mm"]] * 2
    ds.PixelSpacing = [facts["pixel_spacing_mm"]] * 2
    ds.PixelSpacingCalibrationType = "GEOMETRY"
    ds.PixelSpacingCalibrationDescription = "Detector plane, no magnification correction"
    ds.BurnedInAnnotation = "NO"
    ds.LossyImageCompression = "00"
    ds.PresentationLUTShape = "IDENTITY"
    rows, cols = pixels.shape
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows
    ds.Columns = cols
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.SmallestImagePixelValue = int(pixels.min())
    ds["SmallestImagePixelValue"].VR = "US"
    ds.LargestImagePixelValue = int(pixels.max())
    ds["LargestImagePixelValue"].VR = "US"
    ds.RescaleIntercept = "0"
    ds.RescaleSlope = "1"
    ds.RescaleType = "US"
    ds.WindowCenter = [str(c) for c, w, e in windows]
    ds.WindowWidth = [str(w) for c, w, e in windows]
    ds.WindowCenterWidthExplanation = [e for c, w, e in windows]
    ds.VOILUTFunction = "LINEAR"
    ds.PixelData = pixels.astype("<u2").tobytes()
    ds["PixelData"].VR = "OW"
    return ds


def us_clip(patient, study, frames, facts, frame_time_ms):
    n = study["number"]
    ds = _new(US_MULTIFRAME, instance_uid(n, 1, 1), ExplicitVRLittleEndian)
    ds.ImageType = ["ORIGINAL", "PRIMARY", "CHEST", "0001"]
    _common(ds, patient, study, 1, 1)
    _anatomy(ds, study)
    ds.PatientOrientation = ""
    ds.BurnedInAnnotation = "NO"
    ds.LossyImageCompression = "00"
    nf, rows, cols = frames.shape
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows
    ds.Columns = cols
    ds.BitsAllocated = 8
    ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.NumberOfFrames = nf
    ds.FrameIncrementPointer = pydicom.tag.Tag("FrameTime")
    ds.FrameTime = "%g" % frame_time_ms
    ds.CineRate = int(round(1000.0 / frame_time_ms))
    ds.RecommendedDisplayFrameRate = int(round(1000.0 / frame_time_ms))
    ds.ActualFrameDuration = int(round(frame_time_ms))
    ds.StartTrim = 1
    ds.StopTrim = nf
    ds.PreferredPlaybackSequencing = 0
    ds.TransducerData = ["CURVED", "", ""]
    ds.ProcessingFunction = "LUNG"
    ds.NumberOfStages = 1
    ds.NumberOfViewsInStage = 1
    # calibration: one 2D tissue region covering the sector
    sec = facts["sector"]
    reg = Dataset()
    reg.RegionSpatialFormat = 1          # 2D
    reg.RegionDataType = 1               # tissue
    reg.RegionFlags = 0
    reg.RegionLocationMinX0 = 0
    reg.RegionLocationMinY0 = 0
    reg.RegionLocationMaxX1 = cols - 1
    reg.RegionLocationMaxY1 = rows - 1
    reg.ReferencePixelX0 = int(sec["apex"][0])
    reg.ReferencePixelY0 = int(sec["apex"][1])
    reg.PhysicalUnitsXDirection = 3      # cm
    reg.PhysicalUnitsYDirection = 3
    reg.ReferencePixelPhysicalValueX = 0.0
    reg.ReferencePixelPhysicalValueY = 0.0
    reg.PhysicalDeltaX = facts["cm_per_pixel"]
    reg.PhysicalDeltaY = facts["cm_per_pixel"]
    ds.SequenceOfUltrasoundRegions = [reg]
    ds.PixelData = frames.tobytes()
    ds["PixelData"].VR = "OB"
    return ds


def write(ds, path):
    pydicom.dcmwrite(str(path), ds, write_like_original=False)
