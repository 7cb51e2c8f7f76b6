/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-compare-view.h"

#include <glib/gi18n.h>

#include "lb-change.h"
#include "lb-dicom.h"
#include "lb-study-loader.h"
#include "lb-viewport.h"

/* One study of the patient's timeline. */
typedef struct {
  LbStudy       *study;
  LbDicomObject *image;      /* first image, once loaded */
  char          *group;      /* "L LEG", "" until the image is loaded */
  GDate          date;
  gboolean       selected;
  GtkWidget     *row;
  GtkCheckButton *check;
  GtkLabel      *interval;
  GtkLabel      *part;
} LbVisit;

struct _LbCompareView
{
  GtkWidget parent_instance;

  GtkStack *mode;
  GtkLabel *timeline_title;
  GtkLabel *timeline_status;
  GtkListBox *timeline;
  GtkToggleButton *link_view;
  GtkToggleButton *link_window;
  GtkLabel *left_title;
  GtkLabel *right_title;
  LbViewport *left;
  LbViewport *right;
  GtkLabel *left_zoom;
  GtkLabel *right_zoom;

  LbDicomwebClient *client;
  LbStore *cache;
  char *patient_id;
  char *birth_date;
  GCancellable *cancellable;
  GPtrArray *visits;           /* LbVisit, oldest first */
  LbVisit *compared[2];
  GPtrArray *view_bindings;    /* GBinding: zoom, center */
  GPtrArray *window_bindings;  /* GBinding: window centre and width */
};

G_DEFINE_FINAL_TYPE (LbCompareView, lb_compare_view, GTK_TYPE_WIDGET)

static void
visit_free (LbVisit *visit)
{
  g_clear_object (&visit->study);
  g_clear_pointer (&visit->image, lb_dicom_object_unref);
  g_free (visit->group);
  g_free (visit);
}

static gboolean
parse_date (const char *da,
            GDate      *date)
{
  unsigned y, m, d;

  g_date_clear (date, 1);
  if (da == NULL || sscanf (da, "%4u%2u%2u", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static char *
format_date (const GDate *date)
{
  if (!g_date_valid (date))
    return g_strdup (_("Unknown date"));
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/* The interval from the first visit of the same body part and side. */
static char *
visit_interval (LbCompareView *self,
                LbVisit       *visit)
{
  for (guint i = 0; i < self->visits->len; i++)
    {
      LbVisit *first = g_ptr_array_index (self->visits, i);

      if (g_strcmp0 (first->group, visit->group) != 0)
        continue;
      if (first == visit)
        return lb_change_format_interval (0, TRUE);
      if (!g_date_valid (&first->date) || !g_date_valid (&visit->date))
        return g_strdup ("");
      return lb_change_format_interval (g_date_days_between (&first->date, &visit->date), FALSE);
    }
  g_assert_not_reached ();
}

static char *
visit_title (LbCompareView *self,
             LbVisit       *visit)
{
  g_autofree char *date = format_date (&visit->date);
  g_autofree char *interval = visit_interval (self, visit);

  return g_strdup_printf ("%s · %s", date, interval);
}

static void
update_labels (LbCompareView *self)
{
  for (guint i = 0; i < self->visits->len; i++)
    {
      LbVisit *visit = g_ptr_array_index (self->visits, i);
      g_autofree char *interval = visit_interval (self, visit);

      gtk_label_set_text (visit->interval, interval);
      gtk_label_set_text (visit->part, visit->group[0] ? visit->group : "…");
    }
  gtk_list_box_invalidate_sort (self->timeline);
  gtk_list_box_invalidate_headers (self->timeline);
  for (guint i = 0; i < 2; i++)
    if (self->compared[i] != NULL)
      {
        g_autofree char *title = visit_title (self, self->compared[i]);
        gtk_label_set_text (i == 0 ? self->left_title : self->right_title, title);
      }
}

static LbVisit *
row_visit (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "lb-visit");
}

/* Grouped by body part and side, oldest first within a group. */
static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  LbCompareView *self = user_data;
  LbVisit *va = row_visit (a), *vb = row_visit (b);
  guint ia = 0, ib = 0;
  int c = g_strcmp0 (va->group, vb->group);

  if (c != 0)
    return c;
  g_ptr_array_find (self->visits, va, &ia);
  g_ptr_array_find (self->visits, vb, &ib);
  return (int) ia - (int) ib;
}

static void
header_rows (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       user_data)
{
  LbCompareView *self = user_data;
  LbVisit *visit = row_visit (row);
  gboolean several = FALSE;

  for (guint i = 1; i < self->visits->len; i++)
    if (g_strcmp0 (((LbVisit *) g_ptr_array_index (self->visits, i))->group,
                   ((LbVisit *) g_ptr_array_index (self->visits, 0))->group) != 0)
      several = TRUE;

  if (several && visit->group[0] != '\0' &&
      (before == NULL || g_strcmp0 (row_visit (before)->group, visit->group) != 0))
    {
      GtkWidget *header = gtk_label_new (visit->group);

      gtk_label_set_xalign (GTK_LABEL (header), 0);
      gtk_widget_add_css_class (header, "heading");
      gtk_widget_set_margin_top (header, 12);
      gtk_widget_set_margin_bottom (header, 6);
      gtk_widget_set_margin_start (header, 6);
      gtk_list_box_row_set_header (row, header);
    }
  else
    gtk_list_box_row_set_header (row, NULL);
}

static void
set_link (LbCompareView *self,
          GPtrArray     *bindings,
          gboolean       linked,
          const char    *const *properties)
{
  for (guint i = 0; i < bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (bindings, i));
  g_ptr_array_set_size (bindings, 0);
  if (!linked)
    return;
  for (guint i = 0; properties[i] != NULL; i++)
    g_ptr_array_add (bindings,
                     g_object_bind_property (self->left, properties[i], self->right, properties[i],
                                             G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE));
}

static void
link_toggled_cb (LbCompareView *self)
{
  static const char *const view_props[] = { "zoom", "center-x", "center-y", NULL };
  static const char *const window_props[] = { "window-center", "window-width", NULL };

  set_link (self, self->view_bindings, gtk_toggle_button_get_active (self->link_view), view_props);
  set_link (self, self->window_bindings, gtk_toggle_button_get_active (self->link_window), window_props);
}

static void
show_compared (LbCompareView *self)
{
  for (guint i = 0; i < 2; i++)
    {
      LbVisit *visit = self->compared[i];
      LbViewport *viewport = i == 0 ? self->left : self->right;

      if (visit != NULL && visit->image != NULL && g_object_get_data (G_OBJECT (viewport), "lb-visit") != visit)
        {
          g_object_set_data (G_OBJECT (viewport), "lb-visit", visit);
          lb_viewport_set_image (viewport, visit->image);
        }
    }
}

static void
compare (LbCompareView *self)
{
  LbVisit *chosen[2] = { NULL, NULL };
  guint n = 0;

  for (guint i = 0; i < self->visits->len; i++)
    {
      LbVisit *visit = g_ptr_array_index (self->visits, i);

      if (visit->selected && n < 2)
        chosen[n] = visit;
      n += visit->selected;
    }
  if (n == 0 && self->visits->len >= 2)
    {
      /* Nothing chosen: the first and the last. */
      chosen[0] = g_ptr_array_index (self->visits, 0);
      chosen[1] = g_ptr_array_index (self->visits, self->visits->len - 1);
    }
  else if (n != 2)
    {
      gtk_label_set_text (self->timeline_status, _("Select two visits to compare."));
      return;
    }

  /* Unlink while the images change, so neither resets the other. */
  set_link (self, self->view_bindings, FALSE, NULL);
  set_link (self, self->window_bindings, FALSE, NULL);
  self->compared[0] = chosen[0];
  self->compared[1] = chosen[1];
  g_object_set_data (G_OBJECT (self->left), "lb-visit", NULL);
  g_object_set_data (G_OBJECT (self->right), "lb-visit", NULL);
  show_compared (self);
  link_toggled_cb (self);
  update_labels (self);
  gtk_stack_set_visible_child_name (self->mode, "compare");
  gtk_widget_grab_focus (GTK_WIDGET (self->left));
}

static void
row_activated_cb (LbCompareView *self,
                  GtkListBoxRow *row)
{
  LbVisit *visit = row_visit (row);

  visit->selected = !visit->selected;
  gtk_check_button_set_active (visit->check, visit->selected);
}

static gboolean
timeline_key_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 LbCompareView         *self)
{
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter) &&
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) == 0)
    {
      compare (self);
      return TRUE;
    }
  return FALSE;
}

static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  LbCompareView *self = LB_COMPARE_VIEW (widget);
  GtkWidget *stack;

  g_cancellable_cancel (self->cancellable);
  stack = gtk_widget_get_ancestor (widget, GTK_TYPE_STACK);
  if (stack != NULL && gtk_stack_get_child_by_name (GTK_STACK (stack), "study") != NULL)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (stack), "study");
      gtk_widget_child_focus (gtk_stack_get_visible_child (GTK_STACK (stack)), GTK_DIR_TAB_FORWARD);
    }
  return TRUE;
}

static void
study_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LbStudyContent) content = lb_study_load_finish (LB_DICOMWEB_CLIENT (source), result, &error);
  LbVisit *visit = user_data;
  LbCompareView *self;
  const LbDicomMeta *meta;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = g_object_get_data (G_OBJECT (visit->row), "lb-compare-view");
  if (content == NULL || content->images->len == 0)
    {
      if (error != NULL)
        g_message ("Timeline study could not be loaded: %s", error->message);
      gtk_label_set_text (visit->part, _("No image"));
      return;
    }
  visit->image = lb_dicom_object_ref (g_ptr_array_index (content->images, 0));
  meta = lb_dicom_object_get_meta (visit->image);
  g_free (visit->group);
  visit->group = g_strdup_printf ("%s%s%s", meta->laterality, meta->laterality[0] ? " " : "",
                                  meta->body_part);
  g_strstrip (visit->group);
  update_labels (self);
  show_compared (self);
}

static GtkWidget *
add_label (GtkBox     *box,
           const char *text,
           int         chars,
           gboolean    expand)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_width_chars (GTK_LABEL (label), chars);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, expand);
  gtk_box_append (box, label);
  return label;
}

static void
add_visit (LbCompareView *self,
           LbStudy       *study)
{
  LbVisit *visit = g_new0 (LbVisit, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *date = NULL;
  const char *description = lb_study_get_description (study);

  visit->study = g_object_ref (study);
  visit->group = g_strdup ("");
  parse_date (lb_study_get_study_date (study), &visit->date);
  date = format_date (&visit->date);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  visit->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_can_focus (GTK_WIDGET (visit->check), FALSE);
  gtk_widget_set_can_target (GTK_WIDGET (visit->check), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (visit->check));
  add_label (GTK_BOX (box), date, 10, FALSE);
  visit->interval = GTK_LABEL (add_label (GTK_BOX (box), "", 8, FALSE));
  gtk_widget_add_css_class (GTK_WIDGET (visit->interval), "numeric");
  visit->part = GTK_LABEL (add_label (GTK_BOX (box), "…", 10, FALSE));
  add_label (GTK_BOX (box), description ? description : "", 20, TRUE);

  visit->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (visit->row), box);
  g_object_set_data (G_OBJECT (visit->row), "lb-visit", visit);
  g_object_set_data (G_OBJECT (visit->row), "lb-compare-view", self);
  gtk_list_box_append (self->timeline, visit->row);
  g_ptr_array_add (self->visits, visit);

  lb_study_load_async (self->client, self->cache, lb_study_get_study_uid (study), self->cancellable,
                       study_loaded_cb, visit);
}

static int
compare_oldest_first (gconstpointer a,
                      gconstpointer b)
{
  LbStudy *sa = *(LbStudy **) a, *sb = *(LbStudy **) b;
  int c = g_strcmp0 (lb_study_get_study_date (sa), lb_study_get_study_date (sb));

  return c != 0 ? c : g_strcmp0 (lb_study_get_study_time (sa), lb_study_get_study_time (sb));
}

/* Only the same patient: the archive's match on Patient ID is checked
 * again here (wildcards, archives that match loosely), and the birth date
 * must agree when both have one. */
static gboolean
same_patient (LbCompareView *self,
              LbStudy       *study)
{
  const char *birth = lb_study_get_patient_birth_date (study);

  if (g_strcmp0 (lb_study_get_patient_id (study), self->patient_id) != 0)
    return FALSE;
  return birth == NULL || birth[0] == '\0' || self->birth_date[0] == '\0' ||
         g_strcmp0 (birth, self->birth_date) == 0;
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) studies = lb_dicomweb_client_search_studies_finish (LB_DICOMWEB_CLIENT (source),
                                                                           result, &error);
  LbCompareView *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = LB_COMPARE_VIEW (user_data);
  if (studies == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The timeline could not be loaded: %s"), error->message);
      gtk_label_set_text (self->timeline_status, text);
      return;
    }
  g_ptr_array_sort (studies, compare_oldest_first);
  for (guint i = 0; i < studies->len; i++)
    if (same_patient (self, g_ptr_array_index (studies, i)))
      add_visit (self, g_ptr_array_index (studies, i));
  update_labels (self);
  if (self->visits->len < 2)
    gtk_label_set_text (self->timeline_status, _("This patient has no other visit to compare with."));
  else
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%u visit", "%u visits", self->visits->len),
                                               self->visits->len);
      gtk_label_set_text (self->timeline_status, text);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->timeline));
}

/**
 * lb_compare_view_open:
 * @self: the view
 * @client: the archive
 * @cache: (nullable): the local study cache
 * @study: the study whose patient's timeline to show
 */
void
lb_compare_view_open (LbCompareView    *self,
                      LbDicomwebClient *client,
                      LbStore          *cache,
                      LbStudy          *study)
{
  g_autofree char *match = NULL;
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  GtkWidget *child;

  g_return_if_fail (LB_IS_COMPARE_VIEW (self));
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (client));
  g_return_if_fail (LB_IS_STUDY (study));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->client, client);
  g_set_object (&self->cache, cache);

  set_link (self, self->view_bindings, FALSE, NULL);
  set_link (self, self->window_bindings, FALSE, NULL);
  self->compared[0] = self->compared[1] = NULL;
  g_object_set_data (G_OBJECT (self->left), "lb-visit", NULL);
  g_object_set_data (G_OBJECT (self->right), "lb-visit", NULL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->timeline))) != NULL)
    gtk_list_box_remove (self->timeline, child);
  g_ptr_array_set_size (self->visits, 0);

  g_free (self->patient_id);
  self->patient_id = g_strdup (lb_study_get_patient_id (study) ? lb_study_get_patient_id (study) : "");
  g_free (self->birth_date);
  self->birth_date = g_strdup (lb_study_get_patient_birth_date (study) ? lb_study_get_patient_birth_date (study) : "");

  name = lb_study_dup_display_name (study);
  title = g_strdup_printf (_("Timeline of %s (%s)"), name, self->patient_id);
  gtk_label_set_text (self->timeline_title, title);
  gtk_stack_set_visible_child_name (self->mode, "timeline");
  gtk_widget_grab_focus (GTK_WIDGET (self->timeline));

  if (self->patient_id[0] == '\0')
    {
      gtk_label_set_text (self->timeline_status, _("The study has no Patient ID: no timeline."));
      return;
    }
  gtk_label_set_text (self->timeline_status, _("Loading…"));
  match = lb_dicomweb_query_param ("PatientID", self->patient_id);
  {
    const char *query[] = {
      match,
      "ModalitiesInStudy=XC",
      "includefield=00081030",
      "includefield=00100030",
      "limit=1000",
      NULL
    };

    lb_dicomweb_client_search_studies_async (client, query, self->cancellable, search_done_cb, self);
  }
}

static gboolean
zoom_to_text (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  g_value_take_string (to, g_strdup_printf (_("Zoom %.0f %%"), g_value_get_double (from) * 100));
  return TRUE;
}

static void
lb_compare_view_dispose (GObject *object)
{
  LbCompareView *self = LB_COMPARE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->view_bindings != NULL)
    {
      set_link (self, self->view_bindings, FALSE, NULL);
      set_link (self, self->window_bindings, FALSE, NULL);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_COMPARE_VIEW);
  g_clear_pointer (&self->visits, g_ptr_array_unref);
  g_clear_pointer (&self->view_bindings, g_ptr_array_unref);
  g_clear_pointer (&self->window_bindings, g_ptr_array_unref);
  g_clear_object (&self->client);
  g_clear_object (&self->cache);
  g_clear_pointer (&self->patient_id, g_free);
  g_clear_pointer (&self->birth_date, g_free);

  G_OBJECT_CLASS (lb_compare_view_parent_class)->dispose (object);
}

static void
lb_compare_view_class_init (LbCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_compare_view_dispose;

  g_type_ensure (LB_TYPE_VIEWPORT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/lb-compare-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, mode);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, timeline_title);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, timeline_status);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, timeline);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, link_view);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, link_window);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, left_title);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, right_title);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, left);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, right);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, left_zoom);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, right_zoom);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, link_toggled_cb);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
lb_compare_view_init (LbCompareView *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->visits = g_ptr_array_new_with_free_func ((GDestroyNotify) visit_free);
  self->view_bindings = g_ptr_array_new ();
  self->window_bindings = g_ptr_array_new ();
  self->patient_id = g_strdup ("");
  self->birth_date = g_strdup ("");

  gtk_list_box_set_sort_func (self->timeline, sort_rows, self, NULL);
  gtk_list_box_set_header_func (self->timeline, header_rows, self, NULL);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (timeline_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->timeline), keys);

  g_object_bind_property_full (self->left, "zoom", self->left_zoom, "label", G_BINDING_SYNC_CREATE,
                               zoom_to_text, NULL, NULL, NULL);
  g_object_bind_property_full (self->right, "zoom", self->right_zoom, "label", G_BINDING_SYNC_CREATE,
                               zoom_to_text, NULL, NULL, NULL);
}
