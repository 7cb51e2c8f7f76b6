/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Preferences → keyring → client: a password entered for an archive row is
 * filed where the DICOMweb client looks it up, and the client then gets in
 * to a real Orthanc that requires HTTP basic auth (run under
 * `orthanc-harness run --auth nurse:s3cret`). No Secret Service runs in the
 * test session, so this is the in-memory fallback; the keyring path shares
 * the same key.
 */
#include "lb-config.h"

#include <adwaita.h>

#include "lb-dicomweb-client.h"
#include "lb-secret-store.h"
#include "lb-server-row.h"
#include "lb-test-utils.h"

static void
changed_cb (LbServerRow *row, gboolean *done)
{
  *done = TRUE;
}

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GPtrArray *
search (LbServerProfile *profile, GError **error)
{
  g_autoptr (LbDicomwebClient) client = lb_dicomweb_client_new (profile);
  g_autoptr (GAsyncResult) result = NULL;
  const char *query[] = { "limit=1", NULL };

  lb_dicomweb_client_search_studies_async (client, query, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return lb_dicomweb_client_search_studies_finish (client, result, error);
}

static void
test_secret_reaches_client (void)
{
  g_autoptr (LbServerProfile) profile = lb_server_profile_new ("Test", lb_test_dicomweb_url ());
  g_autoptr (LbServerProfile) stranger = lb_server_profile_new ("Other", lb_test_dicomweb_url ());
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) studies = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row;
  gboolean done = FALSE;

  lb_server_profile_set_auth_kind (profile, LB_AUTH_BASIC);
  lb_server_profile_set_username (profile, "nurse");

  /* Before a password is known: a clear authentication error. */
  studies = search (profile, &error);
  g_assert_null (studies);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_AUTH);
  g_clear_error (&error);

  row = lb_server_row_new (profile);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_window_set_child (GTK_WINDOW (window), list);
  g_signal_connect (row, "changed", G_CALLBACK (changed_cb), &done);
  lb_server_row_save_secret (LB_SERVER_ROW (row), "s3cret");
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  studies = search (profile, &error);
  g_assert_no_error (error);
  g_assert_nonnull (studies);

  /* Another user name at the same archive gets no secret of ours. */
  lb_server_profile_set_auth_kind (stranger, LB_AUTH_BASIC);
  lb_server_profile_set_username (stranger, "visitor");
  g_clear_pointer (&studies, g_ptr_array_unref);
  studies = search (stranger, &error);
  g_assert_null (studies);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_AUTH);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/ui/server-row/secret-reaches-client", test_secret_reaches_client);
  return g_test_run ();
}
