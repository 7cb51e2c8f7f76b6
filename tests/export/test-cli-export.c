/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lightbox-cli export on wound photos the test draws (cairo → PNG →
 * `lightbox-cli wrap`), with annotation JSON carrying a calibration and a
 * "wound" polygon, checked with poppler's pdftotext, pdfinfo and pdftoppm.
 */
#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "lb-banner.h"
#include "lb-export.h"
#include "lb-store.h"
#include "lb-test-utils.h"

#define NAME_FAMILY "DOE"
#define NAME_GIVEN  "JANE"
#define PATIENT_ID  "100234"

typedef struct {
  char *dir;
  char *image[2];   /* baseline, +6 w */
  char *json[2];
  char *other;      /* another patient's photo */
} Fixture;

static const char *
cli (void)
{
  const char *path = g_getenv ("LIGHTBOX_CLI");

  g_assert_nonnull (path);
  return path;
}

/* Runs argv; returns the exit status, with stdout and stderr. */
static int
run (const char * const *argv,
     char              **out,
     char              **err)
{
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_autofree char *ignored = NULL;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               out ? out : &ignored, err, &status, &error));
  g_assert_no_error (error);
  if (err != NULL && *err != NULL && (*err)[0] != '\0')
    g_test_message ("%s: %s", argv[1], *err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* A wound-like photo: skin, a paper ruler, a red square of @area_mm2 at
 * @mm_per_px. Returns the square's corners in image pixels. */
static void
draw_photo (const char *png,
            double      area_mm2,
            double      mm_per_px,
            double      corners[4])
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 480, 360);
  cairo_t *cr = cairo_create (s);
  double side = sqrt (area_mm2) / mm_per_px;

  cairo_set_source_rgb (cr, 0.87, 0.70, 0.58);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.97, 0.97, 0.95);
  cairo_rectangle (cr, 20, 320, 440, 30);
  cairo_fill (cr);
  corners[0] = 200 - side / 2;
  corners[1] = 165 - side / 2;
  corners[2] = 200 + side / 2;
  corners[3] = 165 + side / 2;
  cairo_set_source_rgb (cr, 0.65, 0.12, 0.10);
  cairo_rectangle (cr, corners[0], corners[1], side, side);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (s, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (s);
}

static char *
make_image (const char *dir,
            const char *name,
            const char *patient_id,
            const char *patient_name,
            const char *date,
            const char *sop_uid,
            double      area_mm2,
            double      mm_per_px,
            char      **json_path)
{
  g_autofree char *png = g_build_filename (dir, "photo.png", NULL);
  g_autofree char *acq = g_strconcat (date, "101500", NULL);
  char *dcm = g_strdup_printf ("%s/%s.dcm", dir, name);
  double c[4];

  draw_photo (png, area_mm2, mm_per_px, c);
  {
    const char *argv[] = { cli (), "wrap", png, "--out", dcm, "--patient-id", patient_id,
                           "--patient-name", patient_name, "--study-date", date,
                           "--acquisition-datetime", acq, "--sop-uid", sop_uid,
                           "--uid-root", "1.2.826.0.1.3680043.10.1379.99", "--body-part", "LEG",
                           "--laterality", "L", NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run (argv, &out, &err), ==, 0);
  }
  if (json_path != NULL)
    {
      g_autofree char *json = g_strdup_printf (
        "{ \"version\": 1,\n"
        "  \"image\": { \"sop_instance_uid\": \"%s\" },\n"
        "  \"calibration\": { \"mm_per_pixel\": %.17g },\n"
        "  \"layers\": [ { \"name\": \"Wound outline\", \"color\": \"#00ff00\" } ],\n"
        "  \"annotations\": [\n"
        "    { \"kind\": \"polygon\", \"label\": \"wound\",\n"
        "      \"points\": [[%.17g, %.17g], [%.17g, %.17g], [%.17g, %.17g], [%.17g, %.17g]] },\n"
        "    { \"kind\": \"arrow\", \"points\": [[40, 40], [%.17g, %.17g]] },\n"
        "    { \"kind\": \"text\", \"points\": [[30, 20]], \"text\": \"edges closing well\" }\n"
        "  ] }\n",
        sop_uid, mm_per_px, c[0], c[1], c[2], c[1], c[2], c[3], c[0], c[3], c[0], c[1]);

      *json_path = g_strdup_printf ("%s/%s.json", dir, name);
      g_assert_true (g_file_set_contents (*json_path, json, -1, NULL));
    }
  return dcm;
}

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  f->dir = lb_test_make_tmpdir ();
  f->image[0] = make_image (f->dir, "baseline", PATIENT_ID, NAME_FAMILY "^" NAME_GIVEN, "20250131",
                            "1.2.826.0.1.3680043.10.1379.99.3.1", 412, 0.100, &f->json[0]);
  f->image[1] = make_image (f->dir, "week6", PATIENT_ID, NAME_FAMILY "^" NAME_GIVEN, "20250314",
                            "1.2.826.0.1.3680043.10.1379.99.3.4", 96, 0.110, &f->json[1]);
  f->other = make_image (f->dir, "other", "100871", "ROE^MAX", "20250312",
                         "1.2.826.0.1.3680043.10.1379.99.3.7", 50, 0.06, NULL);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  lb_test_remove_tree (f->dir);
  g_free (f->dir);
  for (guint i = 0; i < 2; i++)
    {
      g_free (f->image[i]);
      g_free (f->json[i]);
    }
  g_free (f->other);
}

/* All whitespace as single spaces: pdftotext breaks lines where the page does. */
static char *
normalize (const char *text)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p))
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
pdf_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
  g_autofree char *out = NULL;

  g_assert_true (lb_test_run (argv, &out, NULL, TRUE));
  return normalize (out);
}

static char *
pdf_info (const char *pdf)
{
  const char *argv[] = { "pdfinfo", pdf, NULL };
  g_autofree char *out = NULL;

  g_assert_true (lb_test_run (argv, &out, NULL, TRUE));
  return normalize (out);
}

static gboolean
contains_caseless (const char *haystack,
                   gsize       len,
                   const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (g_ascii_strncasecmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static int
export (Fixture    *f,
        const char *out,
        gboolean    leave_out,
        const char *note,
        char      **err)
{
  const char *argv[16];
  guint n = 0;

  argv[n++] = cli ();
  argv[n++] = "export";
  argv[n++] = f->image[1];  /* newest first: the export orders by date */
  argv[n++] = f->image[0];
  argv[n++] = "--annotations";
  argv[n++] = f->json[0];
  argv[n++] = "--annotations";
  argv[n++] = f->json[1];
  argv[n++] = "--label";
  argv[n++] = "wound";
  argv[n++] = "--note";
  argv[n++] = note;
  if (leave_out)
    argv[n++] = "--leave-out-identity";
  argv[n++] = "--out";
  argv[n++] = out;
  argv[n] = NULL;
  return run (argv, NULL, err);
}

#define NOTE "The wound is much smaller than six weeks ago. Keep the dressing dry."

static void
check_pdf_content (const char *text)
{
  g_autofree char *banner = normalize (lb_banner_text ());

  g_assert_nonnull (strstr (text, banner));
  g_assert_nonnull (strstr (text, "2025-01-31"));
  g_assert_nonnull (strstr (text, "2025-03-14"));
  g_assert_nonnull (strstr (text, "baseline"));
  g_assert_nonnull (strstr (text, "+6 w"));
  g_assert_nonnull (strstr (text, NOTE));
  g_assert_nonnull (strstr (text, "−76.7 %"));
  g_assert_nonnull (strstr (text, "−77 % since baseline"));
  g_assert_nonnull (strstr (text, "wound: 412 mm²"));
  g_assert_nonnull (strstr (text, "wound: 96.0 mm²"));
  g_assert_nonnull (strstr (text, "edges closing well"));
}

static void
test_pdf_with_identity (Fixture      *f,
                        gconstpointer data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "export.pdf", NULL);
  g_autofree char *prefix = g_build_filename (f->dir, "page", NULL);
  g_autofree char *page = g_build_filename (f->dir, "page-1.png", NULL);
  g_autofree char *err = NULL, *text = NULL, *info = NULL;
  cairo_surface_t *s;
  const guint8 *d;
  guint64 sum = 0, sum2 = 0;
  int w, h, stride;

  g_assert_cmpint (export (f, pdf, FALSE, NOTE, &err), ==, 0);
  text = pdf_text (pdf);
  check_pdf_content (text);
  g_assert_nonnull (strstr (text, "DOE, JANE"));
  g_assert_nonnull (strstr (text, PATIENT_ID));
  info = pdf_info (pdf);
  g_assert_nonnull (strstr (info, "Pages: 1"));
  g_assert_nonnull (strstr (info, "842 x 595 pts"));
  g_assert_nonnull (strstr (info, "Creator: Lightbox"));

  {
    const char *argv[] = { "pdftoppm", "-png", "-r", "50", pdf, prefix, NULL };

    g_assert_true (lb_test_run (argv, NULL, NULL, TRUE));
  }
  s = cairo_image_surface_create_from_png (page);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  w = cairo_image_surface_get_width (s);
  h = cairo_image_surface_get_height (s);
  /* 842 × 595 pt at 50 dpi. */
  g_assert_cmpint (abs (w - 585), <=, 1);
  g_assert_cmpint (abs (h - 413), <=, 1);
  d = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 p = *(const guint32 *) (d + (gsize) y * stride + 4 * x);
        guint g = ((p >> 16 & 0xff) + (p >> 8 & 0xff) + (p & 0xff)) / 3;

        sum += g;
        sum2 += (guint64) g * g;
      }
  {
    double mean = (double) sum / (w * h), var = (double) sum2 / (w * h) - mean * mean;

    g_assert_cmpfloat (var, >, 200);  /* not blank */
  }
  /* The banner's yellow across the top of the page. */
  {
    guint32 p = *(const guint32 *) (d + 2 * stride + 4 * (w / 2)) & 0xffffff;

    g_assert_cmphex (p, ==, LB_BANNER_BACKGROUND & 0xffffff);
  }
  cairo_surface_destroy (s);
}

static void
test_pdf_leave_out_identity (Fixture      *f,
                             gconstpointer data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "portal.pdf", NULL);
  g_autofree char *err = NULL, *text = NULL, *info = NULL, *raw = NULL;
  const char *needles[] = { NAME_FAMILY, NAME_GIVEN, PATIENT_ID };
  /* Compressed streams are random bytes: a 3-letter caseless match there
   * would be chance, so the raw file is searched for the exact forms. */
  const char *raw_needles[] = { "DOE^JANE", "DOE, JANE", NAME_GIVEN, "Jane", PATIENT_ID };
  gsize len;

  /* The clinician's note names the patient: it is left out too. */
  g_assert_cmpint (export (f, pdf, TRUE, "Jane, " NOTE " (ref 100234)", &err), ==, 0);
  text = pdf_text (pdf);
  check_pdf_content (text);
  info = pdf_info (pdf);
  g_assert_true (g_file_get_contents (pdf, &raw, &len, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
    {
      g_assert_false (contains_caseless (text, strlen (text), needles[i]));
      g_assert_false (contains_caseless (info, strlen (info), needles[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (raw_needles); i++)
    g_assert_null (memmem (raw, len, raw_needles[i], strlen (raw_needles[i])));
  /* The metadata is there, and neutral. */
  g_assert_nonnull (memmem (raw, len, "/Creator (Lightbox)", 19));
  g_assert_nonnull (strstr (text, "[left out]"));
  g_assert_nonnull (strstr (info, "Title: Photos shared by your care team"));
  g_assert_nonnull (strstr (info, "Author: Lightbox"));
}

static guint32
png_pixel (cairo_surface_t *s,
           int              x,
           int              y)
{
  const guint8 *d = cairo_image_surface_get_data (s);

  return *(const guint32 *) (d + (gsize) y * cairo_image_surface_get_stride (s) + 4 * x) & 0xffffff;
}

static void
test_png (Fixture      *f,
          gconstpointer data)
{
  g_autofree char *png = g_build_filename (f->dir, "export.png", NULL);
  g_autofree char *err = NULL;
  cairo_surface_t *s;
  guint yellow = 0, red = 0;

  g_assert_cmpint (export (f, png, TRUE, NOTE, &err), ==, 0);
  s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, LB_EXPORT_PNG_WIDTH);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, LB_EXPORT_PNG_HEIGHT);
  /* The top rows are the banner (its text is dark, so most, not all). */
  for (int y = 0; y < 4; y++)
    for (int x = 0; x < LB_EXPORT_PNG_WIDTH; x++)
      yellow += png_pixel (s, x, y) == (LB_BANNER_BACKGROUND & 0xffffff);
  g_assert_cmpuint (yellow, ==, 4 * LB_EXPORT_PNG_WIDTH);
  /* The wounds made it through the pipeline (decoded JPEG-free PNG → RGB). */
  for (int y = 0; y < LB_EXPORT_PNG_HEIGHT; y++)
    for (int x = 0; x < LB_EXPORT_PNG_WIDTH; x++)
      {
        guint32 p = png_pixel (s, x, y);

        red += (p >> 16 & 0xff) > 140 && (p >> 16 & 0xff) < 190 && (p >> 8 & 0xff) < 50 && (p & 0xff) < 50;
      }
  g_assert_cmpuint (red, >, 1000);
  cairo_surface_destroy (s);
}

/* Turned and mirrored by the annotation set's view (PS3.3 C.10.6: rotate,
 * then flip): the burned-in outline must still sit on the wound's edge. */
static void
test_png_rotated (Fixture      *f,
                  gconstpointer data)
{
  g_autofree char *json_text = NULL, *json = g_build_filename (f->dir, "rotated.json", NULL);
  g_autofree char *png = g_build_filename (f->dir, "rotated.png", NULL);
  g_autofree char *err = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GString) edited = g_string_new (NULL);
  const char *argv[] = { cli (), "export", f->image[0], "--annotations", json, "--out", png, NULL };
  cairo_surface_t *s;
  int w, h;
  guint green = 0, off = 0;

  /* The baseline's JSON without the arrow and text (drawn in the same
   * green), with a view. */
  g_assert_true (g_file_get_contents (f->json[0], &json_text, NULL, NULL));
  lines = g_strsplit (json_text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "\"arrow\"") == NULL && strstr (lines[i], "\"text\"") == NULL)
      g_string_append_printf (edited, "%s\n", lines[i]);
  g_string_truncate (edited, strrchr (edited->str, ']') - edited->str);
  g_string_truncate (edited, strrchr (edited->str, '}') - edited->str + 1);
  g_string_append (edited, " ], \"view\": { \"rotation\": 90, \"flip_horizontal\": true } }\n");
  g_assert_true (g_file_set_contents (json, edited->str, -1, NULL));

  g_assert_cmpint (run (argv, NULL, &err), ==, 0);
  s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  w = cairo_image_surface_get_width (s);
  h = cairo_image_surface_get_height (s);
  for (int y = 3; y < h - 3; y++)
    for (int x = 3; x < w - 3; x++)
      {
        guint32 p = png_pixel (s, x, y);
        gboolean near_red = FALSE;

        if (!((p >> 8 & 0xff) > 200 && (p >> 16 & 0xff) < 80 && (p & 0xff) < 80))
          continue;
        green++;
        for (int dy = -3; dy <= 3 && !near_red; dy++)
          for (int dx = -3; dx <= 3 && !near_red; dx++)
            {
              guint32 q = png_pixel (s, x + dx, y + dy);

              near_red = (q >> 16 & 0xff) > 140 && (q >> 16 & 0xff) < 190 && (q >> 8 & 0xff) < 50 && (q & 0xff) < 50;
            }
        off += !near_red;
      }
  g_assert_cmpuint (green, >, 1000);
  g_assert_cmpuint (off, ==, 0);
  cairo_surface_destroy (s);
}

static void
test_pr_input (Fixture      *f,
               gconstpointer data)
{
  g_autofree char *pr = g_build_filename (f->dir, "baseline-pr.dcm", NULL);
  g_autofree char *pdf = g_build_filename (f->dir, "from-pr.pdf", NULL);
  g_autofree char *err = NULL, *text = NULL;
  const char *present[] = { cli (), "present", f->image[0], "--annotations", f->json[0], "--out", pr, NULL };
  const char *argv[] = { cli (), "export", f->image[0], "--pr", pr, "--label", "wound", "--out", pdf, NULL };

  g_autofree char *uid = NULL;

  g_assert_true (lb_test_run (present, &uid, NULL, TRUE));
  g_assert_cmpint (run (argv, NULL, &err), ==, 0);
  text = pdf_text (pdf);
  g_assert_nonnull (strstr (text, "wound: 412 mm²"));
  g_assert_nonnull (strstr (text, "baseline"));
}

/* Every export lands in the audit log, naming the objects, not the patient. */
static void
test_audit (Fixture      *f,
            gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir, "audit.db", NULL);
  g_autofree char *pdf = g_build_filename (f->dir, "audited.pdf", NULL);
  g_autofree char *err = NULL;
  const char *argv[] = { cli (), "export", f->image[0], "--leave-out-identity", "--db", db, "--out", pdf, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (LbStore) store = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (LbDicomObject) image = NULL;
  const char *row;

  g_assert_cmpint (run (argv, NULL, &err), ==, 0);
  image = lb_dicom_object_new_from_file (f->image[0], NULL, &error);
  g_assert_no_error (error);
  store = lb_store_open (db, &error);
  g_assert_no_error (error);
  rows = lb_store_audit_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  /* time, event, user, server, object UIDs */
  row = g_ptr_array_index (rows, 0);
  g_assert_nonnull (strstr (row, "\texport-anonymous\t"));
  g_assert_nonnull (strstr (row, lb_dicom_object_get_meta (image)->sop_instance_uid));
  g_assert_null (strstr (row, PATIENT_ID));
  g_assert_null (strstr (row, NAME_FAMILY));
}

static void
test_mixed_patients (Fixture      *f,
                     gconstpointer data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "mixed.pdf", NULL);
  g_autofree char *err = NULL;
  const char *argv[] = { cli (), "export", f->image[0], f->other, "--out", pdf, NULL };

  g_assert_cmpint (run (argv, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "different patient"));
  g_assert_null (strstr (err, "100871"));
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
}

static void
test_errors (Fixture      *f,
             gconstpointer data)
{
  g_autofree char *bad = g_build_filename (f->dir, "out.txt", NULL);
  g_autofree char *pdf = g_build_filename (f->dir, "e.pdf", NULL);
  g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL;
  const char *ext[] = { cli (), "export", f->image[0], "--out", bad, NULL };
  const char *none[] = { cli (), "export", "--out", pdf, NULL };
  /* Annotations of the +6 w image, but only the baseline is exported. */
  const char *wrong[] = { cli (), "export", f->image[0], "--annotations", f->json[1], "--out", pdf, NULL };
  const char *missing[] = { cli (), "export", "/nonexistent.dcm", "--out", pdf, NULL };

  g_assert_cmpint (run (ext, NULL, &e1), ==, 2);
  g_assert_cmpint (run (none, NULL, &e2), ==, 2);
  g_assert_cmpint (run (wrong, NULL, &e3), ==, 1);
  g_assert_nonnull (strstr (e3, "not being exported"));
  g_assert_cmpint (run (missing, NULL, &e4), ==, 1);
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/cli-export/pdf-with-identity", test_pdf_with_identity);
  ADD ("/cli-export/pdf-leave-out-identity", test_pdf_leave_out_identity);
  ADD ("/cli-export/png", test_png);
  ADD ("/cli-export/png-rotated", test_png_rotated);
  ADD ("/cli-export/presentation-state", test_pr_input);
  ADD ("/cli-export/audit", test_audit);
  ADD ("/cli-export/mixed-patients", test_mixed_patients);
  ADD ("/cli-export/errors", test_errors);
  return g_test_run ();
}
