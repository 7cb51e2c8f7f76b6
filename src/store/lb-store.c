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
};

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
  int version = read_user_version (self);

  if (version < 0)
    {
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_SCHEMA,
                   "Cannot read the schema version of %s", self->path);
      return FALSE;
    }
  if (version > LB_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_SCHEMA,
                   "The local database %s was written by a newer Lightbox (schema %d, this one knows %d)",
                   self->path, version, LB_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  for (; version < LB_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d;", version + 1);

      if (!exec_sql (self, "BEGIN IMMEDIATE;", error))
        return FALSE;
      if (!exec_sql (self, migrations[version], error) || !exec_sql (self, bump, error))
        {
          exec_sql (self, "ROLLBACK;", NULL);
          return FALSE;
        }
      if (!exec_sql (self, "COMMIT;", error))
        return FALSE;
    }
  return TRUE;
}

static void
lb_store_finalize (GObject *object)
{
  LbStore *self = LB_STORE (object);

  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (lb_store_parent_class)->finalize (object);
}

static void
lb_store_class_init (LbStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_store_finalize;
}

static void
lb_store_init (LbStore *self)
{
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
  if (!exec_sql (self, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;", error))
    return NULL;
  if (!migrate (self, error))
    return NULL;

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
