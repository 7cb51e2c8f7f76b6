/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LB_STORE_ERROR (lb_store_error_quark ())
GQuark lb_store_error_quark (void);

typedef enum {
  LB_STORE_ERROR_OPEN,
  LB_STORE_ERROR_SCHEMA,
  LB_STORE_ERROR_IO,
  LB_STORE_ERROR_FULL,
  LB_STORE_ERROR_NOT_FOUND,
} LbStoreError;

#define LB_TYPE_STORE (lb_store_get_type ())
G_DECLARE_FINAL_TYPE (LbStore, lb_store, LB, STORE, GObject)

/* The schema version this build writes (PRAGMA user_version). */
#define LB_STORE_SCHEMA_VERSION 2

LbStore    *lb_store_open                (const char  *path,
                                          GError     **error);
int         lb_store_get_schema_version  (LbStore     *self);
const char *lb_store_get_path            (LbStore     *self);
char       *lb_store_default_path        (void);

/**
 * LbOutboxState:
 * @LB_OUTBOX_PENDING: waiting to be sent (or to be retried)
 * @LB_OUTBOX_SENT: the archive's STOW-RS response named it as stored
 * @LB_OUTBOX_FAILED: the archive refused it; needs a person (`outbox retry`)
 */
typedef enum {
  LB_OUTBOX_PENDING,
  LB_OUTBOX_SENT,
  LB_OUTBOX_FAILED,
} LbOutboxState;

typedef struct {
  gint64 id;
  char *server;
  char *study_uid;
  char *sop_instance_uid;
  LbOutboxState state;
  guint attempts;
  gint64 created;           /* unix seconds */
  gint64 next_attempt;      /* unix seconds; 0 = now */
  gint64 size;
  char *last_error;         /* nullable, never PHI */
} LbOutboxItem;

void          lb_outbox_item_free            (LbOutboxItem *item);
const char   *lb_outbox_state_to_string      (LbOutboxState state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbOutboxItem, lb_outbox_item_free)

/* Outbox: every outgoing object is committed here before any network I/O. */
gint64        lb_store_outbox_add            (LbStore      *self,
                                              const char   *server,
                                              const char   *study_uid,
                                              const char   *sop_instance_uid,
                                              GBytes       *object,
                                              GError      **error);
GPtrArray    *lb_store_outbox_list           (LbStore      *self,
                                              gboolean      due_only,
                                              GError      **error);
GBytes       *lb_store_outbox_get_object     (LbStore      *self,
                                              gint64        id,
                                              GError      **error);
gboolean      lb_store_outbox_mark_sent      (LbStore      *self,
                                              gint64        id,
                                              GError      **error);
gboolean      lb_store_outbox_mark_failed    (LbStore      *self,
                                              gint64        id,
                                              const char   *reason,
                                              gint64        next_attempt,
                                              gboolean      permanent,
                                              GError      **error);
guint         lb_store_outbox_retry_all      (LbStore      *self,
                                              GError      **error);
guint         lb_store_outbox_count_pending  (LbStore      *self);

/* Worklist rows (DICOM JSON of a study) and thumbnails, per server. */
gboolean      lb_store_worklist_put          (LbStore      *self,
                                              const char   *server,
                                              const char   *study_uid,
                                              const char   *json,
                                              GError      **error);
GPtrArray    *lb_store_worklist_list         (LbStore      *self,
                                              const char   *server,
                                              GError      **error);
gboolean      lb_store_worklist_replace      (LbStore      *self,
                                              const char   *server,
                                              GPtrArray    *study_uids,
                                              GPtrArray    *jsons,
                                              GError      **error);
gboolean      lb_store_worklist_clear        (LbStore      *self,
                                              const char   *server,
                                              GError      **error);
gboolean      lb_store_thumbnail_put         (LbStore      *self,
                                              const char   *server,
                                              const char   *key,
                                              GBytes       *image,
                                              GError      **error);
GBytes       *lb_store_thumbnail_get         (LbStore      *self,
                                              const char   *server,
                                              const char   *key);

/* Size-capped LRU instance cache in a private folder. */
const char   *lb_store_get_cache_dir         (LbStore      *self);
void          lb_store_cache_set_limit       (LbStore      *self,
                                              guint64       max_bytes);
guint64       lb_store_cache_get_size        (LbStore      *self);
gboolean      lb_store_cache_put             (LbStore      *self,
                                              const char   *sop_instance_uid,
                                              GBytes       *object,
                                              GError      **error);
GBytes       *lb_store_cache_get             (LbStore      *self,
                                              const char   *sop_instance_uid);
gboolean      lb_store_cache_clear           (LbStore      *self,
                                              GError      **error);

/* Audit log: append-only. */
gboolean      lb_store_audit_append          (LbStore      *self,
                                              const char   *event,
                                              const char   *user,
                                              const char   *server,
                                              const char   *object_uids,
                                              GError      **error);
GPtrArray    *lb_store_audit_list            (LbStore      *self,
                                              GError      **error);

G_END_DECLS
