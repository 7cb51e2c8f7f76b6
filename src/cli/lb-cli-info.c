/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lightbox-cli info FILE: a DICOM object's metadata as JSON, read through
 * the same parser (and limits) as the app.
 */
#include "lb-config.h"

#include <json-glib/json-glib.h>

#include "lb-cli.h"
#include "lb-dicom.h"

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value ? value : "");
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_double (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

static void
add_bool (JsonBuilder *b, const char *name, gboolean value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

static void
add_lut (JsonBuilder *b, const char *name, const LbDicomLut *lut)
{
  json_builder_set_member_name (b, name);
  if (lut == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  add_int (b, "entries", lut->n_entries);
  add_int (b, "first_mapped", lut->first_mapped);
  add_int (b, "bits", lut->bits);
  add_string (b, "explanation", lut->explanation);
  json_builder_end_object (b);
}

static JsonNode *
meta_to_json (const LbDicomMeta *m)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "patient_name", m->patient_name);
  add_string (b, "patient_id", m->patient_id);
  add_string (b, "patient_birth_date", m->patient_birth_date);
  add_string (b, "patient_sex", m->patient_sex);
  add_string (b, "patient_comments", m->patient_comments);
  add_string (b, "study_uid", m->study_uid);
  add_string (b, "study_date", m->study_date);
  add_string (b, "study_time", m->study_time);
  add_string (b, "study_description", m->study_description);
  add_string (b, "accession_number", m->accession_number);
  add_string (b, "series_uid", m->series_uid);
  add_string (b, "series_description", m->series_description);
  add_int (b, "series_number", m->series_number);
  add_string (b, "modality", m->modality);
  add_string (b, "body_part", m->body_part);
  add_string (b, "laterality", m->laterality);
  add_string (b, "sop_class_uid", m->sop_class_uid);
  add_string (b, "sop_instance_uid", m->sop_instance_uid);
  add_int (b, "instance_number", m->instance_number);
  add_string (b, "content_date", m->content_date);
  add_string (b, "content_time", m->content_time);
  add_string (b, "acquisition_datetime", m->acquisition_datetime);
  add_string (b, "image_comments", m->image_comments);
  add_string (b, "transfer_syntax_uid", m->transfer_syntax_uid);
  add_bool (b, "patient_generated", m->patient_generated);
  add_int (b, "rows", m->rows);
  add_int (b, "columns", m->columns);
  add_int (b, "samples_per_pixel", m->samples_per_pixel);
  add_int (b, "bits_allocated", m->bits_allocated);
  add_int (b, "bits_stored", m->bits_stored);
  add_int (b, "high_bit", m->high_bit);
  add_bool (b, "pixel_signed", m->pixel_signed);
  add_string (b, "photometric", m->photometric);
  add_int (b, "planar_configuration", m->planar_configuration);
  add_int (b, "number_of_frames", m->number_of_frames);
  add_double (b, "frame_time_ms", m->frame_time_ms);
  add_bool (b, "has_pixel_data", m->has_pixel_data);
  add_double (b, "rescale_slope", m->rescale_slope);
  add_double (b, "rescale_intercept", m->rescale_intercept);
  add_string (b, "rescale_type", m->rescale_type);
  add_lut (b, "modality_lut", m->modality_lut);
  json_builder_set_member_name (b, "windows");
  json_builder_begin_array (b);
  for (guint i = 0; i < m->n_windows; i++)
    {
      json_builder_begin_object (b);
      add_double (b, "center", m->windows[i].center);
      add_double (b, "width", m->windows[i].width);
      add_string (b, "explanation", m->windows[i].explanation);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_string (b, "voi_function", m->voi_function == LB_VOI_FUNCTION_SIGMOID ? "SIGMOID"
                                 : m->voi_function == LB_VOI_FUNCTION_LINEAR_EXACT ? "LINEAR_EXACT"
                                 : "LINEAR");
  add_lut (b, "voi_lut", m->voi_lut);
  add_bool (b, "presentation_inverse", m->presentation_inverse);
  json_builder_set_member_name (b, "pixel_spacing");
  json_builder_begin_array (b);
  json_builder_add_double_value (b, m->pixel_spacing[0]);
  json_builder_add_double_value (b, m->pixel_spacing[1]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "imager_pixel_spacing");
  json_builder_begin_array (b);
  json_builder_add_double_value (b, m->imager_pixel_spacing[0]);
  json_builder_add_double_value (b, m->imager_pixel_spacing[1]);
  json_builder_end_array (b);
  add_int (b, "icc_profile_bytes", m->icc_profile ? (gint64) g_bytes_get_size (m->icc_profile) : 0);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
lb_cli_info (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILE — print a DICOM object's metadata as JSON");
  g_autoptr (GError) error = NULL;

  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("lightbox-cli info: %s\n", error ? error->message : "exactly one FILE expected");
      return 2;
    }

  g_autoptr (LbDicomObject) obj = lb_dicom_object_new_from_file (argv[1], NULL, &error);
  if (obj == NULL)
    {
      g_printerr ("lightbox-cli info: %s\n", error->message);
      return 1;
    }
  g_autoptr (JsonNode) root = meta_to_json (lb_dicom_object_get_meta (obj));
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  g_autofree char *text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
  return 0;
}
