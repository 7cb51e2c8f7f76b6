/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Parsing untrusted input: hostile and broken objects must end in a GError
 * of the right code, never a crash or a huge allocation; and metadata read
 * from a well-formed object.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <zlib.h>

#include "lb-dicom.h"
#include "lb-test-utils.h"

static void
put16 (GByteArray *b, guint16 v)
{
  guint8 x[2] = { v & 0xff, v >> 8 };
  g_byte_array_append (b, x, 2);
}

static void
put32 (GByteArray *b, guint32 v)
{
  guint8 x[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append (b, x, 4);
}

/* Explicit VR little endian element; @len is the declared length, which may
 * lie about the @n bytes really appended. */
static void
el (GByteArray *b, guint16 g, guint16 e, const char *vr, const void *v, guint32 len, gsize n)
{
  gboolean long_vr = strstr ("OB OW SQ UN UT UC UR OD OF OL OV", vr) != NULL;
  put16 (b, g);
  put16 (b, e);
  g_byte_array_append (b, (const guint8 *) vr, 2);
  if (long_vr)
    {
      put16 (b, 0);
      put32 (b, len);
    }
  else
    put16 (b, (guint16) len);
  if (n > 0)
    g_byte_array_append (b, v, (guint) n);
}

static void
el_str (GByteArray *b, guint16 g, guint16 e, const char *vr, const char *s)
{
  gsize n = strlen (s);
  g_autofree char *padded = g_strdup_printf ("%s%s", s, n % 2 ? (g_str_equal (vr, "UI") ? "\0" : " ") : "");
  el (b, g, e, vr, padded, (guint32) (n + n % 2), n + n % 2);
}

static void
el_us (GByteArray *b, guint16 g, guint16 e, guint16 v)
{
  guint8 x[2] = { v & 0xff, v >> 8 };
  el (b, g, e, "US", x, 2, 2);
}

static GByteArray *
part10 (const char *ts)
{
  GByteArray *b = g_byte_array_new ();
  guint8 pre[128] = { 0 };
  g_byte_array_append (b, pre, sizeof pre);
  g_byte_array_append (b, (const guint8 *) "DICM", 4);
  el_str (b, 0x0002, 0x0010, "UI", ts);
  return b;
}

/* A small valid image: @rows × @cols, 8-bit, @pixel_bytes of pixel data. */
static GByteArray *
image (guint16 rows, guint16 cols, guint32 pixel_bytes)
{
  GByteArray *b = part10 ("1.2.840.10008.1.2.1");
  el_str (b, 0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.7");
  el_str (b, 0x0008, 0x0018, "UI", "1.2.3.4");
  el_str (b, 0x0010, 0x0010, "PN", "TEST^PARSE");
  el_us (b, 0x0028, 0x0002, 1);
  el_str (b, 0x0028, 0x0004, "CS", "MONOCHROME2");
  el_us (b, 0x0028, 0x0010, rows);
  el_us (b, 0x0028, 0x0011, cols);
  el_us (b, 0x0028, 0x0100, 8);
  el_us (b, 0x0028, 0x0101, 8);
  el_us (b, 0x0028, 0x0102, 7);
  el_us (b, 0x0028, 0x0103, 0);
  g_autofree guint8 *px = g_malloc (pixel_bytes + 1);
  for (guint32 i = 0; i < pixel_bytes; i++)
    px[i] = (guint8) (i * 7);
  el (b, 0x7fe0, 0x0010, "OB", px, pixel_bytes, pixel_bytes);
  return b;
}

static LbDicomObject *
parse (GByteArray *b, const LbDicomLimits *limits, GError **error)
{
  g_autoptr (GBytes) bytes = g_bytes_new (b->data, b->len);
  return lb_dicom_object_new_from_bytes (bytes, limits, error);
}

static void
expect_parse_error (GByteArray *b, const LbDicomLimits *limits, int code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomObject) obj = parse (b, limits, &error);
  g_assert_null (obj);
  g_assert_error (error, LB_DICOM_ERROR, code);
  g_test_message ("%s", error->message);
}

static void
test_valid (void)
{
  g_autoptr (GByteArray) b = image (4, 4, 16);
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomObject) obj = parse (b, NULL, &error);
  g_assert_no_error (error);
  LbDicomMeta *m = lb_dicom_object_get_meta (obj);
  g_assert_cmpstr (m->patient_name, ==, "TEST^PARSE");
  g_assert_cmpstr (m->patient_id, ==, "");
  g_assert_cmpstr (m->transfer_syntax_uid, ==, "1.2.840.10008.1.2.1");
  g_autoptr (LbPixelBuffer) buf = lb_dicom_object_decode_frame (obj, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (buf->format, ==, LB_PIXEL_GRAY8);
  for (guint i = 0; i < 16; i++)
    g_assert_cmpuint (buf->data[(i / 4) * buf->stride + i % 4], ==, (guint8) (i * 7));
  g_autofree char *pn = lb_dicom_object_dup_string (obj, 0x0010, 0x0010);
  g_assert_cmpstr (pn, ==, "TEST^PARSE");
  g_assert_null (lb_dicom_object_dup_string (obj, 0x0010, 0x0020));
}

static void
test_zero_length (void)
{
  g_autoptr (GByteArray) b = g_byte_array_new ();
  expect_parse_error (b, NULL, LB_DICOM_ERROR_NOT_DICOM);

  g_autofree char *dir = lb_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "empty.dcm", NULL);
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomObject) obj = lb_dicom_object_new_from_file (path, NULL, &error);
  g_assert_null (obj);
  g_assert_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_NOT_DICOM);
  g_clear_error (&error);

  g_autofree char *missing = g_build_filename (dir, "missing.dcm", NULL);
  obj = lb_dicom_object_new_from_file (missing, NULL, &error);
  g_assert_null (obj);
  g_assert_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_IO);
  lb_test_remove_tree (dir);
}

static void
test_wrong_magic (void)
{
  g_autoptr (GByteArray) b = image (4, 4, 16);
  memcpy (b->data + 128, "DICX", 4);
  expect_parse_error (b, NULL, LB_DICOM_ERROR_NOT_DICOM);

  g_autoptr (GByteArray) text = g_byte_array_new ();
  const char *png = "\x89PNG\r\n\x1a\n this is not a DICOM object at all, but long enough";
  g_byte_array_append (text, (const guint8 *) png, (guint) strlen (png));
  expect_parse_error (text, NULL, LB_DICOM_ERROR_NOT_DICOM);
}

static void
test_truncated (void)
{
  g_autoptr (GByteArray) full = image (8, 8, 64);
  guint n_errors = 0;

  /* Every possible cut: either a clear error, or (cut exactly between
   * elements) an object whose pixels are then missing or short. */
  for (guint cut = 1; cut < full->len; cut++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) bytes = g_bytes_new (full->data, cut);
      g_autoptr (LbDicomObject) obj = lb_dicom_object_new_from_bytes (bytes, NULL, &error);
      if (obj == NULL)
        {
          g_assert_true (error != NULL && error->domain == LB_DICOM_ERROR);
          n_errors++;
          continue;
        }
      g_autoptr (LbPixelBuffer) buf = lb_dicom_object_decode_frame (obj, 0, &error);
      g_assert_null (buf);
      g_assert_nonnull (error);
    }
  g_assert_cmpuint (n_errors, >, full->len / 2);

  /* A cut inside the pixel data value is a lying length. */
  g_autoptr (GBytes) half = g_bytes_new (full->data, full->len - 10);
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomObject) obj = lb_dicom_object_new_from_bytes (half, NULL, &error);
  g_assert_null (obj);
  g_assert_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED);
}

static void
test_lying_lengths (void)
{
  /* A 4 GiB - 16 pixel data element in a file of a few hundred bytes: must
   * fail before anything allocates the declared size. */
  g_autoptr (GByteArray) b = image (4, 4, 0);
  b->len -= 4;
  put32 (b, 0xfffffff0u);
  g_byte_array_append (b, (const guint8 *) "abcdefgh", 8);
  expect_parse_error (b, NULL, LB_DICOM_ERROR_MALFORMED);

  /* A short-VR string claiming 65000 bytes. */
  g_autoptr (GByteArray) s = part10 ("1.2.840.10008.1.2.1");
  el (s, 0x0010, 0x0010, "PN", "DOE^J", 65000, 5);
  expect_parse_error (s, NULL, LB_DICOM_ERROR_MALFORMED);

  /* A bare implicit-VR dataset with a lying length. */
  g_autoptr (GByteArray) bare = g_byte_array_new ();
  put16 (bare, 0x0008);
  put16 (bare, 0x0016);
  put32 (bare, 0x7ffffff0u);
  g_byte_array_append (bare, (const guint8 *) "1.2.3", 5);
  expect_parse_error (bare, NULL, LB_DICOM_ERROR_MALFORMED);

  /* An unknown VR: dcmtk reads it with a 32-bit length, and so must the
   * pre-scan (found by fuzz-dicom: a 2 GiB "HO" element). */
  g_autoptr (GByteArray) unknown = part10 ("1.2.840.10008.1.2.1");
  put16 (unknown, 0x0008); put16 (unknown, 0x0104);
  g_byte_array_append (unknown, (const guint8 *) "HO", 2);
  put16 (unknown, 0);
  put32 (unknown, 0x7fe00000u);
  g_byte_array_append (unknown, (const guint8 *) "Hand", 4);
  expect_parse_error (unknown, NULL, LB_DICOM_ERROR_MALFORMED);

  /* Pixel Data with an unknown VR and undefined length is a sequence to
   * dcmtk (CP-246), not fragments: its items' elements are checked too. */
  g_autoptr (GByteArray) un = part10 ("1.2.840.10008.1.2.1");
  put16 (un, 0x7fe0); put16 (un, 0x0010);
  g_byte_array_append (un, (const guint8 *) "OO", 2);
  put16 (un, 0);
  put32 (un, 0xffffffffu);
  put16 (un, 0xfffe); put16 (un, 0xe000); put32 (un, 12);
  put16 (un, 0x0000); put16 (un, 0x0000); put32 (un, 0xe000fffeu);
  g_byte_array_append (un, (const guint8 *) "\0\0\0\0", 4);
  put16 (un, 0xfffe); put16 (un, 0xe0dd); put32 (un, 0);
  expect_parse_error (un, NULL, LB_DICOM_ERROR_MALFORMED);

  /* Encapsulated pixel data whose fragment lies. */
  g_autoptr (GByteArray) enc = part10 ("1.2.840.10008.1.2.4.50");
  el_us (enc, 0x0028, 0x0010, 4);
  el (enc, 0x7fe0, 0x0010, "OB", NULL, 0xffffffffu, 0);
  put16 (enc, 0xfffe); put16 (enc, 0xe000); put32 (enc, 0);
  put16 (enc, 0xfffe); put16 (enc, 0xe000); put32 (enc, 1000000);
  g_byte_array_append (enc, (const guint8 *) "\xff\xd8\xff\xe0", 4);
  expect_parse_error (enc, NULL, LB_DICOM_ERROR_MALFORMED);
}

static GByteArray *
nested (guint depth)
{
  /* Undefined-length sequences of undefined-length items, @depth deep. */
  GByteArray *b = part10 ("1.2.840.10008.1.2.1");
  el_str (b, 0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.7");
  for (guint i = 0; i < depth; i++)
    {
      el (b, 0x0040, 0x0555, "SQ", NULL, 0xffffffffu, 0);
      put16 (b, 0xfffe); put16 (b, 0xe000); put32 (b, 0xffffffffu);
    }
  el_str (b, 0x0008, 0x0100, "SH", "X");
  for (guint i = 0; i < depth; i++)
    {
      put16 (b, 0xfffe); put16 (b, 0xe00d); put32 (b, 0);
      put16 (b, 0xfffe); put16 (b, 0xe0dd); put32 (b, 0);
    }
  return b;
}

static void
test_deep_nesting (void)
{
  LbDicomLimits limits;
  lb_dicom_limits_init_default (&limits);

  g_autoptr (GByteArray) ok = nested (10);
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomObject) obj = parse (ok, &limits, &error);
  g_assert_no_error (error);
  g_assert_nonnull (obj);

  g_autoptr (GByteArray) deep = nested (17);
  expect_parse_error (deep, &limits, LB_DICOM_ERROR_LIMIT);

  /* Far deeper than any stack would survive in a recursive parser. */
  g_autoptr (GByteArray) abyss = nested (200000);
  expect_parse_error (abyss, &limits, LB_DICOM_ERROR_LIMIT);
}

static void
test_huge_image (void)
{
  g_autoptr (GByteArray) b = image (65535, 65535, 16);
  expect_parse_error (b, NULL, LB_DICOM_ERROR_LIMIT);

  LbDicomLimits limits;
  lb_dicom_limits_init_default (&limits);
  limits.max_pixels = 1000;
  g_autoptr (GByteArray) c = image (100, 100, 16);
  expect_parse_error (c, &limits, LB_DICOM_ERROR_LIMIT);

  /* Number of Frames (0028,0008) far beyond the frame limit. */
  g_autoptr (GByteArray) f = part10 ("1.2.840.10008.1.2.1");
  el_str (f, 0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.7");
  el_us (f, 0x0028, 0x0002, 1);
  el_str (f, 0x0028, 0x0008, "IS", "20000");
  el_us (f, 0x0028, 0x0010, 4);
  el_us (f, 0x0028, 0x0011, 4);
  expect_parse_error (f, NULL, LB_DICOM_ERROR_LIMIT);
}

static void
test_object_limits (void)
{
  LbDicomLimits limits;
  g_autoptr (GByteArray) b = image (16, 16, 256);

  lb_dicom_limits_init_default (&limits);
  limits.max_object_bytes = 300;
  expect_parse_error (b, &limits, LB_DICOM_ERROR_LIMIT);

  lb_dicom_limits_init_default (&limits);
  limits.max_element_bytes = 100;
  expect_parse_error (b, &limits, LB_DICOM_ERROR_LIMIT);
}

static void
test_short_pixel_data (void)
{
  g_autoptr (GByteArray) b = image (64, 64, 16);
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomObject) obj = parse (b, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (LbPixelBuffer) buf = lb_dicom_object_decode_frame (obj, 0, &error);
  g_assert_null (buf);
  g_assert_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_NO_PIXELS);
}

static void
test_bad_jpeg_frame (void)
{
  g_autoptr (GByteArray) enc = part10 ("1.2.840.10008.1.2.4.50");
  el_us (enc, 0x0028, 0x0002, 1);
  el_str (enc, 0x0028, 0x0004, "CS", "MONOCHROME2");
  el_us (enc, 0x0028, 0x0010, 8);
  el_us (enc, 0x0028, 0x0011, 8);
  el_us (enc, 0x0028, 0x0100, 8);
  el_us (enc, 0x0028, 0x0101, 8);
  el_us (enc, 0x0028, 0x0102, 7);
  el (enc, 0x7fe0, 0x0010, "OB", NULL, 0xffffffffu, 0);
  put16 (enc, 0xfffe); put16 (enc, 0xe000); put32 (enc, 0);
  put16 (enc, 0xfffe); put16 (enc, 0xe000); put32 (enc, 8);
  g_byte_array_append (enc, (const guint8 *) "\xff\xd8\xff\xdb\x00\x43\x00\x01", 8);
  put16 (enc, 0xfffe); put16 (enc, 0xe0dd); put32 (enc, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomObject) obj = parse (enc, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (LbPixelBuffer) buf = lb_dicom_object_decode_frame (obj, 0, &error);
  g_assert_null (buf);
  g_assert_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED);
}

static void
test_deflate_bomb (void)
{
  /* 64 MiB of zeros deflate to ~64 KiB; with a 4 MiB object limit the
   * inflater must stop early. */
  g_autoptr (GByteArray) ds = g_byte_array_new ();
  gsize n = 64 * 1024 * 1024;
  el (ds, 0x0008, 0x0016, "UI", "1.2.3.4", 8, 8);
  el (ds, 0x7fe0, 0x0010, "OB", NULL, (guint32) n, 0);
  g_byte_array_set_size (ds, ds->len + (guint) n);
  memset (ds->data + ds->len - n, 0, n);

  uLongf zlen = compressBound (ds->len);
  g_autofree guint8 *z = g_malloc (zlen);
  z_stream zs = { 0 };
  g_assert_cmpint (deflateInit2 (&zs, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
  zs.next_in = ds->data;
  zs.avail_in = ds->len;
  zs.next_out = z;
  zs.avail_out = (uInt) zlen;
  g_assert_cmpint (deflate (&zs, Z_FINISH), ==, Z_STREAM_END);
  g_autoptr (GByteArray) b = part10 ("1.2.840.10008.1.2.1.99");
  g_byte_array_append (b, z, (guint) zs.total_out);
  deflateEnd (&zs);

  LbDicomLimits limits;
  lb_dicom_limits_init_default (&limits);
  limits.max_object_bytes = 4 * 1024 * 1024;
  expect_parse_error (b, &limits, LB_DICOM_ERROR_LIMIT);
}

typedef struct {
  LbDicomObject *obj;
  guint8 first[16];
  gboolean ok;
} ThreadData;

static gpointer
decode_thread (gpointer data)
{
  ThreadData *td = data;
  td->ok = TRUE;
  for (int i = 0; i < 200; i++)
    {
      g_autoptr (LbPixelBuffer) buf = lb_dicom_object_decode_frame (td->obj, 0, NULL);
      if (buf == NULL || memcmp (buf->data, td->first, 16) != 0)
        td->ok = FALSE;
    }
  return NULL;
}

static void
test_threads (void)
{
  /* "Safe to read from several threads at once" (lb-dicom.h). */
  g_autoptr (GByteArray) b = image (4, 4, 16);
  g_autoptr (LbDicomObject) obj = parse (b, NULL, NULL);
  g_assert_nonnull (obj);
  ThreadData td[4];
  GThread *threads[4];
  for (int i = 0; i < 4; i++)
    {
      td[i].obj = obj;
      for (int k = 0; k < 16; k++)
        td[i].first[k] = (guint8) (k * 7);
      threads[i] = g_thread_new ("decode", decode_thread, &td[i]);
    }
  for (int i = 0; i < 4; i++)
    {
      g_thread_join (threads[i]);
      g_assert_true (td[i].ok);
    }
}

static void
test_meta (void)
{
  g_autofree char *dir = lb_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "meta.dcm", NULL);
  const char *argv[] = { "/usr/bin/python3", "-c",
    "import sys\n"
    "from pydicom.dataset import Dataset, FileMetaDataset\n"
    "from pydicom.sequence import Sequence\n"
    "ds = Dataset(); ds.file_meta = FileMetaDataset()\n"
    "ds.file_meta.TransferSyntaxUID = '1.2.840.10008.1.2'\n"
    "ds.file_meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.1'\n"
    "ds.file_meta.MediaStorageSOPInstanceUID = '1.2.3.4.5'\n"
    "ds.SpecificCharacterSet = 'ISO_IR 192'\n"
    "ds.SOPClassUID = '1.2.840.10008.5.1.4.1.1.1'; ds.SOPInstanceUID = '1.2.3.4.5'\n"
    "ds.PatientName = 'Ørsted^Ås'; ds.PatientID = 'P1'; ds.PatientSex = 'F'\n"
    "ds.StudyDate = '20240102'; ds.Modality = 'CR'; ds.SeriesNumber = 7; ds.InstanceNumber = 3\n"
    "ds.ImageLaterality = 'L'; ds.AcquisitionDate = '20240102'; ds.AcquisitionTime = '101500'\n"
    "ar = Dataset(); ar.CodeValue = '85562004'; ar.CodingSchemeDesignator = 'SCT'; ar.CodeMeaning = 'Hand'\n"
    "ds.AnatomicRegionSequence = Sequence([ar])\n"
    "ds.Rows = 2; ds.Columns = 2; ds.SamplesPerPixel = 1; ds.PhotometricInterpretation = 'MONOCHROME1'\n"
    "ds.BitsAllocated = 16; ds.BitsStored = 12; ds.HighBit = 11; ds.PixelRepresentation = 1\n"
    "ds.RescaleSlope = '2.5'; ds.RescaleIntercept = '-1024'; ds.RescaleType = 'HU'\n"
    "ds.WindowCenter = ['40', '400']; ds.WindowWidth = ['80', '2000']\n"
    "ds.WindowCenterWidthExplanation = ['SOFT', 'BONE']; ds.VOILUTFunction = 'SIGMOID'\n"
    "ds.PresentationLUTShape = 'INVERSE'; ds.PixelSpacing = ['0.5', '0.25']; ds.ImagerPixelSpacing = ['0.1', '0.2']\n"
    "ds.FrameTime = '40'\n"
    "lut = Dataset(); lut.LUTDescriptor = [4, -2, 16]; lut.LUTExplanation = 'CURVE'\n"
    "import struct; lut.LUTData = struct.pack('<4H', 0, 100, 200, 65535)\n"
    "ds.VOILUTSequence = Sequence([lut])\n"
    "ds.ICCProfile = b'ICCDATA!'\n"
    "ds.PixelData = bytes(8)\n"
    "ds.is_little_endian = True; ds.is_implicit_VR = True\n"
    "ds.save_as(sys.argv[1], write_like_original=False)\n",
    path, NULL };
  lb_test_run (argv, NULL, NULL, TRUE);

  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomObject) obj = lb_dicom_object_new_from_file (path, NULL, &error);
  g_assert_no_error (error);
  LbDicomMeta *m = lb_dicom_object_get_meta (obj);
  g_assert_cmpstr (m->patient_name, ==, "Ørsted^Ås");
  g_assert_cmpstr (m->patient_sex, ==, "F");
  g_assert_cmpstr (m->modality, ==, "CR");
  g_assert_cmpint (m->series_number, ==, 7);
  g_assert_cmpint (m->instance_number, ==, 3);
  g_assert_cmpstr (m->body_part, ==, "Hand");
  g_assert_cmpstr (m->laterality, ==, "L");
  g_assert_cmpstr (m->acquisition_datetime, ==, "20240102101500");
  g_assert_cmpstr (m->transfer_syntax_uid, ==, "1.2.840.10008.1.2");
  g_assert_false (m->patient_generated);
  g_assert_true (m->pixel_signed);
  g_assert_cmpuint (m->bits_stored, ==, 12);
  g_assert_cmpuint (m->number_of_frames, ==, 1);
  g_assert_cmpfloat (m->frame_time_ms, ==, 40);
  g_assert_cmpfloat (m->rescale_slope, ==, 2.5);
  g_assert_cmpfloat (m->rescale_intercept, ==, -1024);
  g_assert_cmpstr (m->rescale_type, ==, "HU");
  g_assert_cmpuint (m->n_windows, ==, 2);
  g_assert_cmpfloat (m->windows[1].center, ==, 400);
  g_assert_cmpfloat (m->windows[1].width, ==, 2000);
  g_assert_cmpstr (m->windows[1].explanation, ==, "BONE");
  g_assert_cmpint (m->voi_function, ==, LB_VOI_FUNCTION_SIGMOID);
  g_assert_true (m->presentation_inverse);
  g_assert_nonnull (m->voi_lut);
  g_assert_cmpuint (m->voi_lut->n_entries, ==, 4);
  g_assert_cmpint (m->voi_lut->first_mapped, ==, -2);
  g_assert_cmpuint (m->voi_lut->data[3], ==, 65535);
  g_assert_cmpstr (m->voi_lut->explanation, ==, "CURVE");
  g_assert_null (m->modality_lut);
  g_assert_cmpfloat (m->pixel_spacing[0], ==, 0.5);
  g_assert_cmpfloat (m->pixel_spacing[1], ==, 0.25);
  g_assert_cmpfloat (m->imager_pixel_spacing[1], ==, 0.2);
  g_assert_nonnull (m->icc_profile);
  g_assert_cmpuint (g_bytes_get_size (m->icc_profile), ==, 8);
  g_autoptr (LbPixelBuffer) buf = lb_dicom_object_decode_frame (obj, 0, &error);
  g_assert_no_error (error);
  g_assert_true (buf->monochrome1);
  g_assert_cmpuint (buf->format, ==, LB_PIXEL_GRAY16S);
  lb_test_remove_tree (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dicom/parse/valid", test_valid);
  g_test_add_func ("/dicom/parse/zero-length", test_zero_length);
  g_test_add_func ("/dicom/parse/wrong-magic", test_wrong_magic);
  g_test_add_func ("/dicom/parse/truncated", test_truncated);
  g_test_add_func ("/dicom/parse/lying-lengths", test_lying_lengths);
  g_test_add_func ("/dicom/parse/deep-nesting", test_deep_nesting);
  g_test_add_func ("/dicom/parse/huge-image", test_huge_image);
  g_test_add_func ("/dicom/parse/object-limits", test_object_limits);
  g_test_add_func ("/dicom/parse/short-pixel-data", test_short_pixel_data);
  g_test_add_func ("/dicom/parse/bad-jpeg-frame", test_bad_jpeg_frame);
  g_test_add_func ("/dicom/parse/deflate-bomb", test_deflate_bomb);
  g_test_add_func ("/dicom/parse/threads", test_threads);
  g_test_add_func ("/dicom/parse/meta", test_meta);
  return g_test_run ();
}
