/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-store.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

/* The local database: one sqlite file in WAL mode. Its schema is versioned
 * with PRAGMA user_version; each migration below takes the database from
 * version N-1 to N inside one transaction. */
struct _LbStore
{
  GObject parent_instance;

  sqlite3 *db;
  char *path;
  char *cache_dir;
  guint64 cache_limit;
};

enum {
  PROP_0,
  PROP_PENDING_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LbStore, lb_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (lb-store-error-quark, lb_store_error)

static const char *migrations[] = {
  /* 0 -> 1 */
  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  time TEXT NOT NULL,"
  "  event TEXT NOT NULL,"
  "  user TEXT,"
  "  server TEXT,"
  "  object_uids TEXT"
  ");"
  /* The audit log is append-only: the database refuses edits. */
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
  "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
  "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
  /* 1 -> 2: caches and the outbox */
  "CREATE TABLE worklist ("
  "  server TEXT NOT NULL,"
  "  study_uid TEXT NOT NULL,"
  "  json TEXT NOT NULL,"
  "  updated INTEGER NOT NULL,"
  "  PRIMARY KEY (server, study_uid)"
  ");"
  "CREATE TABLE thumbnail ("
  "  server TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  image BLOB NOT NULL,"
  "  updated INTEGER NOT NULL,"
  "  PRIMARY KEY (server, key)"
  ");"
  "CREATE TABLE instance_cache ("
  "  sop_uid TEXT PRIMARY KEY,"
  "  file TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  last_access INTEGER NOT NULL"
  ");"
  "CREATE INDEX instance_cache_lru ON instance_cache (last_access);"
  /* The object itself is stored in the row, so that committing the row
   * commits the object: there is no moment where one exists without the
   * other. */
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  server TEXT NOT NULL,"
  "  study_uid TEXT,"
  "  sop_uid TEXT NOT NULL,"
  "  object BLOB NOT NULL,"
  "  state INTEGER NOT NULL DEFAULT 0,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  created INTEGER NOT NULL,"
  "  next_attempt INTEGER NOT NULL DEFAULT 0,"
  "  sent INTEGER,"
  "  last_error TEXT,"
  "  UNIQUE (server, sop_uid)"
  ");"
  "CREATE INDEX outbox_state ON outbox (state, next_attempt);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == LB_STORE_SCHEMA_VERSION);

static gboolean
exec_sql (LbStore *self, const char *sql, GError **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      int code = sqlite3_errcode (self->db);
      g_set_error (error, LB_STORE_ERROR,
                   code == SQLITE_FULL ? LB_STORE_ERROR_FULL : LB_STORE_ERROR_IO,
                   "Local database error: %s", msg ? msg : sqlite3_errstr (code));
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

static int
read_user_version (LbStore *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
migrate (LbStore *self, GError **error)
{
  int version;

  /* Take the write lock before reading the version: the app and
   * lightbox-cli may open a fresh database at the same moment, and only
   * one of them may migrate it. */
  if (!exec_sql (self, "BEGIN IMMEDIATE;", error))
    return FALSE;
  version = read_user_version (self);
  if (version < 0)
    {
      exec_sql (self, "ROLLBACK;", NULL);
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_SCHEMA,
                   "Cannot read the schema version of %s", self->path);
      return FALSE;
    }
  if (version > LB_STORE_SCHEMA_VERSION)
    {
      exec_sql (self, "ROLLBACK;", NULL);
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_SCHEMA,
                   "The local database %s was written by a newer Lightbox (schema %d, this one knows %d)",
                   self->path, version, LB_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  /* Each step N-1 → N, all in the one transaction: a crash half-way
   * leaves the database at its old version, untouched. */
  for (; version < LB_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d;", version + 1);

      if (!exec_sql (self, migrations[version], error) || !exec_sql (self, bump, error))
        {
          exec_sql (self, "ROLLBACK;", NULL);
          return FALSE;
        }
    }
  return exec_sql (self, "COMMIT;", error);
}

static void
lb_store_finalize (GObject *object)
{
  LbStore *self = LB_STORE (object);

  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->cache_dir, g_free);

  G_OBJECT_CLASS (lb_store_parent_class)->finalize (object);
}

static void
lb_store_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  LbStore *self = LB_STORE (object);

  switch (prop_id)
    {
    case PROP_PENDING_COUNT:
      g_value_set_uint (value, lb_store_outbox_count_pending (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_store_class_init (LbStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lb_store_finalize;
  object_class->get_property = lb_store_get_property;

  /**
   * LbStore:pending-count:
   *
   * How many objects wait in the outbox (pending or failed): the UI shows it.
   */
  properties[PROP_PENDING_COUNT] =
    g_param_spec_uint ("pending-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_store_init (LbStore *self)
{
  self->cache_limit = G_GUINT64_CONSTANT (2) << 30;
}

/**
 * lb_store_open:
 * @path: the database file; its directory is created private to the user
 * @error: return location for a #LB_STORE_ERROR
 *
 * Opens (creating and migrating as needed) the local database.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL with @error set
 */
LbStore *
lb_store_open (const char  *path,
               GError     **error)
{
  g_autoptr (LbStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_OPEN,
                   "Cannot create the folder %s: %s", dir, g_strerror (errsv));
      return NULL;
    }

  self = g_object_new (LB_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_OPEN,
                   "Cannot open the local database %s: %s", path, sqlite3_errstr (rc));
      return NULL;
    }
  g_chmod (path, 0600);
  sqlite3_busy_timeout (self->db, 5000);
  /* Switching a new database to WAL needs it to itself, and sqlite answers
   * SQLITE_BUSY at once (without its busy handler) while another process
   * — the app and lightbox-cli, say — opens it at the same moment: retry
   * for as long as the busy timeout would have waited. */
  for (int attempt = 0;; attempt++)
    {
      g_autoptr (GError) busy = NULL;

      if (exec_sql (self, "PRAGMA journal_mode=WAL;", &busy))
        break;
      if (sqlite3_errcode (self->db) != SQLITE_BUSY && sqlite3_errcode (self->db) != SQLITE_LOCKED)
        {
          g_propagate_error (error, g_steal_pointer (&busy));
          return NULL;
        }
      if (attempt >= 250)
        {
          g_propagate_error (error, g_steal_pointer (&busy));
          return NULL;
        }
      g_usleep (20 * 1000);
    }
  if (!exec_sql (self, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;", error))
    return NULL;
  if (!migrate (self, error))
    return NULL;
  self->cache_dir = g_build_filename (dir, "instances", NULL);

  return g_steal_pointer (&self);
}

int
lb_store_get_schema_version (LbStore *self)
{
  g_return_val_if_fail (LB_IS_STORE (self), -1);
  return read_user_version (self);
}

const char *
lb_store_get_path (LbStore *self)
{
  g_return_val_if_fail (LB_IS_STORE (self), NULL);
  return self->path;
}

/**
 * lb_store_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/lightbox/lightbox.db`
 */
char *
lb_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "lightbox", "lightbox.db", NULL);
}

/* ---- helpers ------------------------------------------------------- */

/* The store is used from one thread (the main loop, like the sessions);
 * every call is short, and objects are bounded by the DICOM limits. */

static gboolean
set_db_error (LbStore  *self,
              GError  **error)
{
  int code = sqlite3_errcode (self->db);

  g_set_error (error, LB_STORE_ERROR,
               code == SQLITE_FULL ? LB_STORE_ERROR_FULL : LB_STORE_ERROR_IO,
               "Local database error: %s", sqlite3_errmsg (self->db));
  return FALSE;
}

static sqlite3_stmt *
prepare (LbStore     *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error);
      return NULL;
    }
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt, int i, const char *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, i);
  else
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_TRANSIENT);
}

static gboolean
step_done (LbStore       *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_db_error (self, error);
  return TRUE;
}

static char *
column_dup (sqlite3_stmt *stmt, int i)
{
  const unsigned char *text = sqlite3_column_text (stmt, i);
  return text ? g_strdup ((const char *) text) : NULL;
}

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
outbox_changed (LbStore *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_COUNT]);
}

/* ---- outbox -------------------------------------------------------- */

void
lb_outbox_item_free (LbOutboxItem *item)
{
  if (item == NULL)
    return;
  g_free (item->server);
  g_free (item->study_uid);
  g_free (item->sop_instance_uid);
  g_free (item->last_error);
  g_free (item);
}

const char *
lb_outbox_state_to_string (LbOutboxState state)
{
  switch (state)
    {
    case LB_OUTBOX_PENDING: return "pending";
    case LB_OUTBOX_SENT: return "sent";
    case LB_OUTBOX_FAILED: return "failed";
    default: return "unknown";
    }
}

/**
 * lb_store_outbox_add:
 * @self: a store
 * @server: the archive it goes to (its STOW-RS URL)
 * @study_uid: (nullable): the study it belongs to
 * @sop_instance_uid: its SOP Instance UID, the archive's key
 * @object: the Part-10 object
 * @error: return location for an %LB_STORE_ERROR
 *
 * Queues an object for sending. The row (with the object in it) is
 * committed (synchronous=FULL) before this returns, so it survives a crash
 * the moment after. Adding an object that is already queued for @server
 * replaces it and makes it pending again.
 *
 * Returns: the item's id, or 0 with @error set
 */
gint64
lb_store_outbox_add (LbStore     *self,
                     const char  *server,
                     const char  *study_uid,
                     const char  *sop_instance_uid,
                     GBytes      *object,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  gsize len;
  const void *data;
  gint64 id;

  g_return_val_if_fail (LB_IS_STORE (self), 0);
  g_return_val_if_fail (server != NULL && sop_instance_uid != NULL && object != NULL, 0);

  stmt = prepare (self,
                  "INSERT INTO outbox (server, study_uid, sop_uid, object, state, attempts, created, next_attempt)"
                  " VALUES (?1, ?2, ?3, ?4, 0, 0, ?5, 0)"
                  " ON CONFLICT (server, sop_uid) DO UPDATE SET object = ?4, study_uid = ?2, state = 0,"
                  "   attempts = 0, next_attempt = 0, last_error = NULL, sent = NULL"
                  " RETURNING id", error);
  if (stmt == NULL)
    return 0;
  data = g_bytes_get_data (object, &len);
  bind_text (stmt, 1, server);
  bind_text (stmt, 2, study_uid);
  bind_text (stmt, 3, sop_instance_uid);
  sqlite3_bind_blob64 (stmt, 4, data ? data : "", len, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now_s ());
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_db_error (self, error);
      sqlite3_finalize (stmt);
      return 0;
    }
  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  outbox_changed (self);
  return id;
}

/**
 * lb_store_outbox_list:
 * @self: a store
 * @due_only: only pending items whose next attempt is due
 * @error: return location for an %LB_STORE_ERROR
 *
 * Returns: (transfer full) (element-type LbOutboxItem): the items, oldest first
 */
GPtrArray *
lb_store_outbox_list (LbStore   *self,
                      gboolean   due_only,
                      GError   **error)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_outbox_item_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LB_IS_STORE (self), NULL);

  stmt = prepare (self,
                  due_only
                  ? "SELECT id, server, study_uid, sop_uid, state, attempts, created, next_attempt,"
                    " length(object), last_error FROM outbox WHERE state = 0 AND next_attempt <= ?1 ORDER BY id"
                  : "SELECT id, server, study_uid, sop_uid, state, attempts, created, next_attempt,"
                    " length(object), last_error FROM outbox ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  if (due_only)
    sqlite3_bind_int64 (stmt, 1, now_s ());
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LbOutboxItem *item = g_new0 (LbOutboxItem, 1);

      item->id = sqlite3_column_int64 (stmt, 0);
      item->server = column_dup (stmt, 1);
      item->study_uid = column_dup (stmt, 2);
      item->sop_instance_uid = column_dup (stmt, 3);
      item->state = sqlite3_column_int (stmt, 4);
      item->attempts = sqlite3_column_int (stmt, 5);
      item->created = sqlite3_column_int64 (stmt, 6);
      item->next_attempt = sqlite3_column_int64 (stmt, 7);
      item->size = sqlite3_column_int64 (stmt, 8);
      item->last_error = column_dup (stmt, 9);
      g_ptr_array_add (items, item);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

/**
 * lb_store_outbox_get_object:
 * @self: a store
 * @id: an outbox item
 * @error: return location for an %LB_STORE_ERROR
 *
 * Returns: (transfer full) (nullable): the queued object
 */
GBytes *
lb_store_outbox_get_object (LbStore  *self,
                            gint64    id,
                            GError  **error)
{
  sqlite3_stmt *stmt;
  GBytes *bytes = NULL;
  int rc;

  g_return_val_if_fail (LB_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT object FROM outbox WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  else if (rc == SQLITE_DONE)
    g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_NOT_FOUND,
                 "Outbox item %" G_GINT64_FORMAT " does not exist", id);
  else
    set_db_error (self, error);
  sqlite3_finalize (stmt);
  return bytes;
}

/**
 * lb_store_outbox_mark_sent:
 * @self: a store
 * @id: an outbox item
 * @error: return location for an %LB_STORE_ERROR
 *
 * Records that the archive confirmed the object. Call only after a STOW-RS
 * response named its SOP Instance UID as stored.
 *
 * Returns: %TRUE on success
 */
gboolean
lb_store_outbox_mark_sent (LbStore  *self,
                           gint64    id,
                           GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LB_IS_STORE (self), FALSE);

  /* The object is no longer needed once the archive holds it. */
  stmt = prepare (self, "UPDATE outbox SET state = 1, sent = ?2, object = x'', last_error = NULL"
                        " WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now_s ());
  if (!step_done (self, stmt, error))
    return FALSE;
  outbox_changed (self);
  return TRUE;
}

/**
 * lb_store_outbox_mark_failed:
 * @self: a store
 * @id: an outbox item
 * @reason: why (no PHI: an error message or a DICOM failure reason)
 * @next_attempt: when to try again (unix seconds)
 * @permanent: the archive refused the object; only `outbox retry` (a
 *   person) sends it again
 * @error: return location for an %LB_STORE_ERROR
 *
 * Returns: %TRUE on success
 */
gboolean
lb_store_outbox_mark_failed (LbStore     *self,
                             gint64       id,
                             const char  *reason,
                             gint64       next_attempt,
                             gboolean     permanent,
                             GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LB_IS_STORE (self), FALSE);

  stmt = prepare (self, "UPDATE outbox SET state = ?2, attempts = attempts + 1, next_attempt = ?3,"
                        " last_error = ?4 WHERE id = ?1 AND state != 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, permanent ? LB_OUTBOX_FAILED : LB_OUTBOX_PENDING);
  sqlite3_bind_int64 (stmt, 3, next_attempt);
  bind_text (stmt, 4, reason);
  if (!step_done (self, stmt, error))
    return FALSE;
  outbox_changed (self);
  return TRUE;
}

/**
 * lb_store_outbox_retry_all:
 * @self: a store
 * @error: return location for an %LB_STORE_ERROR
 *
 * Makes every unsent item (failed ones too) due now.
 *
 * Returns: how many items are due
 */
guint
lb_store_outbox_retry_all (LbStore  *self,
                           GError  **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), 0);

  if (!exec_sql (self, "UPDATE outbox SET state = 0, next_attempt = 0 WHERE state != 1;", error))
    return 0;
  outbox_changed (self);
  return (guint) sqlite3_changes (self->db);
}

/**
 * lb_store_outbox_count_pending:
 * @self: a store
 *
 * Returns: how many items are not yet sent (pending or failed)
 */
guint
lb_store_outbox_count_pending (LbStore *self)
{
  sqlite3_stmt *stmt;
  guint n = 0;

  g_return_val_if_fail (LB_IS_STORE (self), 0);

  stmt = prepare (self, "SELECT count(*) FROM outbox WHERE state != 1", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* ---- worklist and thumbnails --------------------------------------- */

/**
 * lb_store_worklist_put:
 * @self: a store
 * @server: the archive
 * @study_uid: the study
 * @json: its QIDO-RS dataset, as DICOM JSON text
 * @error: return location for an %LB_STORE_ERROR
 *
 * Caches a worklist row for an instant start and offline viewing.
 *
 * Returns: %TRUE on success
 */
gboolean
lb_store_worklist_put (LbStore     *self,
                       const char  *server,
                       const char  *study_uid,
                       const char  *json,
                       GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  g_return_val_if_fail (server != NULL && study_uid != NULL && json != NULL, FALSE);

  stmt = prepare (self, "INSERT OR REPLACE INTO worklist (server, study_uid, json, updated)"
                        " VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, server);
  bind_text (stmt, 2, study_uid);
  bind_text (stmt, 3, json);
  sqlite3_bind_int64 (stmt, 4, now_s ());
  return step_done (self, stmt, error);
}

/**
 * lb_store_worklist_replace:
 * @self: a store
 * @server: the archive
 * @study_uids: (element-type utf8): the studies of the new list
 * @jsons: (element-type utf8): their DICOM JSON, in the same order
 * @error: return location for an %LB_STORE_ERROR
 *
 * Replaces the cached worklist of @server in one transaction: a crash
 * leaves the old list or the new one, never half of each.
 *
 * Returns: %TRUE on success
 */
gboolean
lb_store_worklist_replace (LbStore    *self,
                           const char *server,
                           GPtrArray  *study_uids,
                           GPtrArray  *jsons,
                           GError    **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  g_return_val_if_fail (study_uids != NULL && jsons != NULL && study_uids->len == jsons->len, FALSE);

  if (!exec_sql (self, "BEGIN IMMEDIATE;", error))
    return FALSE;
  if (!lb_store_worklist_clear (self, server, error))
    goto fail;
  for (guint i = 0; i < study_uids->len; i++)
    if (!lb_store_worklist_put (self, server, g_ptr_array_index (study_uids, i),
                                g_ptr_array_index (jsons, i), error))
      goto fail;
  return exec_sql (self, "COMMIT;", error);

fail:
  exec_sql (self, "ROLLBACK;", NULL);
  return FALSE;
}

/**
 * lb_store_worklist_list:
 * @self: a store
 * @server: the archive
 * @error: return location for an %LB_STORE_ERROR
 *
 * Returns: (transfer full) (element-type utf8): the cached rows' JSON
 */
GPtrArray *
lb_store_worklist_list (LbStore     *self,
                        const char  *server,
                        GError     **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LB_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT json FROM worklist WHERE server = ?1 ORDER BY study_uid", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, server);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, column_dup (stmt, 0));
  sqlite3_finalize (stmt);
  return g_steal_pointer (&rows);
}

gboolean
lb_store_worklist_clear (LbStore     *self,
                         const char  *server,
                         GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LB_IS_STORE (self), FALSE);

  stmt = prepare (self, "DELETE FROM worklist WHERE server = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, server);
  return step_done (self, stmt, error);
}

gboolean
lb_store_thumbnail_put (LbStore     *self,
                        const char  *server,
                        const char  *key,
                        GBytes      *image,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  gsize len;
  const void *data;

  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  g_return_val_if_fail (server != NULL && key != NULL && image != NULL, FALSE);

  stmt = prepare (self, "INSERT OR REPLACE INTO thumbnail (server, key, image, updated)"
                        " VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  data = g_bytes_get_data (image, &len);
  bind_text (stmt, 1, server);
  bind_text (stmt, 2, key);
  sqlite3_bind_blob64 (stmt, 3, data ? data : "", len, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now_s ());
  return step_done (self, stmt, error);
}

GBytes *
lb_store_thumbnail_get (LbStore    *self,
                        const char *server,
                        const char *key)
{
  sqlite3_stmt *stmt;
  GBytes *bytes = NULL;

  g_return_val_if_fail (LB_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT image FROM thumbnail WHERE server = ?1 AND key = ?2", NULL);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, server);
  bind_text (stmt, 2, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);
  return bytes;
}

/* ---- instance cache ------------------------------------------------ */

const char *
lb_store_get_cache_dir (LbStore *self)
{
  g_return_val_if_fail (LB_IS_STORE (self), NULL);
  return self->cache_dir;
}

guint64
lb_store_cache_get_size (LbStore *self)
{
  sqlite3_stmt *stmt;
  guint64 size = 0;

  g_return_val_if_fail (LB_IS_STORE (self), 0);

  stmt = prepare (self, "SELECT coalesce(sum(size), 0) FROM instance_cache", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    size = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return size;
}

static void
cache_evict (LbStore *self)
{
  /* Least recently used first, until the cache fits its cap again. */
  while (lb_store_cache_get_size (self) > self->cache_limit)
    {
      sqlite3_stmt *stmt = prepare (self, "SELECT sop_uid, file FROM instance_cache"
                                          " ORDER BY last_access, rowid LIMIT 1", NULL);
      g_autofree char *uid = NULL;
      g_autofree char *file = NULL;

      if (stmt == NULL)
        return;
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          uid = column_dup (stmt, 0);
          file = column_dup (stmt, 1);
        }
      sqlite3_finalize (stmt);
      if (uid == NULL)
        return;
      if (file != NULL)
        {
          g_autofree char *path = g_build_filename (self->cache_dir, file, NULL);
          g_unlink (path);
        }
      stmt = prepare (self, "DELETE FROM instance_cache WHERE sop_uid = ?1", NULL);
      if (stmt == NULL)
        return;
      bind_text (stmt, 1, uid);
      if (!step_done (self, stmt, NULL))
        return;
    }
}

/**
 * lb_store_cache_set_limit:
 * @self: a store
 * @max_bytes: the cap of the instance cache (default 2 GiB)
 */
void
lb_store_cache_set_limit (LbStore *self,
                          guint64  max_bytes)
{
  g_return_if_fail (LB_IS_STORE (self));
  self->cache_limit = max_bytes;
  cache_evict (self);
}

static char *
cache_file_name (const char *sop_instance_uid)
{
  /* A hash, not the UID, names the file: no hostile UID can escape the
   * folder. */
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, sop_instance_uid, -1);
  return g_strconcat (hash, ".dcm", NULL);
}

/**
 * lb_store_cache_put:
 * @self: a store
 * @sop_instance_uid: the instance
 * @object: its Part-10 bytes
 * @error: return location for an %LB_STORE_ERROR
 *
 * Adds an instance to the cache (a 0600 file in a 0700 folder), evicting
 * the least recently used ones beyond the size cap.
 *
 * Returns: %TRUE on success
 */
gboolean
lb_store_cache_put (LbStore     *self,
                    const char  *sop_instance_uid,
                    GBytes      *object,
                    GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gsize len;
  const char *data;

  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  g_return_val_if_fail (sop_instance_uid != NULL && object != NULL, FALSE);

  if (g_mkdir_with_parents (self->cache_dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_IO,
                   "Cannot create the cache folder %s: %s", self->cache_dir, g_strerror (errsv));
      return FALSE;
    }
  name = cache_file_name (sop_instance_uid);
  path = g_build_filename (self->cache_dir, name, NULL);
  data = g_bytes_get_data (object, &len);
  if (!g_file_set_contents_full (path, data ? data : "", len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &local_error))
    {
      g_set_error (error, LB_STORE_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOSPC)
                   ? LB_STORE_ERROR_FULL : LB_STORE_ERROR_IO,
                   "Cannot write to the cache: %s", local_error->message);
      return FALSE;
    }
  stmt = prepare (self, "INSERT OR REPLACE INTO instance_cache (sop_uid, file, size, last_access)"
                        " VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, sop_instance_uid);
  bind_text (stmt, 2, name);
  sqlite3_bind_int64 (stmt, 3, len);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  if (!step_done (self, stmt, error))
    return FALSE;
  cache_evict (self);
  return TRUE;
}

/**
 * lb_store_cache_get:
 * @self: a store
 * @sop_instance_uid: the instance
 *
 * Returns: (transfer full) (nullable): the cached object, or %NULL
 */
GBytes *
lb_store_cache_get (LbStore    *self,
                    const char *sop_instance_uid)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  sqlite3_stmt *stmt;
  gsize len;
  gboolean known = FALSE;

  g_return_val_if_fail (LB_IS_STORE (self), NULL);
  g_return_val_if_fail (sop_instance_uid != NULL, NULL);

  stmt = prepare (self, "UPDATE instance_cache SET last_access = ?2 WHERE sop_uid = ?1 RETURNING file", NULL);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, sop_instance_uid);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      known = TRUE;
      name = column_dup (stmt, 0);
    }
  sqlite3_finalize (stmt);
  if (!known || name == NULL)
    return NULL;
  path = g_build_filename (self->cache_dir, name, NULL);
  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

/**
 * lb_store_cache_clear:
 * @self: a store
 * @error: return location for an %LB_STORE_ERROR
 *
 * Wipes the instance cache (Preferences → clear cache).
 *
 * Returns: %TRUE on success
 */
gboolean
lb_store_cache_clear (LbStore  *self,
                      GError  **error)
{
  guint64 limit;

  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  limit = self->cache_limit;
  self->cache_limit = 0;
  cache_evict (self);
  self->cache_limit = limit;
  return lb_store_cache_get_size (self) == 0 || set_db_error (self, error);
}

/* ---- audit log ----------------------------------------------------- */

/**
 * lb_store_audit_append:
 * @self: a store
 * @event: what happened ("view", "decision", "store", "export", …)
 * @user: (nullable): who
 * @server: (nullable): which archive
 * @object_uids: (nullable): the objects concerned, backslash-separated
 * @error: return location for an %LB_STORE_ERROR
 *
 * Appends one record to the audit log, which the database keeps
 * append-only (triggers refuse UPDATE and DELETE).
 *
 * Returns: %TRUE on success
 */
gboolean
lb_store_audit_append (LbStore     *self,
                       const char  *event,
                       const char  *user,
                       const char  *server,
                       const char  *object_uids,
                       GError     **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = g_date_time_format_iso8601 (now);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  stmt = prepare (self, "INSERT INTO audit (time, event, user, server, object_uids)"
                        " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, time);
  bind_text (stmt, 2, event);
  bind_text (stmt, 3, user);
  bind_text (stmt, 4, server);
  bind_text (stmt, 5, object_uids);
  return step_done (self, stmt, error);
}

/**
 * lb_store_audit_list:
 * @self: a store
 * @error: return location for an %LB_STORE_ERROR
 *
 * Returns: (transfer full) (element-type utf8): the records, oldest
 *   first, as "time\tevent\tuser\tserver\tobject_uids"
 */
GPtrArray *
lb_store_audit_list (LbStore  *self,
                     GError  **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LB_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT time, event, coalesce(user, ''), coalesce(server, ''),"
                        " coalesce(object_uids, '') FROM audit ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, g_strdup_printf ("%s\t%s\t%s\t%s\t%s",
                                            sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1),
                                            sqlite3_column_text (stmt, 2), sqlite3_column_text (stmt, 3),
                                            sqlite3_column_text (stmt, 4)));
  sqlite3_finalize (stmt);
  return g_steal_pointer (&rows);
}
