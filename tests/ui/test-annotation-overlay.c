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

static void
edit_cb (LbAnnotationOverlay *o, guint id, guint *out)
{
  *out = id;
}

/* Point, circle, ellipse and freehand by their tools. */
static void
test_new_tools (void)
{
  g_autoptr (LbAnnotationSet) set = new_set ();
  g_autoptr (LbAnnotationOverlay) o = lb_annotation_overlay_new ();
  const LbAnnotation *a;
  LbMeasurement m;
  int finished = 0;

  lb_annotation_overlay_set_annotations (o, set);
  g_signal_connect (o, "shape-finished", G_CALLBACK (counter_cb), &finished);

  /* A point: one click. */
  lb_annotation_overlay_set_tool (o, LB_ANNOTATION_TOOL_POINT);
  g_assert_true (lb_annotation_overlay_press (o, 12, 34, 1, 2));
  lb_annotation_overlay_release (o, 12, 34);
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 1);
  a = lb_annotation_set_get_nth (set, 0);
  g_assert_cmpint (a->kind, ==, LB_ANNOTATION_POINT);
  g_assert_cmpfloat (a->points[0].x, ==, 12);
  g_assert_cmpfloat (a->points[0].y, ==, 34);

  /* A circle: centre, drag to the edge (radius 30). */
  lb_annotation_overlay_set_tool (o, LB_ANNOTATION_TOOL_CIRCLE);
  lb_annotation_overlay_press (o, 100, 100, 1, 2);
  lb_annotation_overlay_drag (o, 120, 100);
  lb_annotation_overlay_release (o, 130, 100);
  a = lb_annotation_set_get_nth (set, 1);
  g_assert_cmpint (a->kind, ==, LB_ANNOTATION_CIRCLE);
  g_assert_true (lb_annotation_set_measure (set, a->id, &m));
  g_assert_cmpfloat_with_epsilon (m.area, G_PI * 900, 1e-6);

  /* An ellipse over a 100 × 40 box: major axis horizontal. */
  lb_annotation_overlay_set_tool (o, LB_ANNOTATION_TOOL_ELLIPSE);
  lb_annotation_overlay_press (o, 200, 50, 1, 2);
  lb_annotation_overlay_drag (o, 250, 70);
  lb_annotation_overlay_release (o, 300, 90);
  a = lb_annotation_set_get_nth (set, 2);
  g_assert_cmpint (a->kind, ==, LB_ANNOTATION_ELLIPSE);
  g_assert_cmpuint (a->n_points, ==, 4);
  g_assert_cmpfloat (a->points[0].x, ==, 200);
  g_assert_cmpfloat (a->points[1].x, ==, 300);
  g_assert_cmpfloat (a->points[0].y, ==, 70);
  g_assert_cmpfloat (a->points[2].y, ==, 50);
  g_assert_cmpfloat (a->points[3].y, ==, 90);
  g_assert_true (lb_annotation_set_measure (set, a->id, &m));
  g_assert_cmpfloat_with_epsilon (m.area, G_PI * 50 * 20, 1e-6);
  /* A tall box: the vertical axis is the major one. */
  lb_annotation_overlay_press (o, 10, 100, 1, 2);
  lb_annotation_overlay_release (o, 30, 200);
  a = lb_annotation_set_get_nth (set, 3);
  g_assert_cmpfloat (a->points[0].y, ==, 100);
  g_assert_cmpfloat (a->points[1].y, ==, 200);

  /* Freehand, open: a stroke; points closer than half the slack are skipped. */
  lb_annotation_overlay_set_tool (o, LB_ANNOTATION_TOOL_FREEHAND);
  lb_annotation_overlay_press (o, 10, 250, 1, 4);
  for (int i = 1; i <= 40; i++)
    lb_annotation_overlay_drag (o, 10 + i * 0.5, 250);
  lb_annotation_overlay_release (o, 30, 250);
  a = lb_annotation_set_get_nth (set, 4);
  g_assert_cmpint (a->kind, ==, LB_ANNOTATION_FREEHAND);
  g_assert_false (a->closed);
  g_assert_cmpuint (a->n_points, ==, 11);
  g_assert_cmpfloat (a->points[a->n_points - 1].x, ==, 30);

  /* Freehand ending where it began: an outline with an area. */
  lb_annotation_overlay_press (o, 100, 200, 1, 2);
  lb_annotation_overlay_drag (o, 140, 200);
  lb_annotation_overlay_drag (o, 140, 240);
  lb_annotation_overlay_drag (o, 100, 240);
  lb_annotation_overlay_release (o, 101, 201);
  a = lb_annotation_set_get_nth (set, 5);
  g_assert_true (a->closed);
  g_assert_true (lb_annotation_set_measure (set, a->id, &m));
  g_assert_true (m.has_area);
  g_assert_cmpfloat (m.area, >, 1500);
  g_assert_cmpint (finished, ==, 6);

  /* A click alone draws no freehand mark. */
  lb_annotation_overlay_press (o, 300, 250, 1, 2);
  lb_annotation_overlay_release (o, 300, 250);
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 6);
}

static void
test_handles (void)
{
  g_autoptr (LbAnnotationSet) set = new_set ();
  g_autoptr (LbAnnotationOverlay) o = lb_annotation_overlay_new ();
  LbPoint line[2] = { { 10, 10 }, { 110, 10 } };
  LbPoint ellipse[4] = { { 100, 100 }, { 200, 100 }, { 150, 80 }, { 150, 120 } };
  const LbAnnotation *a;
  g_autofree char *before = NULL, *after = NULL;
  guint line_id, ellipse_id, edit = 0;

  lb_annotation_overlay_set_annotations (o, set);
  g_signal_connect (o, "edit-requested", G_CALLBACK (edit_cb), &edit);
  line_id = lb_annotation_set_add (set, LB_ANNOTATION_LINE, line, 2, "", NULL, NULL, FALSE, NULL);
  ellipse_id = lb_annotation_set_add (set, LB_ANNOTATION_ELLIPSE, ellipse, 4, "", NULL, NULL, FALSE, NULL);
  lb_annotation_set_clear_history (set);

  /* No selection, no handles. */
  g_assert_cmpint (lb_annotation_overlay_handle_at (o, 10, 10, 3), ==, -1);
  lb_annotation_overlay_select (o, line_id);
  g_assert_cmpint (lb_annotation_overlay_handle_at (o, 11, 11, 3), ==, 0);
  g_assert_cmpint (lb_annotation_overlay_handle_at (o, 108, 9, 3), ==, 1);
  g_assert_cmpint (lb_annotation_overlay_handle_at (o, 60, 10, 3), ==, -1);
  g_assert_cmpint (lb_annotation_overlay_handle_at (o, 115, 10, 3), ==, -1);

  /* Dragging the end handle moves that point only; the length follows. */
  before = lb_annotation_overlay_describe (set, lb_annotation_set_lookup (set, line_id));
  g_assert_cmpstr (before, ==, "100 px (not calibrated)");
  lb_annotation_overlay_set_tool (o, LB_ANNOTATION_TOOL_SELECT);
  g_assert_true (lb_annotation_overlay_press (o, 109, 10, 1, 3));
  lb_annotation_overlay_drag (o, 150, 10);
  lb_annotation_overlay_drag (o, 170, 10);
  /* Nothing changes in the set until the release. */
  g_assert_false (lb_annotation_set_can_undo (set));
  lb_annotation_overlay_release (o, 210, 10);
  a = lb_annotation_set_lookup (set, line_id);
  g_assert_cmpfloat (a->points[0].x, ==, 10);
  g_assert_cmpfloat (a->points[1].x, ==, 210);
  after = lb_annotation_overlay_describe (set, a);
  g_assert_cmpstr (after, ==, "200 px (not calibrated)");
  g_assert_cmpuint (lb_annotation_overlay_get_selected (o), ==, line_id);
  /* One drag, one undo step. */
  g_assert_true (lb_annotation_set_undo (set));
  g_assert_false (lb_annotation_set_can_undo (set));
  a = lb_annotation_set_lookup (set, line_id);
  g_assert_cmpfloat (a->points[1].x, ==, 110);
  g_assert_true (lb_annotation_set_redo (set));
  g_assert_cmpfloat (lb_annotation_set_lookup (set, line_id)->points[1].x, ==, 210);

  /* An ellipse's axis end: the axis turns about the centre, the other axis
   * stays perpendicular with its length (40). */
  lb_annotation_overlay_select (o, ellipse_id);
  g_assert_true (lb_annotation_overlay_press (o, 200, 100, 1, 3));
  lb_annotation_overlay_release (o, 150, 160);
  a = lb_annotation_set_lookup (set, ellipse_id);
  g_assert_cmpfloat_with_epsilon (a->points[1].x, 150, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->points[1].y, 160, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->points[0].x, 150, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->points[0].y, 40, 1e-9);
  g_assert_cmpfloat_with_epsilon (hypot (a->points[3].x - a->points[2].x, a->points[3].y - a->points[2].y), 40, 1e-9);
  g_assert_cmpfloat_with_epsilon ((a->points[3].x - a->points[2].x) * (a->points[1].x - a->points[0].x) +
                                  (a->points[3].y - a->points[2].y) * (a->points[1].y - a->points[0].y), 0, 1e-9);

  /* A circle's centre carries it along; its edge point sets the radius. */
  {
    LbAnnotation circle = { 0 };
    LbPoint pts[2] = { { 50, 50 }, { 60, 50 } }, out[2];

    circle.kind = LB_ANNOTATION_CIRCLE;
    circle.points = pts;
    circle.n_points = 2;
    lb_annotation_drag_handle (&circle, 0, (LbPoint) { 70, 80 }, out);
    g_assert_cmpfloat (out[0].x, ==, 70);
    g_assert_cmpfloat (out[1].x, ==, 80);
    g_assert_cmpfloat (out[1].y, ==, 80);
    lb_annotation_drag_handle (&circle, 1, (LbPoint) { 50, 90 }, out);
    g_assert_cmpfloat (out[0].x, ==, 50);
    g_assert_cmpfloat (out[1].y, ==, 90);
  }

  /* A press on the shape away from its handles still moves it all. */
  lb_annotation_overlay_select (o, line_id);
  g_assert_true (lb_annotation_overlay_press (o, 100, 10, 1, 3));
  lb_annotation_overlay_release (o, 100, 30);
  a = lb_annotation_set_lookup (set, line_id);
  g_assert_cmpfloat (a->points[0].y, ==, 30);
  g_assert_cmpfloat (a->points[1].y, ==, 30);

  /* Escape during a handle drag leaves the shape as it was. */
  g_assert_true (lb_annotation_overlay_press (o, 10, 30, 1, 3));
  lb_annotation_overlay_drag (o, 0, 0);
  g_assert_true (lb_annotation_overlay_cancel (o));
  lb_annotation_overlay_release (o, 0, 0);
  g_assert_cmpfloat (lb_annotation_set_lookup (set, line_id)->points[0].x, ==, 10);

  /* Double click or Enter on the selection asks to edit it. */
  g_assert_true (lb_annotation_overlay_press (o, 60, 30, 1, 3));
  lb_annotation_overlay_release (o, 60, 30);
  g_assert_true (lb_annotation_overlay_press (o, 60, 30, 2, 3));
  lb_annotation_overlay_release (o, 60, 30);
  g_assert_cmpuint (edit, ==, line_id);
  g_assert_cmpfloat (lb_annotation_set_lookup (set, line_id)->points[0].y, ==, 30);
  edit = 0;
  g_assert_true (lb_annotation_overlay_activate (o));
  g_assert_cmpuint (edit, ==, line_id);
  lb_annotation_overlay_select (o, 0);
  g_assert_false (lb_annotation_overlay_activate (o));

  /* The arrow keys nudge the selection by one image pixel: one undo step
   * each; nothing without a selection or while a handle is dragged. */
  g_assert_false (lb_annotation_overlay_nudge (o, 1, 0));
  lb_annotation_overlay_select (o, line_id);
  lb_annotation_set_clear_history (set);
  g_assert_true (lb_annotation_overlay_nudge (o, 1, 0));
  g_assert_true (lb_annotation_overlay_nudge (o, 0, -1));
  a = lb_annotation_set_lookup (set, line_id);
  g_assert_cmpfloat (a->points[0].x, ==, 11);
  g_assert_cmpfloat (a->points[0].y, ==, 29);
  g_assert_true (lb_annotation_set_undo (set));
  g_assert_cmpfloat (lb_annotation_set_lookup (set, line_id)->points[0].y, ==, 30);
  g_assert_true (lb_annotation_overlay_press (o, 11, 30, 1, 3));
  g_assert_false (lb_annotation_overlay_nudge (o, 1, 0));
  lb_annotation_overlay_cancel (o);

  /* An ellipse is hit inside, not only on its axes. */
  g_assert_cmpuint (lb_annotation_overlay_hit (o, 150, 75, 1), ==, ellipse_id);
  g_assert_cmpuint (lb_annotation_overlay_hit (o, 300, 300, 1), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/annotation-overlay/polygon", test_polygon);
  g_test_add_func ("/annotation-overlay/line-calibrate-text", test_line_calibrate_text);
  g_test_add_func ("/annotation-overlay/select-move-delete", test_select_move_delete);
  g_test_add_func ("/annotation-overlay/draw-through-transform", test_draw_through_transform);
  g_test_add_func ("/annotation-overlay/new-tools", test_new_tools);
  g_test_add_func ("/annotation-overlay/handles", test_handles);
  return g_test_run ();
}
