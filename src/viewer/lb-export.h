/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "lb-annotation.h"
#include "lb-dicom.h"

G_BEGIN_DECLS

/*
 * Export for the patient (no GTK): one image, or 2–4 side by side, with
 * their dates and intervals, the annotations burned in, the patient-image
 * banner, an optional change table and plot, and the clinician's note, as
 * one PDF page or one PNG. See docs/export.md.
 */

#define LB_EXPORT_MAX_IMAGES 4

/* The page: A4 landscape in PDF points; the PNG is the same page at 2 px/pt. */
#define LB_EXPORT_PAGE_WIDTH   842.0
#define LB_EXPORT_PAGE_HEIGHT  595.0
#define LB_EXPORT_PNG_SCALE    2
#define LB_EXPORT_PNG_WIDTH    1684
#define LB_EXPORT_PNG_HEIGHT   1190

typedef struct {
  LbDicomObject   *image;        /* frame 0 is exported */
  LbAnnotationSet *annotations;  /* nullable; its view's rotation, flip and window apply */
} LbExportImage;

typedef struct {
  const char *note;              /* nullable: the clinician's plain-language note */
  const char *change_label;      /* nullable: no change table and plot */
  gboolean    leave_out_identity; /* no patient name or ID anywhere, metadata included */
} LbExportOptions;

typedef enum {
  LB_EXPORT_FORMAT_PDF,
  LB_EXPORT_FORMAT_PNG,
} LbExportFormat;

#define LB_EXPORT_ERROR (lb_export_error_quark ())
GQuark lb_export_error_quark (void);

typedef enum {
  LB_EXPORT_ERROR_MIXED_PATIENTS, /* the images are not all of one patient */
  LB_EXPORT_ERROR_INVALID,        /* no images, too many, annotations of another image, no date */
  LB_EXPORT_ERROR_DECODE,         /* an image's pixels cannot be decoded */
  LB_EXPORT_ERROR_WRITE,          /* the output cannot be written */
} LbExportError;

/* From the file name's extension (.pdf, .png); FALSE for anything else. */
gboolean lb_export_format_for_path (const char           *path,
                                    LbExportFormat       *format);

/* Checks the images (one patient, annotations of the right image, dates). */
gboolean lb_export_check           (const LbExportImage  *images,
                                    guint                 n_images,
                                    GError              **error);

/* Draws the page into @cr (origin at the page's top left, units of points,
 * LB_EXPORT_PAGE_WIDTH × LB_EXPORT_PAGE_HEIGHT); @pixels_per_point is the
 * resolution the images are rendered at. Also serves a preview. */
gboolean lb_export_draw_page       (const LbExportImage  *images,
                                    guint                 n_images,
                                    const LbExportOptions *options,
                                    cairo_t              *cr,
                                    double                pixels_per_point,
                                    GError              **error);

gboolean lb_export_write           (const LbExportImage  *images,
                                    guint                 n_images,
                                    const LbExportOptions *options,
                                    LbExportFormat        format,
                                    const char           *path,
                                    GError              **error);

/* "DOE, JANE" from the DICOM PN "DOE^JANE". */
char    *lb_export_format_person_name (const char        *pn);

G_END_DECLS
