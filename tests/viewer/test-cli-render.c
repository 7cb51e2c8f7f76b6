/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <cairo.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "lb-banner.h"
#include "lb-test-utils.h"
#include "lb-viewer-test-objects.h"

/*
 * `lightbox-cli render` on real Part-10 files, compared pixel for pixel
 * with dcmtk's dcmj2pnm (an independent implementation of PS3.3 C.11's
 * modality → VOI → presentation chain) at the same window.
 *
 * Tolerance ≤ 1 gray level: both evaluate the same PS3.3 C.11.2.1.2.1
 * formula in floating point, but dcmtk builds its output table with its
 * own rounding (it truncates at some steps), so a value that lands on a
 * half level can go either way. RGB is exact (no window applies to color
 * in dcmtk; ours is the identity at the default). The JPEG photo is
 * allowed 1 per channel (measured: 0): dcmtk decodes with its bundled
 * IJG 6b, Lightbox with libjpeg-turbo; both use the islow IDCT and fancy
 * upsampling, but libjpeg-turbo's SIMD paths are not promised to be
 * bit-identical to IJG's C code.
 */

static char *tmpdir;
static char *photo;

static char *
path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static void
render_ok (const char *dcm, const char *out, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("LIGHTBOX_CLI"));
  g_ptr_array_add (argv, (gpointer) "render");
  g_ptr_array_add (argv, (gpointer) dcm);
  g_ptr_array_add (argv, (gpointer) "--out");
  g_ptr_array_add (argv, (gpointer) out);
  va_start (ap, out);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  lb_test_run ((const char * const *) argv->pdata, NULL, NULL, TRUE);
}

/* dcmj2pnm with extra options (NULL-terminated), 8-bit PNM to @out. */
static void
peer (const char *dcm, const char *out, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) "dcmj2pnm");
  va_start (ap, out);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, (gpointer) dcm);
  g_ptr_array_add (argv, (gpointer) out);
  g_ptr_array_add (argv, NULL);
  lb_test_run ((const char * const *) argv->pdata, NULL, NULL, TRUE);
}

typedef struct {
  guint   width;
  guint   height;
  guint   channels;
  guint8 *data;
} Image;

static void
image_clear (Image *image)
{
  g_clear_pointer (&image->data, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Image, image_clear)

static void
load (Image *image, const char *file)
{
  image->data = lb_viewer_test_read_pnm (file, &image->width, &image->height, &image->channels);
}

/* Same size and channels, every sample within @tolerance; returns the
 * worst difference seen. */
static int
assert_close (const Image *ours,
              const Image *theirs,
              int          tolerance,
              const char  *what)
{
  gsize n;
  int worst = 0;

  g_assert_cmpuint (ours->width, ==, theirs->width);
  g_assert_cmpuint (ours->height, ==, theirs->height);
  g_assert_cmpuint (ours->channels, ==, theirs->channels);
  n = (gsize) ours->width * ours->height * ours->channels;
  for (gsize i = 0; i < n; i++)
    {
      int d = ABS ((int) ours->data[i] - (int) theirs->data[i]);

      if (d > tolerance)
        g_error ("%s: sample %" G_GSIZE_FORMAT " (x %u, y %u) is %u, dcmj2pnm %u",
                 what, i, (guint) ((i / ours->channels) % ours->width),
                 (guint) ((i / ours->channels) / ours->width), ours->data[i], theirs->data[i]);
      worst = MAX (worst, d);
    }
  g_test_message ("%s: worst difference to dcmj2pnm %d", what, worst);
  return worst;
}

/* Ours with --window C,W against dcmj2pnm +Ww C W. */
static void
compare_window (const char *name,
                const char *center,
                const char *width,
                int         tolerance)
{
  g_autofree char *dcm_name = g_strconcat (name, ".dcm", NULL);
  g_autofree char *dcm = path (dcm_name);
  g_autofree char *ours_pgm = path ("ours.pgm");
  g_autofree char *peer_pgm = path ("peer.pgm");
  g_autofree char *window = g_strdup_printf ("%s,%s", center, width);
  g_autofree char *what = g_strdup_printf ("%s at %s", name, window);
  g_auto (Image) ours = { 0 };
  g_auto (Image) theirs = { 0 };

  render_ok (dcm, ours_pgm, "--window", window, NULL);
  peer (dcm, peer_pgm, "+Ww", center, width, NULL);
  load (&ours, ours_pgm);
  load (&theirs, peer_pgm);
  assert_close (&ours, &theirs, tolerance, what);
}

static guint
count_levels (const Image *image)
{
  gboolean seen[256] = { FALSE };
  guint n = 0;

  for (gsize i = 0; i < (gsize) image->width * image->height * image->channels; i++)
    if (!seen[image->data[i]])
      {
        seen[image->data[i]] = TRUE;
        n++;
      }
  return n;
}

static void
test_ct_window (void)
{
  /* Soft tissue, lung, and one so wide that no value is clipped. A signed
   * 12-bit CT with Rescale Slope 2, Intercept −1000 (PS3.3 C.11.1.1.2):
   * windows are in HU. */
  compare_window ("ct", "40", "400", 1);
  compare_window ("ct", "-600", "1500", 1);
  compare_window ("ct", "0", "9000", 1);
  /* A threshold: width 1 is a step at the centre (C.11.2.1.2.1). */
  compare_window ("ct", "100.5", "1", 0);
}

static void
test_monochrome1 (void)
{
  /* Low stored values are white after the VOI window (C.7.6.3.1.2). */
  compare_window ("mono1", "100", "80", 1);
  compare_window ("mono1", "128", "256", 1);
}

static void
test_default_window (void)
{
  struct {
    const char *name;
    const char *peer_window[4];
    const char *frame;
  } cases[] = {
    /* The object's first window (40/400 HU), as dcmj2pnm +Wi 1. */
    { "ct", { "+Wi", "1", NULL, NULL }, "0" },
    /* No window in the object: the value range present, 20..232, is
     * centre 126.5, width 213 (C.11.2.1.2.1 maps lo to 0 and hi to 255).
     * Not compared with dcmtk's +Wm here: on MONOCHROME1, dcmtk 3.6.7's
     * min-max window maps the range to 233..0 rather than 255..0. */
    { "mono1", { "+Ww", "126.5", "213", NULL }, "0" },
    /* For MONOCHROME2, dcmtk's min-max window (+Wm) is the same window;
     * for a multi-frame object, the range of the frame shown. */
    { "multi", { "+Wm", NULL, NULL, NULL }, "2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dcm_name = g_strconcat (cases[i].name, ".dcm", NULL);
      g_autofree char *dcm = path (dcm_name);
      g_autofree char *ours_pgm = path ("ours.pgm");
      g_autofree char *peer_pgm = path ("peer.pgm");
      g_autofree char *frame1 = g_strdup_printf ("%d", atoi (cases[i].frame) + 1);
      g_autofree char *what = g_strdup_printf ("%s default window", cases[i].name);
      g_auto (Image) ours = { 0 };
      g_auto (Image) theirs = { 0 };

      render_ok (dcm, ours_pgm, "--frame", cases[i].frame, NULL);
      peer (dcm, peer_pgm, "+F", frame1, cases[i].peer_window[0], cases[i].peer_window[1],
            cases[i].peer_window[2], NULL);
      load (&ours, ours_pgm);
      load (&theirs, peer_pgm);
      assert_close (&ours, &theirs, 1, what);
      /* A real picture, not a flat field that would match anything. */
      g_assert_cmpuint (count_levels (&ours), >, 50);
    }
}

static void
test_frames (void)
{
  g_autofree char *dcm = path ("multi.dcm");
  g_auto (Image) first = { 0 };

  for (guint f = 0; f < 3; f++)
    {
      g_autofree char *ours_pgm = path ("ours.pgm");
      g_autofree char *peer_pgm = path ("peer.pgm");
      g_autofree char *frame = g_strdup_printf ("%u", f);
      g_autofree char *frame1 = g_strdup_printf ("%u", f + 1);
      g_autofree char *what = g_strdup_printf ("multi frame %u", f);
      g_auto (Image) ours = { 0 };
      g_auto (Image) theirs = { 0 };

      render_ok (dcm, ours_pgm, "--frame", frame, "--window", "3000,5000", NULL);
      peer (dcm, peer_pgm, "+F", frame1, "+Ww", "3000", "5000", NULL);
      load (&ours, ours_pgm);
      load (&theirs, peer_pgm);
      assert_close (&ours, &theirs, 1, what);
      /* The frames differ, so a wrong frame cannot pass. */
      if (f == 0)
        {
          first = ours;
          ours.data = NULL;
        }
      else
        g_assert_true (memcmp (ours.data, first.data, 128 * 96) != 0);
    }
}

static void
test_rgb (void)
{
  g_autofree char *dcm = path ("rgb.dcm");
  g_autofree char *ours_ppm = path ("ours.ppm");
  g_autofree char *peer_ppm = path ("peer.ppm");
  g_auto (Image) ours = { 0 };
  g_auto (Image) theirs = { 0 };

  render_ok (dcm, ours_ppm, NULL);
  peer (dcm, peer_ppm, NULL);
  load (&ours, ours_ppm);
  load (&theirs, peer_ppm);
  g_assert_cmpuint (ours.channels, ==, 3);
  assert_close (&ours, &theirs, 0, "rgb");
}

static cairo_surface_t *
load_png (const char *file)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (file);

  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  return s;
}

static guint32
png_pixel (cairo_surface_t *s, int x, int y)
{
  const guint8 *data = cairo_image_surface_get_data (s);

  return *(const guint32 *) (data + (gsize) y * cairo_image_surface_get_stride (s) + 4 * x) | 0xff000000u;
}

/* The PNG below @top rows equals the PNM render, channel for channel. */
static void
assert_png_matches (cairo_surface_t *png,
                    int              top,
                    const Image     *pnm)
{
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, pnm->width);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, pnm->height + top);
  for (guint y = 0; y < pnm->height; y++)
    for (guint x = 0; x < pnm->width; x++)
      {
        const guint8 *p = pnm->data + ((gsize) y * pnm->width + x) * pnm->channels;
        guint32 want = pnm->channels == 3
          ? 0xff000000u | p[0] << 16 | p[1] << 8 | p[2]
          : 0xff000000u | p[0] << 16 | p[0] << 8 | p[0];

        g_assert_cmphex (png_pixel (png, x, y + top), ==, want);
      }
}

static void
test_photo (void)
{
  g_autofree char *ours_ppm = path ("ours.ppm");
  g_autofree char *peer_ppm = path ("peer.ppm");
  g_autofree char *png_path = path ("photo.png");
  g_auto (Image) ours = { 0 };
  g_auto (Image) theirs = { 0 };
  cairo_surface_t *png;
  int top = 0;
  guint dark = 0;

  /* YBR_FULL_422 JPEG baseline, stored byte for byte: both sides decode
   * the same codestream. */
  render_ok (photo, ours_ppm, NULL);
  peer (photo, peer_ppm, NULL);
  load (&ours, ours_ppm);
  load (&theirs, peer_ppm);
  g_assert_cmpuint (ours.width, ==, 640);
  g_assert_cmpuint (ours.height, ==, 480);
  assert_close (&ours, &theirs, 1, "XC photo");

  /* PNG: the patient-image banner as a strip above the picture, which
   * follows unchanged. */
  render_ok (photo, png_path, NULL);
  png = load_png (png_path);
  while (top < cairo_image_surface_get_height (png) && png_pixel (png, 1, top) == LB_BANNER_BACKGROUND)
    top++;
  /* At least a line of text, at most a few. */
  g_assert_cmpint (top, >=, 14);
  g_assert_cmpint (top, <=, 120);
  for (int y = 0; y < top; y++)
    for (int x = 0; x < 640; x++)
      dark += (png_pixel (png, x, y) & 0xff) < 0x60;
  g_assert_cmpuint (dark, >, 100);
  assert_png_matches (png, top, &ours);
  cairo_surface_destroy (png);
}

static void
test_png_without_banner (void)
{
  g_autofree char *dcm = path ("ct.dcm");
  g_autofree char *ours_pgm = path ("ours.pgm");
  g_autofree char *png_path = path ("ct.png");
  g_auto (Image) ours = { 0 };
  cairo_surface_t *png;

  /* A CT is not patient-generated: the PNG is exactly the image. */
  render_ok (dcm, ours_pgm, NULL);
  render_ok (dcm, png_path, NULL);
  load (&ours, ours_pgm);
  png = load_png (png_path);
  assert_png_matches (png, 0, &ours);
  for (int x = 0; x < 320; x++)
    g_assert_cmphex (png_pixel (png, x, 0), !=, LB_BANNER_BACKGROUND);
  cairo_surface_destroy (png);
}

static void
test_size (void)
{
  g_autofree char *dcm = path ("ct.dcm");
  g_autofree char *peer_pgm = path ("peer.pgm");
  g_auto (Image) theirs = { 0 };
  struct {
    const char *size;
    guint w, h;
    guint x0, y0;       /* where the image starts */
    guint num, den;     /* device pixels per image pixel */
  } cases[] = {
    /* Fit 320×240 into 160×200: zoom ½, 160×120 centred with 40 rows of
     * background above and below. The CT's values are constant over 2×2
     * blocks, so the box-filtered level the pipeline samples at ½ equals
     * every second pixel of dcmj2pnm's full-size output. */
    { "160x200", 160, 200, 0, 40, 1, 2 },
    /* Fit into 400×120: the same zoom, centred horizontally. */
    { "400x120", 400, 120, 120, 0, 1, 2 },
    /* Fit into 640×480: zoom 2, nearest neighbour (2×2 per image pixel). */
    { "640x480", 640, 480, 0, 0, 2, 1 },
  };

  peer (dcm, peer_pgm, "+Ww", "40", "400", NULL);
  load (&theirs, peer_pgm);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ours_pgm = path ("ours.pgm");
      g_auto (Image) ours = { 0 };
      guint iw = 320 * cases[i].num / cases[i].den, ih = 240 * cases[i].num / cases[i].den;
      int worst = 0;

      render_ok (dcm, ours_pgm, "--window", "40,400", "--size", cases[i].size, NULL);
      load (&ours, ours_pgm);
      g_assert_cmpuint (ours.width, ==, cases[i].w);
      g_assert_cmpuint (ours.height, ==, cases[i].h);
      for (guint y = 0; y < ours.height; y++)
        for (guint x = 0; x < ours.width; x++)
          {
            guint8 got = ours.data[y * ours.width + x];

            if (x < cases[i].x0 || x >= cases[i].x0 + iw || y < cases[i].y0 || y >= cases[i].y0 + ih)
              g_assert_cmpuint (got, ==, 0);
            else
              {
                guint sx = (x - cases[i].x0) * cases[i].den / cases[i].num;
                guint sy = (y - cases[i].y0) * cases[i].den / cases[i].num;
                int d = ABS ((int) got - (int) theirs.data[sy * 320 + sx]);

                if (d > 1)
                  g_error ("--size %s: (%u, %u) is %u, dcmj2pnm's (%u, %u) %u", cases[i].size,
                           x, y, got, sx, sy, theirs.data[sy * 320 + sx]);
                worst = MAX (worst, d);
              }
          }
      g_test_message ("--size %s: worst difference %d", cases[i].size, worst);
    }
}

static void
assert_fails (int         want_status,
              const char *want_message,
              const char *out,
              ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *stdout_text = NULL;
  const char *arg;
  va_list ap;
  int status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("LIGHTBOX_CLI"));
  g_ptr_array_add (argv, (gpointer) "render");
  g_ptr_array_add (argv, (gpointer) "--out");
  g_ptr_array_add (argv, (gpointer) out);
  va_start (ap, out);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &stdout_text, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, want_status);
  /* One line naming the command and what went wrong; nothing written. */
  g_assert_true (g_str_has_prefix (err, "lightbox-cli render: "));
  if (strstr (err, want_message) == NULL)
    g_error ("stderr %s does not say \"%s\"", err, want_message);
  g_assert_cmpstr (stdout_text, ==, "");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_errors (void)
{
  g_autofree char *out = path ("never.pgm");
  g_autofree char *missing = path ("missing.dcm");
  g_autofree char *text = path ("notes.txt");
  g_autofree char *ct = path ("ct.dcm");
  g_autofree char *multi = path ("multi.dcm");

  g_assert_true (g_file_set_contents (text, "This is a note, not an image.\n", -1, NULL));
  assert_fails (1, "cannot read", out, missing, NULL);
  assert_fails (1, "No such file or directory", out, missing, NULL);
  assert_fails (1, "notes.txt: no DICOM preamble and no dataset found", out, text, NULL);
  assert_fails (2, "frame 3 out of range (the object has 3)", out, multi, "--frame", "3", NULL);
  assert_fails (2, "frame 1 out of range (the object has 1)", out, ct, "--frame", "1", NULL);
  assert_fails (2, "frame -1 out of range", out, ct, "--frame", "-1", NULL);
  assert_fails (2, "--window wants CENTER,WIDTH", out, ct, "--window", "40", NULL);
  assert_fails (2, "--window wants CENTER,WIDTH", out, ct, "--window", "40,zero", NULL);
  assert_fails (2, "--window wants CENTER,WIDTH", out, ct, "--window", "40,0", NULL);
  assert_fails (2, "--window wants CENTER,WIDTH", out, ct, "--window", "40,-400", NULL);
  assert_fails (2, "--size wants WxH", out, ct, "--size", "0x10", NULL);
  assert_fails (2, "must end in .png, .pgm or .ppm", path ("x.jpg"), ct, NULL);
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = lb_test_make_tmpdir ();
  lb_viewer_test_make_objects (tmpdir, FALSE);
  photo = lb_viewer_test_make_photo (tmpdir, "photo", 640, 480);

  g_test_add_func ("/viewer/cli-render/ct-window", test_ct_window);
  g_test_add_func ("/viewer/cli-render/monochrome1", test_monochrome1);
  g_test_add_func ("/viewer/cli-render/default-window", test_default_window);
  g_test_add_func ("/viewer/cli-render/frames", test_frames);
  g_test_add_func ("/viewer/cli-render/rgb", test_rgb);
  g_test_add_func ("/viewer/cli-render/xc-photo", test_photo);
  g_test_add_func ("/viewer/cli-render/png-without-banner", test_png_without_banner);
  g_test_add_func ("/viewer/cli-render/size", test_size);
  g_test_add_func ("/viewer/cli-render/errors", test_errors);
  status = g_test_run ();
  lb_test_remove_tree (tmpdir);
  g_free (tmpdir);
  g_free (photo);
  return status;
}
