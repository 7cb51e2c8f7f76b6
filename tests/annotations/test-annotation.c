/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The annotation model: validation, measurements and calibration, undo/redo
 * with a bounded history, sRGB ↔ CIELab.
 */
#include "lb-config.h"

#include <math.h>

#include "lb-annotation.h"

static void
test_validate (void)
{
  g_autoptr (LbAnnotationSet) set = lb_annotation_set_new ();
  g_autoptr (GError) error = NULL;
  LbPoint two[2] = { { 1, 1 }, { 5, 5 } };
  LbPoint bad[2] = { { 1, 1 }, { NAN, 5 } };

  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_POLYGON, two, 2, NULL, NULL, NULL, FALSE, &error), ==, 0);
  g_assert_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "at least 3"));
  g_clear_error (&error);
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_LINE, bad, 2, NULL, NULL, NULL, FALSE, &error), ==, 0);
  g_assert_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_TEXT, two, 1, NULL, NULL, "", FALSE, &error), ==, 0);
  g_clear_error (&error);
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_LINE, two, 2, NULL, "nope", NULL, FALSE, &error), ==, 0);
  g_assert_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (lb_annotation_set_can_undo (set));
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_LINE, two, 2, "ruler", NULL, NULL, FALSE, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpstr (lb_annotation_set_get_nth (set, 0)->layer, ==, "Annotations");
  g_assert_cmpstr (lb_annotation_set_get_nth (set, 0)->label, ==, "ruler");
}

static void
test_measure (void)
{
  g_autoptr (LbAnnotationSet) set = lb_annotation_set_new ();
  g_autoptr (GError) error = NULL;
  /* A 40 × 30 px rectangle minus a 10 × 10 notch: 1100 px². */
  LbPoint poly[6] = { { 10, 10 }, { 50, 10 }, { 50, 40 }, { 20, 40 }, { 20, 30 }, { 10, 30 } };
  LbPoint line[2] = { { 0, 0 }, { 30, 40 } };
  LbPoint circle[2] = { { 100, 100 }, { 110, 100 } };
  LbPoint ellipse[4] = { { 0, 50 }, { 40, 50 }, { 20, 40 }, { 20, 60 } };
  LbPoint ref[2] = { { 0, 0 }, { 0, 200 } };
  LbMeasurement m;
  guint p, l, c, e;
  g_autofree char *s1 = NULL, *s2 = NULL, *s3 = NULL, *s4 = NULL;
  double spacing[2];

  p = lb_annotation_set_add (set, LB_ANNOTATION_POLYGON, poly, 6, "wound", NULL, NULL, FALSE, &error);
  l = lb_annotation_set_add (set, LB_ANNOTATION_LINE, line, 2, NULL, NULL, NULL, FALSE, &error);
  c = lb_annotation_set_add (set, LB_ANNOTATION_CIRCLE, circle, 2, NULL, NULL, NULL, FALSE, &error);
  e = lb_annotation_set_add (set, LB_ANNOTATION_ELLIPSE, ellipse, 4, NULL, NULL, NULL, FALSE, &error);
  g_assert_no_error (error);

  /* Not calibrated: pixels, flagged. */
  g_assert_false (lb_annotation_set_get_spacing (set, spacing));
  g_assert_true (lb_annotation_set_measure (set, p, &m));
  g_assert_false (m.calibrated);
  g_assert_true (m.has_area);
  g_assert_cmpfloat_with_epsilon (m.area, 1100, 1e-9);
  g_assert_cmpfloat_with_epsilon (m.length, 40 + 30 + 30 + 10 + 10 + 20, 1e-9);
  s1 = lb_measurement_format (&m);
  g_assert_cmpstr (s1, ==, "1100 px² (not calibrated)");
  g_assert_true (lb_annotation_set_measure (set, l, &m));
  g_assert_false (m.has_area);
  g_assert_cmpfloat_with_epsilon (m.length, 50, 1e-9);

  /* The image's own Pixel Spacing (row 0.5, column 0.25 mm). */
  lb_annotation_set_set_image (set, "1.2.3", "1.2.3.4", "1.2.3.5", "1.2.3.6", 640, 480,
                               (double[]) { 0.5, 0.25 });
  g_assert_true (lb_annotation_set_measure (set, p, &m));
  g_assert_true (m.calibrated);
  g_assert_cmpfloat_with_epsilon (m.area, 1100 * 0.125, 1e-9);
  g_assert_true (lb_annotation_set_measure (set, l, &m));
  g_assert_cmpfloat_with_epsilon (m.length, hypot (30 * 0.25, 40 * 0.5), 1e-9);

  /* A 200 px line over a 50 mm reference: 0.25 mm/px, overriding the image. */
  g_assert_true (lb_annotation_set_calibrate (set, &ref[0], &ref[1], 50, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (lb_annotation_set_get_calibration (set), 0.25, 1e-12);
  g_assert_true (lb_annotation_set_measure (set, p, &m));
  g_assert_cmpfloat_with_epsilon (m.area, 1100 * 0.0625, 1e-9);
  s2 = lb_measurement_format (&m);
  g_assert_cmpstr (s2, ==, "68.8 mm²");
  g_assert_true (lb_annotation_set_measure (set, l, &m));
  s3 = lb_measurement_format (&m);
  g_assert_cmpstr (s3, ==, "12.5 mm");
  g_assert_true (lb_annotation_set_measure (set, c, &m));
  g_assert_cmpfloat_with_epsilon (m.area, G_PI * 100 * 0.0625, 1e-9);
  g_assert_cmpfloat_with_epsilon (m.length, 2 * G_PI * 10 * 0.25, 1e-9);
  g_assert_true (lb_annotation_set_measure (set, e, &m));
  g_assert_cmpfloat_with_epsilon (m.area, G_PI * 20 * 10 * 0.0625, 1e-9);

  /* A big area: no decimals. */
  g_assert_true (lb_annotation_set_set_calibration (set, 1.0, &error));
  g_assert_true (lb_annotation_set_measure (set, p, &m));
  s4 = lb_measurement_format (&m);
  g_assert_cmpstr (s4, ==, "1100 mm²");

  g_assert_false (lb_annotation_set_calibrate (set, &ref[0], &ref[0], 50, &error));
  g_assert_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (lb_annotation_set_calibrate (set, &ref[0], &ref[1], -1, &error));
  g_assert_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID);
}

static int changed_count;

static void
changed_cb (LbAnnotationSet *set,
            gpointer         user_data)
{
  changed_count++;
}

static void
test_undo (void)
{
  g_autoptr (LbAnnotationSet) set = lb_annotation_set_new ();
  g_autoptr (GError) error = NULL;
  LbPoint pt[1] = { { 3, 4 } };
  LbPoint line[2] = { { 0, 0 }, { 10, 0 } };
  LbPoint line2[2] = { { 1, 1 }, { 20, 1 } };
  guint a, t;

  g_signal_connect (set, "changed", G_CALLBACK (changed_cb), NULL);
  changed_count = 0;
  a = lb_annotation_set_add (set, LB_ANNOTATION_LINE, line, 2, NULL, NULL, NULL, FALSE, &error);
  t = lb_annotation_set_add (set, LB_ANNOTATION_TEXT, pt, 1, NULL, NULL, "look", FALSE, &error);
  g_assert_true (lb_annotation_set_move (set, a, 5, 6));
  g_assert_true (lb_annotation_set_set_points (set, a, line2, 2, &error));
  g_assert_true (lb_annotation_set_set_text (set, t, "look here"));
  g_assert_true (lb_annotation_set_set_label (set, a, "ruler"));
  g_assert_true (lb_annotation_set_calibrate (set, &line[0], &line[1], 5, &error));
  g_assert_true (lb_annotation_set_add_layer (set, "Measurements", (guint8[]) { 0, 255, 0 }, &error));
  g_assert_true (lb_annotation_set_set_layer (set, a, "Measurements", &error));
  g_assert_true (lb_annotation_set_remove (set, t));
  g_assert_no_error (error);
  g_assert_cmpint (changed_count, ==, 10);

  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 1);
  g_assert_true (lb_annotation_set_undo (set));                /* remove */
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 2);
  g_assert_cmpstr (lb_annotation_set_lookup (set, t)->text, ==, "look here");
  g_assert_true (lb_annotation_set_undo (set));                /* set layer */
  g_assert_cmpstr (lb_annotation_set_lookup (set, a)->layer, ==, "Annotations");
  g_assert_true (lb_annotation_set_undo (set));                /* add layer */
  g_assert_null (lb_annotation_set_find_layer (set, "Measurements"));
  g_assert_true (lb_annotation_set_undo (set));                /* calibrate */
  g_assert_cmpfloat (lb_annotation_set_get_calibration (set), ==, 0);
  g_assert_true (lb_annotation_set_undo (set));                /* label */
  g_assert_cmpstr (lb_annotation_set_lookup (set, a)->label, ==, "");
  g_assert_true (lb_annotation_set_undo (set));                /* text */
  g_assert_cmpstr (lb_annotation_set_lookup (set, t)->text, ==, "look");
  g_assert_true (lb_annotation_set_undo (set));                /* points */
  g_assert_cmpfloat (lb_annotation_set_lookup (set, a)->points[1].x, ==, 15);
  g_assert_true (lb_annotation_set_undo (set));                /* move */
  g_assert_cmpfloat (lb_annotation_set_lookup (set, a)->points[1].x, ==, 10);
  g_assert_cmpfloat (lb_annotation_set_lookup (set, a)->points[1].y, ==, 0);

  /* Redo all the way, then a new edit drops the redo stack. */
  for (int i = 0; i < 8; i++)
    g_assert_true (lb_annotation_set_redo (set));
  g_assert_false (lb_annotation_set_redo (set));
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 1);
  g_assert_cmpstr (lb_annotation_set_lookup (set, a)->label, ==, "ruler");
  g_assert_cmpfloat (lb_annotation_set_get_calibration (set), ==, 0.5);
  g_assert_true (lb_annotation_set_undo (set));
  g_assert_true (lb_annotation_set_can_redo (set));
  g_assert_true (lb_annotation_set_move (set, a, 1, 1));
  g_assert_false (lb_annotation_set_can_redo (set));

  /* Back to the start: ten steps. */
  for (int i = 0; i < 10; i++)
    g_assert_true (lb_annotation_set_undo (set));
  g_assert_false (lb_annotation_set_can_undo (set));
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 0);
}

static void
test_history_bound (void)
{
  g_autoptr (LbAnnotationSet) set = lb_annotation_set_new ();
  LbPoint pt[1] = { { 0, 0 } };
  guint id, n = 0;

  lb_annotation_set_set_history_limit (set, 5);
  id = lb_annotation_set_add (set, LB_ANNOTATION_POINT, pt, 1, NULL, NULL, NULL, FALSE, NULL);
  for (int i = 0; i < 20; i++)
    lb_annotation_set_move (set, id, 1, 0);
  while (lb_annotation_set_undo (set))
    n++;
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpfloat (lb_annotation_set_lookup (set, id)->points[0].x, ==, 15);
  lb_annotation_set_clear_history (set);
  g_assert_false (lb_annotation_set_can_redo (set));
}

static void
test_color (void)
{
  guint16 lab[3];
  guint8 rgb[3];

  /* White is L* 100, a* = b* = 0 (0x8080 is 128/255 of the range). */
  lb_color_srgb_to_cielab ((guint8[]) { 255, 255, 255 }, lab);
  g_assert_cmpuint (lab[0], ==, 65535);
  g_assert_cmpint (ABS ((int) lab[1] - 0x8080), <=, 40);
  g_assert_cmpint (ABS ((int) lab[2] - 0x8080), <=, 40);
  lb_color_srgb_to_cielab ((guint8[]) { 0, 0, 0 }, lab);
  g_assert_cmpuint (lab[0], ==, 0);
  /* Pure sRGB red is about L* 54.3, a* 80.8, b* 69.9 (D50). */
  lb_color_srgb_to_cielab ((guint8[]) { 255, 0, 0 }, lab);
  g_assert_cmpfloat_with_epsilon (lab[0] * 100.0 / 65535, 54.29, 0.1);
  g_assert_cmpfloat_with_epsilon (lab[1] * 255.0 / 65535 - 128, 80.8, 0.3);
  g_assert_cmpfloat_with_epsilon (lab[2] * 255.0 / 65535 - 128, 69.9, 0.3);

  /* Every 8-bit colour on a coarse grid survives the round trip. */
  for (int r = 0; r < 256; r += 15)
    for (int g = 0; g < 256; g += 15)
      for (int b = 0; b < 256; b += 15)
        {
          guint8 in[3] = { r, g, b };
          lb_color_srgb_to_cielab (in, lab);
          lb_color_cielab_to_srgb (lab, rgb);
          g_assert_cmpmem (in, 3, rgb, 3);
        }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/annotation/validate", test_validate);
  g_test_add_func ("/annotation/measure", test_measure);
  g_test_add_func ("/annotation/undo", test_undo);
  g_test_add_func ("/annotation/history-bound", test_history_bound);
  g_test_add_func ("/annotation/color", test_color);
  return g_test_run ();
}
