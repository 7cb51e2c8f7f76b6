/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lb-cli.h"
#include "lb-pipeline.h"

/*
 * Frame times of the viewer's pipeline on one core: a window/level change
 * (new table + render) and a pan/zoom step (render only) for a 4096×4096
 * 12-bit image in a 1920×1080 viewport, next to dcmtk's dcmj2pnm rendering
 * the same pixels at the same window in a subprocess.
 *
 * Then the first pixels of a 12 MP photo: from a VL Photographic Image file
 * on disk to an 8-bit 1920×1080 frame (parse, scaled JPEG decode, pipeline
 * render), as the viewport does it, next to djpeg decoding the same JPEG.
 */

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* A CT-like phantom: smooth structures over the 12-bit range plus a
 * fine texture, so table lookups are not all cache hits on one entry. */
static LbPixelBuffer *
make_phantom (guint size)
{
  LbPixelBuffer *b = lb_pyramid_buffer_new (size, size, LB_PIXEL_GRAY16U);

  b->bits_stored = 12;
  b->min_value = 4095;
  b->max_value = 0;
  for (guint y = 0; y < size; y++)
    {
      guint16 *row = (guint16 *) (b->data + y * b->stride);

      for (guint x = 0; x < size; x++)
        {
          double v = 2048 + 1500 * sin (x / 300.0) * cos (y / 200.0) + ((x ^ y) & 127);
          guint16 s = (guint16) CLAMP (v, 0, 4095);

          row[x] = s;
          b->min_value = MIN (b->min_value, (int) s);
          b->max_value = MAX (b->max_value, (int) s);
        }
    }
  return b;
}

static void
put_tag (GByteArray *out, guint16 group, guint16 element)
{
  guint8 t[4] = { group & 0xff, group >> 8, element & 0xff, element >> 8 };

  g_byte_array_append (out, t, 4);
}

/* One explicit-VR little-endian element (PS3.5 7.1.2). */
static void
put_element (GByteArray   *out,
             guint16       group,
             guint16       element,
             const char   *vr,
             const void   *value,
             guint32       length)
{
  static const guint8 zero[2] = { 0, 0 };
  gboolean long_form = g_str_equal (vr, "OB") || g_str_equal (vr, "OW");
  guint32 padded = length + (length & 1);

  put_tag (out, group, element);
  g_byte_array_append (out, (const guint8 *) vr, 2);
  if (long_form)
    {
      guint8 l[4] = { padded & 0xff, (padded >> 8) & 0xff, (padded >> 16) & 0xff, padded >> 24 };
      g_byte_array_append (out, zero, 2);
      g_byte_array_append (out, l, 4);
    }
  else
    {
      guint8 l[2] = { padded & 0xff, padded >> 8 };
      g_byte_array_append (out, l, 2);
    }
  g_byte_array_append (out, value, length);
  /* UIs pad with NUL, text with a space (PS3.5 6.2). */
  if (length & 1)
    g_byte_array_append (out, (const guint8 *) (g_str_equal (vr, "UI") ? "\0" : " "), 1);
}

static void
put_string (GByteArray *out, guint16 group, guint16 element, const char *vr, const char *s)
{
  put_element (out, group, element, vr, s, strlen (s));
}

static void
put_us (GByteArray *out, guint16 group, guint16 element, guint16 v)
{
  guint8 b[2] = { v & 0xff, v >> 8 };

  put_element (out, group, element, "US", b, 2);
}

/* The phantom as a minimal Secondary Capture Part-10 file for the peer. */
static gboolean
write_dicom (const char *path, const LbPixelBuffer *b, GError **error)
{
  static const char sop_class[] = "1.2.840.10008.5.1.4.1.1.7";
  static const char sop_instance[] = "2.25.1234567890123456789";
  g_autoptr (GByteArray) meta = g_byte_array_new ();
  g_autoptr (GByteArray) out = g_byte_array_new ();
  guint8 version[2] = { 0, 1 }, preamble[128] = { 0 };
  guint32 meta_len;
  guint8 ml[4];
  g_autofree guint8 *pixels = g_malloc ((gsize) b->width * b->height * 2);

  put_element (meta, 0x0002, 0x0001, "OB", version, 2);
  put_string (meta, 0x0002, 0x0002, "UI", sop_class);
  put_string (meta, 0x0002, 0x0003, "UI", sop_instance);
  put_string (meta, 0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1");
  meta_len = meta->len;
  ml[0] = meta_len & 0xff; ml[1] = (meta_len >> 8) & 0xff; ml[2] = (meta_len >> 16) & 0xff; ml[3] = meta_len >> 24;

  g_byte_array_append (out, preamble, sizeof preamble);
  g_byte_array_append (out, (const guint8 *) "DICM", 4);
  put_element (out, 0x0002, 0x0000, "UL", ml, 4);
  g_byte_array_append (out, meta->data, meta->len);
  put_string (out, 0x0008, 0x0016, "UI", sop_class);
  put_string (out, 0x0008, 0x0018, "UI", sop_instance);
  put_string (out, 0x0008, 0x0060, "CS", "OT");
  put_string (out, 0x0010, 0x0010, "PN", "BENCH^PHANTOM");
  put_us (out, 0x0028, 0x0002, 1);
  put_string (out, 0x0028, 0x0004, "CS", "MONOCHROME2");
  put_us (out, 0x0028, 0x0010, b->height);
  put_us (out, 0x0028, 0x0011, b->width);
  put_us (out, 0x0028, 0x0100, 16);
  put_us (out, 0x0028, 0x0101, 12);
  put_us (out, 0x0028, 0x0102, 11);
  put_us (out, 0x0028, 0x0103, 0);
  for (guint y = 0; y < b->height; y++)
    for (guint x = 0; x < b->width; x++)
      {
        guint16 v = ((const guint16 *) (b->data + y * b->stride))[x];
        gsize i = 2 * ((gsize) y * b->width + x);
        pixels[i] = v & 0xff;
        pixels[i + 1] = v >> 8;
      }
  put_element (out, 0x7fe0, 0x0010, "OW", pixels, b->width * b->height * 2);
  return g_file_set_contents (path, (const char *) out->data, out->len, error);
}

/* ---- first pixels of a 12 MP photo --------------------------------------- */

/* A 4000 × 3000 "photo": skin-like light, a darker lesion, fine texture and
 * sensor-like noise, so the JPEG has a phone photo's size and detail. */
char *
lb_cli_bench_make_photo_jpeg (const char *dir, guint w, guint h, GError **error)
{
  g_autofree char *ppm = g_build_filename (dir, "photo.ppm", NULL);
  char *jpg = g_build_filename (dir, "photo.jpg", NULL);
  g_autofree char *header = g_strdup_printf ("P6\n%u %u\n255\n", w, h);
  gsize hlen = strlen (header), size = hlen + (gsize) w * h * 3;
  g_autofree guint8 *buf = g_malloc (size);
  g_autofree char *tool = g_find_program_in_path ("cjpeg");
  guint32 seed = 12345;
  int status = 0;

  if (tool == NULL)
    {
      g_set_error_literal (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT,
                           "cjpeg not found (Debian package libjpeg-turbo-progs)");
      g_free (jpg);
      return NULL;
    }
  memcpy (buf, header, hlen);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        guint8 *p = buf + hlen + ((gsize) y * w + x) * 3;
        double u = (double) x / w - 0.5, v = (double) y / h - 0.5;
        double light = 0.6 + 0.3 * cos (3 * u) * cos (2 * v);
        double lesion = exp (-(u * u / 0.02 + v * v / 0.01));
        double tex = 12 * sin (x / 5.0 + y / 7.0) * sin (y / 4.0);
        double noise;

        seed = seed * 1664525u + 1013904223u;
        noise = (double) (seed >> 28) - 7.5;
        p[0] = (guint8) CLAMP (225 * light - 60 * lesion + tex + noise, 0, 255);
        p[1] = (guint8) CLAMP (170 * light - 110 * lesion + 0.8 * tex + noise, 0, 255);
        p[2] = (guint8) CLAMP (150 * light - 100 * lesion + 0.6 * tex + noise, 0, 255);
      }
  if (!g_file_set_contents (ppm, (const char *) buf, size, error))
    {
      g_free (jpg);
      return NULL;
    }
  {
    /* cjpeg's defaults: baseline, 4:2:0, like a phone camera. */
    const char *argv[] = { tool, "-quality", "92", "-outfile", jpg, ppm, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                       &status, error) ||
        !g_spawn_check_wait_status (status, error))
      {
        g_unlink (ppm);
        g_free (jpg);
        return NULL;
      }
  }
  g_unlink (ppm);
  return jpg;
}

typedef struct {
  double open_ms;      /* file read + parse */
  double decode_ms;    /* scaled (or full) decode */
  double render_ms;    /* table + render into the viewport */
  double total_ms;
  guint  denom;
  guint  width;        /* of the decoded buffer */
  guint  height;
} FirstPixels;

/* What LbViewport does for a new still image, on the calling thread:
 * parse, decode at lb_pyramid_preview_denom() (@full: at full size with
 * the whole pyramid, the "full detail" step), then one frame at fit. */
static gboolean
first_pixels (const char  *path,
              int          vw,
              int          vh,
              gboolean     full,
              guint8      *out,
              FirstPixels *fp,
              GError     **error)
{
  g_autoptr (LbDicomObject) object = NULL;
  g_autoptr (LbPyramid) pyramid = NULL;
  g_autoptr (LbLut) lut = NULL;
  LbDicomLimits limits;
  const LbDicomMeta *meta;
  LbPixelBuffer *buffer;
  LbPipelineParams params;
  LbViewTransform view;
  double t0 = now_ms (), t1, t2;

  lb_dicom_limits_init_default (&limits);
  object = lb_dicom_object_new_from_file (path, &limits, error);
  if (object == NULL)
    return FALSE;
  meta = lb_dicom_object_get_meta (object);
  t1 = now_ms ();
  fp->denom = full ? 1 : lb_pyramid_preview_denom (meta->columns, meta->rows);
  buffer = fp->denom > 1 ? lb_dicom_object_decode_frame_scaled (object, 0, fp->denom, error)
                         : lb_dicom_object_decode_frame (object, 0, error);
  if (buffer == NULL)
    return FALSE;
  fp->width = buffer->width;
  fp->height = buffer->height;
  pyramid = full ? lb_pyramid_new (buffer, (GDestroyNotify) lb_pixel_buffer_free)
                 : lb_pyramid_new_single (buffer, (GDestroyNotify) lb_pixel_buffer_free);
  t2 = now_ms ();
  lb_pipeline_params_init_from_meta (&params, meta, buffer);
  lut = lb_lut_new (&params, buffer);
  lb_view_transform_init (&view, meta->columns, meta->rows, vw, vh);
  lb_pipeline_render (pyramid, lut, &view, 0, 0, vw, vh, out, (gsize) vw * 4);
  fp->total_ms = now_ms () - t0;
  fp->open_ms = t1 - t0;
  fp->decode_ms = t2 - t1;
  fp->render_ms = fp->total_ms - (t2 - t0);
  return TRUE;
}

/* One line of the table; the label column is as wide as the first part's. */
static void
print_row (const char *label,
           double      ms,
           const char *note)
{
  /* %-*s counts bytes; "×" is two of them but one column. */
  int pad = 41 + (int) (strlen (label) - g_utf8_strlen (label, -1));

  g_print ("  %-*s%8.2f ms%s%s%s\n", pad, label, ms, note ? "  (" : "", note ? note : "", note ? ")" : "");
}

typedef struct {
  const char *path;
  gint        stop;
} Competitor;

/* Full decodes of the same object on another thread, as the viewport's
 * full-resolution task would run them if started next to the preview. */
static gpointer
full_decode_thread (gpointer data)
{
  Competitor *c = data;
  LbDicomLimits limits;

  lb_dicom_limits_init_default (&limits);
  while (!g_atomic_int_get (&c->stop))
    {
      g_autoptr (LbDicomObject) object = lb_dicom_object_new_from_file (c->path, &limits, NULL);
      g_autoptr (LbPixelBuffer) buffer = object ? lb_dicom_object_decode_frame (object, 0, NULL) : NULL;

      if (buffer == NULL)
        break;
    }
  return NULL;
}

static double
time_subprocess (const char * const *argv, GError **error)
{
  int status = 0;
  double s = now_ms ();

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, error) ||
      !g_spawn_check_wait_status (status, error))
    return -1;
  return now_ms () - s;
}

static int
bench_first_pixels (int runs)
{
  const int vw = 1920, vh = 1080;
  const guint pw = 4000, ph = 3000;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lightbox-bench-XXXXXX", &error);
  g_autofree char *jpg = NULL;
  g_autofree char *dcm = NULL;
  g_autofree char *djpeg = g_find_program_in_path ("djpeg");
  g_autofree guint8 *out = g_malloc ((gsize) vw * vh * 4);
  g_autofree double *total = g_new (double, runs);
  g_autofree double *open = g_new (double, runs);
  g_autofree double *decode = g_new (double, runs);
  g_autofree double *render = g_new (double, runs);
  g_autofree double *busy = g_new (double, runs);
  g_autofree double *full = g_new (double, runs);
  g_autofree double *peer = g_new (double, runs);
  g_autofree double *peer4 = g_new (double, runs);
  g_autoptr (GBytes) photo = NULL;
  g_autoptr (GBytes) wrapped = NULL;
  FirstPixels fp = { 0 }, ff = { 0 };
  LbWrapOptions options;
  double cold, cold_open, cold_decode, m_total, m_full, m_peer, m_peer4;
  char *contents;
  gsize length;

  if (dir == NULL || djpeg == NULL)
    {
      g_printerr ("lightbox-cli bench render: %s\n",
                  dir == NULL ? error->message : "djpeg not found (Debian package libjpeg-turbo-progs)");
      return 1;
    }
  jpg = lb_cli_bench_make_photo_jpeg (dir, pw, ph, &error);
  if (jpg == NULL || !g_file_get_contents (jpg, &contents, &length, &error))
    {
      g_printerr ("lightbox-cli bench render: cannot make the photo: %s\n", error->message);
      return 1;
    }
  photo = g_bytes_new_take (contents, length);
  lb_wrap_options_init (&options);
  options.patient_name = "BENCH^PHOTO";
  options.patient_id = "BENCH-1";
  wrapped = lb_dicom_wrap_photo (photo, &options, &error);
  dcm = g_build_filename (dir, "photo.dcm", NULL);
  if (wrapped == NULL ||
      !g_file_set_contents (dcm, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped), &error))
    {
      g_printerr ("lightbox-cli bench render: cannot wrap the photo: %s\n", error->message);
      return 1;
    }

  /* The first open in the process also registers the codecs: shown on its
   * own line, not mixed into the median. */
  if (!first_pixels (dcm, vw, vh, FALSE, out, &fp, &error))
    {
      g_printerr ("lightbox-cli bench render: %s\n", error->message);
      return 1;
    }
  cold = fp.total_ms;
  cold_open = fp.open_ms;
  cold_decode = fp.decode_ms;
  for (int i = 0; i < runs; i++)
    {
      first_pixels (dcm, vw, vh, FALSE, out, &fp, NULL);
      total[i] = fp.total_ms;
      open[i] = fp.open_ms;
      decode[i] = fp.decode_ms;
      render[i] = fp.render_ms;
      first_pixels (dcm, vw, vh, TRUE, out, &ff, NULL);
      full[i] = ff.total_ms;
    }
  /* The same with a full decode of the photo running on another core. */
  {
    Competitor c = { dcm, 0 };
    GThread *thread = g_thread_new ("full-decode", full_decode_thread, &c);

    g_usleep (20000);
    for (int i = 0; i < runs; i++)
      {
        first_pixels (dcm, vw, vh, FALSE, out, &fp, NULL);
        busy[i] = fp.total_ms;
      }
    g_atomic_int_set (&c.stop, 1);
    g_thread_join (thread);
  }
  for (int i = 0; i < runs; i++)
    {
      const char *argv_full[] = { djpeg, "-outfile", "/dev/null", jpg, NULL };
      const char *argv_quarter[] = { djpeg, "-scale", "1/4", "-outfile", "/dev/null", jpg, NULL };

      peer[i] = time_subprocess (argv_full, &error);
      peer4[i] = peer[i] < 0 ? -1 : time_subprocess (argv_quarter, &error);
      if (peer4[i] < 0)
        {
          g_printerr ("lightbox-cli bench render: djpeg: %s\n", error->message);
          return 1;
        }
    }

  m_total = lb_cli_median (total, runs);
  m_full = lb_cli_median (full, runs);
  m_peer = lb_cli_median (peer, runs);
  m_peer4 = lb_cli_median (peer4, runs);
  g_print ("\nfirst pixels: %u×%u JPEG (q92, 4:2:0, %.1f MB) wrapped as XC, file → 8-bit %d×%d frame, "
           "median of %d\n", pw, ph, g_bytes_get_size (photo) / 1e6, vw, vh, runs);
  {
    g_autofree char *decode_label = g_strdup_printf ("decode at 1/%u (%u×%u)", fp.denom, fp.width, fp.height);
    g_autofree char *budget = g_strdup_printf ("budget 150 ms: %s", m_total <= 150 ? "ok" : "OVER");
    g_autofree char *vs_full = g_strdup_printf ("%.1f× our first pixels", m_peer / MAX (m_total, 1e-3));
    g_autofree char *cold_note = g_strdup_printf ("open %.0f ms, decode %.0f ms", cold_open, cold_decode);
    g_autofree char *vs_quarter = g_strdup_printf ("%.2f× our first pixels", m_peer4 / MAX (m_total, 1e-3));

    print_row ("open (read + parse)", lb_cli_median (open, runs), NULL);
    print_row (decode_label, lb_cli_median (decode, runs), NULL);
    print_row ("table + render at fit", lb_cli_median (render, runs), NULL);
    print_row ("first pixels", m_total, budget);
    print_row ("  first open in the process", cold, cold_note);
    print_row ("  with a full decode on the other core", lb_cli_median (busy, runs), NULL);
    print_row ("full detail: decode, pyramid, render", m_full, NULL);
    g_print ("peer: djpeg (libjpeg-turbo) of the same JPEG to /dev/null, process start included, "
             "median of %d\n", runs);
    print_row ("full decode", m_peer, vs_full);
    print_row ("-scale 1/4", m_peer4, vs_quarter);
  }

  g_unlink (jpg);
  g_unlink (dcm);
  g_rmdir (dir);
  return 0;
}

int
lb_cli_bench_render (int argc, char **argv)
{
  int size = 4096, vw = 1920, vh = 1080, iterations = 41, peer_runs = 5, photo_runs = 7;
  gboolean no_peer = FALSE, no_photo = FALSE;
  const GOptionEntry entries[] = {
    { "image-size", 0, 0, G_OPTION_ARG_INT, &size, "Image side in pixels (default 4096)", "N" },
    { "iterations", 0, 0, G_OPTION_ARG_INT, &iterations, "Frames per measurement (default 41)", "N" },
    { "peer-runs", 0, 0, G_OPTION_ARG_INT, &peer_runs, "dcmj2pnm runs (default 5)", "N" },
    { "no-peer", 0, 0, G_OPTION_ARG_NONE, &no_peer, "Do not run dcmj2pnm", NULL },
    { "photo-runs", 0, 0, G_OPTION_ARG_INT, &photo_runs, "First-pixels runs of the 12 MP photo (default 7, at least 5)", "N" },
    { "no-photo", 0, 0, G_OPTION_ARG_NONE, &no_photo, "Skip the first-pixels benchmark", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- time the viewer's pixel pipeline");
  g_autoptr (GError) error = NULL;
  g_autoptr (LbPyramid) pyramid = NULL;
  g_autofree double *t = NULL;
  g_autofree guint8 *out = NULL;
  LbPipelineParams params;
  LbViewTransform view;
  double t0, build_ms, wl_fit, wl_1to1, pan_fit, zoom_step, wl_c = 2048, wl_w = 2000;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("lightbox-cli bench render: %s\n", error->message);
      return 2;
    }
  size = CLAMP (size, 64, 16384);
  photo_runs = CLAMP (photo_runs, 5, 1000);
  iterations = CLAMP (iterations, 1, 10000);
  t = g_new (double, iterations);
  out = g_malloc ((gsize) vw * vh * 4);

  /* The pyramid is built once per image in a worker thread: reported, not
   * part of any frame. */
  {
    LbPixelBuffer *phantom = make_phantom (size);

    t0 = now_ms ();
    pyramid = lb_pyramid_new (phantom, (GDestroyNotify) lb_pyramid_buffer_free);
    build_ms = now_ms () - t0;
  }
  lb_pipeline_params_init (&params);
  lb_view_transform_init (&view, size, size, vw, vh);

#define MEASURE(result, body) G_STMT_START { \
    for (int i_ = 0; i_ < iterations; i_++) { \
      double s_ = now_ms (); \
      body; \
      t[i_] = now_ms () - s_; \
    } \
    result = lb_cli_median (t, iterations); \
  } G_STMT_END

  /* W/L change at fit: a new combined table, then every device pixel. */
  MEASURE (wl_fit, {
    g_autoptr (LbLut) lut = NULL;
    params.window_center = wl_c + (i_ % 7) * 10;
    params.window_width = wl_w + (i_ % 5) * 20;
    lut = lb_lut_new (&params, pyramid->levels[0]);
    lb_pipeline_render (pyramid, lut, &view, 0, 0, vw, vh, out, (gsize) vw * 4);
  });
  /* The same at 1:1, where all 2 Mpx come from the full-resolution level. */
  view.zoom = 1.0;
  MEASURE (wl_1to1, {
    g_autoptr (LbLut) lut = NULL;
    params.window_center = wl_c + (i_ % 7) * 10;
    lut = lb_lut_new (&params, pyramid->levels[0]);
    lb_pipeline_render (pyramid, lut, &view, 0, 0, vw, vh, out, (gsize) vw * 4);
  });
  {
    g_autoptr (LbLut) lut = lb_lut_new (&params, pyramid->levels[0]);

    /* Pan at 1:1: the table is reused, only the view moves. */
    MEASURE (pan_fit, {
      lb_view_transform_pan (&view, (i_ % 2) ? 13 : -11, 7);
      lb_pipeline_render (pyramid, lut, &view, 0, 0, vw, vh, out, (gsize) vw * 4);
    });
    /* Zoom steps at the cursor between fit and 2×. */
    lb_view_transform_fit (&view);
    MEASURE (zoom_step, {
      double z = view.zoom * ((i_ / 6) % 2 ? 1 / 1.25 : 1.25);
      lb_view_transform_zoom_at (&view, z, 700, 400);
      lb_pipeline_render (pyramid, lut, &view, 0, 0, vw, vh, out, (gsize) vw * 4);
    });
  }

  g_print ("image %d×%d 12-bit in a %d×%d viewport, one thread, median of %d frames\n",
           size, size, vw, vh, iterations);
  g_print ("  pyramid build (once per image, worker)   %8.2f ms\n", build_ms);
  g_print ("  window/level change, fit                 %8.2f ms\n", wl_fit);
  g_print ("  window/level change, 1:1                 %8.2f ms\n", wl_1to1);
  g_print ("  pan step, 1:1                            %8.2f ms\n", pan_fit);
  g_print ("  zoom step at cursor                      %8.2f ms\n", zoom_step);
  g_print ("  budget                                   %8.2f ms  %s\n", 4.0,
           MAX (MAX (wl_fit, wl_1to1), MAX (pan_fit, zoom_step)) <= 4.0 ? "ok" : "OVER");

  if (!no_peer)
    {
      g_autofree char *dir = g_dir_make_tmp ("lightbox-bench-XXXXXX", &error);
      g_autofree char *dcm = NULL;
      g_autofree char *pgm = NULL;
      g_autofree char *tool = g_find_program_in_path ("dcmj2pnm");
      g_autofree double *p = g_new (double, MAX (peer_runs, 1));
      double peer;

      if (dir == NULL || tool == NULL)
        {
          g_printerr ("lightbox-cli bench render: no peer: %s\n",
                      dir == NULL ? error->message : "dcmj2pnm not found (Debian package dcmtk)");
          return 1;
        }
      dcm = g_build_filename (dir, "phantom.dcm", NULL);
      pgm = g_build_filename (dir, "out.pgm", NULL);
      if (!write_dicom (dcm, pyramid->levels[0], &error))
        {
          g_printerr ("lightbox-cli bench render: %s\n", error->message);
          return 1;
        }
      for (int i = 0; i < MAX (peer_runs, 1); i++)
        {
          g_autofree char *c = g_strdup_printf ("%g", wl_c + i * 10);
          g_autofree char *w = g_strdup_printf ("%g", wl_w);
          g_autofree char *h = g_strdup_printf ("%d", vh);
          const char *argv_peer[] = { tool, "+Ww", c, w, "+Syv", h, dcm, pgm, NULL };
          int status = 0;
          double s = now_ms ();

          if (!g_spawn_sync (NULL, (char **) argv_peer, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                             NULL, NULL, NULL, NULL, &status, &error) ||
              !g_spawn_check_wait_status (status, &error))
            {
              g_printerr ("lightbox-cli bench render: dcmj2pnm: %s\n", error->message);
              return 1;
            }
          p[i] = now_ms () - s;
        }
      peer = lb_cli_median (p, MAX (peer_runs, 1));
      g_print ("peer: dcmtk dcmj2pnm +Ww C W +Syv %d (DicomImage: load, window, scale, write), median of %d\n",
               vh, MAX (peer_runs, 1));
      g_print ("  per window change                        %8.2f ms  (%.0f× our W/L frame at fit)\n",
               peer, peer / MAX (wl_fit, 1e-3));
      g_unlink (dcm);
      g_unlink (pgm);
      g_rmdir (dir);
    }
  if (!no_photo)
    return bench_first_pixels (photo_runs);
  return 0;
}
