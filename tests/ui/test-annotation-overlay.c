/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The annotation overlay on its own: the tools turn presses into edits of
 * the set, and drawing goes through the view transform (rotation, flip,
 * zoom) onto the right device pixels. */
#include "lb-config.h"

#include <math.h>

#include "lb-annotation-overlay.h"

static LbAnnotationSet *
new_set (void)
{
  LbAnnotationSet *set = lb_annotation_set_new ();
  double spacing[2] = { 0, 0 };

  lb_annotation_set_set_image (set, "1.2.840.10008.5.1.4.1.1.77.1.4", "1.2.3.4.5", "1.2.3.4", "1.2.3",
                               400, 300, spacing);
  return set;
}

static void
counter_cb (LbAnnotationOverlay *o, guint id, int *n)
{
  (*n)++;
}

static void
calibrate_cb (LbAnnotationOverlay *o, double ax, double ay, double bx, double by, double *out)
{
  out[0] = ax; out[1] = ay; out[2] = bx; out[3] = by;
}

static void
text_cb (LbAnnotationOverlay *o, double x, double y, double *out)
{
  out[0] = x; out[1] = y;
}

static void
test_polygon (void)
{
  g_autoptr (LbAnnotationSet) set = new_set ();
  g_autoptr (LbAnnotationOverlay) o = lb_annotation_overlay_new ();
  const LbAnnotation *a;
  int finished = 0;

  lb_annotation_overlay_set_annotations (o, set);
  g_signal_connect (o, "shape-finished", G_CALLBACK (counter_cb), &finished);
  lb_annotation_overlay_set_tool (o, LB_ANNOTATION_TOOL_POLYGON);
  g_assert_true (lb_annotation_overlay_press (o, 10, 10, 1, 2));
  lb_annotation_overlay_release (o, 10, 10);
  g_assert_true (lb_annotation_overlay_press (o, 50, 10, 1, 2));
  lb_annotation_overlay_release (o, 50, 10);
  g_assert_true (lb_annotation_overlay_is_drawing (o));
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 0);
  /* Two points cannot close: Enter drops them. */
  g_assert_true (lb_annotation_overlay_finish (o));
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 0);
  g_assert_false (lb_annotation_overlay_is_drawing (o));

  lb_annotation_overlay_press (o, 10, 10, 1, 2);
  lb_annotation_overlay_press (o, 50, 10, 1, 2);
  lb_annotation_overlay_press (o, 50, 40, 1, 2);
  /* The double click's second press closes it without a new corner. */
  lb_annotation_overlay_press (o, 50, 40, 2, 2);
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 1);
  a = lb_annotation_set_get_nth (set, 0);
  g_assert_cmpint (a->kind, ==, LB_ANNOTATION_POLYGON);
  g_assert_cmpuint (a->n_points, ==, 3);
  g_assert_cmpint (finished, ==, 1);
  g_assert_cmpuint (lb_annotation_overlay_get_selected (o), ==, a->id);

  /* A click on the first corner closes too. */
  lb_annotation_overlay_press (o, 100, 100, 1, 2);
  lb_annotation_overlay_press (o, 150, 100, 1, 2);
  lb_annotation_overlay_press (o, 150, 150, 1, 2);
  lb_annotation_overlay_press (o, 100.5, 100.5, 1, 2);
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 2);
  g_assert_cmpuint (lb_annotation_set_get_nth (set, 1)->n_points, ==, 3);

  /* Undo takes the outline away, redo brings it back. */
  g_assert_true (lb_annotation_set_undo (set));
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 1);
  g_assert_true (lb_annotation_set_redo (set));
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 2);
}

static void
test_line_calibrate_text (void)
{
  g_autoptr (LbAnnotationSet) set = new_set ();
  g_autoptr (LbAnnotationOverlay) o = lb_annotation_overlay_new ();
  double cal[4] = { 0 }, at[2] = { 0 };
  const LbAnnotation *a;

  lb_annotation_overlay_set_annotations (o, set);
  g_signal_connect (o, "calibrate-requested", G_CALLBACK (calibrate_cb), cal);
  g_signal_connect (o, "text-requested", G_CALLBACK (text_cb), at);

  /* Press, drag, release. */
  lb_annotation_overlay_set_tool (o, LB_ANNOTATION_TOOL_LINE);
  lb_annotation_overlay_press (o, 10, 20, 1, 2);
  lb_annotation_overlay_drag (o, 60, 20);
  lb_annotation_overlay_release (o, 110, 20);
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 1);
  a = lb_annotation_set_get_nth (set, 0);
  g_assert_cmpint (a->kind, ==, LB_ANNOTATION_LINE);
  g_assert_cmpfloat (a->points[1].x, ==, 110);

  /* Click, click. */
  lb_annotation_overlay_press (o, 10, 50, 1, 2);
  lb_annotation_overlay_release (o, 10, 50);
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 1);
  lb_annotation_overlay_press (o, 10, 90, 1, 2);
  lb_annotation_overlay_release (o, 10, 90);
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 2);

  /* Calibrate: a line asked about, nothing added. */
  lb_annotation_overlay_set_tool (o, LB_ANNOTATION_TOOL_CALIBRATE);
  lb_annotation_overlay_press (o, 0, 0, 1, 2);
  lb_annotation_overlay_release (o, 200, 0);
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 2);
  g_assert_cmpfloat (cal[2], ==, 200);
  {
    LbPoint p0 = { cal[0], cal[1] }, p1 = { cal[2], cal[3] };
    LbMeasurement m;
    g_autofree char *text = NULL;

    g_assert_true (lb_annotation_set_calibrate (set, &p0, &p1, 10, NULL));
    g_assert_true (lb_annotation_set_measure (set, lb_annotation_set_get_nth (set, 0)->id, &m));
    text = lb_annotation_overlay_describe (set, lb_annotation_set_get_nth (set, 0));
    g_assert_cmpstr (text, ==, "5.00 mm");
  }

  /* Text: the position is asked about. */
  lb_annotation_overlay_set_tool (o, LB_ANNOTATION_TOOL_TEXT);
  lb_annotation_overlay_press (o, 33, 44, 1, 2);
  g_assert_cmpfloat (at[0], ==, 33);
  g_assert_cmpfloat (at[1], ==, 44);
}

static void
test_select_move_delete (void)
{
  g_autoptr (LbAnnotationSet) set = new_set ();
  g_autoptr (LbAnnotationOverlay) o = lb_annotation_overlay_new ();
  LbPoint line[2] = { { 10, 10 }, { 110, 10 } };
  guint id = lb_annotation_set_add (set, LB_ANNOTATION_LINE, line, 2, "", NULL, NULL, FALSE, NULL);
  const LbAnnotation *a;

  lb_annotation_overlay_set_annotations (o, set);
  g_assert_cmpuint (lb_annotation_overlay_hit (o, 60, 12, 3), ==, id);
  g_assert_cmpuint (lb_annotation_overlay_hit (o, 60, 20, 3), ==, 0);
  /* Empty space: the viewport keeps the drag (pan). */
  g_assert_false (lb_annotation_overlay_press (o, 60, 200, 1, 3));
  g_assert_true (lb_annotation_overlay_press (o, 60, 11, 1, 3));
  g_assert_cmpuint (lb_annotation_overlay_get_selected (o), ==, id);
  lb_annotation_overlay_drag (o, 65, 16);
  lb_annotation_overlay_release (o, 70, 21);
  a = lb_annotation_set_lookup (set, id);
  g_assert_cmpfloat (a->points[0].x, ==, 20);
  g_assert_cmpfloat (a->points[0].y, ==, 20);
  g_assert_true (lb_annotation_set_undo (set));
  g_assert_cmpfloat (lb_annotation_set_lookup (set, id)->points[0].x, ==, 10);

  g_assert_true (lb_annotation_overlay_delete_selected (o));
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 0);
  g_assert_cmpuint (lb_annotation_overlay_get_selected (o), ==, 0);
  g_assert_true (lb_annotation_set_undo (set));
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 1);
}

/* Alpha of the device pixel (x, y). */
static int
alpha_at (cairo_surface_t *s, int x, int y)
{
  guint32 *row = (guint32 *) (cairo_image_surface_get_data (s) + y * cairo_image_surface_get_stride (s));
  return row[x] >> 24;
}

static void
test_draw_through_transform (void)
{
  g_autoptr (LbAnnotationSet) set = new_set ();
  g_autoptr (LbAnnotationOverlay) o = lb_annotation_overlay_new ();
  /* An L: a horizontal then a vertical leg, so rotation and flip show. */
  LbPoint pts[3] = { { 100.5, 100.5 }, { 300.5, 100.5 }, { 300.5, 250.5 } };

  lb_annotation_set_add (set, LB_ANNOTATION_POLYLINE, pts, 3, "", NULL, NULL, FALSE, NULL);
  lb_annotation_overlay_set_annotations (o, set);

  for (int rot = 0; rot < 4; rot++)
    for (int flip = 0; flip < 2; flip++)
      for (int z = 0; z < 3; z++)
        {
          static const double zooms[] = { 0.5, 1.3, 4.0 };
          LbViewTransform t;
          cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 640, 480);
          cairo_t *cr = cairo_create (s);
          double dx, dy;

          lb_view_transform_init (&t, 400, 300, 640, 480);
          lb_view_transform_fit (&t);
          t.rotation = rot;
          t.flip_h = flip;
          t.zoom = zooms[z];
          t.center_x = 200;
          t.center_y = 120;
          lb_annotation_overlay_draw (o, cr, &t, 1.0);
          cairo_destroy (cr);
          cairo_surface_flush (s);
          /* On the horizontal leg (image 200, 100.5) and the vertical one
           * (300.5, 175) wherever the transform puts them… */
          lb_view_transform_to_device (&t, 200, 100.5, &dx, &dy);
          if (dx >= 1 && dy >= 1 && dx < 639 && dy < 479)
            g_assert_cmpint (alpha_at (s, (int) dx, (int) dy), >, 200);
          lb_view_transform_to_device (&t, 300.5, 175, &dx, &dy);
          if (dx >= 1 && dy >= 1 && dx < 639 && dy < 479)
            g_assert_cmpint (alpha_at (s, (int) dx, (int) dy), >, 200);
          /* …and nothing inside the L, away from both legs. */
          lb_view_transform_to_device (&t, 200, 180, &dx, &dy);
          if (dx >= 1 && dy >= 1 && dx < 639 && dy < 479)
            g_assert_cmpint (alpha_at (s, (int) dx, (int) dy), ==, 0);
          cairo_surface_destroy (s);
        }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/annotation-overlay/polygon", test_polygon);
  g_test_add_func ("/annotation-overlay/line-calibrate-text", test_line_calibrate_text);
  g_test_add_func ("/annotation-overlay/select-move-delete", test_select_move_delete);
  g_test_add_func ("/annotation-overlay/draw-through-transform", test_draw_through_transform);
  return g_test_run ();
}
