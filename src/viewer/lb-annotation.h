/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * The annotation model (no GTK): shapes, text labels, layers and the
 * calibration of one image, with undo/redo. Coordinates are image pixels
 * with the centre of 0-based pixel (c, r) at (c + 0.5, r + 0.5), exactly as
 * PIXEL-unit graphics in a presentation state (PS3.3 C.10.5), so saving and
 * loading need no conversion. See docs/annotations.md.
 */

/**
 * LbAnnotationKind:
 * What an annotation is, and so how many points it has:
 * @LB_ANNOTATION_POINT: 1 point
 * @LB_ANNOTATION_ARROW: 2 points, tail then head
 * @LB_ANNOTATION_LINE: 2 points (a length)
 * @LB_ANNOTATION_POLYLINE: ≥ 2 points, open
 * @LB_ANNOTATION_POLYGON: ≥ 3 points, closed (the first is not repeated)
 * @LB_ANNOTATION_CIRCLE: 2 points, centre then a point on the circle
 * @LB_ANNOTATION_ELLIPSE: 4 points, the major axis ends then the minor axis ends
 * @LB_ANNOTATION_FREEHAND: ≥ 2 points, open or closed (#LbAnnotation.closed)
 * @LB_ANNOTATION_TEXT: a text with 1 anchor point, or 0 points and a bounding box
 */
typedef enum {
  LB_ANNOTATION_POINT,
  LB_ANNOTATION_ARROW,
  LB_ANNOTATION_LINE,
  LB_ANNOTATION_POLYLINE,
  LB_ANNOTATION_POLYGON,
  LB_ANNOTATION_CIRCLE,
  LB_ANNOTATION_ELLIPSE,
  LB_ANNOTATION_FREEHAND,
  LB_ANNOTATION_TEXT,
} LbAnnotationKind;

#define LB_ANNOTATION_N_KINDS (LB_ANNOTATION_TEXT + 1)

typedef struct {
  double x;
  double y;
} LbPoint;

/* One annotation, owned by its set: read it, change it through the set. */
typedef struct {
  guint             id;        /* unique in its set, never reused */
  LbAnnotationKind  kind;
  char             *label;     /* e.g. "wound"; "" for none */
  char             *layer;     /* the name of one of the set's layers */
  LbPoint          *points;
  guint             n_points;
  gboolean          closed;    /* freehand only; polygons, circles and ellipses are always closed */
  char             *text;      /* TEXT: the text; "" otherwise */
  gboolean          has_box;   /* TEXT: a bounding box (top left, bottom right) */
  LbPoint           box[2];
} LbAnnotation;

typedef struct {
  char   *name;                /* unique in its set */
  guint8  rgb[3];              /* sRGB display colour */
} LbAnnotationLayer;

/* What a presentation state stores besides the annotations (PS3.3 C.10.4,
 * C.10.6, C.11.8): the displayed area, rotation/flip and the window. */
typedef enum {
  LB_DISPLAY_SCALE_TO_FIT,
  LB_DISPLAY_TRUE_SIZE,
  LB_DISPLAY_MAGNIFY,
} LbDisplaySizeMode;

typedef struct {
  gboolean          has_area;
  /* 1-based column, row of the image pixels shown top left and bottom right
   * after the rotation and flip (PS3.3 C.10.4): with a rotation, TLHC may
   * be the larger column or row. */
  int               tlhc[2];
  int               brhc[2];
  LbDisplaySizeMode size_mode;
  double            magnification; /* MAGNIFY: displayed pixels per image pixel */
  int               rotation;     /* degrees clockwise: 0, 90, 180, 270 */
  gboolean          flip_h;       /* applied after the rotation (C.10.6) */
  gboolean          has_window;
  double            window_center;
  double            window_width;
} LbAnnotationView;

typedef struct {
  gboolean    calibrated;      /* FALSE: values are in pixels */
  gboolean    has_length;      /* a length or a perimeter */
  gboolean    has_area;
  double      length;          /* mm (or px) */
  double      area;            /* mm² (or px²) */
} LbMeasurement;

#define LB_ANNOTATION_ERROR (lb_annotation_error_quark ())
GQuark lb_annotation_error_quark (void);

typedef enum {
  LB_ANNOTATION_ERROR_INVALID,      /* wrong number of points, unknown layer or id, bad value */
  LB_ANNOTATION_ERROR_PARSE,        /* JSON that cannot be read */
  LB_ANNOTATION_ERROR_VERSION,      /* a JSON version we do not know */
} LbAnnotationError;

#define LB_TYPE_ANNOTATION_SET (lb_annotation_set_get_type ())
G_DECLARE_FINAL_TYPE (LbAnnotationSet, lb_annotation_set, LB, ANNOTATION_SET, GObject)

#define LB_ANNOTATION_HISTORY_DEFAULT 100

/* A new, empty set with one layer ("Annotations", yellow). */
LbAnnotationSet    *lb_annotation_set_new                (void);
LbAnnotationSet    *lb_annotation_set_copy               (LbAnnotationSet      *self);

/* The image annotated: identity, size and its own Pixel Spacing (row, column
 * mm; 0 when unknown). Not part of the undo history. */
void                lb_annotation_set_set_image          (LbAnnotationSet      *self,
                                                          const char           *sop_class_uid,
                                                          const char           *sop_instance_uid,
                                                          const char           *series_uid,
                                                          const char           *study_uid,
                                                          guint                 columns,
                                                          guint                 rows,
                                                          const double          pixel_spacing[2]);
const char         *lb_annotation_set_get_sop_instance_uid (LbAnnotationSet    *self);
const char         *lb_annotation_set_get_sop_class_uid  (LbAnnotationSet      *self);
const char         *lb_annotation_set_get_series_uid     (LbAnnotationSet      *self);
const char         *lb_annotation_set_get_study_uid      (LbAnnotationSet      *self);
void                lb_annotation_set_get_image_size     (LbAnnotationSet      *self,
                                                          guint                *columns,
                                                          guint                *rows);
void                lb_annotation_set_get_image_pixel_spacing (LbAnnotationSet *self,
                                                          double                spacing[2]);

/* Annotations, in drawing order. */
guint               lb_annotation_set_get_n_annotations  (LbAnnotationSet      *self);
const LbAnnotation *lb_annotation_set_get_nth            (LbAnnotationSet      *self,
                                                          guint                 n);
const LbAnnotation *lb_annotation_set_lookup             (LbAnnotationSet      *self,
                                                          guint                 id);

guint               lb_annotation_set_get_n_layers       (LbAnnotationSet      *self);
const LbAnnotationLayer *lb_annotation_set_get_layer     (LbAnnotationSet      *self,
                                                          guint                 n);
const LbAnnotationLayer *lb_annotation_set_find_layer    (LbAnnotationSet      *self,
                                                          const char           *name);

/* ---- Edits: each one is one undo step. -------------------------------- */

/* Adds a layer, or recolours the existing one of that name. */
gboolean            lb_annotation_set_add_layer          (LbAnnotationSet      *self,
                                                          const char           *name,
                                                          const guint8          rgb[3],
                                                          GError              **error);
/* Removes an empty layer (never the last one). */
gboolean            lb_annotation_set_remove_layer       (LbAnnotationSet      *self,
                                                          const char           *name,
                                                          GError              **error);

/* Returns the new id, 0 on error. @layer NULL: the first layer. @text is
 * for TEXT (may be NULL otherwise); @closed for FREEHAND. */
guint               lb_annotation_set_add                (LbAnnotationSet      *self,
                                                          LbAnnotationKind      kind,
                                                          const LbPoint        *points,
                                                          guint                 n_points,
                                                          const char           *label,
                                                          const char           *layer,
                                                          const char           *text,
                                                          gboolean              closed,
                                                          GError              **error);
/* Adds a copy of @annotation (any id in it is ignored). */
guint               lb_annotation_set_add_full           (LbAnnotationSet      *self,
                                                          const LbAnnotation   *annotation,
                                                          GError              **error);
gboolean            lb_annotation_set_remove             (LbAnnotationSet      *self,
                                                          guint                 id);
gboolean            lb_annotation_set_move               (LbAnnotationSet      *self,
                                                          guint                 id,
                                                          double                dx,
                                                          double                dy);
gboolean            lb_annotation_set_set_points         (LbAnnotationSet      *self,
                                                          guint                 id,
                                                          const LbPoint        *points,
                                                          guint                 n_points,
                                                          GError              **error);
gboolean            lb_annotation_set_set_text           (LbAnnotationSet      *self,
                                                          guint                 id,
                                                          const char           *text);
gboolean            lb_annotation_set_set_label          (LbAnnotationSet      *self,
                                                          guint                 id,
                                                          const char           *label);
gboolean            lb_annotation_set_set_layer          (LbAnnotationSet      *self,
                                                          guint                 id,
                                                          const char           *layer,
                                                          GError              **error);

/* ---- Calibration ------------------------------------------------------ */

/* A line from @a to @b over a reference of @length_mm: isotropic spacing =
 * length_mm / length_px. One undo step. */
gboolean            lb_annotation_set_calibrate          (LbAnnotationSet      *self,
                                                          const LbPoint        *a,
                                                          const LbPoint        *b,
                                                          double                length_mm,
                                                          GError              **error);
/* Sets (> 0) or clears (0) the calibration directly. One undo step. */
gboolean            lb_annotation_set_set_calibration    (LbAnnotationSet      *self,
                                                          double                mm_per_pixel,
                                                          GError              **error);
double              lb_annotation_set_get_calibration    (LbAnnotationSet      *self);

/* The spacing measurements use (row, column mm): the calibration, else the
 * image's Pixel Spacing. FALSE when neither is known. */
gboolean            lb_annotation_set_get_spacing        (LbAnnotationSet      *self,
                                                          double                spacing[2]);

/* ---- Measurements ----------------------------------------------------- */

gboolean            lb_annotation_set_measure            (LbAnnotationSet      *self,
                                                          guint                 id,
                                                          LbMeasurement        *out);
/* Geometry in pixels: length (line, arrow, polyline, open freehand),
 * perimeter and area (polygon, closed freehand, circle, ellipse). Scaled by
 * @spacing (row, column mm) when it is not NULL. */
void                lb_annotation_measure                (const LbAnnotation   *annotation,
                                                          const double         *spacing,
                                                          LbMeasurement        *out);
/* "412 mm²", "12.3 mm", "80 px² (not calibrated)"; NULL when there is nothing
 * to measure. Area wins over length. */
char               *lb_measurement_format                (const LbMeasurement  *m);

/* ---- Undo / redo ------------------------------------------------------ */

gboolean            lb_annotation_set_can_undo           (LbAnnotationSet      *self);
gboolean            lb_annotation_set_can_redo           (LbAnnotationSet      *self);
gboolean            lb_annotation_set_undo               (LbAnnotationSet      *self);
gboolean            lb_annotation_set_redo               (LbAnnotationSet      *self);
/* How many steps are kept (oldest dropped first); default 100. */
void                lb_annotation_set_set_history_limit  (LbAnnotationSet      *self,
                                                          guint                 limit);
void                lb_annotation_set_clear_history      (LbAnnotationSet      *self);

/* ---- View state (not part of the history) ----------------------------- */

const LbAnnotationView *lb_annotation_set_get_view       (LbAnnotationSet      *self);
void                lb_annotation_set_set_view           (LbAnnotationSet      *self,
                                                          const LbAnnotationView *view);

/* ---- Helpers ---------------------------------------------------------- */

const char         *lb_annotation_kind_to_string         (LbAnnotationKind      kind);
gboolean            lb_annotation_kind_from_string       (const char           *name,
                                                          LbAnnotationKind     *kind);
/* Checks the number of points for @kind (and a box for box-only text). */
gboolean            lb_annotation_validate               (const LbAnnotation   *annotation,
                                                          GError              **error);

/* sRGB (8-bit) ↔ CIELab encoded as in PS3.3 C.10.7.1.1: L* 0..100 and
 * a*, b* −128..127 scaled to 0..0xFFFF, D50 white (the ICC PCS). */
void                lb_color_srgb_to_cielab              (const guint8          rgb[3],
                                                          guint16               lab[3]);
void                lb_color_cielab_to_srgb              (const guint16         lab[3],
                                                          guint8                rgb[3]);

G_END_DECLS
