/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lightbox-cli bench decode [--runs N]: decode speed of the DICOM core
 * against djpeg (libjpeg-turbo) and dcmtk's dcmj2pnm/dcml2pnm doing the same
 * work in the same invocation. The inputs are drawn here, at bench time.
 */
#include "lb-config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "lb-cli.h"
#include "lb-dicom.h"

typedef struct {
  const char *path;
  guint scale;
} OursArgs;

/* Ours: read the file, parse, decode — what the viewer does for a click. */
static gboolean
run_ours (const OursArgs *a, double *ms)
{
  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (LbDicomObject) obj = lb_dicom_object_new_from_file (a->path, NULL, &error);
  g_autoptr (LbPixelBuffer) buf = obj ? lb_dicom_object_decode_frame_scaled (obj, 0, a->scale, &error) : NULL;
  *ms = (g_get_monotonic_time () - t0) / 1000.0;
  if (buf == NULL)
    g_printerr ("bench decode: %s\n", error->message);
  return buf != NULL;
}

/* A peer tool as a subprocess, output to /dev/null; its time includes
 * process start-up (a few ms), reported in the table's notes. */
static gboolean
run_peer (const char * const *argv, double *ms)
{
  int status = 0;
  gint64 t0 = g_get_monotonic_time ();
  gboolean ok = g_spawn_sync (NULL, (char **) argv, NULL,
                              G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                              NULL, NULL, NULL, NULL, &status, NULL);
  *ms = (g_get_monotonic_time () - t0) / 1000.0;
  return ok && g_spawn_check_wait_status (status, NULL);
}

static double
time_ours (const OursArgs *a, guint runs)
{
  double v[64], ms;
  if (!run_ours (a, &ms)) /* warm the page cache */
    return NAN;
  for (guint i = 0; i < runs; i++)
    if (!run_ours (a, &v[i]))
      return NAN;
  return lb_cli_median (v, runs);
}

static double
time_peer (const char * const *argv, guint runs)
{
  double v[64], ms;
  if (argv == NULL || !run_peer (argv, &ms))
    return NAN;
  for (guint i = 0; i < runs; i++)
    if (!run_peer (argv, &v[i]))
      return NAN;
  return lb_cli_median (v, runs);
}

static void
print_cell (double ours, double peer)
{
  if (isnan (peer))
    printf (" %10s %7s |", "—", "");
  else
    printf (" %10.1f %6.2f× |", peer, peer / ours);
}

/* A 4000 × 3000 "photo": smooth light, texture and sensor-like noise, so
 * the JPEG has a realistic size (not a flat gradient). */
static gboolean
make_photo (const char *dir, char **jpg_out, GError **error)
{
  const guint w = 4000, h = 3000;
  g_autofree char *ppm = g_build_filename (dir, "photo.ppm", NULL);
  g_autofree char *jpg = g_build_filename (dir, "photo.jpg", NULL);
  g_autofree char *header = g_strdup_printf ("P6\n%u %u\n255\n", w, h);
  gsize hlen = strlen (header);
  g_autofree guint8 *buf = g_malloc (hlen + (gsize) w * h * 3);
  memcpy (buf, header, hlen);
  guint32 seed = 12345;
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        guint8 *p = buf + hlen + ((gsize) y * w + x) * 3;
        double light = 0.55 + 0.35 * sin (x / 700.0) * cos (y / 500.0);
        double tex = 20 * sin (x / 6.0 + y / 9.0) * sin (y / 5.0);
        seed = seed * 1664525u + 1013904223u;
        double noise = (double) (seed >> 28) - 7.5;
        p[0] = (guint8) CLAMP (210 * light + tex + noise, 0, 255);
        p[1] = (guint8) CLAMP (150 * light + tex * 0.8 + noise, 0, 255);
        p[2] = (guint8) CLAMP (130 * light + tex * 0.6 + noise, 0, 255);
      }
  if (!g_file_set_contents (ppm, (const char *) buf, (gssize) (hlen + (gsize) w * h * 3), error))
    return FALSE;
  const char *argv[] = { "cjpeg", "-quality", "92", "-outfile", jpg, ppm, NULL };
  double ms;
  if (!run_peer (argv, &ms))
    {
      g_set_error_literal (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "cjpeg failed (install libjpeg-turbo-progs)");
      return FALSE;
    }
  g_unlink (ppm);
  *jpg_out = g_steal_pointer (&jpg);
  return TRUE;
}

static gboolean
write_bytes (const char *path, GBytes *bytes, GError **error)
{
  return g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), error);
}

int
lb_cli_bench_decode (int argc, char **argv)
{
  int runs = 7;
  GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Timed runs per measurement (5..63, default 7)", "N" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— decode speed against djpeg and dcmj2pnm");
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("lightbox-cli bench decode: %s\n", error->message);
      return 2;
    }
  /* A median of fewer than five runs is not worth reporting. */
  runs = CLAMP (runs, 5, 63);

  g_autofree char *dir = g_dir_make_tmp ("lightbox-bench-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("lightbox-cli bench decode: %s\n", error->message);
      return 1;
    }
  g_printerr ("preparing inputs in %s …\n", dir);

  /* Inputs: the photo wrapped as the app wraps it; a 4096² 12-bit CT-like
   * image, uncompressed and JPEG-LS (dcmcjpls, lossless). */
  g_autofree char *jpg = NULL;
  g_autofree char *photo_dcm = g_build_filename (dir, "photo.dcm", NULL);
  g_autofree char *raw_dcm = g_build_filename (dir, "gray16.dcm", NULL);
  g_autofree char *jls_dcm = g_build_filename (dir, "gray16-jls.dcm", NULL);
  LbWrapOptions wo;
  lb_wrap_options_init (&wo);
  wo.patient_id = "BENCH";
  wo.patient_name = "BENCH^DECODE";
  int rc = 1;
  {
    if (!make_photo (dir, &jpg, &error))
      goto out;
    g_autoptr (GFile) f = g_file_new_for_path (jpg);
    g_autoptr (GBytes) photo = g_file_load_bytes (f, NULL, NULL, &error);
    g_autoptr (GBytes) dicom = photo ? lb_dicom_wrap_photo (photo, &wo, &error) : NULL;
    if (dicom == NULL || !write_bytes (photo_dcm, dicom, &error))
      goto out;

    const guint n = 4096;
    g_autofree guint16 *px = g_new (guint16, (gsize) n * n);
    for (guint y = 0; y < n; y++)
      for (guint x = 0; x < n; x++)
        {
          double r = hypot ((double) x - n / 2.0, (double) y - n / 2.0) / (n / 2.0);
          double body = r < 0.9 ? 1000 + 300 * cos (x / 40.0) * sin (y / 55.0) : 0;
          px[(gsize) y * n + x] = (guint16) CLAMP (body + ((x * 7 + y * 13) % 17), 0, 4095);
        }
    g_autoptr (GBytes) gray = lb_dicom_wrap_gray16 (px, n, n, 12, &wo, &error);
    if (gray == NULL || !write_bytes (raw_dcm, gray, &error))
      goto out;
    const char *cjpls[] = { "dcmcjpls", raw_dcm, jls_dcm, NULL };
    double ms;
    if (!run_peer (cjpls, &ms))
      {
        g_set_error_literal (&error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "dcmcjpls failed");
        goto out;
      }
  }

  {
    struct {
      const char *name;
      OursArgs ours;
      const char *djpeg[8];
      const char *dcmtk[8];
    } cases[] = {
      { "12 MP JPEG, full", { photo_dcm, 1 },
        { "djpeg", "-outfile", "/dev/null", jpg, NULL },
        { "dcmj2pnm", photo_dcm, "/dev/null", NULL } },
      { "12 MP JPEG, 1/4 scale", { photo_dcm, 4 },
        { "djpeg", "-scale", "1/4", "-outfile", "/dev/null", jpg, NULL },
        { "dcmj2pnm", "+Sxf", "0.25", photo_dcm, "/dev/null", NULL } },
      { "4096x4096 16-bit, raw", { raw_dcm, 1 },
        { NULL },
        { "dcmj2pnm", raw_dcm, "/dev/null", NULL } },
      { "4096x4096 16-bit, JPEG-LS", { jls_dcm, 1 },
        { NULL },
        { "dcml2pnm", jls_dcm, "/dev/null", NULL } },
    };

    printf ("lightbox-cli bench decode — median of %d runs, milliseconds; ratio = peer / lightbox\n\n", runs);
    printf ("%-26s | %10s | %10s %7s | %10s %7s |\n", "case", "lightbox", "djpeg", "ratio", "dcmtk", "ratio");
    printf ("%-26s-+-%10s-+-%18s-+-%18s-|\n", "--------------------------", "----------",
            "------------------", "------------------");
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        double ours = time_ours (&cases[i].ours, (guint) runs);
        if (isnan (ours))
          goto out;
        double dj = time_peer (cases[i].djpeg[0] ? cases[i].djpeg : NULL, (guint) runs);
        double dc = time_peer (cases[i].dcmtk, (guint) runs);
        printf ("%-26s | %10.1f |", cases[i].name, ours);
        print_cell (ours, dj);
        print_cell (ours, dc);
        printf ("\n");
        fflush (stdout);
      }
    printf ("\nlightbox: in-process file read + parse + decode to a pixel buffer.\n"
            "djpeg, dcmj2pnm (dcml2pnm for JPEG-LS): subprocesses writing PNM to /dev/null,\n"
            "including process start-up; dcmtk also renders 16-bit to 8-bit.\n");
    rc = 0;
  }

out:
  if (rc != 0)
    g_printerr ("lightbox-cli bench decode: %s\n", error ? error->message : "a decode failed");
  const char *names[] = { "photo.jpg", "photo.dcm", "gray16.dcm", "gray16-jls.dcm" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
  return rc;
}
