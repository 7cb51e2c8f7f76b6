/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Review decisions as Key Object Selection documents: what we write must
 * pass dicom3tools' dciodvfy and read back in pydicom and in our reader.
 */
#include "lb-dicom.h"
#include "lb-test-utils.h"

#include <string.h>

static const LbKosReference refs[] = {
  { "1.2.840.10008.5.1.4.1.1.77.1.4", "1.2.826.0.1.3680043.10.1379.9.1.3.1", "1.2.826.0.1.3680043.10.1379.9.1.3", NULL, NULL },
  { "1.2.840.10008.5.1.4.1.1.77.1.4", "1.2.826.0.1.3680043.10.1379.9.1.3.2", "1.2.826.0.1.3680043.10.1379.9.1.3", NULL, NULL },
};

static LbKosOptions
reject_options (void)
{
  LbKosOptions o = { 0 };

  o.title = LB_KOS_TITLE_REJECTED_QUALITY;
  o.reason_code = "111210";
  o.reason_meaning = "Motion blur";
  o.description = "Rejected: the photo is blurred";
  o.observer_name = "NURSE^ANNA";
  o.patient_name = "DOE^JANE";
  o.patient_id = "100234";
  o.patient_birth_date = "19620411";
  o.patient_sex = "F";
  o.study_uid = "1.2.826.0.1.3680043.10.1379.9.1";
  o.study_date = "20261101";
  o.study_time = "091500";
  o.study_id = "1";
  o.accession_number = "ACC0001";
  o.references = refs;
  o.n_references = G_N_ELEMENTS (refs);
  return o;
}

static char *
write_tmp (GBytes *bytes, char **dir_out)
{
  char *dir = lb_test_make_tmpdir ();
  char *path = g_build_filename (dir, "kos.dcm", NULL);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  *dir_out = dir;
  return path;
}

static void
test_reject_round_trip (void)
{
  LbKosOptions o = reject_options ();
  g_autoptr (GError) error = NULL;
  g_autofree char *uid = NULL;
  g_autoptr (GBytes) bytes = lb_dicom_kos_build (&o, &uid, &error);
  g_autoptr (LbKosInfo) info = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  g_assert_true (g_str_has_prefix (uid, "1.2.826.0.1.3680043.10.1379."));

  info = lb_dicom_kos_parse (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->title, ==, LB_KOS_TITLE_REJECTED_QUALITY);
  g_assert_cmpstr (info->title_code, ==, "113001");
  g_assert_cmpstr (info->reason_code, ==, "111210");
  g_assert_cmpstr (info->reason_meaning, ==, "Motion blur");
  g_assert_cmpstr (info->description, ==, "Rejected: the photo is blurred");
  g_assert_cmpstr (info->observer_name, ==, "NURSE^ANNA");
  g_assert_cmpstr (info->study_uid, ==, o.study_uid);
  g_assert_cmpstr (info->sop_instance_uid, ==, uid);
  /* A new series, not one of the images' series. */
  g_assert_cmpstr (info->series_uid, !=, refs[0].series_uid);
  g_assert_cmpuint (g_strv_length (info->referenced_instances), ==, 2);
  g_assert_cmpstr (info->referenced_instances[1], ==, refs[1].sop_instance_uid);
}

static void
test_conformance (void)
{
  const LbKosTitle kinds[] = { LB_KOS_TITLE_OF_INTEREST, LB_KOS_TITLE_REJECTED_QUALITY,
                               LB_KOS_TITLE_REJECTED_PATIENT_SAFETY, LB_KOS_TITLE_QUALITY_ISSUE,
                               LB_KOS_TITLE_FOR_PATIENT };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      LbKosOptions o = reject_options ();
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) bytes = NULL;
      g_autofree char *dir = NULL, *path = NULL, *out = NULL, *script = NULL, *py = NULL;
      const char *dciodvfy[] = { "dciodvfy", "-new", NULL, NULL };
      g_autofree char *py_out = NULL;
      int status = 0;

      o.title = kinds[k];
      if (kinds[k] == LB_KOS_TITLE_OF_INTEREST || kinds[k] == LB_KOS_TITLE_FOR_PATIENT)
        o.reason_code = NULL;
      bytes = lb_dicom_kos_build (&o, NULL, &error);
      g_assert_no_error (error);
      path = write_tmp (bytes, &dir);

      /* dciodvfy writes its findings on stderr; no line may be an Error. */
      dciodvfy[2] = path;
      {
        g_autofree char *err = NULL;
        g_autoptr (GError) spawn_error = NULL;
        g_assert_true (g_spawn_sync (NULL, (char **) dciodvfy, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                     &out, &err, &status, &spawn_error));
        g_test_message ("dciodvfy: %s", err);
        g_assert_null (strstr (err, "Error"));
        g_assert_nonnull (strstr (err, "KeyObjectSelectionDocument"));
      }

      /* An independent reader: pydicom. */
      script = g_strdup_printf (
        "import pydicom\n"
        "ds = pydicom.dcmread(%s)\n"
        "assert ds.Modality == 'KO', ds.Modality\n"
        "assert ds.StudyInstanceUID == '%s'\n"
        "ev = ds.CurrentRequestedProcedureEvidenceSequence[0]\n"
        "sops = [s.ReferencedSOPInstanceUID for se in ev.ReferencedSeriesSequence for s in se.ReferencedSOPSequence]\n"
        "assert sops == ['%s', '%s'], sops\n"
        "assert ds.ContentTemplateSequence[0].TemplateIdentifier == '2010'\n"
        "print(ds.ConceptNameCodeSequence[0].CodeValue)\n",
        "'" "%s" "'", o.study_uid, refs[0].sop_instance_uid, refs[1].sop_instance_uid);
      py = g_strdup_printf (script, path);
      {
        const char *argv[] = { "/usr/bin/python3", "-c", py, NULL };
        lb_test_run (argv, &py_out, &status, TRUE);
      }
      g_assert_cmpint (status, ==, 0);
      g_strstrip (py_out);
      {
        g_autoptr (LbKosInfo) info = lb_dicom_kos_parse (bytes, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (py_out, ==, info->title_code);
        g_assert_cmpint (info->title, ==, kinds[k]);
      }
      lb_test_remove_tree (dir);
    }
}

static void
test_bad_input (void)
{
  LbKosOptions o = reject_options ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) garbage = g_bytes_new_static ("DICM but not really a file at all, just text............"
                                                   "....................................................."
                                                   "....................................................", 160);
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  LbKosInfo *info;

  o.n_references = 0;
  g_assert_null (lb_dicom_kos_build (&o, NULL, &error));
  g_assert_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED);
  g_clear_error (&error);

  info = lb_dicom_kos_parse (empty, &error);
  g_assert_null (info);
  g_assert_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_NOT_DICOM);
  g_clear_error (&error);

  info = lb_dicom_kos_parse (garbage, &error);
  g_assert_null (info);
  g_assert_nonnull (error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dicom/kos/reject-round-trip", test_reject_round_trip);
  g_test_add_func ("/dicom/kos/conformance", test_conformance);
  g_test_add_func ("/dicom/kos/bad-input", test_bad_input);
  return g_test_run ();
}
