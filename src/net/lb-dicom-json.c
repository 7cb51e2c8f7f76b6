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
          /* PN (PS3.18 F.2.2): an object of component groups. */
          JsonNode *alpha = json_object_get_member (json_node_get_object (v), "Alphabetic");
          if (alpha != NULL && JSON_NODE_HOLDS_VALUE (alpha) &&
              json_node_get_value_type (alpha) == G_TYPE_STRING)
            g_string_append (out, json_node_get_string (alpha));
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

/* json-glib parses recursively: refuse absurd nesting before it does, so
 * a hostile "[[[[…" cannot exhaust the stack. DICOM JSON needs about four
 * levels per sequence depth. */
#define MAX_JSON_DEPTH 128

static gboolean
check_depth (const char *data,
             gsize       length)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

/**
 * lb_dicom_json_parse_datasets:
 * @data: (array length=length): a DICOM JSON body
 * @length: its length; 0 means an empty body (HTTP 204), which is no datasets
 * @allow_object: whether a lone dataset (not in an array) is accepted
 * @error: return location for an %LB_NET_ERROR_BAD_RESPONSE error
 *
 * Parses a DICOM JSON array of datasets (PS3.18 F.2) after checking that
 * it is UTF-8 and not absurdly nested. Non-object elements are skipped.
 *
 * Returns: (transfer full) (element-type JsonObject): the datasets
 */
GPtrArray *
lb_dicom_json_parse_datasets (const char  *data,
                              gsize        length,
                              gboolean     allow_object,
                              GError     **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GPtrArray) datasets = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;

  if (length == 0)
    return g_steal_pointer (&datasets);
  /* PS3.18 F.2: DICOM JSON is always UTF-8, whatever the character set of
   * the stored object. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                           "The archive sent JSON that is not valid UTF-8");
      return NULL;
    }
  if (!check_depth (data, length))
    {
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                   "The archive sent JSON nested deeper than %d levels", MAX_JSON_DEPTH);
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                   "The archive sent a reply that is not valid JSON: %s",
                   local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root != NULL && allow_object && JSON_NODE_HOLDS_OBJECT (root))
    {
      g_ptr_array_add (datasets, json_object_ref (json_node_get_object (root)));
      return g_steal_pointer (&datasets);
    }
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                           "The archive sent JSON that is not an array of datasets");
      return NULL;
    }
  {
    JsonArray *array = json_node_get_array (root);
    guint n = json_array_get_length (array);

    for (guint i = 0; i < n; i++)
      {
        JsonNode *node = json_array_get_element (array, i);
        if (JSON_NODE_HOLDS_OBJECT (node))
          g_ptr_array_add (datasets, json_object_ref (json_node_get_object (node)));
      }
  }
  return g_steal_pointer (&datasets);
}

/**
 * lb_dicom_json_get_sequence:
 * @dataset: a DICOM JSON dataset object
 * @tag: the tag of an SQ attribute
 *
 * Returns: (transfer none) (nullable): the items (objects), or %NULL
 */
JsonArray *
lb_dicom_json_get_sequence (JsonObject *dataset,
                            guint32     tag)
{
  return value_array (dataset, tag);
}

/**
 * lb_dicom_json_datasets_to_studies:
 * @datasets: (element-type JsonObject): QIDO-RS study results
 * @error: return location for an %LB_NET_ERROR_BAD_RESPONSE error
 *
 * Returns: (transfer full) (element-type LbStudy): the studies
 */
GPtrArray *
lb_dicom_json_datasets_to_studies (GPtrArray  *datasets,
                                   GError    **error)
{
  g_autoptr (GPtrArray) studies = g_ptr_array_new_full (datasets->len, g_object_unref);

  for (guint i = 0; i < datasets->len; i++)
    {
      LbStudy *study = lb_dicom_json_to_study (datasets->pdata[i], error);
      if (study == NULL)
        return NULL;
      g_ptr_array_add (studies, study);
    }
  return g_steal_pointer (&studies);
}

/**
 * lb_dicom_json_parse_studies:
 * @data: a QIDO-RS response body (a JSON array of datasets)
 * @length: its length (0 for an empty, 204, reply)
 * @error: return location for an %LB_NET_ERROR_BAD_RESPONSE error
 *
 * Returns: (transfer full) (element-type LbStudy): the studies
 */
GPtrArray *
lb_dicom_json_parse_studies (const char  *data,
                             gsize        length,
                             GError     **error)
{
  g_autoptr (GPtrArray) datasets = lb_dicom_json_parse_datasets (data, length, FALSE, error);

  if (datasets == NULL)
    return NULL;
  return lb_dicom_json_datasets_to_studies (datasets, error);
}

static void
add_element (JsonBuilder *b, const char *tag, const char *vr, const char *value, gboolean pn)
{
  if (value == NULL || value[0] == '\0')
    return;
  json_builder_set_member_name (b, tag);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "vr");
  json_builder_add_string_value (b, vr);
  json_builder_set_member_name (b, "Value");
  json_builder_begin_array (b);
  if (pn)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "Alphabetic");
      json_builder_add_string_value (b, value);
      json_builder_end_object (b);
    }
  else
    {
      g_auto (GStrv) values = g_strsplit (value, "\\", -1);
      for (guint i = 0; values[i] != NULL; i++)
        json_builder_add_string_value (b, values[i]);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/**
 * lb_dicom_json_study_to_string:
 *
 * The study as a DICOM JSON dataset (PS3.18 F.2), as a QIDO-RS reply would
 * carry it: what the local worklist cache keeps, read back by
 * lb_dicom_json_study_from_string().
 *
 * Returns: (transfer full): the JSON text
 */
char *
lb_dicom_json_study_to_string (LbStudy *study)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *n_series = g_strdup_printf ("%u", lb_study_get_n_series (study));
  g_autofree char *n_instances = g_strdup_printf ("%u", lb_study_get_n_instances (study));

  g_return_val_if_fail (LB_IS_STUDY (study), NULL);

  json_builder_begin_object (b);
  add_element (b, "0020000D", "UI", lb_study_get_study_uid (study), FALSE);
  add_element (b, "00100010", "PN", lb_study_get_patient_name (study), TRUE);
  add_element (b, "00100020", "LO", lb_study_get_patient_id (study), FALSE);
  add_element (b, "00100030", "DA", lb_study_get_patient_birth_date (study), FALSE);
  add_element (b, "00080020", "DA", lb_study_get_study_date (study), FALSE);
  add_element (b, "00080030", "TM", lb_study_get_study_time (study), FALSE);
  add_element (b, "00081030", "LO", lb_study_get_description (study), FALSE);
  add_element (b, "00080050", "SH", lb_study_get_accession_number (study), FALSE);
  add_element (b, "00080061", "CS", lb_study_get_modalities (study), FALSE);
  add_element (b, "00201206", "IS", n_series, FALSE);
  add_element (b, "00201208", "IS", n_instances, FALSE);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

LbStudy *
lb_dicom_json_study_from_string (const char  *json,
                                 GError     **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                   "A cached worklist row is not valid JSON: %s", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                           "A cached worklist row is not a DICOM JSON dataset");
      return NULL;
    }
  return lb_dicom_json_to_study (json_node_get_object (root), error);
}
