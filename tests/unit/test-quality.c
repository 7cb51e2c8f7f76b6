/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-quality.h"

#include <string.h>

/* A "photo": skin-like base with fine texture and a few edges, from a fixed
 * seed, so sharpness has something to find. */
static LbPixelBuffer *
make_photo (guint w, guint h, int brightness_shift)
{
  LbPixelBuffer *b = g_new0 (LbPixelBuffer, 1);
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);

  b->width = w;
  b->height = h;
  b->stride = (gsize) w * 3;
  b->format = LB_PIXEL_RGB8;
  b->scale_denom = 1;
  b->data = g_malloc ((gsize) h * b->stride);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        int base = ((x / 40 + y / 40) % 2) ? 190 : 120;
        int noise = g_rand_int_range (rand, -30, 30);
        guint8 *p = b->data + (gsize) y * b->stride + 3 * x;
        p[0] = CLAMP (base + noise + brightness_shift + 20, 0, 255);
        p[1] = CLAMP (base + noise + brightness_shift - 10, 0, 255);
        p[2] = CLAMP (base + noise + brightness_shift - 30, 0, 255);
      }
  return b;
}

static void
free_buffer (LbPixelBuffer *b)
{
  g_free (b->data);
  g_free (b);
}

/* A separable box blur of radius r, like an out-of-focus phone camera. */
static void
blur (LbPixelBuffer *b, int r)
{
  g_autofree guint8 *tmp = g_malloc ((gsize) b->height * b->stride);

  for (int pass = 0; pass < 2; pass++)
    {
      guint8 *src = pass == 0 ? b->data : tmp;
      guint8 *dst = pass == 0 ? tmp : b->data;
      for (int y = 0; y < (int) b->height; y++)
        for (int x = 0; x < (int) b->width; x++)
          for (int c = 0; c < 3; c++)
            {
              int acc = 0, n = 0;
              for (int d = -r; d <= r; d++)
                {
                  int xx = pass == 0 ? CLAMP (x + d, 0, (int) b->width - 1) : x;
                  int yy = pass == 1 ? CLAMP (y + d, 0, (int) b->height - 1) : y;
                  acc += src[(gsize) yy * b->stride + 3 * xx + c];
                  n++;
                }
              dst[(gsize) y * b->stride + 3 * x + c] = acc / n;
            }
    }
}

static void
test_blur (void)
{
  LbPixelBuffer *sharp = make_photo (1600, 1200, 0);
  LbPixelBuffer *soft = make_photo (1600, 1200, 0);
  LbQualityMetrics a, b;
  LbQualityThresholds t;

  blur (soft, 12);
  g_assert_true (lb_quality_measure (sharp, 4032, 3024, &a));
  g_assert_true (lb_quality_measure (soft, 4032, 3024, &b));
  g_test_message ("sharpness: sharp %.1f, blurred %.1f", a.sharpness, b.sharpness);
  g_assert_cmpfloat (a.sharpness, >, 10 * b.sharpness);

  lb_quality_thresholds_init_default (&t);
  g_assert_false (lb_quality_assess (&a, &t, "LEG", "L") & LB_QUALITY_BLURRY);
  g_assert_true (lb_quality_assess (&b, &t, "LEG", "L") & LB_QUALITY_BLURRY);
  g_assert_cmpfloat_with_epsilon (a.megapixels, 12.192768, 1e-6);
  free_buffer (sharp);
  free_buffer (soft);
}

static void
test_exposure (void)
{
  LbPixelBuffer *dark = make_photo (800, 600, -150);
  LbPixelBuffer *bright = make_photo (800, 600, 120);
  LbPixelBuffer *fine = make_photo (800, 600, 0);
  LbQualityMetrics m;
  LbQualityThresholds t;
  g_autofree char *text = NULL;

  lb_quality_thresholds_init_default (&t);
  g_assert_true (lb_quality_measure (dark, 3000, 2000, &m));
  g_assert_cmpfloat (m.dark_fraction, >, 0.5);
  g_assert_true (lb_quality_assess (&m, &t, "ARM", "R") & LB_QUALITY_UNDER_EXPOSED);
  g_assert_true (lb_quality_measure (bright, 3000, 2000, &m));
  g_assert_true (lb_quality_assess (&m, &t, "ARM", "R") & LB_QUALITY_OVER_EXPOSED);
  g_assert_true (lb_quality_measure (fine, 3000, 2000, &m));
  g_assert_cmpint (lb_quality_assess (&m, &t, "ARM", "R"), ==, LB_QUALITY_OK);

  /* Resolution and missing metadata. */
  g_assert_true (lb_quality_measure (fine, 800, 600, &m));
  text = lb_quality_describe (lb_quality_assess (&m, &t, "", NULL));
  g_assert_cmpstr (text, ==, "low resolution, no body part, no laterality");
  free_buffer (dark);
  free_buffer (bright);
  free_buffer (fine);
}

static void
test_tiny (void)
{
  LbPixelBuffer *tiny = make_photo (2, 2, 0);
  LbQualityMetrics m;

  g_assert_false (lb_quality_measure (tiny, 2, 2, &m));
  free_buffer (tiny);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/viewer/quality/blur", test_blur);
  g_test_add_func ("/viewer/quality/exposure", test_exposure);
  g_test_add_func ("/viewer/quality/tiny", test_tiny);
  return g_test_run ();
}
