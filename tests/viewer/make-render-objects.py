#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes the objects of the render tests into OUTDIR, drawn procedurally
# with numpy and written with pydicom:
#   ct.dcm     16-bit signed, 12 bits stored, Rescale 2/-1000, two windows;
#              values constant over 2×2 blocks, so a 1/2 reduction is exact
#   mono1.dcm  8-bit MONOCHROME1, odd size, no window
#   rgb.dcm    8-bit RGB, planar configuration 0
#   multi.dcm  16-bit unsigned MONOCHROME2, 3 frames, no window
#   big-ct.dcm (with --big) 2048×2048 signed CT for the viewport test
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

OUT = sys.argv[1]
rng = np.random.default_rng(5)


def base(w, h, photometric, samples, bits_alloc, bits_stored, signed, modality='OT', frames=1):
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.2' if modality == 'CT' \
        else '1.2.840.10008.5.1.4.1.1.7'
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.PatientName = 'TEST^RENDER'
    ds.PatientID = 'LBX-R-1'
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.Modality = modality
    ds.Rows, ds.Columns = h, w
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = bits_alloc
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    if samples == 3:
        ds.PlanarConfiguration = 0
    if frames > 1:
        ds.NumberOfFrames = frames
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    return ds


def save(name, ds, pixels):
    ds.PixelData = np.ascontiguousarray(pixels).tobytes()
    ds.save_as(f'{OUT}/{name}.dcm', write_like_original=False)


def ct(name, w, h):
    """A round 'body' of soft tissue in air with bone and lung-like texture,
    covering the whole signed 12-bit range; constant over 2×2 blocks."""
    y, x = np.mgrid[0:h // 2, 0:w // 2]
    cx, cy = w / 4, h / 4
    r = np.hypot((x - cx) / (w / 4.5), (y - cy) / (h / 4.5))
    v = np.where(r < 1, 520 + 60 * np.sin(x / 3.0) * np.cos(y / 4.0), -1900)
    v = v + np.where(np.hypot(x - cx * 1.3, y - cy) < h / 16, 900, 0)
    v = v + rng.integers(-40, 41, size=v.shape)
    v[0, 0], v[-1, -1] = -2048, 2047
    v = np.clip(np.rint(v), -2048, 2047).astype('<i2')
    v = np.repeat(np.repeat(v, 2, axis=0), 2, axis=1)
    ds = base(w, h, 'MONOCHROME2', 1, 16, 12, True, modality='CT')
    ds.RescaleSlope = 2
    ds.RescaleIntercept = -1000
    ds.RescaleType = 'HU'
    ds.WindowCenter = [40, -600]
    ds.WindowWidth = [400, 1500]
    ds.WindowCenterWidthExplanation = ['SOFT TISSUE', 'LUNG']
    save(name, ds, v)


ct('ct', 320, 240)

# MONOCHROME1: low values white (PS3.3 C.7.6.3.1.2); no window, so the
# default is the value range present.
y, x = np.mgrid[0:131, 0:257]
m1 = 20 + (x * 150 // 256) + (y * 60 // 130) + rng.integers(0, 3, size=x.shape)
m1[0, 0], m1[-1, -1] = 20, 232     # the range the default window must cover
m1 = m1.clip(20, 232)
ds = base(257, 131, 'MONOCHROME1', 1, 8, 8, False)
save('mono1', ds, m1.astype(np.uint8))

y, x = np.mgrid[0:150, 0:200]
rgb = np.stack([x * 255 // 199, y * 255 // 149, (x + y) % 256], axis=-1)
rgb = (rgb + rng.integers(0, 5, size=rgb.shape)).clip(0, 255).astype(np.uint8)
ds = base(200, 150, 'RGB', 3, 8, 8, False)
save('rgb', ds, rgb)

# Three frames, each a different gradient and range, so a wrong frame or a
# range taken from another frame shows.
y, x = np.mgrid[0:96, 0:128]
frames = []
for f in range(3):
    v = 1000 * (f + 1) + x * (7 + f) + y * (3 - f) * 5 + rng.integers(0, 9, size=x.shape)
    frames.append(v)
ds = base(128, 96, 'MONOCHROME2', 1, 16, 16, False, frames=3)
save('multi', ds, np.array(frames, dtype='<u2'))

if '--big' in sys.argv:
    ct('big-ct', 2048, 2048)
