# SPDX-License-Identifier: GPL-3.0-or-later
"""Building the demo DICOM objects with pydicom (2.3).

Photos: VL Photographic Image Storage, JPEG baseline kept byte-for-byte
(encapsulated). CR: 12-bit in 16, native. US: multi-frame 8-bit, native.
No current time, no random UIDs: every value comes from the catalog.
"""

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import ExplicitVRLittleEndian, JPEGBaseline8Bit

UID_ROOT = "1.2.826.0.1.3680043.10.1379."
DEMO_ARC = UID_ROOT + "9."                  # demo data lives under .9
IMPLEMENTATION_CLASS_UID = DEMO_ARC + "0.1"
IMPLEMENTATION_VERSION = "LBX_DEMO_1"

VL_PHOTO = "1.2.840.10008.5.1.4.1.1.77.1.4"
CR_IMAGE = "1.2.840.10008.5.1.4.1.1.1"
US_MULTIFRAME = "1.2.840.10008.5.1.4.1.1.3.1"

# Lightbox's "patient-generated image" marker (see DESIGN.md)
PGHD_CONCEPT_NAME = ("SRC", "99LBX", "Image source")
PGHD_CONCEPT = ("PGHD", "99LBX", "Patient-generated image")


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


def pghd_marker():
    """The Acquisition Context item that marks a patient-generated image."""
    item = Dataset()
    item.ValueType = "CODE"
    item.ConceptNameCodeSequence = [code(*PGHD_CONCEPT_NAME)]
    item.ConceptCodeSequence = [code(*PGHD_CONCEPT)]
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
    ds.IssuerOfPatientID = "LIGHTBOX-DEMO"
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


def photo(patient, study, jpeg, width, height):
    """VL Photographic Image, JPEG baseline passed through unchanged."""
    n = study["number"]
    ds = _new(VL_PHOTO, instance_uid(n, 1, 1), JPEGBaseline8Bit)
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    _common(ds, patient, study, 1, 1)
    _anatomy(ds, study)
    ds.PatientOrientation = ""
    ds.BurnedInAnnotation = "NO"
    ds.RecognizableVisualFeatures = "NO"
    ds.AcquisitionContextSequence = [pghd_marker()]
    # Image Pixel / VL Image
    ds.SamplesPerPixel = 3
    ds.PhotometricInterpretation = "YBR_FULL_422"
    ds.PlanarConfiguration = 0
    ds.Rows = height
    ds.Columns = width
    ds.BitsAllocated = 8
    ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.LossyImageCompression = "01"
    ds.LossyImageCompressionRatio = "%.2f" % (width * height * 3 / len(jpeg))
    ds.LossyImageCompressionMethod = "ISO_10918_1"
    ds.PixelData = encapsulate([jpeg])
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
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
