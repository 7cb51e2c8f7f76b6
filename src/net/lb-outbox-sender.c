/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-outbox-sender.h"

#include "lb-part10.h"

/* Drains the outbox of one archive with STOW-RS ("Nothing lost", DESIGN.md).
 *
 * The order of events is what makes it safe: an object is committed to the
 * outbox before any network I/O (lb_outbox_sender_enqueue), and an item is
 * marked sent only after a STOW-RS response names its SOP Instance UID in
 * the ReferencedSOPSequence. A crash between the two leaves the item
 * pending; sending it again is harmless, because archives key objects by
 * SOP Instance UID (Orthanc answers a duplicate with success). Objects go
 * one per request, so each response speaks about exactly one object. */

#define BACKOFF_BASE_S 5
#define BACKOFF_MAX_S 3600

struct _LbOutboxSender
{
  GObject parent_instance;

  LbStore *store;
  LbDicomwebClient *client;
  char *server;
  GCancellable *cancellable;
  gboolean running;
  gboolean draining;
  guint timer_id;
  gulong notify_id;
};

G_DEFINE_FINAL_TYPE (LbOutboxSender, lb_outbox_sender, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PENDING_COUNT,
  N_PROPS
};

enum {
  ITEM_DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct {
  GPtrArray *items;
  guint index;
  guint n_sent;
  guint n_failed;
} Drain;

static void
drain_free (gpointer data)
{
  Drain *drain = data;

  g_ptr_array_unref (drain->items);
  g_free (drain);
}

static void
lb_outbox_sender_dispose (GObject *object)
{
  LbOutboxSender *self = LB_OUTBOX_SENDER (object);

  lb_outbox_sender_stop (self);
  if (self->notify_id != 0)
    g_clear_signal_handler (&self->notify_id, self->store);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_pointer (&self->server, g_free);

  G_OBJECT_CLASS (lb_outbox_sender_parent_class)->dispose (object);
}

static void
lb_outbox_sender_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LbOutboxSender *self = LB_OUTBOX_SENDER (object);

  switch (prop_id)
    {
    case PROP_PENDING_COUNT:
      g_value_set_uint (value, lb_outbox_sender_get_pending_count (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_outbox_sender_class_init (LbOutboxSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lb_outbox_sender_dispose;
  object_class->get_property = lb_outbox_sender_get_property;

  /**
   * LbOutboxSender:pending-count:
   *
   * Objects not yet confirmed by the archive (pending or refused).
   */
  properties[PROP_PENDING_COUNT] =
    g_param_spec_uint ("pending-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LbOutboxSender::item-done:
   * @self: the sender
   * @id: the outbox item
   * @sop_instance_uid: its SOP Instance UID
   * @stored: whether the archive confirmed it
   * @message: (nullable): why not, when not
   *
   * Emitted after each attempt to send an item.
   */
  signals[ITEM_DONE] =
    g_signal_new ("item-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
lb_outbox_sender_init (LbOutboxSender *self)
{
}

static void
store_notify_cb (LbStore        *store,
                 GParamSpec     *pspec,
                 LbOutboxSender *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_COUNT]);
  if (self->running && !self->draining && self->timer_id == 0)
    lb_outbox_sender_start (self);
}

/**
 * lb_outbox_sender_new:
 * @store: the local database holding the outbox
 * @client: the client of the archive to drain to
 *
 * Returns: (transfer full): a sender for @client's archive
 */
LbOutboxSender *
lb_outbox_sender_new (LbStore          *store,
                      LbDicomwebClient *client)
{
  LbOutboxSender *self;

  g_return_val_if_fail (LB_IS_STORE (store), NULL);
  g_return_val_if_fail (LB_IS_DICOMWEB_CLIENT (client), NULL);

  self = g_object_new (LB_TYPE_OUTBOX_SENDER, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  self->server = g_strdup (lb_server_profile_get_stow_url (lb_dicomweb_client_get_profile (client)));
  self->notify_id = g_signal_connect (store, "notify::pending-count", G_CALLBACK (store_notify_cb), self);
  return self;
}

guint
lb_outbox_sender_get_pending_count (LbOutboxSender *self)
{
  g_return_val_if_fail (LB_IS_OUTBOX_SENDER (self), 0);
  return lb_store_outbox_count_pending (self->store);
}

/* The outbox's key for this archive: its STOW-RS base URL. */
const char *
lb_outbox_sender_get_server (LbOutboxSender *self)
{
  g_return_val_if_fail (LB_IS_OUTBOX_SENDER (self), NULL);
  return self->server;
}

/**
 * lb_outbox_sender_enqueue:
 * @self: a sender
 * @object: a Part-10 object
 * @error: return location for an error
 *
 * Commits @object to the outbox (nothing is sent yet) and records it in
 * the audit log.
 *
 * Returns: the outbox item's id, or 0 with @error set
 */
gint64
lb_outbox_sender_enqueue (LbOutboxSender  *self,
                          GBytes          *object,
                          GError         **error)
{
  g_autofree char *sop_uid = NULL;
  gint64 id;

  g_return_val_if_fail (LB_IS_OUTBOX_SENDER (self), 0);

  if (!lb_part10_peek_uids (object, NULL, &sop_uid, error))
    return 0;
  id = lb_store_outbox_add (self->store, self->server, NULL, sop_uid, object, error);
  if (id != 0)
    lb_store_audit_append (self->store, "queue-store", g_get_user_name (), self->server, sop_uid, NULL);
  return id;
}

static gint64
backoff (guint attempts)
{
  gint64 delay = (gint64) BACKOFF_BASE_S << MIN (attempts, 12);

  delay = MIN (delay, BACKOFF_MAX_S);
  return g_get_real_time () / G_USEC_PER_SEC + delay / 2 + g_random_int_range (0, (gint32) (delay / 2 + 1));
}

/* PS3.18 Table I.2-1 / PS3.4 B.2.3: A7xx "out of resources" and 0110
 * "processing failure" may pass; anything else is a refusal of the object. */
static gboolean
failure_is_transient (guint reason)
{
  return (reason & 0xff00) == 0xa700 || reason == 0x0110 || reason == 0;
}

static void send_next (GTask *task);

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  LbOutboxSender *self = g_task_get_source_object (task);
  Drain *drain = g_task_get_task_data (task);
  LbOutboxItem *item = drain->items->pdata[drain->index];
  g_autoptr (GError) error = NULL;
  g_autoptr (LbStowResult) stow = lb_dicomweb_client_store_finish (LB_DICOMWEB_CLIENT (source), result, &error);
  const LbStowItem *named;

  if (stow == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* The archive is down, stalls, or refuses us: try later, and do not
       * hammer it with the rest of the queue now. */
      lb_store_outbox_mark_failed (self->store, item->id, error->message, backoff (item->attempts), FALSE, NULL);
      drain->n_failed++;
      g_signal_emit (self, signals[ITEM_DONE], 0, item->id, item->sop_instance_uid, FALSE, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  named = lb_stow_result_lookup (stow, item->sop_instance_uid);
  if (named != NULL && named->status != LB_STOW_STATUS_FAILURE)
    {
      g_autoptr (GError) db_error = NULL;

      if (!lb_store_outbox_mark_sent (self->store, item->id, &db_error))
        {
          g_task_return_error (task, g_steal_pointer (&db_error));
          return;
        }
      lb_store_audit_append (self->store, "stored", g_get_user_name (), self->server,
                             item->sop_instance_uid, NULL);
      drain->n_sent++;
      g_signal_emit (self, signals[ITEM_DONE], 0, item->id, item->sop_instance_uid, TRUE, NULL);
    }
  else
    {
      guint reason = named ? named->reason : 0;
      gboolean permanent = named != NULL && !failure_is_transient (reason);
      g_autofree char *message = named
        ? g_strdup_printf ("The archive refused the object (FailureReason 0x%04X)", reason)
        : g_strdup ("The archive did not confirm the object");

      lb_store_outbox_mark_failed (self->store, item->id, message, backoff (item->attempts), permanent, NULL);
      drain->n_failed++;
      g_signal_emit (self, signals[ITEM_DONE], 0, item->id, item->sop_instance_uid, FALSE, message);
    }
  drain->index++;
  send_next (g_steal_pointer (&task));
}

static void
send_next (GTask *task)
{
  LbOutboxSender *self = g_task_get_source_object (task);
  Drain *drain = g_task_get_task_data (task);
  g_autoptr (GPtrArray) objects = NULL;
  g_autoptr (GError) error = NULL;
  GBytes *object;
  LbOutboxItem *item;

  if (drain->index >= drain->items->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  item = drain->items->pdata[drain->index];
  object = lb_store_outbox_get_object (self->store, item->id, &error);
  if (object == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  objects = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_ptr_array_add (objects, object);
  lb_dicomweb_client_store_async (self->client, item->study_uid, objects,
                                  g_task_get_cancellable (task), store_cb, task);
}

/**
 * lb_outbox_sender_drain_async:
 * @self: a sender
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when every due item was tried
 * @user_data: data for @callback
 *
 * Sends every due item of this archive, oldest first. Stops at the first
 * transport or HTTP error (the archive is unwell; the rest waits).
 */
void
lb_outbox_sender_drain_async (LbOutboxSender      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Drain *drain;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = NULL;

  g_return_if_fail (LB_IS_OUTBOX_SENDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_outbox_sender_drain_async);
  all = lb_store_outbox_list (self->store, TRUE, &error);
  if (all == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  drain = g_new0 (Drain, 1);
  drain->items = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_outbox_item_free);
  for (guint i = 0; i < all->len; i++)
    {
      LbOutboxItem *item = all->pdata[i];
      if (g_strcmp0 (item->server, self->server) == 0)
        g_ptr_array_add (drain->items, g_steal_pointer (&all->pdata[i]));
    }
  g_task_set_task_data (task, drain, drain_free);
  send_next (task);
}

/**
 * lb_outbox_sender_drain_finish:
 * @self: a sender
 * @result: the result
 * @n_sent: (out) (optional): items confirmed by the archive
 * @n_failed: (out) (optional): items that failed (and stay queued)
 * @error: return location for the error that stopped the drain
 *
 * Returns: %TRUE if every due item was tried
 */
gboolean
lb_outbox_sender_drain_finish (LbOutboxSender  *self,
                               GAsyncResult    *result,
                               guint           *n_sent,
                               guint           *n_failed,
                               GError         **error)
{
  Drain *drain;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  drain = g_task_get_task_data (G_TASK (result));
  if (n_sent != NULL)
    *n_sent = drain ? drain->n_sent : 0;
  if (n_failed != NULL)
    *n_failed = drain ? drain->n_failed : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
timer_cb (gpointer user_data)
{
  LbOutboxSender *self = user_data;

  self->timer_id = 0;
  lb_outbox_sender_start (self);
  return G_SOURCE_REMOVE;
}

static void
auto_drain_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  LbOutboxSender *self = LB_OUTBOX_SENDER (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = NULL;
  gint64 next = G_MAXINT64;

  self->draining = FALSE;
  if (!lb_outbox_sender_drain_finish (self, result, NULL, NULL, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!self->running)
    return;
  /* Wake up when the earliest waiting item is due. */
  items = lb_store_outbox_list (self->store, FALSE, NULL);
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      LbOutboxItem *item = items->pdata[i];
      if (item->state == LB_OUTBOX_PENDING && g_strcmp0 (item->server, self->server) == 0)
        next = MIN (next, item->next_attempt);
    }
  if (next != G_MAXINT64 && self->timer_id == 0)
    {
      gint64 wait = next - g_get_real_time () / G_USEC_PER_SEC;
      self->timer_id = g_timeout_add_seconds ((guint) CLAMP (wait, 1, BACKOFF_MAX_S), timer_cb, self);
    }
}

/**
 * lb_outbox_sender_start:
 * @self: a sender
 *
 * Drains now and keeps draining: whenever an item is added and when the
 * backoff of a waiting item expires, until lb_outbox_sender_stop().
 */
void
lb_outbox_sender_start (LbOutboxSender *self)
{
  g_return_if_fail (LB_IS_OUTBOX_SENDER (self));

  self->running = TRUE;
  if (self->draining)
    return;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  self->draining = TRUE;
  lb_outbox_sender_drain_async (self, self->cancellable, auto_drain_cb, NULL);
}

void
lb_outbox_sender_stop (LbOutboxSender *self)
{
  g_return_if_fail (LB_IS_OUTBOX_SENDER (self));

  self->running = FALSE;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}
