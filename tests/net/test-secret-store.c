/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-secret-store.h"

/* With no Secret Service answering (no session bus, as in the test suite
 * and on headless servers), secrets live in memory for the session. */

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_memory_fallback (void)
{
  g_autoptr (LbSecretStore) store = lb_secret_store_new (TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) saved = NULL;
  g_autoptr (GAsyncResult) found = NULL;
  g_autoptr (GAsyncResult) other = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *none = NULL;

  lb_secret_store_save_async (store, "pacs:8042", "nurse", "s3cret", NULL, done_cb, &saved);
  while (saved == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (lb_secret_store_save_finish (store, saved, &error));
  g_assert_no_error (error);
  /* the service did not answer: the store says so, for the UI to warn */
  g_assert_true (lb_secret_store_is_session_only (store));

  lb_secret_store_lookup_async (store, "pacs:8042", "nurse", NULL, done_cb, &found);
  while (found == NULL)
    g_main_context_iteration (NULL, TRUE);
  secret = lb_secret_store_lookup_finish (store, found, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "s3cret");

  lb_secret_store_lookup_async (store, "pacs:8042", "doctor", NULL, done_cb, &other);
  while (other == NULL)
    g_main_context_iteration (NULL, TRUE);
  none = lb_secret_store_lookup_finish (store, other, &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

int
main (int argc, char *argv[])
{
  /* No session bus: the Secret Service cannot answer. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/lightbox-test-bus", TRUE);
  g_unsetenv ("DISPLAY");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/secret-store/memory-fallback", test_memory_fallback);
  return g_test_run ();
}
