/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-view-transform.h"

#define assert_point(x, y, ex, ey) G_STMT_START { \
    g_assert_cmpfloat_with_epsilon ((x), (ex), 1e-9); \
    g_assert_cmpfloat_with_epsilon ((y), (ey), 1e-9); \
  } G_STMT_END

static void
test_identity_and_fit (void)
{
  LbViewTransform t;
  double x, y;

  lb_view_transform_init (&t, 100, 50, 100, 50);
  g_assert_cmpfloat (t.zoom, ==, 1.0);
  lb_view_transform_to_device (&t, 0.5, 0.5, &x, &y);
  assert_point (x, y, 0.5, 0.5);

  /* 200×100 into 100×100: width decides, half size, centred vertically. */
  lb_view_transform_init (&t, 200, 100, 100, 100);
  g_assert_cmpfloat (t.zoom, ==, 0.5);
  lb_view_transform_to_device (&t, 0, 0, &x, &y);
  assert_point (x, y, 0, 25);
  /* A quarter turn makes it 100×200 on screen: height decides. */
  lb_view_transform_rotate (&t, 1);
  g_assert_cmpfloat (lb_view_transform_fit_zoom (&t), ==, 0.5);
  lb_view_transform_init (&t, 200, 100, 400, 100);
  g_assert_cmpfloat (t.zoom, ==, 1.0);
  lb_view_transform_rotate (&t, 1);
  g_assert_cmpfloat (lb_view_transform_fit_zoom (&t), ==, 0.5);
}

static void
test_rotation_and_flip (void)
{
  LbViewTransform t;
  double x, y;

  /* A 4×2 image turned clockwise in a 2×4 viewport: its top-left pixel goes
   * to the top-right corner, its top-right pixel to the bottom-right. */
  lb_view_transform_init (&t, 4, 2, 2, 4);
  lb_view_transform_rotate (&t, 1);
  t.zoom = 1;
  lb_view_transform_to_device (&t, 0.5, 0.5, &x, &y);
  assert_point (x, y, 1.5, 0.5);
  lb_view_transform_to_device (&t, 3.5, 0.5, &x, &y);
  assert_point (x, y, 1.5, 3.5);
  lb_view_transform_to_device (&t, 0.5, 1.5, &x, &y);
  assert_point (x, y, 0.5, 0.5);

  /* Counter-clockwise (−1 ≡ 3): top-left goes to the bottom-left. */
  lb_view_transform_rotate (&t, -2);
  g_assert_cmpint (t.rotation, ==, 3);
  lb_view_transform_to_device (&t, 0.5, 0.5, &x, &y);
  assert_point (x, y, 0.5, 3.5);

  /* Flip (applied before rotation, as in a presentation state). */
  lb_view_transform_init (&t, 4, 2, 4, 2);
  t.flip_h = TRUE;
  lb_view_transform_to_device (&t, 0.5, 0.5, &x, &y);
  assert_point (x, y, 3.5, 0.5);
}

static void
test_screen_flips (void)
{
  /* Whatever the orientation, a screen flip mirrors what is on screen. */
  for (int r = 0; r < 4; r++)
    for (int f = 0; f < 2; f++)
      for (int horizontal = 0; horizontal < 2; horizontal++)
        {
          LbViewTransform t, u;

          lb_view_transform_init (&t, 30, 20, 64, 48);
          lb_view_transform_rotate (&t, r);
          t.flip_h = f;
          t.zoom = 1.7;
          t.center_x = 11.25;
          t.center_y = 7.5;
          u = t;
          lb_view_transform_flip (&u, horizontal);
          for (double ix = 0.5; ix < 30; ix += 7)
            for (double iy = 0.5; iy < 20; iy += 5)
              {
                double x0, y0, x1, y1;

                lb_view_transform_to_device (&t, ix, iy, &x0, &y0);
                lb_view_transform_to_device (&u, ix, iy, &x1, &y1);
                if (horizontal)
                  assert_point (x1, y1, 64 - x0, y0);
                else
                  assert_point (x1, y1, x0, 48 - y0);
              }
          /* Flipping twice is the identity. */
          lb_view_transform_flip (&u, horizontal);
          g_assert_cmpint (u.rotation, ==, t.rotation);
          g_assert_cmpint (u.flip_h, ==, t.flip_h);
        }
}

static void
test_zoom_at_and_pan (void)
{
  LbViewTransform t;
  double ix, iy, jx, jy, x, y;

  lb_view_transform_init (&t, 1000, 800, 640, 480);
  lb_view_transform_rotate (&t, 1);
  t.flip_h = TRUE;
  /* Zooming keeps the image point under the cursor fixed. */
  lb_view_transform_to_image (&t, 100, 70, &ix, &iy);
  lb_view_transform_zoom_at (&t, 3.0, 100, 70);
  g_assert_cmpfloat (t.zoom, ==, 3.0);
  lb_view_transform_to_image (&t, 100, 70, &jx, &jy);
  assert_point (jx, jy, ix, iy);
  /* Panning moves every image point by the pointer's displacement. */
  lb_view_transform_to_device (&t, 500, 400, &x, &y);
  lb_view_transform_pan (&t, 12, -5);
  lb_view_transform_to_device (&t, 500, 400, &jx, &jy);
  assert_point (jx, jy, x + 12, y - 5);
  /* The inverse really is one. */
  lb_view_transform_to_image (&t, jx, jy, &ix, &iy);
  assert_point (ix, iy, 500, 400);
  /* Zoom is clamped. */
  lb_view_transform_zoom_at (&t, 1e6, 0, 0);
  g_assert_cmpfloat (t.zoom, ==, LB_VIEW_ZOOM_MAX);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/viewer/view-transform/identity-fit", test_identity_and_fit);
  g_test_add_func ("/viewer/view-transform/rotation-flip", test_rotation_and_flip);
  g_test_add_func ("/viewer/view-transform/screen-flips", test_screen_flips);
  g_test_add_func ("/viewer/view-transform/zoom-at-pan", test_zoom_at_and_pan);
  return g_test_run ();
}
