/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-dicomweb-client.h"

#include <libsoup/soup.h>

#include "lb-config.h"

#include "lb-dicom-json.h"

/* Limits on what an archive may send us in one reply. */
#define MAX_JSON_BYTES (256u * 1024 * 1024)

struct _LbDicomwebClient
{
  GObject parent_instance;

  LbServerProfile *profile;
  SoupSession *session;
};

G_DEFINE_FINAL_TYPE (LbDicomwebClient, lb_dicomweb_client, G_TYPE_OBJECT)

static void
lb_dicomweb_client_dispose (GObject *object)
{
  LbDicomwebClient *self = LB_DICOMWEB_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (lb_dicomweb_client_parent_class)->dispose (object);
}

static void
lb_dicomweb_client_class_init (LbDicomwebClientClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lb_dicomweb_client_dispose;
}

static void
lb_dicomweb_client_init (LbDicomwebClient *self)
{
  self->session = soup_session_new_with_options ("timeout", 30,
                                                 "idle-timeout", 60,
                                                 "max-conns-per-host", 6,
                                                 "user-agent", "Lightbox/" PACKAGE_VERSION " ",
                                                 NULL);
}

LbDicomwebClient *
lb_dicomweb_client_new (LbServerProfile *profile)
{
  LbDicomwebClient *self;

  g_return_val_if_fail (LB_IS_SERVER_PROFILE (profile), NULL);

  self = g_object_new (LB_TYPE_DICOMWEB_CLIENT, NULL);
  self->profile = g_object_ref (profile);
  return self;
}

LbServerProfile *
lb_dicomweb_client_get_profile (LbDicomwebClient *self)
{
  g_return_val_if_fail (LB_IS_DICOMWEB_CLIENT (self), NULL);
  return self->profile;
}

/* Turn a transport failure into an error a user can act on. */
static void
set_transport_error (GError     **error,
                     const char  *host,
                     GError      *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_error_copy (cause));
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_TIMEOUT,
                 "The archive at %s did not answer in time", host);
  else if (cause->domain == G_TLS_ERROR)
    g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_TLS,
                 "Secure connection to %s failed: %s", host, cause->message);
  else
    g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_UNREACHABLE,
                 "The archive at %s is unreachable: %s", host, cause->message);
}

static gboolean
check_status (SoupMessage  *msg,
              const char   *host,
              GError      **error)
{
  guint status = soup_message_get_status (msg);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_AUTH,
                   "Authentication failed at %s (HTTP %u)", host, status);
      return FALSE;
    }
  if (status < 200 || status >= 300)
    {
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_HTTP,
                   "The archive at %s answered HTTP %u %s", host, status,
                   soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg) : "");
      return FALSE;
    }
  return TRUE;
}

static void
search_studies_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  GPtrArray *studies;
  const char *host = g_uri_get_host (soup_message_get_uri (msg));
  gsize len;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      GError *mapped = NULL;
      set_transport_error (&mapped, host, error);
      g_task_return_error (task, mapped);
      return;
    }
  if (!check_status (msg, host, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* 204 No Content: the archive found nothing. */
  if (soup_message_get_status (msg) == SOUP_STATUS_NO_CONTENT)
    {
      g_task_return_pointer (task, g_ptr_array_new_with_free_func (g_object_unref),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  len = g_bytes_get_size (body);
  if (len > MAX_JSON_BYTES)
    {
      g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE,
                               "The archive at %s sent a study list larger than %u MiB",
                               host, MAX_JSON_BYTES >> 20);
      return;
    }
  studies = lb_dicom_json_parse_studies (g_bytes_get_data (body, NULL), len, &error);
  if (studies == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, studies, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * lb_dicomweb_client_search_studies_async:
 * @query: (nullable) (array zero-terminated=1): "key=value" QIDO-RS
 *   parameters, already in the form the archive expects
 *
 * Runs a QIDO-RS study search (PS3.18 10.6).
 */
void
lb_dicomweb_client_search_studies_async (LbDicomwebClient    *self,
                                         const char * const  *query,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GString) url = NULL;
  g_autoptr (SoupMessage) msg = NULL;

  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_dicomweb_client_search_studies_async);

  url = g_string_new (lb_server_profile_get_qido_url (self->profile));
  g_string_append (url, "/studies");
  for (guint i = 0; query != NULL && query[i] != NULL; i++)
    {
      g_string_append_c (url, i == 0 ? '?' : '&');
      g_string_append (url, query[i]);
    }

  msg = soup_message_new (SOUP_METHOD_GET, url->str);
  if (msg == NULL)
    {
      g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_UNREACHABLE,
                               "Not a valid archive address: %s",
                               lb_server_profile_get_qido_url (self->profile));
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "Accept", "application/dicom+json");
  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    search_studies_cb, g_steal_pointer (&task));
}

/**
 * lb_dicomweb_client_search_studies_finish:
 *
 * Returns: (transfer full) (element-type LbStudy): the studies found
 */
GPtrArray *
lb_dicomweb_client_search_studies_finish (LbDicomwebClient  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
