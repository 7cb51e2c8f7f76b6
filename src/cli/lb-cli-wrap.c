/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lightbox-cli wrap PHOTO --out OUT.dcm ...: a patient's JPEG or PNG photo
 * as a VL Photographic Image, through the same code as the app's import.
 */
#include "lb-config.h"

#include <gio/gio.h>

#include "lb-cli.h"
#include "lb-dicom.h"

int
lb_cli_wrap (int argc, char **argv)
{
  g_autofree char *out = NULL, *patient_id = NULL, *patient_name = NULL, *birth_date = NULL;
  g_autofree char *sex = NULL, *body_part = NULL, *laterality = NULL, *study_uid = NULL;
  g_autofree char *study_date = NULL, *study_time = NULL, *study_description = NULL;
  g_autofree char *accession = NULL, *series_uid = NULL, *comment = NULL;
  g_autofree char *patient_comment = NULL, *uid_root = NULL;
  GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Where to write the DICOM file", "OUT.dcm" },
    { "patient-id", 0, 0, G_OPTION_ARG_STRING, &patient_id, "Patient ID (required)", "ID" },
    { "patient-name", 0, 0, G_OPTION_ARG_STRING, &patient_name, "Patient name, DICOM form (required)", "FAMILY^GIVEN" },
    { "birth-date", 0, 0, G_OPTION_ARG_STRING, &birth_date, "Patient's birth date", "YYYYMMDD" },
    { "sex", 0, 0, G_OPTION_ARG_STRING, &sex, "Patient's sex", "M|F|O" },
    { "body-part", 0, 0, G_OPTION_ARG_STRING, &body_part, "Body Part Examined defined term", "HAND" },
    { "laterality", 0, 0, G_OPTION_ARG_STRING, &laterality, "Image laterality", "L|R|B|U" },
    { "study-uid", 0, 0, G_OPTION_ARG_STRING, &study_uid, "Add to this study (default: a new one)", "UID" },
    { "study-date", 0, 0, G_OPTION_ARG_STRING, &study_date, "Study date (default: the photo's date for a new study)", "YYYYMMDD" },
    { "study-time", 0, 0, G_OPTION_ARG_STRING, &study_time, "Study time", "HHMMSS" },
    { "study-description", 0, 0, G_OPTION_ARG_STRING, &study_description, "Study description", "TEXT" },
    { "accession", 0, 0, G_OPTION_ARG_STRING, &accession, "Accession number", "NUMBER" },
    { "series-uid", 0, 0, G_OPTION_ARG_STRING, &series_uid, "Add to this series (default: a new one)", "UID" },
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, "The patient's note about the photo (Image Comments)", "TEXT" },
    { "patient-comment", 0, 0, G_OPTION_ARG_STRING, &patient_comment, "Patient Comments", "TEXT" },
    { "uid-root", 0, 0, G_OPTION_ARG_STRING, &uid_root, "Root for new UIDs (default: 2.25 UUID UIDs)", "ROOT" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("PHOTO — wrap a JPEG or PNG photo as a VL Photographic Image");
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2 || out == NULL ||
      patient_id == NULL || patient_name == NULL)
    {
      g_printerr ("lightbox-cli wrap: %s\n",
                  error ? error->message : "PHOTO, --out, --patient-id and --patient-name are required");
      return 2;
    }

  g_autoptr (GFile) file = g_file_new_for_commandline_arg (argv[1]);
  g_autoptr (GBytes) photo = g_file_load_bytes (file, NULL, NULL, &error);
  if (photo == NULL)
    {
      g_printerr ("lightbox-cli wrap: %s\n", error->message);
      return 1;
    }

  LbWrapOptions options;
  lb_wrap_options_init (&options);
  options.patient_id = patient_id;
  options.patient_name = patient_name;
  options.patient_birth_date = birth_date;
  options.patient_sex = sex;
  options.body_part = body_part;
  options.laterality = laterality;
  options.study_uid = study_uid;
  options.study_date = study_date;
  options.study_time = study_time;
  options.study_description = study_description;
  options.accession_number = accession;
  options.series_uid = series_uid;
  options.image_comments = comment;
  options.patient_comments = patient_comment;
  options.uid_root = uid_root;

  g_autoptr (GBytes) dicom = lb_dicom_wrap_photo (photo, &options, &error);
  if (dicom == NULL)
    {
      g_printerr ("lightbox-cli wrap: %s\n", error->message);
      return 1;
    }
  gsize len = 0;
  const char *data = g_bytes_get_data (dicom, &len);
  if (!g_file_set_contents (out, data, (gssize) len, &error))
    {
      g_printerr ("lightbox-cli wrap: %s\n", error->message);
      return 1;
    }
  g_autoptr (LbDicomObject) obj = lb_dicom_object_new_from_bytes (dicom, NULL, NULL);
  g_print ("%s\n", obj ? lb_dicom_object_get_meta (obj)->sop_instance_uid : "");
  return 0;
}
