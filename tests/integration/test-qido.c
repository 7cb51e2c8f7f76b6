/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * QIDO-RS against the real Orthanc started by tools/orthanc-harness with the
 * fixtures of tests/fixtures loaded: two XC studies and one CT study.
 */
#include "lb-dicomweb-client.h"
#include "lb-test-utils.h"

#include <string.h>

typedef struct {
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static GPtrArray *
search (const char          *url,
        const char * const  *query,
        GError             **error)
{
  g_autoptr (LbServerProfile) profile = lb_server_profile_new ("test", url);
  g_autoptr (LbDicomwebClient) client = lb_dicomweb_client_new (profile);
  Wait wait = { NULL };
  GPtrArray *studies;

  lb_dicomweb_client_search_studies_async (client, query, NULL, done_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  studies = lb_dicomweb_client_search_studies_finish (client, wait.result, error);
  g_object_unref (wait.result);
  return studies;
}

static LbStudy *
find (GPtrArray *studies, const char *patient_id)
{
  for (guint i = 0; i < studies->len; i++)
    if (g_strcmp0 (lb_study_get_patient_id (g_ptr_array_index (studies, i)), patient_id) == 0)
      return g_ptr_array_index (studies, i);
  return NULL;
}

static void
test_all_studies (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) studies = search (lb_test_dicomweb_url (), NULL, &error);
  LbStudy *alice;

  g_assert_no_error (error);
  g_assert_cmpuint (studies->len, ==, 3);
  alice = find (studies, "FX1001");
  g_assert_nonnull (alice);
  g_assert_cmpstr (lb_study_get_patient_name (alice), ==, "FIXTURE^ALICE");
  g_assert_cmpstr (lb_study_get_study_date (alice), ==, "20261101");
  g_assert_cmpstr (lb_study_get_study_uid (alice), ==, "1.2.826.0.1.3680043.10.1379.9.1");
}

static void
test_modality_filter (void)
{
  const char *query[] = { "ModalitiesInStudy=XC", "includefield=00081030", "includefield=00201208", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) studies = search (lb_test_dicomweb_url (), query, &error);
  LbStudy *bob;

  g_assert_no_error (error);
  g_assert_cmpuint (studies->len, ==, 2);
  g_assert_null (find (studies, "FX1003"));   /* the CT study is not patient-generated */
  bob = find (studies, "FX1002");
  g_assert_nonnull (bob);
  g_assert_cmpstr (lb_study_get_description (bob), ==, "Skin lesion - patient upload");
  g_assert_cmpuint (lb_study_get_n_instances (bob), ==, 1);
}

static void
test_no_match (void)
{
  const char *query[] = { "PatientID=NOSUCHPATIENT", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) studies = search (lb_test_dicomweb_url (), query, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (studies->len, ==, 0);
}

static void
test_unreachable (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;
  g_autoptr (GPtrArray) studies = NULL;

  /* A port that was free a moment ago and that nobody listens on. */
  g_assert_true (g_socket_bind (sock, addr, TRUE, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/dicom-web",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (sock, NULL);

  studies = search (url, NULL, &error);
  g_assert_null (studies);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
}

static void
test_auth_required (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) studies = NULL;

  /* Run under `orthanc-harness run --auth …`: no credentials, no entry. */
  g_assert_nonnull (g_getenv ("LIGHTBOX_TEST_AUTH"));
  studies = search (lb_test_dicomweb_url (), NULL, &error);
  g_assert_null (studies);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_AUTH);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("LIGHTBOX_TEST_AUTH") != NULL)
    {
      g_test_add_func ("/integration/qido/auth-required", test_auth_required);
    }
  else
    {
      g_test_add_func ("/integration/qido/all", test_all_studies);
      g_test_add_func ("/integration/qido/modality", test_modality_filter);
      g_test_add_func ("/integration/qido/no-match", test_no_match);
      g_test_add_func ("/integration/qido/unreachable", test_unreachable);
    }
  return g_test_run ();
}
