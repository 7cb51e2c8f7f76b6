/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-pyramid.h"

#include <string.h>

static void
test_box_filter (void)
{
  /* 5×3 with an odd last column and row: the edge pixel stands in for its
   * missing neighbour, so each output is the mean of four values. */
  static const guint8 px[3][5] = {
    { 0, 4, 8, 12, 100 },
    { 2, 6, 10, 14, 50 },
    { 1, 3, 5, 7, 9 },
  };
  static const guint8 want[2][3] = {
    { 3, 11, 75 },    /* (0+4+2+6)/4, (8+12+10+14)/4, (100+100+50+50)/4 */
    { 2, 6, 9 },      /* (1+3+1+3)/4, (5+7+5+7)/4, (9·4)/4 */
  };
  LbPixelBuffer *b = lb_pyramid_buffer_new (69, 67, LB_PIXEL_GRAY8);
  g_autoptr (LbPyramid) p = NULL;
  const LbPixelBuffer *l1;

  /* Reductions stop at 32 pixels a side, so put the block in the
   * bottom-right corner of a 69×67 image, where the odd edges are. */
  for (guint y = 0; y < 3; y++)
    memcpy (b->data + (64 + y) * b->stride + 64, px[y], 5);
  p = lb_pyramid_new (b, (GDestroyNotify) lb_pyramid_buffer_free);
  l1 = p->levels[1];
  g_assert_cmpuint (l1->width, ==, 35);
  g_assert_cmpuint (l1->height, ==, 34);
  g_assert_cmpuint (l1->scale_denom, ==, 2);
  for (guint y = 0; y < 2; y++)
    for (guint x = 0; x < 3; x++)
      g_assert_cmpuint (l1->data[(32 + y) * l1->stride + 32 + x], ==, want[y][x]);
  g_assert_cmpuint (l1->data[0], ==, 0);

  /* An image already within 32 pixels is not reduced at all. */
  g_clear_pointer (&p, lb_pyramid_free);
  p = lb_pyramid_new (lb_pyramid_buffer_new (32, 20, LB_PIXEL_GRAY8),
                      (GDestroyNotify) lb_pyramid_buffer_free);
  g_assert_cmpuint (p->n_levels, ==, 1);
}

static void
test_odd_edges (void)
{
  /* 67×65 of 16-bit values v = x + 1000·y: the last column (66) and row
   * (64) pair with themselves. */
  LbPixelBuffer *b = lb_pyramid_buffer_new (67, 65, LB_PIXEL_GRAY16U);
  g_autoptr (LbPyramid) p = NULL;
  const LbPixelBuffer *l1;

  for (guint y = 0; y < 65; y++)
    for (guint x = 0; x < 67; x++)
      ((guint16 *) (b->data + y * b->stride))[x] = x + 1000 * y;
  p = lb_pyramid_new (b, (GDestroyNotify) lb_pyramid_buffer_free);
  l1 = p->levels[1];
  g_assert_cmpuint (l1->width, ==, 34);
  g_assert_cmpuint (l1->height, ==, 33);
  for (guint y = 0; y < l1->height; y++)
    for (guint x = 0; x < l1->width; x++)
      {
        guint x0 = 2 * x, x1 = MIN (2 * x + 1, 66u);
        guint y0 = 2 * y, y1 = MIN (2 * y + 1, 64u);
        /* Exact mean with ties rounded up. */
        guint sum = (x0 + x1) * 2 + 1000 * (y0 + y1) * 2;

        g_assert_cmpuint (((guint16 *) (l1->data + y * l1->stride))[x], ==, (sum + 2) / 4);
      }
  /* Level 2 is the reduction of level 1, down to ≤ 32 a side. */
  g_assert_cmpuint (p->n_levels, ==, 3);
  g_assert_cmpuint (p->levels[2]->width, ==, 17);
  g_assert_cmpuint (p->levels[2]->height, ==, 17);
  g_assert_cmpuint (p->levels[2]->scale_denom, ==, 4);
}

static void
test_signed_and_color (void)
{
  LbPixelBuffer *s = lb_pyramid_buffer_new (64, 64, LB_PIXEL_GRAY16S);
  LbPixelBuffer *c = lb_pyramid_buffer_new (128, 128, LB_PIXEL_RGB8);
  g_autoptr (LbPyramid) ps = NULL;
  g_autoptr (LbPyramid) pc = NULL;
  gint16 *row0 = (gint16 *) s->data, *row1 = (gint16 *) (s->data + s->stride);

  /* Signed means round half up like unsigned ones: −2.5 → −2, −3.25 → −3,
   * and the extremes do not overflow. */
  row0[0] = -1; row0[1] = -2; row1[0] = -3; row1[1] = -4;
  row0[2] = -4; row0[3] = -3; row1[2] = -3; row1[3] = -3;
  row0[4] = -32768; row0[5] = -32768; row1[4] = -32768; row1[5] = -32768;
  row0[6] = 32767; row0[7] = 32767; row1[6] = 32767; row1[7] = 32767;
  ps = lb_pyramid_new (s, (GDestroyNotify) lb_pyramid_buffer_free);
  g_assert_cmpint (((gint16 *) ps->levels[1]->data)[0], ==, -2);
  g_assert_cmpint (((gint16 *) ps->levels[1]->data)[1], ==, -3);
  g_assert_cmpint (((gint16 *) ps->levels[1]->data)[2], ==, -32768);
  g_assert_cmpint (((gint16 *) ps->levels[1]->data)[3], ==, 32767);

  /* Color channels are filtered separately. */
  for (guint y = 0; y < 128; y++)
    for (guint x = 0; x < 128; x++)
      {
        guint8 *p = c->data + y * c->stride + 3 * x;
        p[0] = 200;
        p[1] = (x % 2) ? 100 : 0;
        p[2] = (y % 2) ? 255 : 0;
      }
  pc = lb_pyramid_new (c, (GDestroyNotify) lb_pyramid_buffer_free);
  g_assert_cmpuint (pc->levels[1]->data[0], ==, 200);
  g_assert_cmpuint (pc->levels[1]->data[1], ==, 50);
  g_assert_cmpuint (pc->levels[1]->data[2], ==, 128);   /* 127.5 rounds up */
  g_assert_cmpuint (pc->n_levels, ==, 3);
  g_assert_cmpuint (pc->levels[2]->data[2], ==, 128);
}

static void
test_level_for_zoom (void)
{
  LbPixelBuffer *b = lb_pyramid_buffer_new (1000, 600, LB_PIXEL_GRAY8);
  g_autoptr (LbPyramid) p = lb_pyramid_new (b, (GDestroyNotify) lb_pyramid_buffer_free);

  /* 1000×600 → 500, 250, 125, 63, 32 wide. */
  g_assert_cmpuint (p->n_levels, ==, 6);
  g_assert_cmpuint (p->levels[5]->width, ==, 32);
  g_assert_cmpuint (p->levels[5]->height, ==, 19);
  g_assert_cmpuint (lb_pyramid_level_for_zoom (p, 4.0), ==, 0);
  g_assert_cmpuint (lb_pyramid_level_for_zoom (p, 1.0), ==, 0);
  g_assert_cmpuint (lb_pyramid_level_for_zoom (p, 0.99), ==, 0);
  g_assert_cmpuint (lb_pyramid_level_for_zoom (p, 0.5), ==, 1);
  g_assert_cmpuint (lb_pyramid_level_for_zoom (p, 0.3), ==, 1);
  g_assert_cmpuint (lb_pyramid_level_for_zoom (p, 0.25), ==, 2);
  g_assert_cmpuint (lb_pyramid_level_for_zoom (p, 0.001), ==, 5);
  /* A half-size preview as level 0 already covers zoom 0.5. */
  p->levels[0]->scale_denom = 2;
  g_assert_cmpuint (lb_pyramid_level_for_zoom (p, 0.5), ==, 0);
  g_assert_cmpuint (lb_pyramid_level_for_zoom (p, 0.25), ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/viewer/pyramid/box-filter", test_box_filter);
  g_test_add_func ("/viewer/pyramid/odd-edges", test_odd_edges);
  g_test_add_func ("/viewer/pyramid/signed-color", test_signed_and_color);
  g_test_add_func ("/viewer/pyramid/level-for-zoom", test_level_for_zoom);
  return g_test_run ();
}
