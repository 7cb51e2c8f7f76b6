/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Presentation states: every annotation kind through a GSPS (MONOCHROME)
 * and a CSPS (color) and back; each object checked by dcmpschk, dciodvfy
 * and pydicom. Reading other software's objects: dcmtk's dcmpsmk output and
 * a GSPS with DISPLAY-unit graphics made with pydicom.
 */
#include "lb-config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "lb-annotation-pr.h"
#include "lb-test-utils.h"

static char *tmpdir;

static char *
path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static char *
run_sh (const char *cmd)
{
  const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
  char *out = NULL;

  lb_test_run (argv, &out, NULL, FALSE);
  g_assert_nonnull (out);
  return out;
}

static LbDicomObject *
load (const char *name)
{
  g_autofree char *p = path (name);
  g_autoptr (GError) error = NULL;
  LbDicomObject *obj = lb_dicom_object_new_from_file (p, NULL, &error);

  g_assert_no_error (error);
  return obj;
}

/* One annotation of every kind, on two layers, calibrated, with a view.
 * dcmpschk 3.6.7 reports characters outside Latin-1 in ISO_IR 192 objects
 * as errors (it checks a Latin-1 rendering), so the objects it checks use
 * Latin-1 text only; the others go beyond it. */
static const char *notes_layer;
static const char *note_text;

static LbAnnotationSet *
make_set (LbDicomObject *image)
{
  LbAnnotationSet *set = lb_annotation_set_new ();
  g_autoptr (GError) error = NULL;
  LbPoint point[] = { { 10.5, 20.5 } };
  LbPoint arrow[] = { { 30.25, 40.75 }, { 60.125, 70.5 } };
  LbPoint line[] = { { 100.5, 10.5 }, { 200.5, 10.5 } };
  LbPoint polyline[] = { { 5, 100 }, { 25, 120 }, { 45, 100 }, { 65, 120.0625 } };
  LbPoint polygon[] = { { 120, 60 }, { 200, 60 }, { 200, 140 }, { 160, 170 }, { 120, 140 } };
  LbPoint circle[] = { { 260, 60 }, { 280, 60 } };
  LbPoint ellipse[] = { { 230, 150 }, { 300, 150 }, { 265, 135 }, { 265, 165 } };
  LbPoint open[] = { { 10, 200 }, { 12.3, 203.7 }, { 15.1, 205.2 }, { 19.9, 204.4 } };
  LbPoint closed[] = { { 100, 200 }, { 110, 195 }, { 120, 205 }, { 112.5, 215.25 }, { 101, 210 } };
  LbPoint text[] = { { 150.5, 100.5 } };
  LbAnnotation boxed = { .kind = LB_ANNOTATION_TEXT, .text = "box only", .has_box = TRUE,
                         .box = { { 20, 220 }, { 90, 235 } }, .label = "note" };
  LbAnnotationView view = {
    .has_area = TRUE, .tlhc = { 11, 21 }, .brhc = { 300, 220 }, .size_mode = LB_DISPLAY_SCALE_TO_FIT,
    .magnification = 1, .rotation = 90, .flip_h = TRUE, .has_window = TRUE, .window_center = 1000,
    .window_width = 3000,
  };

  lb_annotation_set_set_image_from_dicom (set, image);
  g_assert_true (lb_annotation_set_add_layer (set, "Wound outline", (guint8[]) { 255, 0, 0 }, &error));
  g_assert_true (lb_annotation_set_add_layer (set, notes_layer, (guint8[]) { 0, 128, 255 }, &error));
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_POINT, point, 1, "spot", NULL, NULL, FALSE, &error), >, 0);
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_ARROW, arrow, 2, "", notes_layer, NULL, FALSE, &error), >, 0);
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_LINE, line, 2, "width", NULL, NULL, FALSE, &error), >, 0);
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_POLYLINE, polyline, 4, NULL, NULL, NULL, FALSE, &error), >, 0);
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_POLYGON, polygon, 5, "wound", "Wound outline", NULL, FALSE, &error), >, 0);
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_CIRCLE, circle, 2, "ulcer", NULL, NULL, FALSE, &error), >, 0);
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_ELLIPSE, ellipse, 4, NULL, NULL, NULL, FALSE, &error), >, 0);
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_FREEHAND, open, 4, "edge", NULL, NULL, FALSE, &error), >, 0);
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_FREEHAND, closed, 5, "wound", "Wound outline", NULL, TRUE, &error), >, 0);
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_TEXT, text, 1, NULL, notes_layer, note_text, FALSE, &error), >, 0);
  g_assert_cmpuint (lb_annotation_set_add_full (set, &boxed, &error), >, 0);
  g_assert_true (lb_annotation_set_calibrate (set, &line[0], &line[1], 25, &error));
  g_assert_no_error (error);
  lb_annotation_set_set_view (set, &view);
  return set;
}

static void
assert_same (LbAnnotationSet *a,
             LbAnnotationSet *b)
{
  g_assert_cmpuint (lb_annotation_set_get_n_layers (a), ==, lb_annotation_set_get_n_layers (b));
  for (guint i = 0; i < lb_annotation_set_get_n_layers (a); i++)
    {
      const LbAnnotationLayer *la = lb_annotation_set_get_layer (a, i);
      const LbAnnotationLayer *lb = lb_annotation_set_get_layer (b, i);
      g_assert_cmpstr (la->name, ==, lb->name);
      g_assert_cmpmem (la->rgb, 3, lb->rgb, 3);
    }
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (a), ==, lb_annotation_set_get_n_annotations (b));
  for (guint i = 0; i < lb_annotation_set_get_n_annotations (a); i++)
    {
      const LbAnnotation *x = lb_annotation_set_get_nth (a, i);
      const LbAnnotation *y = lb_annotation_set_get_nth (b, i);
      g_test_message ("annotation %u: %s", i, lb_annotation_kind_to_string (x->kind));
      g_assert_cmpint (x->kind, ==, y->kind);
      g_assert_cmpstr (x->label, ==, y->label);
      g_assert_cmpstr (x->layer, ==, y->layer);
      g_assert_cmpstr (x->text, ==, y->text);
      g_assert_cmpint (x->closed, ==, y->closed);
      g_assert_cmpuint (x->n_points, ==, y->n_points);
      for (guint j = 0; j < x->n_points; j++)
        {
          g_assert_cmpfloat_with_epsilon (x->points[j].x, y->points[j].x, 1e-4);
          g_assert_cmpfloat_with_epsilon (x->points[j].y, y->points[j].y, 1e-4);
        }
      g_assert_cmpint (x->has_box, ==, y->has_box);
      for (guint j = 0; x->has_box && j < 2; j++)
        {
          g_assert_cmpfloat_with_epsilon (x->box[j].x, y->box[j].x, 1e-4);
          g_assert_cmpfloat_with_epsilon (x->box[j].y, y->box[j].y, 1e-4);
        }
    }
  g_assert_cmpfloat_with_epsilon (lb_annotation_set_get_calibration (a), lb_annotation_set_get_calibration (b), 1e-9);
}

static void
assert_view_same (const LbAnnotationView *a,
                  const LbAnnotationView *b,
                  gboolean                window)
{
  g_assert_cmpint (a->has_area, ==, b->has_area);
  g_assert_cmpmem (a->tlhc, sizeof a->tlhc, b->tlhc, sizeof b->tlhc);
  g_assert_cmpmem (a->brhc, sizeof a->brhc, b->brhc, sizeof b->brhc);
  g_assert_cmpint (a->size_mode, ==, b->size_mode);
  g_assert_cmpint (a->rotation, ==, b->rotation);
  g_assert_cmpint (a->flip_h, ==, b->flip_h);
  if (window)
    {
      g_assert_true (b->has_window);
      g_assert_cmpfloat (a->window_center, ==, b->window_center);
      g_assert_cmpfloat (a->window_width, ==, b->window_width);
    }
}

/* No "Error" line from dciodvfy; dcmpschk (GSPS only) without errors. */
static void
assert_conformant (const char *file,
                   gboolean    gsps)
{
  g_autofree char *cmd = g_strdup_printf ("dciodvfy '%s' 2>&1", file);
  g_autofree char *out = run_sh (cmd);
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);

  g_assert_nonnull (strstr (out, gsps ? "GrayscaleSoftcopyPresentationState" : "ColorSoftcopyPresentationState"));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] != '\0')
        g_test_message ("dciodvfy: %s", lines[i]);
      g_assert_false (g_str_has_prefix (lines[i], "Error"));
    }
  if (gsps)
    {
      g_autofree char *cmd2 = g_strdup_printf ("dcmpschk '%s' 2>&1; echo \"exit=$?\"", file);
      g_autofree char *out2 = run_sh (cmd2);
      g_test_message ("dcmpschk: %s", out2);
      g_assert_nonnull (strstr (out2, "exit=0"));
      g_assert_null (strstr (out2, "Error"));
      g_assert_null (strstr (out2, "E: "));
    }
}

/* pydicom reads the attributes a PACS and other viewers rely on. */
static void
assert_pydicom (const char *file,
                const char *image,
                gboolean    gsps)
{
  g_autofree char *script = lb_test_source_path ("annotations", "check-pr.py", NULL);
  g_autofree char *img = path (image);
  const char *argv[] = { "/usr/bin/python3", script, file, img, gsps ? "gsps" : "csps", note_text, NULL };
  g_autofree char *out = NULL;

  lb_test_run (argv, &out, NULL, TRUE);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "ok"));
}

static void
round_trip (const char *image_name,
            gboolean    gsps)
{
  notes_layer = gsps ? "Notes ½" : "Notes ✓";
  note_text = gsps ? "Slough, 20 % · see ½" : "Slough, 20 % — see ✓";

  g_autoptr (LbDicomObject) image = load (image_name);
  g_autoptr (LbAnnotationSet) set = make_set (image);
  g_autoptr (LbAnnotationSet) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pr = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *out = NULL;
  g_autofree char *file = NULL;
  g_autoptr (GDateTime) when = g_date_time_new_utc (2024, 3, 2, 9, 30, 0);
  LbPrOptions options = {
    .content_label = "Wound review", .content_description = "Wound outline, week 3",
    .creator = "NURSE^ANNA", .creation_datetime = when,
  };

  pr = lb_annotation_set_build_pr (set, image, &options, &uid, &error);
  g_assert_no_error (error);
  g_assert_nonnull (uid);
  out = g_strdup_printf ("%s.pr.dcm", image_name);
  file = path (out);
  g_assert_true (g_file_set_contents (file, g_bytes_get_data (pr, NULL), g_bytes_get_size (pr), NULL));

  assert_conformant (file, gsps);
  assert_pydicom (file, image_name, gsps);

  back = lb_annotation_set_new_from_pr (pr, &error);
  g_assert_no_error (error);
  assert_same (set, back);
  assert_view_same (lb_annotation_set_get_view (set), lb_annotation_set_get_view (back), gsps);
  g_assert_cmpstr (lb_annotation_set_get_sop_instance_uid (back), ==,
                   lb_dicom_object_get_meta (image)->sop_instance_uid);

  {
    g_autoptr (LbPresentationState) ps = lb_dicom_pr_parse (pr, &error);
    g_assert_no_error (error);
    g_assert_cmpint (ps->color, ==, !gsps);
    g_assert_cmpstr (ps->content_label, ==, "WOUND_REVIEW");
    g_assert_cmpstr (ps->content_description, ==, "Wound outline, week 3");
    g_assert_cmpstr (ps->creator, ==, "NURSE^ANNA");
    g_assert_cmpstr (ps->creation_date, ==, "20240302");
    g_assert_cmpstr (ps->sop_instance_uid, ==, uid);
    g_assert_false (ps->had_display_units);
  }
}

static void
test_gsps (void)
{
  round_trip ("mono.dcm", TRUE);
}

static void
test_gsps_monochrome1 (void)
{
  round_trip ("mono1.dcm", TRUE);
}

static void
test_csps (void)
{
  round_trip ("rgb.dcm", FALSE);
}

static void
test_csps_photo (void)
{
  round_trip ("photo.dcm", FALSE);
}

/* The sRGB profile Lightbox writes is a valid ICC profile (lcms2 reads it). */
static void
test_srgb_profile (void)
{
  g_autoptr (GBytes) icc = lb_dicom_srgb_icc_profile ();
  g_autofree char *file = path ("srgb.icc");
  g_autofree char *cmd = NULL, *out = NULL;

  g_assert_true (g_file_set_contents (file, g_bytes_get_data (icc, NULL), g_bytes_get_size (icc), NULL));
  cmd = g_strdup_printf ("/usr/bin/python3 -c \"from PIL import ImageCms; "
                         "p = ImageCms.getOpenProfile('%s'); "
                         "print(ImageCms.getProfileDescription(p).strip()); "
                         "t = ImageCms.buildTransform(p, ImageCms.createProfile('sRGB'), 'RGB', 'RGB'); "
                         "from PIL import Image; "
                         "print(ImageCms.applyTransform(Image.new('RGB', (1, 1), (200, 100, 50)), t).getpixel((0, 0)))\" 2>&1",
                         file);
  out = run_sh (cmd);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "sRGB (Lightbox)"));
  /* Identity against lcms's own sRGB, within rounding. */
  {
    int r = 0, g = 0, b = 0;
    const char *p = g_strrstr (out, "(");
    g_assert_nonnull (p);
    g_assert_cmpint (sscanf (p, "(%d, %d, %d)", &r, &g, &b), ==, 3);
    g_assert_cmpint (ABS (r - 200), <=, 1);
    g_assert_cmpint (ABS (g - 100), <=, 1);
    g_assert_cmpint (ABS (b - 50), <=, 1);
  }
}

/* dcmtk's own GSPS (dcmpsmk): a displayed area, a VOI window, no graphics;
 * then one with graphic layers and annotations added by pydicom. */
static void
test_read_dcmpsmk (void)
{
  g_autofree char *img = path ("mono.dcm");
  g_autofree char *pr = path ("dcmpsmk.dcm");
  g_autofree char *cmd = g_strdup_printf ("dcmpsmk '%s' '%s' 2>&1", img, pr);
  g_autofree char *out = run_sh (cmd);
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LbPresentationState) ps = NULL;
  g_autoptr (LbAnnotationSet) set = NULL;
  g_autoptr (LbDicomObject) image = load ("mono.dcm");

  g_assert_true (g_file_get_contents (pr, &contents, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  ps = lb_dicom_pr_parse (bytes, &error);
  g_assert_no_error (error);
  g_assert_false (ps->color);
  g_assert_true (ps->has_displayed_area);
  g_assert_cmpint (ps->tlhc[0], ==, 1);
  g_assert_cmpint (ps->tlhc[1], ==, 1);
  g_assert_cmpint (ps->brhc[0], ==, 320);
  g_assert_cmpint (ps->brhc[1], ==, 240);
  g_assert_cmpstr (ps->referenced_sop_instance_uid, ==, lb_dicom_object_get_meta (image)->sop_instance_uid);
  g_assert_cmpstr (ps->study_uid, ==, lb_dicom_object_get_meta (image)->study_uid);
  g_assert_true (ps->has_window);
  g_assert_cmpfloat (ps->window_center, ==, 2048);
  g_assert_cmpfloat (ps->window_width, ==, 4096);
  set = lb_annotation_set_new_from_presentation_state (ps);
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 0);
  /* dcmpsmk copies the image's anisotropic Pixel Spacing into Presentation
   * Pixel Spacing: kept as the image's spacing, not as a calibration. */
  g_assert_cmpfloat (ps->pixel_spacing[0], ==, 0.5);
  g_assert_cmpfloat (ps->pixel_spacing[1], ==, 0.25);
  g_assert_cmpfloat (lb_annotation_set_get_calibration (set), ==, 0);
  {
    double spacing[2];
    g_assert_true (lb_annotation_set_get_spacing (set, spacing));
    g_assert_cmpfloat (spacing[0], ==, 0.5);
    g_assert_cmpfloat (spacing[1], ==, 0.25);
  }
}

/* Another system's GSPS (pydicom): two layers, DISPLAY-unit graphics and
 * text (converted through a displayed area, a rotation and a flip), a
 * bounding-box-only text, no graphic groups. */
static void
test_read_display_units (void)
{
  g_autofree char *script = lb_test_source_path ("annotations", "make-foreign-pr.py", NULL);
  g_autofree char *img = path ("mono.dcm");
  g_autofree char *pr = path ("foreign.dcm");
  const char *argv[] = { "/usr/bin/python3", script, img, pr, NULL };
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LbAnnotationSet) set = NULL;
  const LbAnnotation *a;

  lb_test_run (argv, NULL, NULL, TRUE);
  g_assert_true (g_file_get_contents (pr, &contents, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  set = lb_annotation_set_new_from_pr (bytes, &error);
  g_assert_no_error (error);

  /* Layers by Graphic Layer Order; the one without a description keeps its CS name. */
  g_assert_cmpuint (lb_annotation_set_get_n_layers (set), ==, 2);
  g_assert_cmpstr (lb_annotation_set_get_layer (set, 0)->name, ==, "Outlines");
  g_assert_cmpstr (lb_annotation_set_get_layer (set, 1)->name, ==, "TEXT");
  g_assert_cmpint (lb_annotation_set_get_layer (set, 0)->rgb[0], >, 200);
  g_assert_cmpint (lb_annotation_set_get_layer (set, 0)->rgb[1], <, 40);

  g_assert_cmpuint (lb_annotation_set_get_n_annotations (set), ==, 5);
  /* 0: a closed DISPLAY polyline over the whole displayed area (cols 41..120,
   * rows 21..80: pixel edges 40..120 × 20..80), shown rotated 90° and then
   * flipped — together a transposition, so the screen's x runs down the
   * image. Each display corner maps back to a corner of that area. */
  a = lb_annotation_set_get_nth (set, 0);
  g_assert_cmpint (a->kind, ==, LB_ANNOTATION_POLYGON);
  g_assert_cmpuint (a->n_points, ==, 4);
  g_assert_cmpstr (a->layer, ==, "Outlines");
  /* display (0,0) → image (40, 20); (1,0) → (40, 80); (1,1) → (120, 80); (0,1) → (120, 20). */
  g_assert_cmpfloat_with_epsilon (a->points[0].x, 40, 1e-4);
  g_assert_cmpfloat_with_epsilon (a->points[0].y, 20, 1e-4);
  g_assert_cmpfloat_with_epsilon (a->points[1].x, 40, 1e-4);
  g_assert_cmpfloat_with_epsilon (a->points[1].y, 80, 1e-4);
  g_assert_cmpfloat_with_epsilon (a->points[2].x, 120, 1e-4);
  g_assert_cmpfloat_with_epsilon (a->points[2].y, 80, 1e-4);
  g_assert_cmpfloat_with_epsilon (a->points[3].x, 120, 1e-4);
  g_assert_cmpfloat_with_epsilon (a->points[3].y, 20, 1e-4);
  /* 1: a PIXEL-unit INTERPOLATED open curve: freehand, as is. */
  a = lb_annotation_set_get_nth (set, 1);
  g_assert_cmpint (a->kind, ==, LB_ANNOTATION_FREEHAND);
  g_assert_false (a->closed);
  g_assert_cmpuint (a->n_points, ==, 3);
  g_assert_cmpfloat_with_epsilon (a->points[2].x, 70.5, 1e-4);
  /* 2: a DISPLAY circle centred on the area: image (80, 50). */
  a = lb_annotation_set_get_nth (set, 2);
  g_assert_cmpint (a->kind, ==, LB_ANNOTATION_CIRCLE);
  g_assert_cmpfloat_with_epsilon (a->points[0].x, 80, 1e-4);
  g_assert_cmpfloat_with_epsilon (a->points[0].y, 50, 1e-4);
  /* 3: text with a DISPLAY anchor at the middle of the screen's left edge:
   * image (x0 + W/2, y0) = (80, 20). */
  a = lb_annotation_set_get_nth (set, 3);
  g_assert_cmpint (a->kind, ==, LB_ANNOTATION_TEXT);
  g_assert_cmpstr (a->text, ==, "Granulation");
  g_assert_cmpstr (a->layer, ==, "TEXT");
  g_assert_cmpuint (a->n_points, ==, 1);
  g_assert_cmpfloat_with_epsilon (a->points[0].x, 80, 1e-4);
  g_assert_cmpfloat_with_epsilon (a->points[0].y, 20, 1e-4);
  /* 4: text with a PIXEL bounding box only. */
  a = lb_annotation_set_get_nth (set, 4);
  g_assert_cmpint (a->kind, ==, LB_ANNOTATION_TEXT);
  g_assert_cmpstr (a->text, ==, "Boxed note");
  g_assert_cmpuint (a->n_points, ==, 0);
  g_assert_true (a->has_box);
  g_assert_cmpfloat_with_epsilon (a->box[0].x, 200, 1e-4);
  g_assert_cmpfloat_with_epsilon (a->box[1].y, 230, 1e-4);
  /* Presentation Pixel Spacing 0.2\0.2 is the calibration. */
  g_assert_cmpfloat_with_epsilon (lb_annotation_set_get_calibration (set), 0.2, 1e-9);
}

static void
test_bad_input (void)
{
  g_autoptr (LbDicomObject) image = load ("mono.dcm");
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) junk = g_bytes_new_static ("not dicom at all", 16);
  g_autofree char *img = path ("mono.dcm");
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (LbPresentationState) ps = g_new0 (LbPresentationState, 1);

  g_assert_null (lb_dicom_pr_parse (junk, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* An image is not a presentation state. */
  g_assert_true (g_file_get_contents (img, &contents, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  g_assert_null (lb_dicom_pr_parse (bytes, &error));
  g_assert_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  /* A layer name that is not a CS. */
  ps->layers = g_new0 (LbPrLayer, 1);
  ps->n_layers = 1;
  ps->layers[0].name = g_strdup ("lower case");
  g_assert_null (lb_dicom_pr_build (image, ps, NULL, NULL, &error));
  g_assert_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "graphic layer"));
  g_clear_error (&error);
  g_free (ps->layers[0].name);
  ps->layers[0].name = g_strdup ("OK");
  ps->rotation = 45;
  g_assert_null (lb_dicom_pr_build (image, ps, NULL, NULL, &error));
  g_assert_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED);
}

/* The viewport's zoom and pan as a displayed area, and back. */
static void
test_view_transform (void)
{
  LbViewTransform t, u;
  LbAnnotationView view;

  lb_view_transform_init (&t, 320, 240, 800, 600);
  lb_view_transform_fit (&t);
  lb_annotation_view_from_transform (&t, &view);
  g_assert_cmpint (view.tlhc[0], ==, 1);
  g_assert_cmpint (view.tlhc[1], ==, 1);
  g_assert_cmpint (view.brhc[0], ==, 320);
  g_assert_cmpint (view.brhc[1], ==, 240);

  /* 4× zoom centred on (100, 80): 200 × 150 image px visible. */
  t.zoom = 4;
  t.center_x = 100;
  t.center_y = 80;
  t.rotation = 1;
  lb_annotation_view_from_transform (&t, &view);
  g_assert_cmpint (view.rotation, ==, 90);
  /* Rotated a quarter: columns 26..175 and rows -19..180 of the image; the
   * top left of the screen shows the region's bottom left pixel. */
  g_assert_cmpint (view.tlhc[0], ==, 26);
  g_assert_cmpint (view.tlhc[1], ==, 180);
  g_assert_cmpint (view.brhc[0], ==, 175);
  g_assert_cmpint (view.brhc[1], ==, -19);
  lb_view_transform_init (&u, 320, 240, 800, 600);
  lb_annotation_view_apply_to_transform (&view, &u);
  g_assert_cmpint (u.rotation, ==, 1);
  g_assert_cmpfloat_with_epsilon (u.zoom, 4, 1e-9);
  g_assert_cmpfloat_with_epsilon (u.center_x, 100, 1e-9);
  g_assert_cmpfloat_with_epsilon (u.center_y, 80, 1e-9);

  /* The viewer flips before rotating, a presentation state after: a flip
   * with a quarter turn clockwise is stored as 270°. */
  t.flip_h = TRUE;
  lb_annotation_view_from_transform (&t, &view);
  g_assert_cmpint (view.rotation, ==, 270);
  g_assert_true (view.flip_h);
  lb_annotation_view_apply_to_transform (&view, &u);
  g_assert_cmpint (u.rotation, ==, 1);
  g_assert_true (u.flip_h);
}

/* Marks on frame 2 of a clip: the graphic annotations reference that frame
 * (Referenced Frame Number, PS3.3 C.10.5), dciodvfy and dcmpschk accept it,
 * and it is read back; a single-frame image gets no frame reference; a
 * frame past the clip's end is refused. */
static void
test_frame_reference (void)
{
  g_autoptr (LbDicomObject) clip = load ("multiframe.dcm");
  g_autoptr (LbDicomObject) still = load ("mono.dcm");
  g_autoptr (LbAnnotationSet) set = lb_annotation_set_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pr = NULL;
  g_autoptr (LbPresentationState) ps = NULL;
  g_autofree char *file = path ("multiframe.pr.dcm");
  g_autofree char *dump = NULL, *cmd = NULL;
  LbPoint line[2] = { { 10.5, 20.5 }, { 100.5, 20.5 } };
  LbPrOptions options = { .content_label = "Frame", .creator = "NURSE^ANNA", .referenced_frame = 2 };

  g_assert_cmpuint (lb_dicom_object_get_meta (clip)->number_of_frames, ==, 3);
  lb_annotation_set_set_image_from_dicom (set, clip);
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_LINE, line, 2, "gap", NULL, NULL, FALSE, &error), >, 0);
  g_assert_no_error (error);

  pr = lb_annotation_set_build_pr (set, clip, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (file, g_bytes_get_data (pr, NULL), g_bytes_get_size (pr), NULL));
  assert_conformant (file, TRUE);
  cmd = g_strdup_printf ("dcmdump +P 0070,0001/0008,1140/0008,1160 '%s' 2>&1", file);
  dump = run_sh (cmd);
  g_test_message ("%s", dump);
  g_assert_nonnull (strstr (dump, "IS [2]"));
  ps = lb_dicom_pr_parse (pr, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ps->referenced_frame, ==, 2);
  g_clear_pointer (&ps, lb_presentation_state_free);
  g_clear_pointer (&pr, g_bytes_unref);

  /* Past the end: refused in words. */
  options.referenced_frame = 4;
  pr = lb_annotation_set_build_pr (set, clip, &options, NULL, &error);
  g_assert_null (pr);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "frame 4"));
  g_clear_error (&error);

  /* A single frame: no frame reference, whatever is asked. */
  lb_annotation_set_set_image_from_dicom (set, still);
  options.referenced_frame = 1;
  pr = lb_annotation_set_build_pr (set, still, &options, NULL, &error);
  g_assert_no_error (error);
  ps = lb_dicom_pr_parse (pr, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ps->referenced_frame, ==, 0);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = lb_test_make_tmpdir ();
  {
    g_autofree char *script = lb_test_source_path ("annotations", "make-images.py", NULL);
    g_autofree char *jpg = path ("photo.jpg");
    g_autofree char *photo = path ("photo.dcm");
    const char *argv1[] = { "/usr/bin/python3", script, tmpdir, NULL };
    const char *argv2[] = { g_getenv ("LIGHTBOX_CLI"), "wrap", jpg, "--out", photo, "--patient-id", "PR-2",
                            "--patient-name", "TEST^PHOTO", "--body-part", "HAND", "--laterality", "L", NULL };
    lb_test_run (argv1, NULL, NULL, TRUE);
    lb_test_run (argv2, NULL, NULL, TRUE);
  }

  g_test_add_func ("/pr/gsps", test_gsps);
  g_test_add_func ("/pr/gsps-monochrome1", test_gsps_monochrome1);
  g_test_add_func ("/pr/csps", test_csps);
  g_test_add_func ("/pr/csps-photo", test_csps_photo);
  g_test_add_func ("/pr/srgb-profile", test_srgb_profile);
  g_test_add_func ("/pr/read-dcmpsmk", test_read_dcmpsmk);
  g_test_add_func ("/pr/read-display-units", test_read_display_units);
  g_test_add_func ("/pr/bad-input", test_bad_input);
  g_test_add_func ("/pr/view-transform", test_view_transform);
  g_test_add_func ("/pr/frame-reference", test_frame_reference);
  status = g_test_run ();
  lb_test_remove_tree (tmpdir);
  return status;
}
