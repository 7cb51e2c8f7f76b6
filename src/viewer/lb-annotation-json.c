/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The annotation JSON format (docs/annotations.md) with json-glib. Input is
 * untrusted: size and nesting are checked before json-glib parses (its
 * parser recurses), and every value is type-checked with a clear error.
 */
#include "lb-config.h"

#include "lb-annotation-json.h"

#include <math.h>
#include <string.h>

static const char *const size_modes[] = { "SCALE TO FIT", "TRUE SIZE", "MAGNIFY" };

/* ---- Writing ------------------------------------------------------------ */

static void
add_point (JsonBuilder *b,
           double       x,
           double       y)
{
  json_builder_begin_array (b);
  json_builder_add_double_value (b, x);
  json_builder_add_double_value (b, y);
  json_builder_end_array (b);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value != NULL ? value : "");
}

JsonNode *
lb_annotation_set_to_json_node (LbAnnotationSet *set,
                                gboolean         measurements)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  const LbAnnotationView *view;
  double spacing[2];
  guint columns = 0, rows = 0;
  gboolean calibrated;

  g_return_val_if_fail (LB_IS_ANNOTATION_SET (set), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, LB_ANNOTATION_JSON_VERSION);

  json_builder_set_member_name (b, "image");
  json_builder_begin_object (b);
  add_string (b, "sop_instance_uid", lb_annotation_set_get_sop_instance_uid (set));
  add_string (b, "sop_class_uid", lb_annotation_set_get_sop_class_uid (set));
  add_string (b, "series_uid", lb_annotation_set_get_series_uid (set));
  add_string (b, "study_uid", lb_annotation_set_get_study_uid (set));
  lb_annotation_set_get_image_size (set, &columns, &rows);
  json_builder_set_member_name (b, "columns");
  json_builder_add_int_value (b, columns);
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, rows);
  lb_annotation_set_get_image_pixel_spacing (set, spacing);
  json_builder_set_member_name (b, "pixel_spacing");
  if (spacing[0] > 0 && spacing[1] > 0)
    add_point (b, spacing[0], spacing[1]);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "calibration");
  if (lb_annotation_set_get_calibration (set) > 0)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "mm_per_pixel");
      json_builder_add_double_value (b, lb_annotation_set_get_calibration (set));
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "layers");
  json_builder_begin_array (b);
  for (guint i = 0; i < lb_annotation_set_get_n_layers (set); i++)
    {
      const LbAnnotationLayer *l = lb_annotation_set_get_layer (set, i);
      g_autofree char *color = g_strdup_printf ("#%02x%02x%02x", l->rgb[0], l->rgb[1], l->rgb[2]);
      json_builder_begin_object (b);
      add_string (b, "name", l->name);
      add_string (b, "color", color);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  calibrated = lb_annotation_set_get_spacing (set, spacing);
  json_builder_set_member_name (b, "annotations");
  json_builder_begin_array (b);
  for (guint i = 0; i < lb_annotation_set_get_n_annotations (set); i++)
    {
      const LbAnnotation *a = lb_annotation_set_get_nth (set, i);
      json_builder_begin_object (b);
      add_string (b, "kind", lb_annotation_kind_to_string (a->kind));
      add_string (b, "label", a->label);
      add_string (b, "layer", a->layer);
      json_builder_set_member_name (b, "points");
      json_builder_begin_array (b);
      for (guint j = 0; j < a->n_points; j++)
        add_point (b, a->points[j].x, a->points[j].y);
      json_builder_end_array (b);
      if (a->kind == LB_ANNOTATION_FREEHAND)
        {
          json_builder_set_member_name (b, "closed");
          json_builder_add_boolean_value (b, a->closed);
        }
      if (a->kind == LB_ANNOTATION_TEXT)
        {
          add_string (b, "text", a->text);
          if (a->has_box)
            {
              json_builder_set_member_name (b, "box");
              json_builder_begin_array (b);
              add_point (b, a->box[0].x, a->box[0].y);
              add_point (b, a->box[1].x, a->box[1].y);
              json_builder_end_array (b);
            }
        }
      if (measurements)
        {
          LbMeasurement m;
          g_autofree char *text = NULL;
          lb_annotation_measure (a, calibrated ? spacing : NULL, &m);
          text = lb_measurement_format (&m);
          if (text != NULL)
            {
              json_builder_set_member_name (b, "measurement");
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "calibrated");
              json_builder_add_boolean_value (b, m.calibrated);
              if (m.has_length)
                {
                  json_builder_set_member_name (b, m.has_area ? "perimeter" : "length");
                  json_builder_add_double_value (b, m.length);
                }
              if (m.has_area)
                {
                  json_builder_set_member_name (b, "area");
                  json_builder_add_double_value (b, m.area);
                }
              add_string (b, "unit", m.calibrated ? "mm" : "px");
              add_string (b, "text", text);
              json_builder_end_object (b);
            }
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  view = lb_annotation_set_get_view (set);
  json_builder_set_member_name (b, "view");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "displayed_area");
  if (view->has_area)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "tlhc");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, view->tlhc[0]);
      json_builder_add_int_value (b, view->tlhc[1]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "brhc");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, view->brhc[0]);
      json_builder_add_int_value (b, view->brhc[1]);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  add_string (b, "size_mode", size_modes[view->size_mode]);
  json_builder_set_member_name (b, "magnification");
  json_builder_add_double_value (b, view->magnification);
  json_builder_set_member_name (b, "rotation");
  json_builder_add_int_value (b, view->rotation);
  json_builder_set_member_name (b, "flip_horizontal");
  json_builder_add_boolean_value (b, view->flip_h);
  json_builder_set_member_name (b, "window");
  if (view->has_window)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "center");
      json_builder_add_double_value (b, view->window_center);
      json_builder_set_member_name (b, "width");
      json_builder_add_double_value (b, view->window_width);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

char *
lb_annotation_set_to_json (LbAnnotationSet *set,
                           gboolean         measurements)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonGenerator) gen = json_generator_new ();

  g_return_val_if_fail (LB_IS_ANNOTATION_SET (set), NULL);

  root = lb_annotation_set_to_json_node (set, measurements);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

/* ---- Reading ------------------------------------------------------------ */

#define FAIL(...)                                                                \
  G_STMT_START {                                                                 \
    g_set_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_PARSE, __VA_ARGS__); \
    return FALSE;                                                                \
  } G_STMT_END

/* Counts bracket nesting outside strings, so json-glib's recursive parser
 * never sees a document nested deeper than we allow. */
static gboolean
check_depth (const char *json,
             gsize       length,
             GError    **error)
{
  int depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = json[i];
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > LB_ANNOTATION_JSON_MAX_DEPTH)
            FAIL ("The annotation JSON is nested deeper than %d levels", LB_ANNOTATION_JSON_MAX_DEPTH);
        }
      else if (c == ']' || c == '}')
        depth--;
    }
  return TRUE;
}

static gboolean
get_number (JsonNode   *node,
            double     *out)
{
  GType t;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  t = json_node_get_value_type (node);
  if (t != G_TYPE_INT64 && t != G_TYPE_DOUBLE)
    return FALSE;
  *out = json_node_get_double (node);
  return isfinite (*out);
}

static gboolean
get_point (JsonNode   *node,
           LbPoint    *p,
           const char *where,
           GError    **error)
{
  JsonArray *a;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (a = json_node_get_array (node)) != 2 ||
      !get_number (json_array_get_element (a, 0), &p->x) || !get_number (json_array_get_element (a, 1), &p->y))
    FAIL ("%s: expected a point [x, y] of two finite numbers", where);
  return TRUE;
}

/* A member that must be a string when present; @out NULL when absent. */
static gboolean
get_opt_string (JsonObject  *o,
                const char  *name,
                const char **out,
                const char  *where,
                GError     **error)
{
  JsonNode *n = json_object_get_member (o, name);

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    FAIL ("%s.%s: expected a string", where, name);
  *out = json_node_get_string (n);
  return TRUE;
}

static gboolean
get_object (JsonObject  *o,
            const char  *name,
            JsonObject **out,
            gboolean     required,
            GError     **error)
{
  JsonNode *n = json_object_get_member (o, name);

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    {
      if (required)
        FAIL ("“%s” is missing", name);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (n))
    FAIL ("%s: expected an object", name);
  *out = json_node_get_object (n);
  return TRUE;
}

static gboolean
parse_color (const char *s,
             guint8      rgb[3])
{
  if (s == NULL || strlen (s) != 7 || s[0] != '#')
    return FALSE;
  for (int i = 0; i < 3; i++)
    {
      int hi = g_ascii_xdigit_value (s[1 + 2 * i]), lo = g_ascii_xdigit_value (s[2 + 2 * i]);
      if (hi < 0 || lo < 0)
        return FALSE;
      rgb[i] = (guint8) (hi * 16 + lo);
    }
  return TRUE;
}

static gboolean
read_image (LbAnnotationSet *set,
            JsonObject      *root,
            GError         **error)
{
  JsonObject *img;
  const char *sop = NULL, *cls = NULL, *series = NULL, *study = NULL;
  double cols = 0, rows = 0, spacing[2] = { 0, 0 };
  JsonNode *n;

  if (!get_object (root, "image", &img, FALSE, error))
    return FALSE;
  if (img == NULL)
    return TRUE;
  if (!get_opt_string (img, "sop_instance_uid", &sop, "image", error) ||
      !get_opt_string (img, "sop_class_uid", &cls, "image", error) ||
      !get_opt_string (img, "series_uid", &series, "image", error) ||
      !get_opt_string (img, "study_uid", &study, "image", error))
    return FALSE;
  if ((n = json_object_get_member (img, "columns")) != NULL && !JSON_NODE_HOLDS_NULL (n) &&
      (!get_number (n, &cols) || cols < 0 || cols > G_MAXUINT16 || cols != floor (cols)))
    FAIL ("image.columns: expected a whole number 0..65535");
  if ((n = json_object_get_member (img, "rows")) != NULL && !JSON_NODE_HOLDS_NULL (n) &&
      (!get_number (n, &rows) || rows < 0 || rows > G_MAXUINT16 || rows != floor (rows)))
    FAIL ("image.rows: expected a whole number 0..65535");
  if ((n = json_object_get_member (img, "pixel_spacing")) != NULL && !JSON_NODE_HOLDS_NULL (n))
    {
      LbPoint p;
      if (!get_point (n, &p, "image.pixel_spacing", error))
        return FALSE;
      if (p.x <= 0 || p.y <= 0)
        FAIL ("image.pixel_spacing: expected two positive numbers (row, column mm)");
      spacing[0] = p.x;
      spacing[1] = p.y;
    }
  lb_annotation_set_set_image (set, cls, sop, series, study, (guint) cols, (guint) rows, spacing);
  return TRUE;
}

static gboolean
read_layers (LbAnnotationSet *set,
             JsonObject      *root,
             GError         **error)
{
  JsonNode *n = json_object_get_member (root, "layers");
  JsonArray *layers;

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (n))
    FAIL ("layers: expected an array");
  layers = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      JsonNode *ln = json_array_get_element (layers, i);
      g_autofree char *where = g_strdup_printf ("layers[%u]", i);
      const char *name = NULL, *color = NULL;
      guint8 rgb[3] = { 255, 220, 0 };
      JsonObject *lo;

      if (!JSON_NODE_HOLDS_OBJECT (ln))
        FAIL ("%s: expected an object", where);
      lo = json_node_get_object (ln);
      if (!get_opt_string (lo, "name", &name, where, error) || !get_opt_string (lo, "color", &color, where, error))
        return FALSE;
      if (name == NULL || name[0] == '\0')
        FAIL ("%s.name: a layer needs a name", where);
      if (color != NULL && !parse_color (color, rgb))
        FAIL ("%s.color: expected \"#rrggbb\", not “%s”", where, color);
      if (i > 0 && lb_annotation_set_find_layer (set, name) != NULL)
        FAIL ("%s.name: “%s” is already a layer", where, name);
      if (!lb_annotation_set_add_layer (set, name, rgb, error))
        return FALSE;
      /* The first layer replaces the new set's default one. */
      if (i == 0 && strcmp (name, "Annotations") != 0)
        lb_annotation_set_remove_layer (set, "Annotations", NULL);
    }
  return TRUE;
}

static gboolean
read_points (JsonNode    *n,
             GArray      *out,
             const char  *where,
             const char  *member,
             GError     **error)
{
  JsonArray *a;

  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    FAIL ("%s.%s: expected an array of points", where, member);
  a = json_node_get_array (n);
  if (json_array_get_length (a) > LB_ANNOTATION_JSON_MAX_POINTS)
    FAIL ("%s.%s: more than %d points", where, member, LB_ANNOTATION_JSON_MAX_POINTS);
  for (guint j = 0; j < json_array_get_length (a); j++)
    {
      g_autofree char *pw = g_strdup_printf ("%s.%s[%u]", where, member, j);
      LbPoint p;
      if (!get_point (json_array_get_element (a, j), &p, pw, error))
        return FALSE;
      g_array_append_val (out, p);
    }
  return TRUE;
}

static gboolean
read_annotations (LbAnnotationSet *set,
                  JsonObject      *root,
                  GError         **error)
{
  JsonNode *n = json_object_get_member (root, "annotations");
  JsonArray *list;

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (n))
    FAIL ("annotations: expected an array");
  list = json_node_get_array (n);
  if (json_array_get_length (list) > LB_ANNOTATION_JSON_MAX_ANNOTATIONS)
    FAIL ("annotations: more than %d annotations", LB_ANNOTATION_JSON_MAX_ANNOTATIONS);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *an = json_array_get_element (list, i);
      g_autofree char *where = g_strdup_printf ("annotations[%u]", i);
      g_autoptr (GArray) points = g_array_new (FALSE, FALSE, sizeof (LbPoint));
      g_autoptr (GArray) box = g_array_new (FALSE, FALSE, sizeof (LbPoint));
      g_autoptr (GError) local = NULL;
      const char *kind = NULL, *label = NULL, *layer = NULL, *text = NULL;
      LbAnnotation a = { 0 };
      JsonObject *ao;
      JsonNode *cn, *bn;

      if (!JSON_NODE_HOLDS_OBJECT (an))
        FAIL ("%s: expected an object", where);
      ao = json_node_get_object (an);
      if (!get_opt_string (ao, "kind", &kind, where, error) || !get_opt_string (ao, "label", &label, where, error) ||
          !get_opt_string (ao, "layer", &layer, where, error) || !get_opt_string (ao, "text", &text, where, error))
        return FALSE;
      if (!lb_annotation_kind_from_string (kind, &a.kind))
        FAIL ("%s.kind: “%s” is not one of point, arrow, line, polyline, polygon, circle, ellipse, freehand, text",
              where, kind != NULL ? kind : "");
      if (layer != NULL && lb_annotation_set_find_layer (set, layer) == NULL)
        FAIL ("%s.layer: no layer “%s” in “layers”", where, layer);
      if (!read_points (json_object_get_member (ao, "points"), points, where, "points", error))
        return FALSE;
      if ((cn = json_object_get_member (ao, "closed")) != NULL && !JSON_NODE_HOLDS_NULL (cn))
        {
          if (!JSON_NODE_HOLDS_VALUE (cn) || json_node_get_value_type (cn) != G_TYPE_BOOLEAN)
            FAIL ("%s.closed: expected true or false", where);
          a.closed = json_node_get_boolean (cn);
        }
      if ((bn = json_object_get_member (ao, "box")) != NULL && !JSON_NODE_HOLDS_NULL (bn))
        {
          if (!read_points (bn, box, where, "box", error))
            return FALSE;
          if (box->len != 2)
            FAIL ("%s.box: expected [[left, top], [right, bottom]]", where);
          a.has_box = TRUE;
          a.box[0] = g_array_index (box, LbPoint, 0);
          a.box[1] = g_array_index (box, LbPoint, 1);
        }
      a.label = (char *) label;
      a.layer = (char *) layer;
      a.text = (char *) text;
      a.points = (LbPoint *) points->data;
      a.n_points = points->len;
      if (lb_annotation_set_add_full (set, &a, &local) == 0)
        FAIL ("%s: %s", where, local->message);
    }
  return TRUE;
}

static gboolean
read_view (LbAnnotationSet *set,
           JsonObject      *root,
           GError         **error)
{
  LbAnnotationView view = { .size_mode = LB_DISPLAY_SCALE_TO_FIT, .magnification = 1 };
  JsonObject *vo, *area, *window;
  const char *mode = NULL;
  JsonNode *n;
  double d;

  if (!get_object (root, "view", &vo, FALSE, error))
    return FALSE;
  if (vo == NULL)
    return TRUE;
  if (!get_object (vo, "displayed_area", &area, FALSE, error))
    return FALSE;
  if (area != NULL)
    {
      LbPoint tl, br;
      if (!get_point (json_object_get_member (area, "tlhc"), &tl, "view.displayed_area.tlhc", error) ||
          !get_point (json_object_get_member (area, "brhc"), &br, "view.displayed_area.brhc", error))
        return FALSE;
      if (tl.x != floor (tl.x) || tl.y != floor (tl.y) || br.x != floor (br.x) || br.y != floor (br.y) ||
          fabs (tl.x) > 1e7 || fabs (tl.y) > 1e7 || fabs (br.x) > 1e7 || fabs (br.y) > 1e7)
        FAIL ("view.displayed_area: expected whole 1-based pixel indices");
      view.has_area = TRUE;
      view.tlhc[0] = (int) tl.x;
      view.tlhc[1] = (int) tl.y;
      view.brhc[0] = (int) br.x;
      view.brhc[1] = (int) br.y;
    }
  if (!get_opt_string (vo, "size_mode", &mode, "view", error))
    return FALSE;
  if (mode != NULL)
    {
      guint i;
      for (i = 0; i < G_N_ELEMENTS (size_modes) && strcmp (mode, size_modes[i]) != 0; i++)
        ;
      if (i == G_N_ELEMENTS (size_modes))
        FAIL ("view.size_mode: expected \"SCALE TO FIT\", \"TRUE SIZE\" or \"MAGNIFY\"");
      view.size_mode = (LbDisplaySizeMode) i;
    }
  if ((n = json_object_get_member (vo, "magnification")) != NULL && !JSON_NODE_HOLDS_NULL (n))
    {
      if (!get_number (n, &d) || d <= 0)
        FAIL ("view.magnification: expected a positive number");
      view.magnification = d;
    }
  if ((n = json_object_get_member (vo, "rotation")) != NULL && !JSON_NODE_HOLDS_NULL (n))
    {
      if (!get_number (n, &d) || (d != 0 && d != 90 && d != 180 && d != 270))
        FAIL ("view.rotation: expected 0, 90, 180 or 270");
      view.rotation = (int) d;
    }
  if ((n = json_object_get_member (vo, "flip_horizontal")) != NULL && !JSON_NODE_HOLDS_NULL (n))
    {
      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
        FAIL ("view.flip_horizontal: expected true or false");
      view.flip_h = json_node_get_boolean (n);
    }
  if (!get_object (vo, "window", &window, FALSE, error))
    return FALSE;
  if (window != NULL)
    {
      if (!get_number (json_object_get_member (window, "center"), &view.window_center) ||
          !get_number (json_object_get_member (window, "width"), &view.window_width) || view.window_width < 1)
        FAIL ("view.window: expected {\"center\": number, \"width\": number ≥ 1}");
      view.has_window = TRUE;
    }
  lb_annotation_set_set_view (set, &view);
  return TRUE;
}

LbAnnotationSet *
lb_annotation_set_new_from_json (const char *json,
                                 gssize      length,
                                 GError    **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (LbAnnotationSet) set = NULL;
  g_autoptr (GError) local = NULL;
  JsonNode *root, *vn, *cal;
  JsonObject *ro;
  double version = 0;
  gsize len;

  g_return_val_if_fail (json != NULL, NULL);

  len = length < 0 ? strlen (json) : (gsize) length;
  if (len > LB_ANNOTATION_JSON_MAX_BYTES)
    {
      g_set_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_PARSE,
                   "The annotation JSON is larger than %d MiB", LB_ANNOTATION_JSON_MAX_BYTES >> 20);
      return NULL;
    }
  if (!g_utf8_validate (json, len, NULL))
    {
      g_set_error_literal (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_PARSE, "The annotation JSON is not UTF-8");
      return NULL;
    }
  if (!check_depth (json, len, error))
    return NULL;
  if (!json_parser_load_from_data (parser, json, len, &local))
    {
      g_set_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_PARSE, "Not valid JSON: %s", local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_PARSE,
                           "The annotation JSON must be an object");
      return NULL;
    }
  ro = json_node_get_object (root);
  vn = json_object_get_member (ro, "version");
  if (!get_number (vn, &version))
    {
      g_set_error_literal (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_VERSION,
                           "The annotation JSON has no \"version\"");
      return NULL;
    }
  if (version != LB_ANNOTATION_JSON_VERSION)
    {
      g_set_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_VERSION,
                   "Annotation JSON version %g is not supported (this is version %d)", version,
                   LB_ANNOTATION_JSON_VERSION);
      return NULL;
    }

  set = lb_annotation_set_new ();
  if (!read_image (set, ro, error) || !read_layers (set, ro, error) || !read_annotations (set, ro, error) ||
      !read_view (set, ro, error))
    return NULL;
  cal = json_object_get_member (ro, "calibration");
  if (cal != NULL && !JSON_NODE_HOLDS_NULL (cal))
    {
      double mm = 0;
      if (!JSON_NODE_HOLDS_OBJECT (cal) ||
          !get_number (json_object_get_member (json_node_get_object (cal), "mm_per_pixel"), &mm) || mm <= 0 ||
          !lb_annotation_set_set_calibration (set, mm, NULL))
        {
          g_set_error_literal (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_PARSE,
                               "calibration: expected {\"mm_per_pixel\": a positive number} or null");
          return NULL;
        }
    }
  lb_annotation_set_clear_history (set);
  return g_steal_pointer (&set);
}
