/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-dicom-json.h"
#include "lb-net-error.h"
#include "lb-study-compare.h"

#include <string.h>

/* What real archives send: IS as a number or a string, PN as an object,
 * missing optional attributes, BulkDataURI in place of a value. */
static const char qido_reply[] =
  "["
  " {\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"1.2.3.4\"]},"
  "  \"00100010\": {\"vr\": \"PN\", \"Value\": [{\"Alphabetic\": \"DOE^JANE\"}]},"
  "  \"00100020\": {\"vr\": \"LO\", \"Value\": [\"100234\"]},"
  "  \"00080020\": {\"vr\": \"DA\", \"Value\": [\"20261120\"]},"
  "  \"00080061\": {\"vr\": \"CS\", \"Value\": [\"XC\", \"KO\"]},"
  "  \"00201208\": {\"vr\": \"IS\", \"Value\": [3]},"
  "  \"00201206\": {\"vr\": \"IS\", \"Value\": [\" 2 \"]},"
  "  \"00081030\": {\"vr\": \"LO\", \"BulkDataURI\": \"http://x/bulk\"}},"
  " {\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"1.2.3.5\"]},"
  "  \"00100010\": {\"vr\": \"PN\"}}"
  "]";

static void
test_parse_studies (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) studies = lb_dicom_json_parse_studies (qido_reply, sizeof qido_reply - 1, &error);
  LbStudy *s;

  g_assert_no_error (error);
  g_assert_cmpuint (studies->len, ==, 2);
  s = g_ptr_array_index (studies, 0);
  g_assert_cmpstr (lb_study_get_study_uid (s), ==, "1.2.3.4");
  g_assert_cmpstr (lb_study_get_patient_name (s), ==, "DOE^JANE");
  g_assert_cmpstr (lb_study_get_patient_id (s), ==, "100234");
  g_assert_cmpstr (lb_study_get_modalities (s), ==, "XC\\KO");
  g_assert_cmpuint (lb_study_get_n_instances (s), ==, 3);
  g_assert_cmpuint (lb_study_get_n_series (s), ==, 2);
  g_assert_null (lb_study_get_description (s));
  s = g_ptr_array_index (studies, 1);
  g_assert_null (lb_study_get_patient_name (s));
}

static void
test_bad_replies (void)
{
  const char *bad[] = {
    "{\"not\": \"an array\"}",
    "[{\"0020000D\": ",                 /* truncated */
    "[{\"00100010\": {\"vr\": \"PN\"}}]", /* no Study Instance UID */
    "\xff\xfe[]",                         /* not UTF-8 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) studies = lb_dicom_json_parse_studies (bad[i], strlen (bad[i]), &error);

      g_assert_null (studies);
      g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE);
    }
}

static void
test_empty (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) a = lb_dicom_json_parse_studies ("", 0, &error);
  g_autoptr (GPtrArray) b = lb_dicom_json_parse_studies ("[]", 2, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 0);
  g_assert_cmpuint (b->len, ==, 0);
}


/* ---- The fast study reader against the json-glib reference ----------- */

/* Replies the scanner must read itself (not hand to json-glib), each
 * checked field by field against the reference. */
static const char *const scanned[] = {
  /* IS and DS as numbers, in every JSON form; IS as padded strings */
  "[{\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"1.2\"]},"
  "  \"00201206\": {\"vr\": \"IS\", \"Value\": [12]},"
  "  \"00201208\": {\"vr\": \"IS\", \"Value\": [\" 7 \"]},"
  "  \"00081030\": {\"vr\": \"DS\", \"Value\": [1e5, 1E+2, 2.5e-3, -0, -0.0, 0.1, 0e0, -7, 3.0,"
  "                                    123456789012345678, -123456789012345678, 1.7976931348623157e308,"
  "                                    2.2250738585072014E-308, 0.30000000000000004, 6.02214076e23]}},"
  " {\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"1.3\"]},"
  "  \"00201206\": {\"vr\": \"IS\", \"Value\": [2.9]},"
  "  \"00201208\": {\"vr\": \"IS\", \"Value\": [-4]}},"
  " {\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"1.4\"]},"
  "  \"00201206\": {\"vr\": \"IS\", \"Value\": [\"+5\\\\6\"]},"
  "  \"00201208\": {\"vr\": \"IS\", \"Value\": [\"x\"]}},"
  " {\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"1.5\"]},"
  "  \"00201206\": {\"vr\": \"IS\", \"Value\": [1e10]},"
  "  \"00201208\": {\"vr\": \"IS\", \"Value\": [99999999999]}}]",

  /* PN: all three groups, one group, none, repeated, not a string */
  "[{\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"2.1\"]},"
  "  \"00100010\": {\"vr\": \"PN\", \"Value\": [{\"Alphabetic\": \"Yamada^Tarou\","
  "     \"Ideographic\": \"\\u5c71\\u7530^\\u592a\\u90ce\", \"Phonetic\": \"\\u3084\\u307e\\u3060^\\u305f\\u308d\\u3046\"}]}},"
  " {\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"2.2\"]},"
  "  \"00100010\": {\"vr\": \"PN\", \"Value\": [{\"Ideographic\": \"\xe5\xb1\xb1\xe7\x94\xb0\"}]}},"
  " {\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"2.3\"]},"
  "  \"00100010\": {\"vr\": \"PN\", \"Value\": [{}, {\"Alphabetic\": \"B^b\"}, {\"Alphabetic\": 5}]}},"
  " {\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"2.4\"]},"
  "  \"00100010\": {\"vr\": \"PN\", \"Value\": [{\"Alphabetic\": \"A^a\", \"Alphabetic\": \"C^c\"}]}},"
  " {\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"2.5\"]},"
  "  \"00100010\": {\"vr\": \"PN\", \"Value\": [{\"Alphabetic\": \"A^a\", \"Alphabetic\": null}]}},"
  " {\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"2.6\"]},"
  "  \"00100010\": {\"vr\": \"PN\", \"Value\": [\"DOE^JOHN\", {\"Alphabetic\": \"\"}]}}]",

  /* BulkDataURI or InlineBinary in place of Value; Value empty, null, not
   * an array; an attribute that is not an object; repeated tags and
   * repeated Value members (the last counts) */
  "[{\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"3.1\"]},"
  "  \"00081030\": {\"vr\": \"LO\", \"BulkDataURI\": \"http://archive/bulk/1\"},"
  "  \"00100020\": {\"vr\": \"LO\", \"InlineBinary\": \"AAEC\"},"
  "  \"00100030\": {\"vr\": \"DA\", \"Value\": []},"
  "  \"00080020\": {\"vr\": \"DA\", \"Value\": null},"
  "  \"00080030\": {\"vr\": \"TM\", \"Value\": \"1200\"},"
  "  \"00080050\": \"ACC1\","
  "  \"00080061\": {\"vr\": \"CS\", \"Value\": [\"XC\"]},"
  "  \"00080061\": {\"vr\": \"CS\", \"Value\": [\"OT\", \"SR\"]}},"
  " {\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"3.2\"]},"
  "  \"00100020\": {\"vr\": \"LO\", \"Value\": [\"first\"], \"Value\": [\"second\"]},"
  "  \"00100030\": {\"vr\": \"DA\", \"Value\": [\"19700101\"], \"Value\": 3},"
  "  \"00080050\": {\"vr\": \"SH\", \"Value\": [\"A\"]}, \"00080050\": 7},"
  " {\"0020000D\": {}, \"0020000D\": {\"Value\": [\"3.3\"]}}]",

  /* multiple values joined with a backslash, whatever they are */
  "[{\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"4.1\"]},"
  "  \"00080061\": {\"vr\": \"CS\", \"Value\": [\"XC\", null, \"KO\", true, false, [\"nested\"], {\"x\": 1}, \"\"]},"
  "  \"00081030\": {\"vr\": \"LO\", \"Value\": [\"\", \"\"]},"
  "  \"00080050\": {\"vr\": \"SH\", \"Value\": [null]},"
  "  \"00100020\": {\"vr\": \"LO\", \"Value\": [\"\"]},"
  "  \"00080020\": {\"vr\": \"DA\", \"Value\": [\"a\\\\b\", \"c\"]}}]",

  /* escapes, surrogate pairs, raw UTF-8, escaped member names */
  "[{\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"5.1\"]},"
  "  \"00100010\": {\"vr\": \"PN\", \"Value\": [{\"Alphabetic\": \"Andr\\u00e9^Ren\\u00c9e\"}]},"
  "  \"00081030\": {\"vr\": \"LO\", \"Value\": [\"say \\\"ah\\\" \\\\ \\/ \\b\\f\\n\\r\\t end\"]},"
  "  \"00100020\": {\"vr\": \"LO\", \"Value\": [\"\\ud83d\\ude00 \\uD83E\\uDDB6 \\u20AC\"]},"
  "  \"00080050\": {\"vr\": \"SH\", \"Value\": [\"\xc3\xa9\xe6\x97\xa5\xf0\x9f\xa6\xb6\"]},"
  "  \"\\u0030\\u0030080061\": {\"vr\": \"CS\", \"V\\u0061lue\": [\"XC\"]},"
  "  \"00080020\": {\"vr\": \"DA\", \"Value\": [\"2026\\u0031120\"]},"
  "  \"0008\\u0030030\": {\"vr\": \"TM\", \"Value\": [\"1405\"]}}]",

  /* whitespace of every kind, and none */
  "\r\n\t [\n{\"0020000D\"\t:\r{\"vr\"\n:\"UI\" ,\"Value\" : [ \"6.1\" ] } } ,\n\t{\"0020000D\":{\"Value\":[\"6.2\"]}}]\r\n ",
  "[{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"6.3\"]},\"00201208\":{\"vr\":\"IS\",\"Value\":[1]}}]",

  /* elements that are not datasets are passed over; unknown attributes,
   * sequences and lowercase tags are ignored */
  "[1, \"x\", null, true, [], [{\"0020000D\": {\"Value\": [\"no\"]}}],"
  " {\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"7.1\"]},"
  "  \"0020000d\": {\"vr\": \"UI\", \"Value\": [\"lowercase\"]},"
  "  \"00081115\": {\"vr\": \"SQ\", \"Value\": [{\"0020000E\": {\"vr\": \"UI\", \"Value\": [\"7.1.1\"]},"
  "     \"00081199\": {\"vr\": \"SQ\", \"Value\": [{\"00081155\": {\"vr\": \"UI\", \"Value\": [\"7.1.1.1\"]}}]}}]},"
  "  \"\": {\"vr\": \"UN\"}, \"7FE00010\": {\"vr\": \"OB\", \"BulkDataURI\": \"x\"},"
  "  \"00100010\": {\"vr\": \"PN\", \"Value\": [{\"Alphabetic\": \"Z^z\", \"Extra\": {\"a\": [1, 2.5, -3e2, {}]}}]}}, 17]",

  "[]",
  " [ ] ",
};

/* Replies the scanner leaves to json-glib: syntax only json-glib
 * tolerates, or errors. Whatever the reference makes of them,
 * lb_dicom_json_parse_studies() must make the same. */
static const char *const handed_over[] = {
  "[{\"0020000D\": {\"Value\": [\"1\"]}} /* comment */]",
  "[{'0020000D': {'Value': ['1']}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00201208\": {\"Value\": [0x10]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00201208\": {\"Value\": [010]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00201208\": {\"Value\": [.5]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00201208\": {\"Value\": [1.]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00201208\": {\"Value\": [- 1]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00201208\": {\"Value\": [12345678901234567890]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00201208\": {\"Value\": [9223372036854775807]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00081030\": {\"Value\": [1e400]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00081030\": {\"Value\": [-1e-400]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00081030\": {\"Value\": [\"a\\u0000b\"]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00081030\": {\"Value\": [\"\\ud83d\"]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00081030\": {\"Value\": [\"\\ud83dx\"]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00081030\": {\"Value\": [\"\\ude00\"]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00081030\": {\"Value\": [\"\\x\"]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00081030\": {\"Value\": [\"\\u12\"]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00081030\": {\"Value\": [\"tab\tinside\"]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00081030\": {\"Value\": [\"\xc0\x80\"]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00081030\": {\"Value\": [\"\xed\xa0\x80\"]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00081030\": {\"Value\": [\"\xf5\x80\x80\x80\"]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}, \"00081030\": {\"Value\": [\"\xe6\x97\"]}}]",
  "\xef\xbb\xbf[{\"0020000D\": {\"Value\": [\"1\"]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}},]",
  "[{\"0020000D\": {\"Value\": [\"1\"],}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}}] x",
  "[{\"0020000D\": {\"Value\": [\"1\"]}}][]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}} {}]",
  "[{\"0020000D\" {\"Value\": [\"1\"]}}]",
  "[{\"0020000D\": {\"Value\": [tru]}}]",
  "[{\"0020000D\": {\"Value\": [True]}}]",
  "[{\"0020000D\": {\"Value\": [\"1\"]}}",
  "[{\"0020000D\": {\"Value\": [\"1",
  "[{\"00100010\": {\"vr\": \"PN\"}}]",
  "[{}]",
  "[{\"0020000D\": {\"Value\": []}}]",
  "[{\"0020000D\": {\"Value\": [\"\"]}}]",
  "{\"0020000D\": {\"Value\": [\"1\"]}}",
  "\"[]\"",
  "   ",
  "null",
  "<html><body>Welcome to the portal</body></html>",
};

static void
assert_same_result (GPtrArray    *got,
                    const GError *got_error,
                    GPtrArray    *want,
                    const GError *want_error,
                    const char   *input)
{
  g_autofree char *why = NULL;

  if (want == NULL)
    {
      g_assert_null (got);
      g_assert_nonnull (got_error);
      g_assert_nonnull (want_error);
      g_assert_error (got_error, want_error->domain, want_error->code);
      g_assert_cmpstr (got_error->message, ==, want_error->message);
      return;
    }
  g_assert_no_error (got_error);
  g_assert_nonnull (got);
  if (!lb_study_compare_lists (got, want, &why))
    g_error ("%s\nin: %s", why, input);
}

static void
test_scanner_corpus (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (scanned); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GError) ref_error = NULL;
      g_autoptr (GPtrArray) fast = NULL;
      g_autoptr (GPtrArray) ref = NULL;
      g_autoptr (GPtrArray) parsed = NULL;
      gsize len = strlen (scanned[i]);

      g_test_message ("reply %u", i);
      g_assert_true (lb_dicom_json_scan_studies (scanned[i], len, &fast));
      ref = lb_dicom_json_parse_studies_reference (scanned[i], len, &ref_error);
      g_assert_no_error (ref_error);
      assert_same_result (fast, NULL, ref, NULL, scanned[i]);
      parsed = lb_dicom_json_parse_studies (scanned[i], len, &error);
      assert_same_result (parsed, error, ref, NULL, scanned[i]);
    }
}

static void
test_scanner_values (void)
{
  g_autoptr (GPtrArray) s = NULL;
  LbStudy *st;

  /* Spot checks of what the corpus compares, so that a reference gone
   * wrong does not go unnoticed. */
  g_assert_true (lb_dicom_json_scan_studies (scanned[0], strlen (scanned[0]), &s));
  st = s->pdata[0];
  g_assert_cmpuint (lb_study_get_n_series (st), ==, 12);
  g_assert_cmpuint (lb_study_get_n_instances (st), ==, 7);
  g_assert_cmpstr (lb_study_get_description (st), ==,
                   "100000\\100\\0.0025000000000000001\\0\\-0\\0.10000000000000001\\0\\-7\\3\\"
                   "123456789012345678\\-123456789012345678\\1.7976931348623157e+308\\"
                   "2.2250738585072014e-308\\0.30000000000000004\\6.0221407599999999e+23");
  g_assert_cmpuint (lb_study_get_n_series (s->pdata[1]), ==, 2);
  g_assert_cmpuint (lb_study_get_n_instances (s->pdata[1]), ==, 0);
  g_assert_cmpuint (lb_study_get_n_series (s->pdata[2]), ==, 5);
  /* counts beyond 32 bits saturate */
  g_assert_cmpuint (lb_study_get_n_series (s->pdata[3]), ==, G_MAXUINT);
  g_assert_cmpuint (lb_study_get_n_instances (s->pdata[3]), ==, G_MAXUINT);
  g_clear_pointer (&s, g_ptr_array_unref);

  g_assert_true (lb_dicom_json_scan_studies (scanned[1], strlen (scanned[1]), &s));
  g_assert_cmpstr (lb_study_get_patient_name (s->pdata[0]), ==, "Yamada^Tarou");
  g_assert_null (lb_study_get_patient_name (s->pdata[1]));
  g_assert_cmpstr (lb_study_get_patient_name (s->pdata[2]), ==, "\\B^b\\");
  g_assert_cmpstr (lb_study_get_patient_name (s->pdata[3]), ==, "C^c");
  g_assert_null (lb_study_get_patient_name (s->pdata[4]));
  g_assert_cmpstr (lb_study_get_patient_name (s->pdata[5]), ==, "DOE^JOHN\\");
  g_clear_pointer (&s, g_ptr_array_unref);

  g_assert_true (lb_dicom_json_scan_studies (scanned[2], strlen (scanned[2]), &s));
  st = s->pdata[0];
  g_assert_null (lb_study_get_description (st));
  g_assert_null (lb_study_get_patient_id (st));
  g_assert_null (lb_study_get_study_date (st));
  g_assert_null (lb_study_get_accession_number (st));
  g_assert_cmpstr (lb_study_get_modalities (st), ==, "OT\\SR");
  st = s->pdata[1];
  g_assert_cmpstr (lb_study_get_patient_id (st), ==, "second");
  g_assert_null (lb_study_get_patient_birth_date (st));
  g_assert_null (lb_study_get_accession_number (st));
  g_assert_cmpstr (lb_study_get_study_uid (s->pdata[2]), ==, "3.3");
  g_clear_pointer (&s, g_ptr_array_unref);

  g_assert_true (lb_dicom_json_scan_studies (scanned[4], strlen (scanned[4]), &s));
  st = s->pdata[0];
  g_assert_cmpstr (lb_study_get_patient_name (st), ==, "Andr\xc3\xa9^Ren\xc3\x89" "e");
  g_assert_cmpstr (lb_study_get_description (st), ==, "say \"ah\" \\ / \b\f\n\r\t end");
  g_assert_cmpstr (lb_study_get_patient_id (st), ==, "\xf0\x9f\x98\x80 \xf0\x9f\xa6\xb6 \xe2\x82\xac");
  g_assert_cmpstr (lb_study_get_modalities (st), ==, "XC");
  g_assert_cmpstr (lb_study_get_study_date (st), ==, "20261120");
  g_assert_cmpstr (lb_study_get_study_time (st), ==, "1405");
  g_clear_pointer (&s, g_ptr_array_unref);
}

static void
test_scanner_hands_over (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (handed_over); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GError) ref_error = NULL;
      g_autoptr (GPtrArray) fast = NULL;
      g_autoptr (GPtrArray) ref = NULL;
      g_autoptr (GPtrArray) parsed = NULL;
      gsize len = strlen (handed_over[i]);

      g_autofree char *shown = g_strescape (handed_over[i], NULL);

      g_test_message ("reply %u: %s", i, shown);
      g_assert_false (lb_dicom_json_scan_studies (handed_over[i], len, &fast));
      g_assert_null (fast);
      ref = lb_dicom_json_parse_studies_reference (handed_over[i], len, &ref_error);
      parsed = lb_dicom_json_parse_studies (handed_over[i], len, &error);
      assert_same_result (parsed, error, ref, ref_error, handed_over[i]);
    }
}

static void
test_scanner_depth (void)
{
  /* MAX_JSON_DEPTH is 128: the root array, the dataset and the attribute
   * object are three levels, so 125 more fit and 126 do not. */
  for (guint extra = 124; extra <= 127; extra++)
    {
      g_autoptr (GString) json = g_string_new ("[{\"0020000D\": {\"Value\": [\"1\"]}, \"00081030\": ");
      g_autoptr (GError) error = NULL;
      g_autoptr (GError) ref_error = NULL;
      g_autoptr (GPtrArray) fast = NULL;
      g_autoptr (GPtrArray) ref = NULL;
      g_autoptr (GPtrArray) parsed = NULL;

      for (guint i = 0; i < extra; i++)
        g_string_append_c (json, '[');
      for (guint i = 0; i < extra; i++)
        g_string_append_c (json, ']');
      g_string_append (json, "}]");
      g_assert_true (lb_dicom_json_scan_studies (json->str, json->len, &fast) == (extra <= 126));
      ref = lb_dicom_json_parse_studies_reference (json->str, json->len, &ref_error);
      g_assert_true ((ref != NULL) == (extra <= 126));
      parsed = lb_dicom_json_parse_studies (json->str, json->len, &error);
      assert_same_result (parsed, error, ref, ref_error, json->str);
    }
}

/* Random but valid replies in the forms archives use, the same seed every
 * run. */
static void
random_string (GRand *rand, GString *out)
{
  static const char *const pieces[] = {
    "A", "z", "0", "9", ".", "^", " ", "-", "=", "\\\\", "\\\"", "\\/", "\\n", "\\t", "\\b",
    "\\u00e9", "\\u00C9", "\\u5c71", "\\ud83d\\ude00", "\\uD83E\\uDDB6", "\\u0041",
    "\xc3\xa9", "\xe6\x97\xa5", "\xf0\x9f\xa6\xb6", "\\\\\\\\",
  };
  guint n = g_rand_int_range (rand, 0, 12);

  g_string_append_c (out, '"');
  for (guint i = 0; i < n; i++)
    g_string_append (out, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
  g_string_append_c (out, '"');
}

static void
random_number (GRand *rand, GString *out)
{
  switch (g_rand_int_range (rand, 0, 5))
    {
    case 0:
      g_string_append_printf (out, "%d", g_rand_int_range (rand, -1000, 1000));
      break;
    case 1:
      /* up to 18 digits: longer ones are json-glib's to wrap */
      g_string_append_printf (out, "%" G_GINT64_FORMAT,
                              (gint64) g_rand_int (rand) * g_rand_int_range (rand, 0, 100000000) *
                              (g_rand_boolean (rand) ? 1 : -1));
      break;
    case 2:
      g_string_append_printf (out, "%d.%0*d", g_rand_int_range (rand, -99, 100),
                              g_rand_int_range (rand, 1, 9), g_rand_int_range (rand, 0, 100000000));
      break;
    case 3:
      g_string_append_printf (out, "%d%s%c%s%d", g_rand_int_range (rand, 0, 10),
                              g_rand_boolean (rand) ? ".5" : "",
                              g_rand_boolean (rand) ? 'e' : 'E',
                              (const char *[]) { "", "+", "-" }[g_rand_int_range (rand, 0, 3)],
                              g_rand_int_range (rand, 0, 300));
      break;
    default:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_string_append (out, g_ascii_dtostr (buf, sizeof buf, g_rand_double_range (rand, -1e6, 1e6)));
      }
    }
}

static void
random_value (GRand *rand, GString *out, gboolean pn)
{
  guint kind = g_rand_int_range (rand, 0, 20);

  if (pn && kind < 10)
    {
      static const char *const groups[] = { "Alphabetic", "Ideographic", "Phonetic" };
      guint n = g_rand_int_range (rand, 0, 4);

      g_string_append_c (out, '{');
      for (guint i = 0; i < n; i++)
        {
          g_string_append_printf (out, "%s\"%s\": ", i ? ", " : "", groups[g_rand_int_range (rand, 0, 3)]);
          if (g_rand_int_range (rand, 0, 8) == 0)
            g_string_append (out, "null");
          else
            random_string (rand, out);
        }
      g_string_append_c (out, '}');
    }
  else if (kind < 13)
    random_string (rand, out);
  else if (kind < 18)
    random_number (rand, out);
  else
    g_string_append (out, (const char *[]) { "null", "true", "false", "[]", "{}" }[g_rand_int_range (rand, 0, 5)]);
}

static char *
random_reply (GRand *rand)
{
  static const char *const tags[] = {
    "00100010", "00100020", "00100030", "00080020", "00080030", "00081030",
    "00080050", "00080061", "00201206", "00201208", "00080005", "00081190",
  };
  static const char *const ws[] = { "", " ", "\n", "\r\n\t", "  " };
  GString *out = g_string_new ("[");
  guint n = g_rand_int_range (rand, 0, 8);

  for (guint i = 0; i < n; i++)
    {
      guint n_attrs = g_rand_int_range (rand, 0, 12);

      g_string_append_printf (out, "%s%s{\"0020000D\":%s{\"vr\": \"UI\", \"Value\": [\"1.2.%u\"]}",
                              i ? "," : "", ws[g_rand_int_range (rand, 0, 5)],
                              ws[g_rand_int_range (rand, 0, 5)], i);
      for (guint a = 0; a < n_attrs; a++)
        {
          const char *tag = tags[g_rand_int_range (rand, 0, G_N_ELEMENTS (tags))];
          guint n_values = g_rand_int_range (rand, 0, 4);
          guint form = g_rand_int_range (rand, 0, 10);

          g_string_append_printf (out, ",%s\"%s\":%s", ws[g_rand_int_range (rand, 0, 5)], tag,
                                  ws[g_rand_int_range (rand, 0, 5)]);
          if (form == 0)
            g_string_append (out, "{\"vr\": \"OB\", \"BulkDataURI\": \"http://x/bulk\"}");
          else if (form == 1)
            g_string_append (out, "{\"vr\": \"LO\"}");
          else
            {
              g_string_append_printf (out, "{\"vr\": \"%s\",%s\"Value\": [",
                                      strcmp (tag, "00100010") == 0 ? "PN" : "LO",
                                      ws[g_rand_int_range (rand, 0, 5)]);
              for (guint v = 0; v < n_values; v++)
                {
                  if (v > 0)
                    g_string_append (out, ", ");
                  random_value (rand, out, strcmp (tag, "00100010") == 0);
                }
              g_string_append (out, "]}");
            }
        }
      /* Now and then a second UID, which may be no UID. */
      if (g_rand_int_range (rand, 0, 40) == 0)
        {
          g_string_append (out, ", \"0020000D\": {\"vr\": \"UI\", \"Value\": [");
          random_value (rand, out, FALSE);
          g_string_append (out, "]}");
        }
      g_string_append_c (out, '}');
    }
  g_string_append (out, ws[g_rand_int_range (rand, 0, 5)]);
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static void
test_scanner_random (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261120);
  guint n_handed_over = 0;

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *json = random_reply (rand);
      g_autoptr (GError) ref_error = NULL;
      g_autoptr (GPtrArray) fast = NULL;
      g_autoptr (GPtrArray) ref = NULL;

      ref = lb_dicom_json_parse_studies_reference (json, strlen (json), &ref_error);
      if (!lb_dicom_json_scan_studies (json, strlen (json), &fast))
        {
          /* Only when a later "0020000D" took the UID away. */
          g_assert_error (ref_error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE);
          n_handed_over++;
          continue;
        }
      g_assert_no_error (ref_error);
      assert_same_result (fast, NULL, ref, NULL, json);

      /* Each study through the worklist cache and back. */
      for (guint s = 0; s < fast->len; s++)
        {
          g_autofree char *row = lb_dicom_json_study_to_string (fast->pdata[s]);
          g_autoptr (LbStudy) scanned_row = lb_dicom_json_scan_study (row, strlen (row));
          g_autoptr (LbStudy) back = lb_dicom_json_study_from_string (row, NULL);
          g_autofree char *why = NULL;

          g_assert_nonnull (scanned_row);
          if (!lb_study_compare_equal (scanned_row, back, &why) ||
              !lb_study_compare_equal (back, fast->pdata[s], &why))
            g_error ("%s\nin: %s", why, row);
        }
    }
  g_assert_cmpuint (n_handed_over, >, 0);
  g_assert_cmpuint (n_handed_over, <, 200);
}

static void
test_study_from_string (void)
{
  const char *rows[] = {
    "{\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"1.2\"]}, \"00100010\": {\"vr\": \"PN\", \"Value\": [{\"Alphabetic\": \"DOE^JANE\"}]}}",
    "{\"0020000D\": {\"Value\": [\"1.2\"]}} /* a comment json-glib allows */",
    "{\"00100010\": {\"vr\": \"PN\"}}",
    "[{\"0020000D\": {\"Value\": [\"1.2\"]}}]",
    "{\"0020000D\": {\"Value\": [\"1.2\"]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (LbStudy) study = lb_dicom_json_study_from_string (rows[i], &error);

      switch (i)
        {
        case 0:
          {
            g_autoptr (LbStudy) scanned_row = lb_dicom_json_scan_study (rows[i], strlen (rows[i]));
            g_assert_nonnull (scanned_row);
          }
          g_assert_no_error (error);
          g_assert_cmpstr (lb_study_get_patient_name (study), ==, "DOE^JANE");
          g_clear_object (&study);
          break;
        case 1:
          g_assert_no_error (error);
          g_assert_cmpstr (lb_study_get_study_uid (study), ==, "1.2");
          break;
        default:
          g_assert_null (study);
          g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE);
        }
    }
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_new_take (void)
{
  g_auto (LbStudyAttributes) a = {
    .study_uid = g_strdup ("1.2.3"),
    .patient_name = g_strdup ("DOE^JANE^Q"),
    .patient_id = g_strdup ("42"),
    .patient_birth_date = g_strdup ("19800101"),
    .study_date = g_strdup ("20261120"),
    .study_time = g_strdup ("140312"),
    .description = g_strdup ("Wound, left ankle"),
    .accession_number = g_strdup ("ACC1"),
    .modalities = g_strdup ("XC\\KO"),
    .n_series = 2,
    .n_instances = 9,
  };
  g_autoptr (LbStudy) ref = lb_study_new ("1.2.3");
  g_autoptr (LbStudy) taken = NULL;
  g_autofree char *why = NULL;
  guint notified = 0;

  lb_study_set_patient_name (ref, a.patient_name);
  lb_study_set_patient_id (ref, a.patient_id);
  lb_study_set_patient_birth_date (ref, a.patient_birth_date);
  lb_study_set_study_date (ref, a.study_date);
  lb_study_set_study_time (ref, a.study_time);
  lb_study_set_description (ref, a.description);
  lb_study_set_accession_number (ref, a.accession_number);
  lb_study_set_modalities (ref, a.modalities);
  lb_study_set_n_series (ref, a.n_series);
  lb_study_set_n_instances (ref, a.n_instances);

  taken = lb_study_new_take (&a);
  g_assert_null (a.study_uid);
  g_assert_null (a.modalities);
  if (!lb_study_compare_equal (taken, ref, &why))
    g_error ("%s", why);
  g_assert_cmpstr (lb_study_get_study_uid (taken), ==, "1.2.3");

  /* Later changes still notify, derived properties included. */
  g_signal_connect (taken, "notify::display-name", G_CALLBACK (count_notify_cb), &notified);
  lb_study_set_patient_name (taken, "ROE^RICHARD");
  g_assert_cmpuint (notified, ==, 1);
  {
    g_autofree char *name = lb_study_dup_display_name (taken);
    g_assert_cmpstr (name, ==, "ROE, RICHARD");
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/dicom-json/studies", test_parse_studies);
  g_test_add_func ("/net/dicom-json/bad", test_bad_replies);
  g_test_add_func ("/net/dicom-json/empty", test_empty);
  g_test_add_func ("/net/dicom-json/scanner/corpus", test_scanner_corpus);
  g_test_add_func ("/net/dicom-json/scanner/values", test_scanner_values);
  g_test_add_func ("/net/dicom-json/scanner/hands-over", test_scanner_hands_over);
  g_test_add_func ("/net/dicom-json/scanner/depth", test_scanner_depth);
  g_test_add_func ("/net/dicom-json/scanner/random", test_scanner_random);
  g_test_add_func ("/net/dicom-json/study-from-string", test_study_from_string);
  g_test_add_func ("/net/dicom-json/new-take", test_new_take);
  return g_test_run ();
}
