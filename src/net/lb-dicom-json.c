/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-dicom-json.h"

#include "lb-net-error.h"

G_DEFINE_QUARK (lb-net-error-quark, lb_net_error)

static JsonArray *
value_array (JsonObject *dataset,
             guint32     tag)
{
  char key[9];
  JsonNode *node;
  JsonObject *element;

  g_snprintf (key, sizeof key, "%08X", tag);
  node = json_object_get_member (dataset, key);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  element = json_node_get_object (node);
  node = json_object_get_member (element, "Value");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

/**
 * lb_dicom_json_get_string:
 * @dataset: a DICOM JSON dataset object
 * @tag: the attribute tag
 *
 * Reads an attribute as text, whatever the archive sent: strings, numbers
 * (IS/DS may arrive as either), or a PN object (the Alphabetic group).
 * Multiple values are joined with a backslash, as in DICOM.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL if absent or empty
 */
char *
lb_dicom_json_get_string (JsonObject *dataset,
                          guint32     tag)
{
  JsonArray *values = value_array (dataset, tag);
  g_autoptr (GString) out = NULL;
  guint n;

  if (values == NULL || (n = json_array_get_length (values)) == 0)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *v = json_array_get_element (values, i);

      if (i > 0)
        g_string_append_c (out, '\\');
      if (JSON_NODE_HOLDS_VALUE (v))
        {
          GType t = json_node_get_value_type (v);
          if (t == G_TYPE_STRING)
            g_string_append (out, json_node_get_string (v));
          else if (t == G_TYPE_INT64)
            g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (v));
          else if (t == G_TYPE_DOUBLE)
            {
              char buf[G_ASCII_DTOSTR_BUF_SIZE];
              g_string_append (out, g_ascii_dtostr (buf, sizeof buf, json_node_get_double (v)));
            }
        }
      else if (JSON_NODE_HOLDS_OBJECT (v))
        {
          JsonObject *pn = json_node_get_object (v);
          const char *alpha = json_object_get_string_member_with_default (pn, "Alphabetic", NULL);
          if (alpha != NULL)
            g_string_append (out, alpha);
        }
    }
  if (out->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
lb_dicom_json_get_int (JsonObject *dataset,
                       guint32     tag,
                       gint64     *out)
{
  g_autofree char *text = lb_dicom_json_get_string (dataset, tag);
  char *end = NULL;
  gint64 v;

  if (text == NULL)
    return FALSE;
  /* First value only; IS may carry spaces. */
  g_strstrip (text);
  v = g_ascii_strtoll (text, &end, 10);
  if (end == text)
    return FALSE;
  *out = v;
  return TRUE;
}

LbStudy *
lb_dicom_json_to_study (JsonObject  *dataset,
                        GError     **error)
{
  g_autofree char *uid = lb_dicom_json_get_string (dataset, 0x0020000D);
  LbStudy *study;
  gint64 n;

  if (uid == NULL)
    {
      g_set_error_literal (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                           "The archive listed a study without a Study Instance UID");
      return NULL;
    }

  study = lb_study_new (uid);
#define TAKE(setter, tag) G_STMT_START { \
    g_autofree char *s_ = lb_dicom_json_get_string (dataset, tag); \
    setter (study, s_); \
  } G_STMT_END
  TAKE (lb_study_set_patient_name, 0x00100010);
  TAKE (lb_study_set_patient_id, 0x00100020);
  TAKE (lb_study_set_patient_birth_date, 0x00100030);
  TAKE (lb_study_set_study_date, 0x00080020);
  TAKE (lb_study_set_study_time, 0x00080030);
  TAKE (lb_study_set_description, 0x00081030);
  TAKE (lb_study_set_accession_number, 0x00080050);
  TAKE (lb_study_set_modalities, 0x00080061);
#undef TAKE
  if (lb_dicom_json_get_int (dataset, 0x00201206, &n) && n >= 0)
    lb_study_set_n_series (study, (guint) MIN (n, G_MAXUINT));
  if (lb_dicom_json_get_int (dataset, 0x00201208, &n) && n >= 0)
    lb_study_set_n_instances (study, (guint) MIN (n, G_MAXUINT));
  return study;
}

/**
 * lb_dicom_json_parse_studies:
 * @data: a QIDO-RS response body (a JSON array of datasets)
 * @length: its length, or -1 if nul-terminated
 *
 * Returns: (transfer full) (element-type LbStudy): the studies
 */
GPtrArray *
lb_dicom_json_parse_studies (const char  *data,
                             gsize        length,
                             GError     **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GPtrArray) studies = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;
  JsonArray *array;

  if (length == 0)
    return g_steal_pointer (&studies);

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                   "The archive sent a study list that is not valid JSON: %s",
                   local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                           "The archive sent a study list that is not a JSON array");
      return NULL;
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      LbStudy *study;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      study = lb_dicom_json_to_study (json_node_get_object (node), error);
      if (study == NULL)
        return NULL;
      g_ptr_array_add (studies, study);
    }
  return g_steal_pointer (&studies);
}
