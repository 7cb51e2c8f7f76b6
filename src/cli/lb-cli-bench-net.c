/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include <stdlib.h>
#include <string.h>

#include "lb-cli.h"
#include "lb-dicom-json.h"

/* lightbox-cli bench net:
 *  1. parse + model of a synthetic 10,000-study QIDO-RS reply (budget
 *     300 ms, DESIGN.md "Performance budgets"), median of 7 runs, against
 *     the json-glib reference reader in the same run (--qido-only stops
 *     here: no archive needed);
 *  2. WADO-RS retrieval of a 50-instance series from a local Orthanc,
 *     against curl fetching the same bytes in the same run. Without
 *     --server, a throw-away Orthanc is started with tools/orthanc-harness
 *     from the source tree. */

#define N_STUDIES 10000
#define BENCH_STUDY "1.2.826.0.1.3680043.10.1043.9.0"
#define BENCH_SERIES BENCH_STUDY ".1"

static char *
synthetic_qido (guint n)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out,
      "%s{\"00080005\":{\"vr\":\"CS\",\"Value\":[\"ISO_IR 192\"]},"
      "\"00080020\":{\"vr\":\"DA\",\"Value\":[\"2026%02u%02u\"]},"
      "\"00080030\":{\"vr\":\"TM\",\"Value\":[\"1230%02u\"]},"
      "\"00080050\":{\"vr\":\"SH\",\"Value\":[\"ACC%06u\"]},"
      "\"00080061\":{\"vr\":\"CS\",\"Value\":[\"XC\",\"KO\"]},"
      "\"00081030\":{\"vr\":\"LO\",\"Value\":[\"Wound photo, left ankle %u\"]},"
      "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"PATIENT^NUMBER%u\"}]},"
      "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"ID%07u\"]},"
      "\"00100030\":{\"vr\":\"DA\",\"Value\":[\"19%02u0101\"]},"
      "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.826.0.1.3680043.10.1043.8.%u\"]},"
      "\"00201206\":{\"vr\":\"IS\",\"Value\":[%u]},"
      "\"00201208\":{\"vr\":\"IS\",\"Value\":[\"%u\"]}}",
      i ? "," : "", 1 + i % 12, 1 + i % 28, i % 60, i, i, i, i, i % 100, i, 1 + i % 3, 1 + i % 9);
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static void
bench_qido (void)
{
  g_autofree char *json = synthetic_qido (N_STUDIES);
  gsize len = strlen (json);
  double ms[7], ref_ms[7];

  for (guint r = 0; r < G_N_ELEMENTS (ms); r++)
    {
      g_autoptr (GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (GPtrArray) studies = lb_dicom_json_parse_studies (json, len, &error);

      ms[r] = (g_get_monotonic_time () - t0) / 1000.0;
      if (studies == NULL || studies->len != N_STUDIES)
        g_error ("bench: parse failed: %s", error ? error->message : "wrong count");
    }
  /* The peer: the same reply through a json-glib tree, the reference the
   * scanner is tested against (and falls back to). */
  for (guint r = 0; r < G_N_ELEMENTS (ref_ms); r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (GPtrArray) studies = lb_dicom_json_parse_studies_reference (json, len, NULL);

      ref_ms[r] = (g_get_monotonic_time () - t0) / 1000.0;
      g_assert (studies != NULL && studies->len == N_STUDIES);
    }
  {
    g_autoptr (GPtrArray) scanned = NULL;

    /* The scanner must have read the reply itself, not handed it over. */
    if (!lb_dicom_json_scan_studies (json, len, &scanned))
      g_error ("bench: the study scanner gave up on the synthetic reply");
  }
  {
    double m = lb_cli_median (ms, G_N_ELEMENTS (ms)), r = lb_cli_median (ref_ms, G_N_ELEMENTS (ref_ms));

    g_print ("qido-parse-model: %u studies (%.1f MiB JSON): median %.1f ms of %u runs (budget 300 ms)\n",
             N_STUDIES, len / 1048576.0, m, (guint) G_N_ELEMENTS (ms));
    g_print ("  json-glib reference: median %.1f ms; ratio scanner/reference %.3f\n", r, m / r);
  }
}

typedef struct {
  guint64 bytes;
} Count;

static gboolean
count_cb (const char *type, GBytes *body, gpointer user_data, GError **error)
{
  ((Count *) user_data)->bytes += g_bytes_get_size (body);
  return TRUE;
}

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static int
bench_wado (const char *server)
{
  g_autoptr (LbServerProfile) profile = lb_server_profile_new ("bench", server);
  g_autoptr (LbDicomwebClient) client = lb_dicomweb_client_new (profile);
  g_autofree char *url = g_strdup_printf ("%s/studies/%s/series/%s", server, BENCH_STUDY, BENCH_SERIES);
  double lb_ms[5], curl_ms[5];
  guint64 lb_bytes = 0, curl_bytes = 0;

  for (guint r = 0; r < G_N_ELEMENTS (lb_ms); r++)
    {
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *out = NULL;
      Count count = { 0 };
      guint n = 0;
      gint64 t0 = g_get_monotonic_time ();
      const char *curl[] = { "curl", "-sf", "-o", "/dev/null", "-w", "%{size_download}",
                             "-H", "Accept: multipart/related; type=\"application/dicom\"; transfer-syntax=*",
                             url, NULL };
      int status = 0;

      lb_dicomweb_client_retrieve_async (client, BENCH_STUDY, BENCH_SERIES, NULL, count_cb, &count,
                                         NULL, done_cb, &result);
      lb_cli_wait_for ((gpointer *) &result);
      if (!lb_dicomweb_client_retrieve_finish (client, result, &n, &error))
        {
          g_printerr ("lightbox-cli bench net: %s\n", error->message);
          return 1;
        }
      lb_ms[r] = (g_get_monotonic_time () - t0) / 1000.0;
      lb_bytes = count.bytes;

      t0 = g_get_monotonic_time ();
      if (!g_spawn_sync (NULL, (char **) curl, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                         NULL, NULL, &out, NULL, &status, &error) ||
          !g_spawn_check_wait_status (status, &error))
        {
          g_printerr ("lightbox-cli bench net: curl: %s\n", error->message);
          return 1;
        }
      curl_ms[r] = (g_get_monotonic_time () - t0) / 1000.0;
      curl_bytes = g_ascii_strtoull (out, NULL, 10);
      if (n != 50)
        g_printerr ("lightbox-cli bench net: expected 50 instances, got %u\n", n);
    }
  {
    double l = lb_cli_median (lb_ms, G_N_ELEMENTS (lb_ms)), c = lb_cli_median (curl_ms, G_N_ELEMENTS (curl_ms));
    g_print ("wado-retrieve-series: 50 instances, %.1f MiB of parts (%.1f MiB body)\n",
             lb_bytes / 1048576.0, curl_bytes / 1048576.0);
    g_print ("  lightbox: median %.1f ms (%.0f MiB/s)\n", l, lb_bytes / 1048576.0 / (l / 1000));
    g_print ("  curl:     median %.1f ms (%.0f MiB/s)\n", c, curl_bytes / 1048576.0 / (c / 1000));
    g_print ("  ratio lightbox/curl time: %.2f\n", l / c);
  }
  return 0;
}

int
lb_cli_bench_net (int argc, char **argv)
{
  g_autofree char *server = NULL;
  gboolean qido_only = FALSE;
  const GOptionEntry entries[] = {
    { "qido-only", 0, 0, G_OPTION_ARG_NONE, &qido_only,
      "Only the QIDO-RS parse + model benchmark (no archive needed)", NULL },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      "DICOMweb URL of an archive holding the bench series (else start one)", "URL" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- network benchmarks");
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *harness = NULL;
  const char *root = g_getenv ("LIGHTBOX_SOURCE_ROOT");
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("lightbox-cli bench net: %s\n", error->message);
      return 2;
    }

  bench_qido ();
  if (qido_only)
    return 0;

  if (server != NULL)
    return bench_wado (server);

  if (root == NULL)
    root = LB_SOURCE_ROOT;
  harness = g_build_filename (root, "tools", "orthanc-harness", NULL);
  dir = g_dir_make_tmp ("lightbox-bench-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("lightbox-cli bench net: %s\n", error->message);
      return 1;
    }
  {
    g_autofree char *script = g_build_filename (root, "tests", "net", "make-objects.py", NULL);
    g_autofree char *objects = g_build_filename (dir, "objects", NULL);
    g_autofree char *state = g_build_filename (dir, "orthanc", NULL);
    g_autofree char *url = NULL;
    const char *make[] = { "/usr/bin/python3", script, "--out", objects, "--instances", "50",
                           "--size", "2000x1500", "--prefix", "1.2.826.0.1.3680043.10.1043.9", NULL };
    const char *start[] = { harness, "start", "--dir", state, NULL };
    const char *load[] = { harness, "load", "--dir", state, objects, NULL };
    const char *stop[] = { harness, "stop", "--dir", state, NULL };
    int st = 0;

    /* 50 × 3 MB images, about the size of wound photos */
    if (!g_spawn_sync (NULL, (char **) make, NULL, 0, NULL, NULL, NULL, NULL, &st, &error) ||
        !g_spawn_check_wait_status (st, &error) ||
        !g_spawn_sync (NULL, (char **) start, NULL, 0, NULL, NULL, &url, NULL, &st, &error) ||
        !g_spawn_check_wait_status (st, &error) ||
        !g_spawn_sync (NULL, (char **) load, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &st, &error) ||
        !g_spawn_check_wait_status (st, &error))
      {
        g_printerr ("lightbox-cli bench net: cannot set up the archive: %s\n", error->message);
        g_spawn_sync (NULL, (char **) stop, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL);
        return 1;
      }
    g_strstrip (url);
    status = bench_wado (url);
    g_spawn_sync (NULL, (char **) stop, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL);
    {
      const char *rm[] = { "rm", "-rf", dir, NULL };
      g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
    }
  }
  return status;
}
