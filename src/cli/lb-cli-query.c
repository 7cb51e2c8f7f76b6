/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "lb-cli.h"
#include "lb-dicomweb-client.h"

/* Reads a secret from a file (first line), so that it never appears in a
 * command line that `ps` shows. */
static char *
read_secret (const char  *path,
             GError     **error)
{
  g_autofree char *text = NULL;
  char *nl;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  nl = strpbrk (text, "\r\n");
  if (nl != NULL)
    *nl = '\0';
  return g_steal_pointer (&text);
}

/**
 * lb_cli_make_client:
 * @server: the archive's DICOMweb base URL
 * @opts: the connection options given on the command line
 * @error: return location for an error
 *
 * Shared by the network subcommands: one archive, its authentication and
 * TLS settings as given with --user/--password-file/--token-file,
 * --ca-file, --no-verify and --timeout.
 *
 * Returns: (transfer full) (nullable): a client
 */
LbDicomwebClient *
lb_cli_make_client (const char            *server,
                    const LbCliNetOptions *opts,
                    GError               **error)
{
  g_autoptr (LbServerProfile) profile = lb_server_profile_new (NULL, server);
  g_autoptr (LbDicomwebClient) client = NULL;
  g_autofree char *secret = NULL;

  if (opts->token_file != NULL)
    {
      lb_server_profile_set_auth_kind (profile, LB_AUTH_BEARER);
      if ((secret = read_secret (opts->token_file, error)) == NULL)
        return NULL;
    }
  else if (opts->user != NULL)
    {
      lb_server_profile_set_auth_kind (profile, LB_AUTH_BASIC);
      lb_server_profile_set_username (profile, opts->user);
      if (opts->password_file != NULL && (secret = read_secret (opts->password_file, error)) == NULL)
        return NULL;
    }
  if (opts->ca_file != NULL)
    lb_server_profile_set_ca_file (profile, opts->ca_file);
  if (opts->no_verify)
    lb_server_profile_set_tls_verify (profile, FALSE);
  client = lb_dicomweb_client_new (profile);
  if (secret != NULL)
    lb_dicomweb_client_set_secret (client, secret);
  if (opts->timeout > 0)
    lb_dicomweb_client_set_timeout (client, (guint) opts->timeout);
  return g_steal_pointer (&client);
}

/**
 * lb_cli_net_option_group:
 * @opts: where the options land
 *
 * Returns: (transfer full): the connection options as an option group
 */
GOptionGroup *
lb_cli_net_option_group (LbCliNetOptions *opts)
{
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &opts->user, "User name (HTTP basic authentication)", "USER" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &opts->password_file, "Read the password from FILE", "FILE" },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &opts->token_file, "Read a bearer token from FILE", "FILE" },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &opts->ca_file, "Trust the certificate authorities in FILE", "FILE" },
    { "no-verify", 0, 0, G_OPTION_ARG_NONE, &opts->no_verify, "Do not verify the TLS certificate (unsafe)", NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &opts->timeout, "Fail when the archive is silent for S seconds", "S" },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("connection", "Connection options:", "Show connection options",
                                            NULL, NULL);

  g_option_group_add_entries (group, entries);
  return group;
}

void
lb_cli_net_options_clear (LbCliNetOptions *opts)
{
  g_clear_pointer (&opts->user, g_free);
  g_clear_pointer (&opts->password_file, g_free);
  g_clear_pointer (&opts->token_file, g_free);
  g_clear_pointer (&opts->ca_file, g_free);
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_object_ref (result);
  *(GAsyncResult **) user_data = result;
}

static void
print_json (GPtrArray *studies)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < studies->len; i++)
    {
      LbStudy *s = g_ptr_array_index (studies, i);

      json_builder_begin_object (builder);
#define MEMBER(name, value) G_STMT_START { \
    json_builder_set_member_name (builder, name); \
    json_builder_add_string_value (builder, (value) ? (value) : ""); \
  } G_STMT_END
      MEMBER ("study_uid", lb_study_get_study_uid (s));
      MEMBER ("patient_name", lb_study_get_patient_name (s));
      MEMBER ("patient_id", lb_study_get_patient_id (s));
      MEMBER ("study_date", lb_study_get_study_date (s));
      MEMBER ("study_time", lb_study_get_study_time (s));
      MEMBER ("description", lb_study_get_description (s));
      MEMBER ("modalities", lb_study_get_modalities (s));
#undef MEMBER
      json_builder_set_member_name (builder, "instances");
      json_builder_add_int_value (builder, lb_study_get_n_instances (s));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

int
lb_cli_query (int argc, char **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *patient_id = NULL;
  g_autofree char *modality = NULL;
  g_autofree char *since = NULL;
  int limit = 0;
  gboolean as_json = FALSE;
  g_auto (LbCliNetOptions) net = { 0 };
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, "DICOMweb address of the archive", "URL" },
    { "patient-id", 0, 0, G_OPTION_ARG_STRING, &patient_id, "Only this patient", "ID" },
    { "modality", 0, 0, G_OPTION_ARG_STRING, &modality, "Only studies with this modality", "MOD" },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, "Only studies on or after this date", "YYYYMMDD" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "At most N studies", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print JSON", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- search an archive's studies");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) query = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (LbDicomwebClient) client = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GPtrArray) studies = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, lb_cli_net_option_group (&net));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("lightbox-cli query: %s\n", error->message);
      return 2;
    }
  if (server == NULL)
    {
      g_printerr ("lightbox-cli query: --server URL is required\n");
      return 2;
    }

  if (patient_id != NULL)
    g_ptr_array_add (query, lb_dicomweb_query_param ("PatientID", patient_id));
  if (modality != NULL)
    g_ptr_array_add (query, lb_dicomweb_query_param ("ModalitiesInStudy", modality));
  if (since != NULL)
    {
      g_autofree char *range = g_strconcat (since, "-", NULL);
      g_ptr_array_add (query, lb_dicomweb_query_param ("StudyDate", range));
    }
  if (limit > 0)
    g_ptr_array_add (query, g_strdup_printf ("limit=%d", limit));
  g_ptr_array_add (query, g_strdup ("includefield=00081030"));
  g_ptr_array_add (query, g_strdup ("includefield=00201208"));
  g_ptr_array_add (query, NULL);

  client = lb_cli_make_client (server, &net, &error);
  if (client == NULL)
    {
      g_printerr ("lightbox-cli query: %s\n", error->message);
      return 1;
    }
  lb_dicomweb_client_search_studies_async (client, (const char * const *) query->pdata, NULL,
                                           search_done_cb, &result);
  lb_cli_wait_for ((gpointer *) &result);
  studies = lb_dicomweb_client_search_studies_finish (client, result, &error);
  if (studies == NULL)
    {
      g_printerr ("lightbox-cli query: %s\n", error->message);
      return 1;
    }

  if (as_json)
    print_json (studies);
  else
    for (guint i = 0; i < studies->len; i++)
      {
        LbStudy *s = g_ptr_array_index (studies, i);
        g_autofree char *name = lb_study_dup_display_name (s);
        g_print ("%s\t%s\t%s\t%s\t%s\n", lb_study_get_study_uid (s),
                 lb_study_get_study_date (s) ? lb_study_get_study_date (s) : "",
                 lb_study_get_patient_id (s) ? lb_study_get_patient_id (s) : "",
                 name,
                 lb_study_get_description (s) ? lb_study_get_description (s) : "");
      }
  return 0;
}
