/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Change over time: Jane Doe's four wound visits (docs/demo-data.md) with
 * their known areas and pixel scales, the interval rule and the plot.
 */
#include <math.h>

#include "lb-change.h"

/* A calibrated set with one square "wound" of @area_mm2 at @mm_per_px. */
static LbAnnotationSet *
make_wound_set (double area_mm2,
                double mm_per_px,
                const char *label)
{
  LbAnnotationSet *set = lb_annotation_set_new ();
  double side = sqrt (area_mm2) / (mm_per_px > 0 ? mm_per_px : 1);
  LbPoint p[4] = { { 10, 10 }, { 10 + side, 10 }, { 10 + side, 10 + side }, { 10, 10 + side } };
  LbPoint ruler[2] = { { 0, 0 }, { 100, 0 } };
  g_autoptr (GError) error = NULL;

  if (mm_per_px > 0)
    g_assert_true (lb_annotation_set_set_calibration (set, mm_per_px, &error));
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_POLYGON, p, 4, label, NULL, NULL, FALSE, &error), >, 0);
  /* Another labelled shape without an area must not count. */
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_LINE, ruler, 2, "ruler", NULL, NULL, FALSE, &error), >, 0);
  g_assert_no_error (error);
  return set;
}

static void
test_intervals (void)
{
  static const struct { int days; gboolean base; const char *text; } cases[] = {
    { 0, TRUE, "baseline" }, { 0, FALSE, "+0 d" }, { 1, FALSE, "+1 d" },
    { 14, FALSE, "+14 d" }, { 21, FALSE, "+21 d" }, { 27, FALSE, "+27 d" },
    { 28, FALSE, "+4 w" }, { 30, FALSE, "+30 d" }, { 42, FALSE, "+6 w" },
    { 364, FALSE, "+52 w" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *s = lb_change_format_interval (cases[i].days, cases[i].base);

      g_assert_cmpstr (s, ==, cases[i].text);
    }
}

static void
test_percent (void)
{
  g_autofree char *a = lb_change_format_percent (-28.155, 1);
  g_autofree char *b = lb_change_format_percent (3.0, 1);
  g_autofree char *c = lb_change_format_percent (-0.01, 1);
  g_autofree char *d = lb_change_format_percent (-76.699, 0);

  g_assert_cmpstr (a, ==, "−28.2 %");
  g_assert_cmpstr (b, ==, "+3.0 %");
  g_assert_cmpstr (c, ==, "0.0 %");
  g_assert_cmpstr (d, ==, "−77 %");
}

static LbChangeTable *
jane_doe_table (LbAnnotationSet *sets[4])
{
  /* Given newest first, as a worklist lists them: the table sorts. */
  static const char *dates[4] = { "20250314", "2025-02-28", "20250214", "20250131" };
  static const double areas[4] = { 96, 188, 296, 412 };
  static const double scales[4] = { 0.110, 0.050, 0.085, 0.100 };
  LbChangeInput inputs[4];
  g_autoptr (GError) error = NULL;
  LbChangeTable *table;

  for (guint i = 0; i < 4; i++)
    {
      sets[i] = make_wound_set (areas[i], scales[i], "wound");
      inputs[i] = (LbChangeInput) { dates[i], sets[i] };
    }
  table = lb_change_table_build ("wound", inputs, 4, &error);
  g_assert_no_error (error);
  return table;
}

static void
test_table (void)
{
  LbAnnotationSet *sets[4];
  g_autoptr (LbChangeTable) table = jane_doe_table (sets);
  static const char *dates[4] = { "2025-01-31", "2025-02-14", "2025-02-28", "2025-03-14" };
  static const char *intervals[4] = { "baseline", "+14 d", "+4 w", "+6 w" };
  static const char *values[4] = { "412 mm²", "296 mm²", "188 mm²", "96.0 mm²" };
  static const char *changes[4] = { "", "−28.2 %", "−54.4 %", "−76.7 %" };
  static const double expect[4] = { 0, -28.155, -54.369, -76.699 };
  g_autofree char *summary = lb_change_table_summary (table);

  g_assert_true (table->is_area);
  g_assert_cmpuint (table->rows->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      const LbChangeRow *row = g_ptr_array_index (table->rows, i);

      g_assert_cmpstr (row->date_text, ==, dates[i]);
      g_assert_cmpstr (row->interval, ==, intervals[i]);
      g_assert_true (row->has_value);
      g_assert_true (row->calibrated);
      g_assert_cmpstr (row->value_text, ==, values[i]);
      g_assert_cmpstr (row->change_text, ==, changes[i]);
      g_assert_cmpuint (row->source, ==, 3 - i);
      if (i > 0)
        g_assert_cmpfloat_with_epsilon (row->change, expect[i], 0.001);
    }
  g_assert_cmpstr (summary, ==, "−77 % since baseline");
  for (guint i = 0; i < 4; i++)
    g_object_unref (sets[i]);
}

static void
test_uncalibrated_and_missing (void)
{
  g_autoptr (LbAnnotationSet) a = make_wound_set (412, 0.1, "wound");
  g_autoptr (LbAnnotationSet) b = make_wound_set (100, 0, "wound");  /* pixels only */
  g_autoptr (LbAnnotationSet) c = make_wound_set (100, 0.1, "ulcer"); /* other label */
  LbChangeInput inputs[] = { { "20250101", a }, { "20250108", b }, { "20250115", c }, { "20250122", NULL } };
  g_autoptr (GError) error = NULL;
  g_autoptr (LbChangeTable) table = lb_change_table_build ("wound", inputs, 4, &error);
  const LbChangeRow *row;
  LbChangeInput bad[] = { { "20250101", a }, { "2025-13-40", b } };

  g_assert_no_error (error);
  row = g_ptr_array_index (table->rows, 1);
  g_assert_true (row->has_value);
  g_assert_false (row->calibrated);
  g_assert_false (row->has_change);
  g_assert_cmpstr (row->change_text, ==, "—");
  g_assert_cmpstr (row->interval, ==, "+7 d");
  row = g_ptr_array_index (table->rows, 2);
  g_assert_false (row->has_value);
  g_assert_cmpstr (row->value_text, ==, "—");
  row = g_ptr_array_index (table->rows, 3);
  g_assert_false (row->has_value);
  g_assert_null (lb_change_table_summary (table));

  g_assert_null (lb_change_table_build ("wound", bad, 2, &error));
  g_assert_error (error, LB_CHANGE_ERROR, LB_CHANGE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (lb_change_table_build ("wound", NULL, 0, &error));
  g_assert_error (error, LB_CHANGE_ERROR, LB_CHANGE_ERROR_INVALID);
}

static guint32
pixel (cairo_surface_t *s,
       int              x,
       int              y)
{
  const guint8 *data = cairo_image_surface_get_data (s);

  return *(const guint32 *) (data + (gsize) y * cairo_image_surface_get_stride (s) + 4 * x) & 0xffffff;
}

static void
test_plot (void)
{
  LbAnnotationSet *sets[4];
  g_autoptr (LbChangeTable) table = jane_doe_table (sets);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 320, 160);
  cairo_t *cr = cairo_create (s);
  double px[4], py[4];

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  lb_change_table_draw_plot (table, cr, 10, 5, 300, 150);
  cairo_destroy (cr);
  cairo_surface_flush (s);

  for (guint i = 0; i < 4; i++)
    {
      g_assert_true (lb_change_table_plot_point (table, i, 10, 5, 300, 150, &px[i], &py[i]));
      g_assert_true (px[i] > 10 && px[i] < 310 && py[i] > 5 && py[i] < 155);
      /* A marker in GNOME blue 3 at each value. */
      g_assert_cmphex (pixel (s, (int) px[i], (int) py[i]), ==, 0x1c71d8);
      if (i > 0)
        {
          g_assert_cmpfloat (px[i], >, px[i - 1]);  /* later to the right */
          g_assert_cmpfloat (py[i], >, py[i - 1]);  /* smaller lower down */
        }
    }
  /* Visits two weeks apart are evenly spaced; 412 vs 96 mm² in proportion
   * above the axis (zero at the same baseline). */
  g_assert_cmpfloat_with_epsilon (px[1] - px[0], px[3] - px[2], 1e-9);
  {
    double axis = py[0] + (py[3] - py[0]) * 412 / (412 - 96);

    g_assert_cmpfloat_with_epsilon ((axis - py[3]) / (axis - py[0]), 96.0 / 412.0, 1e-9);
  }
  cairo_surface_destroy (s);
  for (guint i = 0; i < 4; i++)
    g_object_unref (sets[i]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/change/intervals", test_intervals);
  g_test_add_func ("/change/percent", test_percent);
  g_test_add_func ("/change/table", test_table);
  g_test_add_func ("/change/uncalibrated-and-missing", test_uncalibrated_and_missing);
  g_test_add_func ("/change/plot", test_plot);
  return g_test_run ();
}
