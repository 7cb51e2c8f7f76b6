#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A GSPS as another system might write it: DISPLAY-unit graphics and text,
two layers (one without a description), a bounding-box-only text, no
graphic groups, a displayed area with rotation and flip.

Usage: make-foreign-pr.py IMAGE.dcm OUT.dcm
"""
import sys

import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

img = pydicom.dcmread(sys.argv[1])
GSPS = "1.2.840.10008.5.1.4.1.1.11.1"
meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = GSPS
meta.MediaStorageSOPInstanceUID = generate_uid()
meta.TransferSyntaxUID = ExplicitVRLittleEndian
pr = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
pr.SOPClassUID = GSPS
pr.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
pr.PatientName = "Other^System"
pr.PatientID = img.PatientID
pr.StudyInstanceUID = img.StudyInstanceUID
pr.SeriesInstanceUID = generate_uid()
pr.Modality = "PR"
pr.ContentLabel = "OTHER"
ref_img = Dataset()
ref_img.ReferencedSOPClassUID = img.SOPClassUID
ref_img.ReferencedSOPInstanceUID = img.SOPInstanceUID
ref = Dataset()
ref.SeriesInstanceUID = img.SeriesInstanceUID
ref.ReferencedImageSequence = Sequence([ref_img])
pr.ReferencedSeriesSequence = Sequence([ref])

area = Dataset()
area.DisplayedAreaTopLeftHandCorner = [41, 21]
area.DisplayedAreaBottomRightHandCorner = [120, 80]
area.PresentationSizeMode = "SCALE TO FIT"
area.PresentationPixelSpacing = [0.2, 0.2]
pr.DisplayedAreaSelectionSequence = Sequence([area])
pr.ImageRotation = 90
pr.ImageHorizontalFlip = "Y"


def layer(name, order, desc=None, lab=None):
    l = Dataset()
    l.GraphicLayer = name
    l.GraphicLayerOrder = order
    if desc:
        l.GraphicLayerDescription = desc
    if lab:
        l.GraphicLayerRecommendedDisplayCIELabValue = lab
    return l


# Declared in reverse order: the reader sorts by Graphic Layer Order.
pr.GraphicLayerSequence = Sequence([layer("TEXT", 2), layer("OUTLINES", 1, "Outlines", [35580, 53662, 50860])])


def graphic(units, kind, pts, filled=None):
    g = Dataset()
    g.GraphicAnnotationUnits = units
    g.GraphicDimensions = 2
    g.NumberOfGraphicPoints = len(pts)
    g.GraphicData = [float(v) for p in pts for v in p]
    g.GraphicType = kind
    if filled:
        g.GraphicFilled = filled
    return g


outlines = Dataset()
outlines.GraphicLayer = "OUTLINES"
outlines.GraphicObjectSequence = Sequence([
    graphic("DISPLAY", "POLYLINE", [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)], "N"),
    graphic("PIXEL", "INTERPOLATED", [(50.5, 60.5), (60.5, 65.5), (70.5, 60.5)]),
    graphic("DISPLAY", "CIRCLE", [(0.5, 0.5), (0.75, 0.5)], "N"),
])
anchor = Dataset()
anchor.AnchorPointAnnotationUnits = "DISPLAY"
anchor.AnchorPoint = [0.0, 0.5]
anchor.AnchorPointVisibility = "Y"
anchor.UnformattedTextValue = "Granulation"
boxed = Dataset()
boxed.BoundingBoxAnnotationUnits = "PIXEL"
boxed.BoundingBoxTopLeftHandCorner = [200.0, 210.0]
boxed.BoundingBoxBottomRightHandCorner = [300.0, 230.0]
boxed.BoundingBoxTextHorizontalJustification = "LEFT"
boxed.UnformattedTextValue = "Boxed note"
text = Dataset()
text.GraphicLayer = "TEXT"
text.TextObjectSequence = Sequence([anchor, boxed])
pr.GraphicAnnotationSequence = Sequence([outlines, text])
pr.PresentationLUTShape = "IDENTITY"
pr.save_as(sys.argv[2], write_like_original=False)
