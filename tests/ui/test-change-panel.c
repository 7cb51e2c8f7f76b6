/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The change panel on its own: the table's labels are what a screen reader
 * (and the ui tests) read; nothing to show hides it. */
#include "lb-config.h"

#include <adwaita.h>

#include "lb-change-panel.h"

/* A calibrated image with one "wound" square of @side_mm. */
static LbAnnotationSet *
wound (double side_mm)
{
  LbAnnotationSet *set = lb_annotation_set_new ();
  double spacing[2] = { 0, 0 };
  double side_px = side_mm / 0.1;
  LbPoint p[4] = { { 10, 10 }, { 10 + side_px, 10 }, { 10 + side_px, 10 + side_px }, { 10, 10 + side_px } };
  g_autoptr (GError) error = NULL;

  lb_annotation_set_set_image (set, "1.2.840.10008.5.1.4.1.1.77.1.4", "1.2.3.4.5", "1.2.3.4", "1.2.3",
                               2000, 1500, spacing);
  g_assert_true (lb_annotation_set_set_calibration (set, 0.1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lb_annotation_set_add (set, LB_ANNOTATION_POLYGON, p, 4, "wound", NULL, NULL, FALSE, &error),
                    >, 0);
  g_assert_no_error (error);
  return set;
}

static void
collect_labels (GtkWidget *widget,
                GPtrArray *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_ptr_array_add (out, (gpointer) gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static gboolean
has_label (GPtrArray  *labels,
           const char *text)
{
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (g_ptr_array_index (labels, i), text) == 0)
      return TRUE;
  return FALSE;
}

static void
test_table (void)
{
  g_autoptr (LbAnnotationSet) first = wound (20);   /* 400 mm² */
  g_autoptr (LbAnnotationSet) last = wound (10);    /* 100 mm² */
  LbChangeInput inputs[] = { { "20250314", last }, { "20250131", first } };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  LbChangePanel *panel = g_object_ref_sink (g_object_new (LB_TYPE_CHANGE_PANEL, NULL));
  LbChangeTable *table;

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
  table = lb_change_table_build ("wound", inputs, G_N_ELEMENTS (inputs), &error);
  g_assert_no_error (error);
  lb_change_panel_set_table (panel, table);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_assert_true (lb_change_panel_get_table (panel) == table);

  collect_labels (GTK_WIDGET (panel), labels);
  g_assert_true (has_label (labels, "−75 % since baseline"));
  g_assert_true (has_label (labels, "wound (mm²)"));
  /* Oldest first, whatever the input order. */
  g_assert_true (has_label (labels, "2025-01-31"));
  g_assert_true (has_label (labels, "baseline"));
  g_assert_true (has_label (labels, "400 mm²"));
  g_assert_true (has_label (labels, "2025-03-14"));
  g_assert_true (has_label (labels, "+6 w"));
  g_assert_true (has_label (labels, "100 mm²"));
  g_assert_true (has_label (labels, "−75 %"));

  lb_change_panel_set_table (panel, NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_assert_null (lb_change_panel_get_table (panel));
  g_ptr_array_set_size (labels, 0);
  collect_labels (GTK_WIDGET (panel), labels);
  g_assert_false (has_label (labels, "400 mm²"));

  g_assert_finalize_object (panel);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/ui/change-panel/table", test_table);
  return g_test_run ();
}
