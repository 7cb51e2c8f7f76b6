/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * LbAnnotationSet ↔ LbPresentationState. The DICOM encoding is in
 * src/dicom/lb-dicom-pr.cpp; this file decides how each kind of annotation
 * is expressed with the graphic types a presentation state has (PS3.3
 * C.10.5) and how to recognise it again.
 */
#include "lb-config.h"

#include "lb-annotation-pr.h"

#include <math.h>
#include <string.h>

/* Graphic Group Description of our groups: "lightbox:KIND", plus
 * " unlabelled" when the group label is only there because it is type 1. */
#define GROUP_PREFIX "lightbox:"

/* ---- Set → presentation state -------------------------------------------- */

/* Graphic Layer is a CS (≤ 16, upper case): derived from the layer's name,
 * which itself goes into Graphic Layer Description. */
static char *
layer_cs (const char *name,
          GPtrArray  *taken)
{
  g_autoptr (GString) s = g_string_new (NULL);
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  g_autofree char *base = NULL;

  for (const char *p = ascii; *p != '\0' && s->len < 16; p++)
    {
      char c = g_ascii_toupper (*p);
      if (g_ascii_isupper (c) || g_ascii_isdigit (c))
        g_string_append_c (s, c);
      else if (s->len > 0 && s->str[s->len - 1] != '_')
        g_string_append_c (s, '_');
    }
  while (s->len > 0 && s->str[s->len - 1] == '_')
    g_string_truncate (s, s->len - 1);
  if (s->len == 0)
    g_string_append (s, "LAYER");
  base = g_strdup (s->str);
  /* Two names that differ only in what CS cannot hold: number them. */
  for (guint n = 2; ; n++)
    {
      gboolean clash = FALSE;
      for (guint i = 0; i < taken->len; i++)
        clash = clash || strcmp (g_ptr_array_index (taken, i), s->str) == 0;
      if (!clash)
        break;
      g_autofree char *suffix = g_strdup_printf ("_%u", n);
      g_string_assign (s, base);
      g_string_truncate (s, MIN (s->len, 16 - strlen (suffix)));
      g_string_append (s, suffix);
    }
  g_ptr_array_add (taken, g_strdup (s->str));
  return g_strdup (s->str);
}

static double *
points_to_xy (const LbPoint *p,
              guint          n,
              gboolean       repeat_first)
{
  double *xy = g_new (double, 2 * (n + (repeat_first ? 1 : 0)));

  for (guint i = 0; i < n; i++)
    {
      xy[2 * i] = p[i].x;
      xy[2 * i + 1] = p[i].y;
    }
  if (repeat_first)
    {
      xy[2 * n] = p[0].x;
      xy[2 * n + 1] = p[0].y;
    }
  return xy;
}

static void
shape_bounds (const LbAnnotation *a,
              double              b[4])
{
  b[0] = b[1] = G_MAXDOUBLE;
  b[2] = b[3] = -G_MAXDOUBLE;
  if (a->kind == LB_ANNOTATION_CIRCLE)
    {
      double r = hypot (a->points[1].x - a->points[0].x, a->points[1].y - a->points[0].y);
      b[0] = a->points[0].x - r;
      b[1] = a->points[0].y - r;
      b[2] = a->points[0].x + r;
      b[3] = a->points[0].y + r;
      return;
    }
  for (guint i = 0; i < a->n_points; i++)
    {
      b[0] = MIN (b[0], a->points[i].x);
      b[1] = MIN (b[1], a->points[i].y);
      b[2] = MAX (b[2], a->points[i].x);
      b[3] = MAX (b[3], a->points[i].y);
    }
}

LbPresentationState *
lb_annotation_set_to_presentation_state (LbAnnotationSet *set)
{
  LbPresentationState *ps;
  const LbAnnotationView *view;
  g_autoptr (GPtrArray) taken = g_ptr_array_new_with_free_func (g_free);
  guint n_layers, n;
  double spacing[2];
  gboolean calibrated;
  guint rows = 0;

  g_return_val_if_fail (LB_IS_ANNOTATION_SET (set), NULL);

  ps = g_new0 (LbPresentationState, 1);
  n_layers = lb_annotation_set_get_n_layers (set);
  ps->layers = g_new0 (LbPrLayer, n_layers);
  ps->n_layers = n_layers;
  for (guint i = 0; i < n_layers; i++)
    {
      const LbAnnotationLayer *l = lb_annotation_set_get_layer (set, i);
      ps->layers[i].name = layer_cs (l->name, taken);
      ps->layers[i].description = g_strdup (l->name);
      ps->layers[i].order = (int) i + 1;
      ps->layers[i].has_color = TRUE;
      lb_color_srgb_to_cielab (l->rgb, ps->layers[i].cielab);
    }

  calibrated = lb_annotation_set_get_spacing (set, spacing);
  lb_annotation_set_get_image_size (set, NULL, &rows);
  n = lb_annotation_set_get_n_annotations (set);
  ps->groups = g_new0 (LbPrGroup, n);
  ps->n_groups = n;
  ps->annotations = g_new0 (LbPrAnnotation, n);
  ps->n_annotations = n;
  for (guint i = 0; i < n; i++)
    {
      const LbAnnotation *a = lb_annotation_set_get_nth (set, i);
      LbPrAnnotation *pa = &ps->annotations[i];
      LbPrGroup *g = &ps->groups[i];
      const char *kind = lb_annotation_kind_to_string (a->kind);
      gboolean labelled = a->label != NULL && a->label[0] != '\0';
      LbMeasurement m;
      g_autofree char *value = NULL;

      g->id = i + 1;
      g->label = g_strdup (labelled ? a->label : kind);
      g->description = g_strdup_printf (GROUP_PREFIX "%s%s", kind, labelled ? "" : " unlabelled");

      for (guint j = 0; j < n_layers; j++)
        if (strcmp (ps->layers[j].description, a->layer) == 0)
          pa->layer = g_strdup (ps->layers[j].name);
      g_assert (pa->layer != NULL);

      if (a->kind == LB_ANNOTATION_TEXT)
        {
          LbPrText *t = pa->texts = g_new0 (LbPrText, 1);
          pa->n_texts = 1;
          t->text = g_strdup (a->text);
          t->group_id = g->id;
          if (a->n_points == 1)
            {
              t->has_anchor = TRUE;
              t->anchor_visible = TRUE;
              t->anchor[0] = a->points[0].x;
              t->anchor[1] = a->points[0].y;
            }
          if (a->has_box)
            {
              t->has_box = TRUE;
              t->box[0] = a->box[0].x;
              t->box[1] = a->box[0].y;
              t->box[2] = a->box[1].x;
              t->box[3] = a->box[1].y;
            }
          continue;
        }

      pa->graphics = g_new0 (LbPrGraphic, 2);
      pa->n_graphics = 1;
      pa->graphics[0].group_id = g->id;
      switch (a->kind)
        {
        case LB_ANNOTATION_POINT:
          pa->graphics[0].type = LB_PR_GRAPHIC_POINT;
          break;
        case LB_ANNOTATION_CIRCLE:
          pa->graphics[0].type = LB_PR_GRAPHIC_CIRCLE;
          break;
        case LB_ANNOTATION_ELLIPSE:
          pa->graphics[0].type = LB_PR_GRAPHIC_ELLIPSE;
          break;
        default:
          /* Closed polylines repeat their first point (C.10.5.1.2). */
          pa->graphics[0].type = LB_PR_GRAPHIC_POLYLINE;
          break;
        }
      pa->graphics[0].points = points_to_xy (a->points, a->n_points, a->closed && pa->graphics[0].type == LB_PR_GRAPHIC_POLYLINE);
      pa->graphics[0].n_points = a->n_points + (a->closed && pa->graphics[0].type == LB_PR_GRAPHIC_POLYLINE ? 1 : 0);

      if (a->kind == LB_ANNOTATION_ARROW)
        {
          /* GSPS has no arrow: draw the head as a second polyline so other
           * viewers show one too; the reader keeps the shaft only. */
          double dx = a->points[0].x - a->points[1].x, dy = a->points[0].y - a->points[1].y;
          double len = hypot (dx, dy), head = MIN (len * 0.3, 20.0), c = cos (G_PI / 7), s = sin (G_PI / 7);
          LbPoint wings[3];
          if (len > 0)
            {
              dx *= head / len;
              dy *= head / len;
            }
          wings[0] = (LbPoint) { a->points[1].x + dx * c - dy * s, a->points[1].y + dx * s + dy * c };
          wings[1] = a->points[1];
          wings[2] = (LbPoint) { a->points[1].x + dx * c + dy * s, a->points[1].y - dx * s + dy * c };
          pa->graphics[1].type = LB_PR_GRAPHIC_POLYLINE;
          pa->graphics[1].points = points_to_xy (wings, 3, FALSE);
          pa->graphics[1].n_points = 3;
          pa->graphics[1].group_id = g->id;
          pa->n_graphics = 2;
        }

      /* The measurement as text under the shape, e.g. "wound: 412 mm²". */
      lb_annotation_measure (a, calibrated ? spacing : NULL, &m);
      value = lb_measurement_format (&m);
      if (value != NULL)
        {
          double b[4], h = MAX (12.0, rows / 40.0);
          LbPrText *t = pa->texts = g_new0 (LbPrText, 1);
          pa->n_texts = 1;
          shape_bounds (a, b);
          t->text = labelled ? g_strdup_printf ("%s: %s", a->label, value) : g_strdup (value);
          t->has_box = TRUE;
          t->box[0] = b[0];
          t->box[1] = b[3] + h / 3;
          t->box[2] = b[0] + h * 0.6 * g_utf8_strlen (t->text, -1);
          t->box[3] = t->box[1] + h;
          t->group_id = g->id;
        }
    }

  if (lb_annotation_set_get_calibration (set) > 0)
    ps->pixel_spacing[0] = ps->pixel_spacing[1] = lb_annotation_set_get_calibration (set);

  view = lb_annotation_set_get_view (set);
  ps->has_displayed_area = view->has_area;
  memcpy (ps->tlhc, view->tlhc, sizeof ps->tlhc);
  memcpy (ps->brhc, view->brhc, sizeof ps->brhc);
  ps->size_mode = view->size_mode == LB_DISPLAY_MAGNIFY ? LB_PR_SIZE_MAGNIFY
                : view->size_mode == LB_DISPLAY_TRUE_SIZE ? LB_PR_SIZE_TRUE_SIZE : LB_PR_SIZE_SCALE_TO_FIT;
  ps->magnification = view->magnification;
  ps->rotation = view->rotation;
  ps->flip_h = view->flip_h;
  ps->has_window = view->has_window;
  ps->window_center = view->window_center;
  ps->window_width = view->window_width;
  return ps;
}

/* ---- Presentation state → set -------------------------------------------- */

static LbPoint *
xy_to_points (const double *xy,
              guint         n)
{
  LbPoint *p = g_new (LbPoint, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    p[i] = (LbPoint) { xy[2 * i], xy[2 * i + 1] };
  return p;
}

static gboolean
xy_closed (const LbPrGraphic *g)
{
  guint last = g->n_points - 1;
  return g->n_points >= 4 && g->points[0] == g->points[2 * last] && g->points[1] == g->points[2 * last + 1];
}

/* Fills @a (kind, points, closed) from one graphic; @kind < 0: infer it. */
static gboolean
graphic_to_annotation (const LbPrGraphic *g,
                       int                kind,
                       LbAnnotation      *a)
{
  gboolean closed = (g->type == LB_PR_GRAPHIC_POLYLINE || g->type == LB_PR_GRAPHIC_INTERPOLATED) && xy_closed (g);
  guint n = g->n_points - (closed ? 1 : 0);

  if (kind < 0)
    {
      switch (g->type)
        {
        case LB_PR_GRAPHIC_POINT: kind = LB_ANNOTATION_POINT; break;
        case LB_PR_GRAPHIC_CIRCLE: kind = LB_ANNOTATION_CIRCLE; break;
        case LB_PR_GRAPHIC_ELLIPSE: kind = LB_ANNOTATION_ELLIPSE; break;
        case LB_PR_GRAPHIC_INTERPOLATED: kind = LB_ANNOTATION_FREEHAND; break;
        case LB_PR_GRAPHIC_POLYLINE:
        default:
          kind = closed ? LB_ANNOTATION_POLYGON : g->n_points == 2 ? LB_ANNOTATION_LINE : LB_ANNOTATION_POLYLINE;
          break;
        }
    }
  a->kind = (LbAnnotationKind) kind;
  if (a->kind == LB_ANNOTATION_FREEHAND || a->kind == LB_ANNOTATION_POLYGON)
    {
      a->closed = closed;
      a->n_points = n;
    }
  else
    a->n_points = g->n_points;
  a->points = xy_to_points (g->points, a->n_points);
  return lb_annotation_validate (a, NULL);
}

static void
text_to_annotation (const LbPrText *t,
                    LbAnnotation   *a)
{
  a->kind = LB_ANNOTATION_TEXT;
  a->text = t->text;
  a->n_points = t->has_anchor ? 1 : 0;
  a->points = g_new (LbPoint, 1);
  a->points[0] = (LbPoint) { t->anchor[0], t->anchor[1] };
  a->has_box = t->has_box;
  a->box[0] = (LbPoint) { t->box[0], t->box[1] };
  a->box[1] = (LbPoint) { t->box[2], t->box[3] };
}

static const LbPrGroup *
find_group (const LbPresentationState *ps,
            guint                      id)
{
  for (guint i = 0; id != 0 && i < ps->n_groups; i++)
    if (ps->groups[i].id == id)
      return &ps->groups[i];
  return NULL;
}

/* Our own groups: the kind, and whether the label is real. */
static gboolean
parse_group (const LbPrGroup *g,
             int             *kind,
             gboolean        *labelled)
{
  g_auto (GStrv) words = NULL;
  LbAnnotationKind k;

  if (g == NULL || !g_str_has_prefix (g->description, GROUP_PREFIX))
    return FALSE;
  words = g_strsplit (g->description + strlen (GROUP_PREFIX), " ", -1);
  if (!lb_annotation_kind_from_string (words[0], &k))
    return FALSE;
  *kind = k;
  *labelled = !(words[1] != NULL && strcmp (words[1], "unlabelled") == 0);
  return TRUE;
}

static void
add_quietly (LbAnnotationSet *set,
             LbAnnotation    *a,
             const char      *layer,
             const char      *label)
{
  a->layer = (char *) layer;
  a->label = (char *) label;
  (void) lb_annotation_set_add_full (set, a, NULL);
  g_free (a->points);
}

LbAnnotationSet *
lb_annotation_set_new_from_presentation_state (const LbPresentationState *ps)
{
  g_autoptr (LbAnnotationSet) set = lb_annotation_set_new ();
  g_autoptr (GHashTable) layer_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) done = g_hash_table_new (NULL, NULL);
  LbAnnotationView view = { 0 };
  const double *image_spacing = NULL;

  g_return_val_if_fail (ps != NULL, NULL);

  /* Layers in Graphic Layer Order, named by their description when they
   * have one (ours always do). */
  for (guint pass = 0; pass < ps->n_layers; pass++)
    {
      const LbPrLayer *l = NULL;
      for (guint i = 0; i < ps->n_layers; i++)
        if (!g_hash_table_contains (layer_names, ps->layers[i].name) &&
            (l == NULL || ps->layers[i].order < l->order))
          l = &ps->layers[i];
      const char *name = l->description[0] != '\0' ? l->description : l->name;
      guint8 rgb[3] = { 255, 220, 0 };
      if (l->has_color)
        lb_color_cielab_to_srgb (l->cielab, rgb);
      if (lb_annotation_set_find_layer (set, name) != NULL && lb_annotation_set_get_n_layers (set) > 1)
        name = l->name;
      lb_annotation_set_add_layer (set, name, rgb, NULL);
      g_hash_table_insert (layer_names, l->name, (gpointer) lb_annotation_set_find_layer (set, name)->name);
    }
  /* The new set's default layer goes unless the state has one of that name. */
  if (ps->n_layers > 0)
    {
      gboolean used = FALSE;
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, layer_names);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        used = used || strcmp (value, "Annotations") == 0;
      if (!used)
        (void) lb_annotation_set_remove_layer (set, "Annotations", NULL);
    }

  for (guint i = 0; i < ps->n_annotations; i++)
    {
      const LbPrAnnotation *pa = &ps->annotations[i];
      const char *layer = g_hash_table_lookup (layer_names, pa->layer);

      if (layer == NULL)
        {
          /* A layer the state forgot to declare. */
          lb_annotation_set_add_layer (set, pa->layer, (guint8[]) { 255, 220, 0 }, NULL);
          g_hash_table_insert (layer_names, pa->layer, (gpointer) lb_annotation_set_find_layer (set, pa->layer)->name);
          layer = g_hash_table_lookup (layer_names, pa->layer);
        }

      for (guint j = 0; j < pa->n_graphics; j++)
        {
          const LbPrGraphic *g = &pa->graphics[j];
          const LbPrGroup *group = find_group (ps, g->group_id);
          LbAnnotation a = { 0 };
          int kind = -1;
          gboolean labelled = TRUE, ours = parse_group (group, &kind, &labelled);

          /* Ours: the first graphic of the group is the annotation (an
           * arrow's head and the measurement text are derived). */
          if (ours && (kind == LB_ANNOTATION_TEXT || g_hash_table_contains (done, GUINT_TO_POINTER (g->group_id))))
            continue;
          if (ours)
            g_hash_table_add (done, GUINT_TO_POINTER (g->group_id));
          if (graphic_to_annotation (g, kind, &a))
            add_quietly (set, &a, layer, group != NULL && labelled ? group->label : "");
          else
            g_free (a.points);
        }
      for (guint j = 0; j < pa->n_texts; j++)
        {
          const LbPrText *t = &pa->texts[j];
          const LbPrGroup *group = find_group (ps, t->group_id);
          LbAnnotation a = { 0 };
          int kind = -1;
          gboolean labelled = TRUE, ours = parse_group (group, &kind, &labelled);

          if (ours && kind != LB_ANNOTATION_TEXT)
            continue;   /* a measurement: recomputed from the geometry */
          text_to_annotation (t, &a);
          add_quietly (set, &a, layer, ours && labelled ? group->label : "");
        }
    }

  /* Presentation Pixel Spacing: an isotropic one is a calibration (what
   * Lightbox writes); an anisotropic one (dcmpsmk copies the image's Pixel
   * Spacing) is kept as the image's spacing, which Lightbox's isotropic
   * calibration cannot express. */
  if (ps->pixel_spacing[0] > 0 && ps->pixel_spacing[1] > 0 &&
      fabs (ps->pixel_spacing[0] - ps->pixel_spacing[1]) <= 1e-9 * ps->pixel_spacing[0])
    lb_annotation_set_set_calibration (set, ps->pixel_spacing[0], NULL);
  else if (ps->pixel_spacing[0] > 0 && ps->pixel_spacing[1] > 0)
    image_spacing = ps->pixel_spacing;

  view.has_area = ps->has_displayed_area;
  memcpy (view.tlhc, ps->tlhc, sizeof view.tlhc);
  memcpy (view.brhc, ps->brhc, sizeof view.brhc);
  view.size_mode = ps->size_mode == LB_PR_SIZE_MAGNIFY ? LB_DISPLAY_MAGNIFY
                 : ps->size_mode == LB_PR_SIZE_TRUE_SIZE ? LB_DISPLAY_TRUE_SIZE : LB_DISPLAY_SCALE_TO_FIT;
  view.magnification = ps->magnification > 0 ? ps->magnification : 1.0;
  view.rotation = ps->rotation;
  view.flip_h = ps->flip_h;
  view.has_window = ps->has_window;
  view.window_center = ps->window_center;
  view.window_width = ps->window_width;
  lb_annotation_set_set_view (set, &view);
  lb_annotation_set_set_image (set, NULL, ps->referenced_sop_instance_uid, NULL, ps->study_uid, 0, 0, image_spacing);
  lb_annotation_set_clear_history (set);
  return g_steal_pointer (&set);
}

/* ---- Convenience ---------------------------------------------------------- */

void
lb_annotation_set_set_image_from_dicom (LbAnnotationSet *set,
                                        LbDicomObject   *image)
{
  const LbDicomMeta *m;

  g_return_if_fail (LB_IS_ANNOTATION_SET (set));
  g_return_if_fail (image != NULL);

  m = lb_dicom_object_get_meta (image);
  lb_annotation_set_set_image (set, m->sop_class_uid, m->sop_instance_uid, m->series_uid, m->study_uid,
                               m->columns, m->rows, m->pixel_spacing);
}

GBytes *
lb_annotation_set_build_pr (LbAnnotationSet   *set,
                            LbDicomObject     *image,
                            const LbPrOptions *options,
                            char             **out_sop_instance_uid,
                            GError           **error)
{
  g_autoptr (LbPresentationState) ps = NULL;

  g_return_val_if_fail (LB_IS_ANNOTATION_SET (set), NULL);
  g_return_val_if_fail (image != NULL, NULL);

  ps = lb_annotation_set_to_presentation_state (set);
  return lb_dicom_pr_build (image, ps, options, out_sop_instance_uid, error);
}

LbAnnotationSet *
lb_annotation_set_new_from_pr (GBytes  *bytes,
                               GError **error)
{
  g_autoptr (LbPresentationState) ps = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  ps = lb_dicom_pr_parse (bytes, error);
  if (ps == NULL)
    return NULL;
  return lb_annotation_set_new_from_presentation_state (ps);
}

/* ---- View ---------------------------------------------------------------- */

/* LbViewTransform flips before it rotates; a presentation state rotates
 * first (C.10.6). Flipping reverses the sense of a rotation, so
 * R(r)·F = F·R(−r): with a flip, 90° and 270° swap. */
void
lb_annotation_view_from_transform (const LbViewTransform *t,
                                   LbAnnotationView      *view)
{
  double minx = G_MAXDOUBLE, miny = G_MAXDOUBLE, maxx = -G_MAXDOUBLE, maxy = -G_MAXDOUBLE;
  const double corners[4][2] = {
    { 0, 0 }, { t->viewport_width, 0 }, { 0, t->viewport_height }, { t->viewport_width, t->viewport_height },
  };
  int q = ((t->rotation % 4) + 4) % 4;
  int x0, y0, x1, y1;

  for (int i = 0; i < 4; i++)
    {
      double x, y;
      lb_view_transform_to_image (t, corners[i][0], corners[i][1], &x, &y);
      minx = MIN (minx, x);
      miny = MIN (miny, y);
      maxx = MAX (maxx, x);
      maxy = MAX (maxy, y);
    }
  view->rotation = (t->flip_h ? (4 - q) % 4 : q) * 90;
  view->flip_h = t->flip_h;
  /* Pixel c (0-based) covers [c, c + 1): its 1-based index is c + 1. */
  x0 = (int) floor (minx + 1e-9) + 1;
  y0 = (int) floor (miny + 1e-9) + 1;
  x1 = MAX ((int) ceil (maxx - 1e-9), x0);
  y1 = MAX ((int) ceil (maxy - 1e-9), y0);
  view->has_area = TRUE;
  lb_dicom_pr_area_corners (x0, y0, x1, y1, view->rotation, view->flip_h, view->tlhc, view->brhc);
  view->size_mode = LB_DISPLAY_SCALE_TO_FIT;
  view->magnification = t->zoom;
}

void
lb_annotation_view_apply_to_transform (const LbAnnotationView *view,
                                       LbViewTransform        *t)
{
  int q = ((view->rotation / 90) % 4 + 4) % 4;
  double w, h, sw, sh, x0, y0;

  t->rotation = view->flip_h ? (4 - q) % 4 : q;
  t->flip_h = view->flip_h;
  if (!view->has_area)
    {
      lb_view_transform_fit (t);
      return;
    }
  x0 = MIN (view->tlhc[0], view->brhc[0]);
  y0 = MIN (view->tlhc[1], view->brhc[1]);
  w = ABS (view->brhc[0] - view->tlhc[0]) + 1;
  h = ABS (view->brhc[1] - view->tlhc[1]) + 1;
  t->center_x = x0 - 1 + w / 2;
  t->center_y = y0 - 1 + h / 2;
  sw = t->rotation % 2 ? h : w;
  sh = t->rotation % 2 ? w : h;
  if (view->size_mode == LB_DISPLAY_MAGNIFY && view->magnification > 0)
    t->zoom = view->magnification;
  else
    t->zoom = MIN (t->viewport_width / sw, t->viewport_height / sh);
  t->zoom = CLAMP (t->zoom, LB_VIEW_ZOOM_MIN, LB_VIEW_ZOOM_MAX);
}
