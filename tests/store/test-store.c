/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "lb-store.h"
#include "lb-test-utils.h"

typedef struct {
  char *dir;
  char *path;
  LbStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = lb_test_make_tmpdir ();
  f->path = g_build_filename (f->dir, "lightbox.db", NULL);
  f->store = lb_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->store);
  lb_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
notify_cb (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
test_outbox (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) a = g_bytes_new_static ("object A", 8);
  g_autoptr (GBytes) b = g_bytes_new_static ("object B", 8);
  g_autoptr (GBytes) back = NULL;
  g_autoptr (GPtrArray) items = NULL;
  guint notified = 0;
  gint64 ia, ib, again;

  g_signal_connect (f->store, "notify::pending-count", G_CALLBACK (notify_cb), &notified);
  ia = lb_store_outbox_add (f->store, "https://pacs/dicom-web", "1.2", "1.2.3.1", a, &error);
  g_assert_no_error (error);
  ib = lb_store_outbox_add (f->store, "https://pacs/dicom-web", "1.2", "1.2.3.2", b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ia, !=, ib);
  g_assert_cmpuint (lb_store_outbox_count_pending (f->store), ==, 2);
  g_assert_cmpuint (notified, ==, 2);

  /* the committed object is there, byte for byte, even for a new reader */
  {
    g_autoptr (LbStore) other = lb_store_open (f->path, &error);
    g_assert_no_error (error);
    back = lb_store_outbox_get_object (other, ia, &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (back, a));
    g_assert_cmpuint (lb_store_outbox_count_pending (other), ==, 2);
  }

  /* a transient failure keeps it pending, not due before its backoff */
  g_assert_true (lb_store_outbox_mark_failed (f->store, ib, "archive down", G_MAXINT32, FALSE, &error));
  items = lb_store_outbox_list (f->store, TRUE, &error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpint (((LbOutboxItem *) items->pdata[0])->id, ==, ia);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* sent only when marked so; failed (refused) needs a retry */
  g_assert_true (lb_store_outbox_mark_sent (f->store, ia, &error));
  g_assert_true (lb_store_outbox_mark_failed (f->store, ib, "refused", 0, TRUE, &error));
  g_assert_cmpuint (lb_store_outbox_count_pending (f->store), ==, 1);
  items = lb_store_outbox_list (f->store, FALSE, &error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpint (((LbOutboxItem *) items->pdata[0])->state, ==, LB_OUTBOX_SENT);
  g_assert_cmpint (((LbOutboxItem *) items->pdata[1])->state, ==, LB_OUTBOX_FAILED);
  g_assert_cmpuint (((LbOutboxItem *) items->pdata[1])->attempts, ==, 2);
  g_assert_cmpstr (((LbOutboxItem *) items->pdata[1])->last_error, ==, "refused");
  g_clear_pointer (&items, g_ptr_array_unref);
  /* a sent item cannot be failed afterwards */
  g_assert_true (lb_store_outbox_mark_failed (f->store, ia, "late", 0, TRUE, &error));
  g_assert_cmpuint (lb_store_outbox_count_pending (f->store), ==, 1);

  g_assert_cmpuint (lb_store_outbox_retry_all (f->store, &error), ==, 1);
  items = lb_store_outbox_list (f->store, TRUE, &error);
  g_assert_cmpuint (items->len, ==, 1);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* queueing the same object again for the same archive is one item */
  again = lb_store_outbox_add (f->store, "https://pacs/dicom-web", "1.2", "1.2.3.2", b, &error);
  g_assert_cmpint (again, ==, ib);
  g_assert_cmpuint (lb_store_outbox_count_pending (f->store), ==, 1);
  g_signal_handlers_disconnect_by_func (f->store, notify_cb, &notified);
}

static void
test_cache_lru (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *big = g_strnfill (1000, 'x');
  GStatBuf st;

  lb_store_cache_set_limit (f->store, 2500);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *uid = g_strdup_printf ("1.2.3.%u", i);
      g_autoptr (GBytes) obj = g_bytes_new (big, 1000);

      g_assert_true (lb_store_cache_put (f->store, uid, obj, &error));
      g_assert_no_error (error);
      if (i == 1)
        {
          /* touch 0, so 1 is now the least recently used */
          g_autoptr (GBytes) got = lb_store_cache_get (f->store, "1.2.3.0");
          g_assert_nonnull (got);
        }
    }
  g_assert_cmpuint (lb_store_cache_get_size (f->store), <=, 2500);
  {
    g_autoptr (GBytes) zero = lb_store_cache_get (f->store, "1.2.3.0");
    g_autoptr (GBytes) one = lb_store_cache_get (f->store, "1.2.3.1");
    g_autoptr (GBytes) two = lb_store_cache_get (f->store, "1.2.3.2");
    g_assert_nonnull (zero);
    g_assert_null (one);
    g_assert_nonnull (two);
    g_assert_cmpuint (g_bytes_get_size (two), ==, 1000);
  }
  /* private folder */
  g_assert_cmpint (g_stat (lb_store_get_cache_dir (f->store), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  g_assert_true (lb_store_cache_clear (f->store, &error));
  g_assert_cmpuint (lb_store_cache_get_size (f->store), ==, 0);
  g_assert_null (lb_store_cache_get (f->store, "1.2.3.0"));
}

static void
test_worklist_thumbnails (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GBytes) png = g_bytes_new_static ("\x89PNG", 4);
  g_autoptr (GBytes) got = NULL;

  g_assert_true (lb_store_worklist_put (f->store, "a", "1.1", "{\"x\":1}", &error));
  g_assert_true (lb_store_worklist_put (f->store, "a", "1.2", "{\"x\":2}", &error));
  g_assert_true (lb_store_worklist_put (f->store, "a", "1.1", "{\"x\":3}", &error));
  g_assert_true (lb_store_worklist_put (f->store, "b", "1.1", "{}", &error));
  rows = lb_store_worklist_list (f->store, "a", &error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (rows->pdata[0], ==, "{\"x\":3}");
  g_assert_true (lb_store_worklist_clear (f->store, "a", &error));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = lb_store_worklist_list (f->store, "a", &error);
  g_assert_cmpuint (rows->len, ==, 0);

  g_assert_true (lb_store_thumbnail_put (f->store, "a", "1.2.3", png, &error));
  got = lb_store_thumbnail_get (f->store, "a", "1.2.3");
  g_assert_true (g_bytes_equal (got, png));
  g_assert_null (lb_store_thumbnail_get (f->store, "b", "1.2.3"));
}

static void
test_audit_append_only (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  sqlite3 *db = NULL;
  char *msg = NULL;

  g_assert_true (lb_store_audit_append (f->store, "view", "nurse", "pacs", "1.2.3", &error));
  g_assert_true (lb_store_audit_append (f->store, "decision", "nurse", "pacs", "1.2.3\\1.2.4", &error));
  rows = lb_store_audit_list (f->store, &error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_true (g_str_has_suffix (rows->pdata[1], "\tdecision\tnurse\tpacs\t1.2.3\\1.2.4"));

  /* even with direct SQL, the log cannot be edited */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit SET user = 'x'", NULL, NULL, &msg), !=, SQLITE_OK);
  sqlite3_free (msg);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit", NULL, NULL, &msg), !=, SQLITE_OK);
  sqlite3_free (msg);
  sqlite3_close (db);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = lb_store_audit_list (f->store, &error);
  g_assert_cmpuint (rows->len, ==, 2);
}

/* A database written by the first release (schema 1: the audit log only)
 * is brought to the current schema, keeping its records. */
static void
test_migration_from_v1 (void)
{
  g_autofree char *dir = lb_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "lightbox.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LbStore) store = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GBytes) obj = g_bytes_new_static ("x", 1);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL,"
    " event TEXT NOT NULL, user TEXT, server TEXT, object_uids TEXT);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
    "INSERT INTO audit (time, event, user) VALUES ('2026-01-01T00:00:00Z', 'view', 'old');"
    "PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = lb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lb_store_get_schema_version (store), ==, LB_STORE_SCHEMA_VERSION);
  rows = lb_store_audit_list (store, &error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_true (g_str_has_prefix (rows->pdata[0], "2026-01-01T00:00:00Z\tview\told"));
  /* and the new tables work */
  g_assert_cmpint (lb_store_outbox_add (store, "s", NULL, "1.2", obj, &error), >, 0);
  g_assert_no_error (error);
  g_clear_object (&store);
  lb_test_remove_tree (dir);
}

static void
test_refuses_newer (void)
{
  g_autofree char *dir = lb_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "lightbox.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LbStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = lb_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, LB_STORE_ERROR, LB_STORE_ERROR_SCHEMA);
  lb_test_remove_tree (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/outbox", Fixture, NULL, fixture_set_up, test_outbox, fixture_tear_down);
  g_test_add ("/store/cache-lru", Fixture, NULL, fixture_set_up, test_cache_lru, fixture_tear_down);
  g_test_add ("/store/worklist-thumbnails", Fixture, NULL, fixture_set_up, test_worklist_thumbnails, fixture_tear_down);
  g_test_add ("/store/audit-append-only", Fixture, NULL, fixture_set_up, test_audit_append_only, fixture_tear_down);
  g_test_add_func ("/store/migration-from-v1", test_migration_from_v1);
  g_test_add_func ("/store/refuses-newer", test_refuses_newer);
  return g_test_run ();
}
