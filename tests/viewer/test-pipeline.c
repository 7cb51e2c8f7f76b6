/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-pipeline.h"

#include <math.h>

/* The PS3.3 C.11.2.1.2.1 linear function, written as the standard states it
 * with ymin = 0 and ymax = 255, independently of the implementation. */
static double
standard_linear (double x, double c, double w)
{
  if (x <= c - 0.5 - (w - 1) / 2)
    return 0;
  if (x > c - 0.5 + (w - 1) / 2)
    return 255;
  return ((x - (c - 0.5)) / (w - 1) + 0.5) * (255 - 0) + 0;
}

static LbPixelBuffer *
gray16s_ramp (int lo, int hi)
{
  LbPixelBuffer *b = lb_pyramid_buffer_new (hi - lo + 1, 1, LB_PIXEL_GRAY16S);

  b->bits_stored = 16;
  b->min_value = lo;
  b->max_value = hi;
  for (int v = lo; v <= hi; v++)
    ((gint16 *) b->data)[v - lo] = v;
  return b;
}

static void
test_linear_points (void)
{
  LbPipelineParams p;

  lb_pipeline_params_init (&p);
  p.window_center = 40;
  p.window_width = 400;
  /* Lower edge c − 0.5 − (w − 1)/2 = −160: at or below it, ymin. */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, -160), ==, 0);
  /* (−159 − 39.5)/399 + 0.5 = 0.002506…, ×255 = 0.64 → 1. */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, -159), ==, 1);
  /* 199.5/399 + 0.5 = 1 exactly: the last step reaches ymax. */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 239), ==, 255);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 240), ==, 255);
  /* The centre: (40 − 39.5)/399 + 0.5 = 0.50125, ×255 = 127.8 → 128. */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 40), ==, 128);
}

static void
test_signed_rescale (void)
{
  g_autoptr (LbLut) lut = NULL;
  LbPipelineParams p;
  LbPixelBuffer *b = gray16s_ramp (-2048, 2047);

  /* A signed 12-bit CT-like ramp with slope 2 and intercept −10. */
  lb_pipeline_params_init (&p);
  p.rescale_slope = 2;
  p.rescale_intercept = -10;
  p.window_center = 300;
  p.window_width = 1500;
  b->bits_stored = 12;
  lut = lb_lut_new (&p, b);
  for (int v = -2048; v <= 2047; v++)
    {
      double want = standard_linear (2.0 * v - 10, 300, 1500);
      guint32 got = lb_lut_lookup (lut, (const guint8 *) &((gint16 *) b->data)[v + 2048]);

      g_assert_cmpuint (got >> 24, ==, 0xff);
      g_assert_cmpuint (got & 0xff, ==, (got >> 8) & 0xff);
      /* Rounding y to 8 bits is the implementation's choice; the exact
       * real value is within half a step, so at most one level off. */
      g_assert_cmpfloat (fabs ((got & 0xff) - want), <=, 0.5 + 1e-9);
    }
  lb_pyramid_buffer_free (b);
}

static void
test_width_one (void)
{
  LbPipelineParams p;

  lb_pipeline_params_init (&p);
  p.window_center = 100;
  p.window_width = 1;
  /* Width 1 is a threshold at c − 0.5 (C.11.2.1.2.1). */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 99), ==, 0);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 100), ==, 255);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, -5000), ==, 0);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 5000), ==, 255);
  /* Widths below 1 are not valid for LINEAR and behave like 1. */
  p.window_width = 0.2;
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 99), ==, 0);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 100), ==, 255);
}

static void
test_monochrome1 (void)
{
  LbPipelineParams p;

  lb_pipeline_params_init (&p);
  p.window_center = 2048;
  p.window_width = 4096;
  /* MONOCHROME1: the minimum stored value is displayed white. */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 0), ==, 0);
  g_assert_cmpuint (lb_pipeline_map_value (&p, TRUE, 0), ==, 255);
  g_assert_cmpuint (lb_pipeline_map_value (&p, TRUE, 4095), ==, 0);
  /* MONOCHROME1 with Presentation LUT Shape INVERSE (as DX requires) means
   * one inversion, not two. */
  p.presentation_inverse = TRUE;
  g_assert_cmpuint (lb_pipeline_map_value (&p, TRUE, 0), ==, 255);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 0), ==, 255);
  /* The user's invert flips whatever the object asked for. */
  p.invert = TRUE;
  g_assert_cmpuint (lb_pipeline_map_value (&p, TRUE, 0), ==, 0);
  p.presentation_inverse = FALSE;
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 0), ==, 255);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 4095), ==, 0);
}

static void
test_linear_exact (void)
{
  LbPipelineParams p;

  lb_pipeline_params_init (&p);
  p.voi_function = LB_VOI_FUNCTION_LINEAR_EXACT;
  p.window_center = 0;
  p.window_width = 100;
  /* C.11.2.1.3.2: x ≤ c − w/2 → ymin; x > c + w/2 → ymax;
   * else ((x − c)/w + 0.5)·(ymax − ymin) + ymin. */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, -50), ==, 0);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, -49), ==, 3);    /* 2.55 */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 0), ==, 128);    /* 127.5 */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 20), ==, 179);   /* 178.5 */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 50), ==, 255);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 51), ==, 255);
  /* Unlike LINEAR, a fractional width is valid and gives a steep ramp. */
  p.window_width = 0.5;
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 0), ==, 128);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 1), ==, 255);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, -1), ==, 0);
}

static void
test_sigmoid (void)
{
  LbPipelineParams p;

  lb_pipeline_params_init (&p);
  p.voi_function = LB_VOI_FUNCTION_SIGMOID;
  p.window_center = 0;
  p.window_width = 100;
  /* C.11.2.1.3.1: y = 255 / (1 + exp(−4 (x − c) / w)). */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 0), ==, 128);    /* 127.5 */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 25), ==, 186);   /* 186.43 */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, -25), ==, 69);   /* 68.57 */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 100), ==, 250);  /* 250.38 */
  /* Never clipped: far outside the window it only approaches the ends. */
  g_assert_cmpfloat (lb_pipeline_voi_value (&p, 100), <, 1.0);
  g_assert_cmpfloat (lb_pipeline_voi_value (&p, -100), >, 0.0);
}

static void
test_voi_lut_sequence (void)
{
  guint16 data[] = { 0, 85, 170, 255 };
  LbDicomLut lut = { .n_entries = 4, .first_mapped = 10, .bits = 8, .data = data };
  LbPipelineParams p;

  lb_pipeline_params_init (&p);
  p.voi_lut = &lut;
  p.use_voi_lut = TRUE;
  /* C.11.2.1.1: below the first mapped value → first entry; above the last
   * → last entry; outputs scale by 2^bits − 1. */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 9), ==, 0);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 10), ==, 0);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 11), ==, 85);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 12), ==, 170);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 13), ==, 255);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 1000), ==, 255);
  /* 12-bit LUT output: 2048/4095 = 0.50012 → 127.53 → 128. */
  data[2] = 2048;
  lut.bits = 12;
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 12), ==, 128);
  /* With the LUT switched off the window applies again. */
  p.use_voi_lut = FALSE;
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 12), ==, 12);
}

static void
test_modality_lut_sequence (void)
{
  guint16 data[] = { 100, 200, 4000 };
  LbDicomLut lut = { .n_entries = 3, .first_mapped = -1, .bits = 12, .data = data };
  LbPipelineParams p;

  lb_pipeline_params_init (&p);
  p.modality_lut = &lut;
  p.rescale_slope = 7;   /* ignored: the Modality LUT Sequence replaces rescale */
  g_assert_cmpfloat (lb_pipeline_modality_value (&p, -5), ==, 100);
  g_assert_cmpfloat (lb_pipeline_modality_value (&p, -1), ==, 100);
  g_assert_cmpfloat (lb_pipeline_modality_value (&p, 0), ==, 200);
  g_assert_cmpfloat (lb_pipeline_modality_value (&p, 1), ==, 4000);
  g_assert_cmpfloat (lb_pipeline_modality_value (&p, 7), ==, 4000);
  /* The window then applies to the LUT's output values. */
  p.voi_function = LB_VOI_FUNCTION_LINEAR_EXACT;
  p.window_center = 2048;
  p.window_width = 4096;
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, -1), ==, 6);    /* 6.23 */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 0), ==, 12);    /* 12.45 */
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 1), ==, 249);   /* 249.02 */
}

static void
test_from_meta (void)
{
  LbWindowPreset windows[] = { { 40, 400, NULL }, { -600, 1500, (char *) "LUNG" } };
  guint16 data[] = { 0, 255 };
  LbDicomLut voi = { .n_entries = 2, .first_mapped = 0, .bits = 8, .data = data };
  LbDicomMeta meta = {
    .modality = (char *) "CT", .samples_per_pixel = 1,
    .rescale_slope = 1, .rescale_intercept = -1024,
    .windows = windows, .n_windows = 2,
  };
  LbPixelBuffer *b = gray16s_ramp (-100, 3000);
  LbPipelineParams p;
  g_autoptr (GArray) presets = NULL;
  LbVoiPreset *first;

  lb_pipeline_params_init_from_meta (&p, &meta, b);
  g_assert_cmpfloat (p.window_center, ==, 40);
  g_assert_cmpfloat (p.window_width, ==, 400);
  g_assert_cmpfloat (p.rescale_intercept, ==, -1024);
  g_assert_false (p.use_voi_lut);

  /* No window: the range of the values present, in modality units. */
  meta.n_windows = 0;
  lb_pipeline_params_init_from_meta (&p, &meta, b);
  g_assert_cmpfloat (p.window_width, ==, 3101);
  g_assert_cmpfloat (p.window_center, ==, (-1124.0 + 1976.0) / 2 + 0.5);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, -100), ==, 0);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 3000), ==, 255);

  /* No window but a VOI LUT: the LUT. */
  meta.voi_lut = &voi;
  lb_pipeline_params_init_from_meta (&p, &meta, b);
  g_assert_true (p.use_voi_lut);

  /* Presets: the object's windows, its VOI LUT, then the CT ones. */
  meta.n_windows = 2;
  presets = lb_pipeline_list_presets (&meta);
  g_assert_cmpuint (presets->len, >, 3);
  first = &g_array_index (presets, LbVoiPreset, 0);
  g_assert_cmpstr (first->name, ==, "Window 1");
  g_assert_cmpstr (g_array_index (presets, LbVoiPreset, 1).name, ==, "LUNG");
  g_assert_true (g_array_index (presets, LbVoiPreset, 2).voi_lut);
  for (guint i = 3; i < presets->len; i++)
    if (g_str_equal (g_array_index (presets, LbVoiPreset, i).name, "Lung"))
      {
        g_assert_cmpfloat (g_array_index (presets, LbVoiPreset, i).center, ==, -600);
        g_assert_cmpfloat (g_array_index (presets, LbVoiPreset, i).width, ==, 1500);
      }
  g_clear_pointer (&presets, g_array_unref);
  meta.modality = (char *) "MR";
  meta.voi_lut = NULL;
  presets = lb_pipeline_list_presets (&meta);
  g_assert_cmpuint (presets->len, ==, 2);

  /* Color: identity brightness/contrast, nothing else. */
  meta.samples_per_pixel = 3;
  lb_pipeline_params_init_from_meta (&p, &meta, NULL);
  g_assert_cmpfloat (p.window_center, ==, 128);
  g_assert_cmpfloat (p.window_width, ==, 256);
  g_assert_null (p.modality_lut);
  lb_pyramid_buffer_free (b);
}

static void
test_color (void)
{
  LbPixelBuffer *b = lb_pyramid_buffer_new (1, 1, LB_PIXEL_RGB8);
  LbPipelineParams p;
  g_autoptr (LbLut) lut = NULL;
  g_autoptr (LbLut) lut2 = NULL;
  g_autoptr (LbLut) lut3 = NULL;

  b->data[0] = 10;
  b->data[1] = 20;
  b->data[2] = 250;
  lb_pipeline_params_init (&p);
  lut = lb_lut_new (&p, b);
  g_assert_cmphex (lb_lut_lookup (lut, b->data), ==, 0xff0a14fa);
  /* Contrast ×2 around 128: channel x → standard_linear(x, 128, 128). */
  p.window_width = 128;
  lut2 = lb_lut_new (&p, b);
  g_assert_cmphex (lb_lut_lookup (lut2, b->data), ==,
                   0xff000000 | (guint32) lround (standard_linear (10, 128, 128)) << 16 |
                   (guint32) lround (standard_linear (20, 128, 128)) << 8 | 0xff);
  p.window_width = 256;
  p.invert = TRUE;
  lut3 = lb_lut_new (&p, b);
  g_assert_cmphex (lb_lut_lookup (lut3, b->data), ==, 0xfff5eb05);
  lb_pyramid_buffer_free (b);
}

static void
test_auto_window (void)
{
  LbPixelBuffer *b = lb_pyramid_buffer_new (1000, 1, LB_PIXEL_GRAY16U);
  LbPipelineParams p;
  double c, w;

  /* Values 0..999 once each, in shuffled order: the 1st percentile is the
   * 10th smallest value (9), the 99th the 990th (989). */
  for (guint i = 0; i < 1000; i++)
    ((guint16 *) b->data)[i] = (i * 7) % 1000;
  b->bits_stored = 12;
  lb_pipeline_params_init (&p);
  p.rescale_slope = 2;
  g_assert_true (lb_pipeline_auto_window (&p, b, 1, 99, &c, &w));
  /* In modality units 18..1978; the linear window whose edges are those. */
  g_assert_cmpfloat (w, ==, 1978 - 18 + 1);
  g_assert_cmpfloat (c, ==, (18 + 1978) / 2.0 + 0.5);
  p.window_center = c;
  p.window_width = w;
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 9), ==, 0);
  g_assert_cmpuint (lb_pipeline_map_value (&p, FALSE, 989), ==, 255);
  lb_pyramid_buffer_free (b);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/viewer/pipeline/linear-points", test_linear_points);
  g_test_add_func ("/viewer/pipeline/signed-rescale", test_signed_rescale);
  g_test_add_func ("/viewer/pipeline/width-one", test_width_one);
  g_test_add_func ("/viewer/pipeline/monochrome1", test_monochrome1);
  g_test_add_func ("/viewer/pipeline/linear-exact", test_linear_exact);
  g_test_add_func ("/viewer/pipeline/sigmoid", test_sigmoid);
  g_test_add_func ("/viewer/pipeline/voi-lut-sequence", test_voi_lut_sequence);
  g_test_add_func ("/viewer/pipeline/modality-lut-sequence", test_modality_lut_sequence);
  g_test_add_func ("/viewer/pipeline/from-meta", test_from_meta);
  g_test_add_func ("/viewer/pipeline/color", test_color);
  g_test_add_func ("/viewer/pipeline/auto-window", test_auto_window);
  return g_test_run ();
}
