#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks a presentation state Lightbox wrote, independently, with pydicom.

Usage: check-pr.py PR.dcm IMAGE.dcm gsps|csps NOTE   (prints "ok" or fails)
"""
import sys

import pydicom

pr = pydicom.dcmread(sys.argv[1])
img = pydicom.dcmread(sys.argv[2])
gsps = sys.argv[3] == "gsps"


def check(cond, what):
    if not cond:
        sys.exit(f"FAIL: {what}")


check(pr.SOPClassUID == ("1.2.840.10008.5.1.4.1.1.11.1" if gsps else "1.2.840.10008.5.1.4.1.1.11.2"), "SOP class")
check(pr.file_meta.MediaStorageSOPClassUID == pr.SOPClassUID, "meta SOP class")
check(pr.Modality == "PR", "modality")
check(pr.StudyInstanceUID == img.StudyInstanceUID, "same study")
check(pr.SeriesInstanceUID != img.SeriesInstanceUID, "new series")
check(str(pr.PatientName) == str(img.PatientName), f"patient name {pr.PatientName!r}")
check(pr.PatientID == img.PatientID, "patient id")
check(pr.SpecificCharacterSet == "ISO_IR 192", "charset")
ref = pr.ReferencedSeriesSequence[0]
check(ref.SeriesInstanceUID == img.SeriesInstanceUID, "referenced series")
check(ref.ReferencedImageSequence[0].ReferencedSOPInstanceUID == img.SOPInstanceUID, "referenced image")
check(ref.ReferencedImageSequence[0].ReferencedSOPClassUID == img.SOPClassUID, "referenced class")
check(pr.ContentLabel == "WOUND_REVIEW", "content label")
check(pr.ContentDescription == "Wound outline, week 3", "content description")
check(str(pr.ContentCreatorName) == "NURSE^ANNA", "creator")
check(pr.PresentationCreationDate == "20240302", "creation date")

layers = {l.GraphicLayer: l for l in pr.GraphicLayerSequence}
names = sorted(layers)
check(len(names) == 3 and names[0] == "ANNOTATIONS" and names[1].startswith("NOTES") and names[2] == "WOUND_OUTLINE",
      f"layers {names}")
check(layers["WOUND_OUTLINE"].GraphicLayerDescription == "Wound outline", "layer description")
lab = layers["WOUND_OUTLINE"].GraphicLayerRecommendedDisplayCIELabValue
check(abs(lab[0] * 100 / 65535 - 54.29) < 0.2 and abs(lab[1] * 255 / 65535 - 128 - 80.8) < 0.5, f"red as CIELab {lab}")

groups = {g.GraphicGroupID: g for g in pr.GraphicGroupSequence}
types, texts = [], []
for item in pr.GraphicAnnotationSequence:
    check(item.GraphicLayer in layers, "annotation layer declared")
    for g in item.get("GraphicObjectSequence", []):
        check(g.GraphicAnnotationUnits == "PIXEL", "PIXEL units")
        check(g.GraphicDimensions == 2, "2D")
        check(len(g.GraphicData) == 2 * g.NumberOfGraphicPoints, "point count")
        check(g.GraphicGroupID in groups, "group declared")
        types.append((g.GraphicType, groups[g.GraphicGroupID].GraphicGroupDescription, list(g.GraphicData)))
    for t in item.get("TextObjectSequence", []):
        texts.append(t.UnformattedTextValue)
kinds = [d for _, d, _ in types]
check(all(k.startswith("lightbox:") for k in kinds), "group descriptions")
polygon = [xy for ty, d, xy in types if d == "lightbox:polygon"][0]
check(polygon[:2] == polygon[-2:] and len(polygon) == 12, "closed polyline repeats its first point")
check(("CIRCLE", "lightbox:circle unlabelled") not in [(a, b) for a, b, _ in types], "circle is labelled")
check(any(ty == "ELLIPSE" and len(xy) == 8 for ty, _, xy in types), "ellipse")
check(any(ty == "POINT" for ty, _, _ in types), "point")
# 25 mm over the 100 px line: 0.25 mm/px; the polygon is 7600 px² → 475 mm².
check("wound: 475 mm²" in texts, f"measurement text {texts}")
check("width: 25.0 mm" in texts, f"length text {texts}")
check(sys.argv[4] in texts, "UTF-8 text")

area = pr.DisplayedAreaSelectionSequence[0]
check(list(area.DisplayedAreaTopLeftHandCorner) == [11, 21], "TLHC")
check(list(area.DisplayedAreaBottomRightHandCorner) == [300, 220], "BRHC")
check(area.PresentationSizeMode == "SCALE TO FIT", "size mode")
check([float(v) for v in area.PresentationPixelSpacing] == [0.25, 0.25], "presentation pixel spacing")
check(pr.ImageRotation == 90 and pr.ImageHorizontalFlip == "Y", "spatial transformation")

if gsps:
    voi = pr.SoftcopyVOILUTSequence[0]
    check(float(voi.WindowCenter) == 1000 and float(voi.WindowWidth) == 3000, "window")
    want = "INVERSE" if img.PhotometricInterpretation == "MONOCHROME1" else "IDENTITY"
    check(pr.PresentationLUTShape == want, "presentation LUT shape")
    check(pr.RescaleType == "HU" and float(pr.RescaleIntercept) == -1024, "modality LUT")
    check("ICCProfile" not in pr, "no ICC in GSPS")
else:
    icc = bytes(pr.ICCProfile)
    check(icc[36:40] == b"acsp", "ICC profile")
    if "ICCProfile" in img:
        check(icc.rstrip(b"\0") == bytes(img.ICCProfile).rstrip(b"\0"), "the image's own ICC profile")
    else:
        check(b"sRGB (Lightbox)".decode().encode("utf-16-be") in icc, "Lightbox's sRGB profile")
    check("SoftcopyVOILUTSequence" not in pr and "PresentationLUTShape" not in pr, "no grayscale modules")
print("ok")
