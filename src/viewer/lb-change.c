/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-change.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (lb-change-error-quark, lb_change_error)

static void
row_free (gpointer data)
{
  LbChangeRow *row = data;

  g_free (row->date_text);
  g_free (row->interval);
  g_free (row->value_text);
  g_free (row->change_text);
  g_free (row);
}

void
lb_change_table_free (LbChangeTable *table)
{
  if (table == NULL)
    return;
  g_free (table->label);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

/* DICOM DA ("20250131") or ISO ("2025-01-31"). */
static gboolean
parse_date (const char *text,
            GDate      *date)
{
  unsigned y, m, d;
  char extra;

  if (text == NULL)
    return FALSE;
  if (strlen (text) == 8 && strspn (text, "0123456789") == 8)
    {
      if (sscanf (text, "%4u%2u%2u", &y, &m, &d) != 3)
        return FALSE;
    }
  else if (sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &extra) != 3)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

char *
lb_change_format_interval (int      days,
                           gboolean is_baseline)
{
  if (is_baseline)
    return g_strdup ("baseline");
  /* Clinicians count follow-ups in weeks once they are a month or more
   * apart ("+6 w"); an interval that is not whole weeks keeps its days so
   * that nothing is rounded away. */
  if (days >= 28 && days % 7 == 0)
    return g_strdup_printf ("%+d w", days / 7);
  return g_strdup_printf ("%+d d", days);
}

char *
lb_change_format_percent (double percent,
                          int    decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char fmt[8];
  double rounded;

  decimals = CLAMP (decimals, 0, 3);
  rounded = round (fabs (percent) * pow (10, decimals)) / pow (10, decimals);
  g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
  g_ascii_formatd (buf, sizeof buf, fmt, rounded);
  if (rounded == 0)
    return g_strdup_printf ("%s %%", buf);
  /* U+2212 MINUS SIGN: a hyphen reads as a dash in a table. */
  return g_strdup_printf ("%s%s %%", percent < 0 ? "−" : "+", buf);
}

/* The label's value in @set: the sum of the areas of its closed shapes (a
 * wound may have several parts), else the length of the first measurable
 * line. */
static gboolean
measure_label (LbAnnotationSet *set,
               const char      *label,
               gboolean         want_area,
               LbMeasurement   *out)
{
  gboolean found = FALSE;

  memset (out, 0, sizeof *out);
  for (guint i = 0; set != NULL && i < lb_annotation_set_get_n_annotations (set); i++)
    {
      const LbAnnotation *a = lb_annotation_set_get_nth (set, i);
      LbMeasurement m;

      if (g_strcmp0 (a->label, label) != 0 || !lb_annotation_set_measure (set, a->id, &m))
        continue;
      if (want_area && m.has_area)
        {
          out->area += m.area;
          out->has_area = TRUE;
          out->calibrated = found ? out->calibrated && m.calibrated : m.calibrated;
          found = TRUE;
        }
      else if (!want_area && m.has_length && !m.has_area)
        {
          *out = m;
          return TRUE;
        }
    }
  return found;
}

static gint
row_compare (gconstpointer a,
             gconstpointer b)
{
  const LbChangeRow *ra = *(LbChangeRow * const *) a, *rb = *(LbChangeRow * const *) b;
  int c = g_date_compare (&ra->date, &rb->date);

  return c != 0 ? c : (int) ra->source - (int) rb->source;
}

LbChangeTable *
lb_change_table_build (const char          *label,
                       const LbChangeInput *inputs,
                       guint                n_inputs,
                       GError             **error)
{
  g_autoptr (LbChangeTable) table = NULL;
  LbChangeRow *base;

  g_return_val_if_fail (label != NULL, NULL);
  g_return_val_if_fail (inputs != NULL || n_inputs == 0, NULL);

  if (n_inputs == 0)
    {
      g_set_error (error, LB_CHANGE_ERROR, LB_CHANGE_ERROR_INVALID, "No images to compare");
      return NULL;
    }
  table = g_new0 (LbChangeTable, 1);
  table->label = g_strdup (label);
  table->rows = g_ptr_array_new_with_free_func (row_free);

  for (guint i = 0; i < n_inputs && !table->is_area; i++)
    {
      LbMeasurement m;

      table->is_area = measure_label (inputs[i].annotations, label, TRUE, &m);
    }

  for (guint i = 0; i < n_inputs; i++)
    {
      LbChangeRow *row = g_new0 (LbChangeRow, 1);
      LbMeasurement m;

      row->source = i;
      g_ptr_array_add (table->rows, row);
      if (!parse_date (inputs[i].date, &row->date))
        {
          g_set_error (error, LB_CHANGE_ERROR, LB_CHANGE_ERROR_INVALID,
                       "Image %u has no usable date (“%s”)", i + 1,
                       inputs[i].date ? inputs[i].date : "");
          return NULL;
        }
      row->date_text = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&row->date),
                                        g_date_get_month (&row->date), g_date_get_day (&row->date));
      if (measure_label (inputs[i].annotations, label, table->is_area, &m))
        {
          row->has_value = TRUE;
          row->calibrated = m.calibrated;
          row->value = table->is_area ? m.area : m.length;
          row->value_text = lb_measurement_format (&m);
        }
      else
        row->value_text = g_strdup ("—");
    }
  g_ptr_array_sort (table->rows, row_compare);

  base = g_ptr_array_index (table->rows, 0);
  for (guint i = 0; i < table->rows->len; i++)
    {
      LbChangeRow *row = g_ptr_array_index (table->rows, i);
      int days = g_date_days_between (&base->date, &row->date);

      row->interval = lb_change_format_interval (days, i == 0);
      /* Pixels of two photos are not comparable: a change needs both
       * values calibrated (or from the images' own Pixel Spacing). */
      row->has_change = i > 0 && row->has_value && base->has_value &&
                        row->calibrated && base->calibrated && base->value > 0;
      if (row->has_change)
        {
          row->change = (row->value - base->value) / base->value * 100.0;
          row->change_text = lb_change_format_percent (row->change, 1);
        }
      else
        row->change_text = g_strdup (i == 0 ? "" : "—");
    }
  return g_steal_pointer (&table);
}

char *
lb_change_table_summary (const LbChangeTable *table)
{
  g_return_val_if_fail (table != NULL, NULL);

  for (guint i = table->rows->len; i-- > 1;)
    {
      const LbChangeRow *row = g_ptr_array_index (table->rows, i);

      if (row->has_change)
        {
          g_autofree char *p = lb_change_format_percent (row->change, 0);

          return g_strdup_printf ("%s since baseline", p);
        }
    }
  return NULL;
}

/* ---- Plot ------------------------------------------------------------- */

typedef struct {
  double left, right, top, bottom; /* the plotting area */
  int    span_days;
  double y_max, y_step;
} PlotFrame;

static void
plot_frame (const LbChangeTable *table,
            double               x,
            double               y,
            double               width,
            double               height,
            PlotFrame           *f)
{
  const LbChangeRow *first = g_ptr_array_index (table->rows, 0);
  const LbChangeRow *last = g_ptr_array_index (table->rows, table->rows->len - 1);
  double vmax = 0, mag;

  for (guint i = 0; i < table->rows->len; i++)
    {
      const LbChangeRow *row = g_ptr_array_index (table->rows, i);

      if (row->has_value)
        vmax = MAX (vmax, row->value);
    }
  if (vmax <= 0)
    vmax = 1;
  /* A 1-2-5 step giving about four gridlines from zero. */
  mag = pow (10, floor (log10 (vmax / 4)));
  f->y_step = vmax / 4 / mag <= 1 ? mag : vmax / 4 / mag <= 2 ? 2 * mag : vmax / 4 / mag <= 5 ? 5 * mag : 10 * mag;
  f->y_max = ceil (vmax * 1.05 / f->y_step) * f->y_step;
  f->span_days = g_date_days_between (&first->date, &last->date);
  f->left = x + MIN (48, width * 0.25);
  f->right = x + width - MIN (14, width * 0.05);
  f->top = y + MIN (16, height * 0.1);
  f->bottom = y + height - MIN (18, height * 0.2);
}

static void
plot_position (const PlotFrame   *f,
               const LbChangeTable *table,
               const LbChangeRow *row,
               double            *px,
               double            *py)
{
  const LbChangeRow *first = g_ptr_array_index (table->rows, 0);
  int days = g_date_days_between (&first->date, &row->date);
  double pad = (f->right - f->left) * 0.06;

  *px = f->span_days > 0
    ? f->left + pad + (f->right - f->left - 2 * pad) * days / f->span_days
    : (f->left + f->right) / 2;
  *py = f->bottom - (f->bottom - f->top) * row->value / f->y_max;
}

gboolean
lb_change_table_plot_point (const LbChangeTable *table,
                            guint                n,
                            double               x,
                            double               y,
                            double               width,
                            double               height,
                            double              *px,
                            double              *py)
{
  PlotFrame f;
  const LbChangeRow *row;

  g_return_val_if_fail (table != NULL && n < table->rows->len, FALSE);

  row = g_ptr_array_index (table->rows, n);
  if (!row->has_value)
    return FALSE;
  plot_frame (table, x, y, width, height, &f);
  plot_position (&f, table, row, px, py);
  return TRUE;
}

void
lb_change_table_draw_plot (const LbChangeTable *table,
                           cairo_t             *cr,
                           double               x,
                           double               y,
                           double               width,
                           double               height)
{
  PlotFrame f;
  double font = CLAMP (height / 14, 6, 11);
  gboolean started = FALSE;

  g_return_if_fail (table != NULL && cr != NULL);

  plot_frame (table, x, y, width, height, &f);
  cairo_save (cr);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, font);

  /* Gridlines with their values, and the unit. */
  cairo_set_line_width (cr, 0.5);
  for (double v = 0; v <= f.y_max + f.y_step / 2; v += f.y_step)
    {
      double gy = f.bottom - (f.bottom - f.top) * v / f.y_max;
      g_autofree char *label = g_strdup_printf ("%g", v);
      cairo_text_extents_t ext;

      cairo_set_source_rgb (cr, 0.8, 0.8, 0.8);
      cairo_move_to (cr, f.left, gy);
      cairo_line_to (cr, f.right, gy);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      cairo_text_extents (cr, label, &ext);
      cairo_move_to (cr, f.left - ext.x_advance - 4, gy + ext.height / 2);
      cairo_show_text (cr, label);
    }
  {
    g_autofree char *unit = g_strdup_printf ("%s (%s)", table->label, table->is_area ? "mm²" : "mm");

    cairo_move_to (cr, f.left, f.top - font * 0.4);
    cairo_show_text (cr, unit);
  }
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, f.left, f.top);
  cairo_line_to (cr, f.left, f.bottom);
  cairo_line_to (cr, f.right, f.bottom);
  cairo_stroke (cr);

  /* The interval under each visit. */
  for (guint i = 0; i < table->rows->len; i++)
    {
      const LbChangeRow *row = g_ptr_array_index (table->rows, i);
      double px, py;
      cairo_text_extents_t ext;

      plot_position (&f, table, row, &px, &py);
      cairo_text_extents (cr, row->interval, &ext);
      cairo_move_to (cr, px - ext.x_advance / 2, f.bottom + font * 1.3);
      cairo_show_text (cr, row->interval);
    }

  /* GNOME blue 3 for the line and the markers. */
  cairo_set_source_rgb (cr, 0x1c / 255.0, 0x71 / 255.0, 0xd8 / 255.0);
  cairo_set_line_width (cr, 1.5);
  for (guint i = 0; i < table->rows->len; i++)
    {
      const LbChangeRow *row = g_ptr_array_index (table->rows, i);
      double px, py;

      if (!row->has_value)
        continue;
      plot_position (&f, table, row, &px, &py);
      if (started)
        cairo_line_to (cr, px, py);
      else
        cairo_move_to (cr, px, py);
      started = TRUE;
    }
  cairo_stroke (cr);
  for (guint i = 0; i < table->rows->len; i++)
    {
      const LbChangeRow *row = g_ptr_array_index (table->rows, i);
      double px, py;

      if (!row->has_value)
        continue;
      plot_position (&f, table, row, &px, &py);
      cairo_arc (cr, px, py, MAX (2.5, font * 0.35), 0, 2 * G_PI);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}
