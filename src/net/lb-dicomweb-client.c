/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-dicomweb-client.h"

#include <libsoup/soup.h>
#include <string.h>

#include "lb-config.h"

#include "lb-dicom-json.h"

/* The DICOMweb client: QIDO-RS, WADO-RS and STOW-RS over one long-lived
 * SoupSession that belongs to the thread (main loop) that created it.
 *
 * Every request goes through the same small machine (request_start →
 * request_send → send_cb), which adds authentication, applies the TLS
 * policy of the profile, retries idempotent requests with exponential
 * backoff and maps transport failures and HTTP statuses onto LB_NET_ERROR
 * codes a UI can act on. Operation-specific code only sees a 2xx reply. */

#define DEFAULT_MAX_JSON_BYTES (256u * 1024 * 1024)
#define DEFAULT_PAGE_SIZE 1000
#define MAX_SEARCH_RESULTS 1000000
#define MAX_RETRY_DELAY_MS 30000
#define MAX_RETRY_AFTER_S 60

struct _LbDicomwebClient
{
  GObject parent_instance;

  LbServerProfile *profile;
  SoupSession *session;
  LbSecretStore *secrets;
  char *secret;
  GError *setup_error;

  guint max_connections;
  guint max_retries;
  guint base_delay_ms;
  guint64 max_json_bytes;
  LbMultipartLimits mp_limits;
  guint n_requests;
};

G_DEFINE_FINAL_TYPE (LbDicomwebClient, lb_dicomweb_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_MAX_CONNECTIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct _Request Request;
typedef void (*ResponseFunc) (GTask *task);
typedef void (*BodyFunc) (GTask *task, GBytes *body);

struct _Request
{
  LbDicomwebClient *client;
  char *method;
  char *url;
  char *accept;
  GBytes *body;
  char *body_type;
  char *host;
  gboolean idempotent;
  gboolean optional;         /* 404/405/406/501 mean "not supported" */
  guint extra_ok_status;     /* a non-2xx status whose body we still read */
  guint attempt;

  SoupMessage *msg;
  GInputStream *stream;
  ResponseFunc on_response;

  /* reading a whole body */
  GByteArray *acc;
  guint64 limit;
  BodyFunc on_body;

  /* QIDO paging */
  char *base_url;
  guint page_size;
  guint offset;
  gboolean studies;          /* results are LbStudy, not JsonObject */
  GPtrArray *results;

  /* WADO-RS multipart */
  LbMultipartReader *reader;
  LbPartFunc part_func;
  gpointer part_data;
  guint n_parts;
  GPtrArray *frames;
};

static void
request_free (gpointer data)
{
  Request *req = data;

  g_clear_object (&req->client);
  g_free (req->method);
  g_free (req->url);
  g_free (req->accept);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->body_type);
  g_free (req->host);
  g_clear_object (&req->msg);
  g_clear_object (&req->stream);
  g_clear_pointer (&req->acc, g_byte_array_unref);
  g_free (req->base_url);
  g_clear_pointer (&req->results, g_ptr_array_unref);
  g_clear_object (&req->reader);
  g_clear_pointer (&req->frames, g_ptr_array_unref);
  g_free (req);
}

static void
lb_dicomweb_client_dispose (GObject *object)
{
  LbDicomwebClient *self = LB_DICOMWEB_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->profile);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (lb_dicomweb_client_parent_class)->dispose (object);
}

static void
lb_dicomweb_client_finalize (GObject *object)
{
  LbDicomwebClient *self = LB_DICOMWEB_CLIENT (object);

  if (self->secret != NULL)
    memset (self->secret, 0, strlen (self->secret));
  g_free (self->secret);
  g_clear_error (&self->setup_error);

  G_OBJECT_CLASS (lb_dicomweb_client_parent_class)->finalize (object);
}

static void
lb_dicomweb_client_constructed (GObject *object)
{
  LbDicomwebClient *self = LB_DICOMWEB_CLIENT (object);
  const char *ca_file;

  G_OBJECT_CLASS (lb_dicomweb_client_parent_class)->constructed (object);

  g_assert (self->profile != NULL);
  /* Bounded concurrency: libsoup queues requests beyond max-conns. */
  self->session = soup_session_new_with_options ("timeout", 30,
                                                 "idle-timeout", 60,
                                                 "max-conns", self->max_connections,
                                                 "max-conns-per-host", self->max_connections,
                                                 "user-agent", "Lightbox/" PACKAGE_VERSION " ",
                                                 NULL);
  ca_file = lb_server_profile_get_ca_file (self->profile);
  if (ca_file != NULL && ca_file[0] != '\0')
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GTlsDatabase) db = g_tls_file_database_new (ca_file, &error);

      if (db == NULL)
        g_set_error (&self->setup_error, LB_NET_ERROR, LB_NET_ERROR_TLS,
                     "Cannot use the certificate authority file %s: %s", ca_file, error->message);
      else
        soup_session_set_tls_database (self->session, db);
    }
}

static void
lb_dicomweb_client_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LbDicomwebClient *self = LB_DICOMWEB_CLIENT (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_MAX_CONNECTIONS:
      g_value_set_uint (value, self->max_connections);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_dicomweb_client_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  LbDicomwebClient *self = LB_DICOMWEB_CLIENT (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      self->profile = g_value_dup_object (value);
      break;
    case PROP_MAX_CONNECTIONS:
      self->max_connections = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_dicomweb_client_class_init (LbDicomwebClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lb_dicomweb_client_constructed;
  object_class->dispose = lb_dicomweb_client_dispose;
  object_class->finalize = lb_dicomweb_client_finalize;
  object_class->get_property = lb_dicomweb_client_get_property;
  object_class->set_property = lb_dicomweb_client_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, LB_TYPE_SERVER_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_CONNECTIONS] =
    g_param_spec_uint ("max-connections", NULL, NULL, 1, 64, 6,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_dicomweb_client_init (LbDicomwebClient *self)
{
  self->max_connections = 6;
  self->max_retries = 3;
  self->base_delay_ms = 500;
  self->max_json_bytes = DEFAULT_MAX_JSON_BYTES;
  lb_multipart_limits_init_default (&self->mp_limits);
}

/**
 * lb_dicomweb_client_new:
 * @profile: the archive to talk to
 *
 * Returns: (transfer full): a client for @profile
 */
LbDicomwebClient *
lb_dicomweb_client_new (LbServerProfile *profile)
{
  g_return_val_if_fail (LB_IS_SERVER_PROFILE (profile), NULL);

  return g_object_new (LB_TYPE_DICOMWEB_CLIENT, "profile", profile, NULL);
}

LbServerProfile *
lb_dicomweb_client_get_profile (LbDicomwebClient *self)
{
  g_return_val_if_fail (LB_IS_DICOMWEB_CLIENT (self), NULL);
  return self->profile;
}

/**
 * lb_dicomweb_client_set_secret:
 * @self: a client
 * @secret: (nullable): the password (basic) or token (bearer)
 *
 * Sets the secret directly (e.g. read by lightbox-cli from a file),
 * bypassing the secret store.
 */
void
lb_dicomweb_client_set_secret (LbDicomwebClient *self,
                               const char       *secret)
{
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));

  if (self->secret != NULL)
    memset (self->secret, 0, strlen (self->secret));
  g_free (self->secret);
  self->secret = g_strdup (secret);
}

/**
 * lb_dicomweb_client_set_secret_store:
 * @self: a client
 * @store: (nullable): where to look secrets up; %NULL for the default
 */
void
lb_dicomweb_client_set_secret_store (LbDicomwebClient *self,
                                     LbSecretStore    *store)
{
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_set_object (&self->secrets, store);
}

/**
 * lb_dicomweb_client_set_timeout:
 * @self: a client
 * @seconds: how long the archive may stay silent before a request fails
 *   with %LB_NET_ERROR_TIMEOUT
 */
void
lb_dicomweb_client_set_timeout (LbDicomwebClient *self,
                                guint             seconds)
{
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_object_set (self->session, "timeout", seconds, NULL);
}

/**
 * lb_dicomweb_client_set_retry_policy:
 * @self: a client
 * @max_retries: retries of an idempotent request after a connection error,
 *   5xx or 429 (0 disables)
 * @base_delay_ms: the first backoff delay; each retry doubles it
 */
void
lb_dicomweb_client_set_retry_policy (LbDicomwebClient *self,
                                     guint             max_retries,
                                     guint             base_delay_ms)
{
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  self->max_retries = max_retries;
  self->base_delay_ms = base_delay_ms;
}

/**
 * lb_dicomweb_client_set_json_limit:
 * @self: a client
 * @max_bytes: the largest JSON (or rendered image) reply accepted
 */
void
lb_dicomweb_client_set_json_limit (LbDicomwebClient *self,
                                   guint64           max_bytes)
{
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  self->max_json_bytes = max_bytes;
}

/**
 * lb_dicomweb_client_set_multipart_limits:
 * @self: a client
 * @limits: limits for WADO-RS multipart replies
 */
void
lb_dicomweb_client_set_multipart_limits (LbDicomwebClient        *self,
                                         const LbMultipartLimits *limits)
{
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_return_if_fail (limits != NULL);
  self->mp_limits = *limits;
}

/**
 * lb_dicomweb_client_get_n_requests:
 * @self: a client
 *
 * Returns: how many HTTP requests were sent, retries included
 */
guint
lb_dicomweb_client_get_n_requests (LbDicomwebClient *self)
{
  g_return_val_if_fail (LB_IS_DICOMWEB_CLIENT (self), 0);
  return self->n_requests;
}

/**
 * lb_dicomweb_query_param:
 * @key: an attribute keyword or tag ("PatientID", "00100020") or a QIDO
 *   parameter ("limit", "includefield", "fuzzymatching")
 * @value: its value, in DICOM matching syntax
 *
 * Builds one "key=value" QIDO-RS query parameter.
 *
 * Encoding policy: the characters DICOM matching needs — `^` (PN
 * components), `*` and `?` (wildcards), `-` (ranges), `,` and `\` (value
 * lists), `.` (UIDs) — are sent raw, because Orthanc does not URL-decode
 * query values (`%5E`, `%2A` match nothing); every other character outside
 * RFC 3986's unreserved set is percent-encoded so the URL stays valid.
 * Standard archives decode both forms alike. Spaces and non-ASCII thus
 * reach Orthanc encoded and match nothing there: use `*` instead.
 *
 * Returns: (transfer full): the parameter
 */
char *
lb_dicomweb_query_param (const char *key,
                         const char *value)
{
  g_autofree char *k = NULL;
  g_autofree char *v = NULL;

  g_return_val_if_fail (key != NULL, NULL);

  k = g_uri_escape_string (key, NULL, FALSE);
  v = g_uri_escape_string (value ? value : "", "^*?-,\\.", FALSE);
  return g_strconcat (k, "=", v, NULL);
}

/* ---- the request machine ------------------------------------------- */

static void request_send (GTask *task);

static char *
server_key (LbDicomwebClient *self)
{
  return lb_dicomweb_profile_secret_key (self->profile);
}

/**
 * lb_dicomweb_profile_secret_key:
 * @profile: an archive profile
 *
 * The "server" attribute under which the profile's password or token is
 * kept in the secret store (its QIDO-RS host and port), so that whoever
 * saves a secret files it where the client will look.
 *
 * Returns: (transfer full): the key
 */
char *
lb_dicomweb_profile_secret_key (LbServerProfile *profile)
{
  g_autoptr (GUri) uri = NULL;
  const char *host;

  g_return_val_if_fail (LB_IS_SERVER_PROFILE (profile), NULL);

  uri = g_uri_parse (lb_server_profile_get_qido_url (profile), G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL)
    return g_strdup ("");
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", host, g_uri_get_port (uri));
  return g_strdup (host);
}

static char *
host_of (const char *url)
{
  g_autoptr (GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup ("the archive");
  return g_strdup (g_uri_get_host (uri));
}

static Request *
request_new (LbDicomwebClient *self,
             const char       *method,
             char             *url)
{
  Request *req = g_new0 (Request, 1);

  req->client = g_object_ref (self);
  req->method = g_strdup (method);
  req->url = url;
  req->host = host_of (url);
  req->idempotent = g_str_equal (method, SOUP_METHOD_GET);
  req->limit = self->max_json_bytes;
  return req;
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  /* Only connected when the profile explicitly disables verification. */
  return TRUE;
}

/* Turn a transport failure into an error a user can act on. */
static GError *
map_transport_error (const char *host,
                     GError     *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (cause);
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (LB_NET_ERROR, LB_NET_ERROR_TIMEOUT,
                        "The archive at %s did not answer in time", host);
  if (cause->domain == G_TLS_ERROR)
    return g_error_new (LB_NET_ERROR, LB_NET_ERROR_TLS,
                        "Secure connection to %s failed: %s", host, cause->message);
  return g_error_new (LB_NET_ERROR, LB_NET_ERROR_UNREACHABLE,
                      "The archive at %s is unreachable: %s", host, cause->message);
}

static gboolean
retry_cb (gpointer user_data)
{
  GTask *task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  request_send (task);
  return G_SOURCE_REMOVE;
}

/* Exponential backoff with jitter; an archive's Retry-After (seconds)
 * takes precedence (RFC 9110 §10.2.3). */
static void
schedule_retry (GTask       *task,
                SoupMessage *msg)
{
  Request *req = g_task_get_task_data (task);
  LbDicomwebClient *self = req->client;
  GCancellable *cancellable = g_task_get_cancellable (task);
  const char *retry_after = msg ? soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                                "Retry-After") : NULL;
  guint64 delay = (guint64) self->base_delay_ms << MIN (req->attempt, 16);
  g_autoptr (GSource) source = NULL;

  delay = MIN (delay, MAX_RETRY_DELAY_MS);
  delay = delay / 2 + g_random_int_range (0, (gint32) (delay / 2 + 1));
  if (retry_after != NULL && g_ascii_isdigit (retry_after[0]))
    delay = MIN (g_ascii_strtoull (retry_after, NULL, 10), MAX_RETRY_AFTER_S) * 1000;
  req->attempt++;
  g_clear_object (&req->msg);

  source = g_timeout_source_new ((guint) delay);
  if (cancellable != NULL)
    {
      /* Wake up early on cancellation rather than after the whole delay. */
      g_autoptr (GSource) cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_dummy_callback (cancel_source);
      g_source_add_child_source (source, cancel_source);
    }
  g_source_set_callback (source, retry_cb, task, NULL);
  g_source_set_static_name (source, "[lightbox] dicomweb retry");
  g_source_attach (source, g_main_context_get_thread_default ());
}

static gboolean
can_retry (Request *req)
{
  return req->idempotent && req->attempt < req->client->max_retries;
}

static gboolean
is_connection_error (GError *error)
{
  return error->domain == G_RESOLVER_ERROR ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  guint status;

  if (stream == NULL)
    {
      if (is_connection_error (error) && can_retry (req))
        {
          schedule_retry (task, NULL);
          return;
        }
      g_task_return_error (task, map_transport_error (req->host, error));
      g_object_unref (task);
      return;
    }

  status = soup_message_get_status (req->msg);
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      /* Never retried: the same credentials will fail the same way. */
      g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_AUTH,
                               "Authentication failed at %s (HTTP %u)", req->host, status);
      g_object_unref (task);
      return;
    }
  if ((status >= 500 || status == 429 /* Too Many Requests */) && can_retry (req))
    {
      schedule_retry (task, req->msg);
      return;
    }
  if (req->optional && (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_METHOD_NOT_ALLOWED ||
                        status == SOUP_STATUS_NOT_ACCEPTABLE || status == SOUP_STATUS_NOT_IMPLEMENTED))
    {
      g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_NOT_SUPPORTED,
                               "The archive at %s does not offer this service (HTTP %u)",
                               req->host, status);
      g_object_unref (task);
      return;
    }
  if (status == SOUP_STATUS_NOT_FOUND && status != req->extra_ok_status)
    {
      g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_NOT_FOUND,
                               "The archive at %s does not hold what was asked for (HTTP 404)",
                               req->host);
      g_object_unref (task);
      return;
    }
  if ((status < 200 || status >= 300) && status != req->extra_ok_status)
    {
      const char *reason = soup_message_get_reason_phrase (req->msg);
      g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_HTTP,
                               "The archive at %s answered HTTP %u %s", req->host, status,
                               reason ? reason : "");
      g_object_unref (task);
      return;
    }

  g_set_object (&req->stream, stream);
  req->on_response (task);
}

static void
request_send (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  LbDicomwebClient *self = req->client;
  SoupMessageHeaders *headers;
  g_autoptr (GUri) uri = g_uri_parse (req->url, SOUP_HTTP_URI_FLAGS, NULL);

  if (uri == NULL)
    {
      g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_UNREACHABLE,
                               "Not a valid archive address: %s", req->url);
      g_object_unref (task);
      return;
    }
  g_clear_object (&req->msg);
  req->msg = soup_message_new_from_uri (req->method, uri);
  headers = soup_message_get_request_headers (req->msg);
  if (req->accept != NULL)
    soup_message_headers_replace (headers, "Accept", req->accept);
  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (req->msg, req->body_type, req->body);

  switch (lb_server_profile_get_auth_kind (self->profile))
    {
    case LB_AUTH_BASIC:
      {
        g_autofree char *pair = g_strdup_printf ("%s:%s", lb_server_profile_get_username (self->profile)
                                                 ? lb_server_profile_get_username (self->profile) : "",
                                                 self->secret ? self->secret : "");
        g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));
        g_autofree char *value = g_strconcat ("Basic ", b64, NULL);

        memset (pair, 0, strlen (pair));
        soup_message_headers_replace (headers, "Authorization", value);
        memset (value, 0, strlen (value));
      }
      break;
    case LB_AUTH_BEARER:
      {
        g_autofree char *value = g_strconcat ("Bearer ", self->secret ? self->secret : "", NULL);
        soup_message_headers_replace (headers, "Authorization", value);
        memset (value, 0, strlen (value));
      }
      break;
    case LB_AUTH_NONE:
    default:
      break;
    }

  if (!lb_server_profile_get_tls_verify (self->profile))
    g_signal_connect (req->msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);

  self->n_requests++;
  soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, task);
}

static void
secret_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *secret = lb_secret_store_lookup_finish (LB_SECRET_STORE (source), result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (secret == NULL)
    {
      g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_AUTH,
                               "Authentication failed at %s: no password or token is known for it",
                               req->host);
      g_object_unref (task);
      return;
    }
  lb_dicomweb_client_set_secret (req->client, secret);
  memset (secret, 0, strlen (secret));
  request_send (task);
}

/* Takes ownership of @task. */
static void
request_start (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  LbDicomwebClient *self = req->client;

  if (self->setup_error != NULL)
    {
      g_task_return_error (task, g_error_copy (self->setup_error));
      g_object_unref (task);
      return;
    }
  if (lb_server_profile_get_auth_kind (self->profile) != LB_AUTH_NONE && self->secret == NULL)
    {
      g_autofree char *server = server_key (self);
      LbSecretStore *store = self->secrets ? self->secrets : lb_secret_store_get_default ();

      lb_secret_store_lookup_async (store, server, lb_server_profile_get_username (self->profile),
                                    g_task_get_cancellable (task), secret_cb, task);
      return;
    }
  request_send (task);
}

/* ---- reading whole bodies ------------------------------------------ */

static void
read_chunk_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  gsize n;

  if (chunk == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_TIMEOUT,
                                 "The archive at %s stopped sending in the middle of a reply", req->host);
      else
        g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
                                 "The reply from %s was cut off: %s", req->host, error->message);
      g_object_unref (task);
      return;
    }
  n = g_bytes_get_size (chunk);
  if (n == 0)
    {
      g_autoptr (GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&req->acc));
      req->on_body (task, body);
      return;
    }
  if (req->acc->len + n > req->limit)
    {
      g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE,
                               "The reply from %s is larger than %" G_GUINT64_FORMAT " bytes",
                               req->host, req->limit);
      g_object_unref (task);
      return;
    }
  g_byte_array_append (req->acc, g_bytes_get_data (chunk, NULL), n);
  g_input_stream_read_bytes_async (req->stream, 64 * 1024, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_chunk_cb, task);
}

/* A ResponseFunc: reads the whole (bounded) body, then calls on_body. */
static void
read_body (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);

  /* Refuse an announced absurd size before reading a byte of it. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      (guint64) soup_message_headers_get_content_length (headers) > req->limit)
    {
      g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE,
                               "The reply from %s is larger than %" G_GUINT64_FORMAT " bytes",
                               req->host, req->limit);
      g_object_unref (task);
      return;
    }
  g_clear_pointer (&req->acc, g_byte_array_unref);
  req->acc = g_byte_array_new ();
  g_input_stream_read_bytes_async (req->stream, 64 * 1024, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_chunk_cb, task);
}

/* DICOM JSON replies must say so (PS3.18 8.7.3.2); a missing Content-Type
 * is tolerated, an HTML error page passed off as 200 is not. */
static gboolean
check_json_type (Request  *req,
                 GError  **error)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (req->msg),
                                                    "Content-Type");
  g_autofree char *type = lb_content_type_parse (value, NULL);

  if (value == NULL || type == NULL ||
      g_str_equal (type, "application/dicom+json") || g_str_equal (type, "application/json") ||
      g_str_has_suffix (type, "+json"))
    return TRUE;
  g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_BAD_RESPONSE,
               "The archive at %s sent %s where DICOM JSON was expected", req->host, type);
  return FALSE;
}

/* ---- QIDO-RS ------------------------------------------------------- */

static char *
escape_uid (const char *uid)
{
  /* UIDs are digits and dots; escape anything else so that a hostile
   * value cannot change the path. */
  return g_uri_escape_string (uid, NULL, FALSE);
}

static char *
build_url (const char *base,
           const char *study_uid,
           const char *series_uid,
           const char *instance_uid,
           const char *tail)
{
  GString *url = g_string_new (base);

  if (study_uid != NULL)
    {
      g_autofree char *e = escape_uid (study_uid);
      g_string_append_printf (url, "/studies/%s", e);
    }
  if (series_uid != NULL)
    {
      g_autofree char *e = escape_uid (series_uid);
      g_string_append_printf (url, "/series/%s", e);
    }
  if (instance_uid != NULL)
    {
      g_autofree char *e = escape_uid (instance_uid);
      g_string_append_printf (url, "/instances/%s", e);
    }
  if (tail != NULL)
    g_string_append (url, tail);
  return g_string_free (url, FALSE);
}

static void search_page (GTask *task);

static void
search_body (GTask  *task,
             GBytes *body)
{
  Request *req = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) page = NULL;
  gsize len = g_bytes_get_size (body);

  /* 204 No Content: nothing (more) found. */
  if (soup_message_get_status (req->msg) == SOUP_STATUS_NO_CONTENT)
    len = 0;
  if (len > 0 && !check_json_type (req, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  /* A study search is read straight into LbStudy objects, without a
   * json-glib tree: 10,000 studies in well under the 300 ms budget. */
  if (req->studies)
    page = lb_dicom_json_parse_studies (g_bytes_get_data (body, NULL), len, &error);
  else
    page = lb_dicom_json_parse_datasets (g_bytes_get_data (body, NULL), len, FALSE, &error);
  if (page == NULL)
    {
      g_prefix_error (&error, "%s: ", req->host);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  g_ptr_array_extend_and_steal (req->results, g_steal_pointer (&page));
  /* No archive tells the total (Orthanc gives no count): a full page means
   * "maybe more"; a short or oversized page (limit ignored) is the end. */
  if (req->page_size > 0 && req->results->len - req->offset == req->page_size)
    {
      if (req->results->len >= MAX_SEARCH_RESULTS)
        {
          g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE,
                                   "The search at %s matched more than %u results; narrow it down",
                                   req->host, MAX_SEARCH_RESULTS);
          g_object_unref (task);
          return;
        }
      req->offset = req->results->len;
      search_page (task);
      return;
    }
  g_task_return_pointer (task, g_ptr_array_ref (req->results), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
search_page (GTask *task)
{
  Request *req = g_task_get_task_data (task);

  g_free (req->url);
  if (req->page_size > 0)
    req->url = g_strdup_printf ("%s%climit=%u&offset=%u", req->base_url,
                                strchr (req->base_url, '?') ? '&' : '?', req->page_size, req->offset);
  else
    req->url = g_strdup (req->base_url);
  req->attempt = 0;
  request_start (task);
}

/* Starts a QIDO-RS search on @task; with @studies, each page is read
 * into LbStudy objects rather than JsonObject datasets. */
static void
search_start (LbDicomwebClient    *self,
              GTask               *task,
              LbQidoLevel          level,
              const char          *study_uid,
              const char          *series_uid,
              const char * const  *query,
              guint                page_size,
              gboolean             studies)
{
  Request *req;
  static const char *const level_path[] = { "/studies", "/series", "/instances" };
  g_autoptr (GString) url = NULL;

  {
    g_autofree char *path = build_url (lb_server_profile_get_qido_url (self->profile),
                                       level == LB_QIDO_STUDIES ? NULL : study_uid,
                                       level == LB_QIDO_INSTANCES ? series_uid : NULL,
                                       NULL, level_path[level]);
    url = g_string_new (path);
  }
  for (guint i = 0; query != NULL && query[i] != NULL; i++)
    {
      g_string_append_c (url, i == 0 ? '?' : '&');
      g_string_append (url, query[i]);
      if (g_str_has_prefix (query[i], "limit="))
        page_size = 0;
    }

  req = request_new (self, SOUP_METHOD_GET, NULL);
  g_free (req->host);
  req->host = host_of (url->str);
  req->base_url = g_string_free (g_steal_pointer (&url), FALSE);
  req->accept = g_strdup ("application/dicom+json");
  req->page_size = page_size;
  req->studies = studies;
  req->results = g_ptr_array_new_with_free_func (studies ? g_object_unref
                                                         : (GDestroyNotify) json_object_unref);
  req->on_response = read_body;
  req->on_body = search_body;
  g_task_set_task_data (task, req, request_free);
  search_page (task);
}

/**
 * lb_dicomweb_client_search_async:
 * @self: a client
 * @level: what to search for
 * @study_uid: (nullable): restrict to this study
 * @series_uid: (nullable): restrict to this series (needs @study_uid)
 * @query: (nullable) (array zero-terminated=1): "key=value" parameters, as
 *   built by lb_dicomweb_query_param(): attribute matching, wildcards,
 *   ranges, `fuzzymatching=true`, `includefield=…`
 * @page_size: fetch every result in pages of this many (`limit`/`offset`);
 *   0 sends the query as is (one request)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the results
 * @user_data: data for @callback
 *
 * Runs a QIDO-RS search (PS3.18 10.6). When @query carries its own
 * `limit`, no paging is done.
 */
void
lb_dicomweb_client_search_async (LbDicomwebClient    *self,
                                 LbQidoLevel          level,
                                 const char          *study_uid,
                                 const char          *series_uid,
                                 const char * const  *query,
                                 guint                page_size,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_return_if_fail (level <= LB_QIDO_INSTANCES);
  g_return_if_fail (series_uid == NULL || study_uid != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_dicomweb_client_search_async);
  search_start (self, task, level, study_uid, series_uid, query, page_size, FALSE);
}

/**
 * lb_dicomweb_client_search_finish:
 * @self: a client
 * @result: the result
 * @error: return location for an %LB_NET_ERROR
 *
 * Returns: (transfer full) (element-type JsonObject): the matching datasets
 */
GPtrArray *
lb_dicomweb_client_search_finish (LbDicomwebClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lb_dicomweb_client_search_studies_async:
 * @self: a client
 * @query: (nullable) (array zero-terminated=1): "key=value" QIDO-RS
 *   parameters, already in the form the archive expects
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the studies
 * @user_data: data for @callback
 *
 * Runs a QIDO-RS study search (PS3.18 10.6), fetching every page unless
 * @query has a `limit`.
 */
void
lb_dicomweb_client_search_studies_async (LbDicomwebClient    *self,
                                         const char * const  *query,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_dicomweb_client_search_studies_async);
  search_start (self, task, LB_QIDO_STUDIES, NULL, NULL, query, DEFAULT_PAGE_SIZE, TRUE);
}

/**
 * lb_dicomweb_client_search_studies_finish:
 * @self: a client
 * @result: the result
 * @error: return location for an %LB_NET_ERROR
 *
 * Returns: (transfer full) (element-type LbStudy): the studies found
 */
GPtrArray *
lb_dicomweb_client_search_studies_finish (LbDicomwebClient  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        lb_dicomweb_client_search_studies_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- WADO-RS metadata ---------------------------------------------- */

static void
metadata_body (GTask  *task,
               GBytes *body)
{
  Request *req = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GPtrArray *datasets;
  gsize len = g_bytes_get_size (body);

  if (soup_message_get_status (req->msg) == SOUP_STATUS_NO_CONTENT)
    len = 0;
  if (len > 0 && !check_json_type (req, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  datasets = lb_dicom_json_parse_datasets (g_bytes_get_data (body, NULL), len, FALSE, &error);
  if (datasets == NULL)
    {
      g_prefix_error (&error, "%s: ", req->host);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, datasets, (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

/**
 * lb_dicomweb_client_get_metadata_async:
 * @self: a client
 * @study_uid: the study
 * @series_uid: (nullable): a series of it
 * @instance_uid: (nullable): an instance of that series
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the datasets
 * @user_data: data for @callback
 *
 * Retrieves metadata (PS3.18 10.4.1.1.2): one DICOM JSON dataset per
 * instance, bulk data as BulkDataURI.
 */
void
lb_dicomweb_client_get_metadata_async (LbDicomwebClient    *self,
                                       const char          *study_uid,
                                       const char          *series_uid,
                                       const char          *instance_uid,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;
  Request *req;

  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_return_if_fail (study_uid != NULL);
  g_return_if_fail (instance_uid == NULL || series_uid != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_dicomweb_client_get_metadata_async);
  req = request_new (self, SOUP_METHOD_GET,
                     build_url (lb_server_profile_get_wado_url (self->profile),
                                study_uid, series_uid, instance_uid, "/metadata"));
  req->accept = g_strdup ("application/dicom+json");
  req->on_response = read_body;
  req->on_body = metadata_body;
  g_task_set_task_data (task, req, request_free);
  request_start (task);
}

/**
 * lb_dicomweb_client_get_metadata_finish:
 * @self: a client
 * @result: the result
 * @error: return location for an %LB_NET_ERROR
 *
 * Returns: (transfer full) (element-type JsonObject): the datasets
 */
GPtrArray *
lb_dicomweb_client_get_metadata_finish (LbDicomwebClient  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- WADO-RS instances and frames (multipart) ---------------------- */

static void
next_part_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *type = NULL;
  g_autoptr (GBytes) part = lb_multipart_reader_next_part_finish (LB_MULTIPART_READER (source),
                                                                  result, &type, &error);

  if (error != NULL)
    {
      if (error->domain == LB_NET_ERROR)
        g_prefix_error (&error, "%s: ", req->host);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (part == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  req->n_parts++;
  if (req->frames != NULL)
    g_ptr_array_add (req->frames, g_bytes_ref (part));
  else if (req->part_func != NULL && !req->part_func (type, part, req->part_data, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  lb_multipart_reader_next_part_async (req->reader, req->stream, g_task_get_cancellable (task),
                                       next_part_cb, task);
}

/* A ResponseFunc: parses the multipart body part by part as it streams in. */
static void
read_multipart (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  const char *type = soup_message_headers_get_one (soup_message_get_response_headers (req->msg),
                                                   "Content-Type");

  if (soup_message_get_status (req->msg) == SOUP_STATUS_NO_CONTENT)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  req->reader = lb_multipart_reader_new (type, &req->client->mp_limits, &error);
  if (req->reader == NULL)
    {
      g_prefix_error (&error, "%s: ", req->host);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  lb_multipart_reader_next_part_async (req->reader, req->stream, g_task_get_cancellable (task),
                                       next_part_cb, task);
}

/**
 * lb_dicomweb_client_retrieve_async:
 * @self: a client
 * @study_uid: the study
 * @series_uid: (nullable): a series of it
 * @instance_uid: (nullable): an instance of that series
 * @part_func: (scope call): receives each instance as soon as it arrives
 * @part_data: data for @part_func
 * @cancellable: (nullable): a #GCancellable
 * @callback: called at the end
 * @user_data: data for @callback
 *
 * Retrieves instances (PS3.18 10.4.1.1.1) as Part-10 objects in their
 * stored encoding (`transfer-syntax=*`: asking for anything else makes
 * Orthanc transcode, which costs seconds and loses the original JPEG).
 * The multipart body is parsed as it streams in; only one instance is
 * held in memory at a time.
 */
void
lb_dicomweb_client_retrieve_async (LbDicomwebClient    *self,
                                   const char          *study_uid,
                                   const char          *series_uid,
                                   const char          *instance_uid,
                                   LbPartFunc           part_func,
                                   gpointer             part_data,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  Request *req;

  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_return_if_fail (study_uid != NULL);
  g_return_if_fail (instance_uid == NULL || series_uid != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_dicomweb_client_retrieve_async);
  req = request_new (self, SOUP_METHOD_GET,
                     build_url (lb_server_profile_get_wado_url (self->profile),
                                study_uid, series_uid, instance_uid, NULL));
  req->accept = g_strdup ("multipart/related; type=\"application/dicom\"; transfer-syntax=*");
  req->part_func = part_func;
  req->part_data = part_data;
  req->on_response = read_multipart;
  g_task_set_task_data (task, req, request_free);
  request_start (task);
}

/**
 * lb_dicomweb_client_retrieve_finish:
 * @self: a client
 * @result: the result
 * @n_parts: (out) (optional): how many instances arrived
 * @error: return location for an %LB_NET_ERROR
 *
 * Returns: %TRUE when the whole reply was read
 */
gboolean
lb_dicomweb_client_retrieve_finish (LbDicomwebClient  *self,
                                    GAsyncResult      *result,
                                    guint             *n_parts,
                                    GError           **error)
{
  Request *req;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  req = g_task_get_task_data (G_TASK (result));
  if (n_parts != NULL)
    *n_parts = req->n_parts;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * lb_dicomweb_client_retrieve_frames_async:
 * @self: a client
 * @study_uid: the study
 * @series_uid: the series
 * @instance_uid: the instance
 * @frames: (array length=n_frames): 1-based frame numbers
 * @n_frames: how many
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the frames
 * @user_data: data for @callback
 *
 * Retrieves frames (PS3.18 10.4.1.1.4) in their stored encoding: raw
 * pixels for uncompressed objects, the JPEG (etc.) bitstream otherwise.
 */
void
lb_dicomweb_client_retrieve_frames_async (LbDicomwebClient    *self,
                                          const char          *study_uid,
                                          const char          *series_uid,
                                          const char          *instance_uid,
                                          const guint         *frames,
                                          guint                n_frames,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;
  Request *req;
  g_autoptr (GString) tail = g_string_new ("/frames/");

  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_return_if_fail (study_uid != NULL && series_uid != NULL && instance_uid != NULL);
  g_return_if_fail (frames != NULL && n_frames > 0);

  for (guint i = 0; i < n_frames; i++)
    g_string_append_printf (tail, "%s%u", i ? "," : "", frames[i]);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_dicomweb_client_retrieve_frames_async);
  req = request_new (self, SOUP_METHOD_GET,
                     build_url (lb_server_profile_get_wado_url (self->profile),
                                study_uid, series_uid, instance_uid, tail->str));
  /* A bare "image/jpeg" is a 400 at Orthanc; octet-stream with
   * transfer-syntax=* returns the stored bitstream untouched. */
  req->accept = g_strdup ("multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
  req->frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  req->on_response = read_multipart;
  g_task_set_task_data (task, req, request_free);
  request_start (task);
}

/**
 * lb_dicomweb_client_retrieve_frames_finish:
 * @self: a client
 * @result: the result
 * @error: return location for an %LB_NET_ERROR
 *
 * Returns: (transfer full) (element-type GBytes): the frames, in order
 */
GPtrArray *
lb_dicomweb_client_retrieve_frames_finish (LbDicomwebClient  *self,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  Request *req;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  req = g_task_get_task_data (G_TASK (result));
  return g_ptr_array_ref (req->frames);
}

/* ---- WADO-RS rendered / thumbnail ---------------------------------- */

static void
rendered_body (GTask  *task,
               GBytes *body)
{
  g_task_return_pointer (task, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
  g_object_unref (task);
}

/**
 * lb_dicomweb_client_retrieve_rendered_async:
 * @self: a client
 * @study_uid: the study
 * @series_uid: the series
 * @instance_uid: the instance
 * @thumbnail: %TRUE for `/thumbnail` (PS3.18 10.4.1.1.6), %FALSE for
 *   `/rendered` (10.4.1.1.5)
 * @viewport_width: wanted width, or 0
 * @viewport_height: wanted height, or 0
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the image
 * @user_data: data for @callback
 *
 * Asks the archive for a consumer-format image. These services are
 * optional and slow on some archives (Orthanc answers `/thumbnail` with
 * 404): when missing, the call fails with %LB_NET_ERROR_NOT_SUPPORTED and
 * the caller renders the frame itself.
 */
void
lb_dicomweb_client_retrieve_rendered_async (LbDicomwebClient    *self,
                                            const char          *study_uid,
                                            const char          *series_uid,
                                            const char          *instance_uid,
                                            gboolean             thumbnail,
                                            guint                viewport_width,
                                            guint                viewport_height,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;
  Request *req;
  g_autofree char *tail = NULL;

  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_return_if_fail (study_uid != NULL && series_uid != NULL && instance_uid != NULL);

  if (viewport_width > 0 && viewport_height > 0)
    tail = g_strdup_printf ("/%s?viewport=%u,%u", thumbnail ? "thumbnail" : "rendered",
                            viewport_width, viewport_height);
  else
    tail = g_strdup_printf ("/%s", thumbnail ? "thumbnail" : "rendered");

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_dicomweb_client_retrieve_rendered_async);
  req = request_new (self, SOUP_METHOD_GET,
                     build_url (lb_server_profile_get_wado_url (self->profile),
                                study_uid, series_uid, instance_uid, tail));
  /* One type only: Orthanc answers a list of types with 400. */
  req->accept = g_strdup ("image/jpeg");
  req->optional = TRUE;
  req->on_response = read_body;
  req->on_body = rendered_body;
  g_task_set_task_data (task, req, request_free);
  request_start (task);
}

/**
 * lb_dicomweb_client_retrieve_rendered_finish:
 * @self: a client
 * @result: the result
 * @content_type: (out) (optional) (transfer full): the image's type
 * @error: return location for an %LB_NET_ERROR
 *
 * Returns: (transfer full) (nullable): the encoded image
 */
GBytes *
lb_dicomweb_client_retrieve_rendered_finish (LbDicomwebClient  *self,
                                             GAsyncResult      *result,
                                             char             **content_type,
                                             GError           **error)
{
  Request *req;
  GBytes *bytes;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  bytes = g_task_propagate_pointer (G_TASK (result), error);
  req = g_task_get_task_data (G_TASK (result));
  if (content_type != NULL)
    *content_type = bytes && req->msg
      ? lb_content_type_parse (soup_message_headers_get_one (soup_message_get_response_headers (req->msg),
                                                             "Content-Type"), NULL)
      : NULL;
  return bytes;
}

/* ---- STOW-RS ------------------------------------------------------- */

static void
store_body (GTask  *task,
            GBytes *body)
{
  Request *req = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  LbStowResult *result;
  gsize len = g_bytes_get_size (body);

  if (len > 0 && !check_json_type (req, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  result = lb_stow_result_parse (soup_message_get_status (req->msg),
                                 g_bytes_get_data (body, NULL), len, &error);
  if (result == NULL)
    {
      g_prefix_error (&error, "%s: ", req->host);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, result, (GDestroyNotify) lb_stow_result_unref);
  g_object_unref (task);
}

static gboolean
body_contains (GPtrArray  *objects,
               const char *boundary)
{
  gsize blen = strlen (boundary);

  for (guint i = 0; i < objects->len; i++)
    {
      gsize len;
      const char *data = g_bytes_get_data (objects->pdata[i], &len);
      if (data != NULL && memmem (data, len, boundary, blen) != NULL)
        return TRUE;
    }
  return FALSE;
}

/**
 * lb_dicomweb_client_store_async:
 * @self: a client
 * @study_uid: (nullable): the study all objects belong to, or %NULL
 * @objects: (element-type GBytes): Part-10 objects
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the per-object result
 * @user_data: data for @callback
 *
 * Stores objects with STOW-RS (PS3.18 10.5). The body is written here
 * rather than by libsoup's multipart helper, because the request's
 * Content-Type must carry `type="application/dicom"` (Orthanc refuses it
 * without). No `Expect: 100-continue` is sent (Orthanc stalls on it).
 *
 * HTTP 200 (all stored), 202 (some failed or warned) and 409 (all failed)
 * all yield an #LbStowResult naming each object; other statuses are
 * errors. STOW is not retried here: the outbox owns resending.
 */
void
lb_dicomweb_client_store_async (LbDicomwebClient    *self,
                                const char          *study_uid,
                                GPtrArray           *objects,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Request *req;
  g_autofree char *boundary = NULL;
  GByteArray *body;

  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_return_if_fail (objects != NULL && objects->len > 0);

  /* A random boundary that occurs in none of the objects. */
  do
    {
      g_free (boundary);
      boundary = g_strdup_printf ("lightbox-%08x%08x%08x%08x", g_random_int (), g_random_int (),
                                  g_random_int (), g_random_int ());
    }
  while (body_contains (objects, boundary));

  body = g_byte_array_new ();
  for (guint i = 0; i < objects->len; i++)
    {
      g_autofree char *head = g_strdup_printf ("--%s\r\nContent-Type: application/dicom\r\n\r\n", boundary);
      gsize len;
      const guint8 *data = g_bytes_get_data (objects->pdata[i], &len);

      g_byte_array_append (body, (const guint8 *) head, strlen (head));
      if (len > 0)
        g_byte_array_append (body, data, len);
      g_byte_array_append (body, (const guint8 *) "\r\n", 2);
    }
  {
    g_autofree char *close = g_strdup_printf ("--%s--\r\n", boundary);
    g_byte_array_append (body, (const guint8 *) close, strlen (close));
  }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_dicomweb_client_store_async);
  req = request_new (self, SOUP_METHOD_POST,
                     build_url (lb_server_profile_get_stow_url (self->profile), study_uid, NULL, NULL,
                                study_uid ? NULL : "/studies"));
  req->accept = g_strdup ("application/dicom+json");
  req->body = g_byte_array_free_to_bytes (body);
  req->body_type = g_strdup_printf ("multipart/related; type=\"application/dicom\"; boundary=%s", boundary);
  req->extra_ok_status = SOUP_STATUS_CONFLICT;
  req->on_response = read_body;
  req->on_body = store_body;
  g_task_set_task_data (task, req, request_free);
  request_start (task);
}

/**
 * lb_dicomweb_client_store_finish:
 * @self: a client
 * @result: the result
 * @error: return location for an %LB_NET_ERROR
 *
 * Returns: (transfer full) (nullable): what the archive said about each object
 */
LbStowResult *
lb_dicomweb_client_store_finish (LbDicomwebClient  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
