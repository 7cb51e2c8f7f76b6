/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <signal.h>
#include <string.h>
#include <sys/types.h>

#include "lb-store.h"
#include "lb-test-utils.h"

/* "Nothing lost" end to end: `lightbox-cli store` is killed (SIGKILL)
 * while the archive is frozen (SIGSTOP) in the middle of its request; the
 * object waits in the outbox; once the archive is back, `outbox retry`
 * delivers it, and the archive holds it exactly once. */

#define SOP_UID "1.2.826.0.1.3680043.10.1043.4.0.1.0"

static guint
count_pending (const char *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LbStore) store = lb_store_open (db, &error);

  g_assert_no_error (error);
  return lb_store_outbox_count_pending (store);
}

static guint
instances_in_archive (void)
{
  g_autofree char *out = NULL;
  g_autofree char *url = g_strdup_printf ("%s/instances?SOPInstanceUID=%s", lb_test_dicomweb_url (), SOP_UID);
  const char *curl[] = { "curl", "-sf", url, NULL };
  guint n = 0;

  lb_test_run (curl, &out, NULL, TRUE);
  /* one SOP Instance UID attribute per matching instance */
  for (const char *p = out; (p = strstr (p, "\"00080018\"")) != NULL; p++)
    n++;
  return n;
}

static void
test_kill_during_store (void)
{
  g_autofree char *dir = lb_test_make_tmpdir ();
  g_autofree char *objects = g_build_filename (dir, "objects", NULL);
  g_autofree char *file = g_build_filename (objects, "s00000-i000.dcm", NULL);
  g_autofree char *db = g_build_filename (dir, "db", "lightbox.db", NULL);
  g_autofree char *script = lb_test_source_path ("net", "make-objects.py", NULL);
  const char *cli = g_getenv ("LIGHTBOX_CLI");
  const char *pid_text = g_getenv ("LIGHTBOX_TEST_ORTHANC_PID");
  const char *make[] = { "/usr/bin/python3", script, "--out", objects,
                         "--prefix", "1.2.826.0.1.3680043.10.1043.4", NULL };
  g_autoptr (GSubprocess) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  pid_t orthanc;
  int status = -1;

  g_assert_nonnull (cli);
  g_assert_nonnull (pid_text);
  orthanc = (pid_t) g_ascii_strtoll (pid_text, NULL, 10);
  lb_test_run (make, NULL, NULL, TRUE);
  g_assert_cmpuint (instances_in_archive (), ==, 0);

  /* Freeze the archive: the STOW request will hang. */
  g_assert_cmpint (kill (orthanc, SIGSTOP), ==, 0);
  store = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                            cli, "store", "--server", lb_test_dicomweb_url (), "--db", db,
                            "--timeout", "600", file, NULL);
  g_assert_no_error (error);
  /* Wait for the outbox row to be committed, then give the CLI time to
   * get into its request before killing it. */
  {
    /* Bounded: a CLI that failed before committing must fail the test, not
     * hang it. */
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    while (!g_file_test (db, G_FILE_TEST_EXISTS) || count_pending (db) == 0)
      {
        g_main_context_iteration (NULL, FALSE);
        g_assert_nonnull (g_subprocess_get_identifier (store));
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (20 * 1000);
      }
  }
  g_usleep (300 * 1000);
  g_subprocess_force_exit (store);
  g_subprocess_wait (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (store));
  g_assert_cmpint (g_subprocess_get_term_sig (store), ==, SIGKILL);

  /* The object is still waiting. */
  g_assert_cmpuint (count_pending (db), ==, 1);
  g_assert_cmpint (kill (orthanc, SIGCONT), ==, 0);

  {
    const char *retry[] = { cli, "outbox", "--db", db, "retry", NULL };
    lb_test_run (retry, &out, &status, TRUE);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, SOP_UID "\tstored"));
  }
  g_assert_cmpuint (count_pending (db), ==, 0);
  /* Whether or not the killed request reached the archive after it woke
   * up, it holds the object exactly once. */
  g_assert_cmpuint (instances_in_archive (), ==, 1);

  /* A second retry has nothing to do. */
  {
    const char *retry[] = { cli, "outbox", "--db", db, "retry", NULL };
    g_autofree char *again = NULL;
    lb_test_run (retry, &again, &status, TRUE);
    g_assert_nonnull (strstr (again, "nothing to send"));
  }
  g_assert_cmpuint (instances_in_archive (), ==, 1);
  lb_test_remove_tree (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/outbox/kill-during-store", test_kill_during_store);
  return g_test_run ();
}
