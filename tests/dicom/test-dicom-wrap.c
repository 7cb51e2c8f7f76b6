/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Wrapping patients' photos: JPEG kept byte-for-byte, EXIF orientation
 * applied losslessly, EXIF/GPS never copied, ICC profile kept, PNG as RGB;
 * the result checked by dciodvfy (dicom3tools), pydicom and our own reader.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "lb-dicom.h"
#include "lb-test-utils.h"

static char *tmpdir;

static GBytes *
load (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_bytes_new_take (data, len);
}

static void
init_options (LbWrapOptions *o)
{
  lb_wrap_options_init (o);
  o->patient_name = "Nguyễn^Thị";
  o->patient_id = "LBX-W-1";
  o->patient_birth_date = "19700101";
  o->patient_sex = "F";
  o->body_part = "HAND";
  o->laterality = "L";
  o->image_comments = "itches since Tuesday";
  o->patient_comments = "prefers morning calls";
}

/* Wraps @photo_name, writes the result to @out_name, returns its bytes. */
static GBytes *
wrap_to_file (const char *photo_name, const LbWrapOptions *options, const char *out_name)
{
  g_autoptr (GBytes) photo = load (photo_name);
  g_autoptr (GError) error = NULL;
  GBytes *dicom = lb_dicom_wrap_photo (photo, options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dicom);
  g_autofree char *path = g_build_filename (tmpdir, out_name, NULL);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (dicom, NULL),
                                      (gssize) g_bytes_get_size (dicom), NULL));
  return dicom;
}

/* The first frame of encapsulated pixel data, as pydicom reads it. */
static GBytes *
pydicom_frame (const char *dcm_name)
{
  g_autofree char *dcm = g_build_filename (tmpdir, dcm_name, NULL);
  g_autofree char *out = g_strconcat (dcm, ".frame", NULL);
  const char *argv[] = { "/usr/bin/python3", "-c",
    "import sys, pydicom\n"
    "from pydicom.encaps import generate_pixel_data_frame\n"
    "ds = pydicom.dcmread(sys.argv[1])\n"
    "open(sys.argv[2], 'wb').write(next(generate_pixel_data_frame(ds.PixelData)))\n",
    dcm, out, NULL };
  lb_test_run (argv, NULL, NULL, TRUE);
  char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (out, &data, &len, NULL));
  return g_bytes_new_take (data, len);
}

static gboolean
contains (GBytes *haystack, const char *needle, gsize needle_len)
{
  gsize len = 0;
  const guint8 *d = g_bytes_get_data (haystack, &len);
  return memmem (d, len, needle, needle_len) != NULL;
}

/* Removes the JPEG segments with marker @marker (before the first scan). */
static GBytes *
without_segments (GBytes *jpeg, guint8 marker)
{
  gsize len = 0;
  const guint8 *d = g_bytes_get_data (jpeg, &len);
  GByteArray *out = g_byte_array_new ();
  gsize pos = 2;
  g_byte_array_append (out, d, 2);
  while (pos + 4 <= len && d[pos + 1] != 0xda)
    {
      gsize seg = 2 + ((d[pos + 2] << 8) | d[pos + 3]);
      if (d[pos + 1] != marker)
        g_byte_array_append (out, d + pos, (guint) seg);
      pos += seg;
    }
  g_byte_array_append (out, d + pos, (guint) (len - pos));
  return g_byte_array_free_to_bytes (out);
}

static void
assert_same_jpeg (GBytes *frame, GBytes *jpeg)
{
  /* PS3.5 A.4: a fragment has even length; an odd JPEG gets one pad byte. */
  gsize n = g_bytes_get_size (jpeg);
  g_assert_cmpuint (g_bytes_get_size (frame), ==, n + (n % 2));
  g_assert_cmpmem (g_bytes_get_data (frame, NULL), n, g_bytes_get_data (jpeg, NULL), n);
}

static void
assert_dciodvfy_clean (const char *dcm_name)
{
  g_autofree char *dcm = g_build_filename (tmpdir, dcm_name, NULL);
  g_autofree char *cmd = g_strdup_printf ("dciodvfy '%s' 2>&1", dcm);
  const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
  g_autofree char *out = NULL;
  lb_test_run (argv, &out, NULL, FALSE);
  g_assert_nonnull (out);
  g_assert_nonnull (strstr (out, "VLPhotographicImage"));
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "Error"))
        g_test_message ("dciodvfy: %s", lines[i]);
      g_assert_false (g_str_has_prefix (lines[i], "Error"));
    }
}

static LbDicomObject *
parse (GBytes *dicom)
{
  g_autoptr (GError) error = NULL;
  LbDicomObject *obj = lb_dicom_object_new_from_bytes (dicom, NULL, &error);
  g_assert_no_error (error);
  return obj;
}

static void
test_jpeg_byte_for_byte (void)
{
  LbWrapOptions o;
  init_options (&o);
  g_autoptr (GBytes) dicom = wrap_to_file ("plain.jpg", &o, "plain.dcm");
  g_autoptr (GBytes) jpeg = load ("plain.jpg");
  g_autoptr (GBytes) frame = pydicom_frame ("plain.dcm");
  assert_same_jpeg (frame, jpeg);

  g_autoptr (LbDicomObject) obj = parse (dicom);
  LbDicomMeta *m = lb_dicom_object_get_meta (obj);
  g_assert_cmpstr (m->sop_class_uid, ==, "1.2.840.10008.5.1.4.1.1.77.1.4");
  g_assert_cmpstr (m->transfer_syntax_uid, ==, "1.2.840.10008.1.2.4.50");
  g_assert_cmpstr (m->modality, ==, "XC");
  g_assert_cmpstr (m->photometric, ==, "YBR_FULL_422");
  g_assert_cmpstr (m->patient_name, ==, "Nguyễn^Thị");
  g_assert_cmpstr (m->body_part, ==, "HAND");
  g_assert_cmpstr (m->laterality, ==, "L");
  g_assert_cmpstr (m->image_comments, ==, "itches since Tuesday");
  g_assert_cmpstr (m->patient_comments, ==, "prefers morning calls");
  g_assert_true (m->patient_generated);
  g_assert_cmpuint (m->columns, ==, 640);
  g_assert_cmpuint (m->rows, ==, 480);
  g_assert_true (g_str_has_prefix (m->sop_instance_uid, "2.25."));
  g_assert_null (m->icc_profile);
  g_autofree char *image_type = lb_dicom_object_dup_string (obj, 0x0008, 0x0008);
  g_assert_cmpstr (image_type, ==, "ORIGINAL\\PRIMARY");
  assert_dciodvfy_clean ("plain.dcm");

  /* And it decodes to the picture that was drawn (JPEG quality 90). */
  g_autoptr (GError) error = NULL;
  g_autoptr (LbPixelBuffer) buf = lb_dicom_object_decode_frame (obj, 0, &error);
  g_assert_no_error (error);
  g_autofree char *ppm_path = g_build_filename (tmpdir, "plain.jpg.ppm", NULL);
  g_autofree char *ppm = NULL;
  gsize ppm_len = 0;
  g_assert_true (g_file_get_contents (ppm_path, &ppm, &ppm_len, NULL));
  const guint8 *drawn = (const guint8 *) ppm + ppm_len - 640 * 480 * 3;
  double sum = 0;
  for (gsize i = 0; i < 640 * 480 * 3; i++)
    sum += ABS ((int) buf->data[i] - (int) drawn[i]);
  g_assert_cmpfloat (sum / (640 * 480 * 3), <, 3.0);
}

static void
test_orientation_6 (void)
{
  LbWrapOptions o;
  init_options (&o);
  g_autoptr (GBytes) dicom = wrap_to_file ("exif6.jpg", &o, "exif6.dcm");
  g_autoptr (GBytes) frame = pydicom_frame ("exif6.dcm");
  g_autoptr (LbDicomObject) obj = parse (dicom);
  LbDicomMeta *m = lb_dicom_object_get_meta (obj);

  /* Stored 480 wide × 640 high, shown upright 640 × 480. */
  g_assert_cmpuint (m->columns, ==, 640);
  g_assert_cmpuint (m->rows, ==, 480);
  g_assert_cmpstr (m->acquisition_datetime, ==, "20240305143007");

  /* No EXIF at all (its orientation would now be wrong), hence no GPS,
   * and not the COM segment either; neither in the JPEG nor anywhere. */
  g_assert_false (contains (frame, "Exif", 4));
  g_assert_false (contains (dicom, "Exif\0\0", 6));
  g_assert_false (contains (dicom, "LBXGPS", 6));
  g_assert_false (contains (dicom, "patient-home", 12));

  /* The ICC profile, reassembled from its two APP2 chunks. */
  g_autoptr (GBytes) icc = load ("icc.bin");
  g_assert_nonnull (m->icc_profile);
  g_assert_true (g_bytes_equal (m->icc_profile, icc));
  assert_dciodvfy_clean ("exif6.dcm");

  /* Pixels: the sideways JPEG (wrapped as is), turned 90° clockwise by the
   * test, against the wrapper's lossless rotation. The DCT blocks are the
   * same; only chroma upsampling runs along the other axis, so allow a
   * small difference. */
  g_autoptr (GBytes) side_dicom = wrap_to_file ("side.jpg", &o, "side.dcm");
  g_autoptr (LbDicomObject) side = parse (side_dicom);
  g_autoptr (GError) error = NULL;
  g_autoptr (LbPixelBuffer) up = lb_dicom_object_decode_frame (obj, 0, &error);
  g_assert_no_error (error);
  g_autoptr (LbPixelBuffer) s = lb_dicom_object_decode_frame (side, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->width, ==, 480);
  g_assert_cmpuint (s->height, ==, 640);
  int worst = 0;
  double sum = 0;
  for (guint y = 0; y < 480; y++)
    for (guint x = 0; x < 640; x++)
      for (guint c = 0; c < 3; c++)
        {
          int a = up->data[y * up->stride + x * 3 + c];
          int b = s->data[(639 - x) * s->stride + y * 3 + c];
          worst = MAX (worst, ABS (a - b));
          sum += ABS (a - b);
        }
  g_test_message ("rotation: worst %d, mean %.3f", worst, sum / (640 * 480 * 3));
  g_assert_cmpfloat (sum / (640 * 480 * 3), <, 1.0);
  g_assert_cmpint (worst, <=, 8);
  /* The red block drawn at the top left is at the top left. */
  const guint8 *p = up->data + 90 * up->stride + 120 * 3;
  g_assert_cmpint (p[0], >, 200);
  g_assert_cmpint (p[1], <, 60);
}

static void
test_exif_stripped (void)
{
  /* Orientation 1 with EXIF (GPS) and ICC: the EXIF segment goes, every
   * other byte stays. */
  LbWrapOptions o;
  init_options (&o);
  g_autoptr (GBytes) dicom = wrap_to_file ("exif1.jpg", &o, "exif1.dcm");
  g_autoptr (GBytes) frame = pydicom_frame ("exif1.dcm");
  g_autoptr (GBytes) jpeg = load ("exif1.jpg");
  g_autoptr (GBytes) expected = without_segments (jpeg, 0xe1);
  g_assert_cmpuint (g_bytes_get_size (expected), <, g_bytes_get_size (jpeg));
  assert_same_jpeg (frame, expected);
  g_assert_false (contains (dicom, "LBXGPS", 6));
  g_assert_false (contains (dicom, "Exif\0\0", 6));
  g_autoptr (LbDicomObject) obj = parse (dicom);
  g_autoptr (GBytes) icc = load ("icc.bin");
  g_assert_true (g_bytes_equal (lb_dicom_object_get_meta (obj)->icc_profile, icc));
  assert_dciodvfy_clean ("exif1.dcm");
}

static void
test_odd_size (void)
{
  /* 482 × 642 stored sideways: the right edge is not a whole MCU, so a
   * perfect rotation is impossible; the wrapper trims the partial blocks
   * (less than one MCU) rather than re-encode. */
  LbWrapOptions o;
  init_options (&o);
  g_autoptr (GBytes) dicom = wrap_to_file ("odd.jpg", &o, "odd.dcm");
  g_autoptr (LbDicomObject) obj = parse (dicom);
  LbDicomMeta *m = lb_dicom_object_get_meta (obj);
  g_assert_cmpuint (m->rows, ==, 482);
  g_assert_cmpuint (m->columns, ==, 640);
  g_autoptr (GError) error = NULL;
  g_autoptr (LbPixelBuffer) buf = lb_dicom_object_decode_frame (obj, 0, &error);
  g_assert_no_error (error);
  assert_dciodvfy_clean ("odd.dcm");
}

static void
test_png (void)
{
  LbWrapOptions o;
  init_options (&o);
  o.body_part = NULL;
  o.laterality = NULL;
  g_autoptr (GBytes) dicom = wrap_to_file ("photo.png", &o, "png.dcm");
  g_autoptr (LbDicomObject) obj = parse (dicom);
  LbDicomMeta *m = lb_dicom_object_get_meta (obj);
  g_assert_cmpstr (m->transfer_syntax_uid, ==, "1.2.840.10008.1.2.1");
  g_assert_cmpstr (m->photometric, ==, "RGB");
  g_assert_cmpuint (m->columns, ==, 53);
  g_assert_cmpuint (m->rows, ==, 37);
  g_assert_cmpstr (m->body_part, ==, "");
  g_assert_true (m->patient_generated);
  g_autoptr (GBytes) icc = load ("icc.bin");
  g_assert_true (g_bytes_equal (m->icc_profile, icc));
  g_autofree char *lossy = lb_dicom_object_dup_string (obj, 0x0028, 0x2110);
  g_assert_cmpstr (lossy, ==, "00");

  g_autoptr (GError) error = NULL;
  g_autoptr (LbPixelBuffer) buf = lb_dicom_object_decode_frame (obj, 0, &error);
  g_assert_no_error (error);
  g_autoptr (GBytes) rgb = load ("photo.rgb");
  g_assert_cmpmem (buf->data, 53 * 37 * 3, g_bytes_get_data (rgb, NULL), g_bytes_get_size (rgb));
  assert_dciodvfy_clean ("png.dcm");
}

static void
test_pydicom_reads (void)
{
  LbWrapOptions o;
  init_options (&o);
  o.study_uid = "1.2.826.0.1.3680043.10.1.42";
  o.study_date = "20240301";
  o.uid_root = "1.2.826.0.1.3680043.10.1";
  g_autoptr (GBytes) dicom = wrap_to_file ("exif6.jpg", &o, "pydicom.dcm");
  g_autofree char *dcm = g_build_filename (tmpdir, "pydicom.dcm", NULL);
  const char *argv[] = { "/usr/bin/python3", "-c",
    "import sys, pydicom\n"
    "ds = pydicom.dcmread(sys.argv[1])\n"
    "assert ds.file_meta.TransferSyntaxUID == '1.2.840.10008.1.2.4.50'\n"
    "assert ds.SOPClassUID == '1.2.840.10008.5.1.4.1.1.77.1.4'\n"
    "assert ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID\n"
    "assert ds.SOPInstanceUID.startswith('1.2.826.0.1.3680043.10.1.')\n"
    "assert len(ds.SOPInstanceUID) <= 64 and ds.SOPInstanceUID.is_valid\n"
    "assert ds.StudyInstanceUID == '1.2.826.0.1.3680043.10.1.42'\n"
    "assert ds.StudyDate == '20240301'\n"
    "assert ds.Modality == 'XC'\n"
    "assert list(ds.ImageType) == ['ORIGINAL', 'PRIMARY']\n"
    "assert ds.PhotometricInterpretation == 'YBR_FULL_422'\n"
    "assert ds.SamplesPerPixel == 3 and ds.BitsAllocated == 8 and ds.PlanarConfiguration == 0\n"
    "assert (ds.Rows, ds.Columns) == (480, 640)\n"
    "assert str(ds.PatientName) == 'Nguyễn^Thị', ds.PatientName\n"
    "assert ds.PatientID == 'LBX-W-1' and ds.PatientSex == 'F'\n"
    "assert ds.BodyPartExamined == 'HAND' and ds.ImageLaterality == 'L'\n"
    "ar = ds.AnatomicRegionSequence[0]\n"
    "assert (ar.CodeValue, ar.CodingSchemeDesignator) == ('85562004', 'SCT')\n"
    "ctx = ds.AcquisitionContextSequence[0]\n"
    "assert ctx.ValueType == 'CODE'\n"
    "cn = ctx.ConceptNameCodeSequence[0]\n"
    "assert (cn.CodeValue, cn.CodingSchemeDesignator, cn.CodeMeaning) == ('PGHD', '99LBX', 'Patient-generated image')\n"
    "assert ctx.ConceptCodeSequence[0].CodeValue == '373066001'\n"
    "assert ds.CodingSchemeIdentificationSequence[0].CodingSchemeDesignator == '99LBX'\n"
    "assert ds.AcquisitionDateTime == '20240305143007'\n"
    "assert ds.LossyImageCompression == '01' and ds.LossyImageCompressionMethod == 'ISO_10918_1'\n"
    "assert len(ds.ICCProfile) == 70006\n"
    "assert ds.ImageComments == 'itches since Tuesday'\n"
    "assert 'GPS' not in repr(ds)\n"
    "print('ok')\n",
    dcm, NULL };
  g_autofree char *out = NULL;
  lb_test_run (argv, &out, NULL, TRUE);
  g_assert_cmpstr (out, ==, "ok\n");
  assert_dciodvfy_clean ("pydicom.dcm");
}

static void
test_cli (void)
{
  const char *cli = g_getenv ("LIGHTBOX_CLI");
  g_assert_nonnull (cli);
  g_autofree char *photo = g_build_filename (tmpdir, "exif6.jpg", NULL);
  g_autofree char *out = g_build_filename (tmpdir, "cli.dcm", NULL);
  const char *wrap[] = { cli, "wrap", photo, "--out", out, "--patient-id", "CLI-1",
                         "--patient-name", "Doe^Jane", "--body-part", "FOOT", "--laterality", "R",
                         "--comment", "from the CLI", "--study-date", "20240102", NULL };
  g_autofree char *uid = NULL;
  lb_test_run (wrap, &uid, NULL, TRUE);
  g_strstrip (uid);
  g_assert_true (g_str_has_prefix (uid, "2.25."));

  const char *info[] = { cli, "info", out, NULL };
  g_autofree char *json = NULL;
  lb_test_run (info, &json, NULL, TRUE);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "sop_instance_uid"), ==, uid);
  g_assert_cmpstr (json_object_get_string_member (o, "patient_id"), ==, "CLI-1");
  g_assert_cmpstr (json_object_get_string_member (o, "body_part"), ==, "FOOT");
  g_assert_cmpstr (json_object_get_string_member (o, "laterality"), ==, "R");
  g_assert_cmpstr (json_object_get_string_member (o, "study_date"), ==, "20240102");
  g_assert_cmpstr (json_object_get_string_member (o, "image_comments"), ==, "from the CLI");
  g_assert_true (json_object_get_boolean_member (o, "patient_generated"));
  g_assert_cmpint (json_object_get_int_member (o, "columns"), ==, 640);
  g_assert_cmpint (json_object_get_int_member (o, "icc_profile_bytes"), ==, 70006);
  assert_dciodvfy_clean ("cli.dcm");

  /* Usage errors exit 2, bad input 1. */
  int status = 0;
  const char *usage[] = { cli, "wrap", photo, NULL };
  lb_test_run (usage, NULL, &status, FALSE);
  g_assert_cmpint (status, ==, 2);
  const char *bad[] = { cli, "info", photo, NULL };
  lb_test_run (bad, NULL, &status, FALSE);
  g_assert_cmpint (status, ==, 1);
}

static void
expect_wrap_error (GBytes *photo, const LbWrapOptions *o, int code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) out = lb_dicom_wrap_photo (photo, o, &error);
  g_assert_null (out);
  g_assert_error (error, LB_DICOM_ERROR, code);
  g_test_message ("%s", error->message);
}

static void
test_bad_input (void)
{
  LbWrapOptions o;
  init_options (&o);
  g_autoptr (GBytes) garbage = g_bytes_new_static ("GIF89a not a photo we take", 26);
  expect_wrap_error (garbage, &o, LB_DICOM_ERROR_BAD_IMAGE);
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  expect_wrap_error (empty, &o, LB_DICOM_ERROR_BAD_IMAGE);

  g_autoptr (GBytes) jpeg = load ("plain.jpg");
  g_autoptr (GBytes) cut = g_bytes_new_from_bytes (jpeg, 0, 300);
  expect_wrap_error (cut, &o, LB_DICOM_ERROR_BAD_IMAGE);
  g_autoptr (GBytes) png = load ("photo.png");
  g_autoptr (GBytes) png_cut = g_bytes_new_from_bytes (png, 0, 100);
  expect_wrap_error (png_cut, &o, LB_DICOM_ERROR_BAD_IMAGE);

  LbDicomLimits limits;
  lb_dicom_limits_init_default (&limits);
  limits.max_pixels = 1000;
  LbWrapOptions small = o;
  small.limits = &limits;
  expect_wrap_error (jpeg, &small, LB_DICOM_ERROR_LIMIT);
  expect_wrap_error (png, &small, LB_DICOM_ERROR_LIMIT);

  LbWrapOptions bad = o;
  bad.patient_id = NULL;
  expect_wrap_error (jpeg, &bad, LB_DICOM_ERROR_BAD_IMAGE);
  bad = o;
  bad.laterality = "left";
  expect_wrap_error (jpeg, &bad, LB_DICOM_ERROR_BAD_IMAGE);
  bad = o;
  bad.study_uid = "1.2.03.x";
  expect_wrap_error (jpeg, &bad, LB_DICOM_ERROR_BAD_IMAGE);
  bad = o;
  bad.body_part = "left hand";
  expect_wrap_error (jpeg, &bad, LB_DICOM_ERROR_BAD_IMAGE);
}

static void
test_uids (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (int i = 0; i < 2000; i++)
    {
      char *uid = lb_dicom_generate_uid (i % 2 ? NULL : "1.2.826.0.1.3680043.10.1");
      g_assert_cmpuint (strlen (uid), <=, 64);
      g_assert_true (g_str_has_prefix (uid, i % 2 ? "2.25." : "1.2.826.0.1.3680043.10.1."));
      for (const char *c = uid; *c; c++)
        g_assert_true (g_ascii_isdigit (*c) || *c == '.');
      g_assert_true (g_hash_table_add (seen, uid));
    }
}

static void
test_gray16 (void)
{
  LbWrapOptions o;
  init_options (&o);
  guint16 px[6 * 5];
  for (guint i = 0; i < G_N_ELEMENTS (px); i++)
    px[i] = (guint16) (i * 137);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) dicom = lb_dicom_wrap_gray16 (px, 6, 5, 12, &o, &error);
  g_assert_no_error (error);
  g_autoptr (LbDicomObject) obj = parse (dicom);
  g_autoptr (LbPixelBuffer) buf = lb_dicom_object_decode_frame (obj, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (buf->format, ==, LB_PIXEL_GRAY16U);
  g_assert_cmpuint (buf->bits_stored, ==, 12);
  g_assert_cmpmem (buf->data, sizeof px, px, sizeof px);
  g_assert_false (lb_dicom_object_get_meta (obj)->patient_generated);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  tmpdir = lb_test_make_tmpdir ();
  g_autofree char *script = lb_test_source_path ("dicom", "make-photos.py", NULL);
  const char *gen[] = { "/usr/bin/python3", script, tmpdir, NULL };
  lb_test_run (gen, NULL, NULL, TRUE);

  g_test_add_func ("/dicom/wrap/jpeg-byte-for-byte", test_jpeg_byte_for_byte);
  g_test_add_func ("/dicom/wrap/orientation-6", test_orientation_6);
  g_test_add_func ("/dicom/wrap/exif-stripped", test_exif_stripped);
  g_test_add_func ("/dicom/wrap/odd-size", test_odd_size);
  g_test_add_func ("/dicom/wrap/png", test_png);
  g_test_add_func ("/dicom/wrap/pydicom", test_pydicom_reads);
  g_test_add_func ("/dicom/wrap/cli", test_cli);
  g_test_add_func ("/dicom/wrap/bad-input", test_bad_input);
  g_test_add_func ("/dicom/wrap/uids", test_uids);
  g_test_add_func ("/dicom/wrap/gray16", test_gray16);

  int rc = g_test_run ();
  lb_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return rc;
}
