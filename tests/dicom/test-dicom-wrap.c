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

/* Runs @checks (Python, with `ds` = pydicom's reading of @dcm_name) and
 * expects it to print nothing but "ok". */
static void
assert_pydicom (const char *dcm_name, const char *checks)
{
  g_autofree char *dcm = g_build_filename (tmpdir, dcm_name, NULL);
  g_autofree char *code = g_strconcat ("import sys, pydicom\n"
                                       "ds = pydicom.dcmread(sys.argv[1])\n",
                                       checks, "print('ok')\n", NULL);
  const char *argv[] = { "/usr/bin/python3", "-c", code, dcm, NULL };
  g_autofree char *out = NULL;
  lb_test_run (argv, &out, NULL, TRUE);
  g_assert_cmpstr (out, ==, "ok\n");
}

/* Every value that would otherwise come from the clock or the random
 * generator, given by the caller (as tools/make-demo-data does). */
static void
fixed_options (LbWrapOptions *o)
{
  init_options (o);
  o->body_part = "BACK";
  o->laterality = NULL;
  o->uid_root = "1.2.826.0.1.3680043.10.1";
  o->study_uid = "1.2.826.0.1.3680043.10.1.9.1.7";
  o->series_uid = "1.2.826.0.1.3680043.10.1.9.2.7.1";
  o->sop_instance_uid = "1.2.826.0.1.3680043.10.1.9.3.7.1.1";
  o->study_date = "20250313";
  o->study_time = "214012";
  o->study_description = "Skin lesion photo — patient upload";
  o->series_description = "Back, new lesion — smartphone photo";
  o->accession_number = "DEMO0007";
  o->study_id = "LB7";
  o->series_number = 3;
  o->instance_number = 12;
  o->acquisition_datetime = "20250313213958";
  o->content_date = "20250313";
  o->content_time = "214001";
  o->creation_date = "20250313";
  o->creation_time = "214012";
  o->timezone_offset = "+0100";
  o->manufacturer = "Patient smartphone";
  o->model_name = "Smartphone camera (patient-owned)";
  o->device_software = "Patient portal upload 3.2";
  o->issuer_of_patient_id = "LIGHTBOX-DEMO";
}

static void
test_fixed_values (void)
{
  /* exif6.jpg has an EXIF DateTimeOriginal (2024-03-05 14:30:07): the
   * caller's acquisition date-time wins. */
  LbWrapOptions o;
  fixed_options (&o);
  g_autoptr (GBytes) first = wrap_to_file ("exif6.jpg", &o, "fixed.dcm");
  /* Past a second boundary, so a clock value would show. */
  g_usleep (1100 * 1000);
  g_autoptr (GBytes) second = wrap_to_file ("exif6.jpg", &o, "fixed2.dcm");
  g_assert_true (g_bytes_equal (first, second));

  assert_pydicom ("fixed.dcm",
    "assert ds.SOPInstanceUID == '1.2.826.0.1.3680043.10.1.9.3.7.1.1'\n"
    "assert ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID\n"
    "assert ds.StudyInstanceUID == '1.2.826.0.1.3680043.10.1.9.1.7'\n"
    "assert ds.SeriesInstanceUID == '1.2.826.0.1.3680043.10.1.9.2.7.1'\n"
    "assert (ds.StudyDate, ds.StudyTime) == ('20250313', '214012')\n"
    "assert ds.StudyDescription == 'Skin lesion photo — patient upload'\n"
    "assert ds.SeriesDescription == 'Back, new lesion — smartphone photo'\n"
    "assert ds.AccessionNumber == 'DEMO0007' and ds.StudyID == 'LB7'\n"
    "assert ds.SeriesNumber == 3 and ds.InstanceNumber == 12\n"
    "assert ds.AcquisitionDateTime == '20250313213958'\n"
    "assert (ds.AcquisitionDate, ds.AcquisitionTime) == ('20250313', '213958')\n"
    "assert (ds.ContentDate, ds.ContentTime) == ('20250313', '214001')\n"
    "assert (ds.InstanceCreationDate, ds.InstanceCreationTime) == ('20250313', '214012')\n"
    "assert ds.TimezoneOffsetFromUTC == '+0100'\n"
    "assert ds.Manufacturer == 'Patient smartphone'\n"
    "assert ds.ManufacturerModelName == 'Smartphone camera (patient-owned)'\n"
    "sw = list(ds.SoftwareVersions)\n"
    "assert sw[0] == 'Patient portal upload 3.2' and sw[1].startswith('Lightbox '), sw\n"
    "assert ds.IssuerOfPatientID == 'LIGHTBOX-DEMO'\n"
    "assert ds.BodyPartExamined == 'BACK'\n"
    "ar = ds.AnatomicRegionSequence[0]\n"
    "assert (ar.CodeValue, ar.CodingSchemeDesignator, ar.CodeMeaning) == ('77568009', 'SCT', 'Back')\n"
    "assert 'Laterality' not in ds and 'ImageLaterality' not in ds\n"
    "cn = ds.AcquisitionContextSequence[0].ConceptNameCodeSequence[0]\n"
    "assert (cn.CodeValue, cn.CodingSchemeDesignator) == ('PGHD', '99LBX')\n");
  assert_dciodvfy_clean ("fixed.dcm");

  g_autoptr (LbDicomObject) obj = parse (first);
  LbDicomMeta *m = lb_dicom_object_get_meta (obj);
  g_assert_true (m->patient_generated);
  g_assert_cmpstr (m->acquisition_datetime, ==, "20250313213958");
  g_assert_cmpint (m->series_number, ==, 3);
}

static void
test_acquisition_defaults (void)
{
  /* A given acquisition date-time (fraction and offset included) is the
   * default for the content date/time and a new study's date/time; the
   * ear is paired, so an unknown side is an empty Laterality. */
  LbWrapOptions o;
  init_options (&o);
  o.body_part = "EAR";
  o.laterality = NULL;
  o.acquisition_datetime = "20250312163211.25+0100";
  g_autoptr (GBytes) dicom = wrap_to_file ("plain.jpg", &o, "acq.dcm");
  assert_pydicom ("acq.dcm",
    "assert ds.AcquisitionDateTime == '20250312163211.25+0100'\n"
    "assert (ds.AcquisitionDate, ds.AcquisitionTime) == ('20250312', '163211.25')\n"
    "assert (ds.ContentDate, ds.ContentTime) == ('20250312', '163211.25')\n"
    "assert (ds.StudyDate, ds.StudyTime) == ('20250312', '163211.25')\n"
    "assert ds.SeriesNumber == 1 and ds.InstanceNumber == 1\n"
    "assert ds.Manufacturer == '' and 'ManufacturerModelName' not in ds\n"
    "assert ds.SoftwareVersions.startswith('Lightbox ')\n"
    "assert 'TimezoneOffsetFromUTC' not in ds and 'IssuerOfPatientID' not in ds\n"
    "assert ds.Laterality == '' and 'ImageLaterality' not in ds\n"
    "assert ds.AnatomicRegionSequence[0].CodeValue == '117590005'\n");
  assert_dciodvfy_clean ("acq.dcm");
}

static void
test_cli_fixed (void)
{
  const char *cli = g_getenv ("LIGHTBOX_CLI");
  g_assert_nonnull (cli);
  g_autofree char *photo = g_build_filename (tmpdir, "plain.jpg", NULL);
  g_autofree char *out1 = g_build_filename (tmpdir, "cli-fixed-1.dcm", NULL);
  g_autofree char *out2 = g_build_filename (tmpdir, "cli-fixed-2.dcm", NULL);
  const char *argv[] = { cli, "wrap", photo, "--out", out1, "--patient-id", "100234",
                         "--patient-name", "DOE^JANE", "--body-part", "FOREARM", "--laterality", "R",
                         "--study-uid", "1.2.826.0.1.3680043.10.1379.9.1.5",
                         "--series-uid", "1.2.826.0.1.3680043.10.1379.9.2.5.1",
                         "--sop-uid", "1.2.826.0.1.3680043.10.1379.9.3.5.1.1",
                         "--study-date", "20240912", "--study-time", "201533",
                         "--study-id", "LB5", "--series-description", "Right forearm naevus",
                         "--series-number", "2", "--instance-number", "4",
                         "--acquisition-datetime", "20240912201533",
                         "--content-date", "20240912", "--content-time", "201534",
                         "--creation-date", "20240912", "--creation-time", "201535",
                         "--timezone-offset", "-0500", "--manufacturer", "Patient smartphone",
                         "--model", "Phone 12", "--device-software", "Portal 3.2",
                         "--issuer-of-patient-id", "LIGHTBOX-DEMO", NULL };
  g_autofree char *uid = NULL;
  lb_test_run (argv, &uid, NULL, TRUE);
  g_assert_cmpstr (uid, ==, "1.2.826.0.1.3680043.10.1379.9.3.5.1.1\n");
  g_usleep (1100 * 1000);
  argv[4] = out2;
  lb_test_run (argv, NULL, NULL, TRUE);
  g_autoptr (GBytes) a = NULL, b = NULL;
  {
    char *d = NULL;
    gsize n = 0;
    g_assert_true (g_file_get_contents (out1, &d, &n, NULL));
    a = g_bytes_new_take (d, n);
    g_assert_true (g_file_get_contents (out2, &d, &n, NULL));
    b = g_bytes_new_take (d, n);
  }
  g_assert_true (g_bytes_equal (a, b));

  assert_pydicom ("cli-fixed-1.dcm",
    "assert ds.SOPInstanceUID == '1.2.826.0.1.3680043.10.1379.9.3.5.1.1'\n"
    "assert ds.SeriesInstanceUID == '1.2.826.0.1.3680043.10.1379.9.2.5.1'\n"
    "assert ds.StudyID == 'LB5' and ds.SeriesDescription == 'Right forearm naevus'\n"
    "assert ds.SeriesNumber == 2 and ds.InstanceNumber == 4\n"
    "assert ds.AcquisitionDateTime == '20240912201533'\n"
    "assert (ds.ContentDate, ds.ContentTime) == ('20240912', '201534')\n"
    "assert (ds.InstanceCreationDate, ds.InstanceCreationTime) == ('20240912', '201535')\n"
    "assert ds.TimezoneOffsetFromUTC == '-0500'\n"
    "assert ds.Manufacturer == 'Patient smartphone' and ds.ManufacturerModelName == 'Phone 12'\n"
    "assert list(ds.SoftwareVersions)[0] == 'Portal 3.2'\n"
    "assert ds.IssuerOfPatientID == 'LIGHTBOX-DEMO'\n"
    "assert ds.BodyPartExamined == 'FOREARM' and ds.ImageLaterality == 'R'\n"
    "assert ds.AnatomicRegionSequence[0].CodeValue == '14975008'\n");
  assert_dciodvfy_clean ("cli-fixed-1.dcm");

  /* A negative number is a usage error; a bad date is refused by the wrapper. */
  int status = 0;
  const char *negative[] = { cli, "wrap", photo, "--out", out2, "--patient-id", "1",
                             "--patient-name", "A^B", "--series-number", "-1", NULL };
  lb_test_run (negative, NULL, &status, FALSE);
  g_assert_cmpint (status, ==, 2);
  const char *bad_date[] = { cli, "wrap", photo, "--out", out2, "--patient-id", "1",
                             "--patient-name", "A^B", "--content-date", "20251301", NULL };
  lb_test_run (bad_date, NULL, &status, FALSE);
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

  /* The options for fixed values are checked too. */
  struct { const char **field; const char *value; } cases[] = {
    { &bad.sop_instance_uid, "1.2.3.abc" },
    { &bad.content_date, "2025-03-14" },
    { &bad.content_date, "20250230" },
    { &bad.creation_date, "2025031" },
    { &bad.content_time, "2461" },
    { &bad.creation_time, "246100" },
    { &bad.content_time, "120000." },
    { &bad.acquisition_datetime, "20250314" },
    { &bad.acquisition_datetime, "20250314120000+01" },
    { &bad.acquisition_datetime, "20250314120000.1234567" },
    { &bad.timezone_offset, "0100" },
    { &bad.timezone_offset, "+1600" },
    { &bad.study_id, "ABCDEFGHIJKLMNOPQ" },
    { &bad.manufacturer, "Acme\\Phones" },
    { &bad.model_name, "line\nbreak" },
    { &bad.device_software, "\xff\xfe" },
    { &bad.issuer_of_patient_id, "x\tx" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      bad = o;
      *cases[i].field = cases[i].value; /* a field of bad */
      expect_wrap_error (jpeg, &bad, LB_DICOM_ERROR_BAD_IMAGE);
    }
  bad = o;
  bad.series_number = 1u << 31;
  expect_wrap_error (jpeg, &bad, LB_DICOM_ERROR_BAD_IMAGE);
  bad = o;
  bad.instance_number = G_MAXUINT;
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
  g_test_add_func ("/dicom/wrap/fixed-values", test_fixed_values);
  g_test_add_func ("/dicom/wrap/acquisition-defaults", test_acquisition_defaults);
  g_test_add_func ("/dicom/wrap/cli-fixed", test_cli_fixed);
  g_test_add_func ("/dicom/wrap/bad-input", test_bad_input);
  g_test_add_func ("/dicom/wrap/uids", test_uids);
  g_test_add_func ("/dicom/wrap/gray16", test_gray16);

  int rc = g_test_run ();
  lb_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return rc;
}
