/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The annotation model. Every edit saves the state before it on the undo
 * stack (a snapshot: annotations, layers, calibration). Snapshots keep undo
 * trivially correct for every kind of edit, and a bounded history keeps the
 * memory bounded.
 */
#include "lb-config.h"

#include "lb-annotation.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (lb-annotation-error-quark, lb_annotation_error)

typedef struct {
  GPtrArray *annotations;      /* LbAnnotation* */
  GArray    *layers;           /* LbAnnotationLayer */
  double     calibration;      /* mm per pixel, 0 none */
  guint      next_id;
} State;

struct _LbAnnotationSet
{
  GObject parent_instance;

  State           *state;
  GQueue           undo;       /* State*, newest at the head */
  GQueue           redo;
  guint            history_limit;

  char            *sop_class_uid;
  char            *sop_instance_uid;
  char            *series_uid;
  char            *study_uid;
  guint            columns;
  guint            rows;
  double           pixel_spacing[2];
  LbAnnotationView view;
};

G_DEFINE_FINAL_TYPE (LbAnnotationSet, lb_annotation_set, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const kind_names[LB_ANNOTATION_N_KINDS] = {
  "point", "arrow", "line", "polyline", "polygon", "circle", "ellipse", "freehand", "text",
};

const char *
lb_annotation_kind_to_string (LbAnnotationKind kind)
{
  g_return_val_if_fail ((guint) kind < LB_ANNOTATION_N_KINDS, NULL);
  return kind_names[kind];
}

gboolean
lb_annotation_kind_from_string (const char       *name,
                                LbAnnotationKind *kind)
{
  for (guint i = 0; name != NULL && i < LB_ANNOTATION_N_KINDS; i++)
    if (strcmp (name, kind_names[i]) == 0)
      {
        *kind = (LbAnnotationKind) i;
        return TRUE;
      }
  return FALSE;
}

/* ---- Annotations and states --------------------------------------------- */

static void
annotation_free (gpointer data)
{
  LbAnnotation *a = data;

  g_free (a->label);
  g_free (a->layer);
  g_free (a->points);
  g_free (a->text);
  g_free (a);
}

static LbAnnotation *
annotation_copy (const LbAnnotation *src)
{
  LbAnnotation *a = g_new0 (LbAnnotation, 1);

  *a = *src;
  a->label = g_strdup (src->label != NULL ? src->label : "");
  a->layer = g_strdup (src->layer);
  a->points = g_memdup2 (src->points, sizeof (LbPoint) * src->n_points);
  a->text = g_strdup (src->text != NULL ? src->text : "");
  return a;
}

static void
layer_clear (gpointer data)
{
  LbAnnotationLayer *l = data;

  g_free (l->name);
}

static State *
state_new (void)
{
  State *s = g_new0 (State, 1);

  s->annotations = g_ptr_array_new_with_free_func (annotation_free);
  s->layers = g_array_new (FALSE, TRUE, sizeof (LbAnnotationLayer));
  g_array_set_clear_func (s->layers, layer_clear);
  s->next_id = 1;
  return s;
}

static void
state_free (gpointer data)
{
  State *s = data;

  g_ptr_array_unref (s->annotations);
  g_array_unref (s->layers);
  g_free (s);
}

static State *
state_copy (const State *src)
{
  State *s = state_new ();

  for (guint i = 0; i < src->annotations->len; i++)
    g_ptr_array_add (s->annotations, annotation_copy (g_ptr_array_index (src->annotations, i)));
  for (guint i = 0; i < src->layers->len; i++)
    {
      LbAnnotationLayer l = g_array_index (src->layers, LbAnnotationLayer, i);
      l.name = g_strdup (l.name);
      g_array_append_val (s->layers, l);
    }
  s->calibration = src->calibration;
  s->next_id = src->next_id;
  return s;
}

/* ---- GObject ------------------------------------------------------------- */

static void
lb_annotation_set_finalize (GObject *object)
{
  LbAnnotationSet *self = LB_ANNOTATION_SET (object);

  g_queue_clear_full (&self->undo, state_free);
  g_queue_clear_full (&self->redo, state_free);
  g_clear_pointer (&self->state, state_free);
  g_free (self->sop_class_uid);
  g_free (self->sop_instance_uid);
  g_free (self->series_uid);
  g_free (self->study_uid);

  G_OBJECT_CLASS (lb_annotation_set_parent_class)->finalize (object);
}

static void
lb_annotation_set_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LbAnnotationSet *self = LB_ANNOTATION_SET (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, lb_annotation_set_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, lb_annotation_set_can_redo (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_annotation_set_class_init (LbAnnotationSetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lb_annotation_set_finalize;
  object_class->get_property = lb_annotation_set_get_property;

  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LbAnnotationSet::changed:
   * Emitted after every edit, undo and redo (not for view or image changes).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lb_annotation_set_init (LbAnnotationSet *self)
{
  static const guint8 yellow[3] = { 255, 220, 0 };
  LbAnnotationLayer l = { g_strdup ("Annotations"), { yellow[0], yellow[1], yellow[2] } };

  self->state = state_new ();
  g_array_append_val (self->state->layers, l);
  g_queue_init (&self->undo);
  g_queue_init (&self->redo);
  self->history_limit = LB_ANNOTATION_HISTORY_DEFAULT;
  self->view.size_mode = LB_DISPLAY_SCALE_TO_FIT;
  self->view.magnification = 1.0;
}

LbAnnotationSet *
lb_annotation_set_new (void)
{
  return g_object_new (LB_TYPE_ANNOTATION_SET, NULL);
}

LbAnnotationSet *
lb_annotation_set_copy (LbAnnotationSet *self)
{
  LbAnnotationSet *copy;

  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), NULL);

  copy = lb_annotation_set_new ();
  state_free (copy->state);
  copy->state = state_copy (self->state);
  lb_annotation_set_set_image (copy, self->sop_class_uid, self->sop_instance_uid, self->series_uid,
                               self->study_uid, self->columns, self->rows, self->pixel_spacing);
  copy->view = self->view;
  return copy;
}

/* ---- History ------------------------------------------------------------- */

static void
notify_history (LbAnnotationSet *self,
                gboolean         could_undo,
                gboolean         could_redo)
{
  if (could_undo != lb_annotation_set_can_undo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (could_redo != lb_annotation_set_can_redo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

/* Called before an edit changes self->state: the current state becomes an
 * undo step and the redo stack is dropped. */
static void
begin_edit (LbAnnotationSet *self)
{
  g_queue_push_head (&self->undo, state_copy (self->state));
  while (g_queue_get_length (&self->undo) > self->history_limit)
    state_free (g_queue_pop_tail (&self->undo));
  g_queue_clear_full (&self->redo, state_free);
}

static void
end_edit (LbAnnotationSet *self,
          gboolean         could_undo,
          gboolean         could_redo)
{
  notify_history (self, could_undo, could_redo);
  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
lb_annotation_set_can_undo (LbAnnotationSet *self)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);
  return !g_queue_is_empty (&self->undo);
}

gboolean
lb_annotation_set_can_redo (LbAnnotationSet *self)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);
  return !g_queue_is_empty (&self->redo);
}

static gboolean
swap_history (LbAnnotationSet *self,
              GQueue          *from,
              GQueue          *to)
{
  gboolean could_undo = lb_annotation_set_can_undo (self);
  gboolean could_redo = lb_annotation_set_can_redo (self);

  if (g_queue_is_empty (from))
    return FALSE;
  g_queue_push_head (to, self->state);
  self->state = g_queue_pop_head (from);
  end_edit (self, could_undo, could_redo);
  return TRUE;
}

gboolean
lb_annotation_set_undo (LbAnnotationSet *self)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);
  return swap_history (self, &self->undo, &self->redo);
}

gboolean
lb_annotation_set_redo (LbAnnotationSet *self)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);
  return swap_history (self, &self->redo, &self->undo);
}

void
lb_annotation_set_set_history_limit (LbAnnotationSet *self,
                                     guint            limit)
{
  gboolean could_undo, could_redo;

  g_return_if_fail (LB_IS_ANNOTATION_SET (self));
  could_undo = lb_annotation_set_can_undo (self);
  could_redo = lb_annotation_set_can_redo (self);
  self->history_limit = limit;
  while (g_queue_get_length (&self->undo) > limit)
    state_free (g_queue_pop_tail (&self->undo));
  while (g_queue_get_length (&self->redo) > limit)
    state_free (g_queue_pop_tail (&self->redo));
  notify_history (self, could_undo, could_redo);
}

void
lb_annotation_set_clear_history (LbAnnotationSet *self)
{
  gboolean could_undo, could_redo;

  g_return_if_fail (LB_IS_ANNOTATION_SET (self));
  could_undo = lb_annotation_set_can_undo (self);
  could_redo = lb_annotation_set_can_redo (self);
  g_queue_clear_full (&self->undo, state_free);
  g_queue_clear_full (&self->redo, state_free);
  notify_history (self, could_undo, could_redo);
}

/* ---- Image and view ------------------------------------------------------ */

void
lb_annotation_set_set_image (LbAnnotationSet *self,
                             const char      *sop_class_uid,
                             const char      *sop_instance_uid,
                             const char      *series_uid,
                             const char      *study_uid,
                             guint            columns,
                             guint            rows,
                             const double     pixel_spacing[2])
{
  g_return_if_fail (LB_IS_ANNOTATION_SET (self));

  g_free (self->sop_class_uid);
  self->sop_class_uid = g_strdup (sop_class_uid != NULL ? sop_class_uid : "");
  g_free (self->sop_instance_uid);
  self->sop_instance_uid = g_strdup (sop_instance_uid != NULL ? sop_instance_uid : "");
  g_free (self->series_uid);
  self->series_uid = g_strdup (series_uid != NULL ? series_uid : "");
  g_free (self->study_uid);
  self->study_uid = g_strdup (study_uid != NULL ? study_uid : "");
  self->columns = columns;
  self->rows = rows;
  self->pixel_spacing[0] = pixel_spacing != NULL ? pixel_spacing[0] : 0;
  self->pixel_spacing[1] = pixel_spacing != NULL ? pixel_spacing[1] : 0;
}

#define UID_GETTER(field)                                                   \
  const char *lb_annotation_set_get_##field (LbAnnotationSet *self)         \
  {                                                                         \
    g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), NULL);               \
    return self->field != NULL ? self->field : "";                          \
  }
UID_GETTER (sop_class_uid)
UID_GETTER (sop_instance_uid)
UID_GETTER (series_uid)
UID_GETTER (study_uid)
#undef UID_GETTER

void
lb_annotation_set_get_image_size (LbAnnotationSet *self,
                                  guint           *columns,
                                  guint           *rows)
{
  g_return_if_fail (LB_IS_ANNOTATION_SET (self));
  if (columns != NULL)
    *columns = self->columns;
  if (rows != NULL)
    *rows = self->rows;
}

void
lb_annotation_set_get_image_pixel_spacing (LbAnnotationSet *self,
                                           double           spacing[2])
{
  g_return_if_fail (LB_IS_ANNOTATION_SET (self));
  spacing[0] = self->pixel_spacing[0];
  spacing[1] = self->pixel_spacing[1];
}

const LbAnnotationView *
lb_annotation_set_get_view (LbAnnotationSet *self)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), NULL);
  return &self->view;
}

void
lb_annotation_set_set_view (LbAnnotationSet        *self,
                            const LbAnnotationView *view)
{
  g_return_if_fail (LB_IS_ANNOTATION_SET (self));
  g_return_if_fail (view != NULL);
  self->view = *view;
}

/* ---- Reading ------------------------------------------------------------- */

guint
lb_annotation_set_get_n_annotations (LbAnnotationSet *self)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), 0);
  return self->state->annotations->len;
}

const LbAnnotation *
lb_annotation_set_get_nth (LbAnnotationSet *self,
                           guint            n)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), NULL);
  g_return_val_if_fail (n < self->state->annotations->len, NULL);
  return g_ptr_array_index (self->state->annotations, n);
}

static LbAnnotation *
find (LbAnnotationSet *self,
      guint            id)
{
  for (guint i = 0; i < self->state->annotations->len; i++)
    {
      LbAnnotation *a = g_ptr_array_index (self->state->annotations, i);
      if (a->id == id)
        return a;
    }
  return NULL;
}

const LbAnnotation *
lb_annotation_set_lookup (LbAnnotationSet *self,
                          guint            id)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), NULL);
  return find (self, id);
}

guint
lb_annotation_set_get_n_layers (LbAnnotationSet *self)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), 0);
  return self->state->layers->len;
}

const LbAnnotationLayer *
lb_annotation_set_get_layer (LbAnnotationSet *self,
                             guint            n)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), NULL);
  g_return_val_if_fail (n < self->state->layers->len, NULL);
  return &g_array_index (self->state->layers, LbAnnotationLayer, n);
}

const LbAnnotationLayer *
lb_annotation_set_find_layer (LbAnnotationSet *self,
                              const char      *name)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), NULL);
  for (guint i = 0; name != NULL && i < self->state->layers->len; i++)
    {
      LbAnnotationLayer *l = &g_array_index (self->state->layers, LbAnnotationLayer, i);
      if (strcmp (l->name, name) == 0)
        return l;
    }
  return NULL;
}

/* ---- Validation ---------------------------------------------------------- */

static gboolean
points_finite (const LbPoint *p,
               guint          n)
{
  for (guint i = 0; i < n; i++)
    if (!isfinite (p[i].x) || !isfinite (p[i].y))
      return FALSE;
  return TRUE;
}

gboolean
lb_annotation_validate (const LbAnnotation *a,
                        GError            **error)
{
  guint min = 1, max = 1;

  g_return_val_if_fail (a != NULL, FALSE);

  switch (a->kind)
    {
    case LB_ANNOTATION_POINT: min = max = 1; break;
    case LB_ANNOTATION_ARROW:
    case LB_ANNOTATION_LINE:
    case LB_ANNOTATION_CIRCLE: min = max = 2; break;
    case LB_ANNOTATION_ELLIPSE: min = max = 4; break;
    case LB_ANNOTATION_POLYLINE:
    case LB_ANNOTATION_FREEHAND: min = 2; max = G_MAXUINT; break;
    case LB_ANNOTATION_POLYGON: min = 3; max = G_MAXUINT; break;
    case LB_ANNOTATION_TEXT: min = a->has_box ? 0 : 1; max = 1; break;
    default:
      g_set_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID,
                   "Unknown annotation kind %d", (int) a->kind);
      return FALSE;
    }
  if (a->n_points < min || a->n_points > max)
    {
      if (min == max)
        g_set_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID,
                     "A %s needs %u point%s, not %u", kind_names[a->kind], min, min == 1 ? "" : "s", a->n_points);
      else
        g_set_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID,
                     "A %s needs at least %u points, not %u", kind_names[a->kind], min, a->n_points);
      return FALSE;
    }
  if (!points_finite (a->points, a->n_points) || (a->has_box && !points_finite (a->box, 2)))
    {
      g_set_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID,
                   "A %s has a coordinate that is not a finite number", kind_names[a->kind]);
      return FALSE;
    }
  if (a->kind == LB_ANNOTATION_TEXT && (a->text == NULL || a->text[0] == '\0'))
    {
      g_set_error_literal (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID,
                           "A text annotation needs a text");
      return FALSE;
    }
  return TRUE;
}

/* ---- Edits --------------------------------------------------------------- */

gboolean
lb_annotation_set_add_layer (LbAnnotationSet *self,
                             const char      *name,
                             const guint8     rgb[3],
                             GError         **error)
{
  gboolean could_undo, could_redo;
  LbAnnotationLayer *existing;

  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);
  g_return_val_if_fail (rgb != NULL, FALSE);

  if (name == NULL || name[0] == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID,
                           "A layer needs a name");
      return FALSE;
    }
  could_undo = lb_annotation_set_can_undo (self);
  could_redo = lb_annotation_set_can_redo (self);
  begin_edit (self);
  existing = (LbAnnotationLayer *) lb_annotation_set_find_layer (self, name);
  if (existing != NULL)
    memcpy (existing->rgb, rgb, 3);
  else
    {
      LbAnnotationLayer l = { g_strdup (name), { rgb[0], rgb[1], rgb[2] } };
      g_array_append_val (self->state->layers, l);
    }
  end_edit (self, could_undo, could_redo);
  return TRUE;
}

gboolean
lb_annotation_set_remove_layer (LbAnnotationSet *self,
                                const char      *name,
                                GError         **error)
{
  gboolean could_undo, could_redo;

  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);

  for (guint i = 0; i < self->state->layers->len; i++)
    {
      LbAnnotationLayer *l = &g_array_index (self->state->layers, LbAnnotationLayer, i);
      if (g_strcmp0 (l->name, name) != 0)
        continue;
      if (self->state->layers->len == 1)
        break;
      for (guint j = 0; j < self->state->annotations->len; j++)
        if (strcmp (((LbAnnotation *) g_ptr_array_index (self->state->annotations, j))->layer, name) == 0)
          {
            g_set_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID,
                         "The layer “%s” still has annotations", name);
            return FALSE;
          }
      could_undo = lb_annotation_set_can_undo (self);
      could_redo = lb_annotation_set_can_redo (self);
      begin_edit (self);
      g_array_remove_index (self->state->layers, i);
      end_edit (self, could_undo, could_redo);
      return TRUE;
    }
  g_set_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID,
               "No removable layer “%s”", name != NULL ? name : "");
  return FALSE;
}

guint
lb_annotation_set_add_full (LbAnnotationSet    *self,
                            const LbAnnotation *annotation,
                            GError            **error)
{
  gboolean could_undo, could_redo;
  LbAnnotation *a;

  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), 0);
  g_return_val_if_fail (annotation != NULL, 0);

  if (!lb_annotation_validate (annotation, error))
    return 0;
  if (annotation->layer != NULL && lb_annotation_set_find_layer (self, annotation->layer) == NULL)
    {
      g_set_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID,
                   "No layer “%s”", annotation->layer);
      return 0;
    }
  if ((annotation->label != NULL && !g_utf8_validate (annotation->label, -1, NULL)) ||
      (annotation->text != NULL && !g_utf8_validate (annotation->text, -1, NULL)))
    {
      g_set_error_literal (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID,
                           "Labels and texts must be UTF-8");
      return 0;
    }

  could_undo = lb_annotation_set_can_undo (self);
  could_redo = lb_annotation_set_can_redo (self);
  begin_edit (self);
  a = annotation_copy (annotation);
  if (a->layer == NULL)
    a->layer = g_strdup (g_array_index (self->state->layers, LbAnnotationLayer, 0).name);
  if (a->kind != LB_ANNOTATION_FREEHAND)
    a->closed = a->kind == LB_ANNOTATION_POLYGON || a->kind == LB_ANNOTATION_CIRCLE ||
                a->kind == LB_ANNOTATION_ELLIPSE;
  if (a->kind != LB_ANNOTATION_TEXT)
    a->has_box = FALSE;
  a->id = self->state->next_id++;
  g_ptr_array_add (self->state->annotations, a);
  end_edit (self, could_undo, could_redo);
  return a->id;
}

guint
lb_annotation_set_add (LbAnnotationSet  *self,
                       LbAnnotationKind  kind,
                       const LbPoint    *points,
                       guint             n_points,
                       const char       *label,
                       const char       *layer,
                       const char       *text,
                       gboolean          closed,
                       GError          **error)
{
  LbAnnotation a = {
    .kind = kind,
    .label = (char *) label,
    .layer = (char *) layer,
    .points = (LbPoint *) points,
    .n_points = n_points,
    .closed = closed,
    .text = (char *) text,
  };

  return lb_annotation_set_add_full (self, &a, error);
}

gboolean
lb_annotation_set_remove (LbAnnotationSet *self,
                          guint            id)
{
  gboolean could_undo, could_redo;

  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);

  if (find (self, id) == NULL)
    return FALSE;
  could_undo = lb_annotation_set_can_undo (self);
  could_redo = lb_annotation_set_can_redo (self);
  begin_edit (self);
  /* Look again: begin_edit() kept the old objects on the undo stack. */
  g_ptr_array_remove (self->state->annotations, find (self, id));
  end_edit (self, could_undo, could_redo);
  return TRUE;
}

gboolean
lb_annotation_set_move (LbAnnotationSet *self,
                        guint            id,
                        double           dx,
                        double           dy)
{
  gboolean could_undo, could_redo;
  LbAnnotation *a;

  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);

  if (find (self, id) == NULL || !isfinite (dx) || !isfinite (dy))
    return FALSE;
  could_undo = lb_annotation_set_can_undo (self);
  could_redo = lb_annotation_set_can_redo (self);
  begin_edit (self);
  a = find (self, id);
  for (guint i = 0; i < a->n_points; i++)
    {
      a->points[i].x += dx;
      a->points[i].y += dy;
    }
  if (a->has_box)
    for (guint i = 0; i < 2; i++)
      {
        a->box[i].x += dx;
        a->box[i].y += dy;
      }
  end_edit (self, could_undo, could_redo);
  return TRUE;
}

gboolean
lb_annotation_set_set_points (LbAnnotationSet *self,
                              guint            id,
                              const LbPoint   *points,
                              guint            n_points,
                              GError         **error)
{
  gboolean could_undo, could_redo;
  LbAnnotation *a, probe;

  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);

  a = find (self, id);
  if (a == NULL)
    {
      g_set_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID, "No annotation %u", id);
      return FALSE;
    }
  probe = *a;
  probe.points = (LbPoint *) points;
  probe.n_points = n_points;
  if (!lb_annotation_validate (&probe, error))
    return FALSE;
  could_undo = lb_annotation_set_can_undo (self);
  could_redo = lb_annotation_set_can_redo (self);
  begin_edit (self);
  a = find (self, id);
  g_free (a->points);
  a->points = g_memdup2 (points, sizeof (LbPoint) * n_points);
  a->n_points = n_points;
  end_edit (self, could_undo, could_redo);
  return TRUE;
}

static gboolean
set_string_field (LbAnnotationSet *self,
                  guint            id,
                  const char      *value,
                  gsize            offset)
{
  gboolean could_undo, could_redo;
  char **field;

  if (find (self, id) == NULL || (value != NULL && !g_utf8_validate (value, -1, NULL)))
    return FALSE;
  could_undo = lb_annotation_set_can_undo (self);
  could_redo = lb_annotation_set_can_redo (self);
  begin_edit (self);
  field = G_STRUCT_MEMBER_P (find (self, id), offset);
  g_free (*field);
  *field = g_strdup (value != NULL ? value : "");
  end_edit (self, could_undo, could_redo);
  return TRUE;
}

gboolean
lb_annotation_set_set_text (LbAnnotationSet *self,
                            guint            id,
                            const char      *text)
{
  const LbAnnotation *a;

  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);
  a = find (self, id);
  /* A text annotation without text would be invisible: refuse. */
  if (a != NULL && a->kind == LB_ANNOTATION_TEXT && (text == NULL || text[0] == '\0'))
    return FALSE;
  return set_string_field (self, id, text, G_STRUCT_OFFSET (LbAnnotation, text));
}

gboolean
lb_annotation_set_set_label (LbAnnotationSet *self,
                             guint            id,
                             const char      *label)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);
  return set_string_field (self, id, label, G_STRUCT_OFFSET (LbAnnotation, label));
}

gboolean
lb_annotation_set_set_layer (LbAnnotationSet *self,
                             guint            id,
                             const char      *layer,
                             GError         **error)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);
  if (lb_annotation_set_find_layer (self, layer) == NULL)
    {
      g_set_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID,
                   "No layer “%s”", layer != NULL ? layer : "");
      return FALSE;
    }
  if (!set_string_field (self, id, layer, G_STRUCT_OFFSET (LbAnnotation, layer)))
    {
      g_set_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID, "No annotation %u", id);
      return FALSE;
    }
  return TRUE;
}

/* ---- Calibration --------------------------------------------------------- */

gboolean
lb_annotation_set_set_calibration (LbAnnotationSet *self,
                                   double           mm_per_pixel,
                                   GError         **error)
{
  gboolean could_undo, could_redo;

  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);

  if (!isfinite (mm_per_pixel) || mm_per_pixel < 0 || (mm_per_pixel > 0 && mm_per_pixel < 1e-6))
    {
      g_set_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID,
                   "%g mm per pixel is not a usable calibration", mm_per_pixel);
      return FALSE;
    }
  could_undo = lb_annotation_set_can_undo (self);
  could_redo = lb_annotation_set_can_redo (self);
  begin_edit (self);
  self->state->calibration = mm_per_pixel;
  end_edit (self, could_undo, could_redo);
  return TRUE;
}

gboolean
lb_annotation_set_calibrate (LbAnnotationSet *self,
                             const LbPoint   *a,
                             const LbPoint   *b,
                             double           length_mm,
                             GError         **error)
{
  double length_px;

  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  length_px = hypot (b->x - a->x, b->y - a->y);
  if (!isfinite (length_px) || length_px < 1.0)
    {
      g_set_error_literal (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID,
                           "The calibration line must be at least one pixel long");
      return FALSE;
    }
  if (!isfinite (length_mm) || length_mm <= 0)
    {
      g_set_error_literal (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_INVALID,
                           "The reference length must be a positive number of millimetres");
      return FALSE;
    }
  return lb_annotation_set_set_calibration (self, length_mm / length_px, error);
}

double
lb_annotation_set_get_calibration (LbAnnotationSet *self)
{
  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), 0);
  return self->state->calibration;
}

gboolean
lb_annotation_set_get_spacing (LbAnnotationSet *self,
                               double           spacing[2])
{
  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);

  if (self->state->calibration > 0)
    {
      spacing[0] = spacing[1] = self->state->calibration;
      return TRUE;
    }
  if (self->pixel_spacing[0] > 0 && self->pixel_spacing[1] > 0)
    {
      spacing[0] = self->pixel_spacing[0];
      spacing[1] = self->pixel_spacing[1];
      return TRUE;
    }
  spacing[0] = spacing[1] = 0;
  return FALSE;
}

/* ---- Measurements -------------------------------------------------------- */

/* Distances scale per axis: x by the column spacing, y by the row spacing
 * (Pixel Spacing is row\column, PS3.3 10.7.1.3). */
static double
distance (const LbPoint *a,
          const LbPoint *b,
          double         sx,
          double         sy)
{
  return hypot ((b->x - a->x) * sx, (b->y - a->y) * sy);
}

static double
path_length (const LbPoint *p,
             guint          n,
             gboolean       closed,
             double         sx,
             double         sy)
{
  double sum = 0;

  for (guint i = 1; i < n; i++)
    sum += distance (&p[i - 1], &p[i], sx, sy);
  if (closed && n > 2)
    sum += distance (&p[n - 1], &p[0], sx, sy);
  return sum;
}

/* Shoelace formula; an area scales by sx·sy under any axis scaling. */
static double
shoelace (const LbPoint *p,
          guint          n)
{
  double twice = 0;

  for (guint i = 0; i < n; i++)
    {
      const LbPoint *a = &p[i], *b = &p[(i + 1) % n];
      twice += a->x * b->y - b->x * a->y;
    }
  return fabs (twice) / 2;
}

/* Ramanujan's second approximation of an ellipse's perimeter. */
static double
ellipse_perimeter (double a,
                   double b)
{
  double h = (a - b) * (a - b) / ((a + b) * (a + b));

  if (a + b <= 0)
    return 0;
  return G_PI * (a + b) * (1 + 3 * h / (10 + sqrt (4 - 3 * h)));
}

void
lb_annotation_measure (const LbAnnotation *a,
                       const double       *spacing,
                       LbMeasurement      *out)
{
  double sy = spacing != NULL ? spacing[0] : 1;
  double sx = spacing != NULL ? spacing[1] : 1;
  const LbPoint *p = a->points;

  memset (out, 0, sizeof *out);
  out->calibrated = spacing != NULL;

  switch (a->kind)
    {
    case LB_ANNOTATION_ARROW:
    case LB_ANNOTATION_LINE:
    case LB_ANNOTATION_POLYLINE:
      out->has_length = TRUE;
      out->length = path_length (p, a->n_points, FALSE, sx, sy);
      break;
    case LB_ANNOTATION_FREEHAND:
      out->has_length = TRUE;
      out->length = path_length (p, a->n_points, a->closed, sx, sy);
      if (a->closed && a->n_points > 2)
        {
          out->has_area = TRUE;
          out->area = shoelace (p, a->n_points) * sx * sy;
        }
      break;
    case LB_ANNOTATION_POLYGON:
      out->has_length = TRUE;
      out->length = path_length (p, a->n_points, TRUE, sx, sy);
      out->has_area = TRUE;
      out->area = shoelace (p, a->n_points) * sx * sy;
      break;
    case LB_ANNOTATION_CIRCLE:
      {
        double r = distance (&p[0], &p[1], 1, 1);
        out->has_length = out->has_area = TRUE;
        out->area = G_PI * r * r * sx * sy;
        out->length = ellipse_perimeter (r * sx, r * sy);
      }
      break;
    case LB_ANNOTATION_ELLIPSE:
      {
        double a2 = distance (&p[0], &p[1], 1, 1) / 2;
        double b2 = distance (&p[2], &p[3], 1, 1) / 2;
        out->has_area = TRUE;
        out->area = G_PI * a2 * b2 * sx * sy;
        /* The perimeter is exact only for square pixels (an axis-aligned
         * approximation otherwise). */
        out->has_length = TRUE;
        out->length = ellipse_perimeter (a2 * sqrt (sx * sy), b2 * sqrt (sx * sy));
      }
      break;
    case LB_ANNOTATION_POINT:
    case LB_ANNOTATION_TEXT:
    default:
      break;
    }
}

gboolean
lb_annotation_set_measure (LbAnnotationSet *self,
                           guint            id,
                           LbMeasurement   *out)
{
  const LbAnnotation *a;
  double spacing[2];
  gboolean calibrated;

  g_return_val_if_fail (LB_IS_ANNOTATION_SET (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  a = find (self, id);
  if (a == NULL)
    return FALSE;
  calibrated = lb_annotation_set_get_spacing (self, spacing);
  lb_annotation_measure (a, calibrated ? spacing : NULL, out);
  return out->has_length || out->has_area;
}

static char *
format_number (double v)
{
  /* Three significant digits at least, no exponent, C locale (the text goes
   * into DICOM objects, which are not localised). */
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (v >= 100)
    return g_strdup_printf ("%.0f", v);
  if (v >= 10)
    return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.1f", v));
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.2f", v));
}

char *
lb_measurement_format (const LbMeasurement *m)
{
  g_autofree char *number = NULL;

  g_return_val_if_fail (m != NULL, NULL);

  if (!m->has_area && !m->has_length)
    return NULL;
  number = format_number (m->has_area ? m->area : m->length);
  if (m->calibrated)
    return g_strdup_printf ("%s %s", number, m->has_area ? "mm²" : "mm");
  return g_strdup_printf ("%s %s (not calibrated)", number, m->has_area ? "px²" : "px");
}

/* ---- Colour -------------------------------------------------------------- */

/* sRGB primaries adapted to D50 with Bradford, as in the ICC sRGB profile. */
static const double srgb_to_xyz[3][3] = {
  { 0.4360747, 0.3850649, 0.1430804 },
  { 0.2225045, 0.7168786, 0.0606169 },
  { 0.0139322, 0.0971045, 0.7141733 },
};
static const double xyz_to_srgb[3][3] = {
  { 3.1338561, -1.6168667, -0.4906146 },
  { -0.9787684, 1.9161415, 0.0334540 },
  { 0.0719453, -0.2289914, 1.4052427 },
};
static const double d50[3] = { 0.9642, 1.0, 0.8249 };

static double
srgb_decode (double v)
{
  return v <= 0.04045 ? v / 12.92 : pow ((v + 0.055) / 1.055, 2.4);
}

static double
srgb_encode (double v)
{
  return v <= 0.0031308 ? v * 12.92 : 1.055 * pow (v, 1 / 2.4) - 0.055;
}

static double
lab_f (double t)
{
  const double e = 216.0 / 24389.0, k = 24389.0 / 27.0;
  return t > e ? cbrt (t) : (k * t + 16) / 116;
}

static double
lab_finv (double f)
{
  const double e = 216.0 / 24389.0, k = 24389.0 / 27.0;
  double t = f * f * f;
  return t > e ? t : (116 * f - 16) / k;
}

void
lb_color_srgb_to_cielab (const guint8 rgb[3],
                         guint16      lab[3])
{
  double lin[3], xyz[3], f[3], L, A, B;

  for (int i = 0; i < 3; i++)
    lin[i] = srgb_decode (rgb[i] / 255.0);
  for (int i = 0; i < 3; i++)
    {
      xyz[i] = srgb_to_xyz[i][0] * lin[0] + srgb_to_xyz[i][1] * lin[1] + srgb_to_xyz[i][2] * lin[2];
      f[i] = lab_f (xyz[i] / d50[i]);
    }
  L = 116 * f[1] - 16;
  A = 500 * (f[0] - f[1]);
  B = 200 * (f[1] - f[2]);
  /* PS3.3 C.10.7.1.1: L* 0..100 → 0..0xFFFF, a* and b* −128..127 → 0..0xFFFF. */
  lab[0] = (guint16) CLAMP (lround (L * 65535.0 / 100.0), 0, 65535);
  lab[1] = (guint16) CLAMP (lround ((A + 128) * 65535.0 / 255.0), 0, 65535);
  lab[2] = (guint16) CLAMP (lround ((B + 128) * 65535.0 / 255.0), 0, 65535);
}

void
lb_color_cielab_to_srgb (const guint16 lab[3],
                         guint8        rgb[3])
{
  double L = lab[0] * 100.0 / 65535.0;
  double A = lab[1] * 255.0 / 65535.0 - 128;
  double B = lab[2] * 255.0 / 65535.0 - 128;
  double fy = (L + 16) / 116, fx = fy + A / 500, fz = fy - B / 200;
  double xyz[3] = { lab_finv (fx) * d50[0], lab_finv (fy) * d50[1], lab_finv (fz) * d50[2] };

  for (int i = 0; i < 3; i++)
    {
      double lin = xyz_to_srgb[i][0] * xyz[0] + xyz_to_srgb[i][1] * xyz[1] + xyz_to_srgb[i][2] * xyz[2];
      rgb[i] = (guint8) CLAMP (lround (srgb_encode (CLAMP (lin, 0, 1)) * 255), 0, 255);
    }
}
