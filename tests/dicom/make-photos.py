#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Draws the photos the wrap tests feed to lb_dicom_wrap_photo(), into OUTDIR:
#   plain.jpg   cjpeg output (JFIF only), 640×480
#   exif6.jpg   the same picture stored sideways, as phones do: EXIF
#               Orientation 6, DateTimeOriginal, a GPS IFD, an ICC profile
#               split over two APP2 chunks, a COM segment
#   exif1.jpg   plain.jpg plus EXIF (Orientation 1, GPS) and the ICC profile
#   odd.jpg     exif6 at 642×482: not a whole number of MCUs
#   photo.png   RGBA with an iCCP profile
#   icc.bin     the profile the JPEGs and PNG carry
import struct
import subprocess
import sys
import zlib

import numpy as np

OUT = sys.argv[1]
GPS_MARK = b'LBXGPS-51.5-N'  # a string a test can look for in the output


def picture(w, h):
    y, x = np.mgrid[0:h, 0:w]
    r = (x * 255 // (w - 1))
    g = (y * 255 // (h - 1))
    b = 128 + 100 * np.sin(x / 17.0) * np.cos(y / 23.0)
    img = np.stack([r, g, b], -1)
    img[h // 8:h // 4, w // 8:w // 4] = (250, 20, 20)  # a red block marks "top left"
    return np.clip(img, 0, 255).astype('u1')


def jpeg(img, path):
    h, w = img.shape[:2]
    with open(path + '.ppm', 'wb') as f:
        f.write(b'P6\n%d %d\n255\n' % (w, h) + img.tobytes())
    subprocess.run(['cjpeg', '-quality', '90', '-outfile', path, path + '.ppm'], check=True)
    with open(path, 'rb') as f:
        return f.read()


def exif(orientation):
    # TIFF little endian: IFD0 {Orientation, ExifIFD, GPSIFD}, Exif IFD
    # {DateTimeOriginal}, GPS IFD {GPSLatitudeRef, GPSProcessingMethod}.
    dto = b'2024:03:05 14:30:07\0'
    ifd0_off = 8
    ifd0 = 2 + 3 * 12 + 4
    exif_off = ifd0_off + ifd0
    exif_ifd = 2 + 1 * 12 + 4
    gps_off = exif_off + exif_ifd
    gps_ifd = 2 + 2 * 12 + 4
    data_off = gps_off + gps_ifd
    dto_off = data_off
    gps_str_off = dto_off + len(dto)
    t = b'II*\0' + struct.pack('<I', ifd0_off)
    t += struct.pack('<H', 3)
    t += struct.pack('<HHIHH', 0x0112, 3, 1, orientation, 0)
    t += struct.pack('<HHII', 0x8769, 4, 1, exif_off)
    t += struct.pack('<HHII', 0x8825, 4, 1, gps_off)
    t += struct.pack('<I', 0)
    t += struct.pack('<H', 1) + struct.pack('<HHII', 0x9003, 2, len(dto), dto_off) + struct.pack('<I', 0)
    t += struct.pack('<H', 2)
    t += struct.pack('<HHI4s', 0x0001, 2, 2, b'N\0\0\0')
    t += struct.pack('<HHII', 0x001b, 7, len(GPS_MARK), gps_str_off)
    t += struct.pack('<I', 0)
    t += dto + GPS_MARK
    body = b'Exif\0\0' + t
    return b'\xff\xe1' + struct.pack('>H', len(body) + 2) + body


def icc_profile():
    # Not a real profile (the wrapper stores it, it does not interpret it),
    # but big enough to need two APP2 chunks (ICC.1 B.4: ≤ 65519 bytes each).
    rng = np.random.default_rng(7)
    return b'LBXICC' + rng.integers(0, 256, 70000, dtype='u1').tobytes()


def icc_segments(icc):
    chunks = [icc[i:i + 65519] for i in range(0, len(icc), 65519)]
    out = b''
    for n, c in enumerate(chunks, 1):
        body = b'ICC_PROFILE\0' + bytes([n, len(chunks)]) + c
        out += b'\xff\xe2' + struct.pack('>H', len(body) + 2) + body
    return out


def splice(jpg, segments):
    # After SOI and the JFIF APP0 that cjpeg writes first.
    app0_len = struct.unpack('>H', jpg[4:6])[0]
    cut = 4 + app0_len
    return jpg[:cut] + segments + jpg[cut:]


icc = icc_profile()
with open(f'{OUT}/icc.bin', 'wb') as f:
    f.write(icc)

img = picture(640, 480)
plain = jpeg(img, f'{OUT}/plain.jpg')
comment = b'\xff\xfe' + struct.pack('>H', 2 + 12) + b'patient-home'
# Orientation 6: stored rotated 90° counter-clockwise; a viewer rotates it
# 90° clockwise to show it upright.
side = jpeg(np.ascontiguousarray(np.rot90(img, 1)), f'{OUT}/side.jpg')
with open(f'{OUT}/exif6.jpg', 'wb') as f:
    f.write(splice(side, exif(6) + icc_segments(icc) + comment))
with open(f'{OUT}/exif1.jpg', 'wb') as f:
    f.write(splice(plain, exif(1) + icc_segments(icc)))
odd = jpeg(np.ascontiguousarray(np.rot90(picture(642, 482), 1)), f'{OUT}/odd-side.jpg')
with open(f'{OUT}/odd.jpg', 'wb') as f:
    f.write(splice(odd, exif(6)))


def png_chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))


h, w = 37, 53
rgba = np.zeros((h, w, 4), 'u1')
rgba[..., :3] = picture(w, h)
rgba[..., 3] = 255
rgba[0, 0] = (0, 0, 0, 0)  # one transparent pixel: composited onto white
raw = b''.join(b'\0' + rgba[r].tobytes() for r in range(h))
png = b'\x89PNG\r\n\x1a\n'
png += png_chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 6, 0, 0, 0))
png += png_chunk(b'iCCP', b'test profile\0\0' + zlib.compress(icc))
png += png_chunk(b'IDAT', zlib.compress(raw))
png += png_chunk(b'IEND', b'')
with open(f'{OUT}/photo.png', 'wb') as f:
    f.write(png)
expected = rgba[..., :3].copy()
expected[0, 0] = (255, 255, 255)
expected.tofile(f'{OUT}/photo.rgb')
