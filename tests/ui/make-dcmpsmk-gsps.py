#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Objects test-app-annotate-tools.py uploads before it starts the app.

usage: make-dcmpsmk-gsps.py CR.dcm OUT_DIR

OUT_DIR/second.dcm: a second image in the CR's study and series (the same
pixels, a new SOP Instance UID, Instance Number 2), so the study has two
images to move between.

OUT_DIR/gsps.dcm: a Grayscale Softcopy Presentation State made by dcmtk's
dcmpsmk for the CR, then given with pydicom what dcmpsmk has no option for
(PS3.3 C.10.5, C.10.6): an Image Rotation of 90°, a graphic layer with a
text and a polyline in DISPLAY units, a content label and a creator. The
displayed area corners follow the rotation (C.10.4: TLHC is the pixel shown
top left after the rotation). dcmpschk must accept the result."""
import os
import subprocess
import sys

import pydicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

cr_path, out_dir = sys.argv[1], sys.argv[2]
image = pydicom.dcmread(cr_path)

second = pydicom.dcmread(cr_path)
second.SOPInstanceUID = image.SOPInstanceUID[:-1] + "2"
second.file_meta.MediaStorageSOPInstanceUID = second.SOPInstanceUID
second.InstanceNumber = 2
second.save_as(os.path.join(out_dir, "second.dcm"), write_like_original=False)

raw = os.path.join(out_dir, "dcmpsmk.dcm")
subprocess.run(["dcmpsmk", cr_path, raw], check=True)
ds = pydicom.dcmread(raw)

ds.ContentLabel = "DCMTK_TEST"
ds.ContentDescription = "dcmpsmk output with a rotation and DISPLAY graphics"
ds.ContentCreatorName = "DCMTK^TEST"
ds.ImageRotation = 90
ds.ImageHorizontalFlip = "N"
area = ds.DisplayedAreaSelectionSequence[0]
area.DisplayedAreaTopLeftHandCorner = [1, int(image.Rows)]
area.DisplayedAreaBottomRightHandCorner = [int(image.Columns), 1]

layer = Dataset()
layer.GraphicLayer = "DCMTK"
layer.GraphicLayerOrder = 1
layer.GraphicLayerDescription = "dcmtk layer"
ds.GraphicLayerSequence = Sequence([layer])

ref = Dataset()
ref.ReferencedSOPClassUID = image.SOPClassUID
ref.ReferencedSOPInstanceUID = image.SOPInstanceUID
annotation = Dataset()
annotation.ReferencedImageSequence = Sequence([ref])
annotation.GraphicLayer = "DCMTK"
text = Dataset()
text.BoundingBoxAnnotationUnits = "DISPLAY"
text.BoundingBoxTopLeftHandCorner = [0.05, 0.05]
text.BoundingBoxBottomRightHandCorner = [0.45, 0.12]
text.BoundingBoxTextHorizontalJustification = "LEFT"
text.UnformattedTextValue = "dcmpsmk note"
annotation.TextObjectSequence = Sequence([text])
line = Dataset()
line.GraphicAnnotationUnits = "DISPLAY"
line.GraphicDimensions = 2
line.NumberOfGraphicPoints = 2
line.GraphicData = [0.1, 0.9, 0.5, 0.9]
line.GraphicType = "POLYLINE"
line.GraphicFilled = "N"
annotation.GraphicObjectSequence = Sequence([line])
ds.GraphicAnnotationSequence = Sequence([annotation])

out = os.path.join(out_dir, "gsps.dcm")
ds.save_as(out, write_like_original=False)
check = subprocess.run(["dcmpschk", out], capture_output=True, text=True)
print(check.stdout + check.stderr)
sys.exit(0 if check.returncode == 0 and "Error" not in check.stdout + check.stderr else 1)
