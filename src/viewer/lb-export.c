/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-export.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "lb-annotation-pr.h"
#include "lb-banner.h"
#include "lb-change.h"
#include "lb-pipeline.h"
#include "lb-pyramid.h"
#include "lb-view-transform.h"

G_DEFINE_QUARK (lb-export-error-quark, lb_export_error)

gboolean
lb_export_format_for_path (const char     *path,
                           LbExportFormat *format)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (format != NULL, FALSE);

  if (path == NULL)
    return FALSE;
  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".pdf"))
    *format = LB_EXPORT_FORMAT_PDF;
  else if (g_str_has_suffix (lower, ".png"))
    *format = LB_EXPORT_FORMAT_PNG;
  else
    return FALSE;
  return TRUE;
}

char *
lb_export_format_person_name (const char *pn)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (GString) out = g_string_new (NULL);

  if (pn == NULL)
    return g_strdup ("");
  /* PS3.5 6.2.1: family^given^middle^prefix^suffix; only the first
   * (alphabetic) component group is shown. */
  parts = g_strsplit (pn, "=", 2);
  {
    g_auto (GStrv) c = g_strsplit (parts[0] ? parts[0] : "", "^", 5);

    for (guint i = 0; c[i] != NULL; i++)
      {
        g_strstrip (c[i]);
        if (c[i][0] == '\0')
          continue;
        if (out->len > 0)
          g_string_append (out, i == 1 && out->len > 0 ? ", " : " ");
        g_string_append (out, c[i]);
      }
  }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The date the picture shows: when it was taken, else its content date,
 * else the study's. */
static const char *
image_date (const LbDicomMeta *m,
            char               buf[9])
{
  if (m->acquisition_datetime != NULL && strlen (m->acquisition_datetime) >= 8)
    {
      memcpy (buf, m->acquisition_datetime, 8);
      buf[8] = '\0';
      return buf;
    }
  if (m->content_date != NULL && m->content_date[0] != '\0')
    return m->content_date;
  return m->study_date;
}

static const char *
nonnull (const char *s)
{
  return s ? s : "";
}

gboolean
lb_export_check (const LbExportImage *images,
                 guint                n_images,
                 GError             **error)
{
  const LbDicomMeta *first;

  if (n_images == 0 || n_images > LB_EXPORT_MAX_IMAGES)
    {
      g_set_error (error, LB_EXPORT_ERROR, LB_EXPORT_ERROR_INVALID,
                   "An export holds 1 to %d images, not %u", LB_EXPORT_MAX_IMAGES, n_images);
      return FALSE;
    }
  first = lb_dicom_object_get_meta (images[0].image);
  for (guint i = 0; i < n_images; i++)
    {
      const LbDicomMeta *m = lb_dicom_object_get_meta (images[i].image);
      g_autofree char *a = g_strstrip (g_strdup (nonnull (first->patient_id)));
      g_autofree char *b = g_strstrip (g_strdup (nonnull (m->patient_id)));
      char buf[9];

      /* WALKTHROUGH "What the user never sees": another patient's image in
       * a comparison. The IDs are not repeated in the message, which may
       * end up in a log. */
      if (g_strcmp0 (a, b) != 0)
        {
          g_set_error (error, LB_EXPORT_ERROR, LB_EXPORT_ERROR_MIXED_PATIENTS,
                       "Image %u belongs to a different patient than image 1 (the Patient IDs differ); "
                       "an export never mixes patients", i + 1);
          return FALSE;
        }
      if (images[i].annotations != NULL)
        {
          const char *uid = lb_annotation_set_get_sop_instance_uid (images[i].annotations);

          if (uid != NULL && uid[0] != '\0' && g_strcmp0 (uid, m->sop_instance_uid) != 0)
            {
              g_set_error (error, LB_EXPORT_ERROR, LB_EXPORT_ERROR_INVALID,
                           "The annotations given for image %u were made on another image (%s)", i + 1, uid);
              return FALSE;
            }
        }
      if (image_date (m, buf) == NULL || nonnull (image_date (m, buf))[0] == '\0')
        {
          g_set_error (error, LB_EXPORT_ERROR, LB_EXPORT_ERROR_INVALID,
                       "Image %u has no date (Acquisition, Content or Study Date)", i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- Text ------------------------------------------------------------- */

typedef struct {
  GPtrArray *needles;   /* lower-case name parts and the ID to leave out */
} Scrubber;

static void
scrubber_init (Scrubber          *s,
               const LbDicomMeta *m,
               gboolean           active)
{
  s->needles = g_ptr_array_new_with_free_func (g_free);
  if (!active)
    return;
  if (m->patient_id != NULL)
    {
      g_autofree char *id = g_strstrip (g_strdup (m->patient_id));

      if (id[0] != '\0')
        g_ptr_array_add (s->needles, g_utf8_casefold (id, -1));
    }
  if (m->patient_name != NULL)
    {
      g_auto (GStrv) parts = g_strsplit_set (m->patient_name, "^= ", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (g_utf8_strlen (parts[i], -1) >= 2)
          g_ptr_array_add (s->needles, g_utf8_casefold (parts[i], -1));
    }
}

static void
scrubber_clear (Scrubber *s)
{
  g_clear_pointer (&s->needles, g_ptr_array_unref);
}

/* With "leave out name and ID", text the clinician typed (the note, text
 * annotations) could still carry them: every occurrence is replaced, so the
 * promise holds for the whole output. */
static char *
scrub (const Scrubber *s,
       const char     *text)
{
  g_autoptr (GString) out = NULL;
  g_autofree char *folded = NULL;

  if (text == NULL)
    return g_strdup ("");
  if (s->needles->len == 0)
    return g_strdup (text);
  out = g_string_new (NULL);
  /* Case folding can change byte lengths, so match character by
   * character on folded prefixes. */
  for (const char *p = text; *p != '\0';)
    {
      gboolean hit = FALSE;

      for (guint k = 0; k < s->needles->len && !hit; k++)
        {
          const char *needle = g_ptr_array_index (s->needles, k);
          glong n = g_utf8_strlen (needle, -1);
          const char *end = p;
          g_autofree char *piece = NULL;

          for (glong c = 0; c < n && *end != '\0'; c++)
            end = g_utf8_next_char (end);
          piece = g_utf8_casefold (p, end - p);
          if (strcmp (piece, needle) == 0)
            {
              g_string_append (out, "[left out]");
              p = end;
              hit = TRUE;
            }
        }
      if (!hit)
        {
          const char *next = g_utf8_next_char (p);

          g_string_append_len (out, p, next - p);
          p = next;
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Greedy word wrap; explicit newlines start new paragraphs. */
static GPtrArray *
wrap_text (cairo_t    *cr,
           const char *text,
           double      max_width)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) paras = g_strsplit (text, "\n", -1);

  for (guint p = 0; paras[p] != NULL; p++)
    {
      g_auto (GStrv) words = g_strsplit (paras[p], " ", -1);
      g_autoptr (GString) line = g_string_new (NULL);

      for (guint i = 0; words[i] != NULL; i++)
        {
          g_autofree char *candidate = NULL;
          cairo_text_extents_t ext;

          if (words[i][0] == '\0')
            continue;
          candidate = line->len > 0 ? g_strconcat (line->str, " ", words[i], NULL) : g_strdup (words[i]);
          cairo_text_extents (cr, candidate, &ext);
          if (line->len > 0 && ext.x_advance > max_width)
            {
              g_ptr_array_add (lines, g_strdup (line->str));
              g_string_assign (line, words[i]);
            }
          else
            g_string_assign (line, candidate);
        }
      g_ptr_array_add (lines, g_strdup (line->str));
    }
  return lines;
}

static void
set_font (cairo_t *cr,
          double   size,
          gboolean bold)
{
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
}

static void
show_text_at (cairo_t    *cr,
              double      x,
              double      baseline,
              const char *text)
{
  cairo_move_to (cr, x, baseline);
  cairo_show_text (cr, text);
}

/* ---- Images ----------------------------------------------------------- */

typedef struct {
  LbViewTransform  view;     /* in rendered pixels */
  cairo_surface_t *surface;  /* the rendered image, view.viewport_* pixels */
  double           scale;    /* rendered pixels per point */
} RenderedImage;

static void
rendered_image_clear (RenderedImage *r)
{
  g_clear_pointer (&r->surface, cairo_surface_destroy);
}

/* The image through the viewer's pipeline (the same table and sampler as
 * `lightbox-cli render` and the viewport), fitted into @box_w × @box_h
 * points, turned and mirrored as its presentation state says. */
static gboolean
render_image (const LbExportImage *item,
              double               box_w,
              double               box_h,
              double               pixels_per_point,
              RenderedImage       *out,
              GError             **error)
{
  const LbDicomMeta *meta = lb_dicom_object_get_meta (item->image);
  g_autoptr (GError) local = NULL;
  g_autoptr (LbPyramid) pyramid = NULL;
  g_autoptr (LbLut) lut = NULL;
  LbPixelBuffer *buffer;
  LbPipelineParams params;
  const LbAnnotationView *av = item->annotations ? lb_annotation_set_get_view (item->annotations) : NULL;
  double dw, dh, k;
  int vw, vh;

  buffer = lb_dicom_object_decode_frame (item->image, 0, &local);
  if (buffer == NULL)
    {
      g_set_error (error, LB_EXPORT_ERROR, LB_EXPORT_ERROR_DECODE,
                   "Cannot decode image %s: %s", nonnull (meta->sop_instance_uid), local->message);
      return FALSE;
    }
  pyramid = lb_pyramid_new (buffer, (GDestroyNotify) lb_pixel_buffer_free);
  lb_pipeline_params_init_from_meta (&params, meta, buffer);
  if (av != NULL && av->has_window && av->window_width > 0)
    {
      params.window_center = av->window_center;
      params.window_width = av->window_width;
      params.use_voi_lut = FALSE;
    }
  lut = lb_lut_new (&params, buffer);

  lb_view_transform_init (&out->view, buffer->width, buffer->height, 1, 1);
  if (av != NULL)
    {
      LbAnnotationView whole = *av;

      /* The whole image is exported; only the turn and mirror are kept. */
      whole.has_area = FALSE;
      lb_annotation_view_apply_to_transform (&whole, &out->view);
    }
  dw = out->view.rotation % 2 ? buffer->height : buffer->width;
  dh = out->view.rotation % 2 ? buffer->width : buffer->height;
  k = MIN (box_w / dw, box_h / dh);
  vw = MAX (1, (int) floor (dw * k * pixels_per_point));
  vh = MAX (1, (int) floor (dh * k * pixels_per_point));
  out->view.viewport_width = vw;
  out->view.viewport_height = vh;
  lb_view_transform_fit (&out->view);
  out->scale = pixels_per_point;

  out->surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, vw, vh);
  cairo_surface_flush (out->surface);
  lb_pipeline_render (pyramid, lut, &out->view, 0, 0, vw, vh,
                      cairo_image_surface_get_data (out->surface),
                      cairo_image_surface_get_stride (out->surface));
  cairo_surface_mark_dirty (out->surface);
  return TRUE;
}

/* Image point → page point, for an image drawn at (@ox, @oy). */
static void
to_page (const RenderedImage *r,
         double               ox,
         double               oy,
         LbPoint              p,
         double              *x,
         double              *y)
{
  double dx, dy;

  lb_view_transform_to_device (&r->view, p.x, p.y, &dx, &dy);
  *x = ox + dx / r->scale;
  *y = oy + dy / r->scale;
}

/* A label at (@x, @y), moved inside @bounds (x, y, width, height) so that
 * the image's edge never cuts it. */
static void
draw_label (cairo_t      *cr,
            double        x,
            double        y,
            double        font,
            const double  bounds[4],
            const char   *text)
{
  cairo_text_extents_t ext;
  cairo_font_extents_t fe;
  double pad = font * 0.25;

  set_font (cr, font, TRUE);
  cairo_text_extents (cr, text, &ext);
  cairo_font_extents (cr, &fe);
  x = MAX (bounds[0] + pad, MIN (x, bounds[0] + bounds[2] - ext.x_advance - pad));
  y = MAX (bounds[1] + pad, MIN (y, bounds[1] + bounds[3] - fe.ascent - fe.descent - pad));
  /* Light text on a dark plate reads over any photo. */
  cairo_set_source_rgba (cr, 0, 0, 0, 0.65);
  cairo_rectangle (cr, x - pad, y - pad, ext.x_advance + 2 * pad, fe.ascent + fe.descent + 2 * pad);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  show_text_at (cr, x, y + fe.ascent, text);
}

/* The annotations burned in: the geometry in its layer's colour, text
 * annotations, and each measurement below its shape as the viewer shows it. */
static void
draw_annotations (cairo_t             *cr,
                  const LbExportImage *item,
                  const RenderedImage *r,
                  double               ox,
                  double               oy,
                  const Scrubber      *scrubber,
                  double               font)
{
  LbAnnotationSet *set = item->annotations;
  double lw = MAX (1.0, font * 0.15);
  const double bounds[4] = { ox, oy, r->view.viewport_width / r->scale, r->view.viewport_height / r->scale };

  if (set == NULL)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, bounds[0], bounds[1], bounds[2], bounds[3]);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint i = 0; i < lb_annotation_set_get_n_annotations (set); i++)
    {
      const LbAnnotation *a = lb_annotation_set_get_nth (set, i);
      const LbAnnotationLayer *layer = lb_annotation_set_find_layer (set, a->layer);
      g_autofree double *xs = g_new0 (double, MAX (a->n_points, 1));
      g_autofree double *ys = g_new0 (double, MAX (a->n_points, 1));
      double minx = G_MAXDOUBLE, maxx = -G_MAXDOUBLE, maxy = -G_MAXDOUBLE;
      LbMeasurement m;

      for (guint k = 0; k < a->n_points; k++)
        {
          to_page (r, ox, oy, a->points[k], &xs[k], &ys[k]);
          minx = MIN (minx, xs[k]);
          maxx = MAX (maxx, xs[k]);
          maxy = MAX (maxy, ys[k]);
        }
      if (layer != NULL)
        cairo_set_source_rgb (cr, layer->rgb[0] / 255.0, layer->rgb[1] / 255.0, layer->rgb[2] / 255.0);
      else
        cairo_set_source_rgb (cr, 1, 1, 0);
      cairo_set_line_width (cr, lw);

      switch (a->kind)
        {
        case LB_ANNOTATION_POINT:
          cairo_arc (cr, xs[0], ys[0], lw * 2, 0, 2 * G_PI);
          cairo_fill (cr);
          break;
        case LB_ANNOTATION_ARROW:
          {
            double ang = atan2 (ys[1] - ys[0], xs[1] - xs[0]), head = lw * 6;

            cairo_move_to (cr, xs[0], ys[0]);
            cairo_line_to (cr, xs[1], ys[1]);
            cairo_stroke (cr);
            cairo_move_to (cr, xs[1], ys[1]);
            cairo_line_to (cr, xs[1] - head * cos (ang - 0.45), ys[1] - head * sin (ang - 0.45));
            cairo_line_to (cr, xs[1] - head * cos (ang + 0.45), ys[1] - head * sin (ang + 0.45));
            cairo_close_path (cr);
            cairo_fill (cr);
          }
          break;
        case LB_ANNOTATION_LINE:
        case LB_ANNOTATION_POLYLINE:
        case LB_ANNOTATION_POLYGON:
        case LB_ANNOTATION_FREEHAND:
          for (guint k = 0; k < a->n_points; k++)
            (k == 0 ? cairo_move_to : cairo_line_to) (cr, xs[k], ys[k]);
          if (a->kind == LB_ANNOTATION_POLYGON || (a->kind == LB_ANNOTATION_FREEHAND && a->closed))
            cairo_close_path (cr);
          cairo_stroke (cr);
          break;
        case LB_ANNOTATION_CIRCLE:
          {
            double rad = hypot (xs[1] - xs[0], ys[1] - ys[0]);

            cairo_new_sub_path (cr);
            cairo_arc (cr, xs[0], ys[0], rad, 0, 2 * G_PI);
            cairo_stroke (cr);
            minx = xs[0] - rad;
            maxx = xs[0] + rad;
            maxy = ys[0] + rad;
          }
          break;
        case LB_ANNOTATION_ELLIPSE:
          {
            double cx = (xs[0] + xs[1]) / 2, cy = (ys[0] + ys[1]) / 2;
            double ra = hypot (xs[1] - xs[0], ys[1] - ys[0]) / 2;
            double rb = hypot (xs[3] - xs[2], ys[3] - ys[2]) / 2;
            double ang = atan2 (ys[1] - ys[0], xs[1] - xs[0]);

            if (ra > 0 && rb > 0)
              {
                cairo_save (cr);
                cairo_translate (cr, cx, cy);
                cairo_rotate (cr, ang);
                cairo_scale (cr, ra, rb);
                cairo_new_sub_path (cr);
                cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
                cairo_restore (cr);
                cairo_stroke (cr);
              }
          }
          break;
        case LB_ANNOTATION_TEXT:
          {
            g_autofree char *text = scrub (scrubber, a->text);
            double tx, ty;

            if (a->n_points > 0)
              tx = xs[0], ty = ys[0];
            else
              to_page (r, ox, oy, a->box[0], &tx, &ty);
            draw_label (cr, tx, ty, font, bounds, text);
          }
          break;
        }

      /* An arrow points at something; its length would only be noise. */
      if (a->kind != LB_ANNOTATION_TEXT && a->kind != LB_ANNOTATION_ARROW &&
          lb_annotation_set_measure (set, a->id, &m))
        {
          g_autofree char *value = lb_measurement_format (&m);

          if (value != NULL)
            {
              g_autofree char *raw = a->label[0] ? g_strdup_printf ("%s: %s", a->label, value)
                                                 : g_strdup (value);
              g_autofree char *text = scrub (scrubber, raw);

              draw_label (cr, minx, maxy + font * 0.5, font, bounds, text);
            }
        }
    }
  cairo_restore (cr);
}

/* ---- The page --------------------------------------------------------- */

static double
draw_note (cairo_t    *cr,
           const char *note,
           double      x,
           double      y,
           double      width,
           double      font,
           gboolean    measure_only)
{
  g_autoptr (GPtrArray) lines = NULL;
  cairo_font_extents_t fe;
  double h;

  cairo_save (cr);
  set_font (cr, font, FALSE);
  cairo_font_extents (cr, &fe);
  lines = wrap_text (cr, note, width);
  h = (lines->len + 1) * fe.height;
  if (!measure_only)
    {
      set_font (cr, font, TRUE);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      show_text_at (cr, x, y + fe.ascent, "Note from your care team");
      set_font (cr, font, FALSE);
      for (guint i = 0; i < lines->len; i++)
        show_text_at (cr, x, y + (i + 1) * fe.height + fe.ascent, g_ptr_array_index (lines, i));
    }
  cairo_restore (cr);
  return h;
}

static void
draw_change (cairo_t             *cr,
             const LbChangeTable *table,
             double               x,
             double               y,
             double               width,
             double               height,
             double               font)
{
  g_autofree char *summary = lb_change_table_summary (table);
  g_autofree char *unit_head = g_strdup_printf ("%s (%s)", table->label, table->is_area ? "area" : "length");
  const char *heads[4] = { "Date", "Interval", unit_head, "Change" };
  double colx[4] = { 0, 0.28, 0.48, 0.78 };
  double tw = width * 0.5;
  cairo_font_extents_t fe;
  double row_y;

  cairo_save (cr);
  set_font (cr, font * 1.15, TRUE);
  cairo_font_extents (cr, &fe);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  show_text_at (cr, x, y + fe.ascent, summary ? summary : "Change over time");
  row_y = y + fe.height * 1.3;

  set_font (cr, font, TRUE);
  cairo_font_extents (cr, &fe);
  for (guint c = 0; c < 4; c++)
    show_text_at (cr, x + colx[c] * tw, row_y + fe.ascent, heads[c]);
  row_y += fe.height;
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, x, row_y);
  cairo_line_to (cr, x + tw, row_y);
  cairo_stroke (cr);
  row_y += fe.height * 0.2;
  set_font (cr, font, FALSE);
  for (guint i = 0; i < table->rows->len; i++)
    {
      const LbChangeRow *row = g_ptr_array_index (table->rows, i);
      const char *cells[4] = { row->date_text, row->interval, row->value_text, row->change_text };

      for (guint c = 0; c < 4; c++)
        show_text_at (cr, x + colx[c] * tw, row_y + fe.ascent, cells[c]);
      row_y += fe.height;
    }
  cairo_restore (cr);
  lb_change_table_draw_plot (table, cr, x + width * 0.55, y, width * 0.45, height);
}

gboolean
lb_export_draw_page (const LbExportImage   *images,
                     guint                  n_images,
                     const LbExportOptions *options,
                     cairo_t               *cr,
                     double                 pixels_per_point,
                     GError               **error)
{
  const double W = LB_EXPORT_PAGE_WIDTH, H = LB_EXPORT_PAGE_HEIGHT;
  const double margin = 22, gap = 14, font = 9;
  const LbDicomMeta *first;
  g_autoptr (LbChangeTable) intervals = NULL;
  g_autoptr (LbChangeTable) change = NULL;
  g_autofree LbChangeInput *inputs = NULL;
  g_autofree char *dates = NULL;
  Scrubber scrubber;
  cairo_font_extents_t fe;
  double y, bottom, note_h = 0, change_h = 0, panel_w, banner_h;
  gboolean ok = TRUE;

  g_return_val_if_fail (options != NULL && cr != NULL, FALSE);
  if (!lb_export_check (images, n_images, error))
    return FALSE;

  first = lb_dicom_object_get_meta (images[0].image);
  dates = g_malloc0 (9 * n_images);
  inputs = g_new0 (LbChangeInput, n_images);
  for (guint i = 0; i < n_images; i++)
    {
      inputs[i].date = image_date (lb_dicom_object_get_meta (images[i].image), dates + 9 * i);
      inputs[i].annotations = images[i].annotations;
    }
  /* The intervals come from the dates alone; the table only with a label. */
  intervals = lb_change_table_build (options->change_label ? options->change_label : "",
                                     inputs, n_images, error);
  if (intervals == NULL)
    return FALSE;
  if (options->change_label != NULL && options->change_label[0] != '\0')
    change = g_steal_pointer (&intervals);

  scrubber_init (&scrubber, first, options->leave_out_identity);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  /* The banner across the top of the page: it cannot be left out. */
  banner_h = lb_banner_draw (cr, W, 10, FALSE);
  y = banner_h + margin * 0.6;

  set_font (cr, 14, TRUE);
  cairo_font_extents (cr, &fe);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  show_text_at (cr, margin, y + fe.ascent, "Your photos, shared by your care team");
  y += fe.height;
  if (!options->leave_out_identity)
    {
      g_autofree char *name = lb_export_format_person_name (first->patient_name);
      g_autofree char *line = g_strdup_printf ("Patient: %s    ID: %s", name, nonnull (first->patient_id));

      set_font (cr, 10, FALSE);
      cairo_font_extents (cr, &fe);
      show_text_at (cr, margin, y + fe.ascent, line);
      y += fe.height;
    }
  y += gap * 0.5;

  bottom = H - margin;
  if (options->note != NULL && options->note[0] != '\0')
    {
      g_autofree char *note = scrub (&scrubber, options->note);

      note_h = draw_note (cr, note, margin, 0, W - 2 * margin, font + 1, TRUE);
      draw_note (cr, note, margin, bottom - note_h, W - 2 * margin, font + 1, FALSE);
      bottom -= note_h + gap * 0.5;
    }
  if (change != NULL)
    {
      change_h = MIN (140, 40 + 14 * change->rows->len);
      change_h = MAX (change_h, 110);
      draw_change (cr, change, margin, bottom - change_h, W - 2 * margin, change_h, font);
      bottom -= change_h + gap;
    }

  /* The images, oldest first, side by side. */
  panel_w = (W - 2 * margin - gap * (n_images - 1)) / n_images;
  {
    LbChangeTable *order = change ? change : intervals;

    for (guint i = 0; i < order->rows->len && ok; i++)
      {
        const LbChangeRow *row = g_ptr_array_index (order->rows, i);
        const LbExportImage *item = &images[row->source];
        double px = margin + i * (panel_w + gap), py = y;
        double strip_h, caption_h, box_h, ox, oy;
        RenderedImage r = { 0 };

        /* Each picture carries the banner too, so a crop of one keeps it. */
        cairo_save (cr);
        cairo_translate (cr, px, py);
        strip_h = lb_banner_draw (cr, panel_w, 6.5, FALSE);
        cairo_restore (cr);
        py += strip_h;

        set_font (cr, font + 1, TRUE);
        cairo_font_extents (cr, &fe);
        caption_h = fe.height * (change ? 2.4 : 1.4);
        box_h = bottom - py - caption_h;
        if (box_h < 20)
          box_h = 20;
        ok = render_image (item, panel_w, box_h, pixels_per_point, &r, error);
        if (!ok)
          break;
        /* Centred in its box; origins on whole device pixels keep a PNG
         * one texel per pixel. */
        ox = px + (panel_w - r.view.viewport_width / r.scale) / 2;
        oy = py;
        ox = round (ox * pixels_per_point) / pixels_per_point;
        oy = round (oy * pixels_per_point) / pixels_per_point;
        cairo_save (cr);
        cairo_translate (cr, ox, oy);
        cairo_scale (cr, 1 / r.scale, 1 / r.scale);
        cairo_set_source_surface (cr, r.surface, 0, 0);
        cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
        cairo_paint (cr);
        cairo_restore (cr);
        draw_annotations (cr, item, &r, ox, oy, &scrubber, font);

        {
          double cy = oy + r.view.viewport_height / r.scale + fe.height * 0.3;
          g_autofree char *caption = g_strdup_printf ("%s · %s", row->date_text, row->interval);

          set_font (cr, font + 1, TRUE);
          cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
          show_text_at (cr, px, cy + fe.ascent, caption);
          if (change != NULL)
            {
              g_autofree char *raw = g_strdup_printf ("%s: %s%s%s", change->label, row->value_text,
                                                      row->has_change ? "  " : "",
                                                      row->has_change ? row->change_text : "");
              g_autofree char *text = scrub (&scrubber, raw);

              set_font (cr, font + 1, FALSE);
              show_text_at (cr, px, cy + fe.height + fe.ascent, text);
            }
        }
        rendered_image_clear (&r);
      }
  }

  cairo_restore (cr);
  scrubber_clear (&scrubber);
  return ok;
}

gboolean
lb_export_write (const LbExportImage   *images,
                 guint                  n_images,
                 const LbExportOptions *options,
                 LbExportFormat         format,
                 const char            *path,
                 GError               **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  gboolean ok;

  g_return_val_if_fail (options != NULL && path != NULL, FALSE);

  if (!lb_export_check (images, n_images, error))
    return FALSE;

  if (format == LB_EXPORT_FORMAT_PDF)
    {
      surface = cairo_pdf_surface_create (path, LB_EXPORT_PAGE_WIDTH, LB_EXPORT_PAGE_HEIGHT);
      /* Neutral metadata, identity or not: a file name or a document
       * property must never carry what the page leaves out. cairo's
       * default Creator names cairo; ours names the application only. */
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, "Photos shared by your care team");
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, "Lightbox");
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, "Clinical photos");
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_KEYWORDS, "");
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Lightbox");
    }
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, LB_EXPORT_PNG_WIDTH, LB_EXPORT_PNG_HEIGHT);

  status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, LB_EXPORT_ERROR, LB_EXPORT_ERROR_WRITE, "Cannot write %s: %s",
                   path, cairo_status_to_string (status));
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cr = cairo_create (surface);
  if (format == LB_EXPORT_FORMAT_PNG)
    cairo_scale (cr, LB_EXPORT_PNG_SCALE, LB_EXPORT_PNG_SCALE);
  /* PDF images at 180 dpi: sharp in print, a few MB for a comparison. */
  ok = lb_export_draw_page (images, n_images, options, cr,
                            format == LB_EXPORT_FORMAT_PNG ? LB_EXPORT_PNG_SCALE : 2.5, error);
  if (ok)
    cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (ok && status == CAIRO_STATUS_SUCCESS && format == LB_EXPORT_FORMAT_PNG)
    status = cairo_surface_write_to_png (surface, path);
  cairo_surface_finish (surface);
  if (ok && status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (ok && status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, LB_EXPORT_ERROR, LB_EXPORT_ERROR_WRITE, "Cannot write %s: %s",
                   path, cairo_status_to_string (status));
      ok = FALSE;
    }
  /* Never leave a half-made file behind for someone to share. */
  if (!ok)
    g_remove (path);
  return ok;
}
