/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-cli.h"
#include "lb-outbox-sender.h"

/* lightbox-cli store: every file goes into the outbox (committed) first,
 * then the outbox is drained; a kill at any moment loses nothing, and
 * `lightbox-cli outbox retry` finishes the job. */

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
item_done_cb (LbOutboxSender *sender,
              gint64          id,
              const char     *sop_uid,
              gboolean        stored,
              const char     *message,
              gpointer        user_data)
{
  if (stored)
    g_print ("%s\tstored\n", sop_uid);
  else
    g_print ("%s\tfailed\t%s\n", sop_uid, message ? message : "");
}

/**
 * lb_cli_drain:
 * @sender: a sender
 *
 * Drains the outbox once, printing a line per object.
 *
 * Returns: the exit status: 0 when everything due was stored
 */
int
lb_cli_drain (LbOutboxSender *sender)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  guint n_sent = 0, n_failed = 0;

  g_signal_connect (sender, "item-done", G_CALLBACK (item_done_cb), NULL);
  lb_outbox_sender_drain_async (sender, NULL, done_cb, &result);
  lb_cli_wait_for ((gpointer *) &result);
  if (!lb_outbox_sender_drain_finish (sender, result, &n_sent, &n_failed, &error))
    g_printerr ("lightbox-cli: %s\n", error->message);
  g_print ("%u stored, %u failed, %u waiting in the outbox\n", n_sent, n_failed,
           lb_outbox_sender_get_pending_count (sender));
  return error == NULL && n_failed == 0 ? 0 : 1;
}

int
lb_cli_store (int argc, char **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *db = NULL;
  g_auto (GStrv) files = NULL;
  g_auto (LbCliNetOptions) net = { 0 };
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, "DICOMweb address of the archive", "URL" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Local database holding the outbox", "PATH" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE…" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("FILE… - store objects (STOW-RS, through the outbox)");
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomwebClient) client = NULL;
  g_autoptr (LbStore) store = NULL;
  g_autoptr (LbOutboxSender) sender = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, lb_cli_net_option_group (&net));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("lightbox-cli store: %s\n", error->message);
      return 2;
    }
  if (server == NULL || files == NULL || files[0] == NULL)
    {
      g_printerr ("lightbox-cli store: --server URL and at least one FILE are required\n");
      return 2;
    }
  if (db == NULL)
    db = lb_store_default_path ();
  store = lb_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("lightbox-cli store: %s\n", error->message);
      return 1;
    }
  client = lb_cli_make_client (server, &net, &error);
  if (client == NULL)
    {
      g_printerr ("lightbox-cli store: %s\n", error->message);
      return 1;
    }
  sender = lb_outbox_sender_new (store, client);

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *contents = NULL;
      g_autoptr (GBytes) object = NULL;
      gsize len;
      gint64 id;

      if (!g_file_get_contents (files[i], &contents, &len, &error))
        {
          g_printerr ("lightbox-cli store: %s\n", error->message);
          return 1;
        }
      object = g_bytes_new_take (g_steal_pointer (&contents), len);
      id = lb_outbox_sender_enqueue (sender, object, &error);
      if (id == 0)
        {
          g_printerr ("lightbox-cli store: %s: %s\n", files[i], error->message);
          return 1;
        }
      g_print ("queued\t%" G_GINT64_FORMAT "\t%s\n", id, files[i]);
    }
  return lb_cli_drain (sender);
}
