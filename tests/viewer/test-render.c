/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-pipeline.h"
#include <string.h>

/* An 8-bit image whose every pixel names its position, v = 16·y + x, shown
 * through the identity window: each output gray level says exactly which
 * image pixel was sampled, so geometry is checked with zero tolerance. */
static LbPyramid *
labelled_image (guint w, guint h)
{
  LbPixelBuffer *b = lb_pyramid_buffer_new (w, h, LB_PIXEL_GRAY8);

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      b->data[y * b->stride + x] = 16 * y + x;
  return lb_pyramid_new (b, (GDestroyNotify) lb_pyramid_buffer_free);
}

static guint32 *
render (const LbPyramid *p, const LbLut *lut, const LbViewTransform *t)
{
  guint32 *out = g_new0 (guint32, t->viewport_width * t->viewport_height);

  lb_pipeline_render (p, lut, t, 0, 0, t->viewport_width, t->viewport_height,
                      (guint8 *) out, t->viewport_width * 4);
  return out;
}

static guint32
label (guint x, guint y)
{
  guint v = 16 * y + x;

  return 0xff000000u | v << 16 | v << 8 | v;
}

static void
test_geometry (void)
{
  g_autoptr (LbPyramid) p = labelled_image (4, 3);
  g_autoptr (LbLut) lut = NULL;
  LbPipelineParams params;
  LbViewTransform t;

  lb_pipeline_params_init (&params);
  lut = lb_lut_new (&params, p->levels[0]);

  /* 1:1 in an equal viewport: a copy. */
  lb_view_transform_init (&t, 4, 3, 4, 3);
  {
    g_autofree guint32 *o = render (p, lut, &t);

    for (guint y = 0; y < 3; y++)
      for (guint x = 0; x < 4; x++)
        g_assert_cmphex (o[y * 4 + x], ==, label (x, y));
  }

  /* A quarter turn clockwise into 3×4: device (i, j) shows image pixel
   * (j, 2 − i). */
  lb_view_transform_init (&t, 4, 3, 3, 4);
  lb_view_transform_rotate (&t, 1);
  t.zoom = 1;
  {
    g_autofree guint32 *o = render (p, lut, &t);

    for (guint j = 0; j < 4; j++)
      for (guint i = 0; i < 3; i++)
        g_assert_cmphex (o[j * 3 + i], ==, label (j, 2 - i));
  }

  /* Half a turn and a flip: a vertical mirror. */
  lb_view_transform_init (&t, 4, 3, 4, 3);
  lb_view_transform_rotate (&t, 2);
  t.flip_h = TRUE;
  {
    g_autofree guint32 *o = render (p, lut, &t);

    for (guint y = 0; y < 3; y++)
      for (guint x = 0; x < 4; x++)
        g_assert_cmphex (o[y * 4 + x], ==, label (x, 2 - y));
  }

  /* Zoom 2 at the centre of an 8×6 viewport: 2×2 blocks, nearest neighbour. */
  lb_view_transform_init (&t, 4, 3, 8, 6);
  g_assert_cmpfloat (t.zoom, ==, 2);
  {
    g_autofree guint32 *o = render (p, lut, &t);

    for (guint y = 0; y < 6; y++)
      for (guint x = 0; x < 8; x++)
        g_assert_cmphex (o[y * 8 + x], ==, label (x / 2, y / 2));
  }

  /* 1:1 in a larger viewport: centred, background around it. */
  lb_view_transform_init (&t, 4, 3, 8, 5);
  t.zoom = 1;
  {
    g_autofree guint32 *o = render (p, lut, &t);

    for (guint y = 0; y < 5; y++)
      for (guint x = 0; x < 8; x++)
        {
          gboolean inside = x >= 2 && x < 6 && y >= 1 && y < 4;

          g_assert_cmphex (o[y * 8 + x], ==, inside ? label (x - 2, y - 1) : LB_PIPELINE_BACKGROUND);
        }
  }
}

static void
test_zoomed_out_uses_pyramid (void)
{
  /* 128×128 with 2×2 checks of 0 and 200: at zoom 1/2 a device pixel must
   * show the level-1 mean (100), not whichever sample nearest neighbour on
   * level 0 happens to hit. */
  LbPixelBuffer *b = lb_pyramid_buffer_new (128, 128, LB_PIXEL_GRAY8);
  g_autoptr (LbPyramid) p = NULL;
  g_autoptr (LbLut) lut = NULL;
  g_autofree guint32 *o = NULL;
  LbPipelineParams params;
  LbViewTransform t;

  for (guint y = 0; y < 128; y++)
    for (guint x = 0; x < 128; x++)
      b->data[y * b->stride + x] = ((x + y) % 2) ? 200 : 0;
  p = lb_pyramid_new (b, (GDestroyNotify) lb_pyramid_buffer_free);
  lb_pipeline_params_init (&params);
  lut = lb_lut_new (&params, b);
  lb_view_transform_init (&t, 128, 128, 64, 64);
  g_assert_cmpfloat (t.zoom, ==, 0.5);
  o = render (p, lut, &t);
  for (guint i = 0; i < 64 * 64; i++)
    g_assert_cmphex (o[i], ==, 0xff646464);
}

static void
test_window_and_region (void)
{
  /* A signed 16-bit image through rescale and a window: each output pixel
   * equals the single-value pipeline (checked against the PS3.3 formulas
   * in test-pipeline) for the pixel it samples. */
  LbPixelBuffer *b = lb_pyramid_buffer_new (300, 200, LB_PIXEL_GRAY16S);
  g_autoptr (LbPyramid) p = NULL;
  g_autoptr (LbLut) lut = NULL;
  g_autofree guint32 *full = NULL;
  g_autofree guint32 *part = NULL;
  LbPipelineParams params;
  LbViewTransform t;

  b->bits_stored = 16;
  for (guint y = 0; y < 200; y++)
    for (guint x = 0; x < 300; x++)
      ((gint16 *) (b->data + y * b->stride))[x] = (gint16) ((int) x * 37 - (int) y * 53);
  p = lb_pyramid_new (b, (GDestroyNotify) lb_pyramid_buffer_free);
  lb_pipeline_params_init (&params);
  params.rescale_slope = 0.5;
  params.rescale_intercept = -100;
  params.window_center = 500;
  params.window_width = 3000;
  params.invert = TRUE;
  lut = lb_lut_new (&params, b);

  lb_view_transform_init (&t, 300, 200, 250, 180);
  t.zoom = 1.5;
  lb_view_transform_rotate (&t, 3);
  t.center_x = 120.3;
  t.center_y = 90.8;
  full = render (p, lut, &t);
  for (int j = 0; j < 180; j++)
    for (int i = 0; i < 250; i++)
      {
        double ix, iy;
        guint32 want = LB_PIPELINE_BACKGROUND;

        lb_view_transform_to_image (&t, i + 0.5, j + 0.5, &ix, &iy);
        if (ix >= 0 && ix < 300 && iy >= 0 && iy < 200)
          {
            int v = (int) ix * 37 - (int) iy * 53;
            guint8 g = lb_pipeline_map_value (&params, FALSE, v);

            want = 0xff000000u | g << 16 | g << 8 | g;
          }
        g_assert_cmphex (full[j * 250 + i], ==, want);
      }

  /* Rendering a sub-rectangle gives the same pixels as the full render. */
  part = g_new0 (guint32, 40 * 30);
  lb_pipeline_render (p, lut, &t, 100, 70, 40, 30, (guint8 *) part, 40 * 4);
  for (int j = 0; j < 30; j++)
    for (int i = 0; i < 40; i++)
      g_assert_cmphex (part[j * 40 + i], ==, full[(70 + j) * 250 + 100 + i]);
}

static void
test_color (void)
{
  LbPixelBuffer *b = lb_pyramid_buffer_new (2, 1, LB_PIXEL_RGB8);
  g_autoptr (LbPyramid) p = NULL;
  g_autoptr (LbLut) lut = NULL;
  g_autofree guint32 *o = NULL;
  LbPipelineParams params;
  LbViewTransform t;
  static const guint8 px[] = { 255, 0, 0, 1, 2, 3 };

  memcpy (b->data, px, sizeof px);
  p = lb_pyramid_new (b, (GDestroyNotify) lb_pyramid_buffer_free);
  lb_pipeline_params_init (&params);
  lut = lb_lut_new (&params, b);
  lb_view_transform_init (&t, 2, 1, 2, 1);
  lb_view_transform_flip (&t, TRUE);
  o = render (p, lut, &t);
  /* Red ends up on the right; channels keep their order in ARGB32. */
  g_assert_cmphex (o[0], ==, 0xff010203);
  g_assert_cmphex (o[1], ==, 0xffff0000);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/viewer/render/geometry", test_geometry);
  g_test_add_func ("/viewer/render/zoomed-out", test_zoomed_out_uses_pyramid);
  g_test_add_func ("/viewer/render/window-region", test_window_and_region);
  g_test_add_func ("/viewer/render/color", test_color);
  return g_test_run ();
}
