/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include <string.h>

#include "lb-cli.h"
#include "lb-outbox-sender.h"



/* lightbox-cli outbox list | retry: inspect the outbox, or send again
 * everything not yet confirmed by its archive. */

static int
list (LbStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = lb_store_outbox_list (store, FALSE, &error);

  if (items == NULL)
    {
      g_printerr ("lightbox-cli outbox: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < items->len; i++)
    {
      LbOutboxItem *item = items->pdata[i];
      g_print ("%" G_GINT64_FORMAT "\t%s\t%u\t%s\t%s\t%s\n", item->id,
               lb_outbox_state_to_string (item->state), item->attempts,
               item->sop_instance_uid, item->server, item->last_error ? item->last_error : "");
    }
  g_print ("%u waiting\n", lb_store_outbox_count_pending (store));
  return 0;
}

static int
retry (LbStore               *store,
       const char            *server,
       const LbCliNetOptions *net)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GPtrArray) servers = g_ptr_array_new_with_free_func (g_free);
  int status = 0;

  lb_store_outbox_retry_all (store, &error);
  if (error != NULL || (items = lb_store_outbox_list (store, TRUE, &error)) == NULL)
    {
      g_printerr ("lightbox-cli outbox: %s\n", error->message);
      return 1;
    }
  /* Each item knows its archive (by STOW-RS URL); --server picks one. */
  for (guint i = 0; i < items->len; i++)
    {
      LbOutboxItem *item = items->pdata[i];
      if ((server == NULL || g_strcmp0 (server, item->server) == 0) &&
          !g_ptr_array_find_with_equal_func (servers, item->server, g_str_equal, NULL))
        g_ptr_array_add (servers, g_strdup (item->server));
    }
  if (servers->len == 0)
    g_print ("nothing to send\n");
  for (guint i = 0; i < servers->len; i++)
    {
      g_autoptr (LbDicomwebClient) client = lb_cli_make_client (servers->pdata[i], net, &error);
      g_autoptr (LbOutboxSender) sender = NULL;

      if (client == NULL)
        {
          g_printerr ("lightbox-cli outbox: %s\n", error->message);
          return 1;
        }
      sender = lb_outbox_sender_new (store, client);
      status |= lb_cli_drain (sender);
    }
  return status;
}

int
lb_cli_outbox (int argc, char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *server = NULL;
  g_auto (LbCliNetOptions) net = { 0 };
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Local database holding the outbox", "PATH" },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, "retry: only this archive", "URL" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("list | retry - the objects waiting to be stored");
  g_autoptr (GError) error = NULL;
  g_autoptr (LbStore) store = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, lb_cli_net_option_group (&net));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("lightbox-cli outbox: %s\n", error->message);
      return 2;
    }
  if (argc != 2 || (strcmp (argv[1], "list") != 0 && strcmp (argv[1], "retry") != 0))
    {
      g_printerr ("lightbox-cli outbox: say “list” or “retry”\n");
      return 2;
    }
  if (db == NULL)
    db = lb_store_default_path ();
  store = lb_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("lightbox-cli outbox: %s\n", error->message);
      return 1;
    }
  if (strcmp (argv[1], "list") == 0)
    return list (store);
  return retry (store, server, &net);
}
