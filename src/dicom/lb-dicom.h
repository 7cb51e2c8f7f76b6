/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * The C API of Lightbox's DICOM core. This is the only header of src/dicom
 * that other layers include; behind it, C++17 over dcmtk, libjpeg-turbo and
 * OpenJPEG. It must stay valid C11 and C++17 (a test compiles it as both).
 */

#include <glib.h>

G_BEGIN_DECLS

#define LB_DICOM_ERROR (lb_dicom_error_quark ())
GQuark lb_dicom_error_quark (void);

/**
 * LbDicomError:
 * @LB_DICOM_ERROR_IO: the file could not be read or written
 * @LB_DICOM_ERROR_NOT_DICOM: no DICOM preamble/magic and no parsable dataset
 * @LB_DICOM_ERROR_MALFORMED: structurally broken (lying lengths, truncation)
 * @LB_DICOM_ERROR_LIMIT: the object exceeds a configured limit
 * @LB_DICOM_ERROR_UNSUPPORTED: a transfer syntax or pixel format we cannot decode
 * @LB_DICOM_ERROR_NO_PIXELS: the object has no (or too little) pixel data
 * @LB_DICOM_ERROR_BAD_IMAGE: an input photo (JPEG/PNG) could not be used
 */
typedef enum {
  LB_DICOM_ERROR_IO,
  LB_DICOM_ERROR_NOT_DICOM,
  LB_DICOM_ERROR_MALFORMED,
  LB_DICOM_ERROR_LIMIT,
  LB_DICOM_ERROR_UNSUPPORTED,
  LB_DICOM_ERROR_NO_PIXELS,
  LB_DICOM_ERROR_BAD_IMAGE,
} LbDicomError;

/* Returns dcmtk's version string, e.g. "3.6.7". */
const char *lb_dicom_toolkit_version (void);

/* ---- Limits --------------------------------------------------------- */

/**
 * LbDicomLimits:
 * Bounds applied while parsing untrusted objects. Anything beyond them is an
 * %LB_DICOM_ERROR_LIMIT error, never an allocation attempt.
 */
typedef struct {
  guint64 max_object_bytes;   /* whole file / buffer, default 2 GiB */
  guint64 max_element_bytes;  /* one element's value, default 1 GiB */
  guint   max_nesting;        /* sequence depth, default 16 */
  guint64 max_pixels;         /* rows × columns, default 256 Mpx */
  guint   max_frames;         /* default 10000 */
} LbDicomLimits;

void lb_dicom_limits_init_default (LbDicomLimits *limits);

/* ---- Parsed objects ------------------------------------------------- */

/* An opaque, immutable parsed DICOM object (dataset + meta header). Safe to
 * read from several threads at once. */
typedef struct _LbDicomObject LbDicomObject;

LbDicomObject *lb_dicom_object_new_from_file  (const char           *path,
                                               const LbDicomLimits  *limits,
                                               GError              **error);
/* Accepts a Part-10 file or a bare dataset (implicit VR little endian). */
LbDicomObject *lb_dicom_object_new_from_bytes (GBytes               *bytes,
                                               const LbDicomLimits  *limits,
                                               GError              **error);
LbDicomObject *lb_dicom_object_ref            (LbDicomObject        *object);
void           lb_dicom_object_unref          (LbDicomObject        *object);

/* ---- Metadata ------------------------------------------------------- */

typedef struct {
  double center;
  double width;
  char  *explanation;         /* nullable */
} LbWindowPreset;

typedef enum {
  LB_VOI_FUNCTION_LINEAR,
  LB_VOI_FUNCTION_LINEAR_EXACT,
  LB_VOI_FUNCTION_SIGMOID,
} LbVoiFunction;

/* A LUT from a Modality LUT Sequence or VOI LUT Sequence (PS3.3 C.11.1/2). */
typedef struct {
  guint    n_entries;         /* LUT Descriptor value 1 (0 means 65536) */
  int      first_mapped;      /* LUT Descriptor value 2 (signed when the pixels are) */
  guint    bits;              /* LUT Descriptor value 3 */
  guint16 *data;              /* n_entries values */
  char    *explanation;       /* nullable */
} LbDicomLut;

/* Plain C metadata. Strings are UTF-8 (converted from the object's Specific
 * Character Set), never NULL: absent attributes are "". */
typedef struct {
  /* patient */
  char *patient_name;         /* DICOM PN form, "DOE^JANE" */
  char *patient_id;
  char *patient_birth_date;
  char *patient_sex;
  char *patient_comments;
  /* study / series / instance */
  char *study_uid;
  char *study_date;
  char *study_time;
  char *study_description;
  char *accession_number;
  char *series_uid;
  char *series_description;
  int   series_number;
  char *modality;
  char *body_part;            /* Body Part Examined, or the Anatomic Region code meaning */
  char *laterality;           /* Image Laterality, else Laterality: "L", "R", "B", "U" or "" */
  char *sop_class_uid;
  char *sop_instance_uid;
  int   instance_number;
  char *content_date;
  char *content_time;
  char *acquisition_datetime; /* Acquisition DateTime, else Acquisition Date + Time */
  char *image_comments;
  char *transfer_syntax_uid;
  gboolean patient_generated; /* carries Lightbox's 99LBX/PGHD acquisition context marker */
  /* image pixel module */
  guint rows;
  guint columns;
  guint samples_per_pixel;
  guint bits_allocated;
  guint bits_stored;
  guint high_bit;
  gboolean pixel_signed;      /* Pixel Representation 1 */
  char *photometric;          /* "MONOCHROME2", "RGB", "YBR_FULL_422", ... */
  guint planar_configuration;
  guint number_of_frames;     /* 1 when absent */
  double frame_time_ms;       /* Frame Time, or from Cine Rate / Recommended Display Frame Rate; 0 if unknown */
  gboolean has_pixel_data;
  /* modality LUT */
  double rescale_slope;       /* 1 when absent */
  double rescale_intercept;   /* 0 when absent */
  char *rescale_type;
  LbDicomLut *modality_lut;   /* nullable; when set, it replaces rescale */
  /* VOI LUT */
  LbWindowPreset *windows;    /* n_windows entries */
  guint n_windows;
  LbVoiFunction voi_function;
  LbDicomLut *voi_lut;        /* nullable; first VOI LUT Sequence item */
  gboolean presentation_inverse; /* Presentation LUT Shape INVERSE */
  /* spacing, in mm; 0 when unknown */
  double pixel_spacing[2];          /* row spacing, column spacing */
  double imager_pixel_spacing[2];
  /* ICC profile (0028,2000), nullable */
  GBytes *icc_profile;
} LbDicomMeta;

LbDicomMeta *lb_dicom_object_get_meta (LbDicomObject *object);   /* transfer none, lives as long as object */

/* Reads any attribute as text (for the CLI's info and for tests); NULL if absent. */
char *lb_dicom_object_dup_string (LbDicomObject *object,
                                  guint16        group,
                                  guint16        element);

/* ---- Pixels --------------------------------------------------------- */

typedef enum {
  LB_PIXEL_GRAY8,     /* guint8 stored values */
  LB_PIXEL_GRAY16U,   /* guint16 stored values (bits_stored ≤ 16, masked) */
  LB_PIXEL_GRAY16S,   /* gint16 stored values, sign-extended from bits_stored */
  LB_PIXEL_RGB8,      /* 3 × guint8, interleaved, after any YBR→RGB and palette expansion */
} LbPixelFormat;

/**
 * LbPixelBuffer:
 * One decoded frame (or a scaled preview of it). Grayscale keeps the stored
 * values (before the modality LUT); color is always 8-bit RGB.
 */
typedef struct {
  guint          width;
  guint          height;
  gsize          stride;          /* bytes per row */
  LbPixelFormat  format;
  guint          bits_stored;     /* for grayscale */
  gboolean       monochrome1;     /* MONOCHROME1: low values are white */
  guint          scale_denom;     /* 1 for full size; 2, 4, 8 for scaled previews */
  int            min_value;       /* smallest and largest stored value present */
  int            max_value;
  guint8        *data;
} LbPixelBuffer;

LbPixelBuffer *lb_pixel_buffer_new   (guint width, guint height, LbPixelFormat format);
void           lb_pixel_buffer_free  (LbPixelBuffer *buffer);

/* Decodes frame @frame (0-based) at full resolution. */
LbPixelBuffer *lb_dicom_object_decode_frame (LbDicomObject  *object,
                                             guint           frame,
                                             GError        **error);
/* A fast preview at 1/@scale_denom size (1, 2, 4 or 8): libjpeg-turbo's
 * scaled decode for JPEG baseline; a subsampled full decode otherwise. */
LbPixelBuffer *lb_dicom_object_decode_frame_scaled (LbDicomObject  *object,
                                                    guint           frame,
                                                    guint           scale_denom,
                                                    GError        **error);

/* ---- Writing: wrapping a patient's photo -------------------------- */

/**
 * LbWrapOptions:
 * What the caller knows about the patient and the study; the photo itself
 * supplies the rest. Strings are UTF-8; %NULL means "not known". Set it up
 * with lb_wrap_options_init() so that fields added later get defaults.
 */
typedef struct {
  const char *patient_name;       /* DICOM PN form "DOE^JANE"; required */
  const char *patient_id;         /* required */
  const char *patient_birth_date; /* YYYYMMDD */
  const char *patient_sex;        /* "M", "F", "O" */
  const char *study_uid;          /* an existing study; NULL starts a new one */
  const char *study_date;         /* YYYYMMDD; default: the photo's date for a new study */
  const char *study_time;         /* HHMMSS */
  const char *study_description;
  const char *accession_number;
  const char *series_uid;         /* NULL: a new series */
  const char *series_description;
  const char *body_part;          /* a Body Part Examined defined term, e.g. "HAND" (PS3.16 Annex L) */
  const char *laterality;         /* "L", "R", "B" or "U" */
  const char *image_comments;     /* the patient's note about the photo */
  const char *patient_comments;
  const char *uid_root;           /* NULL: UUID-derived "2.25." UIDs (PS3.5 B.2) */
  const LbDicomLimits *limits;    /* NULL: lb_dicom_limits_init_default() */

  /* Reproducible output: with every UID, date and time below given (and
   * study_uid/series_uid/study_date/study_time above), nothing comes from
   * the clock or the random generator, so the same input gives the same
   * bytes. NULL / 0 keeps the default. */
  const char *sop_instance_uid;     /* NULL: a new UID */
  const char *study_id;             /* Study ID (SH, ≤ 16 characters); default empty */
  guint       series_number;        /* 0: 1 */
  guint       instance_number;      /* 0: 1 */
  const char *acquisition_datetime; /* YYYYMMDDHHMMSS[.F…][&ZZXX]; default: EXIF DateTimeOriginal */
  const char *content_date;         /* YYYYMMDD; default: the acquisition date, else today */
  const char *content_time;         /* HHMMSS[.F…]; default: the acquisition time, else now */
  const char *creation_date;        /* Instance Creation Date; default today */
  const char *creation_time;        /* Instance Creation Time; default now */
  const char *timezone_offset;      /* Timezone Offset From UTC, "+0100"; default absent */
  const char *manufacturer;         /* the device that took the photo; default empty */
  const char *model_name;           /* Manufacturer's Model Name */
  const char *device_software;      /* Software Versions, before Lightbox's own version */
  const char *issuer_of_patient_id;
} LbWrapOptions;

void     lb_wrap_options_init   (LbWrapOptions        *options);

/* Wraps a JPEG or PNG photo into a VL Photographic Image (Part-10 bytes).
 * JPEG baseline is kept as it is (no re-encode); see docs/dicom.md. */
GBytes  *lb_dicom_wrap_photo    (GBytes               *photo,
                                 const LbWrapOptions  *options,
                                 GError              **error);

/* Wraps 16-bit grayscale samples (row-major, host order) as an uncompressed
 * Secondary Capture image (used by benchmarks and tests). */
GBytes  *lb_dicom_wrap_gray16   (const guint16        *samples,
                                 guint                 width,
                                 guint                 height,
                                 guint                 bits_stored,
                                 const LbWrapOptions  *options,
                                 GError              **error);

/* A new globally unique UID under @root (NULL: "2.25." + a random UUID). */
char    *lb_dicom_generate_uid  (const char           *root);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbDicomObject, lb_dicom_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbPixelBuffer, lb_pixel_buffer_free)

/* ---- Key Object Selection documents (review decisions) ---------------- */

/**
 * LbKosTitle:
 * The document title (CID 7010) that says what a review decided
 * (DESIGN.md, "Standards mapping").
 */
typedef enum {
  LB_KOS_TITLE_OF_INTEREST,            /* (113000, DCM) approve */
  LB_KOS_TITLE_REJECTED_QUALITY,       /* (113001, DCM) reject: IHE IOCM rejection note */
  LB_KOS_TITLE_REJECTED_PATIENT_SAFETY,/* (113037, DCM) photo of the wrong patient */
  LB_KOS_TITLE_QUALITY_ISSUE,          /* (113010, DCM) request retake */
  LB_KOS_TITLE_FOR_PATIENT,            /* (113007, DCM) shared with the patient */
  LB_KOS_TITLE_OTHER,                  /* read from another system */
} LbKosTitle;

typedef struct {
  const char *sop_class_uid;
  const char *sop_instance_uid;
  const char *series_uid;
  /* Optional: a presentation state to show the image with (113007). */
  const char *pr_sop_class_uid;
  const char *pr_sop_instance_uid;
} LbKosReference;

typedef struct {
  LbKosTitle title;
  /* CID 7011 document title modifier, e.g. ("111210", "Motion blur"); NULL for none. */
  const char *reason_code;
  const char *reason_meaning;
  /* Key Object Description (113012): the reviewer's text or the instructions for the patient. */
  const char *description;
  const char *observer_name;           /* DICOM PN, "NURSE^ANNA" */
  /* The study the document goes into: copied from the referenced images. */
  const char *patient_name;
  const char *patient_id;
  const char *patient_birth_date;
  const char *patient_sex;
  const char *study_uid;
  const char *study_date;
  const char *study_time;
  const char *study_id;
  const char *accession_number;
  const char *referring_physician;
  const LbKosReference *references;
  guint n_references;
  const char *uid_root;                /* NULL: Lightbox's default root */
  GDateTime *content_datetime;         /* NULL: now */
} LbKosOptions;

/* Builds a KOS (TID 2010) as Part-10 bytes in a new KO series of the same
 * study, with the Current Requested Procedure Evidence Sequence filled. */
GBytes *lb_dicom_kos_build (const LbKosOptions  *options,
                            char               **out_sop_instance_uid,
                            GError             **error);

typedef struct {
  LbKosTitle title;
  char  *title_code;                   /* code value, e.g. "113001" */
  char  *title_meaning;
  char  *reason_code;                  /* "" when none */
  char  *reason_meaning;
  char  *description;
  char  *observer_name;
  char  *content_date;
  char  *content_time;
  char  *study_uid;
  char  *series_uid;
  char  *sop_instance_uid;
  char **referenced_instances;         /* SOP Instance UIDs, NULL-terminated */
} LbKosInfo;

LbKosInfo *lb_dicom_kos_parse (GBytes   *bytes,
                               GError  **error);
void       lb_kos_info_free   (LbKosInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbKosInfo, lb_kos_info_free)

/* ---- Presentation states (GSPS / CSPS) ---------------------------------- */

/*
 * A presentation state as plain C data (PS3.3 A.33.1 GSPS, A.33.2 CSPS).
 * Coordinates are always image pixels with the centre of 0-based pixel
 * (c, r) at (c + 0.5, r + 0.5) (PIXEL annotation units, C.10.5): the parser
 * converts DISPLAY-unit objects through the displayed area. All strings and
 * arrays are owned by the struct (g_malloc); lb_presentation_state_free()
 * frees one made by the caller as well as one from lb_dicom_pr_parse().
 * Strings are UTF-8 and never NULL in parsed states.
 */
typedef enum {
  LB_PR_GRAPHIC_POINT,
  LB_PR_GRAPHIC_POLYLINE,
  LB_PR_GRAPHIC_INTERPOLATED,
  LB_PR_GRAPHIC_CIRCLE,         /* centre, then a point on the circle */
  LB_PR_GRAPHIC_ELLIPSE,        /* major axis ends, then minor axis ends */
} LbPrGraphicType;

typedef struct {
  char    *name;                /* Graphic Layer (CS, ≤ 16, upper case) */
  char    *description;         /* Graphic Layer Description (LO) */
  int      order;               /* Graphic Layer Order */
  gboolean has_color;
  guint16  cielab[3];           /* Graphic Layer Recommended Display CIELab Value */
} LbPrLayer;

typedef struct {
  char    *label;               /* Graphic Group Label */
  char    *description;         /* Graphic Group Description */
  guint    id;                  /* Graphic Group ID, > 0 */
} LbPrGroup;

typedef struct {
  LbPrGraphicType type;
  double  *points;              /* x, y pairs */
  guint    n_points;
  gboolean filled;
  guint    group_id;            /* 0: none */
} LbPrGraphic;

typedef struct {
  char    *text;                /* Unformatted Text Value */
  gboolean has_anchor;
  double   anchor[2];
  gboolean anchor_visible;
  gboolean has_box;
  double   box[4];              /* top left x, y; bottom right x, y */
  guint    group_id;
} LbPrText;

/* One Graphic Annotation Sequence item: the objects of one layer. */
typedef struct {
  char        *layer;
  LbPrGraphic *graphics;
  guint        n_graphics;
  LbPrText    *texts;
  guint        n_texts;
} LbPrAnnotation;

typedef enum {
  LB_PR_SIZE_SCALE_TO_FIT,
  LB_PR_SIZE_TRUE_SIZE,
  LB_PR_SIZE_MAGNIFY,
} LbPrSizeMode;

typedef struct {
  /* Identity (parse only; the builder makes new UIDs). */
  char   *sop_class_uid;
  char   *sop_instance_uid;
  char   *series_uid;
  char   *study_uid;
  char   *referenced_sop_instance_uid;  /* the first referenced image */
  gboolean color;                       /* a CSPS */
  gboolean had_display_units;           /* some DISPLAY-unit objects were converted */
  /* Presentation State Identification (C.11.10). */
  char   *content_label;
  char   *content_description;
  char   *creator;
  char   *creation_date;
  char   *creation_time;
  /* Graphic Layer, Graphic Group and Graphic Annotation modules. */
  LbPrLayer      *layers;
  guint           n_layers;
  LbPrGroup      *groups;
  guint           n_groups;
  LbPrAnnotation *annotations;
  guint           n_annotations;
  /* Displayed Area (C.10.4): corners are 1-based pixel indices of the image
   * pixels shown top left and bottom right *after* the spatial
   * transformation (so with a rotation TLHC need not be the smaller). */
  gboolean     has_displayed_area;
  int          tlhc[2];
  int          brhc[2];
  LbPrSizeMode size_mode;
  double       magnification;
  double       pixel_spacing[2];   /* Presentation Pixel Spacing (row, column mm), 0: none */
  /* Spatial Transformation (C.10.6): rotate clockwise, then flip. */
  int          rotation;           /* 0, 90, 180, 270 */
  gboolean     flip_h;             /* applied after the rotation */
  /* Softcopy VOI LUT (C.11.8), GSPS only. */
  gboolean     has_window;
  double       window_center;
  double       window_width;
  /* Parse only: the Referenced Frame Number (1-based) the graphic
   * annotations of a multi-frame image are limited to; 0: all frames. */
  guint        referenced_frame;
} LbPresentationState;

void lb_presentation_state_free (LbPresentationState *state);

typedef struct {
  const char *content_label;        /* made CS: upper case, ≤ 16; default "ANNOTATIONS" */
  const char *content_description;
  const char *creator;              /* DICOM PN */
  const char *series_description;
  const char *uid_root;             /* NULL: Lightbox's default root */
  GDateTime  *creation_datetime;    /* NULL: now */
  /* A multi-frame image: the frame (1-based) the annotations were drawn on,
   * written as Referenced Frame Number (PS3.3 C.10.5); 0: all frames. */
  guint       referenced_frame;
} LbPrOptions;

/* Builds a presentation state for @image (the study it goes into, what it
 * references): a GSPS for MONOCHROME1/2 images, else a CSPS with the image's
 * ICC profile (or sRGB). Part-10 bytes, in a new PR series. */
GBytes *lb_dicom_pr_build (LbDicomObject              *image,
                           const LbPresentationState  *state,
                           const LbPrOptions          *options,
                           char                      **out_sop_instance_uid,
                           GError                    **error);

/* Reads a GSPS or CSPS (ours or another system's). */
LbPresentationState *lb_dicom_pr_parse (GBytes  *bytes,
                                        GError **error);

/* The displayed area corners for the region of columns x0..x1 and rows
 * y0..y1 (1-based, x0 ≤ x1, y0 ≤ y1) under a rotation and flip. */
void lb_dicom_pr_area_corners (int       x0,
                               int       y0,
                               int       x1,
                               int       y1,
                               int       rotation,
                               gboolean  flip_h,
                               int       tlhc[2],
                               int       brhc[2]);

/* The sRGB ICC profile (v4, D50) a CSPS carries when its image has none. */
GBytes *lb_dicom_srgb_icc_profile (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbPresentationState, lb_presentation_state_free)

G_END_DECLS
