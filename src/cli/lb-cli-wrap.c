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
  g_autofree char *sop_uid = NULL, *series_description = NULL, *study_id = NULL;
  g_autofree char *acquisition_datetime = NULL, *content_date = NULL, *content_time = NULL;
  g_autofree char *creation_date = NULL, *creation_time = NULL, *timezone_offset = NULL;
  g_autofree char *manufacturer = NULL, *model = NULL, *device_software = NULL;
  g_autofree char *issuer = NULL;
  int series_number = 0, instance_number = 0;
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
  /* Everything a reproducible caller (tools/make-demo-data) needs: with
   * all UIDs, dates and times given, no clock or random value is used. */
  GOptionEntry fixed_entries[] = {
    { "sop-uid", 0, 0, G_OPTION_ARG_STRING, &sop_uid, "SOP Instance UID (default: a new one)", "UID" },
    { "study-id", 0, 0, G_OPTION_ARG_STRING, &study_id, "Study ID", "ID" },
    { "series-description", 0, 0, G_OPTION_ARG_STRING, &series_description, "Series description", "TEXT" },
    { "series-number", 0, 0, G_OPTION_ARG_INT, &series_number, "Series Number (default 1)", "N" },
    { "instance-number", 0, 0, G_OPTION_ARG_INT, &instance_number, "Instance Number (default 1)", "N" },
    { "acquisition-datetime", 0, 0, G_OPTION_ARG_STRING, &acquisition_datetime, "When the photo was taken (default: EXIF DateTimeOriginal)", "YYYYMMDDHHMMSS" },
    { "content-date", 0, 0, G_OPTION_ARG_STRING, &content_date, "Content Date (default: the acquisition date, else today)", "YYYYMMDD" },
    { "content-time", 0, 0, G_OPTION_ARG_STRING, &content_time, "Content Time (default: the acquisition time, else now)", "HHMMSS" },
    { "creation-date", 0, 0, G_OPTION_ARG_STRING, &creation_date, "Instance Creation Date (default: today)", "YYYYMMDD" },
    { "creation-time", 0, 0, G_OPTION_ARG_STRING, &creation_time, "Instance Creation Time (default: now)", "HHMMSS" },
    { "timezone-offset", 0, 0, G_OPTION_ARG_STRING, &timezone_offset, "Timezone Offset From UTC of the dates and times", "+HHMM" },
    { "manufacturer", 0, 0, G_OPTION_ARG_STRING, &manufacturer, "Manufacturer of the device that took the photo", "TEXT" },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, "Manufacturer's Model Name of that device", "TEXT" },
    { "device-software", 0, 0, G_OPTION_ARG_STRING, &device_software, "Its software (Software Versions, before Lightbox's)", "TEXT" },
    { "issuer-of-patient-id", 0, 0, G_OPTION_ARG_STRING, &issuer, "Issuer of Patient ID", "TEXT" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("PHOTO — wrap a JPEG or PNG photo as a VL Photographic Image");
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_main_entries (ctx, fixed_entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2 || out == NULL ||
      patient_id == NULL || patient_name == NULL)
    {
      g_printerr ("lightbox-cli wrap: %s\n",
                  error ? error->message : "PHOTO, --out, --patient-id and --patient-name are required");
      return 2;
    }
  if (series_number < 0 || instance_number < 0)
    {
      g_printerr ("lightbox-cli wrap: --series-number and --instance-number must be positive\n");
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
  options.sop_instance_uid = sop_uid;
  options.study_id = study_id;
  options.series_description = series_description;
  options.series_number = (guint) series_number;
  options.instance_number = (guint) instance_number;
  options.acquisition_datetime = acquisition_datetime;
  options.content_date = content_date;
  options.content_time = content_time;
  options.creation_date = creation_date;
  options.creation_time = creation_time;
  options.timezone_offset = timezone_offset;
  options.manufacturer = manufacturer;
  options.model_name = model;
  options.device_software = device_software;
  options.issuer_of_patient_id = issuer;

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
