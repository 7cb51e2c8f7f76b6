/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-worklist-view.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

struct _LbWorklistView
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkSearchEntry *search_entry;
  GtkDropDown *status_filter;
  GtkDropDown *date_filter;
  GtkEntry *body_part_filter;
  GtkStack *stack;
  AdwStatusPage *error_page;
  GtkColumnView *column_view;
  GtkColumnViewColumn *columns[8];  /* as cell_properties[] */
  GtkLabel *count_label;

  GListStore *studies;
  GtkFilterListModel *filter_model;
  GtkSortListModel *sort_model;
  GtkSingleSelection *selection;
  GtkCustomFilter *filter;
  char *note;
};

G_DEFINE_FINAL_TYPE (LbWorklistView, lb_worklist_view, GTK_TYPE_WIDGET)

#define DATE_COLUMN 2

/* Each cell is a label showing one property of the row's study. Made in
 * code rather than with GtkBuilderListItemFactory templates: those parse
 * their XML once per cell, which cost GTK 4.8 ~1 ms a row at start-up. */
static const struct {
  const char *column;
  const char *property;
} cell_properties[] = {
  { "patient_column", "display-name" },
  { "id_column", "patient-id" },
  { "date_column", "display-date" },        /* DATE_COLUMN */
  { "quality_column", "quality-text" },
  { "body_part_column", "body-part" },
  { "description_column", "description" },
  { "modality_column", "modalities" },
  { "status_column", "review-text" },
};


enum {
  STUDY_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_count (LbWorklistView *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->studies));
  g_autofree char *text = NULL;

  if (shown == total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u study", "%u studies", total), total);
  else
    /* Translators: "3 of 12 studies shown" */
    text = g_strdup_printf (_("%u of %u studies shown"), shown, total);
  if (self->note != NULL)
    {
      g_autofree char *with_note = g_strdup_printf ("%s · %s", text, self->note);
      gtk_label_set_text (self->count_label, with_note);
    }
  else
    gtk_label_set_text (self->count_label, text);
}

static gboolean
match_study (gpointer item,
             gpointer user_data)
{
  LbWorklistView *self = user_data;
  LbStudy *study = item;
  const char *needle = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *folded_needle = NULL;
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;

  guint status = gtk_drop_down_get_selected (self->status_filter);
  guint since = gtk_drop_down_get_selected (self->date_filter);
  const char *part = gtk_editable_get_text (GTK_EDITABLE (self->body_part_filter));

  /* Status: the drop-down lists "any" then the LbReviewStatus values. */
  if (status > 0 && status != GTK_INVALID_LIST_POSITION &&
      lb_study_get_review_status (study) != (LbReviewStatus) (status - 1))
    return FALSE;
  if (since > 0 && since != GTK_INVALID_LIST_POSITION)
    {
      static const int days[] = { 0, 7, 30, 365 };
      g_autoptr (GDateTime) when = lb_study_dup_datetime (study);
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      g_autoptr (GDateTime) limit = g_date_time_add_days (now, -days[MIN (since, G_N_ELEMENTS (days) - 1)]);

      if (when == NULL || g_date_time_compare (when, limit) < 0)
        return FALSE;
    }
  if (part != NULL && part[0] != '\0')
    {
      g_autofree char *folded_part = g_utf8_casefold (part, -1);
      g_autofree char *study_part = g_utf8_casefold (lb_study_get_body_part (study) ? lb_study_get_body_part (study) : "", -1);
      if (strstr (study_part, folded_part) == NULL)
        return FALSE;
    }
  if (needle == NULL || needle[0] == '\0')
    return TRUE;
  folded_needle = g_utf8_casefold (needle, -1);
  name = g_utf8_casefold (lb_study_get_patient_name (study) ? lb_study_get_patient_name (study) : "", -1);
  id = g_utf8_casefold (lb_study_get_patient_id (study) ? lb_study_get_patient_id (study) : "", -1);
  return strstr (name, folded_needle) != NULL || strstr (id, folded_needle) != NULL;
}

static void
search_changed_cb (LbWorklistView *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

static void
filter_changed_cb (LbWorklistView *self)
{
  search_changed_cb (self);
}

static void
row_activated_cb (LbWorklistView *self,
                  guint           position)
{
  g_autoptr (LbStudy) study = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (study != NULL)
    g_signal_emit (self, signals[STUDY_ACTIVATED], 0, study);
}

static void
open_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LbWorklistView *self = LB_WORKLIST_VIEW (widget);
  guint position = gtk_single_selection_get_selected (self->selection);

  if (position != GTK_INVALID_LIST_POSITION)
    row_activated_cb (self, position);
}

static void
step (LbWorklistView *self, int delta)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint position = gtk_single_selection_get_selected (self->selection);

  if (n == 0)
    return;
  if (position == GTK_INVALID_LIST_POSITION)
    position = 0;
  else if (delta < 0 && position > 0)
    position--;
  else if (delta > 0 && position + 1 < n)
    position++;
  lb_worklist_view_select (self, position);
}

static void
next_action (GtkWidget *widget, const char *name, GVariant *param)
{
  step (LB_WORKLIST_VIEW (widget), 1);
}

static void
previous_action (GtkWidget *widget, const char *name, GVariant *param)
{
  step (LB_WORKLIST_VIEW (widget), -1);
}

/* Enter in the search field opens the selected study, as in the list. */
static void
search_activate_cb (LbWorklistView *self)
{
  open_action (GTK_WIDGET (self), NULL, NULL);
}

static void
lb_worklist_view_dispose (GObject *object)
{
  LbWorklistView *self = LB_WORKLIST_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_WORKLIST_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->studies);
  g_clear_pointer (&self->note, g_free);

  G_OBJECT_CLASS (lb_worklist_view_parent_class)->dispose (object);
}

static void
lb_worklist_view_class_init (LbWorklistViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_worklist_view_dispose;

  signals[STUDY_ACTIVATED] =
    g_signal_new ("study-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LB_TYPE_STUDY);

  g_type_ensure (LB_TYPE_STUDY);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/lb-worklist-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LbWorklistView, box);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistView, status_filter);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistView, date_filter);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistView, body_part_filter);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistView, stack);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistView, error_page);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistView, column_view);
  G_STATIC_ASSERT (G_N_ELEMENTS (cell_properties) == G_N_ELEMENTS (((LbWorklistView *) NULL)->columns));
  for (guint i = 0; i < G_N_ELEMENTS (cell_properties); i++)
    gtk_widget_class_bind_template_child_full (widget_class, cell_properties[i].column, FALSE,
                                               G_STRUCT_OFFSET (LbWorklistView, columns) +
                                               i * sizeof (GtkColumnViewColumn *));
  gtk_widget_class_bind_template_child (widget_class, LbWorklistView, count_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);

  /* The nurse's keys (WALKTHROUGH.md): ↑/↓ or K/J move, Enter opens. The
   * list handles them itself when a row has focus; these catch them
   * anywhere else in the worklist. */
  gtk_widget_class_install_action (widget_class, "worklist.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "worklist.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "worklist.previous", NULL, previous_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "worklist.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "worklist.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "worklist.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, 0, "worklist.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "worklist.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "worklist.previous", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              const char               *property)
{
  GBinding *binding = g_object_bind_property (gtk_list_item_get_item (item), property,
                                              gtk_list_item_get_child (item), "label",
                                              G_BINDING_SYNC_CREATE);

  g_object_set_data (G_OBJECT (item), "lb-cell-binding", binding);
}

static void
cell_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GBinding *binding = g_object_steal_data (G_OBJECT (item), "lb-cell-binding");

  if (binding != NULL)
    g_binding_unbind (binding);
}

static void
set_up_cells (LbWorklistView *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (cell_properties); i++)
    {
      g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), (gpointer) cell_properties[i].property);
      g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind_cb), NULL);
      gtk_column_view_column_set_factory (self->columns[i], factory);
    }
}

static void
lb_worklist_view_init (LbWorklistView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  set_up_cells (self);

  self->studies = g_list_store_new (LB_TYPE_STUDY);
  self->filter = gtk_custom_filter_new (match_study, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->studies)),
                                                  GTK_FILTER (self->filter));
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (self->filter_model),
                                              g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->sort_model));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  /* Newest first. */
  gtk_column_view_sort_by_column (self->column_view, self->columns[DATE_COLUMN], GTK_SORT_DESCENDING);

  gtk_stack_set_visible_child_name (self->stack, "loading");
}

void
lb_worklist_view_set_loading (LbWorklistView *self)
{
  g_return_if_fail (LB_IS_WORKLIST_VIEW (self));

  if (g_list_model_get_n_items (G_LIST_MODEL (self->studies)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");
}

void
lb_worklist_view_set_error (LbWorklistView *self,
                            const char     *message)
{
  g_return_if_fail (LB_IS_WORKLIST_VIEW (self));

  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

/**
 * lb_worklist_view_set_studies:
 * @studies: (element-type LbStudy): the studies to list
 */
void
lb_worklist_view_set_studies (LbWorklistView *self,
                              GPtrArray      *studies)
{
  g_return_if_fail (LB_IS_WORKLIST_VIEW (self));
  g_return_if_fail (studies != NULL);

  g_list_store_splice (self->studies, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->studies)),
                       studies->pdata, studies->len);
  gtk_stack_set_visible_child_name (self->stack, studies->len > 0 ? "list" : "empty");
  update_count (self);
}

guint
lb_worklist_view_get_n_shown (LbWorklistView *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
}

/**
 * lb_worklist_view_get_selected:
 *
 * Returns: (transfer none) (nullable): the selected study
 */
LbStudy *
lb_worklist_view_get_selected (LbWorklistView *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_VIEW (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

/**
 * lb_worklist_view_get_model:
 *
 * Returns: (transfer none): the studies as shown: filtered and sorted
 */
GListModel *
lb_worklist_view_get_model (LbWorklistView *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_VIEW (self), NULL);
  return G_LIST_MODEL (self->selection);
}

void
lb_worklist_view_set_search (LbWorklistView *self,
                             const char     *text)
{
  g_return_if_fail (LB_IS_WORKLIST_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* The entry reports changes after a delay; apply this one now. */
  search_changed_cb (self);
}

void
lb_worklist_view_select (LbWorklistView *self,
                         guint           position)
{
  g_return_if_fail (LB_IS_WORKLIST_VIEW (self));

  gtk_single_selection_set_selected (self->selection, position);
  /* Keep the keyboard in step with the study shown. */
  gtk_widget_activate_action (GTK_WIDGET (self->column_view), "list.scroll-to-item", "u", position);
}

/* Ready for the keyboard: ↑/↓ and Enter work without a click first. */
void
lb_worklist_view_focus_list (LbWorklistView *self)
{
  g_return_if_fail (LB_IS_WORKLIST_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/**
 * lb_worklist_view_set_note:
 * @note: (nullable): shown after the count, e.g. "offline: last known list"
 */
void
lb_worklist_view_set_note (LbWorklistView *self,
                           const char     *note)
{
  g_return_if_fail (LB_IS_WORKLIST_VIEW (self));

  g_free (self->note);
  self->note = g_strdup (note);
  update_count (self);
}

guint
lb_worklist_view_get_n_studies (LbWorklistView *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->studies));
}

/* For tests and for actions: pick a status filter (0 = any, then the
 * LbReviewStatus values + 1). */
void
lb_worklist_view_set_status_filter (LbWorklistView *self,
                                    guint           index)
{
  g_return_if_fail (LB_IS_WORKLIST_VIEW (self));
  gtk_drop_down_set_selected (self->status_filter, index);
}

void
lb_worklist_view_set_body_part_filter (LbWorklistView *self,
                                       const char     *text)
{
  g_return_if_fail (LB_IS_WORKLIST_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->body_part_filter), text != NULL ? text : "");
}

void
lb_worklist_view_focus_search (LbWorklistView *self)
{
  g_return_if_fail (LB_IS_WORKLIST_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
