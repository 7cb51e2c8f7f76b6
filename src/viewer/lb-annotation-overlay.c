/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-annotation-overlay.h"

#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

struct _LbAnnotationOverlay
{
  GObject           parent_instance;

  LbAnnotationSet  *set;
  gulong            changed_id;
  LbAnnotationTool  tool;
  guint             selected;

  /* A shape being drawn, in image coordinates. */
  GArray           *points;        /* LbPoint */
  gboolean          pressed;
  gboolean          have_hover;
  LbPoint           hover;
  /* Moving the selection. */
  gboolean          moving;
  LbPoint           move_start;
  LbPoint           move_delta;
  /* Dragging a handle (a point) of the selection: -1 for none. */
  int               handle;
  LbPoint           handle_pos;
  /* Freehand: points closer than this (image px) are not recorded. */
  double            tolerance;
};

G_DEFINE_FINAL_TYPE (LbAnnotationOverlay, lb_annotation_overlay, G_TYPE_OBJECT)

enum {
  REDRAW,
  TEXT_REQUESTED,
  SHAPE_FINISHED,
  CALIBRATE_REQUESTED,
  EDIT_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_TOOL,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
redraw (LbAnnotationOverlay *self)
{
  g_signal_emit (self, signals[REDRAW], 0);
}

static void
set_changed_cb (LbAnnotationOverlay *self)
{
  if (self->selected != 0 && lb_annotation_set_lookup (self->set, self->selected) == NULL)
    {
      self->selected = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
    }
  redraw (self);
}

LbAnnotationOverlay *
lb_annotation_overlay_new (void)
{
  return g_object_new (LB_TYPE_ANNOTATION_OVERLAY, NULL);
}

void
lb_annotation_overlay_set_annotations (LbAnnotationOverlay *self,
                                     LbAnnotationSet   *set)
{
  g_return_if_fail (LB_IS_ANNOTATION_OVERLAY (self));

  if (self->set == set)
    return;
  if (self->set != NULL)
    g_clear_signal_handler (&self->changed_id, self->set);
  g_set_object (&self->set, set);
  if (set != NULL)
    self->changed_id = g_signal_connect_swapped (set, "changed", G_CALLBACK (set_changed_cb), self);
  g_array_set_size (self->points, 0);
  self->moving = FALSE;
  self->pressed = FALSE;
  self->handle = -1;
  lb_annotation_overlay_select (self, 0);
  redraw (self);
}

/**
 * lb_annotation_overlay_get_annotations:
 *
 * Returns: (transfer none) (nullable): the set drawn and edited
 */
LbAnnotationSet *
lb_annotation_overlay_get_annotations (LbAnnotationOverlay *self)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_OVERLAY (self), NULL);
  return self->set;
}

void
lb_annotation_overlay_set_tool (LbAnnotationOverlay *self,
                              LbAnnotationTool   tool)
{
  g_return_if_fail (LB_IS_ANNOTATION_OVERLAY (self));

  if (self->tool == tool)
    return;
  lb_annotation_overlay_cancel (self);
  self->tool = tool;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

LbAnnotationTool
lb_annotation_overlay_get_tool (LbAnnotationOverlay *self)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_OVERLAY (self), LB_ANNOTATION_TOOL_SELECT);
  return self->tool;
}

guint
lb_annotation_overlay_get_selected (LbAnnotationOverlay *self)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_OVERLAY (self), 0);
  return self->selected;
}

void
lb_annotation_overlay_select (LbAnnotationOverlay *self,
                            guint              id)
{
  g_return_if_fail (LB_IS_ANNOTATION_OVERLAY (self));

  if (self->selected == id)
    return;
  self->selected = id;
  self->handle = -1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  redraw (self);
}

gboolean
lb_annotation_overlay_delete_selected (LbAnnotationOverlay *self)
{
  guint id;

  g_return_val_if_fail (LB_IS_ANNOTATION_OVERLAY (self), FALSE);

  if (self->set == NULL || self->selected == 0)
    return FALSE;
  id = self->selected;
  lb_annotation_overlay_select (self, 0);
  return lb_annotation_set_remove (self->set, id);
}

gboolean
lb_annotation_overlay_cancel (LbAnnotationOverlay *self)
{
  gboolean had = self->points->len > 0 || self->moving || self->handle >= 0;

  g_array_set_size (self->points, 0);
  self->moving = FALSE;
  self->handle = -1;
  self->pressed = FALSE;
  if (had)
    redraw (self);
  return had;
}

gboolean
lb_annotation_overlay_is_drawing (LbAnnotationOverlay *self)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_OVERLAY (self), FALSE);
  return self->points->len > 0;
}

static guint
add_shape (LbAnnotationOverlay *self,
           LbAnnotationKind   kind)
{
  g_autoptr (GError) error = NULL;
  guint id = lb_annotation_set_add (self->set, kind, (LbPoint *) self->points->data, self->points->len,
                                    "", NULL, NULL, FALSE, &error);

  g_array_set_size (self->points, 0);
  if (id == 0)
    {
      g_message ("Annotation not added: %s", error->message);
      redraw (self);
      return 0;
    }
  lb_annotation_overlay_select (self, id);
  g_signal_emit (self, signals[SHAPE_FINISHED], 0, id);
  return id;
}

gboolean
lb_annotation_overlay_finish (LbAnnotationOverlay *self)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_OVERLAY (self), FALSE);

  if (self->tool != LB_ANNOTATION_TOOL_POLYGON || self->set == NULL || self->points->len == 0)
    return FALSE;
  if (self->points->len < 3)
    {
      lb_annotation_overlay_cancel (self);
      return TRUE;
    }
  add_shape (self, LB_ANNOTATION_POLYGON);
  return TRUE;
}

/* ---- hit testing ---------------------------------------------------------- */

static double
segment_distance (LbPoint p, LbPoint a, LbPoint b)
{
  double dx = b.x - a.x, dy = b.y - a.y;
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;

  t = CLAMP (t, 0, 1);
  return hypot (p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

static gboolean
inside_polygon (LbPoint p, const LbPoint *v, guint n)
{
  gboolean in = FALSE;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    if (((v[i].y > p.y) != (v[j].y > p.y)) &&
        p.x < (v[j].x - v[i].x) * (p.y - v[i].y) / (v[j].y - v[i].y) + v[i].x)
      in = !in;
  return in;
}

static double
annotation_distance (const LbAnnotation *a, LbPoint p)
{
  double best = G_MAXDOUBLE;
  gboolean closed = a->kind == LB_ANNOTATION_POLYGON || (a->kind == LB_ANNOTATION_FREEHAND && a->closed);

  switch (a->kind)
    {
    case LB_ANNOTATION_CIRCLE:
      {
        double r = hypot (a->points[1].x - a->points[0].x, a->points[1].y - a->points[0].y);
        double d = hypot (p.x - a->points[0].x, p.y - a->points[0].y);
        return d <= r ? 0 : d - r;
      }
    case LB_ANNOTATION_ELLIPSE:
      {
        /* In the ellipse's own axes: inside is a hit; outside, the distance
         * is about (r − 1) times the minor half axis. */
        LbPoint c = { (a->points[0].x + a->points[1].x) / 2, (a->points[0].y + a->points[1].y) / 2 };
        double ha = hypot (a->points[1].x - a->points[0].x, a->points[1].y - a->points[0].y) / 2;
        double hb = hypot (a->points[3].x - a->points[2].x, a->points[3].y - a->points[2].y) / 2;
        double ux, uy, u, v, r;

        if (ha < 1e-9 || hb < 1e-9)
          break;
        ux = (a->points[1].x - a->points[0].x) / (2 * ha);
        uy = (a->points[1].y - a->points[0].y) / (2 * ha);
        u = (p.x - c.x) * ux + (p.y - c.y) * uy;
        v = -(p.x - c.x) * uy + (p.y - c.y) * ux;
        r = hypot (u / ha, v / hb);
        return r <= 1 ? 0 : (r - 1) * MIN (ha, hb);
      }
    case LB_ANNOTATION_TEXT:
      if (a->has_box && p.x >= a->box[0].x && p.x <= a->box[1].x && p.y >= a->box[0].y && p.y <= a->box[1].y)
        return 0;
      break;
    default:
      break;
    }
  if (closed && a->n_points >= 3 && inside_polygon (p, a->points, a->n_points))
    return 0;
  for (guint i = 0; i < a->n_points; i++)
    {
      best = MIN (best, hypot (p.x - a->points[i].x, p.y - a->points[i].y));
      if (i + 1 < a->n_points)
        best = MIN (best, segment_distance (p, a->points[i], a->points[i + 1]));
    }
  if (closed && a->n_points >= 3)
    best = MIN (best, segment_distance (p, a->points[a->n_points - 1], a->points[0]));
  return best;
}

guint
lb_annotation_overlay_hit (LbAnnotationOverlay *self,
                         double             x,
                         double             y,
                         double             tolerance)
{
  LbPoint p = { x, y };
  guint n;

  g_return_val_if_fail (LB_IS_ANNOTATION_OVERLAY (self), 0);
  if (self->set == NULL)
    return 0;
  n = lb_annotation_set_get_n_annotations (self->set);
  /* The topmost (last drawn) first; text anchors are small, so a text
   * annotation is also hit a little around its anchor. */
  for (guint i = n; i-- > 0;)
    {
      const LbAnnotation *a = lb_annotation_set_get_nth (self->set, i);
      double tol = a->kind == LB_ANNOTATION_TEXT ? tolerance * 3 : tolerance;

      if (annotation_distance (a, p) <= tol)
        return a->id;
    }
  return 0;
}

/* ---- handles -------------------------------------------------------------- */

int
lb_annotation_overlay_handle_at (LbAnnotationOverlay *self,
                               double             x,
                               double             y,
                               double             tolerance)
{
  const LbAnnotation *a;
  int best = -1;
  double best_d = G_MAXDOUBLE;

  g_return_val_if_fail (LB_IS_ANNOTATION_OVERLAY (self), -1);
  if (self->set == NULL || self->selected == 0)
    return -1;
  a = lb_annotation_set_lookup (self->set, self->selected);
  if (a == NULL)
    return -1;
  /* The nearest one wins: the handles of a small shape overlap. */
  for (guint i = 0; i < a->n_points; i++)
    {
      double d = hypot (x - a->points[i].x, y - a->points[i].y);
      if (d <= tolerance && d < best_d)
        {
          best = (int) i;
          best_d = d;
        }
    }
  return best;
}

void
lb_annotation_drag_handle (const LbAnnotation *a,
                           guint               handle,
                           LbPoint             to,
                           LbPoint            *out)
{
  g_return_if_fail (a != NULL && out != NULL);

  memcpy (out, a->points, sizeof (LbPoint) * a->n_points);
  if (handle >= a->n_points)
    return;
  if (a->kind == LB_ANNOTATION_CIRCLE && handle == 0)
    {
      /* The centre carries the circle along. */
      out[1].x += to.x - a->points[0].x;
      out[1].y += to.y - a->points[0].y;
      out[0] = to;
      return;
    }
  if (a->kind == LB_ANNOTATION_ELLIPSE && a->n_points == 4)
    {
      /* One axis turns and scales about the centre; the other stays
       * perpendicular to it with its own length, so it is still an ellipse. */
      guint axis = handle / 2, other = 1 - axis;
      LbPoint c = { (a->points[0].x + a->points[1].x) / 2, (a->points[0].y + a->points[1].y) / 2 };
      double ux = to.x - c.x, uy = to.y - c.y;
      double len = hypot (ux, uy);
      double half = hypot (a->points[2 * other + 1].x - a->points[2 * other].x,
                           a->points[2 * other + 1].y - a->points[2 * other].y) / 2;
      double nx, ny;
      guint mate = handle ^ 1;

      if (len < 1e-9)
        return;
      out[handle] = to;
      out[mate] = (LbPoint) { 2 * c.x - to.x, 2 * c.y - to.y };
      /* The other axis along the normal, in the sense it had. */
      nx = -uy / len;
      ny = ux / len;
      if ((a->points[2 * other + 1].x - a->points[2 * other].x) * nx +
          (a->points[2 * other + 1].y - a->points[2 * other].y) * ny < 0)
        {
          nx = -nx;
          ny = -ny;
        }
      out[2 * other] = (LbPoint) { c.x - nx * half, c.y - ny * half };
      out[2 * other + 1] = (LbPoint) { c.x + nx * half, c.y + ny * half };
      return;
    }
  out[handle] = to;
}

gboolean
lb_annotation_overlay_nudge (LbAnnotationOverlay *self,
                           double             dx,
                           double             dy)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_OVERLAY (self), FALSE);

  if (self->set == NULL || self->selected == 0 || self->points->len > 0 || self->moving || self->handle >= 0)
    return FALSE;
  return lb_annotation_set_move (self->set, self->selected, dx, dy);
}

gboolean
lb_annotation_overlay_activate (LbAnnotationOverlay *self)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_OVERLAY (self), FALSE);

  if (self->set == NULL || self->selected == 0 || self->points->len > 0 ||
      lb_annotation_set_lookup (self->set, self->selected) == NULL)
    return FALSE;
  g_signal_emit (self, signals[EDIT_REQUESTED], 0, self->selected);
  return TRUE;
}

/* ---- input ---------------------------------------------------------------- */

static gboolean
two_point_tool (LbAnnotationTool tool)
{
  return tool == LB_ANNOTATION_TOOL_LINE || tool == LB_ANNOTATION_TOOL_CALIBRATE ||
         tool == LB_ANNOTATION_TOOL_ARROW || tool == LB_ANNOTATION_TOOL_CIRCLE ||
         tool == LB_ANNOTATION_TOOL_ELLIPSE;
}

/* An ellipse drawn over the box from @a to @b: its axes are the box's
 * middle lines, the longer one first (the model's major axis). */
static void
ellipse_from_box (LbPoint a, LbPoint b, LbPoint out[4])
{
  LbPoint c = { (a.x + b.x) / 2, (a.y + b.y) / 2 };
  double hw = fabs (b.x - a.x) / 2, hh = fabs (b.y - a.y) / 2;
  LbPoint h0 = { c.x - hw, c.y }, h1 = { c.x + hw, c.y };
  LbPoint v0 = { c.x, c.y - hh }, v1 = { c.x, c.y + hh };

  out[0] = hw >= hh ? h0 : v0;
  out[1] = hw >= hh ? h1 : v1;
  out[2] = hw >= hh ? v0 : h0;
  out[3] = hw >= hh ? v1 : h1;
}

/* The annotation a two-point drag from @a to @b makes with @tool. */
static guint
add_two_point_shape (LbAnnotationOverlay *self, LbPoint a, LbPoint b)
{
  g_array_set_size (self->points, 0);
  switch (self->tool)
    {
    case LB_ANNOTATION_TOOL_ELLIPSE:
      {
        LbPoint e[4];
        ellipse_from_box (a, b, e);
        g_array_append_vals (self->points, e, 4);
        return add_shape (self, LB_ANNOTATION_ELLIPSE);
      }
    case LB_ANNOTATION_TOOL_CIRCLE:
      g_array_append_val (self->points, a);
      g_array_append_val (self->points, b);
      return add_shape (self, LB_ANNOTATION_CIRCLE);
    case LB_ANNOTATION_TOOL_ARROW:
      g_array_append_val (self->points, a);
      g_array_append_val (self->points, b);
      return add_shape (self, LB_ANNOTATION_ARROW);
    default:
      g_array_append_val (self->points, a);
      g_array_append_val (self->points, b);
      return add_shape (self, LB_ANNOTATION_LINE);
    }
}

/* A freehand stroke ending near its start is an outline (closed, with an
 * area); otherwise a path (open, with a length). */
static void
finish_freehand (LbAnnotationOverlay *self)
{
  g_autoptr (GError) error = NULL;
  const LbPoint *pts = (const LbPoint *) self->points->data;
  guint n = self->points->len;
  gboolean closed;
  guint id;

  if (n < 2)
    {
      lb_annotation_overlay_cancel (self);
      return;
    }
  closed = n >= 3 && hypot (pts[n - 1].x - pts[0].x, pts[n - 1].y - pts[0].y) <= 3 * self->tolerance;
  id = lb_annotation_set_add (self->set, LB_ANNOTATION_FREEHAND, pts, n, "", NULL, NULL, closed, &error);
  g_array_set_size (self->points, 0);
  if (id == 0)
    {
      g_message ("Annotation not added: %s", error->message);
      redraw (self);
      return;
    }
  lb_annotation_overlay_select (self, id);
  g_signal_emit (self, signals[SHAPE_FINISHED], 0, id);
}

gboolean
lb_annotation_overlay_press (LbAnnotationOverlay *self,
                           double             x,
                           double             y,
                           int                n_press,
                           double             tolerance)
{
  LbPoint p = { x, y };

  g_return_val_if_fail (LB_IS_ANNOTATION_OVERLAY (self), FALSE);
  if (self->set == NULL)
    return FALSE;
  self->hover = p;
  self->have_hover = TRUE;

  switch (self->tool)
    {
    case LB_ANNOTATION_TOOL_SELECT:
      {
        guint id = lb_annotation_overlay_hit (self, x, y, tolerance);
        int handle;

        /* A double click on the selection edits its text or label. */
        if (n_press >= 2 && id != 0 && id == self->selected)
          {
            self->moving = FALSE;
            self->handle = -1;
            g_signal_emit (self, signals[EDIT_REQUESTED], 0, id);
            return TRUE;
          }
        handle = lb_annotation_overlay_handle_at (self, x, y, tolerance);
        if (handle >= 0)
          {
            self->handle = handle;
            self->handle_pos = p;
            redraw (self);
            return TRUE;
          }
        lb_annotation_overlay_select (self, id);
        if (id == 0)
          return FALSE;
        self->moving = TRUE;
        self->move_start = p;
        self->move_delta = (LbPoint) { 0, 0 };
        return TRUE;
      }
    case LB_ANNOTATION_TOOL_POINT:
      g_array_set_size (self->points, 0);
      g_array_append_val (self->points, p);
      add_shape (self, LB_ANNOTATION_POINT);
      return TRUE;
    case LB_ANNOTATION_TOOL_FREEHAND:
      g_array_set_size (self->points, 0);
      g_array_append_val (self->points, p);
      self->tolerance = tolerance;
      self->pressed = TRUE;
      redraw (self);
      return TRUE;
    case LB_ANNOTATION_TOOL_LINE:
    case LB_ANNOTATION_TOOL_CALIBRATE:
    case LB_ANNOTATION_TOOL_ARROW:
    case LB_ANNOTATION_TOOL_CIRCLE:
    case LB_ANNOTATION_TOOL_ELLIPSE:
      /* Press, drag, release; or click, move, click. */
      if (self->points->len == 0)
        g_array_append_val (self->points, p);
      self->pressed = TRUE;
      redraw (self);
      return TRUE;
    case LB_ANNOTATION_TOOL_POLYGON:
      if (n_press >= 2 || (self->points->len >= 3 &&
                           hypot (x - g_array_index (self->points, LbPoint, 0).x,
                                  y - g_array_index (self->points, LbPoint, 0).y) <= tolerance))
        {
          /* A double click, or a click on the first point, closes it. */
          lb_annotation_overlay_finish (self);
          return TRUE;
        }
      if (self->points->len > 0)
        {
          LbPoint last = g_array_index (self->points, LbPoint, self->points->len - 1);
          if (hypot (x - last.x, y - last.y) < 1e-6)
            return TRUE;
        }
      g_array_append_val (self->points, p);
      redraw (self);
      return TRUE;
    case LB_ANNOTATION_TOOL_TEXT:
      g_signal_emit (self, signals[TEXT_REQUESTED], 0, x, y);
      return TRUE;
    default:
      return FALSE;
    }
}

void
lb_annotation_overlay_drag (LbAnnotationOverlay *self,
                          double             x,
                          double             y)
{
  g_return_if_fail (LB_IS_ANNOTATION_OVERLAY (self));

  self->hover = (LbPoint) { x, y };
  self->have_hover = TRUE;
  if (self->moving)
    self->move_delta = (LbPoint) { x - self->move_start.x, y - self->move_start.y };
  if (self->handle >= 0)
    self->handle_pos = self->hover;
  if (self->tool == LB_ANNOTATION_TOOL_FREEHAND && self->pressed && self->points->len > 0)
    {
      LbPoint last = g_array_index (self->points, LbPoint, self->points->len - 1);

      /* About one point every half slack: smooth enough, not thousands. */
      if (hypot (x - last.x, y - last.y) >= self->tolerance / 2)
        g_array_append_val (self->points, self->hover);
    }
  redraw (self);
}

void
lb_annotation_overlay_release (LbAnnotationOverlay *self,
                             double             x,
                             double             y)
{
  g_return_if_fail (LB_IS_ANNOTATION_OVERLAY (self));

  self->hover = (LbPoint) { x, y };
  if (self->handle >= 0)
    {
      const LbAnnotation *a = self->set != NULL ? lb_annotation_set_lookup (self->set, self->selected) : NULL;
      guint handle = self->handle;

      self->handle = -1;
      if (a != NULL && handle < a->n_points &&
          (a->points[handle].x != x || a->points[handle].y != y))
        {
          g_autoptr (GError) error = NULL;
          g_autofree LbPoint *pts = g_new (LbPoint, a->n_points);

          /* One drag, one undo step. */
          lb_annotation_drag_handle (a, handle, self->hover, pts);
          if (!lb_annotation_set_set_points (self->set, a->id, pts, a->n_points, &error))
            g_message ("Point not moved: %s", error->message);
        }
      redraw (self);
      return;
    }
  if (self->tool == LB_ANNOTATION_TOOL_FREEHAND && self->pressed)
    {
      LbPoint last = g_array_index (self->points, LbPoint, self->points->len - 1);

      self->pressed = FALSE;
      if (hypot (x - last.x, y - last.y) > 1e-6)
        g_array_append_val (self->points, self->hover);
      finish_freehand (self);
      return;
    }
  if (self->moving)
    {
      double dx = x - self->move_start.x, dy = y - self->move_start.y;

      self->moving = FALSE;
      self->move_delta = (LbPoint) { 0, 0 };
      if (self->set != NULL && (dx != 0 || dy != 0))
        lb_annotation_set_move (self->set, self->selected, dx, dy);
      redraw (self);
      return;
    }
  if (two_point_tool (self->tool) && self->pressed && self->points->len == 1)
    {
      LbPoint a = g_array_index (self->points, LbPoint, 0);
      LbPoint b = { x, y };

      self->pressed = FALSE;
      /* A click without moving: wait for the second click. */
      if (hypot (b.x - a.x, b.y - a.y) < 1.0)
        return;
      if (self->tool == LB_ANNOTATION_TOOL_CALIBRATE)
        {
          g_array_set_size (self->points, 0);
          redraw (self);
          g_signal_emit (self, signals[CALIBRATE_REQUESTED], 0, a.x, a.y, b.x, b.y);
          return;
        }
      add_two_point_shape (self, a, b);
    }
  self->pressed = FALSE;
}

void
lb_annotation_overlay_motion (LbAnnotationOverlay *self,
                            double             x,
                            double             y)
{
  g_return_if_fail (LB_IS_ANNOTATION_OVERLAY (self));

  self->hover = (LbPoint) { x, y };
  self->have_hover = TRUE;
  if (self->points->len > 0)
    redraw (self);
}

/* ---- drawing -------------------------------------------------------------- */

char *
lb_annotation_overlay_describe (LbAnnotationSet    *set,
                              const LbAnnotation *a)
{
  LbMeasurement m;
  g_autofree char *measure = NULL;
  double spacing[2];

  if (a->kind == LB_ANNOTATION_TEXT)
    return a->text[0] != '\0' ? g_strdup (a->text) : NULL;
  /* Measured from @a itself, so a point being dragged shows its new value. */
  lb_annotation_measure (a, lb_annotation_set_get_spacing (set, spacing) ? spacing : NULL, &m);
  if (m.has_length || m.has_area)
    measure = lb_measurement_format (&m);
  if (measure != NULL && a->label[0] != '\0')
    return g_strdup_printf ("%s: %s", a->label, measure);
  if (measure != NULL)
    return g_steal_pointer (&measure);
  return a->label[0] != '\0' ? g_strdup (a->label) : NULL;
}

typedef struct {
  const LbViewTransform *t;
  double scale;
  double dx, dy;               /* a move in progress, image px */
} Mapping;

static LbPoint
map (const Mapping *m, LbPoint p)
{
  LbPoint out;

  lb_view_transform_to_device (m->t, p.x + m->dx, p.y + m->dy, &out.x, &out.y);
  out.x /= m->scale;
  out.y /= m->scale;
  return out;
}

static void
path_points (cairo_t *cr, const Mapping *m, const LbPoint *pts, guint n, gboolean closed)
{
  for (guint i = 0; i < n; i++)
    {
      LbPoint d = map (m, pts[i]);
      if (i == 0)
        cairo_move_to (cr, d.x, d.y);
      else
        cairo_line_to (cr, d.x, d.y);
    }
  if (closed)
    cairo_close_path (cr);
}

static void
path_annotation (cairo_t *cr, const Mapping *m, const LbAnnotation *a)
{
  switch (a->kind)
    {
    case LB_ANNOTATION_POINT:
      {
        LbPoint d = map (m, a->points[0]);
        cairo_new_sub_path (cr);
        cairo_arc (cr, d.x, d.y, 3, 0, 2 * G_PI);
        break;
      }
    case LB_ANNOTATION_ARROW:
      {
        LbPoint t = map (m, a->points[0]), h = map (m, a->points[1]);
        double ang = atan2 (h.y - t.y, h.x - t.x);
        cairo_move_to (cr, t.x, t.y);
        cairo_line_to (cr, h.x, h.y);
        cairo_move_to (cr, h.x - 12 * cos (ang - 0.45), h.y - 12 * sin (ang - 0.45));
        cairo_line_to (cr, h.x, h.y);
        cairo_line_to (cr, h.x - 12 * cos (ang + 0.45), h.y - 12 * sin (ang + 0.45));
        break;
      }
    case LB_ANNOTATION_CIRCLE:
      {
        LbPoint c = map (m, a->points[0]), e = map (m, a->points[1]);
        cairo_new_sub_path (cr);
        cairo_arc (cr, c.x, c.y, hypot (e.x - c.x, e.y - c.y), 0, 2 * G_PI);
        break;
      }
    case LB_ANNOTATION_ELLIPSE:
      {
        /* The axes through the transform are still conjugate diameters
         * (the view is a similarity), so one unit circle mapped by them. */
        LbPoint p0 = map (m, a->points[0]), p1 = map (m, a->points[1]);
        LbPoint q0 = map (m, a->points[2]), q1 = map (m, a->points[3]);
        cairo_matrix_t mat, saved;
        double cx = (p0.x + p1.x) / 2, cy = (p0.y + p1.y) / 2;

        cairo_get_matrix (cr, &saved);
        cairo_matrix_init (&mat, (p1.x - p0.x) / 2, (p1.y - p0.y) / 2,
                           (q1.x - q0.x) / 2, (q1.y - q0.y) / 2, cx, cy);
        cairo_transform (cr, &mat);
        cairo_new_sub_path (cr);
        cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
        cairo_set_matrix (cr, &saved);
        break;
      }
    case LB_ANNOTATION_TEXT:
      if (a->n_points > 0)
        {
          LbPoint d = map (m, a->points[0]);
          cairo_move_to (cr, d.x - 4, d.y);
          cairo_line_to (cr, d.x + 4, d.y);
          cairo_move_to (cr, d.x, d.y - 4);
          cairo_line_to (cr, d.x, d.y + 4);
        }
      else if (a->has_box)
        {
          LbPoint corners[4] = { a->box[0], { a->box[1].x, a->box[0].y }, a->box[1], { a->box[0].x, a->box[1].y } };
          path_points (cr, m, corners, 4, TRUE);
        }
      break;
    default:
      path_points (cr, m, a->points, a->n_points,
                   a->kind == LB_ANNOTATION_POLYGON || (a->kind == LB_ANNOTATION_FREEHAND && a->closed));
      break;
    }
}

static void
stroke_outlined (cairo_t *cr, double r, double g, double b, double width)
{
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.7);
  cairo_set_line_width (cr, width + 2);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgb (cr, r, g, b);
  cairo_set_line_width (cr, width);
  cairo_stroke (cr);
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y,
           double r, double g, double b)
{
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x + 1, y + 1);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.85);
  pango_cairo_show_layout (cr, layout);
  cairo_move_to (cr, x, y);
  cairo_set_source_rgb (cr, r, g, b);
  pango_cairo_show_layout (cr, layout);
}

void
lb_annotation_overlay_draw (LbAnnotationOverlay     *self,
                          cairo_t               *cr,
                          const LbViewTransform *t,
                          double                 scale)
{
  g_autoptr (PangoLayout) layout = NULL;
  PangoFontDescription *font;
  Mapping m = { t, scale > 0 ? scale : 1, 0, 0 };
  guint n;

  g_return_if_fail (LB_IS_ANNOTATION_OVERLAY (self));
  if (self->set == NULL)
    return;

  layout = pango_cairo_create_layout (cr);
  font = pango_font_description_from_string ("Sans 11");
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);

  n = lb_annotation_set_get_n_annotations (self->set);
  for (guint i = 0; i < n; i++)
    {
      const LbAnnotation *a = lb_annotation_set_get_nth (self->set, i);
      const LbAnnotationLayer *layer = lb_annotation_set_find_layer (self->set, a->layer);
      g_autofree LbPoint *dragged = NULL;
      LbAnnotation edited;
      double r = layer ? layer->rgb[0] / 255.0 : 1, g = layer ? layer->rgb[1] / 255.0 : 1,
             b = layer ? layer->rgb[2] / 255.0 : 0;
      gboolean selected = a->id == self->selected;
      g_autofree char *caption = NULL;
      double x1, y1, x2, y2;

      if (selected && self->handle >= 0 && (guint) self->handle < a->n_points)
        {
          /* A handle being dragged: draw (and measure) the shape as it will be. */
          dragged = g_new (LbPoint, a->n_points);
          lb_annotation_drag_handle (a, self->handle, self->handle_pos, dragged);
          edited = *a;
          edited.points = dragged;
          a = &edited;
        }
      caption = lb_annotation_overlay_describe (self->set, a);

      m.dx = selected && self->moving ? self->move_delta.x : 0;
      m.dy = selected && self->moving ? self->move_delta.y : 0;
      cairo_new_path (cr);
      path_annotation (cr, &m, a);
      cairo_path_extents (cr, &x1, &y1, &x2, &y2);
      if (a->kind == LB_ANNOTATION_TEXT && a->n_points == 0 && !a->has_box)
        cairo_new_path (cr);
      stroke_outlined (cr, r, g, b, selected ? 3 : 2);
      if (selected)
        for (guint k = 0; k < a->n_points; k++)
          {
            LbPoint d = map (&m, a->points[k]);
            cairo_rectangle (cr, d.x - 4, d.y - 4, 8, 8);
            cairo_set_source_rgb (cr, 1, 1, 1);
            cairo_fill_preserve (cr);
            cairo_set_source_rgb (cr, 0, 0, 0);
            cairo_set_line_width (cr, 1);
            cairo_stroke (cr);
          }
      if (caption == NULL)
        continue;
      if (a->kind == LB_ANNOTATION_TEXT)
        {
          LbPoint d = a->n_points > 0 ? map (&m, a->points[0]) : map (&m, a->box[0]);
          draw_text (cr, layout, caption, d.x + 6, d.y + 2, r, g, b);
        }
      else
        draw_text (cr, layout, caption, x1, y2 + 4, r, g, b);
    }

  /* The shape being drawn, up to the pointer. */
  if (self->points->len > 0)
    {
      Mapping plain = { t, m.scale, 0, 0 };
      const LbPoint *pts = (const LbPoint *) self->points->data;
      gboolean round = self->tool == LB_ANNOTATION_TOOL_CIRCLE || self->tool == LB_ANNOTATION_TOOL_ELLIPSE;

      cairo_new_path (cr);
      if (round && self->have_hover)
        {
          LbPoint e[4] = { pts[0], self->hover };
          LbAnnotation preview = { 0 };

          preview.kind = self->tool == LB_ANNOTATION_TOOL_CIRCLE ? LB_ANNOTATION_CIRCLE : LB_ANNOTATION_ELLIPSE;
          preview.points = e;
          preview.n_points = self->tool == LB_ANNOTATION_TOOL_CIRCLE ? 2 : 4;
          if (preview.kind == LB_ANNOTATION_ELLIPSE)
            ellipse_from_box (pts[0], self->hover, e);
          path_annotation (cr, &plain, &preview);
        }
      else
        path_points (cr, &plain, pts, self->points->len, FALSE);
      if (self->have_hover && !round)
        {
          LbPoint d = map (&plain, self->hover);
          cairo_line_to (cr, d.x, d.y);
        }
      if (self->points->len == 1 && !self->have_hover)
        {
          LbPoint d = map (&plain, pts[0]);
          cairo_new_sub_path (cr);
          cairo_arc (cr, d.x, d.y, 2, 0, 2 * G_PI);
        }
      cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
      stroke_outlined (cr, 0.3, 0.9, 1.0, 2);
      cairo_set_dash (cr, NULL, 0, 0);
      if (self->tool == LB_ANNOTATION_TOOL_CALIBRATE && self->have_hover)
        {
          LbPoint d = map (&plain, self->hover);
          double len = hypot (self->hover.x - pts[0].x, self->hover.y - pts[0].y);
          g_autofree char *text = g_strdup_printf ("%.1f px", len);
          draw_text (cr, layout, text, d.x + 8, d.y + 8, 0.3, 0.9, 1.0);
        }
    }
}

/* ---- GObject -------------------------------------------------------------- */

static void
lb_annotation_overlay_dispose (GObject *object)
{
  LbAnnotationOverlay *self = LB_ANNOTATION_OVERLAY (object);

  if (self->set != NULL)
    g_clear_signal_handler (&self->changed_id, self->set);
  g_clear_object (&self->set);
  G_OBJECT_CLASS (lb_annotation_overlay_parent_class)->dispose (object);
}

static void
lb_annotation_overlay_finalize (GObject *object)
{
  LbAnnotationOverlay *self = LB_ANNOTATION_OVERLAY (object);

  g_array_unref (self->points);
  G_OBJECT_CLASS (lb_annotation_overlay_parent_class)->finalize (object);
}

static void
lb_annotation_overlay_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbAnnotationOverlay *self = LB_ANNOTATION_OVERLAY (object);

  switch (prop_id)
    {
    case PROP_TOOL: g_value_set_int (value, self->tool); break;
    case PROP_SELECTED: g_value_set_uint (value, self->selected); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_annotation_overlay_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LbAnnotationOverlay *self = LB_ANNOTATION_OVERLAY (object);

  switch (prop_id)
    {
    case PROP_TOOL: lb_annotation_overlay_set_tool (self, g_value_get_int (value)); break;
    case PROP_SELECTED: lb_annotation_overlay_select (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_annotation_overlay_class_init (LbAnnotationOverlayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = lb_annotation_overlay_dispose;
  object_class->finalize = lb_annotation_overlay_finalize;
  object_class->get_property = lb_annotation_overlay_get_property;
  object_class->set_property = lb_annotation_overlay_set_property;

  properties[PROP_TOOL] = g_param_spec_int ("tool", NULL, NULL, LB_ANNOTATION_TOOL_SELECT,
                                            LB_ANNOTATION_TOOL_LAST, LB_ANNOTATION_TOOL_SELECT, rw);
  properties[PROP_SELECTED] = g_param_spec_uint ("selected", NULL, NULL, 0, G_MAXUINT, 0, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REDRAW] = g_signal_new ("redraw", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* text-requested (x, y): the text tool was clicked at image point (x, y). */
  signals[TEXT_REQUESTED] = g_signal_new ("text-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  /* edit-requested (id): a double click or Enter on the selection, to
   * change its text (text) or label (any other kind). */
  signals[EDIT_REQUESTED] = g_signal_new ("edit-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /* shape-finished (id): a shape was drawn and added (and selected). */
  signals[SHAPE_FINISHED] = g_signal_new ("shape-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /* calibrate-requested (ax, ay, bx, by): a calibration line was drawn. */
  signals[CALIBRATE_REQUESTED] = g_signal_new ("calibrate-requested", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                                               G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
}

static void
lb_annotation_overlay_init (LbAnnotationOverlay *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (LbPoint));
  self->tool = LB_ANNOTATION_TOOL_SELECT;
  self->handle = -1;
}
