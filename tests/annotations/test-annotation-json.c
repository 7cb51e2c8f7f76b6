/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The annotation JSON: round trip of every kind, clear errors for bad
 * input, and `lightbox-cli present` writing and reading a presentation state.
 */
#include "lb-config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "lb-annotation-json.h"
#include "lb-test-utils.h"

static char *tmpdir;

static LbAnnotationSet *
make_set (void)
{
  LbAnnotationSet *set = lb_annotation_set_new ();
  g_autoptr (GError) error = NULL;
  LbPoint p[5] = { { 1.25, 2.5 }, { 30.125, 4 }, { 40, 50.0625 }, { 10, 60 }, { 0.1, 0.2 } };
  LbAnnotation boxed = { .kind = LB_ANNOTATION_TEXT, .text = "boxed \"quote\" ✓", .has_box = TRUE,
                         .box = { { 5, 6 }, { 70, 20 } } };
  LbAnnotationView view = { .has_area = TRUE, .tlhc = { 200, 150 }, .brhc = { -4, 3 },
                            .size_mode = LB_DISPLAY_MAGNIFY, .magnification = 2.5, .rotation = 270,
                            .flip_h = TRUE, .has_window = TRUE, .window_center = 40, .window_width = 400 };

  lb_annotation_set_set_image (set, "1.2.840.10008.5.1.4.1.1.7", "1.2.3.4.5", "1.2.3.4", "1.2.3", 320, 240,
                               (double[]) { 0.5, 0.25 });
  g_assert_true (lb_annotation_set_add_layer (set, "Wound", (guint8[]) { 0xff, 0x10, 0x80 }, &error));
  for (int k = 0; k < LB_ANNOTATION_N_KINDS; k++)
    {
      static const guint n[] = { 1, 2, 2, 3, 5, 2, 4, 4, 1 };
      g_autofree char *label = g_strdup_printf ("label %d", k);
      g_assert_cmpuint (lb_annotation_set_add (set, k, p, n[k], k % 2 ? label : NULL, k % 3 ? "Wound" : NULL,
                                               k == LB_ANNOTATION_TEXT ? "Ünïcode → text" : NULL,
                                               k == LB_ANNOTATION_FREEHAND, &error), >, 0);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (lb_annotation_set_add_full (set, &boxed, &error), >, 0);
  g_assert_true (lb_annotation_set_set_calibration (set, 0.3125, &error));
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
      g_assert_cmpstr (lb_annotation_set_get_layer (a, i)->name, ==, lb_annotation_set_get_layer (b, i)->name);
      g_assert_cmpmem (lb_annotation_set_get_layer (a, i)->rgb, 3, lb_annotation_set_get_layer (b, i)->rgb, 3);
    }
  g_assert_cmpuint (lb_annotation_set_get_n_annotations (a), ==, lb_annotation_set_get_n_annotations (b));
  for (guint i = 0; i < lb_annotation_set_get_n_annotations (a); i++)
    {
      const LbAnnotation *x = lb_annotation_set_get_nth (a, i), *y = lb_annotation_set_get_nth (b, i);
      g_assert_cmpint (x->kind, ==, y->kind);
      g_assert_cmpstr (x->label, ==, y->label);
      g_assert_cmpstr (x->layer, ==, y->layer);
      g_assert_cmpstr (x->text, ==, y->text);
      g_assert_cmpint (x->closed, ==, y->closed);
      g_assert_cmpint (x->has_box, ==, y->has_box);
      g_assert_cmpuint (x->n_points, ==, y->n_points);
      for (guint j = 0; j < x->n_points; j++)
        {
          g_assert_cmpfloat_with_epsilon (x->points[j].x, y->points[j].x, 1e-4);
          g_assert_cmpfloat_with_epsilon (x->points[j].y, y->points[j].y, 1e-4);
        }
    }
  g_assert_cmpfloat_with_epsilon (lb_annotation_set_get_calibration (a), lb_annotation_set_get_calibration (b), 1e-9);
}

static void
test_round_trip (void)
{
  g_autoptr (LbAnnotationSet) set = make_set ();
  g_autoptr (LbAnnotationSet) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = lb_annotation_set_to_json (set, TRUE);
  g_autofree char *again = NULL;
  const LbAnnotationView *v;
  double spacing[2];
  guint cols = 0, rows = 0;

  g_test_message ("%s", json);
  back = lb_annotation_set_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  assert_same (set, back);
  /* Doubles are written exactly: the points are identical. */
  for (guint i = 0; i < lb_annotation_set_get_n_annotations (set); i++)
    g_assert_cmpmem (lb_annotation_set_get_nth (set, i)->points, sizeof (LbPoint) * lb_annotation_set_get_nth (set, i)->n_points,
                     lb_annotation_set_get_nth (back, i)->points, sizeof (LbPoint) * lb_annotation_set_get_nth (back, i)->n_points);
  g_assert_false (lb_annotation_set_can_undo (back));
  g_assert_cmpstr (lb_annotation_set_get_sop_instance_uid (back), ==, "1.2.3.4.5");
  g_assert_cmpstr (lb_annotation_set_get_study_uid (back), ==, "1.2.3");
  lb_annotation_set_get_image_size (back, &cols, &rows);
  g_assert_cmpuint (cols, ==, 320);
  g_assert_cmpuint (rows, ==, 240);
  lb_annotation_set_get_image_pixel_spacing (back, spacing);
  g_assert_cmpfloat (spacing[1], ==, 0.25);
  v = lb_annotation_set_get_view (back);
  g_assert_true (v->has_area);
  g_assert_cmpint (v->tlhc[0], ==, 200);
  g_assert_cmpint (v->brhc[1], ==, 3);
  g_assert_cmpint (v->size_mode, ==, LB_DISPLAY_MAGNIFY);
  g_assert_cmpfloat (v->magnification, ==, 2.5);
  g_assert_cmpint (v->rotation, ==, 270);
  g_assert_true (v->flip_h);
  g_assert_true (v->has_window);
  g_assert_cmpfloat (v->window_width, ==, 400);
  /* Stable: writing the read set gives the same text. */
  again = lb_annotation_set_to_json (back, TRUE);
  g_assert_cmpstr (json, ==, again);
  /* Measurements are written for readers (calibrated: 0.3125 mm/px). The
   * polygon's 5 points enclose 1586.6 px² → 155 mm². */
  g_assert_nonnull (strstr (json, "\"text\" : \"155 mm²\""));
}

typedef struct {
  const char *json;
  int         code;
  const char *message;
} BadCase;

static void
test_bad_json (void)
{
  static const BadCase cases[] = {
    { "{\"version\": 1,", LB_ANNOTATION_ERROR_PARSE, "Not valid JSON" },
    { "[1, 2]", LB_ANNOTATION_ERROR_PARSE, "must be an object" },
    { "{}", LB_ANNOTATION_ERROR_VERSION, "no \"version\"" },
    { "{\"version\": \"1\"}", LB_ANNOTATION_ERROR_VERSION, "no \"version\"" },
    { "{\"version\": 2}", LB_ANNOTATION_ERROR_VERSION, "version 2 is not supported" },
    { "{\"version\": 1, \"annotations\": {}}", LB_ANNOTATION_ERROR_PARSE, "annotations: expected an array" },
    { "{\"version\": 1, \"annotations\": [{\"kind\": \"blob\", \"points\": [[1, 2]]}]}",
      LB_ANNOTATION_ERROR_PARSE, "annotations[0].kind: “blob” is not one of" },
    { "{\"version\": 1, \"annotations\": [{\"kind\": \"point\", \"points\": [[1, 2]]}, {\"kind\": \"line\", \"points\": [[1, 2], [3]]}]}",
      LB_ANNOTATION_ERROR_PARSE, "annotations[1].points[1]: expected a point" },
    { "{\"version\": 1, \"annotations\": [{\"kind\": \"polygon\", \"points\": [[1, 2], [3, 4]]}]}",
      LB_ANNOTATION_ERROR_PARSE, "annotations[0]: A polygon needs at least 3 points" },
    { "{\"version\": 1, \"annotations\": [{\"kind\": \"point\", \"points\": [[1, \"2\"]]}]}",
      LB_ANNOTATION_ERROR_PARSE, "annotations[0].points[0]" },
    { "{\"version\": 1, \"annotations\": [{\"kind\": \"point\", \"layer\": \"Nope\", \"points\": [[1, 2]]}]}",
      LB_ANNOTATION_ERROR_PARSE, "annotations[0].layer: no layer “Nope”" },
    { "{\"version\": 1, \"annotations\": [{\"kind\": \"text\", \"points\": [[1, 2]]}]}",
      LB_ANNOTATION_ERROR_PARSE, "needs a text" },
    { "{\"version\": 1, \"annotations\": [{\"kind\": \"point\", \"label\": 7, \"points\": [[1, 2]]}]}",
      LB_ANNOTATION_ERROR_PARSE, "annotations[0].label: expected a string" },
    { "{\"version\": 1, \"layers\": [{\"name\": \"A\", \"color\": \"red\"}]}",
      LB_ANNOTATION_ERROR_PARSE, "layers[0].color: expected \"#rrggbb\"" },
    { "{\"version\": 1, \"layers\": [{\"name\": \"A\"}, {\"name\": \"A\"}]}",
      LB_ANNOTATION_ERROR_PARSE, "already a layer" },
    { "{\"version\": 1, \"calibration\": {\"mm_per_pixel\": -1}}", LB_ANNOTATION_ERROR_PARSE, "calibration:" },
    { "{\"version\": 1, \"view\": {\"rotation\": 45}}", LB_ANNOTATION_ERROR_PARSE, "view.rotation" },
    { "{\"version\": 1, \"view\": {\"displayed_area\": {\"tlhc\": [5.5, 5], \"brhc\": [1, 1]}}}",
      LB_ANNOTATION_ERROR_PARSE, "view.displayed_area" },
    { "{\"version\": 1, \"x\": [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}", LB_ANNOTATION_ERROR_PARSE, "nested deeper" },
    { "{\"version\": 1, \"image\": {\"pixel_spacing\": [0, 1]}}", LB_ANNOTATION_ERROR_PARSE, "image.pixel_spacing" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (LbAnnotationSet) set = lb_annotation_set_new_from_json (cases[i].json, -1, &error);
      g_test_message ("%s → %s", cases[i].json, error ? error->message : "(no error)");
      g_assert_null (set);
      g_assert_error (error, LB_ANNOTATION_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }

  {
    g_autoptr (GError) error = NULL;
    const char bad_utf8[] = "{\"version\": 1, \"annotations\": [{\"kind\": \"text\", \"text\": \"\xff\"}]}";
    g_assert_null (lb_annotation_set_new_from_json (bad_utf8, -1, &error));
    g_assert_error (error, LB_ANNOTATION_ERROR, LB_ANNOTATION_ERROR_PARSE);
  }
}

static char *
write_file (const char *name,
            const char *contents)
{
  char *p = g_build_filename (tmpdir, name, NULL);
  g_assert_true (g_file_set_contents (p, contents, -1, NULL));
  return p;
}

static void
test_cli (void)
{
  const char *cli = g_getenv ("LIGHTBOX_CLI");
  g_autofree char *script = lb_test_source_path ("annotations", "make-images.py", NULL);
  const char *make[] = { "/usr/bin/python3", script, tmpdir, NULL };
  g_autofree char *image = g_build_filename (tmpdir, "mono.dcm", NULL);
  g_autofree char *pr = g_build_filename (tmpdir, "cli-pr.dcm", NULL);
  g_autoptr (LbAnnotationSet) set = make_set ();
  g_autoptr (LbAnnotationSet) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL, *json_path = NULL, *uid = NULL, *printed = NULL, *vfy = NULL;
  g_autofree char *cmd = NULL;
  int status = 0;

  g_assert_nonnull (cli);
  lb_test_run (make, NULL, NULL, TRUE);

  /* Annotations from JSON without an image UID go onto the given image. */
  lb_annotation_set_set_image (set, NULL, NULL, NULL, NULL, 0, 0, NULL);
  /* dciodvfy compares displayed area corners as unsigned numbers, so a
   * (legal) negative corner would be reported: keep this one inside. */
  {
    LbAnnotationView view = *lb_annotation_set_get_view (set);
    view.tlhc[0] = 200; view.tlhc[1] = 150; view.brhc[0] = 4; view.brhc[1] = 3;
    lb_annotation_set_set_view (set, &view);
  }
  json = lb_annotation_set_to_json (set, FALSE);
  json_path = write_file ("a.json", json);
  {
    const char *argv[] = { cli, "present", image, "--annotations", json_path, "--out", pr,
                           "--label", "Week 3", "--creator", "NURSE^ANNA", "--description", "Wound review", NULL };
    lb_test_run (argv, &uid, NULL, TRUE);
    g_assert_true (g_str_has_prefix (uid, "1.2.826.0.1.3680043.10.1379."));
  }
  cmd = g_strdup_printf ("dciodvfy '%s' 2>&1", pr);
  {
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    lb_test_run (argv, &vfy, NULL, FALSE);
    g_assert_nonnull (strstr (vfy, "GrayscaleSoftcopyPresentationState"));
    g_assert_null (strstr (vfy, "\nError"));
    g_assert_false (g_str_has_prefix (vfy, "Error"));
  }

  /* --read prints the same annotations back, with the PR's identity. */
  {
    const char *argv[] = { cli, "present", "--read", pr, NULL };
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *presentation;
    lb_test_run (argv, &printed, NULL, TRUE);
    back = lb_annotation_set_new_from_json (printed, -1, &error);
    g_assert_no_error (error);
    assert_same (set, back);
    g_assert_true (json_parser_load_from_data (parser, printed, -1, NULL));
    presentation = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "presentation");
    g_assert_cmpstr (json_object_get_string_member (presentation, "type"), ==, "GSPS");
    g_assert_cmpstr (json_object_get_string_member (presentation, "content_label"), ==, "WEEK_3");
    g_assert_cmpstr (json_object_get_string_member (presentation, "creator"), ==, "NURSE^ANNA");
    g_strchomp (uid);
    g_assert_cmpstr (json_object_get_string_member (presentation, "sop_instance_uid"), ==, uid);
  }

  /* Annotations made for another image are refused. */
  {
    g_autofree char *other = write_file ("other.json",
                                         "{\"version\": 1, \"image\": {\"sop_instance_uid\": \"1.2.3.999\"}, \"annotations\": []}");
    const char *argv[] = { cli, "present", image, "--annotations", other, "--out", pr, NULL };
    g_assert_false (lb_test_run (argv, NULL, &status, FALSE));
    g_assert_cmpint (status, ==, 1);
  }
  /* Bad JSON: exit 1. Usage errors: exit 2. */
  {
    g_autofree char *bad = write_file ("bad.json", "{\"version\": 1, \"annotations\": [{\"kind\": \"nope\"}]}");
    const char *argv[] = { cli, "present", image, "--annotations", bad, "--out", pr, NULL };
    const char *argv2[] = { cli, "present", image, "--out", pr, NULL };
    const char *argv3[] = { cli, "present", "--read", image, NULL };
    lb_test_run (argv, NULL, &status, FALSE);
    g_assert_cmpint (status, ==, 1);
    lb_test_run (argv2, NULL, &status, FALSE);
    g_assert_cmpint (status, ==, 2);
    /* An image is not a presentation state. */
    lb_test_run (argv3, NULL, &status, FALSE);
    g_assert_cmpint (status, ==, 1);
  }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = lb_test_make_tmpdir ();
  g_test_add_func ("/annotation-json/round-trip", test_round_trip);
  g_test_add_func ("/annotation-json/bad", test_bad_json);
  g_test_add_func ("/annotation-json/cli", test_cli);
  status = g_test_run ();
  lb_test_remove_tree (tmpdir);
  return status;
}
