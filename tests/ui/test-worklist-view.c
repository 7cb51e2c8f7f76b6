/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The worklist widget on its own: sorting, filtering and the count. */
#include "lb-config.h"

#include <adwaita.h>

#include "lb-worklist-view.h"

static LbStudy *
study (const char *uid, const char *name, const char *id, const char *date, const char *time)
{
  LbStudy *s = lb_study_new (uid);

  lb_study_set_patient_name (s, name);
  lb_study_set_patient_id (s, id);
  lb_study_set_study_date (s, date);
  lb_study_set_study_time (s, time);
  return s;
}

static char *
order (GListModel *model)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (LbStudy) s = g_list_model_get_item (model, i);
      g_string_append_printf (out, "%s%s", i ? " " : "", lb_study_get_study_uid (s));
    }
  return g_string_free (out, FALSE);
}

static void
test_sort_and_filter (void)
{
  GtkWidget *window = gtk_window_new ();
  LbWorklistView *view = g_object_new (LB_TYPE_WORKLIST_VIEW, NULL);
  g_autoptr (GPtrArray) studies = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *newest_first = NULL;
  g_autofree char *filtered = NULL;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  g_ptr_array_add (studies, study ("a", "DOE^JANE", "100234", "20250131", "182000"));
  g_ptr_array_add (studies, study ("b", "ROE^MAX", "100871", "20250314", "061500"));
  g_ptr_array_add (studies, study ("c", "DOE^JANE", "100234", "20250314", "074000"));
  g_ptr_array_add (studies, study ("d", "OKAFOR^DANIEL", "102117", "20241212", ""));
  lb_worklist_view_set_studies (view, studies);

  /* Newest first by default, time of day included. */
  newest_first = order (lb_worklist_view_get_model (view));
  g_assert_cmpstr (newest_first, ==, "c b a d");
  g_assert_cmpuint (lb_worklist_view_get_n_shown (view), ==, 4);

  /* Free text matches name or ID, ignoring case. */
  lb_worklist_view_set_search (view, "doe");
  filtered = order (lb_worklist_view_get_model (view));
  g_assert_cmpstr (filtered, ==, "c a");
  lb_worklist_view_set_search (view, "10211");
  g_assert_cmpuint (lb_worklist_view_get_n_shown (view), ==, 1);
  lb_worklist_view_set_search (view, "");
  g_assert_cmpuint (lb_worklist_view_get_n_shown (view), ==, 4);

  /* Status and body part filters. */
  lb_study_set_review_status (g_ptr_array_index (studies, 1), LB_REVIEW_STATUS_REJECTED);
  lb_study_set_body_part (g_ptr_array_index (studies, 0), "L LEG");
  lb_study_set_body_part (g_ptr_array_index (studies, 2), "L LEG");
  lb_worklist_view_set_status_filter (view, 1 + LB_REVIEW_STATUS_REJECTED);
  {
    g_autofree char *rejected = order (lb_worklist_view_get_model (view));
    g_assert_cmpstr (rejected, ==, "b");
  }
  lb_worklist_view_set_status_filter (view, 1 + LB_REVIEW_STATUS_NEW);
  g_assert_cmpuint (lb_worklist_view_get_n_shown (view), ==, 3);
  lb_worklist_view_set_status_filter (view, 0);
  lb_worklist_view_set_body_part_filter (view, "leg");
  {
    g_autofree char *legs = order (lb_worklist_view_get_model (view));
    g_assert_cmpstr (legs, ==, "c a");
  }
  lb_worklist_view_set_body_part_filter (view, "");
  g_assert_cmpuint (lb_worklist_view_get_n_shown (view), ==, 4);

  /* A refresh replaces the list. */
  g_ptr_array_set_size (studies, 1);
  lb_worklist_view_set_studies (view, studies);
  g_assert_cmpuint (lb_worklist_view_get_n_shown (view), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/ui/worklist-view/sort-filter", test_sort_and_filter);
  return g_test_run ();
}
