/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "lb-cli.h"
#include "lb-pipeline.h"

/*
 * lightbox-cli bench memory: resident memory with four 12 MP photos open
 * side by side (DESIGN.md: ≤ 400 MB).
 *
 * In this process, what four LbViewports of a 2×2 comparison keep per photo:
 * the parsed object (its JPEG bytes), the full decode with its pyramid, and
 * the rendered texture of a 960×540 quarter of a 1920×1080 window. The
 * GTK side (the toolkit, the window, GL or cairo buffers) is not in this
 * figure: it is the same whatever the photos are; add the app's resident
 * size with one small image open to compare with the budget.
 *
 * The peer: dcmtk's dcmj2pnm rendering the same object to PPM; its peak
 * resident size (getrusage of the child) for one photo, times four.
 */

static gsize
proc_status_kib (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, key);
  if (line == NULL)
    return 0;
  return (gsize) g_ascii_strtoull (line + strlen (key) + 1, NULL, 10);
}

static gboolean
peer_peak_kib (const char *tool,
               const char *dcm,
               const char *out,
               long       *kib,
               GError    **error)
{
  const char *argv[] = { tool, dcm, out, NULL };
  GPid pid;
  int status = 0;
  struct rusage usage;

  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                      NULL, NULL, &pid, error))
    return FALSE;
  if (wait4 (pid, &status, 0, &usage) < 0 || !g_spawn_check_wait_status (status, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "dcmj2pnm did not finish");
      return FALSE;
    }
  g_spawn_close_pid (pid);
  *kib = usage.ru_maxrss;
  return TRUE;
}

typedef struct {
  LbDicomObject *object;
  LbPyramid     *pyramid;
  guint8        *texture;
} OpenPhoto;

int
lb_cli_bench_memory (int argc, char **argv)
{
  const guint pw = 4000, ph = 3000, vw = 960, vh = 540, n = 4;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lightbox-bench-XXXXXX", &error);
  g_autofree char *dcmj2pnm = g_find_program_in_path ("dcmj2pnm");
  g_autofree char *jpg = NULL;
  g_autofree char *dcm = NULL;
  g_autofree char *ppm = NULL;
  g_autoptr (GBytes) photo = NULL;
  OpenPhoto open[4] = { { 0 } };
  gsize before, after, peak, per_image[4];
  long peer = 0;
  char *contents;
  gsize length;
  int rc = 1;

  if (argc > 1)
    {
      g_printerr ("Usage: lightbox-cli bench memory\n");
      return 2;
    }
  if (dir == NULL || dcmj2pnm == NULL)
    {
      g_printerr ("lightbox-cli bench memory: %s\n",
                  dir == NULL ? error->message : "dcmj2pnm not found (Debian package dcmtk)");
      return 1;
    }
  jpg = lb_cli_bench_make_photo_jpeg (dir, pw, ph, &error);
  if (jpg == NULL || !g_file_get_contents (jpg, &contents, &length, &error))
    {
      g_printerr ("lightbox-cli bench memory: cannot make the photo: %s\n", error->message);
      goto out;
    }
  photo = g_bytes_new_take (contents, length);
  dcm = g_build_filename (dir, "photo.dcm", NULL);
  ppm = g_build_filename (dir, "photo.ppm", NULL);

  /* Four different objects (new UIDs each), as four visits would be. */
  before = proc_status_kib ("VmRSS:");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GBytes) wrapped = NULL;
      LbWrapOptions options;
      LbPixelBuffer *buffer;
      LbPipelineParams params;
      LbViewTransform view;
      const LbDicomMeta *meta;
      g_autoptr (LbLut) lut = NULL;
      gsize start = proc_status_kib ("VmRSS:");

      lb_wrap_options_init (&options);
      options.patient_name = "BENCH^PHOTO";
      options.patient_id = "BENCH-1";
      wrapped = lb_dicom_wrap_photo (photo, &options, &error);
      if (wrapped == NULL)
        {
          g_printerr ("lightbox-cli bench memory: cannot wrap the photo: %s\n", error->message);
          goto out;
        }
      if (i == 0 && !g_file_set_contents (dcm, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped), &error))
        {
          g_printerr ("lightbox-cli bench memory: %s\n", error->message);
          goto out;
        }
      open[i].object = lb_dicom_object_new_from_bytes (wrapped, NULL, &error);
      if (open[i].object == NULL)
        {
          g_printerr ("lightbox-cli bench memory: %s\n", error->message);
          goto out;
        }
      meta = lb_dicom_object_get_meta (open[i].object);
      buffer = lb_dicom_object_decode_frame (open[i].object, 0, &error);
      if (buffer == NULL)
        {
          g_printerr ("lightbox-cli bench memory: %s\n", error->message);
          goto out;
        }
      open[i].pyramid = lb_pyramid_new (buffer, (GDestroyNotify) lb_pixel_buffer_free);
      lb_pipeline_params_init_from_meta (&params, meta, buffer);
      lut = lb_lut_new (&params, buffer);
      lb_view_transform_init (&view, meta->columns, meta->rows, vw, vh);
      open[i].texture = g_malloc ((gsize) vw * vh * 4);
      lb_pipeline_render (open[i].pyramid, lut, &view, 0, 0, vw, vh, open[i].texture, (gsize) vw * 4);
      per_image[i] = proc_status_kib ("VmRSS:") - start;
    }
  after = proc_status_kib ("VmRSS:");
  peak = proc_status_kib ("VmHWM:");

  if (!peer_peak_kib (dcmj2pnm, dcm, ppm, &peer, &error))
    {
      g_printerr ("lightbox-cli bench memory: dcmj2pnm: %s\n", error->message);
      goto out;
    }

  printf ("lightbox-cli bench memory — four %u×%u JPEG photos open side by side (960×540 each); MiB\n\n",
          pw, ph);
  for (guint i = 0; i < n; i++)
    printf ("  photo %u open (object + decode + pyramid + texture)   %7.1f\n", i + 1, per_image[i] / 1024.0);
  printf ("  all four, resident growth                          %7.1f\n", (after - before) / 1024.0);
  printf ("  process resident now / peak                        %7.1f / %.1f   (budget 400 with the UI)\n",
          after / 1024.0, peak / 1024.0);
  printf ("  dcmj2pnm, one photo to PPM, peak resident           %7.1f   ×4 = %.1f   ratio %.2f\n",
          peer / 1024.0, 4 * peer / 1024.0, (double) (after - before) / (4.0 * peer));
  rc = 0;

out:
  for (guint i = 0; i < n; i++)
    {
      g_clear_pointer (&open[i].pyramid, lb_pyramid_free);
      g_clear_pointer (&open[i].object, lb_dicom_object_unref);
      g_free (open[i].texture);
    }
  if (jpg != NULL)
    g_unlink (jpg);
  if (dcm != NULL)
    g_unlink (dcm);
  if (ppm != NULL)
    g_unlink (ppm);
  g_rmdir (dir);
  return rc;
}
