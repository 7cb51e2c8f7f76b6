/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <libsoup/soup.h>
#include <string.h>

#include "lb-dicomweb-client.h"
#include "lb-test-utils.h"

/* Misbehaving archives, simulated in-process with a SoupServer: every
 * case must end in a specific LB_NET_ERROR, never a crash or a hang. */

static SoupServer *server;
static char *base;          /* http://127.0.0.1:PORT */
static GHashTable *hits;    /* path -> number of requests */
static GPtrArray *paused;   /* messages left hanging (stalls) */

static const char study_json[] =
  "{\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"1.2.3.%u\"]},"
  " \"00201208\": {\"vr\": \"IS\", \"Value\": [\"%u\"]}}";

static guint
hit (const char *path)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (hits, path)) + 1;

  g_hash_table_replace (hits, g_strdup (path), GUINT_TO_POINTER (n));
  return n;
}

static void
reply (SoupServerMessage *msg, guint status, const char *type, const char *body, gssize len)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, len < 0 ? strlen (body) : (gsize) len);
}

static void
paged (SoupServerMessage *msg, GHashTable *query)
{
  guint limit = query ? g_ascii_strtoull (g_hash_table_lookup (query, "limit") ?: "0", NULL, 10) : 0;
  guint offset = query ? g_ascii_strtoull (g_hash_table_lookup (query, "offset") ?: "0", NULL, 10) : 0;
  g_autoptr (GString) out = g_string_new ("[");

  for (guint i = offset; i < 25 && i < offset + limit; i++)
    {
      if (i > offset)
        g_string_append_c (out, ',');
      g_string_append_printf (out, study_json, i, i);
    }
  g_string_append_c (out, ']');
  reply (msg, 200, "application/dicom+json", out->str, out->len);
}

static void
stow (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *type = soup_message_headers_get_one (headers, "Content-Type");
  g_autoptr (GError) error = NULL;
  g_autoptr (LbMultipartReader) reader = lb_multipart_reader_new (type, NULL, &error);
  g_autoptr (GBytes) part = NULL;
  guint n = 0;

  /* What Orthanc insists on, and what stalls it. */
  g_assert_no_error (error);
  g_assert_cmpstr (lb_multipart_reader_get_part_type (reader), ==, "application/dicom");
  g_assert_null (soup_message_headers_get_one (headers, "Expect"));
  g_assert_true (lb_multipart_reader_feed (reader, (const guint8 *) body->data, body->length, &error));
  g_assert_true (lb_multipart_reader_close (reader, &error));
  while ((part = lb_multipart_reader_pop_part (reader, NULL)) != NULL)
    {
      n++;
      g_clear_pointer (&part, g_bytes_unref);
    }
  g_assert_cmpuint (n, ==, 3);
  reply (msg, 202, "application/dicom+json",
         "{\"00081199\": {\"vr\": \"SQ\", \"Value\": ["
         "  {\"00081150\": {\"vr\": \"UI\", \"Value\": [\"1.2.840.10008.5.1.4.1.1.7\"]},"
         "   \"00081155\": {\"vr\": \"UI\", \"Value\": [\"1.2.3.1\"]}},"
         "  {\"00081155\": {\"vr\": \"UI\", \"Value\": [\"1.2.3.2\"]},"
         "   \"00081196\": {\"vr\": \"US\", \"Value\": [45056]}}]},"
         " \"00081198\": {\"vr\": \"SQ\", \"Value\": ["
         "  {\"00081155\": {\"vr\": \"UI\", \"Value\": [\"1.2.3.3\"]},"
         "   \"00081197\": {\"vr\": \"US\", \"Value\": [\"43264\"]}}]}}", -1);
}

static void
handler (SoupServer        *srv,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  guint n = hit (path);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);

  if (g_str_has_prefix (path, "/paged/"))
    paged (msg, query);
  else if (g_str_has_prefix (path, "/empty/"))
    reply (msg, 204, NULL, NULL, 0);
  else if (g_str_has_prefix (path, "/bad-json/"))
    reply (msg, 200, "application/dicom+json", "[{\"0020000D\": {\"vr\": ", -1);
  else if (g_str_has_prefix (path, "/non-utf8/"))
    reply (msg, 200, "application/dicom+json", "[{\"0020000D\": {\"vr\": \"UI\", \"Value\": [\"\xff\xfe\"]}}]", -1);
  else if (g_str_has_prefix (path, "/no-uid/"))
    reply (msg, 200, "application/dicom+json", "[{\"00100010\": {\"vr\": \"PN\"}}]", -1);
  else if (g_str_has_prefix (path, "/html/"))
    reply (msg, 200, "text/html", "<html><body>Welcome to the portal</body></html>", -1);
  else if (g_str_has_prefix (path, "/deep/"))
    {
      g_autofree char *deep = g_strnfill (200000, '[');
      reply (msg, 200, "application/dicom+json", deep, -1);
    }
  else if (g_str_has_prefix (path, "/huge/"))
    {
      g_autofree char *big = g_strnfill (2 * 1024 * 1024, ' ');
      reply (msg, 200, "application/dicom+json", big, -1);
    }
  else if (g_str_has_prefix (path, "/huge-chunked/"))
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);
      g_autofree char *chunk = g_strnfill (256 * 1024, ' ');

      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (resp, SOUP_ENCODING_CHUNKED);
      soup_message_headers_replace (resp, "Content-Type", "application/dicom+json");
      for (guint i = 0; i < 8; i++)
        soup_message_body_append (body, SOUP_MEMORY_COPY, chunk, strlen (chunk));
      soup_message_body_complete (body);
    }
  else if (g_str_has_prefix (path, "/e401/"))
    reply (msg, 401, "text/plain", "no", -1);
  else if (g_str_has_prefix (path, "/e403/"))
    reply (msg, 403, "text/plain", "no", -1);
  else if (g_str_has_prefix (path, "/e400/"))
    reply (msg, 400, "text/plain", "bad", -1);
  else if (g_str_has_prefix (path, "/e500/"))
    reply (msg, 500, "text/plain", "oops", -1);
  else if (g_str_has_prefix (path, "/flaky/"))
    {
      if (n == 1)
        {
          soup_message_headers_replace (resp, "Retry-After", "1");
          reply (msg, 503, "text/plain", "busy", -1);
        }
      else if (n == 2)
        reply (msg, 429, "text/plain", "slow down", -1);
      else
        paged (msg, query);
    }
  else if (g_str_has_prefix (path, "/stall/"))
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (paused, g_object_ref (msg));
    }
  else if (g_str_has_prefix (path, "/stall-body/"))
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);

      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (resp, SOUP_ENCODING_CHUNKED);
      soup_message_headers_replace (resp, "Content-Type", "multipart/related; type=\"application/dicom\"; boundary=B");
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "--B\r\n\r\nhalf", 11);
      /* ... and never another byte */
    }
  else if (g_str_has_prefix (path, "/truncated/"))
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);

      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (resp, SOUP_ENCODING_CHUNKED);
      soup_message_headers_replace (resp, "Content-Type", "multipart/related; type=\"application/dicom\"; boundary=B");
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "--B\r\n\r\nfirst\r\n--B\r\n\r\nsecond, cut", 35);
      soup_message_body_complete (body);
    }
  else if (g_str_has_prefix (path, "/no-boundary/"))
    reply (msg, 200, "multipart/related; type=\"application/dicom\"", "--B\r\n\r\nx\r\n--B--\r\n", -1);
  else if (g_str_has_prefix (path, "/wrong-boundary/"))
    reply (msg, 200, "multipart/related; type=\"application/dicom\"; boundary=A", "--B\r\n\r\nx\r\n--B--\r\n", -1);
  else if (g_str_has_prefix (path, "/json-instead/"))
    reply (msg, 200, "application/dicom+json", "[]", -1);
  else if (g_str_has_prefix (path, "/big-part/"))
    {
      g_autofree char *big = g_strnfill (5000, 'x');
      g_autofree char *body = g_strdup_printf ("--B\r\n\r\n%s\r\n--B--\r\n", big);
      reply (msg, 200, "multipart/related; type=\"application/dicom\"; boundary=B", body, -1);
    }
  else if (g_str_has_prefix (path, "/good-parts/"))
    reply (msg, 200, "multipart/related; type=\"application/octet-stream\"; boundary=B",
           "--B\r\nContent-Type: application/octet-stream\r\n\r\nONE\r\n--B\r\n\r\nTWO\r\n--B--\r\n", -1);
  else if (g_str_has_prefix (path, "/stow/"))
    stow (msg);
  else
    reply (msg, 404, "text/plain", "not here", -1);
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

static LbDicomwebClient *
client_for (const char *prefix)
{
  g_autofree char *url = g_strconcat (base, prefix, NULL);
  g_autoptr (LbServerProfile) profile = lb_server_profile_new ("hostile", url);
  LbDicomwebClient *client = lb_dicomweb_client_new (profile);

  lb_dicomweb_client_set_retry_policy (client, 2, 1);
  lb_dicomweb_client_set_timeout (client, 1);
  lb_dicomweb_client_set_json_limit (client, 1024 * 1024);
  return client;
}

static GPtrArray *
search (LbDicomwebClient *client, guint page_size, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  lb_dicomweb_client_search_async (client, LB_QIDO_STUDIES, NULL, NULL, NULL, page_size, NULL, done_cb, &result);
  return lb_dicomweb_client_search_finish (client, wait_result (&result), error);
}

static void
expect_search_error (const char *prefix, int code, guint n_requests)
{
  g_autoptr (LbDicomwebClient) client = client_for (prefix);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = search (client, 10, &error);

  g_assert_null (found);
  g_assert_error (error, LB_NET_ERROR, code);
  /* errors name the host, so the user knows which archive failed */
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  if (n_requests > 0)
    g_assert_cmpuint (lb_dicomweb_client_get_n_requests (client), ==, n_requests);
}

static void
test_paging (void)
{
  g_autoptr (LbDicomwebClient) client = client_for ("/paged");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = search (client, 10, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 25);
  g_assert_cmpuint (lb_dicomweb_client_get_n_requests (client), ==, 3);
}

static void
test_empty (void)
{
  g_autoptr (LbDicomwebClient) client = client_for ("/empty");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = search (client, 10, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_bad_json (void)
{
  expect_search_error ("/bad-json", LB_NET_ERROR_BAD_RESPONSE, 1);
  expect_search_error ("/non-utf8", LB_NET_ERROR_BAD_RESPONSE, 1);
  expect_search_error ("/html", LB_NET_ERROR_BAD_RESPONSE, 1);
  expect_search_error ("/deep", LB_NET_ERROR_BAD_RESPONSE, 1);
}

static GPtrArray *
search_studies (LbDicomwebClient *client, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  lb_dicomweb_client_search_studies_async (client, NULL, NULL, done_cb, &result);
  return lb_dicomweb_client_search_studies_finish (client, wait_result (&result), error);
}

static void
test_studies (void)
{
  const char *bad[] = { "/bad-json", "/non-utf8", "/html", "/deep", "/no-uid" };

  /* The study search reads replies with its own scanner: the same studies
   * and the same errors as the generic search. */
  {
    g_autoptr (LbDicomwebClient) client = client_for ("/paged");
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) found = search_studies (client, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 25);
    g_assert_cmpstr (lb_study_get_study_uid (found->pdata[24]), ==, "1.2.3.24");
    g_assert_cmpuint (lb_study_get_n_instances (found->pdata[24]), ==, 24);
  }
  {
    g_autoptr (LbDicomwebClient) client = client_for ("/empty");
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) found = search_studies (client, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 0);
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (LbDicomwebClient) client = client_for (bad[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) found = search_studies (client, &error);

      g_assert_null (found);
      g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE);
      g_assert_nonnull (strstr (error->message, "127.0.0.1"));
      g_assert_cmpuint (lb_dicomweb_client_get_n_requests (client), ==, 1);
    }
}

static void
test_too_large (void)
{
  expect_search_error ("/huge", LB_NET_ERROR_TOO_LARGE, 1);
  expect_search_error ("/huge-chunked", LB_NET_ERROR_TOO_LARGE, 1);
}

static void
test_status (void)
{
  /* 401/403: no retry loop; 4xx: no retry; 5xx: retried, then an error */
  expect_search_error ("/e401", LB_NET_ERROR_AUTH, 1);
  expect_search_error ("/e403", LB_NET_ERROR_AUTH, 1);
  expect_search_error ("/e400", LB_NET_ERROR_HTTP, 1);
  expect_search_error ("/e500", LB_NET_ERROR_HTTP, 3);
}

static void
test_retry_after (void)
{
  g_autoptr (LbDicomwebClient) client = client_for ("/flaky");
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GPtrArray) found = search (client, 100, &error);

  /* 503 (Retry-After: 1), then 429, then the answer */
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 25);
  g_assert_cmpuint (lb_dicomweb_client_get_n_requests (client), ==, 3);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
}

static void
test_stall (void)
{
  expect_search_error ("/stall", LB_NET_ERROR_TIMEOUT, 1);
}

static void
test_cancel (void)
{
  g_autoptr (LbDicomwebClient) client = client_for ("/stall");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;

  lb_dicomweb_client_set_timeout (client, 60);
  lb_dicomweb_client_search_async (client, LB_QIDO_STUDIES, NULL, NULL, NULL, 10, cancellable, done_cb, &result);
  g_cancellable_cancel (cancellable);
  found = lb_dicomweb_client_search_finish (client, wait_result (&result), &error);
  g_assert_null (found);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_unreachable (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LbServerProfile) profile = NULL;
  g_autoptr (LbDicomwebClient) client = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* a port that was free a moment ago and has nobody listening */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u/dicom-web", port);
  profile = lb_server_profile_new ("gone", url);
  client = lb_dicomweb_client_new (profile);
  lb_dicomweb_client_set_retry_policy (client, 2, 1);
  found = search (client, 10, &error);
  g_assert_null (found);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  /* connection errors are retried */
  g_assert_cmpuint (lb_dicomweb_client_get_n_requests (client), ==, 3);
}

static void
expect_retrieve_error (const char *prefix, const LbMultipartLimits *limits, int code)
{
  g_autoptr (LbDicomwebClient) client = client_for (prefix);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  if (limits != NULL)
    lb_dicomweb_client_set_multipart_limits (client, limits);
  lb_dicomweb_client_retrieve_async (client, "1.2.3", NULL, NULL, NULL, NULL, NULL, done_cb, &result);
  g_assert_false (lb_dicomweb_client_retrieve_finish (client, wait_result (&result), NULL, &error));
  g_assert_error (error, LB_NET_ERROR, code);
}

static void
test_multipart (void)
{
  LbMultipartLimits limits;

  lb_multipart_limits_init_default (&limits);
  limits.max_part_bytes = 1000;
  expect_retrieve_error ("/truncated", NULL, LB_NET_ERROR_BAD_RESPONSE);
  expect_retrieve_error ("/no-boundary", NULL, LB_NET_ERROR_BAD_RESPONSE);
  expect_retrieve_error ("/wrong-boundary", NULL, LB_NET_ERROR_BAD_RESPONSE);
  expect_retrieve_error ("/json-instead", NULL, LB_NET_ERROR_BAD_RESPONSE);
  expect_retrieve_error ("/big-part", &limits, LB_NET_ERROR_TOO_LARGE);
  expect_retrieve_error ("/stall-body", NULL, LB_NET_ERROR_TIMEOUT);
  expect_retrieve_error ("/e404", NULL, LB_NET_ERROR_NOT_FOUND);
}

static void
test_frames (void)
{
  g_autoptr (LbDicomwebClient) client = client_for ("/good-parts");
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) frames = NULL;
  const guint wanted[] = { 1, 2 };

  lb_dicomweb_client_retrieve_frames_async (client, "1.2", "1.2.3", "1.2.3.4", wanted, 2, NULL, done_cb, &result);
  frames = lb_dicomweb_client_retrieve_frames_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frames->len, ==, 2);
  g_assert_cmpmem (g_bytes_get_data (frames->pdata[0], NULL), g_bytes_get_size (frames->pdata[0]), "ONE", 3);
  g_assert_cmpmem (g_bytes_get_data (frames->pdata[1], NULL), g_bytes_get_size (frames->pdata[1]), "TWO", 3);
}

static void
test_thumbnail_missing (void)
{
  g_autoptr (LbDicomwebClient) client = client_for ("/nothing");
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) image = NULL;

  lb_dicomweb_client_retrieve_rendered_async (client, "1", "1.2", "1.2.3", TRUE, 64, 64, NULL, done_cb, &result);
  image = lb_dicomweb_client_retrieve_rendered_finish (client, wait_result (&result), NULL, &error);
  g_assert_null (image);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_NOT_SUPPORTED);
}

static void
test_stow (void)
{
  g_autoptr (LbDicomwebClient) client = client_for ("/stow");
  g_autoptr (GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LbStowResult) stow_result = NULL;

  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (objects, g_bytes_new_static ("not really DICOM --lightbox-", 28));
  lb_dicomweb_client_store_async (client, NULL, objects, NULL, done_cb, &result);
  stow_result = lb_dicomweb_client_store_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lb_stow_result_get_http_status (stow_result), ==, 202);
  g_assert_cmpuint (lb_stow_result_get_n_items (stow_result), ==, 3);
  g_assert_cmpint (lb_stow_result_lookup (stow_result, "1.2.3.1")->status, ==, LB_STOW_STATUS_SUCCESS);
  g_assert_cmpint (lb_stow_result_lookup (stow_result, "1.2.3.2")->status, ==, LB_STOW_STATUS_WARNING);
  g_assert_cmpuint (lb_stow_result_lookup (stow_result, "1.2.3.2")->reason, ==, 0xB000);
  g_assert_cmpint (lb_stow_result_lookup (stow_result, "1.2.3.3")->status, ==, LB_STOW_STATUS_FAILURE);
  g_assert_cmpuint (lb_stow_result_lookup (stow_result, "1.2.3.3")->reason, ==, 0xA900);
  /* STOW is never retried by the client (the outbox owns resending) */
  g_assert_cmpuint (lb_dicomweb_client_get_n_requests (client), ==, 1);
}

/* ---- TLS ----------------------------------------------------------- */

static char *tls_dir;
static char *cert_path;

static SoupServer *
tls_server (char **url)
{
  g_autofree char *key = g_build_filename (tls_dir, "key.pem", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsCertificate) cert = g_tls_certificate_new_from_files (cert_path, key, &error);
  SoupServer *srv;
  GSList *uris;

  g_assert_no_error (error);
  srv = soup_server_new ("tls-certificate", cert, NULL);
  soup_server_add_handler (srv, NULL, handler, NULL, NULL);
  soup_server_listen_local (srv, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (srv);
  *url = g_strdup_printf ("https://127.0.0.1:%d/paged", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return srv;
}

static GPtrArray *
tls_search (const char *url, const char *ca_file, gboolean verify, GError **error)
{
  g_autoptr (LbServerProfile) profile = lb_server_profile_new ("tls", url);
  g_autoptr (LbDicomwebClient) client = NULL;

  lb_server_profile_set_ca_file (profile, ca_file);
  lb_server_profile_set_tls_verify (profile, verify);
  client = lb_dicomweb_client_new (profile);
  lb_dicomweb_client_set_retry_policy (client, 0, 1);
  return search (client, 10, error);
}

static void
test_tls (void)
{
  g_autofree char *url = NULL;
  g_autoptr (SoupServer) srv = tls_server (&url);
  g_autofree char *missing = g_build_filename (tls_dir, "missing.pem", NULL);

  /* a self-signed certificate is refused by default, naming the host */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) found = tls_search (url, NULL, TRUE, &error);
    g_assert_null (found);
    g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_TLS);
    g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  }
  /* trusted through the profile's CA file */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) found = tls_search (url, cert_path, TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 25);
  }
  /* accepted only when verification is explicitly off */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) found = tls_search (url, NULL, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 25);
  }
  /* an unreadable CA file is a TLS error, not a silent fallback */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) found = tls_search (url, missing, TRUE, &error);
    g_assert_null (found);
    g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_TLS);
  }
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  GSList *uris;
  int status;

  g_test_init (&argc, &argv, NULL);

  hits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  paused = g_ptr_array_new_with_free_func (g_object_unref);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, handler, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* A throw-away self-signed certificate for 127.0.0.1. */
  tls_dir = lb_test_make_tmpdir ();
  cert_path = g_build_filename (tls_dir, "cert.pem", NULL);
  {
    g_autofree char *key = g_build_filename (tls_dir, "key.pem", NULL);
    const char *openssl[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                              "-keyout", key, "-out", cert_path, "-days", "2",
                              "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", NULL };
    g_autofree char *out = NULL;
    lb_test_run (openssl, &out, NULL, TRUE);
  }

  g_test_add_func ("/net/hostile/paging", test_paging);
  g_test_add_func ("/net/hostile/204", test_empty);
  g_test_add_func ("/net/hostile/bad-json", test_bad_json);
  g_test_add_func ("/net/hostile/studies", test_studies);
  g_test_add_func ("/net/hostile/too-large", test_too_large);
  g_test_add_func ("/net/hostile/status", test_status);
  g_test_add_func ("/net/hostile/retry-after", test_retry_after);
  g_test_add_func ("/net/hostile/stall", test_stall);
  g_test_add_func ("/net/hostile/cancel", test_cancel);
  g_test_add_func ("/net/hostile/unreachable", test_unreachable);
  g_test_add_func ("/net/hostile/multipart", test_multipart);
  g_test_add_func ("/net/hostile/frames", test_frames);
  g_test_add_func ("/net/hostile/thumbnail-404", test_thumbnail_missing);
  g_test_add_func ("/net/hostile/stow", test_stow);
  g_test_add_func ("/net/hostile/tls", test_tls);
  status = g_test_run ();

  g_clear_pointer (&paused, g_ptr_array_unref);
  g_clear_object (&server);
  lb_test_remove_tree (tls_dir);
  return status;
}
