/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-viewport.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "lb-banner.h"

/* Decoded cine frames kept around, so a loop plays from memory. */
#define CACHE_MAX_BYTES    ((gsize) 256 * 1024 * 1024)
#define DEFAULT_FRAME_MS   (1000.0 / 25)
#define ZOOM_STEP          1.25

enum {
  DRAG_NONE,
  DRAG_PAN,
  DRAG_WINDOW,
  DRAG_ANNOTATE,
};

struct _LbViewport
{
  GtkWidget          parent_instance;

  LbFrameSource     *source;
  const LbDicomMeta *meta;
  GCancellable      *cancellable;
  guint              frame;
  guint              n_frames;
  GHashTable        *frames;          /* frame → LbPyramid at full resolution */
  GHashTable        *pending;         /* frames being decoded */
  LbPyramid         *preview;         /* scaled preview of ->frame until it lands */
  char              *error_message;

  LbPipelineParams   params;
  gboolean           params_ready;
  double             value_lo;        /* modality range of the frame, for W/L drags */
  double             value_hi;
  LbLut             *lut;
  LbPixelFormat      lut_format;
  int                lut_lo;
  int                lut_hi;
  gboolean           lut_monochrome1;

  LbViewTransform    view;
  gboolean           fitted;
  GdkTexture        *texture;
  gboolean           texture_dirty;

  gboolean           overlay_visible;
  gboolean           patient_generated;
  LbViewportTool     tool;
  gboolean           playing;
  guint              tick_id;
  gint64             last_advance_us;

  double             pointer_x;
  double             pointer_y;
  gboolean           pointer_inside;
  int                drag_mode;
  double             drag_x;
  double             drag_y;
  gboolean           space_held;
  gboolean           space_dragged;
  double             gesture_zoom;

  LbAnnotationOverlay *annotations;
  gint64             last_press_us;
  double             last_press_x;
  double             last_press_y;
  int                n_press;
};

G_DEFINE_FINAL_TYPE (LbViewport, lb_viewport, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_ZOOM,
  PROP_CENTER_X,
  PROP_CENTER_Y,
  PROP_ROTATION,
  PROP_FLIP_HORIZONTAL,
  PROP_WINDOW_CENTER,
  PROP_WINDOW_WIDTH,
  PROP_INVERT,
  PROP_FRAME,
  PROP_N_FRAMES,
  PROP_PLAYING,
  PROP_OVERLAY_VISIBLE,
  PROP_TOOL,
  PROP_PATIENT_GENERATED,
  PROP_FULL_RESOLUTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  LbFrameSource *source;
  guint          frame;
  guint          scale_denom;
} DecodeData;

static void
decode_data_free (DecodeData *d)
{
  g_clear_object (&d->source);
  g_free (d);
}

/* ---- what is shown ---------------------------------------------------- */

static LbPyramid *
current_pyramid (LbViewport *self)
{
  LbPyramid *p = g_hash_table_lookup (self->frames, GUINT_TO_POINTER (self->frame));

  return p != NULL ? p : self->preview;
}

static void
invalidate (LbViewport *self)
{
  self->texture_dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
invalidate_lut (LbViewport *self)
{
  g_clear_pointer (&self->lut, lb_lut_free);
  invalidate (self);
}

/* The combined table is rebuilt only when the window changes or a frame
 * brings values outside the range it covers (cine frames usually don't). */
static const LbLut *
ensure_lut (LbViewport          *self,
            const LbPixelBuffer *frame)
{
  if (self->lut != NULL &&
      (self->lut_format != frame->format || self->lut_monochrome1 != frame->monochrome1 ||
       (frame->min_value < frame->max_value &&
        (frame->min_value < self->lut_lo || frame->max_value > self->lut_hi))))
    g_clear_pointer (&self->lut, lb_lut_free);
  if (self->lut == NULL)
    {
      self->lut = lb_lut_new (&self->params, frame);
      self->lut_format = frame->format;
      self->lut_monochrome1 = frame->monochrome1;
      self->lut_lo = frame->min_value < frame->max_value ? frame->min_value : G_MININT;
      self->lut_hi = frame->min_value < frame->max_value ? frame->max_value : G_MAXINT;
    }
  return self->lut;
}

static void
notify_view (LbViewport            *self,
             const LbViewTransform *old)
{
  if (old->zoom != self->view.zoom)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  if (old->center_x != self->view.center_x)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTER_X]);
  if (old->center_y != self->view.center_y)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTER_Y]);
  if (old->rotation != self->view.rotation)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROTATION]);
  if (old->flip_h != self->view.flip_h)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLIP_HORIZONTAL]);
  invalidate (self);
}

static void
frame_arrived (LbViewport *self,
               LbPyramid  *pyramid)
{
  const LbPixelBuffer *base = pyramid->levels[0];

  /* The object's window (or the value range) needs a frame to know the
   * values present; the first one that lands decides. */
  if (!self->params_ready)
    {
      double c = self->params.window_center, w = self->params.window_width;
      gboolean inv = self->params.invert;

      lb_pipeline_params_init_from_meta (&self->params, self->meta, base);
      self->params.invert = inv;
      self->params_ready = TRUE;
      if (c != self->params.window_center)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_CENTER]);
      if (w != self->params.window_width)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_WIDTH]);
      lb_pipeline_value_range (&self->params, base, &self->value_lo, &self->value_hi);
      g_clear_pointer (&self->lut, lb_lut_free);
    }
  invalidate (self);
}

/* ---- decoding in worker threads ---------------------------------------- */

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DecodeData *d = task_data;
  GDestroyNotify free_func = NULL;
  GError *error = NULL;
  LbPixelBuffer *buffer;

  buffer = lb_frame_source_decode (d->source, d->frame, d->scale_denom, &free_func, &error);
  if (buffer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_cancellable_is_cancelled (cancellable))
    {
      if (free_func != NULL)
        free_func (buffer);
      g_task_return_error_if_cancelled (task);
      return;
    }
  /* A preview is shown once and replaced: no reductions for it. */
  g_task_return_pointer (task,
                         d->scale_denom > 1 ? lb_pyramid_new_single (buffer, free_func)
                                            : lb_pyramid_new (buffer, free_func),
                         (GDestroyNotify) lb_pyramid_free);
}

static gsize
pyramid_bytes (const LbPyramid *p)
{
  gsize total = 0;

  for (guint i = 0; i < p->n_levels; i++)
    total += p->levels[i]->stride * p->levels[i]->height;
  return total;
}

static void
trim_cache (LbViewport *self)
{
  gsize total = 0;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->frames);
  while (g_hash_table_iter_next (&iter, &key, &value))
    total += pyramid_bytes (value);
  /* Evict the frames farthest ahead of the playhead first. */
  while (total > CACHE_MAX_BYTES && g_hash_table_size (self->frames) > 1)
    {
      guint worst = self->frame, worst_dist = 0;

      g_hash_table_iter_init (&iter, self->frames);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          guint f = GPOINTER_TO_UINT (key);
          guint dist = (f + self->n_frames - self->frame) % MAX (self->n_frames, 1);

          if (dist > worst_dist)
            {
              worst = f;
              worst_dist = dist;
            }
        }
      if (worst_dist == 0)
        break;
      total -= pyramid_bytes (g_hash_table_lookup (self->frames, GUINT_TO_POINTER (worst)));
      g_hash_table_remove (self->frames, GUINT_TO_POINTER (worst));
    }
}

static void request_frame (LbViewport *self,
                           guint       frame,
                           guint       scale_denom);

static void
decode_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  LbViewport *self = LB_VIEWPORT (object);
  DecodeData *d = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (LbPyramid) pyramid = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || d->source != self->source)
    return;
  g_hash_table_remove (self->pending, GUINT_TO_POINTER (d->frame));

  if (d->scale_denom > 1)
    {
      /* A failed preview is not shown: the full decode says what is wrong. */
      if (pyramid != NULL && d->frame == self->frame &&
          !g_hash_table_contains (self->frames, GUINT_TO_POINTER (d->frame)))
        {
          g_clear_pointer (&self->preview, lb_pyramid_free);
          self->preview = g_steal_pointer (&pyramid);
          frame_arrived (self, self->preview);
        }
      /* Only now the full decode: see load_current_frame(). */
      request_frame (self, d->frame, 1);
      return;
    }

  if (pyramid == NULL)
    {
      /* Shown in the viewport; no PHI in the log (DESIGN.md). */
      g_debug ("Frame %u could not be decoded: %s", d->frame, error->message);
      g_free (self->error_message);
      self->error_message = g_strdup_printf (_("This image cannot be shown: %s"), error->message);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  g_hash_table_replace (self->frames, GUINT_TO_POINTER (d->frame), pyramid);
  if (d->frame == self->frame)
    {
      g_clear_pointer (&self->preview, lb_pyramid_free);
      frame_arrived (self, pyramid);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FULL_RESOLUTION]);
    }
  g_steal_pointer (&pyramid);
  trim_cache (self);
}

static void
request_frame (LbViewport *self,
               guint       frame,
               guint       scale_denom)
{
  g_autoptr (GTask) task = NULL;
  DecodeData *d;

  /* A frame is pending from its first request until its full-resolution
   * decode lands, the preview included. */
  if (g_hash_table_contains (self->frames, GUINT_TO_POINTER (frame)) ||
      g_hash_table_contains (self->pending, GUINT_TO_POINTER (frame)))
    return;
  g_hash_table_add (self->pending, GUINT_TO_POINTER (frame));
  d = g_new0 (DecodeData, 1);
  d->source = g_object_ref (self->source);
  d->frame = frame;
  d->scale_denom = scale_denom;
  task = g_task_new (self, self->cancellable, decode_done_cb, NULL);
  g_task_set_source_tag (task, request_frame);
  g_task_set_task_data (task, d, (GDestroyNotify) decode_data_free);
  g_task_run_in_thread (task, decode_thread);
}

static void
load_current_frame (LbViewport *self)
{
  guint denom = lb_pyramid_preview_denom (self->meta->columns, self->meta->rows);

  if (g_hash_table_contains (self->frames, GUINT_TO_POINTER (self->frame)))
    return;
  /* A big still image gets a quick scaled decode first, and the full
   * decode starts only when that has landed: run side by side on a busy
   * two-core machine, the full decode doubled the time to first pixels of
   * a 12 MP photo (lightbox-cli bench render), and this order is the one
   * the user sees anyway. */
  if (self->n_frames == 1 && denom > 1)
    request_frame (self, self->frame, denom);
  else
    request_frame (self, self->frame, 1);
}

/* ---- public API ------------------------------------------------------ */

GtkWidget *
lb_viewport_new (void)
{
  return g_object_new (LB_TYPE_VIEWPORT, NULL);
}

static void
reset_view (LbViewport *self)
{
  LbViewTransform old = self->view;
  int w = self->view.viewport_width, h = self->view.viewport_height;

  lb_view_transform_init (&self->view,
                          self->meta ? (int) self->meta->columns : 1,
                          self->meta ? (int) self->meta->rows : 1, w, h);
  self->fitted = TRUE;
  notify_view (self, &old);
}

void
lb_viewport_set_source (LbViewport    *self,
                        LbFrameSource *source)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));
  g_return_if_fail (source == NULL || LB_IS_FRAME_SOURCE (source));

  if (self->source == source)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_hash_table_remove_all (self->frames);
  g_hash_table_remove_all (self->pending);
  g_clear_pointer (&self->preview, lb_pyramid_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_object (&self->texture);
  g_set_object (&self->source, source);
  self->meta = source ? lb_frame_source_get_meta (source) : NULL;
  lb_viewport_set_playing (self, FALSE);

  self->frame = 0;
  self->n_frames = self->meta ? MAX (self->meta->number_of_frames, 1) : 0;
  self->patient_generated = self->meta != NULL &&
    (self->meta->patient_generated || lb_banner_is_patient_generated (self->meta->modality, NULL));
  lb_pipeline_params_init (&self->params);
  if (self->meta != NULL)
    lb_pipeline_params_init_from_meta (&self->params, self->meta, NULL);
  self->params_ready = FALSE;
  g_clear_pointer (&self->lut, lb_lut_free);
  reset_view (self);

  /* The banner is part of the image's meaning: say it to assistive
   * technologies too. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->patient_generated ? lb_banner_text () : "",
                                  -1);
  if (self->meta != NULL)
    load_current_frame (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FRAMES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATIENT_GENERATED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FULL_RESOLUTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_CENTER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_WIDTH]);
  invalidate (self);
}

LbFrameSource *
lb_viewport_get_source (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), NULL);
  return self->source;
}

double
lb_viewport_get_zoom (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), 1.0);
  return self->view.zoom / gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

/* Zoom is in logical pixels per image pixel, so "1:1" means what the user
 * thinks it means whatever the monitor's scale. */
void
lb_viewport_set_zoom (LbViewport *self,
                      double      zoom)
{
  LbViewTransform old;

  g_return_if_fail (LB_IS_VIEWPORT (self));

  old = self->view;
  lb_view_transform_zoom_at (&self->view, zoom * gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                             self->view.viewport_width / 2.0, self->view.viewport_height / 2.0);
  self->fitted = FALSE;
  notify_view (self, &old);
}

void
lb_viewport_get_center (LbViewport *self,
                        double     *x,
                        double     *y)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));
  if (x)
    *x = self->view.center_x;
  if (y)
    *y = self->view.center_y;
}

void
lb_viewport_set_center (LbViewport *self,
                        double      x,
                        double      y)
{
  LbViewTransform old;

  g_return_if_fail (LB_IS_VIEWPORT (self));

  old = self->view;
  self->view.center_x = x;
  self->view.center_y = y;
  self->fitted = FALSE;
  notify_view (self, &old);
}

int
lb_viewport_get_rotation (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), 0);
  return self->view.rotation * 90;
}

void
lb_viewport_set_rotation (LbViewport *self,
                          int         degrees)
{
  LbViewTransform old;

  g_return_if_fail (LB_IS_VIEWPORT (self));
  g_return_if_fail (degrees % 90 == 0);

  old = self->view;
  self->view.rotation = ((degrees / 90) % 4 + 4) % 4;
  if (self->fitted)
    lb_view_transform_fit (&self->view);
  notify_view (self, &old);
}

gboolean
lb_viewport_get_flip_horizontal (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), FALSE);
  return self->view.flip_h;
}

void
lb_viewport_set_flip_horizontal (LbViewport *self,
                                 gboolean    flip)
{
  LbViewTransform old;

  g_return_if_fail (LB_IS_VIEWPORT (self));

  old = self->view;
  self->view.flip_h = !!flip;
  notify_view (self, &old);
}

void
lb_viewport_get_window (LbViewport *self,
                        double     *center,
                        double     *width)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));
  if (center)
    *center = self->params.window_center;
  if (width)
    *width = self->params.window_width;
}

void
lb_viewport_set_window (LbViewport *self,
                        double      center,
                        double      width)
{
  gboolean c_changed, w_changed;

  g_return_if_fail (LB_IS_VIEWPORT (self));

  /* Width 1 is the narrowest valid linear window (PS3.3 C.11.2.1.2.1). */
  width = MAX (width, 1.0);
  c_changed = center != self->params.window_center;
  w_changed = width != self->params.window_width;
  /* A window chosen by the user also ends the use of a VOI LUT. */
  if (!c_changed && !w_changed && !self->params.use_voi_lut)
    return;
  self->params.window_center = center;
  self->params.window_width = width;
  self->params.use_voi_lut = FALSE;
  self->params_ready = TRUE;
  invalidate_lut (self);
  if (c_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_CENTER]);
  if (w_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_WIDTH]);
}

gboolean
lb_viewport_get_invert (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), FALSE);
  return self->params.invert;
}

void
lb_viewport_set_invert (LbViewport *self,
                        gboolean    invert)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  if (self->params.invert == !!invert)
    return;
  self->params.invert = !!invert;
  invalidate_lut (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVERT]);
}

guint
lb_viewport_get_frame (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), 0);
  return self->frame;
}

void
lb_viewport_set_frame (LbViewport *self,
                       guint       frame)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  if (self->n_frames == 0)
    return;
  frame = MIN (frame, self->n_frames - 1);
  if (frame == self->frame)
    return;
  self->frame = frame;
  g_clear_pointer (&self->preview, lb_pyramid_free);
  load_current_frame (self);
  /* Without the new frame yet, the last texture stays on screen. */
  if (current_pyramid (self) != NULL)
    invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FULL_RESOLUTION]);
}

guint
lb_viewport_get_n_frames (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), 0);
  return self->n_frames;
}

gboolean
lb_viewport_get_playing (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), FALSE);
  return self->playing;
}

static double
frame_time_ms (LbViewport *self)
{
  return (self->meta && self->meta->frame_time_ms > 0) ? self->meta->frame_time_ms : DEFAULT_FRAME_MS;
}

static gboolean
cine_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  LbViewport *self = LB_VIEWPORT (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  guint next = (self->frame + 1) % MAX (self->n_frames, 1);

  /* Keep the next two frames decoding ahead of the playhead. */
  request_frame (self, next, 1);
  request_frame (self, (next + 1) % self->n_frames, 1);
  if ((now - self->last_advance_us) / 1000.0 < frame_time_ms (self))
    return G_SOURCE_CONTINUE;
  /* A frame still decoding holds the clip rather than skipping it. */
  if (!g_hash_table_contains (self->frames, GUINT_TO_POINTER (next)))
    return G_SOURCE_CONTINUE;
  self->last_advance_us = now;
  lb_viewport_set_frame (self, next);
  return G_SOURCE_CONTINUE;
}

void
lb_viewport_set_playing (LbViewport *self,
                         gboolean    playing)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  playing = playing && self->n_frames > 1;
  if (self->playing == playing)
    return;
  self->playing = playing;
  if (playing)
    {
      self->last_advance_us = g_get_monotonic_time ();
      self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), cine_tick_cb, NULL, NULL);
    }
  else if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

gboolean
lb_viewport_get_overlay_visible (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), FALSE);
  return self->overlay_visible;
}

void
lb_viewport_set_overlay_visible (LbViewport *self,
                                 gboolean    visible)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  if (self->overlay_visible == !!visible)
    return;
  self->overlay_visible = !!visible;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVERLAY_VISIBLE]);
}

LbViewportTool
lb_viewport_get_tool (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), LB_VIEWPORT_TOOL_PAN);
  return self->tool;
}

void
lb_viewport_set_tool (LbViewport     *self,
                      LbViewportTool  tool)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  if (self->tool == tool)
    return;
  self->tool = tool;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

gboolean
lb_viewport_get_patient_generated (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), FALSE);
  return self->patient_generated;
}

gboolean
lb_viewport_get_full_resolution (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), FALSE);
  return g_hash_table_contains (self->frames, GUINT_TO_POINTER (self->frame));
}

GArray *
lb_viewport_get_presets (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), NULL);
  return lb_pipeline_list_presets (self->meta);
}

char *
lb_viewport_describe_pixel (LbViewport *self,
                            double      x,
                            double      y)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  LbPyramid *p = current_pyramid (self);
  const LbPixelBuffer *b;
  double ix, iy;
  guint px, py;
  const guint8 *pixel;

  g_return_val_if_fail (LB_IS_VIEWPORT (self), NULL);

  if (p == NULL)
    return NULL;
  lb_view_transform_to_image (&self->view, x * scale, y * scale, &ix, &iy);
  if (ix < 0 || iy < 0 || ix >= self->view.image_width || iy >= self->view.image_height)
    return NULL;
  b = p->levels[0];
  px = MIN ((guint) (ix / MAX (b->scale_denom, 1)), b->width - 1);
  py = MIN ((guint) (iy / MAX (b->scale_denom, 1)), b->height - 1);
  pixel = b->data + py * b->stride + px * lb_pixel_format_bpp (b->format);

  switch (b->format)
    {
    case LB_PIXEL_RGB8:
      return g_strdup_printf ("(%d, %d) R %u G %u B %u", (int) ix, (int) iy,
                              pixel[0], pixel[1], pixel[2]);
    case LB_PIXEL_GRAY8:
    case LB_PIXEL_GRAY16U:
    case LB_PIXEL_GRAY16S:
      {
        int stored = b->format == LB_PIXEL_GRAY8 ? pixel[0]
                   : b->format == LB_PIXEL_GRAY16U ? *(const guint16 *) pixel
                   : *(const gint16 *) pixel;
        double m = lb_pipeline_modality_value (&self->params, stored);
        const char *unit = self->meta->rescale_type && *self->meta->rescale_type
                         ? self->meta->rescale_type
                         : g_strcmp0 (self->meta->modality, "CT") == 0 ? "HU" : "";

        /* Rescale Type (0028,1054) names the unit; CT's default is HU
         * (PS3.3 C.11.1.1.2). */
        if (m == stored && *unit == '\0')
          return g_strdup_printf ("(%d, %d) %d", (int) ix, (int) iy, stored);
        return g_strdup_printf ("(%d, %d) %g %s", (int) ix, (int) iy, m, unit);
      }
    default:
      return NULL;
    }
}

/* ---- drawing ----------------------------------------------------------- */

static void
render_texture (LbViewport *self,
                LbPyramid  *pyramid)
{
  int w = self->view.viewport_width, h = self->view.viewport_height;
  gsize stride = (gsize) w * 4;
  guint8 *pixels = g_malloc (stride * h);
  g_autoptr (GBytes) bytes = NULL;

  lb_pipeline_render (pyramid, ensure_lut (self, pyramid->levels[0]), &self->view,
                      0, 0, w, h, pixels, stride);
  bytes = g_bytes_new_take (pixels, stride * h);
  g_clear_object (&self->texture);
  self->texture = gdk_memory_texture_new (w, h, GDK_MEMORY_DEFAULT, bytes, stride);
  self->texture_dirty = FALSE;
}

static void
append_text (LbViewport  *self,
             GtkSnapshot *snapshot,
             const char  *text,
             double       x,
             double       y,
             gboolean     right,
             gboolean     bottom)
{
  g_autoptr (PangoLayout) layout = NULL;
  static const GdkRGBA shadow = { 0, 0, 0, 0.8 }, fg = { 1, 1, 1, 0.95 };
  int lw, lh;

  if (text == NULL || *text == '\0')
    return;
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  if (right)
    pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
  pango_layout_get_pixel_size (layout, &lw, &lh);
  if (right)
    x -= lw;
  if (bottom)
    y -= lh;
  /* A one-pixel shadow keeps white text legible over white image areas. */
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + 1, y + 1));
  gtk_snapshot_append_layout (snapshot, layout, &shadow);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-1, -1));
  gtk_snapshot_append_layout (snapshot, layout, &fg);
  gtk_snapshot_restore (snapshot);
}

static char *
format_name (const char *pn)
{
  g_auto (GStrv) parts = NULL;

  if (pn == NULL || *pn == '\0')
    return g_strdup ("");
  /* PN "Family^Given^Middle^Prefix^Suffix" (PS3.5 6.2): "FAMILY, Given". */
  parts = g_strsplit (pn, "^", 3);
  if (parts[1] == NULL || *parts[1] == '\0')
    return g_strdup (parts[0]);
  return g_strdup_printf ("%s, %s", parts[0], parts[1]);
}

static char *
format_date (const char *da)
{
  if (da == NULL || strlen (da) != 8)
    return g_strdup (da ? da : "");
  return g_strdup_printf ("%.4s-%.2s-%.2s", da, da + 4, da + 6);
}

static void
append_overlay (LbViewport  *self,
                GtkSnapshot *snapshot,
                double       top,
                int          width,
                int          height)
{
  const LbDicomMeta *m = self->meta;
  const double pad = 8;
  g_autofree char *name = format_name (m->patient_name);
  g_autofree char *date = format_date (m->study_date);
  g_autofree char *tl = g_strdup_printf ("%s\n%s", name, m->patient_id);
  g_autofree char *tr = g_strdup_printf ("%s\n%s\n%s", date, m->study_description, m->series_description);
  g_autofree char *pixel = self->pointer_inside
    ? lb_viewport_describe_pixel (self, self->pointer_x, self->pointer_y) : NULL;
  g_autofree char *bl = NULL;
  g_autofree char *br = NULL;
  g_autofree char *frame = self->n_frames > 1
    ? g_strdup_printf (_("Frame %u / %u"), self->frame + 1, self->n_frames) : g_strdup ("");
  g_autofree char *wl = self->params.use_voi_lut
    ? g_strdup (_("VOI LUT"))
    : g_strdup_printf (_("W %g  L %g"), round (self->params.window_width * 10) / 10,
                       round (self->params.window_center * 10) / 10);

  bl = g_strdup_printf ("%s%s%s", frame, *frame && pixel ? "\n" : "", pixel ? pixel : "");
  br = g_strdup_printf ("%s%s\n%s %.0f %%", wl, self->params.invert ? _(" (inverted)") : "",
                        _("Zoom"), lb_viewport_get_zoom (self) * 100);
  append_text (self, snapshot, tl, pad, top + pad, FALSE, FALSE);
  append_text (self, snapshot, tr, width - pad, top + pad, TRUE, FALSE);
  append_text (self, snapshot, bl, pad, height - pad, FALSE, TRUE);
  append_text (self, snapshot, br, width - pad, height - pad, TRUE, TRUE);
}

static void
append_scale_bar (LbViewport  *self,
                  GtkSnapshot *snapshot,
                  int          width,
                  int          height)
{
  const LbDicomMeta *m = self->meta;
  /* On screen, horizontal runs along image rows (column spacing, the second
   * value of Pixel Spacing, PS3.3 10.7.1.3) unless turned a quarter. */
  guint axis = (self->view.rotation & 1) ? 0 : 1;
  double spacing = m->pixel_spacing[axis] > 0 ? m->pixel_spacing[axis] : m->imager_pixel_spacing[axis];
  double mm_per_px, target, nice, len;
  g_autofree char *label = NULL;
  static const GdkRGBA white = { 1, 1, 1, 0.95 }, black = { 0, 0, 0, 0.8 };
  double x, y;

  if (spacing <= 0)
    return;
  mm_per_px = spacing / lb_viewport_get_zoom (self);
  target = mm_per_px * MIN (120.0, width / 4.0);
  /* The largest 1, 2 or 5 × 10^k millimetres not longer than the target. */
  nice = pow (10, floor (log10 (target)));
  if (nice * 5 <= target)
    nice *= 5;
  else if (nice * 2 <= target)
    nice *= 2;
  len = nice / mm_per_px;
  x = (width - len) / 2;
  y = height - 16;
  gtk_snapshot_append_color (snapshot, &black, &GRAPHENE_RECT_INIT (x - 1, y - 1, len + 2, 4));
  gtk_snapshot_append_color (snapshot, &white, &GRAPHENE_RECT_INIT (x, y, len, 2));
  label = nice >= 10 ? g_strdup_printf ("%g cm", nice / 10) : g_strdup_printf ("%g mm", nice);
  append_text (self, snapshot, label, x + len / 2 - 12, y - 2, FALSE, TRUE);
}

static void
lb_viewport_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  LbViewport *self = LB_VIEWPORT (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  LbPyramid *pyramid = current_pyramid (self);
  static const GdkRGBA black = { 0, 0, 0, 1 };
  double top = 0;

  gtk_snapshot_append_color (snapshot, &black, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (pyramid != NULL && (self->texture_dirty || self->texture == NULL))
    render_texture (self, pyramid);
  /* The texture has one texel per device pixel, so it lands unscaled. */
  if (self->texture != NULL)
    gtk_snapshot_append_texture (snapshot, self->texture, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->annotations != NULL && self->meta != NULL)
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

      lb_annotation_overlay_draw (self->annotations, cr, &self->view,
                                  gtk_widget_get_scale_factor (widget));
      cairo_destroy (cr);
    }

  if (self->patient_generated)
    {
      /* Measured on a scratch surface, then drawn over the image: it stays
       * at the top whatever the zoom or pan, and no setting hides it. */
      cairo_surface_t *scratch = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
      cairo_t *cr = cairo_create (scratch);
      double font = 13;

      top = lb_banner_draw (cr, width, font, TRUE);
      cairo_destroy (cr);
      cairo_surface_destroy (scratch);
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, top));
      lb_banner_draw (cr, width, font, FALSE);
      cairo_destroy (cr);
    }

  if (self->error_message != NULL)
    append_text (self, snapshot, self->error_message, 8, height / 2.0, FALSE, FALSE);
  if (self->meta != NULL && self->overlay_visible)
    {
      append_overlay (self, snapshot, top, width, height);
      append_scale_bar (self, snapshot, width, height);
    }
}

static void
lb_viewport_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  LbViewport *self = LB_VIEWPORT (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  LbViewTransform old = self->view;

  self->view.viewport_width = MAX (width * scale, 1);
  self->view.viewport_height = MAX (height * scale, 1);
  if (self->fitted)
    lb_view_transform_fit (&self->view);
  if (old.viewport_width != self->view.viewport_width ||
      old.viewport_height != self->view.viewport_height)
    notify_view (self, &old);
}

static void
lb_viewport_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  *minimum = 64;
  *natural = 512;
}

/* ---- input ---------------------------------------------------------------- */

static void
zoom_at_pointer (LbViewport *self,
                 double      factor)
{
  LbViewTransform old = self->view;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double x = self->pointer_inside ? self->pointer_x * scale : self->view.viewport_width / 2.0;
  double y = self->pointer_inside ? self->pointer_y * scale : self->view.viewport_height / 2.0;

  lb_view_transform_zoom_at (&self->view, self->view.zoom * factor, x, y);
  self->fitted = FALSE;
  notify_view (self, &old);
}

static void
pan_by (LbViewport *self,
        double      dx,
        double      dy)
{
  LbViewTransform old = self->view;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  lb_view_transform_pan (&self->view, dx * scale, dy * scale);
  self->fitted = FALSE;
  notify_view (self, &old);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           LbViewport               *self)
{
  zoom_at_pointer (self, pow (ZOOM_STEP, -dy));
  return TRUE;
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           LbViewport               *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_inside = TRUE;
  if (self->annotations != NULL && self->meta != NULL)
    {
      int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
      double ix, iy;

      lb_view_transform_to_image (&self->view, x * scale, y * scale, &ix, &iy);
      lb_annotation_overlay_motion (self->annotations, ix, iy);
    }
  /* Only the overlay changes: the texture is reused. */
  if (self->overlay_visible)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
leave_cb (GtkEventControllerMotion *controller,
          LbViewport               *self)
{
  self->pointer_inside = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A primary press goes to the annotation tools first. Double clicks are
 * counted here: the drag gesture owns the button. */
static gboolean
annotate_press (LbViewport *self,
                double      x,
                double      y)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  gint64 now = g_get_monotonic_time ();
  int double_click_ms = 400, double_click_px = 5;
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));
  double ix, iy;

  if (self->annotations == NULL || self->meta == NULL)
    return FALSE;
  if (settings != NULL)
    g_object_get (settings, "gtk-double-click-time", &double_click_ms,
                  "gtk-double-click-distance", &double_click_px, NULL);
  if (now - self->last_press_us <= (gint64) double_click_ms * 1000 &&
      fabs (x - self->last_press_x) <= double_click_px && fabs (y - self->last_press_y) <= double_click_px)
    self->n_press++;
  else
    self->n_press = 1;
  self->last_press_us = now;
  self->last_press_x = x;
  self->last_press_y = y;
  lb_view_transform_to_image (&self->view, x * scale, y * scale, &ix, &iy);
  /* Six logical pixels of slack, whatever the zoom. */
  return lb_annotation_overlay_press (self->annotations, ix, iy, self->n_press,
                                      6.0 * scale / MAX (self->view.zoom, 1e-6));
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          ox,
             double          oy,
             LbViewport     *self)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double sx, sy, ix, iy;

  if (self->drag_mode != DRAG_ANNOTATE || self->annotations == NULL)
    return;
  self->drag_mode = DRAG_NONE;
  gtk_gesture_drag_get_start_point (gesture, &sx, &sy);
  lb_view_transform_to_image (&self->view, (sx + ox) * scale, (sy + oy) * scale, &ix, &iy);
  lb_annotation_overlay_release (self->annotations, ix, iy);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               LbViewport     *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  if (button == GDK_BUTTON_MIDDLE || (button == GDK_BUTTON_PRIMARY && self->space_held))
    self->drag_mode = DRAG_PAN;
  else if (button == GDK_BUTTON_SECONDARY)
    self->drag_mode = DRAG_WINDOW;
  else if (button == GDK_BUTTON_PRIMARY && annotate_press (self, x, y))
    self->drag_mode = DRAG_ANNOTATE;
  else if (button == GDK_BUTTON_PRIMARY)
    self->drag_mode = self->tool == LB_VIEWPORT_TOOL_WINDOW ? DRAG_WINDOW : DRAG_PAN;
  else
    self->drag_mode = DRAG_NONE;
  if (self->space_held)
    self->space_dragged = TRUE;
  self->drag_x = 0;
  self->drag_y = 0;
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          ox,
                double          oy,
                LbViewport     *self)
{
  double dx = ox - self->drag_x, dy = oy - self->drag_y;

  self->drag_x = ox;
  self->drag_y = oy;
  if (self->drag_mode == DRAG_ANNOTATE && self->annotations != NULL)
    {
      int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
      double sx, sy, ix, iy;

      gtk_gesture_drag_get_start_point (gesture, &sx, &sy);
      lb_view_transform_to_image (&self->view, (sx + ox) * scale, (sy + oy) * scale, &ix, &iy);
      lb_annotation_overlay_drag (self->annotations, ix, iy);
    }
  else if (self->drag_mode == DRAG_PAN)
    pan_by (self, dx, dy);
  else if (self->drag_mode == DRAG_WINDOW)
    {
      /* Sweeping the whole value range takes about 512 pixels of drag:
       * right widens, down raises the level (darker), as in most PACS. */
      double k = MAX ((self->value_hi - self->value_lo) / 512.0, 0.25);

      lb_viewport_set_window (self, self->params.window_center + dy * k,
                              self->params.window_width + dx * k);
    }
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               LbViewport       *self)
{
  self->gesture_zoom = self->view.zoom;
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       LbViewport     *self)
{
  LbViewTransform old = self->view;
  int s = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double cx, cy;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    return;
  lb_view_transform_zoom_at (&self->view, self->gesture_zoom * scale, cx * s, cy * s);
  self->fitted = FALSE;
  notify_view (self, &old);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                LbViewport            *self)
{
  if (self->annotations != NULL && (state & GDK_MODIFIER_MASK & ~GDK_LOCK_MASK) == 0)
    {
      /* Enter closes an outline being drawn, else edits the selection's
       * text or label. */
      if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) &&
          (lb_annotation_overlay_finish (self->annotations) ||
           lb_annotation_overlay_activate (self->annotations)))
        return TRUE;
      if (keyval == GDK_KEY_Escape && lb_annotation_overlay_cancel (self->annotations))
        return TRUE;
    }
  if (keyval != GDK_KEY_space || (state & GDK_MODIFIER_MASK & ~GDK_LOCK_MASK) != 0)
    return FALSE;
  /* Space is both "hold to pan" and "play/pause": decided on release. */
  if (!self->space_held)
    {
      self->space_held = TRUE;
      self->space_dragged = FALSE;
    }
  return TRUE;
}

static void
key_released_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 LbViewport            *self)
{
  if (keyval != GDK_KEY_space || !self->space_held)
    return;
  self->space_held = FALSE;
  if (!self->space_dragged)
    gtk_widget_activate_action (GTK_WIDGET (self), "viewer.play", NULL);
}

/* ---- actions ------------------------------------------------------------- */

static void
action_zoom_cb (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  LbViewport *self = LB_VIEWPORT (widget);
  LbViewTransform old = self->view;

  if (g_str_equal (name, "viewer.zoom-in"))
    zoom_at_pointer (self, ZOOM_STEP);
  else if (g_str_equal (name, "viewer.zoom-out"))
    zoom_at_pointer (self, 1 / ZOOM_STEP);
  else if (g_str_equal (name, "viewer.zoom-fit"))
    {
      lb_view_transform_fit (&self->view);
      self->fitted = TRUE;
      notify_view (self, &old);
    }
  else if (g_str_equal (name, "viewer.zoom-1to1"))
    lb_viewport_set_zoom (self, 1.0);
}

static void
action_pan_cb (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  LbViewport *self = LB_VIEWPORT (widget);
  double dx, dy;

  g_variant_get (param, "(dd)", &dx, &dy);
  /* With the select tool and a mark selected, the arrow keys move the mark
   * by one image pixel in the direction seen on screen (the pan moves the
   * image the other way), whatever the rotation and flip. */
  if (self->annotations != NULL && lb_annotation_overlay_get_tool (self->annotations) == LB_ANNOTATION_TOOL_SELECT &&
      lb_annotation_overlay_get_selected (self->annotations) != 0 && (dx != 0 || dy != 0))
    {
      double len = hypot (dx, dy), x0, y0, x1, y1, d;

      lb_view_transform_to_image (&self->view, 0, 0, &x0, &y0);
      lb_view_transform_to_image (&self->view, -dx / len, -dy / len, &x1, &y1);
      d = hypot (x1 - x0, y1 - y0);
      if (d > 0 && lb_annotation_overlay_nudge (self->annotations, (x1 - x0) / d, (y1 - y0) / d))
        return;
    }
  pan_by (self, dx, dy);
}

static void
action_window_cb (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  double c, w;

  g_variant_get (param, "(dd)", &c, &w);
  lb_viewport_set_window (LB_VIEWPORT (widget), c, w);
}

static void
action_preset_cb (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  LbViewport *self = LB_VIEWPORT (widget);
  g_autoptr (GArray) presets = lb_viewport_get_presets (self);
  int i = g_variant_get_int32 (param);
  const LbVoiPreset *p;

  if (i < 0 || (guint) i >= presets->len)
    return;
  p = &g_array_index (presets, LbVoiPreset, i);
  if (p->voi_lut)
    {
      self->params.use_voi_lut = TRUE;
      invalidate_lut (self);
    }
  else
    lb_viewport_set_window (self, p->center, p->width);
}

static void
action_auto_window_cb (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  LbViewport *self = LB_VIEWPORT (widget);
  LbPyramid *p = current_pyramid (self);
  const LbPixelBuffer *sample;
  double c, w;

  if (p == NULL)
    return;
  /* A reduced level has the same histogram shape for a fraction of the work. */
  sample = p->levels[MIN (p->n_levels - 1, 2u)];
  if (lb_pipeline_auto_window (&self->params, sample, 1, 99, &c, &w))
    lb_viewport_set_window (self, c, w);
}

static void
action_toggle_cb (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  LbViewport *self = LB_VIEWPORT (widget);

  if (g_str_equal (name, "viewer.invert"))
    lb_viewport_set_invert (self, !self->params.invert);
  else if (g_str_equal (name, "viewer.toggle-overlay"))
    lb_viewport_set_overlay_visible (self, !self->overlay_visible);
  else if (g_str_equal (name, "viewer.play"))
    lb_viewport_set_playing (self, !self->playing);
}

static void
action_orient_cb (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  LbViewport *self = LB_VIEWPORT (widget);
  LbViewTransform old = self->view;

  if (g_str_equal (name, "viewer.rotate-right"))
    lb_view_transform_rotate (&self->view, 1);
  else if (g_str_equal (name, "viewer.rotate-left"))
    lb_view_transform_rotate (&self->view, -1);
  else if (g_str_equal (name, "viewer.flip-horizontal"))
    lb_view_transform_flip (&self->view, TRUE);
  else if (g_str_equal (name, "viewer.flip-vertical"))
    lb_view_transform_flip (&self->view, FALSE);
  if (self->fitted)
    lb_view_transform_fit (&self->view);
  notify_view (self, &old);
}

static void
action_reset_cb (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  LbViewport *self = LB_VIEWPORT (widget);
  LbPyramid *p = current_pyramid (self);
  double c = self->params.window_center, w = self->params.window_width;

  reset_view (self);
  lb_viewport_set_invert (self, FALSE);
  if (self->meta != NULL)
    {
      lb_pipeline_params_init_from_meta (&self->params, self->meta, p ? p->levels[0] : NULL);
      invalidate_lut (self);
      if (c != self->params.window_center)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_CENTER]);
      if (w != self->params.window_width)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_WIDTH]);
    }
}

static void
action_frame_cb (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  LbViewport *self = LB_VIEWPORT (widget);

  if (self->n_frames == 0)
    return;
  if (g_str_equal (name, "viewer.next-frame"))
    lb_viewport_set_frame (self, (self->frame + 1) % self->n_frames);
  else
    lb_viewport_set_frame (self, (self->frame + self->n_frames - 1) % self->n_frames);
}

static void
action_tool_cb (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  const char *tool = g_variant_get_string (param, NULL);

  lb_viewport_set_tool (LB_VIEWPORT (widget),
                        g_str_equal (tool, "window") ? LB_VIEWPORT_TOOL_WINDOW : LB_VIEWPORT_TOOL_PAN);
}

/* ---- GObject ---------------------------------------------------------------- */

/**
 * lb_viewport_set_annotation_overlay:
 * @overlay: (nullable): the annotations to draw over the image and edit
 *   with the primary button; NULL for none
 */
void
lb_viewport_set_annotation_overlay (LbViewport          *self,
                                    LbAnnotationOverlay *overlay)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));
  g_return_if_fail (overlay == NULL || LB_IS_ANNOTATION_OVERLAY (overlay));

  if (self->annotations == overlay)
    return;
  if (self->annotations != NULL)
    g_signal_handlers_disconnect_by_data (self->annotations, self);
  g_set_object (&self->annotations, overlay);
  if (overlay != NULL)
    g_signal_connect_swapped (overlay, "redraw", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * lb_viewport_get_annotation_overlay:
 *
 * Returns: (transfer none) (nullable): the annotation overlay
 */
LbAnnotationOverlay *
lb_viewport_get_annotation_overlay (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), NULL);
  return self->annotations;
}

void
lb_viewport_get_view_transform (LbViewport      *self,
                                LbViewTransform *out)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));
  *out = self->view;
}

/* Takes zoom, centre, rotation and flip from @t (device pixels, as
 * lb_viewport_get_view_transform() gives them); the view stops fitting. */
void
lb_viewport_set_view_transform (LbViewport            *self,
                                const LbViewTransform *t)
{
  LbViewTransform old;

  g_return_if_fail (LB_IS_VIEWPORT (self));
  old = self->view;
  self->view.zoom = CLAMP (t->zoom, LB_VIEW_ZOOM_MIN, LB_VIEW_ZOOM_MAX);
  self->view.center_x = t->center_x;
  self->view.center_y = t->center_y;
  self->view.rotation = ((t->rotation % 4) + 4) % 4;
  self->view.flip_h = t->flip_h;
  self->fitted = FALSE;
  notify_view (self, &old);
}

static void
lb_viewport_dispose (GObject *object)
{
  LbViewport *self = LB_VIEWPORT (object);

  if (self->annotations != NULL)
    g_signal_handlers_disconnect_by_data (self->annotations, self);
  g_clear_object (&self->annotations);

  g_cancellable_cancel (self->cancellable);
  lb_viewport_set_playing (self, FALSE);
  g_clear_object (&self->source);
  self->meta = NULL;
  g_clear_object (&self->texture);
  G_OBJECT_CLASS (lb_viewport_parent_class)->dispose (object);
}

static void
lb_viewport_finalize (GObject *object)
{
  LbViewport *self = LB_VIEWPORT (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->frames, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->preview, lb_pyramid_free);
  g_clear_pointer (&self->lut, lb_lut_free);
  g_clear_pointer (&self->error_message, g_free);
  G_OBJECT_CLASS (lb_viewport_parent_class)->finalize (object);
}

static void
lb_viewport_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LbViewport *self = LB_VIEWPORT (object);

  switch (prop_id)
    {
    case PROP_SOURCE: g_value_set_object (value, self->source); break;
    case PROP_ZOOM: g_value_set_double (value, lb_viewport_get_zoom (self)); break;
    case PROP_CENTER_X: g_value_set_double (value, self->view.center_x); break;
    case PROP_CENTER_Y: g_value_set_double (value, self->view.center_y); break;
    case PROP_ROTATION: g_value_set_int (value, lb_viewport_get_rotation (self)); break;
    case PROP_FLIP_HORIZONTAL: g_value_set_boolean (value, self->view.flip_h); break;
    case PROP_WINDOW_CENTER: g_value_set_double (value, self->params.window_center); break;
    case PROP_WINDOW_WIDTH: g_value_set_double (value, self->params.window_width); break;
    case PROP_INVERT: g_value_set_boolean (value, self->params.invert); break;
    case PROP_FRAME: g_value_set_uint (value, self->frame); break;
    case PROP_N_FRAMES: g_value_set_uint (value, self->n_frames); break;
    case PROP_PLAYING: g_value_set_boolean (value, self->playing); break;
    case PROP_OVERLAY_VISIBLE: g_value_set_boolean (value, self->overlay_visible); break;
    case PROP_TOOL: g_value_set_int (value, self->tool); break;
    case PROP_PATIENT_GENERATED: g_value_set_boolean (value, self->patient_generated); break;
    case PROP_FULL_RESOLUTION: g_value_set_boolean (value, lb_viewport_get_full_resolution (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_viewport_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  LbViewport *self = LB_VIEWPORT (object);

  switch (prop_id)
    {
    case PROP_SOURCE: lb_viewport_set_source (self, g_value_get_object (value)); break;
    case PROP_ZOOM: lb_viewport_set_zoom (self, g_value_get_double (value)); break;
    case PROP_CENTER_X: lb_viewport_set_center (self, g_value_get_double (value), self->view.center_y); break;
    case PROP_CENTER_Y: lb_viewport_set_center (self, self->view.center_x, g_value_get_double (value)); break;
    case PROP_ROTATION: lb_viewport_set_rotation (self, g_value_get_int (value)); break;
    case PROP_FLIP_HORIZONTAL: lb_viewport_set_flip_horizontal (self, g_value_get_boolean (value)); break;
    case PROP_WINDOW_CENTER:
      lb_viewport_set_window (self, g_value_get_double (value), self->params.window_width);
      break;
    case PROP_WINDOW_WIDTH:
      lb_viewport_set_window (self, self->params.window_center, g_value_get_double (value));
      break;
    case PROP_INVERT: lb_viewport_set_invert (self, g_value_get_boolean (value)); break;
    case PROP_FRAME: lb_viewport_set_frame (self, g_value_get_uint (value)); break;
    case PROP_PLAYING: lb_viewport_set_playing (self, g_value_get_boolean (value)); break;
    case PROP_OVERLAY_VISIBLE: lb_viewport_set_overlay_visible (self, g_value_get_boolean (value)); break;
    case PROP_TOOL: lb_viewport_set_tool (self, g_value_get_int (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_viewport_class_init (LbViewportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lb_viewport_dispose;
  object_class->finalize = lb_viewport_finalize;
  object_class->get_property = lb_viewport_get_property;
  object_class->set_property = lb_viewport_set_property;
  widget_class->snapshot = lb_viewport_snapshot;
  widget_class->size_allocate = lb_viewport_size_allocate;
  widget_class->measure = lb_viewport_measure;

  properties[PROP_SOURCE] = g_param_spec_object ("source", NULL, NULL, LB_TYPE_FRAME_SOURCE, rw);
  /* Zoom and centre are the view a comparison grid binds between viewports. */
  properties[PROP_ZOOM] = g_param_spec_double ("zoom", NULL, NULL,
                                               LB_VIEW_ZOOM_MIN, LB_VIEW_ZOOM_MAX, 1, rw);
  properties[PROP_CENTER_X] = g_param_spec_double ("center-x", NULL, NULL,
                                                   -G_MAXDOUBLE, G_MAXDOUBLE, 0, rw);
  properties[PROP_CENTER_Y] = g_param_spec_double ("center-y", NULL, NULL,
                                                   -G_MAXDOUBLE, G_MAXDOUBLE, 0, rw);
  properties[PROP_ROTATION] = g_param_spec_int ("rotation", NULL, NULL, 0, 270, 0, rw);
  properties[PROP_FLIP_HORIZONTAL] = g_param_spec_boolean ("flip-horizontal", NULL, NULL, FALSE, rw);
  properties[PROP_WINDOW_CENTER] = g_param_spec_double ("window-center", NULL, NULL,
                                                        -G_MAXDOUBLE, G_MAXDOUBLE, 128, rw);
  properties[PROP_WINDOW_WIDTH] = g_param_spec_double ("window-width", NULL, NULL,
                                                       1, G_MAXDOUBLE, 256, rw);
  properties[PROP_INVERT] = g_param_spec_boolean ("invert", NULL, NULL, FALSE, rw);
  properties[PROP_FRAME] = g_param_spec_uint ("frame", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_N_FRAMES] = g_param_spec_uint ("n-frames", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, rw);
  properties[PROP_OVERLAY_VISIBLE] = g_param_spec_boolean ("overlay-visible", NULL, NULL, TRUE, rw);
  properties[PROP_TOOL] = g_param_spec_int ("tool", NULL, NULL, LB_VIEWPORT_TOOL_PAN,
                                            LB_VIEWPORT_TOOL_WINDOW, LB_VIEWPORT_TOOL_PAN, rw);
  properties[PROP_PATIENT_GENERATED] = g_param_spec_boolean ("patient-generated", NULL, NULL, FALSE, ro);
  properties[PROP_FULL_RESOLUTION] = g_param_spec_boolean ("full-resolution", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "viewer.zoom-in", NULL, action_zoom_cb);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-out", NULL, action_zoom_cb);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-fit", NULL, action_zoom_cb);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-1to1", NULL, action_zoom_cb);
  gtk_widget_class_install_action (widget_class, "viewer.pan", "(dd)", action_pan_cb);
  gtk_widget_class_install_action (widget_class, "viewer.window", "(dd)", action_window_cb);
  gtk_widget_class_install_action (widget_class, "viewer.preset", "i", action_preset_cb);
  gtk_widget_class_install_action (widget_class, "viewer.auto-window", NULL, action_auto_window_cb);
  gtk_widget_class_install_action (widget_class, "viewer.invert", NULL, action_toggle_cb);
  gtk_widget_class_install_action (widget_class, "viewer.toggle-overlay", NULL, action_toggle_cb);
  gtk_widget_class_install_action (widget_class, "viewer.play", NULL, action_toggle_cb);
  gtk_widget_class_install_action (widget_class, "viewer.rotate-right", NULL, action_orient_cb);
  gtk_widget_class_install_action (widget_class, "viewer.rotate-left", NULL, action_orient_cb);
  gtk_widget_class_install_action (widget_class, "viewer.flip-horizontal", NULL, action_orient_cb);
  gtk_widget_class_install_action (widget_class, "viewer.flip-vertical", NULL, action_orient_cb);
  gtk_widget_class_install_action (widget_class, "viewer.reset", NULL, action_reset_cb);
  gtk_widget_class_install_action (widget_class, "viewer.next-frame", NULL, action_frame_cb);
  gtk_widget_class_install_action (widget_class, "viewer.previous-frame", NULL, action_frame_cb);
  gtk_widget_class_install_action (widget_class, "viewer.tool", "s", action_tool_cb);

  /* The keys of WALKTHROUGH.md. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "viewer.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "viewer.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, 0, "viewer.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, 0, "viewer.zoom-1to1", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "viewer.pan", "(dd)", 48.0, 0.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "viewer.pan", "(dd)", -48.0, 0.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "viewer.pan", "(dd)", 0.0, 48.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "viewer.pan", "(dd)", 0.0, -48.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, 0, "viewer.invert", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "viewer.rotate-right", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_R, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "viewer.rotate-left", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, 0, "viewer.flip-horizontal", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, 0, "viewer.flip-vertical", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "viewer.reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, 0, "viewer.toggle-overlay", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "viewer.next-frame", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "viewer.previous-frame", NULL);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "lb-viewport");
}

static void
lb_viewport_init (LbViewport *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->frames = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) lb_pyramid_free);
  self->pending = g_hash_table_new (NULL, NULL);
  self->cancellable = g_cancellable_new ();
  self->overlay_visible = TRUE;
  self->fitted = TRUE;
  lb_pipeline_params_init (&self->params);
  lb_view_transform_init (&self->view, 1, 1, 1, 1);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Image"), -1);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  g_signal_connect (controller, "key-released", G_CALLBACK (key_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
