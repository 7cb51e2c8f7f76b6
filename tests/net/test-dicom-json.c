/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-dicom-json.h"
#include "lb-net-error.h"

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

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/dicom-json/studies", test_parse_studies);
  g_test_add_func ("/net/dicom-json/bad", test_bad_replies);
  g_test_add_func ("/net/dicom-json/empty", test_empty);
  return g_test_run ();
}
