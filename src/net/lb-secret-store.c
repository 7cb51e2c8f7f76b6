/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-secret-store.h"

#include <libsecret/secret.h>
#include <string.h>

/* Passwords and tokens for archives. They belong in the Secret Service
 * (never in GSettings, the database or logs); when no Secret Service
 * answers — a server without a desktop session, the test suite — they are
 * kept in this process's memory for the session only and forgotten at exit.
 * Secrets are never logged, not even at debug level. */
struct _LbSecretStore
{
  GObject parent_instance;

  GHashTable *memory;      /* "server\nuser" -> secret */
  gboolean use_service;
  gboolean session_only;   /* the service failed once: stay in memory */
};

G_DEFINE_FINAL_TYPE (LbSecretStore, lb_secret_store, G_TYPE_OBJECT)

static const SecretSchema schema = {
  "io.github.lightboxpacs.Lightbox.Secret", SECRET_SCHEMA_NONE,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

static void
secret_free (gpointer data)
{
  char *secret = data;

  /* Do not leave the secret lying in freed heap memory. */
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
lb_secret_store_finalize (GObject *object)
{
  LbSecretStore *self = LB_SECRET_STORE (object);

  g_clear_pointer (&self->memory, g_hash_table_unref);
  G_OBJECT_CLASS (lb_secret_store_parent_class)->finalize (object);
}

static void
lb_secret_store_class_init (LbSecretStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_secret_store_finalize;
}

static void
lb_secret_store_init (LbSecretStore *self)
{
  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, secret_free);
}

/**
 * lb_secret_store_new:
 * @use_service: whether to try the Secret Service at all
 *
 * Returns: (transfer full): a new store
 */
LbSecretStore *
lb_secret_store_new (gboolean use_service)
{
  LbSecretStore *self = g_object_new (LB_TYPE_SECRET_STORE, NULL);

  self->use_service = use_service;
  self->session_only = !use_service;
  return self;
}

/**
 * lb_secret_store_get_default:
 *
 * Returns: (transfer none): the process-wide store
 */
LbSecretStore *
lb_secret_store_get_default (void)
{
  static gsize store = 0;

  if (g_once_init_enter (&store))
    g_once_init_leave (&store, (gsize) lb_secret_store_new (TRUE));
  return (LbSecretStore *) store;
}

/**
 * lb_secret_store_is_session_only:
 * @self: a store
 *
 * Returns: %TRUE when secrets are only kept in memory (no Secret Service)
 */
gboolean
lb_secret_store_is_session_only (LbSecretStore *self)
{
  g_return_val_if_fail (LB_IS_SECRET_STORE (self), TRUE);
  return self->session_only;
}

static char *
memory_key (const char *server,
            const char *user)
{
  return g_strconcat (server, "\n", user ? user : "", NULL);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  LbSecretStore *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* No Secret Service: the memory copy made before is all we have. */
      g_debug ("Secret Service unavailable, keeping secrets for this session only");
      self->session_only = TRUE;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * lb_secret_store_save_async:
 * @self: a store
 * @server: the archive (host[:port])
 * @user: (nullable): the user name, %NULL for a bearer token
 * @secret: the password or token
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when saved
 * @user_data: data for @callback
 *
 * Saves a secret in the Secret Service, or in memory for this session
 * when the service does not answer.
 */
void
lb_secret_store_save_async (LbSecretStore       *self,
                            const char          *server,
                            const char          *user,
                            const char          *secret,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (LB_IS_SECRET_STORE (self));
  g_return_if_fail (server != NULL && secret != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_secret_store_save_async);
  g_hash_table_replace (self->memory, memory_key (server, user), g_strdup (secret));
  if (self->session_only)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  label = g_strdup_printf ("Lightbox: %s", server);
  secret_password_store (&schema, SECRET_COLLECTION_DEFAULT, label, secret, cancellable,
                         store_cb, g_steal_pointer (&task),
                         "server", server, "user", user ? user : "", NULL);
}

gboolean
lb_secret_store_save_finish (LbSecretStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  LbSecretStore *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("Secret Service unavailable, keeping secrets for this session only");
      self->session_only = TRUE;
    }
  g_task_return_pointer (task, g_strdup (secret), secret_free);
  secret_password_free (secret);
}

/**
 * lb_secret_store_lookup_async:
 * @self: a store
 * @server: the archive (host[:port])
 * @user: (nullable): the user name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the secret
 * @user_data: data for @callback
 *
 * Looks a secret up: this session's memory first, then the Secret Service.
 */
void
lb_secret_store_lookup_async (LbSecretStore       *self,
                              const char          *server,
                              const char          *user,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *key = NULL;
  const char *secret;

  g_return_if_fail (LB_IS_SECRET_STORE (self));
  g_return_if_fail (server != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_secret_store_lookup_async);
  key = memory_key (server, user);
  secret = g_hash_table_lookup (self->memory, key);
  if (secret != NULL || self->session_only)
    {
      g_task_return_pointer (task, g_strdup (secret), secret_free);
      return;
    }
  secret_password_lookup (&schema, cancellable, lookup_cb, g_steal_pointer (&task),
                          "server", server, "user", user ? user : "", NULL);
}

/**
 * lb_secret_store_lookup_finish:
 * @self: a store
 * @result: the result
 * @error: return location for an error (only cancellation)
 *
 * Returns: (transfer full) (nullable): the secret, or %NULL if none is known
 */
char *
lb_secret_store_lookup_finish (LbSecretStore  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
