/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "lb-annotation.h"

G_BEGIN_DECLS

/*
 * Change over time (no GTK): one labelled measurement ("wound") across
 * several images of a patient, against the earliest one, as a table and a
 * small plot. See docs/export.md for the interval and percentage rules.
 */

typedef struct {
  GDate    date;
  char    *date_text;     /* "2025-01-31" */
  char    *interval;      /* "baseline", "+14 d", "+6 w" */
  guint    source;        /* index of the input it came from */
  gboolean has_value;     /* the image has a measurable annotation with the label */
  gboolean calibrated;
  double   value;         /* mm² or mm (px² / px when not calibrated) */
  char    *value_text;    /* "412 mm²", "—" without a value */
  gboolean has_change;    /* both this and the baseline have calibrated values */
  double   change;        /* percent from the baseline, e.g. −28.2 */
  char    *change_text;   /* "−28.2 %", "" for the baseline, "—" when unknown */
} LbChangeRow;

typedef struct {
  char        *label;
  gboolean     is_area;   /* areas (mm²) rather than lengths (mm) */
  GPtrArray   *rows;      /* LbChangeRow *, oldest first */
} LbChangeTable;

typedef struct {
  const char      *date;         /* "YYYYMMDD" (DICOM DA) or "YYYY-MM-DD" */
  LbAnnotationSet *annotations;  /* nullable */
} LbChangeInput;

#define LB_CHANGE_ERROR (lb_change_error_quark ())
GQuark lb_change_error_quark (void);

typedef enum {
  LB_CHANGE_ERROR_INVALID,   /* a missing or malformed date, no inputs */
} LbChangeError;

LbChangeTable *lb_change_table_build     (const char          *label,
                                          const LbChangeInput *inputs,
                                          guint                n_inputs,
                                          GError             **error);
void           lb_change_table_free      (LbChangeTable       *table);

/* "baseline" for 0 days from the first image, "+N d" below 28 days, "+N w"
 * from 28 days on when N days are whole weeks, otherwise "+N d". */
char          *lb_change_format_interval (int                  days,
                                          gboolean             is_baseline);
/* "−28.2 %" (U+2212 minus, one decimal, C locale); "+3.0 %"; "0.0 %". */
char          *lb_change_format_percent  (double               percent,
                                          int                  decimals);
/* "−77 % since baseline", from the newest row with a change; NULL if none. */
char          *lb_change_table_summary   (const LbChangeTable *table);

/* The measurement against the date, drawn into (x, y, width, height) of @cr
 * (axes, a line through the values, a marker per value). */
void           lb_change_table_draw_plot (const LbChangeTable *table,
                                          cairo_t             *cr,
                                          double               x,
                                          double               y,
                                          double               width,
                                          double               height);
/* Where row @n's marker is in that plot; FALSE without a value. */
gboolean       lb_change_table_plot_point (const LbChangeTable *table,
                                          guint                n,
                                          double               x,
                                          double               y,
                                          double               width,
                                          double               height,
                                          double              *px,
                                          double              *py);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbChangeTable, lb_change_table_free)

G_END_DECLS
