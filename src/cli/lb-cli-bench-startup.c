/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "lb-cli.h"
#include "lb-server-profile.h"
#include "lb-store.h"

/*
 * lightbox-cli bench startup [--app PATH] [--runs N] [--studies N]: cold start
 * to a usable window with a cached worklist (DESIGN.md: ≤ 400 ms).
 *
 * Each run starts the app in fresh XDG folders whose database holds a cached
 * worklist of N studies for an archive that does not answer (127.0.0.1,
 * port 9), so what is measured is the local path: process start, GTK and
 * libadwaita, the window, the cached list, the first painted frame. The app
 * reports that frame (LIGHTBOX_BENCH_STARTED_AT, see lb-application.c) and
 * quits. The peer: the same process asked only for its version, which is the
 * cost of starting the binary with its libraries, before any window.
 *
 * Needs a display: run it under tools/ui-session on a machine without one.
 */

#define BENCH_SERVER "http://127.0.0.1:9/dicom-web"

static char *
study_json (guint i)
{
  return g_strdup_printf (
    "{\"00080020\":{\"vr\":\"DA\",\"Value\":[\"2026%02u%02u\"]},"
    "\"00080030\":{\"vr\":\"TM\",\"Value\":[\"0930%02u\"]},"
    "\"00080061\":{\"vr\":\"CS\",\"Value\":[\"XC\"]},"
    "\"00081030\":{\"vr\":\"LO\",\"Value\":[\"Wound photo %u\"]},"
    "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"PATIENT^NUMBER%u\"}]},"
    "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"ID%07u\"]},"
    "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.826.0.1.3680043.10.1043.7.%u\"]},"
    "\"00201208\":{\"vr\":\"IS\",\"Value\":[\"%u\"]}}",
    1 + i % 12, 1 + i % 28, i % 60, i, i, i, i, 1 + i % 4);
}

static gboolean
seed_worklist (const char *data_home,
               guint       n,
               GError    **error)
{
  g_autofree char *dir = g_build_filename (data_home, "lightbox", NULL);
  g_autofree char *db = g_build_filename (dir, "lightbox.db", NULL);
  g_autoptr (LbServerProfile) profile = lb_server_profile_new (BENCH_SERVER, BENCH_SERVER);
  g_autoptr (GPtrArray) uids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) jsons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (LbStore) store = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot create %s: %s", dir,
                   g_strerror (errno));
      return FALSE;
    }
  store = lb_store_open (db, error);
  if (store == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (uids, g_strdup_printf ("1.2.826.0.1.3680043.10.1043.7.%u", i));
      g_ptr_array_add (jsons, study_json (i));
    }
  return lb_store_worklist_replace (store, lb_server_profile_get_qido_url (profile), uids, jsons, error);
}

/* Runs @argv with @envp; the wall time from spawn to exit in ms, and the
 * "lightbox-ready-ms" the app printed (or -1). */
static gboolean
run_once (const char * const *argv,
          char              **envp,
          double             *wall_ms,
          double             *ready_ms,
          GError            **error)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto (GStrv) env = g_strdupv (envp);
  gint64 t0 = g_get_monotonic_time ();
  g_autofree char *t0_text = g_strdup_printf ("%" G_GINT64_FORMAT, t0);
  int status = 0;
  const char *mark;

  env = g_environ_setenv (env, "LIGHTBOX_BENCH_STARTED_AT", t0_text, TRUE);
  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, error))
    return FALSE;
  *wall_ms = (g_get_monotonic_time () - t0) / 1000.0;
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "%s: %s", argv[0], err != NULL ? g_strstrip (err) : "");
      return FALSE;
    }
  *ready_ms = -1;
  mark = out != NULL ? strstr (out, "lightbox-ready-ms ") : NULL;
  if (mark != NULL)
    *ready_ms = g_ascii_strtod (mark + strlen ("lightbox-ready-ms "), NULL);
  return TRUE;
}

int
lb_cli_bench_startup (int argc, char **argv)
{
  g_autofree char *app = NULL;
  int runs = 7, n_studies = 200;
  GOptionEntry entries[] = {
    { "app", 0, 0, G_OPTION_ARG_FILENAME, &app, "The lightbox binary (default: the build tree's, else PATH)", "PATH" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs after a first, unmeasured one (default 7)", "N" },
    { "studies", 0, 0, G_OPTION_ARG_INT, &n_studies, "Studies in the cached worklist (default 200)", "N" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— cold start to a usable window");
  g_autoptr (GError) error = NULL;
  g_autofree char *home = NULL;
  g_autofree double *ready = NULL;
  g_autofree double *wall = NULL;
  g_autofree double *peer = NULL;
  g_auto (GStrv) env = g_get_environ ();
  int rc = 1;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1 || runs > 100 ||
      n_studies < 0 || n_studies > 100000)
    {
      g_printerr ("lightbox-cli bench startup: %s\n", error != NULL ? error->message : "--runs 1…100, --studies 0…100000");
      return 2;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("lightbox-cli bench startup: needs a display (run it under tools/ui-session)\n");
      return 1;
    }
  if (app == NULL)
    {
      g_autofree char *built = g_build_filename (LB_BUILD_ROOT, "src", "ui", "lightbox", NULL);

      app = g_file_test (built, G_FILE_TEST_IS_EXECUTABLE) ? g_steal_pointer (&built)
                                                          : g_find_program_in_path ("lightbox");
      if (app == NULL)
        {
          g_printerr ("lightbox-cli bench startup: no lightbox binary found (give --app)\n");
          return 1;
        }
      /* The build tree's app reads its settings schema from the build tree. */
      if (g_str_has_prefix (app, LB_BUILD_ROOT))
        {
          g_autofree char *schemas = g_build_filename (LB_BUILD_ROOT, "data", NULL);

          env = g_environ_setenv (env, "GSETTINGS_SCHEMA_DIR", schemas, TRUE);
        }
    }

  home = g_dir_make_tmp ("lightbox-bench-XXXXXX", &error);
  if (home == NULL)
    {
      g_printerr ("lightbox-cli bench startup: %s\n", error->message);
      return 1;
    }
  {
    g_autofree char *data = g_build_filename (home, "data", NULL);
    g_autofree char *cache = g_build_filename (home, "cache", NULL);
    g_autofree char *config = g_build_filename (home, "config", NULL);

    if (!seed_worklist (data, n_studies, &error))
      {
        g_printerr ("lightbox-cli bench startup: cannot seed the cached worklist: %s\n", error->message);
        goto out;
      }
    env = g_environ_setenv (env, "XDG_DATA_HOME", data, TRUE);
    env = g_environ_setenv (env, "XDG_CACHE_HOME", cache, TRUE);
    env = g_environ_setenv (env, "XDG_CONFIG_HOME", config, TRUE);
    env = g_environ_setenv (env, "GSETTINGS_BACKEND", "memory", TRUE);
    env = g_environ_unsetenv (env, "G_DEBUG");
  }

  {
    const char *app_argv[] = { app, "--server", BENCH_SERVER, NULL };
    const char *peer_argv[] = { app, "--version", NULL };
    double first_ready = 0, first_wall = 0, dummy;

    ready = g_new (double, runs);
    wall = g_new (double, runs);
    peer = g_new (double, runs);
    if (!run_once (app_argv, env, &first_wall, &first_ready, &error))
      {
        g_printerr ("lightbox-cli bench startup: %s\n", error->message);
        goto out;
      }
    for (int i = 0; i < runs; i++)
      {
        if (!run_once (app_argv, env, &wall[i], &ready[i], &error) ||
            !run_once (peer_argv, env, &peer[i], &dummy, &error))
          {
            g_printerr ("lightbox-cli bench startup: %s\n", error->message);
            goto out;
          }
        if (ready[i] < 0)
          {
            g_printerr ("lightbox-cli bench startup: the app did not report its first frame\n");
            goto out;
          }
      }
    printf ("lightbox-cli bench startup — %s, cached worklist of %d studies; median of %d runs, ms\n\n",
            app, n_studies, runs);
    printf ("  first run (not in the median)            ready %7.1f   exit %7.1f\n", first_ready, first_wall);
    printf ("  spawn → first frame with the worklist    %7.1f   (budget 400)\n", lb_cli_median (ready, runs));
    printf ("  spawn → exit, same runs                  %7.1f\n", lb_cli_median (wall, runs));
    printf ("  peer: the same binary, --version only    %7.1f   ratio %.1f\n", lb_cli_median (peer, runs),
            lb_cli_median (ready, runs) / MAX (lb_cli_median (peer, runs), 0.1));
    rc = 0;
  }

out:
  {
    const char *rm[] = { "rm", "-rf", home, NULL };
    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  return rc;
}
