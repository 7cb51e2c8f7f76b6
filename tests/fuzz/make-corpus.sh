#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Regenerates the checked-in seed corpora (tiny objects and photos drawn
# here): corpus-dicom/ for fuzz-dicom, corpus-photo/ for fuzz-wrap.
# Needs pydicom, dcmtk's tools, opj_compress and cjpeg.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$here/corpus-dicom" "$here/corpus-photo"
/usr/bin/python3 - "$tmp" <<'PY'
import sys, numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
out = sys.argv[1]
def obj(name, photometric, spp, bits, stored, signed, data, implicit=False, frames=1, extra=None):
    ds = Dataset(); ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.7'
    ds.file_meta.MediaStorageSOPInstanceUID = '1.2.3.' + str(abs(hash(name)) % 100000)
    ds.file_meta.TransferSyntaxUID = '1.2.840.10008.1.2' if implicit else '1.2.840.10008.1.2.1'
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.SpecificCharacterSet = 'ISO_IR 100'; ds.PatientName = 'Fuzz^Zoë'
    ctx = Dataset(); ctx.ValueType = 'CODE'
    cn = Dataset(); cn.CodeValue = 'PGHD'; cn.CodingSchemeDesignator = '99LBX'; cn.CodeMeaning = 'P'
    ctx.ConceptNameCodeSequence = Sequence([cn]); ds.AcquisitionContextSequence = Sequence([ctx])
    ds.Rows, ds.Columns = 8, 8; ds.SamplesPerPixel = spp; ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = bits; ds.BitsStored = stored; ds.HighBit = stored - 1; ds.PixelRepresentation = int(signed)
    if spp == 3: ds.PlanarConfiguration = 0
    if frames > 1: ds.NumberOfFrames = frames
    ds.WindowCenter = 100; ds.WindowWidth = 200
    if extra: extra(ds)
    ds.PixelData = data
    ds.is_little_endian = True; ds.is_implicit_VR = implicit
    ds.save_as(f'{out}/{name}.dcm', write_like_original=False)
r = np.arange(64)
obj('gray8', 'MONOCHROME2', 1, 8, 8, False, (r * 4).astype('u1').tobytes())
obj('gray16s-implicit', 'MONOCHROME1', 1, 16, 12, True, (r * 50 - 1600).astype('<i2').tobytes(), implicit=True, frames=1)
obj('gray16-2frames', 'MONOCHROME2', 1, 16, 16, False, np.arange(128).astype('<u2').tobytes(), frames=2)
obj('rgb', 'RGB', 3, 8, 8, False, np.repeat(r * 4, 3).astype('u1').tobytes())
def pal(ds):
    for c in ('Red', 'Green', 'Blue'):
        setattr(ds, f'{c}PaletteColorLookupTableDescriptor', [4, 0, 16])
        setattr(ds, f'{c}PaletteColorLookupTableData', np.array([0, 1000, 30000, 65535], '<u2').tobytes())
obj('palette', 'PALETTE COLOR', 1, 8, 8, False, (r % 4).astype('u1').tobytes(), extra=pal)
with open(f'{out}/g.pgm', 'wb') as f:
    f.write(b'P5\n8 8\n255\n' + (r * 4).astype('u1').tobytes())
PY
cd "$tmp"
cp gray8.dcm gray16s-implicit.dcm gray16-2frames.dcm rgb.dcm palette.dcm "$here/corpus-dicom/"
dcmconv +tb gray16-2frames.dcm "$here/corpus-dicom/gray16-bigendian.dcm"
dcmconv +td rgb.dcm "$here/corpus-dicom/rgb-deflated.dcm"
dcmcjpeg +eb rgb.dcm "$here/corpus-dicom/rgb-jpeg-baseline.dcm"
dcmcjpeg +el gray16-2frames.dcm "$here/corpus-dicom/gray16-jpeg-lossless.dcm"
dcmcjpeg +ee gray16s-implicit.dcm "$here/corpus-dicom/gray12-jpeg-extended.dcm"
dcmcjpls gray16-2frames.dcm "$here/corpus-dicom/gray16-jpegls.dcm"
dcmcrle rgb.dcm "$here/corpus-dicom/rgb-rle.dcm"
opj_compress -n 2 -i g.pgm -o g.j2k >/dev/null
/usr/bin/python3 - g.j2k gray8.dcm "$here/corpus-dicom/gray8-j2k.dcm" <<'PY'
import sys, pydicom
from pydicom.encaps import encapsulate
ds = pydicom.dcmread(sys.argv[2])
ds.file_meta.TransferSyntaxUID = '1.2.840.10008.1.2.4.90'
ds.PixelData = encapsulate([open(sys.argv[1], 'rb').read()])
ds['PixelData'].is_undefined_length = True
ds.save_as(sys.argv[3], write_like_original=False)
PY
# Photos for the wrapper: a tiny JPEG with EXIF/ICC and a tiny PNG.
/usr/bin/python3 "$here/../dicom/make-photos.py" "$tmp" >/dev/null
/usr/bin/python3 - "$tmp" "$here/corpus-photo" <<'PY'
import sys, struct, zlib, subprocess
src, dst = sys.argv[1], sys.argv[2]
with open(f'{src}/g.pgm', 'rb') as f:
    pass
subprocess.run(['cjpeg', '-outfile', f'{dst}/tiny.jpg', f'{src}/g.pgm'], check=True)
jpg = open(f'{dst}/tiny.jpg', 'rb').read()
exif6 = open(f'{src}/exif6.jpg', 'rb').read()
# keep the EXIF and first ICC chunk of exif6, in front of the tiny scan
segs = b''
pos = 2
while exif6[pos + 1] != 0xdb:
    n = struct.unpack('>H', exif6[pos + 2:pos + 4])[0]
    if exif6[pos + 1] in (0xe1,):
        segs += exif6[pos:pos + 2 + n]
    pos += 2 + n
open(f'{dst}/tiny-exif.jpg', 'wb').write(jpg[:2] + segs + jpg[2:])
def chunk(k, d): return struct.pack('>I', len(d)) + k + d + struct.pack('>I', zlib.crc32(k + d))
raw = b''.join(b'\0' + bytes(range(r, r + 12)) for r in range(4))
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 4, 4, 8, 2, 0, 0, 0))
png += chunk(b'iCCP', b'p\0\0' + zlib.compress(b'ICC' * 10)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
open(f'{dst}/tiny.png', 'wb').write(png)
PY
