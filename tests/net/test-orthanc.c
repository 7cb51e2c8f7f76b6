/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "lb-dicom-json.h"
#include "lb-dicomweb-client.h"
#include "lb-part10.h"
#include "lb-study-loader.h"
#include "lb-test-utils.h"

/* Integration tests against the real Orthanc + DICOMweb plugin started by
 * tools/orthanc-harness (plain, and with HTTP basic authentication). The
 * objects are made here with pydicom (tests/net/make-objects.py). */

#define N_STUDIES 1050
#define PREFIX "1.2.826.0.1.3680043.10.1043.1"
#define SERIES_PREFIX "1.2.826.0.1.3680043.10.1043.2"
#define S_STUDY SERIES_PREFIX ".0"
#define S_SERIES SERIES_PREFIX ".0.1"

static char *tmpdir;

static LbDicomwebClient *
make_client (void)
{
  g_autoptr (LbServerProfile) profile = lb_server_profile_new ("test", lb_test_dicomweb_url ());
  const char *auth = g_getenv ("LIGHTBOX_TEST_AUTH");
  LbDicomwebClient *client;

  if (auth != NULL)
    {
      g_auto (GStrv) pair = g_strsplit (auth, ":", 2);
      g_autoptr (LbSecretStore) secrets = lb_secret_store_new (FALSE);
      g_autofree char *server = NULL;
      g_autoptr (GUri) uri = g_uri_parse (lb_test_dicomweb_url (), G_URI_FLAGS_NONE, NULL);

      lb_server_profile_set_auth_kind (profile, LB_AUTH_BASIC);
      lb_server_profile_set_username (profile, pair[0]);
      client = lb_dicomweb_client_new (profile);
      /* The password goes through the (in-memory) secret store, as in the app. */
      server = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
      lb_secret_store_save_async (secrets, server, pair[0], pair[1], NULL, NULL, NULL);
      lb_dicomweb_client_set_secret_store (client, secrets);
    }
  else
    client = lb_dicomweb_client_new (profile);
  return client;
}

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static GPtrArray *
search (LbDicomwebClient   *client,
        LbQidoLevel         level,
        const char         *study,
        const char         *series,
        const char * const *query,
        guint               page_size)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *found;

  lb_dicomweb_client_search_async (client, level, study, series, query, page_size, NULL, done_cb, &result);
  found = lb_dicomweb_client_search_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  return found;
}

static void
test_paging (void)
{
  g_autoptr (LbDicomwebClient) client = make_client ();
  const char *query[] = { "AccessionNumber=A*", NULL };
  g_autoptr (GPtrArray) found = search (client, LB_QIDO_STUDIES, NULL, NULL, query, 100);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Orthanc gives no count: 10 full pages and a short one. */
  g_assert_cmpuint (found->len, ==, N_STUDIES);
  g_assert_cmpuint (lb_dicomweb_client_get_n_requests (client), ==, N_STUDIES / 100 + 1);
  for (guint i = 0; i < found->len; i++)
    {
      char *uid = lb_dicom_json_get_string (found->pdata[i], 0x0020000D);
      g_assert_true (g_str_has_prefix (uid, PREFIX "."));
      g_assert_false (g_str_has_prefix (uid, SERIES_PREFIX));
      g_assert_true (g_hash_table_add (seen, uid));
    }

  /* The app's entry point pages too, and builds the model. */
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) studies = NULL;

    lb_dicomweb_client_search_studies_async (client, query, NULL, done_cb, &result);
    studies = lb_dicomweb_client_search_studies_finish (client, wait_result (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (studies->len, ==, N_STUDIES);
    g_assert_true (LB_IS_STUDY (studies->pdata[0]));
  }
}

static guint
count (LbDicomwebClient *client, const char *key, const char *value, const char *extra)
{
  g_autofree char *param = lb_dicomweb_query_param (key, value);
  const char *query[] = { param, "AccessionNumber=A*", extra, NULL };
  g_autoptr (GPtrArray) found = search (client, LB_QIDO_STUDIES, NULL, NULL, query, 500);

  return found->len;
}

static void
test_matching (void)
{
  g_autoptr (LbDicomwebClient) client = make_client ();
  guint expect_jan = 0;

  for (guint s = 0; s < N_STUDIES; s++)
    expect_jan += s % 12 == 0;

  /* single value, wildcard, PN with its ^ sent raw, date range */
  g_assert_cmpuint (count (client, "PatientID", "P0001", NULL), ==, N_STUDIES / 50);
  g_assert_cmpuint (count (client, "PatientID", "P000*", NULL), ==, N_STUDIES / 50 * 10);
  g_assert_cmpuint (count (client, "PatientName", "TEST^PATIENT1", NULL), ==, N_STUDIES / 50);
  g_assert_cmpuint (count (client, "00100020", "P0002", NULL), ==, N_STUDIES / 50);
  g_assert_cmpuint (count (client, "StudyDate", "20260101-20260131", NULL), ==, expect_jan);
  g_assert_cmpuint (count (client, "StudyDate", "20260101-20260131", "fuzzymatching=true"), ==, expect_jan);
  g_assert_cmpuint (count (client, "PatientID", "NOBODY", NULL), ==, 0);

  /* includefield brings the description */
  {
    const char *query[] = { "StudyInstanceUID=" PREFIX ".7", "includefield=00081030", NULL };
    g_autoptr (GPtrArray) found = search (client, LB_QIDO_STUDIES, NULL, NULL, query, 0);
    g_autofree char *desc = NULL;

    g_assert_cmpuint (found->len, ==, 1);
    desc = lb_dicom_json_get_string (found->pdata[0], 0x00081030);
    g_assert_cmpstr (desc, ==, "Synthetic 7");
  }
}

static void
test_levels (void)
{
  g_autoptr (LbDicomwebClient) client = make_client ();
  g_autoptr (GPtrArray) series = search (client, LB_QIDO_SERIES, S_STUDY, NULL, NULL, 100);
  g_autoptr (GPtrArray) instances = search (client, LB_QIDO_INSTANCES, S_STUDY, S_SERIES, NULL, 2);
  g_autofree char *uid = NULL;

  g_assert_cmpuint (series->len, ==, 1);
  uid = lb_dicom_json_get_string (series->pdata[0], 0x0020000E);
  g_assert_cmpstr (uid, ==, S_SERIES);
  /* 5 instances in pages of 2: 2 + 2 + 1 */
  g_assert_cmpuint (instances->len, ==, 5);
}

static void
test_metadata (void)
{
  g_autoptr (LbDicomwebClient) client = make_client ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) datasets = NULL;
  gint64 frames = 0;

  lb_dicomweb_client_get_metadata_async (client, S_STUDY, S_SERIES, NULL, NULL, done_cb, &result);
  datasets = lb_dicomweb_client_get_metadata_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (datasets->len, ==, 5);
  for (guint i = 0; i < datasets->len; i++)
    {
      g_autofree char *uid = lb_dicom_json_get_string (datasets->pdata[i], 0x00080018);
      g_assert_true (g_str_has_prefix (uid, S_SERIES "."));
      /* IS as JSON number or string, either way */
      g_assert_true (lb_dicom_json_get_int (datasets->pdata[i], 0x00280008, &frames));
      g_assert_cmpint (frames, ==, 3);
    }
}

static gboolean
collect_cb (const char *content_type, GBytes *body, gpointer user_data, GError **error)
{
  g_autofree char *uid = NULL;

  g_assert_true (lb_part10_peek_uids (body, NULL, &uid, NULL));
  g_ptr_array_add (user_data, g_steal_pointer (&uid));
  return TRUE;
}

/* A study the archive does not hold (deleted, moved): WADO-RS answers 404,
 * which the loader reports as such, not as a generic HTTP failure. */
static void
test_missing_study (void)
{
  g_autoptr (LbDicomwebClient) client = make_client ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LbStudyContent) content = NULL;

  lb_study_load_async (client, NULL, "1.2.826.0.1.3680043.10.1043.404", NULL, done_cb, &result);
  content = lb_study_load_finish (client, wait_result (&result), &error);
  g_assert_null (content);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "not in the archive"));
}

static void
test_retrieve_series (void)
{
  g_autoptr (LbDicomwebClient) client = make_client ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) uids = g_ptr_array_new_with_free_func (g_free);
  guint n = 0;

  lb_dicomweb_client_retrieve_async (client, S_STUDY, S_SERIES, NULL, collect_cb, uids, NULL, done_cb, &result);
  g_assert_true (lb_dicomweb_client_retrieve_finish (client, wait_result (&result), &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpuint (uids->len, ==, 5);
  for (guint k = 0; k < 5; k++)
    {
      g_autofree char *want = g_strdup_printf (S_SERIES ".%u", k);
      g_assert_true (g_ptr_array_find_with_equal_func (uids, want, g_str_equal, NULL));
    }
}

static void
test_frames (void)
{
  g_autoptr (LbDicomwebClient) client = make_client ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) frames = NULL;
  const guint wanted[] = { 1, 3 };

  lb_dicomweb_client_retrieve_frames_async (client, S_STUDY, S_SERIES, S_SERIES ".2", wanted, 2,
                                            NULL, done_cb, &result);
  frames = lb_dicomweb_client_retrieve_frames_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frames->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      gsize len;
      const guint8 *px = g_bytes_get_data (frames->pdata[i], &len);

      /* 16×16 8-bit pixels whose value is the frame number */
      g_assert_cmpuint (len, ==, 256);
      g_assert_cmpuint (px[0], ==, wanted[i]);
      g_assert_cmpuint (px[255], ==, wanted[i]);
    }
}

static void
test_rendered (void)
{
  g_autoptr (LbDicomwebClient) client = make_client ();
  g_autoptr (GError) error = NULL;

  /* /rendered works at Orthanc ... */
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GBytes) image = NULL;
    g_autofree char *type = NULL;
    const guint8 *data;
    gsize len;

    lb_dicomweb_client_retrieve_rendered_async (client, S_STUDY, S_SERIES, S_SERIES ".0", FALSE, 0, 0,
                                                NULL, done_cb, &result);
    image = lb_dicomweb_client_retrieve_rendered_finish (client, wait_result (&result), &type, &error);
    g_assert_no_error (error);
    data = g_bytes_get_data (image, &len);
    g_assert_cmpuint (len, >, 4);
    g_assert_true ((data[0] == 0xFF && data[1] == 0xD8) || memcmp (data, "\x89PNG", 4) == 0);
    g_assert_true (g_str_has_prefix (type, "image/"));
  }
  /* ... /thumbnail is a 404 there: callers render it themselves */
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GBytes) image = NULL;

    lb_dicomweb_client_retrieve_rendered_async (client, S_STUDY, S_SERIES, S_SERIES ".0", TRUE, 64, 64,
                                                NULL, done_cb, &result);
    image = lb_dicomweb_client_retrieve_rendered_finish (client, wait_result (&result), NULL, &error);
    g_assert_null (image);
    g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_NOT_SUPPORTED);
  }
}

static GBytes *
read_file (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static LbStowResult *
stow (LbDicomwebClient *client, const char *study, GPtrArray *objects, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  lb_dicomweb_client_store_async (client, study, objects, NULL, done_cb, &result);
  return lb_dicomweb_client_store_finish (client, wait_result (&result), error);
}

static void
test_stow (void)
{
  g_autoptr (LbDicomwebClient) client = make_client ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmpdir, "stow", NULL);
  g_autofree char *a = g_build_filename (dir, "s00000-i000.dcm", NULL);
  g_autofree char *b = g_build_filename (dir, "s00001-i000.dcm", NULL);
  const char *make[] = { "/usr/bin/python3", NULL, "--out", dir, "--studies", "2",
                         "--prefix", "1.2.826.0.1.3680043.10.1043.3", "--accession-prefix", "W", NULL };
  g_autofree char *script = lb_test_source_path ("net", "make-objects.py", NULL);
  g_autoptr (GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (LbStowResult) all = NULL;
  g_autoptr (LbStowResult) partial = NULL;
  const LbStowItem *item;

  make[1] = script;
  lb_test_run (make, NULL, NULL, TRUE);
  g_ptr_array_add (objects, read_file (a));
  g_ptr_array_add (objects, read_file (b));

  /* Both go in, in one request; the response names each. */
  all = stow (client, NULL, objects, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lb_stow_result_get_http_status (all), ==, 200);
  g_assert_cmpuint (lb_stow_result_get_n_items (all), ==, 2);
  g_assert_cmpint (lb_stow_result_lookup (all, "1.2.826.0.1.3680043.10.1043.3.0.1.0")->status, ==, LB_STOW_STATUS_SUCCESS);
  g_assert_cmpint (lb_stow_result_lookup (all, "1.2.826.0.1.3680043.10.1043.3.1.1.0")->status, ==, LB_STOW_STATUS_SUCCESS);
  {
    const char *query[] = { "AccessionNumber=W*", NULL };
    g_autoptr (GPtrArray) found = search (client, LB_QIDO_STUDIES, NULL, NULL, query, 100);
    g_assert_cmpuint (found->len, ==, 2);
  }

  /* Stored below one study, the object of the other study is refused:
   * a partial failure, with the reason. */
  partial = stow (client, "1.2.826.0.1.3680043.10.1043.3.0", objects, &error);
  g_assert_no_error (error);
  item = lb_stow_result_lookup (partial, "1.2.826.0.1.3680043.10.1043.3.0.1.0");
  g_assert_nonnull (item);
  g_assert_cmpint (item->status, ==, LB_STOW_STATUS_SUCCESS);
  item = lb_stow_result_lookup (partial, "1.2.826.0.1.3680043.10.1043.3.1.1.0");
  g_assert_nonnull (item);
  g_assert_cmpint (item->status, ==, LB_STOW_STATUS_FAILURE);
  g_assert_cmpuint (item->reason, !=, 0);
}

static void
test_wrong_password (void)
{
  g_autoptr (LbServerProfile) profile = lb_server_profile_new ("test", lb_test_dicomweb_url ());
  g_autoptr (LbDicomwebClient) client = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;

  lb_server_profile_set_auth_kind (profile, LB_AUTH_BASIC);
  lb_server_profile_set_username (profile, "nurse");
  client = lb_dicomweb_client_new (profile);
  lb_dicomweb_client_set_secret (client, "wrong");
  lb_dicomweb_client_search_async (client, LB_QIDO_STUDIES, NULL, NULL, NULL, 10, NULL, done_cb, &result);
  found = lb_dicomweb_client_search_finish (client, wait_result (&result), &error);
  g_assert_null (found);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  /* no retry loop on 401 */
  g_assert_cmpuint (lb_dicomweb_client_get_n_requests (client), ==, 1);
}

int
main (int argc, char *argv[])
{
  g_autofree char *script = NULL;
  g_autofree char *studies = NULL;
  g_autofree char *series = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = lb_test_make_tmpdir ();
  script = lb_test_source_path ("net", "make-objects.py", NULL);
  studies = g_build_filename (tmpdir, "studies", NULL);
  series = g_build_filename (tmpdir, "series", NULL);
  {
    g_autofree char *n = g_strdup_printf ("%d", N_STUDIES);
    const char *make_studies[] = { "/usr/bin/python3", script, "--out", studies, "--studies", n,
                                   "--prefix", PREFIX, "--load", NULL };
    const char *make_series[] = { "/usr/bin/python3", script, "--out", series, "--instances", "5",
                                  "--frames", "3", "--size", "16x16", "--prefix", SERIES_PREFIX, "--accession-prefix", "S",
                                  "--load", NULL };
    lb_test_run (make_studies, NULL, NULL, TRUE);
    lb_test_run (make_series, NULL, NULL, TRUE);
  }

  g_test_add_func ("/net/orthanc/qido-paging", test_paging);
  g_test_add_func ("/net/orthanc/qido-matching", test_matching);
  g_test_add_func ("/net/orthanc/qido-levels", test_levels);
  g_test_add_func ("/net/orthanc/wado-metadata", test_metadata);
  g_test_add_func ("/net/orthanc/wado-retrieve-series", test_retrieve_series);
  g_test_add_func ("/net/orthanc/wado-frames", test_frames);
  g_test_add_func ("/net/orthanc/wado-rendered", test_rendered);
  g_test_add_func ("/net/orthanc/stow", test_stow);
  g_test_add_func ("/net/orthanc/missing-study", test_missing_study);
  if (g_getenv ("LIGHTBOX_TEST_AUTH") != NULL)
    g_test_add_func ("/net/orthanc/wrong-password", test_wrong_password);
  status = g_test_run ();
  lb_test_remove_tree (tmpdir);
  return status;
}
