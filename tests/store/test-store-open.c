/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-store.h"
#include "lb-test-utils.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

static void
test_open_creates_private_db (void)
{
  g_autofree char *dir = lb_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sub", "lightbox.db", NULL);
  g_autofree char *sub = g_path_get_dirname (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (LbStore) store = lb_store_open (path, &error);
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_cmpint (lb_store_get_schema_version (store), ==, LB_STORE_SCHEMA_VERSION);
  g_assert_cmpint (g_stat (sub, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  /* Reopening an up-to-date database changes nothing. */
  g_clear_object (&store);
  store = lb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lb_store_get_schema_version (store), ==, LB_STORE_SCHEMA_VERSION);
  g_clear_object (&store);
  lb_test_remove_tree (dir);
}

static void
test_refuses_garbage (void)
{
  g_autofree char *dir = lb_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "lightbox.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LbStore) store = NULL;

  g_assert_true (g_file_set_contents (path, "this is not a database, just text that is long enough", -1, NULL));
  store = lb_store_open (path, &error);
  g_assert_null (store);
  g_assert_nonnull (error);
  g_assert_true (error->domain == LB_STORE_ERROR);
  lb_test_remove_tree (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/open/private", test_open_creates_private_db);
  g_test_add_func ("/store/open/garbage", test_refuses_garbage);
  return g_test_run ();
}
