/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "lb-cli.h"
#include "lb-part10.h"

/* lightbox-cli fetch: WADO-RS retrieval of a study (or series) into a
 * folder, one Part-10 file per instance, written as each part arrives. */

typedef struct {
  const char *out;
  guint n;
} Fetch;

static gboolean
write_part_cb (const char  *content_type,
               GBytes      *body,
               gpointer     user_data,
               GError     **error)
{
  Fetch *fetch = user_data;
  g_autofree char *uid = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  fetch->n++;
  /* Name files by SOP Instance UID when the meta header gives a clean one
   * (digits and dots only), else by their position. */
  if (lb_part10_peek_uids (body, NULL, &uid, NULL))
    name = g_strconcat (uid, ".dcm", NULL);
  else
    name = g_strdup_printf ("part-%05u.dcm", fetch->n);
  path = g_build_filename (fetch->out, name, NULL);
  return g_file_set_contents_full (path, data ? data : "", len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

int
lb_cli_fetch (int argc, char **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *study = NULL;
  g_autofree char *series = NULL;
  g_autofree char *out = NULL;
  g_auto (LbCliNetOptions) net = { 0 };
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, "DICOMweb address of the archive", "URL" },
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, "Study Instance UID", "UID" },
    { "series", 0, 0, G_OPTION_ARG_STRING, &series, "Only this series", "UID" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Folder to write the instances to", "DIR" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- retrieve a study (WADO-RS)");
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomwebClient) client = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  Fetch fetch = { 0 };
  guint n_parts = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, lb_cli_net_option_group (&net));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("lightbox-cli fetch: %s\n", error->message);
      return 2;
    }
  if (server == NULL || study == NULL || out == NULL)
    {
      g_printerr ("lightbox-cli fetch: --server, --study and --out are required\n");
      return 2;
    }
  if (g_mkdir_with_parents (out, 0700) != 0)
    {
      int errsv = errno;
      g_printerr ("lightbox-cli fetch: cannot create %s: %s\n", out, g_strerror (errsv));
      return 1;
    }
  client = lb_cli_make_client (server, &net, &error);
  if (client == NULL)
    {
      g_printerr ("lightbox-cli fetch: %s\n", error->message);
      return 1;
    }
  fetch.out = out;
  lb_dicomweb_client_retrieve_async (client, study, series, NULL, write_part_cb, &fetch, NULL,
                                     done_cb, &result);
  lb_cli_wait_for ((gpointer *) &result);
  if (!lb_dicomweb_client_retrieve_finish (client, result, &n_parts, &error))
    {
      g_printerr ("lightbox-cli fetch: %s\n", error->message);
      return 1;
    }
  g_print ("%u instances written to %s\n", n_parts, out);
  return 0;
}
