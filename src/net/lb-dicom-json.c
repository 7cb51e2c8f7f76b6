/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-dicom-json.h"

#include "lb-net-error.h"

#include <errno.h>
#include <math.h>
#include <string.h>

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

/* IS text to a number the way lb_dicom_json_get_int() reads it: the first
 * value only, surrounding spaces allowed (PS3.5 6.2, IS). Strips @text. */
static gboolean
parse_is (char   *text,
          gint64 *out)
{
  char *end = NULL;
  gint64 v;

  if (text == NULL)
    return FALSE;
  g_strstrip (text);
  v = g_ascii_strtoll (text, &end, 10);
  if (end == text)
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
lb_dicom_json_get_int (JsonObject *dataset,
                       guint32     tag,
                       gint64     *out)
{
  g_autofree char *text = lb_dicom_json_get_string (dataset, tag);

  return parse_is (text, out);
}

static guint
count_of (char *text)
{
  gint64 n;

  if (parse_is (text, &n) && n >= 0)
    return (guint) MIN (n, G_MAXUINT);
  return 0;
}

LbStudy *
lb_dicom_json_to_study (JsonObject  *dataset,
                        GError     **error)
{
  g_auto (LbStudyAttributes) a = { NULL };
  g_autofree char *n_series = NULL;
  g_autofree char *n_instances = NULL;

  a.study_uid = lb_dicom_json_get_string (dataset, 0x0020000D);
  if (a.study_uid == NULL)
    {
      g_set_error_literal (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                           "The archive listed a study without a Study Instance UID");
      return NULL;
    }
  a.patient_name = lb_dicom_json_get_string (dataset, 0x00100010);
  a.patient_id = lb_dicom_json_get_string (dataset, 0x00100020);
  a.patient_birth_date = lb_dicom_json_get_string (dataset, 0x00100030);
  a.study_date = lb_dicom_json_get_string (dataset, 0x00080020);
  a.study_time = lb_dicom_json_get_string (dataset, 0x00080030);
  a.description = lb_dicom_json_get_string (dataset, 0x00081030);
  a.accession_number = lb_dicom_json_get_string (dataset, 0x00080050);
  a.modalities = lb_dicom_json_get_string (dataset, 0x00080061);
  n_series = lb_dicom_json_get_string (dataset, 0x00201206);
  n_instances = lb_dicom_json_get_string (dataset, 0x00201208);
  a.n_series = count_of (n_series);
  a.n_instances = count_of (n_instances);
  return lb_study_new_take (&a);
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
 * lb_dicom_json_parse_studies_reference:
 * @data: a QIDO-RS response body (a JSON array of datasets)
 * @length: its length (0 for an empty, 204, reply)
 * @error: return location for an %LB_NET_ERROR_BAD_RESPONSE error
 *
 * The study list read through a json-glib tree: slow, but the reference
 * that lb_dicom_json_parse_studies() falls back to and is tested against.
 *
 * Returns: (transfer full) (element-type LbStudy): the studies
 */
GPtrArray *
lb_dicom_json_parse_studies_reference (const char  *data,
                                       gsize        length,
                                       GError     **error)
{
  g_autoptr (GPtrArray) datasets = lb_dicom_json_parse_datasets (data, length, FALSE, error);

  if (datasets == NULL)
    return NULL;
  return lb_dicom_json_datasets_to_studies (datasets, error);
}

/* ---- The study-list scanner ------------------------------------------
 *
 * A worklist of 10,000 studies must be read and modelled in 300 ms
 * (DESIGN.md, "Performance budgets"); a json-glib tree alone takes about
 * that. So QIDO-RS study replies are read by a single pass over the bytes
 * that keeps only the attributes a study row needs and builds the LbStudy
 * objects directly.
 *
 * The scanner accepts strict JSON (RFC 8259) only, and gives up — returns
 * FALSE, nothing decided — on anything whose meaning it does not share
 * with json-glib: syntax json-glib tolerates (comments, single quotes,
 * hex), integers beyond 18 digits, floats out of range, lone surrogates,
 * U+0000, nesting beyond MAX_JSON_DEPTH, invalid UTF-8, a study without a
 * UID. The caller then runs the json-glib reference, which produces the
 * result or the exact error it always did. On what the scanner accepts,
 * every field equals the reference's (tests/net/test-dicom-json.c and the
 * fuzz target check it). */

enum {
  F_STUDY_UID,
  F_PATIENT_NAME,
  F_PATIENT_ID,
  F_PATIENT_BIRTH_DATE,
  F_STUDY_DATE,
  F_STUDY_TIME,
  F_DESCRIPTION,
  F_ACCESSION_NUMBER,
  F_MODALITIES,
  F_N_SERIES,
  F_N_INSTANCES,
  N_FIELDS
};

/* The Study Root attributes of a worklist row, PS3.4 C.6.2.1.2. */
static const char field_tags[N_FIELDS][9] = {
  [F_STUDY_UID] = "0020000D",
  [F_PATIENT_NAME] = "00100010",
  [F_PATIENT_ID] = "00100020",
  [F_PATIENT_BIRTH_DATE] = "00100030",
  [F_STUDY_DATE] = "00080020",
  [F_STUDY_TIME] = "00080030",
  [F_DESCRIPTION] = "00081030",
  [F_ACCESSION_NUMBER] = "00080050",
  [F_MODALITIES] = "00080061",
  [F_N_SERIES] = "00201206",
  [F_N_INSTANCES] = "00201208",
};

typedef struct {
  const char *p;
  const char *end;
  guint depth;
  GString *text;   /* a string with escapes, decoded */
  GString *value;  /* the joined values of the attribute being read */
  GString *alpha;  /* the Alphabetic group of a PN value */
  char *fields[N_FIELDS];
} Scan;

static void
scan_clear_fields (Scan *s)
{
  for (guint i = 0; i < N_FIELDS; i++)
    g_clear_pointer (&s->fields[i], g_free);
}

static inline gboolean
peek (Scan  *s,
      char  *c)
{
  /* RFC 8259 section 2: the four whitespace characters, nothing else. */
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
  if (s->p == s->end)
    return FALSE;
  *c = *s->p;
  return TRUE;
}

static inline gboolean
expect (Scan *s,
        char  want)
{
  char c;

  if (!peek (s, &c) || c != want)
    return FALSE;
  s->p++;
  return TRUE;
}

/* After a member or an element: TRUE with *more set on ',', clear on the
 * closing @close. */
static inline gboolean
next_item (Scan     *s,
           char      close,
           gboolean *more)
{
  char c;

  if (!peek (s, &c))
    return FALSE;
  s->p++;
  *more = c == ',';
  return c == ',' || c == close;
}

static inline gboolean
enter (Scan *s)
{
  s->p++;
  return ++s->depth <= MAX_JSON_DEPTH;
}

static int
hex4 (const char *q)
{
  int v = 0;

  for (guint i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (q[i]);
      if (d < 0)
        return -1;
      v = v << 4 | d;
    }
  return v;
}

/* The string at s->p (an opening quote) as *str, *len: a span of the input
 * when it has no escapes, else decoded into s->text. Valid until the next
 * string is read. */
static gboolean
scan_string (Scan        *s,
             const char **str,
             gsize       *len)
{
  const char *start = s->p + 1;
  const char *q = start;
  gboolean ascii = TRUE;

  for (;;)
    {
      guchar c;

      if (q == s->end)
        return FALSE;
      c = *q;
      if (c == '"')
        break;
      if (c == '\\')
        goto escapes;
      if (c < 0x20)
        return FALSE;
      if (c >= 0x80)
        ascii = FALSE;
      q++;
    }
  /* PS3.18 F.2: DICOM JSON is UTF-8. Outside strings only ASCII is valid
   * JSON, so checking strings checks the whole reply. */
  if (!ascii && !g_utf8_validate_len (start, q - start, NULL))
    return FALSE;
  *str = start;
  *len = q - start;
  s->p = q + 1;
  return TRUE;

escapes:
  g_string_truncate (s->text, 0);
  g_string_append_len (s->text, start, q - start);
  for (;;)
    {
      const char *run = q;
      int cp;

      while (q < s->end && *q != '"' && *q != '\\' && (guchar) *q >= 0x20)
        {
          if ((guchar) *q >= 0x80)
            ascii = FALSE;
          q++;
        }
      g_string_append_len (s->text, run, q - run);
      if (q == s->end || (guchar) *q < 0x20)
        return FALSE;
      if (*q == '"')
        break;
      if (s->end - q < 2)
        return FALSE;
      q += 2;
      switch (q[-1])
        {
        case '"': g_string_append_c (s->text, '"'); continue;
        case '\\': g_string_append_c (s->text, '\\'); continue;
        case '/': g_string_append_c (s->text, '/'); continue;
        case 'b': g_string_append_c (s->text, '\b'); continue;
        case 'f': g_string_append_c (s->text, '\f'); continue;
        case 'n': g_string_append_c (s->text, '\n'); continue;
        case 'r': g_string_append_c (s->text, '\r'); continue;
        case 't': g_string_append_c (s->text, '\t'); continue;
        case 'u': break;
        default: return FALSE;
        }
      if (s->end - q < 4 || (cp = hex4 (q)) < 0)
        return FALSE;
      q += 4;
      /* json-glib cuts a string at U+0000 and refuses lone surrogates:
       * leave both to it. A pair is one code point (RFC 8259 section 7). */
      if (cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
        return FALSE;
      if (cp >= 0xD800 && cp <= 0xDBFF)
        {
          int lo;

          if (s->end - q < 6 || q[0] != '\\' || q[1] != 'u' ||
              (lo = hex4 (q + 2)) < 0xDC00 || lo > 0xDFFF)
            return FALSE;
          q += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
      g_string_append_unichar (s->text, cp);
    }
  if (!ascii && !g_utf8_validate_len (start, q - start, NULL))
    return FALSE;
  *str = s->text->str;
  *len = s->text->len;
  s->p = q + 1;
  return TRUE;
}

/* A number at s->p; appended to @out (if not NULL) as
 * lb_dicom_json_get_string() renders json-glib's reading of it: an integer
 * in decimal, anything with a fraction or an exponent as a double. */
static gboolean
scan_number (Scan    *s,
             GString *out)
{
  const char *start = s->p;
  const char *q = s->p;
  const char *digits;
  gboolean is_float = FALSE;

  if (*q == '-')
    q++;
  digits = q;
  if (q == s->end)
    return FALSE;
  if (*q == '0')
    q++;
  else if (*q >= '1' && *q <= '9')
    while (q < s->end && g_ascii_isdigit (*q))
      q++;
  else
    return FALSE;
  if (q < s->end && *q == '.')
    {
      is_float = TRUE;
      if (++q == s->end || !g_ascii_isdigit (*q))
        return FALSE;
      while (q < s->end && g_ascii_isdigit (*q))
        q++;
    }
  if (q < s->end && (*q == 'e' || *q == 'E'))
    {
      is_float = TRUE;
      if (++q < s->end && (*q == '+' || *q == '-'))
        q++;
      if (q == s->end || !g_ascii_isdigit (*q))
        return FALSE;
      while (q < s->end && g_ascii_isdigit (*q))
        q++;
    }
  s->p = q;
  if (out == NULL)
    return TRUE;

  if (!is_float)
    {
      gint64 v = 0;

      /* json-glib wraps integers beyond 64 bits: leave those to it. */
      if (q - digits > 18)
        return FALSE;
      for (const char *d = digits; d < q; d++)
        v = v * 10 + (*d - '0');
      g_string_append_printf (out, "%" G_GINT64_FORMAT, start == digits ? v : -v);
    }
  else
    {
      char buf[64];
      char text[G_ASCII_DTOSTR_BUF_SIZE];
      double v;

      if ((gsize) (q - start) >= sizeof buf)
        return FALSE;
      memcpy (buf, start, q - start);
      buf[q - start] = '\0';
      errno = 0;
      v = g_ascii_strtod (buf, NULL);
      if (errno != 0 || !isfinite (v))
        return FALSE;
      g_string_append (out, g_ascii_dtostr (text, sizeof text, v));
    }
  return TRUE;
}

static gboolean
scan_literal (Scan       *s,
              const char *word,
              gsize       len)
{
  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return FALSE;
  s->p += len;
  return TRUE;
}

/* Checks and passes over any value. Recursion is bounded by
 * MAX_JSON_DEPTH. */
static gboolean
skip_value (Scan *s)
{
  const char *str;
  gsize len;
  gboolean more = TRUE;
  char c;

  if (!peek (s, &c))
    return FALSE;
  switch (c)
    {
    case '"':
      return scan_string (s, &str, &len);
    case '{':
      if (!enter (s))
        return FALSE;
      if (peek (s, &c) && c == '}')
        s->p++;
      else
        while (more)
          if (!peek (s, &c) || c != '"' || !scan_string (s, &str, &len) ||
              !expect (s, ':') || !skip_value (s) || !next_item (s, '}', &more))
            return FALSE;
      s->depth--;
      return TRUE;
    case '[':
      if (!enter (s))
        return FALSE;
      if (peek (s, &c) && c == ']')
        s->p++;
      else
        while (more)
          if (!skip_value (s) || !next_item (s, ']', &more))
            return FALSE;
      s->depth--;
      return TRUE;
    case 't':
      return scan_literal (s, "true", 4);
    case 'f':
      return scan_literal (s, "false", 5);
    case 'n':
      return scan_literal (s, "null", 4);
    default:
      return (c == '-' || g_ascii_isdigit (c)) && scan_number (s, NULL);
    }
}

/* A member name at s->p, then its colon. */
static gboolean
scan_key (Scan        *s,
          const char **key,
          gsize       *len)
{
  char c;

  return peek (s, &c) && c == '"' && scan_string (s, key, len) && expect (s, ':');
}

/* A PN value (PS3.18 F.2.2): an object of component groups, of which the
 * Alphabetic one is appended to s->value. */
static gboolean
scan_person_name (Scan *s)
{
  gboolean have = FALSE;
  gboolean more = TRUE;
  char c;

  if (!enter (s))
    return FALSE;
  if (peek (s, &c) && c == '}')
    {
      s->p++;
      more = FALSE;
    }
  while (more)
    {
      const char *key, *str;
      gsize len, n;

      if (!scan_key (s, &key, &len))
        return FALSE;
      if (len == 10 && memcmp (key, "Alphabetic", 10) == 0)
        {
          /* A repeated member: the last one counts, as in json-glib. */
          have = peek (s, &c) && c == '"';
          if (have)
            {
              if (!scan_string (s, &str, &n))
                return FALSE;
              g_string_truncate (s->alpha, 0);
              g_string_append_len (s->alpha, str, n);
            }
          else if (!skip_value (s))
            return FALSE;
        }
      else if (!skip_value (s))
        return FALSE;
      if (!next_item (s, '}', &more))
        return FALSE;
    }
  s->depth--;
  if (have)
    g_string_append_len (s->value, s->alpha->str, s->alpha->len);
  return TRUE;
}

/* The "Value" array of an attribute, as lb_dicom_json_get_string() reads
 * it: values joined with a backslash, %NULL if that is empty. */
static gboolean
scan_values (Scan  *s,
             char **out)
{
  gboolean more = TRUE;
  char c;

  if (!enter (s))
    return FALSE;
  g_string_truncate (s->value, 0);
  if (peek (s, &c) && c == ']')
    {
      s->p++;
      more = FALSE;
    }
  for (guint i = 0; more; i++)
    {
      const char *str;
      gsize len;

      if (i > 0)
        g_string_append_c (s->value, '\\');
      if (!peek (s, &c))
        return FALSE;
      if (c == '"')
        {
          if (!scan_string (s, &str, &len))
            return FALSE;
          g_string_append_len (s->value, str, len);
        }
      else if (c == '{')
        {
          if (!scan_person_name (s))
            return FALSE;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          if (!scan_number (s, s->value))
            return FALSE;
        }
      else if (!skip_value (s))
        return FALSE;
      if (!next_item (s, ']', &more))
        return FALSE;
    }
  s->depth--;
  g_free (*out);
  *out = s->value->len > 0 ? g_strndup (s->value->str, s->value->len) : NULL;
  return TRUE;
}

/* One attribute of a dataset, {"vr": …, "Value": […]}, into *out. */
static gboolean
scan_attribute (Scan  *s,
                char **out)
{
  gboolean more = TRUE;
  char c;

  /* The last member of that tag decides, whatever it holds. */
  g_clear_pointer (out, g_free);
  if (!peek (s, &c))
    return FALSE;
  if (c != '{')
    return skip_value (s);
  if (!enter (s))
    return FALSE;
  if (peek (s, &c) && c == '}')
    {
      s->p++;
      more = FALSE;
    }
  while (more)
    {
      const char *key;
      gsize len;

      if (!scan_key (s, &key, &len))
        return FALSE;
      if (len == 5 && memcmp (key, "Value", 5) == 0)
        {
          g_clear_pointer (out, g_free);
          if (peek (s, &c) && c == '[')
            {
              if (!scan_values (s, out))
                return FALSE;
            }
          else if (!skip_value (s))
            return FALSE;
        }
      else if (!skip_value (s))
        return FALSE;
      if (!next_item (s, '}', &more))
        return FALSE;
    }
  s->depth--;
  return TRUE;
}

static int
field_of (const char *key,
          gsize       len)
{
  if (len != 8)
    return -1;
  for (int i = 0; i < N_FIELDS; i++)
    if (memcmp (key, field_tags[i], 8) == 0)
      return i;
  return -1;
}

/* One dataset (s->p at its '{') into a study, or FALSE. */
static gboolean
scan_dataset (Scan     *s,
              LbStudy **study)
{
  g_auto (LbStudyAttributes) a = { NULL };
  gboolean more = TRUE;
  char c;

  scan_clear_fields (s);
  if (!enter (s))
    return FALSE;
  if (peek (s, &c) && c == '}')
    {
      s->p++;
      more = FALSE;
    }
  while (more)
    {
      const char *key;
      gsize len;
      int field;

      if (!scan_key (s, &key, &len))
        return FALSE;
      field = field_of (key, len);
      if (field >= 0 ? !scan_attribute (s, &s->fields[field]) : !skip_value (s))
        return FALSE;
      if (!next_item (s, '}', &more))
        return FALSE;
    }
  s->depth--;
  /* A study without a UID is an error; the reference words it. */
  if (s->fields[F_STUDY_UID] == NULL)
    return FALSE;

  a.study_uid = g_steal_pointer (&s->fields[F_STUDY_UID]);
  a.patient_name = g_steal_pointer (&s->fields[F_PATIENT_NAME]);
  a.patient_id = g_steal_pointer (&s->fields[F_PATIENT_ID]);
  a.patient_birth_date = g_steal_pointer (&s->fields[F_PATIENT_BIRTH_DATE]);
  a.study_date = g_steal_pointer (&s->fields[F_STUDY_DATE]);
  a.study_time = g_steal_pointer (&s->fields[F_STUDY_TIME]);
  a.description = g_steal_pointer (&s->fields[F_DESCRIPTION]);
  a.accession_number = g_steal_pointer (&s->fields[F_ACCESSION_NUMBER]);
  a.modalities = g_steal_pointer (&s->fields[F_MODALITIES]);
  a.n_series = count_of (s->fields[F_N_SERIES]);
  a.n_instances = count_of (s->fields[F_N_INSTANCES]);
  *study = lb_study_new_take (&a);
  return TRUE;
}

static void
scan_init (Scan       *s,
           const char *data,
           gsize       length)
{
  memset (s, 0, sizeof *s);
  s->p = data;
  s->end = data + length;
  s->text = g_string_sized_new (256);
  s->value = g_string_sized_new (256);
  s->alpha = g_string_sized_new (64);
}

static void
scan_finish (Scan *s)
{
  scan_clear_fields (s);
  g_string_free (s->text, TRUE);
  g_string_free (s->value, TRUE);
  g_string_free (s->alpha, TRUE);
}

static gboolean
scan_at_end (Scan *s)
{
  char c;

  return !peek (s, &c);
}

/**
 * lb_dicom_json_scan_studies:
 * @data: (array length=length): a QIDO-RS study reply
 * @length: its length, more than 0
 * @studies: (out) (transfer full) (element-type LbStudy): the studies
 *
 * The fast reader behind lb_dicom_json_parse_studies(), without its
 * fallback: strict JSON only (see above).
 *
 * Returns: %TRUE with the same studies as
 *   lb_dicom_json_parse_studies_reference() would give, or %FALSE if the
 *   reply is for the reference to judge
 */
gboolean
lb_dicom_json_scan_studies (const char  *data,
                            gsize        length,
                            GPtrArray  **studies)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean ok = FALSE;
  gboolean more = TRUE;
  Scan s;
  char c;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (studies != NULL, FALSE);

  scan_init (&s, data, length);
  if (!peek (&s, &c) || c != '[' || !enter (&s))
    goto out;
  if (peek (&s, &c) && c == ']')
    {
      s.p++;
      more = FALSE;
    }
  while (more)
    {
      if (!peek (&s, &c))
        goto out;
      /* Elements that are not datasets are passed over, as the reference
       * does. */
      if (c == '{')
        {
          LbStudy *study;

          if (!scan_dataset (&s, &study))
            goto out;
          g_ptr_array_add (out, study);
        }
      else if (!skip_value (&s))
        goto out;
      if (!next_item (&s, ']', &more))
        goto out;
    }
  ok = scan_at_end (&s);
out:
  scan_finish (&s);
  if (ok)
    *studies = g_steal_pointer (&out);
  return ok;
}

/**
 * lb_dicom_json_scan_study:
 * @data: (array length=length): one DICOM JSON dataset
 * @length: its length
 *
 * The fast reader behind lb_dicom_json_study_from_string(), without its
 * fallback.
 *
 * Returns: (transfer full) (nullable): the same study as
 *   lb_dicom_json_to_study() would give, or %NULL if the text is for
 *   json-glib to judge
 */
LbStudy *
lb_dicom_json_scan_study (const char *data,
                          gsize       length)
{
  g_autoptr (LbStudy) study = NULL;
  gboolean ok;
  Scan s;
  char c;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  scan_init (&s, data, length);
  ok = peek (&s, &c) && c == '{' && scan_dataset (&s, &study) && scan_at_end (&s);
  scan_finish (&s);
  return ok ? g_steal_pointer (&study) : NULL;
}

/**
 * lb_dicom_json_parse_studies:
 * @data: a QIDO-RS response body (a JSON array of datasets)
 * @length: its length (0 for an empty, 204, reply)
 * @error: return location for an %LB_NET_ERROR_BAD_RESPONSE error
 *
 * Reads a study list: by lb_dicom_json_scan_studies() when it can decide,
 * else by lb_dicom_json_parse_studies_reference(), with the same result
 * either way.
 *
 * Returns: (transfer full) (element-type LbStudy): the studies
 */
GPtrArray *
lb_dicom_json_parse_studies (const char  *data,
                             gsize        length,
                             GError     **error)
{
  GPtrArray *studies = NULL;

  if (length == 0)
    return g_ptr_array_new_with_free_func (g_object_unref);
  if (lb_dicom_json_scan_studies (data, length, &studies))
    return studies;
  return lb_dicom_json_parse_studies_reference (data, length, error);
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
  LbStudy *study;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);

  /* Cold start reads the whole cached worklist this way. */
  study = lb_dicom_json_scan_study (json, strlen (json));
  if (study != NULL)
    return study;
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
