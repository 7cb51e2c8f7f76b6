/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-test-utils.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <sys/wait.h>

char *
lb_test_make_tmpdir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("lightbox-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
lb_test_remove_tree (const char *path)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;
  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      lb_test_remove_tree (child);
    }
  g_rmdir (path);
}

gboolean
lb_test_run (const char * const  *argv,
             char               **out_stdout,
             int                 *out_status,
             gboolean             must_succeed)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  gboolean ok;

  ok = g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     out_stdout, &err, &status, &error);
  if (!ok)
    {
      if (must_succeed)
        g_error ("cannot run %s: %s", argv[0], error->message);
      return FALSE;
    }
  ok = g_spawn_check_wait_status (status, NULL);
  if (out_status != NULL)
    *out_status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  if (!ok && must_succeed)
    g_error ("%s failed (status %d): %s", argv[0], status, err ? err : "");
  if (!ok && err != NULL && err[0] != '\0')
    g_test_message ("%s: %s", argv[0], err);
  return ok;
}

const char *
lb_test_dicomweb_url (void)
{
  const char *url = g_getenv ("LIGHTBOX_TEST_DICOMWEB_URL");

  if (url == NULL)
    g_error ("LIGHTBOX_TEST_DICOMWEB_URL is not set: run this test through tools/orthanc-harness");
  return url;
}

char *
lb_test_source_path (const char *first, ...)
{
  va_list ap;
  g_autoptr (GPtrArray) parts = g_ptr_array_new ();
  const char *part;

  g_ptr_array_add (parts, (gpointer) g_getenv ("G_TEST_SRCDIR"));
  va_start (ap, first);
  for (part = first; part != NULL; part = va_arg (ap, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (ap);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}
