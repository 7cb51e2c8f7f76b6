#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes the uncompressed source objects of the decode tests into OUTDIR,
# drawn procedurally, with pydicom. Next to each NAME.dcm goes NAME.raw: the
# values a correct decoder must produce (int32 little endian, all frames,
# samples interleaved; RGB for color objects). The C test transcodes these
# sources with dcmtk's tools (dcmconv, dcmcjpeg, dcmcjpls, dcmcrle) and
# OpenJPEG's opj_compress.
import subprocess
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

OUT = sys.argv[1]
W, H = 64, 48


def base(photometric, samples, bits_alloc, bits_stored, high_bit, signed, frames=1):
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.7'
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.SpecificCharacterSet = 'ISO_IR 100'
    ds.PatientName = 'Müller^Jürgen'
    ds.PatientID = 'LBX-T-1'
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.Modality = 'OT'
    ds.ConversionType = 'WSD'
    ds.Rows, ds.Columns = H, W
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = bits_alloc
    ds.BitsStored = bits_stored
    ds.HighBit = high_bit
    ds.PixelRepresentation = 1 if signed else 0
    if samples == 3:
        ds.PlanarConfiguration = 0
    if frames > 1:
        ds.NumberOfFrames = frames
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    return ds


def pattern(frames, lo, hi, seed):
    """Smooth gradients plus a little noise: realistic for lossy codecs,
    and covering the whole stored range."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:H, 0:W]
    out = []
    for f in range(frames):
        t = (x / (W - 1) * 0.6 + y / (H - 1) * 0.3 + 0.1 * np.sin((x + y + 7 * f) / 5.0) + 0.05)
        v = lo + np.clip(t, 0, 1) * (hi - lo) + rng.integers(-2, 3, size=(H, W))
        v[0, 0], v[H - 1, W - 1] = lo, hi
        out.append(np.clip(np.rint(v), lo, hi))
    return np.array(out, dtype=np.int64)


def save(name, ds, expected):
    ds.save_as(f'{OUT}/{name}.dcm', write_like_original=False)
    np.asarray(expected, dtype='<i4').tofile(f'{OUT}/{name}.raw')


def gray(name, bits_alloc, bits_stored, high_bit, signed, photometric='MONOCHROME2', frames=1):
    lo, hi = (-(1 << (bits_stored - 1)), (1 << (bits_stored - 1)) - 1) if signed else (0, (1 << bits_stored) - 1)
    v = pattern(frames, lo, hi, bits_stored)
    ds = base(photometric, 1, bits_alloc, bits_stored, high_bit, signed, frames)
    # Stored values sit at bits [high_bit-bits_stored+1, high_bit] (PS3.5 8.1.1);
    # fill the unused high bits with garbage that a decoder must mask off.
    shift = high_bit + 1 - bits_stored
    raw = (v & ((1 << bits_stored) - 1)) << shift
    if high_bit + 1 < bits_alloc:
        raw |= 1 << (bits_alloc - 1)
    dtype = '<u1' if bits_alloc == 8 else '<u2'
    ds.PixelData = raw.astype(dtype).tobytes()
    ds.WindowCenter = (lo + hi) / 2
    ds.WindowWidth = hi - lo
    save(name, ds, v)


def rgb_image(frames=1):
    y, x = np.mgrid[0:H, 0:W]
    out = []
    for f in range(frames):
        r = (x * 255 // (W - 1))
        g = (y * 255 // (H - 1))
        b = 255 - (x + y) * 2 - 10 * f
        out.append(np.stack([r, g, b], axis=-1))
    return np.array(out, dtype=np.int64)


def color(name, planar=False, frames=1):
    rgb = rgb_image(frames)
    ds = base('RGB', 3, 8, 8, 7, False, frames)
    ds.PlanarConfiguration = 1 if planar else 0
    data = rgb.transpose(0, 3, 1, 2) if planar else rgb
    ds.PixelData = data.astype('u1').tobytes()
    save(name, ds, rgb)


def to_ybr(rgb):
    # PS3.3 C.7.6.3.1.2, YBR_FULL
    r, g, b = [rgb[..., i].astype(float) for i in range(3)]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    cb = -0.168736 * r - 0.331264 * g + 0.5 * b + 128
    cr = 0.5 * r - 0.418688 * g - 0.081312 * b + 128
    return np.clip(np.rint(np.stack([y, cb, cr], axis=-1)), 0, 255).astype(np.int64)


def ybr_full(name):
    rgb = rgb_image()
    ds = base('YBR_FULL', 3, 8, 8, 7, False)
    ds.PixelData = to_ybr(rgb).astype('u1').tobytes()
    save(name, ds, rgb)


def ybr_422(name):
    # Chroma constant over each horizontal pair so that 4:2:2 loses nothing.
    rgb = rgb_image()
    rgb[:, :, 1::2, :] = rgb[:, :, 0::2, :]
    ybr = to_ybr(rgb)[0]
    out = bytearray()
    for row in range(H):
        for px in range(0, W, 2):
            y1, y2 = ybr[row, px, 0], ybr[row, px + 1, 0]
            out += bytes([y1, y2, ybr[row, px, 1], ybr[row, px, 2]])
    ds = base('YBR_FULL_422', 3, 8, 8, 7, False)
    ds.PixelData = bytes(out)
    save(name, ds, rgb)


def palette(name):
    idx = pattern(1, 0, 255, 3)
    ds = base('PALETTE COLOR', 1, 8, 8, 7, False)
    ds.PixelData = idx.astype('u1').tobytes()
    n = 256
    ramp = np.arange(n)
    red = (ramp * 257).astype('<u2')
    green = ((255 - ramp) * 257).astype('<u2')
    blue = (((ramp * 7) % 256) * 257).astype('<u2')
    for c, lut in (('Red', red), ('Green', green), ('Blue', blue)):
        setattr(ds, f'{c}PaletteColorLookupTableDescriptor', [n, 0, 16])
        setattr(ds, f'{c}PaletteColorLookupTableData', lut.tobytes())
    expected = np.stack([red[idx] >> 8, green[idx] >> 8, blue[idx] >> 8], axis=-1)
    save(name, ds, expected)


def write_pnm(path, arr, maxval):
    h, w = arr.shape[:2]
    magic = b'P6' if arr.ndim == 3 else b'P5'
    dtype = '>u2' if maxval > 255 else 'u1'
    with open(path, 'wb') as f:
        f.write(magic + f'\n{w} {h}\n{maxval}\n'.encode())
        f.write(arr.astype(dtype).tobytes())


def j2k(name, source_ds, expected, photometric, args, ts, maxval):
    arr = expected[0]
    write_pnm(f'{OUT}/{name}.pnm', arr, maxval)
    subprocess.run(['opj_compress', '-i', f'{OUT}/{name}.pnm', '-o', f'{OUT}/{name}.j2k'] + args,
                   check=True, stdout=subprocess.DEVNULL)
    with open(f'{OUT}/{name}.j2k', 'rb') as f:
        stream = f.read()
    ds = source_ds
    ds.file_meta.TransferSyntaxUID = ts
    ds.PhotometricInterpretation = photometric
    ds.PixelData = encapsulate([stream])
    ds['PixelData'].is_undefined_length = True
    ds['PixelData'].VR = 'OB'
    save(name, ds, expected)


gray('gray8-mono2', 8, 8, 7, False)
gray('gray8-mono1', 8, 8, 7, False, photometric='MONOCHROME1')
gray('gray8s', 8, 8, 7, True)
gray('gray12u-frames', 16, 12, 11, False, frames=3)
gray('gray16u', 16, 16, 15, False)
gray('gray16s', 16, 16, 15, True)
gray('gray12s', 16, 12, 11, True)
gray('gray10-hb13', 16, 10, 13, False)
color('rgb', planar=False, frames=2)
color('rgb-planar', planar=True)
ybr_full('ybr-full')
ybr_422('ybr-full-422')
palette('palette')

# JPEG 2000 through opj_compress: lossless 12-bit gray, lossless RGB with
# the reversible colour transform, lossy RGB with the irreversible one.
g = pattern(1, 0, 4095, 12)
ds = base('MONOCHROME2', 1, 16, 12, 11, False)
ds.WindowCenter, ds.WindowWidth = 2048, 4096
j2k('j2k-gray12', ds, g, 'MONOCHROME2', [], '1.2.840.10008.1.2.4.90', 4095)
rgb = rgb_image()
j2k('j2k-rgb', base('RGB', 3, 8, 8, 7, False), rgb, 'YBR_RCT', [], '1.2.840.10008.1.2.4.90', 255)
j2k('j2k-rgb-lossy', base('RGB', 3, 8, 8, 7, False), rgb, 'YBR_ICT', ['-I', '-r', '8'],
    '1.2.840.10008.1.2.4.91', 255)
