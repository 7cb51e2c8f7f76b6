/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-compare-view.h"

#include <glib/gi18n.h>

#include "lb-annotation-overlay.h"
#include "lb-annotation-pr.h"
#include "lb-change-panel.h"
#include "lb-change.h"
#include "lb-dicom.h"
#include "lb-study-loader.h"
#include "lb-viewport.h"

#define MAX_PANES 4

/* One study of the patient's timeline. */
typedef struct {
  LbStudy       *study;
  LbDicomObject *image;      /* first image, once loaded */
  LbAnnotationSet *annotations; /* the image's newest presentation state's, or NULL */
  char          *group;      /* "L LEG", "" until the image is loaded */
  GDate          date;
  gboolean       selected;
  GtkWidget     *row;
  GtkCheckButton *check;
  GtkLabel      *interval;
  GtkLabel      *part;
} LbVisit;

/* One image of the comparison. */
typedef struct {
  GtkWidget           *box;
  GtkLabel            *title;
  LbViewport          *viewport;
  GtkLabel            *zoom;
  LbAnnotationOverlay *overlay;
  LbVisit             *visit;     /* shown, or NULL while none is set */
} LbPane;

struct _LbCompareView
{
  GtkWidget parent_instance;

  GtkStack *mode;
  GtkLabel *timeline_title;
  GtkLabel *timeline_status;
  GtkListBox *timeline;
  GtkToggleButton *link_view;
  GtkToggleButton *link_window;
  GtkToggleButton *link_rotation;
  GtkGrid *grid;
  LbChangePanel *change_panel;

  LbDicomwebClient *client;
  LbStore *cache;
  char *patient_id;
  char *birth_date;
  GCancellable *cancellable;
  GPtrArray *visits;           /* LbVisit, oldest first */
  GPtrArray *panes;            /* LbPane, in reading order; the first is the hub of the links */
  GPtrArray *bindings;         /* GBinding between the first pane and the others */
  char *change_label;          /* the measurement the change panel shows, or NULL */
};

G_DEFINE_FINAL_TYPE (LbCompareView, lb_compare_view, GTK_TYPE_WIDGET)

static void
visit_free (LbVisit *visit)
{
  g_clear_object (&visit->study);
  g_clear_pointer (&visit->image, lb_dicom_object_unref);
  g_clear_object (&visit->annotations);
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
  for (guint i = 0; i < self->panes->len; i++)
    {
      LbPane *pane = g_ptr_array_index (self->panes, i);
      g_autofree char *title = pane->visit != NULL ? visit_title (self, pane->visit) : NULL;

      gtk_label_set_text (pane->title, title != NULL ? title : "");
      if (title != NULL)
        {
          /* Translators: the accessible name of one image of a comparison */
          g_autofree char *name = g_strdup_printf (_("Image of %s"), title);

          gtk_accessible_update_property (GTK_ACCESSIBLE (pane->viewport), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
        }
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
unlink_panes (LbCompareView *self)
{
  for (guint i = 0; i < self->bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (self->bindings, i));
  g_ptr_array_set_size (self->bindings, 0);
}

static gboolean
scale_up (GBinding     *binding,
          const GValue *from,
          GValue       *to,
          gpointer      user_data)
{
  g_value_set_double (to, g_value_get_double (from) * *(double *) user_data);
  return TRUE;
}

static gboolean
scale_down (GBinding     *binding,
            const GValue *from,
            GValue       *to,
            gpointer      user_data)
{
  g_value_set_double (to, g_value_get_double (from) / *(double *) user_data);
  return TRUE;
}

/* Zoom and centre are in image pixels; images of different sizes (a 12 MP
 * photo beside 3 MP ones) are linked by their widths, so every pane shows
 * the same part of its photo at the same size. */
static double
width_ratio (LbPane *hub,
             LbPane *pane)
{
  guint hub_width, width;

  if (hub->visit == NULL || hub->visit->image == NULL || pane->visit == NULL || pane->visit->image == NULL)
    return 1;
  hub_width = lb_dicom_object_get_meta (hub->visit->image)->columns;
  width = lb_dicom_object_get_meta (pane->visit->image)->columns;
  return hub_width > 0 && width > 0 ? (double) width / hub_width : 1;
}

static void
link_properties (LbCompareView     *self,
                 const char *const *properties,
                 gboolean           scaled)
{
  LbPane *hub = g_ptr_array_index (self->panes, 0);

  for (guint i = 1; i < self->panes->len; i++)
    {
      LbPane *pane = g_ptr_array_index (self->panes, i);
      double ratio = width_ratio (hub, pane);

      for (guint p = 0; properties[p] != NULL; p++)
        {
          GBinding *binding;

          if (!scaled)
            binding = g_object_bind_property (hub->viewport, properties[p], pane->viewport, properties[p],
                                              G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
          else
            {
              gboolean is_zoom = g_str_equal (properties[p], "zoom");

              binding = g_object_bind_property_full (hub->viewport, properties[p], pane->viewport, properties[p],
                                                     G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                     is_zoom ? scale_down : scale_up,
                                                     is_zoom ? scale_up : scale_down,
                                                     g_memdup2 (&ratio, sizeof ratio), g_free);
            }
          g_ptr_array_add (self->bindings, binding);
        }
    }
}

/* Every pane follows the first one, both ways: moving any moves all. */
static void
link_toggled_cb (LbCompareView *self)
{
  static const char *const view_props[] = { "zoom", "center-x", "center-y", NULL };
  static const char *const window_props[] = { "window-center", "window-width", NULL };
  static const char *const rotation_props[] = { "rotation", "flip-horizontal", NULL };

  unlink_panes (self);
  if (self->panes->len < 2)
    return;
  if (gtk_toggle_button_get_active (self->link_view))
    link_properties (self, view_props, TRUE);
  if (gtk_toggle_button_get_active (self->link_window))
    link_properties (self, window_props, FALSE);
  if (gtk_toggle_button_get_active (self->link_rotation))
    link_properties (self, rotation_props, FALSE);
}

/* The newest presentation state of @image among the study's, or NULL. */
static const LbPresentationState *
newest_state (GPtrArray     *states,
              LbDicomObject *image)
{
  const char *uid = lb_dicom_object_get_meta (image)->sop_instance_uid;
  const LbPresentationState *newest = NULL;

  for (guint i = 0; states != NULL && i < states->len; i++)
    {
      const LbPresentationState *s = g_ptr_array_index (states, i);
      int c;

      if (g_strcmp0 (s->referenced_sop_instance_uid, uid) != 0)
        continue;
      if (newest == NULL)
        {
          newest = s;
          continue;
        }
      c = g_strcmp0 (s->creation_date, newest->creation_date);
      if (c > 0 || (c == 0 && g_strcmp0 (s->creation_time, newest->creation_time) > 0))
        newest = s;
    }
  return newest;
}

/* Shows the pane's visit once its image is there. */
static void
pane_show (LbPane *pane)
{
  LbVisit *visit = pane->visit;

  if (visit == NULL || visit->image == NULL)
    return;
  if (g_object_get_data (G_OBJECT (pane->viewport), "lb-visit") == visit)
    return;
  g_object_set_data (G_OBJECT (pane->viewport), "lb-visit", visit);
  lb_viewport_set_image (pane->viewport, visit->image);
  lb_annotation_overlay_set_annotations (pane->overlay, visit->annotations);
}

static void
show_compared (LbCompareView *self)
{
  for (guint i = 0; i < self->panes->len; i++)
    pane_show (g_ptr_array_index (self->panes, i));
}

/* Under each image: its zoom, and its turn and mirror when it has them,
 * so the links can be seen (and read by a screen reader). */
static void
update_pane_status (LbPane *pane)
{
  g_autoptr (GString) text = g_string_new (NULL);
  int rotation = lb_viewport_get_rotation (pane->viewport);

  g_string_printf (text, _("Zoom %.0f %%"), lb_viewport_get_zoom (pane->viewport) * 100);
  if (rotation != 0)
    /* Translators: appended to "Zoom 50 %" */
    g_string_append_printf (text, _(" · turned %d°"), rotation);
  if (lb_viewport_get_flip_horizontal (pane->viewport))
    g_string_append (text, _(" · mirrored"));
  gtk_label_set_text (pane->zoom, text->str);
}

static void
pane_free (LbPane *pane)
{
  g_signal_handlers_disconnect_by_data (pane->viewport, pane);
  lb_viewport_set_annotation_overlay (pane->viewport, NULL);
  g_clear_object (&pane->overlay);
  g_clear_object (&pane->box);
  g_free (pane);
}

static LbPane *
pane_new (void)
{
  LbPane *pane = g_new0 (LbPane, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  pane->box = g_object_ref_sink (box);
  pane->title = GTK_LABEL (gtk_label_new (""));
  gtk_widget_add_css_class (GTK_WIDGET (pane->title), "heading");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (pane->title));

  pane->viewport = LB_VIEWPORT (lb_viewport_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (pane->viewport), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (pane->viewport), TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (pane->viewport), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (pane->viewport));

  pane->zoom = GTK_LABEL (gtk_label_new (""));
  gtk_widget_add_css_class (GTK_WIDGET (pane->zoom), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (pane->zoom), "numeric");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (pane->zoom));
  g_signal_connect_swapped (pane->viewport, "notify::zoom", G_CALLBACK (update_pane_status), pane);
  g_signal_connect_swapped (pane->viewport, "notify::rotation", G_CALLBACK (update_pane_status), pane);
  g_signal_connect_swapped (pane->viewport, "notify::flip-horizontal", G_CALLBACK (update_pane_status), pane);
  update_pane_status (pane);

  /* The marks are shown, not edited, here: the study view edits them. */
  pane->overlay = lb_annotation_overlay_new ();
  lb_annotation_overlay_set_tool (pane->overlay, LB_ANNOTATION_TOOL_SELECT);
  lb_viewport_set_annotation_overlay (pane->viewport, pane->overlay);
  return pane;
}

static void
clear_panes (LbCompareView *self)
{
  unlink_panes (self);
  for (guint i = 0; i < self->panes->len; i++)
    gtk_grid_remove (self->grid, ((LbPane *) g_ptr_array_index (self->panes, i))->box);
  g_ptr_array_set_size (self->panes, 0);
}

/* Measurable shapes: lengths and areas, not arrows, points or text. */
static gboolean
is_measurement (const LbAnnotation *a)
{
  LbMeasurement m;

  if (a->kind == LB_ANNOTATION_ARROW || a->kind == LB_ANNOTATION_POINT || a->kind == LB_ANNOTATION_TEXT)
    return FALSE;
  if (a->label == NULL || a->label[0] == '\0')
    return FALSE;
  lb_annotation_measure (a, NULL, &m);
  return m.has_area || m.has_length;
}

/* The label the visits' measurements most often carry ("wound"); on a tie,
 * the one first met, oldest visit first. */
static char *
most_common_label (GPtrArray *visits)
{
  g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  const char *best = NULL;
  guint best_count = 0;

  for (guint i = 0; i < visits->len; i++)
    {
      LbVisit *visit = g_ptr_array_index (visits, i);
      guint n = visit->annotations != NULL ? lb_annotation_set_get_n_annotations (visit->annotations) : 0;

      for (guint j = 0; j < n; j++)
        {
          const LbAnnotation *a = lb_annotation_set_get_nth (visit->annotations, j);
          guint count;

          if (!is_measurement (a))
            continue;
          count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, a->label)) + 1;
          g_hash_table_insert (counts, a->label, GUINT_TO_POINTER (count));
          if (count > best_count)
            {
              best = a->label;
              best_count = count;
            }
        }
    }
  return g_strdup (best);
}

/* The change panel: the most common measurement over all visits of the
 * compared body part and side, hidden unless two visits have a value. */
static void
update_change (LbCompareView *self)
{
  LbPane *first = self->panes->len > 0 ? g_ptr_array_index (self->panes, 0) : NULL;
  g_autoptr (GPtrArray) group = g_ptr_array_new ();
  g_autofree LbChangeInput *inputs = NULL;
  g_autoptr (LbChangeTable) table = NULL;
  g_autoptr (GError) error = NULL;
  guint n_values = 0;

  g_clear_pointer (&self->change_label, g_free);
  if (first != NULL && first->visit != NULL)
    for (guint i = 0; i < self->visits->len; i++)
      {
        LbVisit *visit = g_ptr_array_index (self->visits, i);

        if (visit->annotations != NULL && g_date_valid (&visit->date) &&
            g_strcmp0 (visit->group, first->visit->group) == 0)
          g_ptr_array_add (group, visit);
      }
  self->change_label = most_common_label (group);
  if (self->change_label == NULL)
    {
      lb_change_panel_set_table (self->change_panel, NULL);
      return;
    }
  inputs = g_new0 (LbChangeInput, group->len);
  for (guint i = 0; i < group->len; i++)
    {
      LbVisit *visit = g_ptr_array_index (group, i);

      inputs[i].date = lb_study_get_study_date (visit->study);
      inputs[i].annotations = visit->annotations;
    }
  table = lb_change_table_build (self->change_label, inputs, group->len, &error);
  for (guint i = 0; table != NULL && i < table->rows->len; i++)
    n_values += ((LbChangeRow *) g_ptr_array_index (table->rows, i))->has_value;
  if (table == NULL || n_values < 2)
    {
      if (error != NULL)
        g_debug ("No change table: %s", error->message);
      g_clear_pointer (&self->change_label, g_free);
      lb_change_panel_set_table (self->change_panel, NULL);
      return;
    }
  lb_change_panel_set_table (self->change_panel, g_steal_pointer (&table));
}

static void
compare (LbCompareView *self)
{
  LbVisit *chosen[MAX_PANES] = { NULL };
  guint n = 0;

  for (guint i = 0; i < self->visits->len; i++)
    {
      LbVisit *visit = g_ptr_array_index (self->visits, i);

      if (visit->selected && n < MAX_PANES)
        chosen[n] = visit;
      n += visit->selected;
    }
  if (n == 0 && self->visits->len >= 2)
    {
      /* Nothing chosen: the first and the last. */
      chosen[0] = g_ptr_array_index (self->visits, 0);
      chosen[1] = g_ptr_array_index (self->visits, self->visits->len - 1);
      n = 2;
    }
  else if (n < 2 || n > MAX_PANES)
    {
      gtk_label_set_text (self->timeline_status, _("Select two to four visits to compare."));
      return;
    }

  /* New panes: unlinked while the images arrive, so none resets another. */
  clear_panes (self);
  for (guint i = 0; i < n; i++)
    {
      LbPane *pane = pane_new ();

      pane->visit = chosen[i];
      g_ptr_array_add (self->panes, pane);
      /* Two side by side; three or four in two rows. */
      if (n == 2)
        gtk_grid_attach (self->grid, pane->box, (int) i, 0, 1, 1);
      else
        gtk_grid_attach (self->grid, pane->box, (int) i % 2, (int) i / 2, 1, 1);
    }
  show_compared (self);
  link_toggled_cb (self);
  update_labels (self);
  update_change (self);
  gtk_stack_set_visible_child_name (self->mode, "compare");
  gtk_widget_grab_focus (GTK_WIDGET (((LbPane *) g_ptr_array_index (self->panes, 0))->viewport));
}

static int
compare_panes_by_visit (gconstpointer a,
                        gconstpointer b,
                        gpointer      user_data)
{
  LbCompareView *self = user_data;
  guint ia = 0, ib = 0;

  g_ptr_array_find (self->visits, (*(LbPane **) a)->visit, &ia);
  g_ptr_array_find (self->visits, (*(LbPane **) b)->visit, &ib);
  return (int) ia - (int) ib;
}

/* The pane whose viewport has the keyboard focus, else the first. */
static LbPane *
focused_pane (LbCompareView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  for (guint i = 0; focus != NULL && i < self->panes->len; i++)
    {
      LbPane *pane = g_ptr_array_index (self->panes, i);

      if (focus == GTK_WIDGET (pane->viewport) || gtk_widget_is_ancestor (focus, pane->box))
        return pane;
    }
  return self->panes->len > 0 ? g_ptr_array_index (self->panes, 0) : NULL;
}

/* Alt+← / Alt+→: the focused pane shows the next older / newer visit of
 * the same body part and side. */
static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LbCompareView *self = LB_COMPARE_VIEW (widget);
  LbPane *pane = focused_pane (self);
  int step = g_variant_get_int32 (parameter);
  LbVisit *next = NULL;
  guint at = 0;

  if (pane == NULL || pane->visit == NULL ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->mode), "compare") != 0 ||
      !g_ptr_array_find (self->visits, pane->visit, &at))
    return;
  for (int i = (int) at + step; i >= 0 && i < (int) self->visits->len; i += step)
    {
      LbVisit *visit = g_ptr_array_index (self->visits, i);

      /* A visit whose photo is not (yet) there is passed over: the pane
       * must never show one visit's title over another's photo. */
      if (visit->image != NULL && g_strcmp0 (visit->group, pane->visit->group) == 0)
        {
          next = visit;
          break;
        }
    }
  if (next == NULL)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  unlink_panes (self);
  pane->visit = next;
  g_object_set_data (G_OBJECT (pane->viewport), "lb-visit", NULL);
  lb_annotation_overlay_set_annotations (pane->overlay, NULL);
  pane_show (pane);
  link_toggled_cb (self);
  update_labels (self);
  update_change (self);
}

static void
show_selection_count (LbCompareView *self)
{
  guint n = 0;
  g_autofree char *visits = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < self->visits->len; i++)
    n += ((LbVisit *) g_ptr_array_index (self->visits, i))->selected;
  visits = g_strdup_printf (ngettext ("%u visit", "%u visits", self->visits->len), self->visits->len);
  /* Translators: "4 visits, 2 selected" */
  text = g_strdup_printf (_("%s, %u selected"), visits, n);
  gtk_label_set_text (self->timeline_status, text);
}

static void
toggle_visit (LbCompareView *self,
              LbVisit       *visit)
{
  visit->selected = !visit->selected;
  gtk_check_button_set_active (visit->check, visit->selected);
  show_selection_count (self);
}

static void
row_activated_cb (LbCompareView *self,
                  GtkListBoxRow *row)
{
  toggle_visit (self, row_visit (row));
}

/* Space toggles the row with the focus (the first when the list itself has
 * it); Enter compares. */
static gboolean
timeline_key_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 LbCompareView         *self)
{
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return FALSE;
  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
    {
      compare (self);
      return TRUE;
    }
  if (keyval == GDK_KEY_space || keyval == GDK_KEY_KP_Space)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
      GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW) : NULL;

      if (row == NULL || gtk_widget_get_parent (row) != GTK_WIDGET (self->timeline))
        {
          row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->timeline, 0));
          if (row == NULL)
            return TRUE;
          gtk_widget_grab_focus (row);
        }
      toggle_visit (self, row_visit (GTK_LIST_BOX_ROW (row)));
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
  const LbPresentationState *state;

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
  state = newest_state (content->presentation_states, visit->image);
  if (state != NULL)
    {
      visit->annotations = lb_annotation_set_new_from_presentation_state (state);
      lb_annotation_set_set_image_from_dicom (visit->annotations, visit->image);
      /* A mark moved in a pane is measured again in the change panel. */
      g_signal_connect_object (visit->annotations, "changed", G_CALLBACK (update_change), self,
                               G_CONNECT_SWAPPED);
    }
  meta = lb_dicom_object_get_meta (visit->image);
  g_free (visit->group);
  visit->group = g_strdup_printf ("%s%s%s", meta->laterality, meta->laterality[0] ? " " : "",
                                  meta->body_part);
  g_strstrip (visit->group);
  update_labels (self);
  /* Unlinked while the image arrives; linked again by its size. */
  for (guint i = 0; i < self->panes->len; i++)
    if (((LbPane *) g_ptr_array_index (self->panes, i))->visit == visit)
      {
        unlink_panes (self);
        show_compared (self);
        link_toggled_cb (self);
        break;
      }
  update_change (self);
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

  clear_panes (self);
  lb_change_panel_set_table (self->change_panel, NULL);
  g_clear_pointer (&self->change_label, g_free);
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

static void
lb_compare_view_dispose (GObject *object)
{
  LbCompareView *self = LB_COMPARE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->panes != NULL)
    clear_panes (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_COMPARE_VIEW);
  g_clear_pointer (&self->visits, g_ptr_array_unref);
  g_clear_pointer (&self->panes, g_ptr_array_unref);
  g_clear_pointer (&self->bindings, g_ptr_array_unref);
  g_clear_pointer (&self->change_label, g_free);
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
  g_type_ensure (LB_TYPE_CHANGE_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/lb-compare-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, mode);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, timeline_title);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, timeline_status);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, timeline);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, link_view);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, link_window);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, link_rotation);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, grid);
  gtk_widget_class_bind_template_child (widget_class, LbCompareView, change_panel);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, link_toggled_cb);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
  gtk_widget_class_install_action (widget_class, "compare.step", "i", step_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "compare.step", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "compare.step", "i", 1);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
lb_compare_view_init (LbCompareView *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->visits = g_ptr_array_new_with_free_func ((GDestroyNotify) visit_free);
  self->panes = g_ptr_array_new_with_free_func ((GDestroyNotify) pane_free);
  self->bindings = g_ptr_array_new ();
  self->patient_id = g_strdup ("");
  self->birth_date = g_strdup ("");

  gtk_list_box_set_sort_func (self->timeline, sort_rows, self, NULL);
  gtk_list_box_set_header_func (self->timeline, header_rows, self, NULL);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (timeline_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->timeline), keys);
}

/**
 * lb_compare_view_get_export:
 * @self: the view
 * @images: (out) (element-type LbDicomObject): the compared images, oldest first
 * @annotations: (out) (element-type LbAnnotationSet): for each image, a copy
 *   of its marks with the view shown (rotation, flip, window)
 * @change_label: (out) (nullable): the measurement of the change panel
 *
 * What an export of the comparison holds.
 *
 * Returns: %FALSE when no comparison is shown or its images are not loaded
 */
gboolean
lb_compare_view_get_export (LbCompareView  *self,
                            GPtrArray     **images,
                            GPtrArray     **annotations,
                            char          **change_label)
{
  g_autoptr (GPtrArray) panes = NULL;
  g_autoptr (GPtrArray) out_images = NULL;
  g_autoptr (GPtrArray) out_sets = NULL;

  g_return_val_if_fail (LB_IS_COMPARE_VIEW (self), FALSE);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->mode), "compare") != 0 || self->panes->len == 0)
    return FALSE;
  /* A copy holds the same panes; it must not free them (a plain copy
   * would take the array's free function along). */
  panes = g_ptr_array_copy (self->panes, NULL, NULL);
  g_ptr_array_set_free_func (panes, NULL);
  for (guint i = 0; i < panes->len; i++)
    if (((LbPane *) g_ptr_array_index (panes, i))->visit == NULL ||
        ((LbPane *) g_ptr_array_index (panes, i))->visit->image == NULL)
      return FALSE;

  /* Oldest first on the page, whatever the panes show. */
  g_ptr_array_sort_with_data (panes, compare_panes_by_visit, self);
  out_images = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_dicom_object_unref);
  out_sets = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < panes->len; i++)
    {
      LbPane *pane = g_ptr_array_index (panes, i);
      LbVisit *visit = pane->visit;
      g_autoptr (LbAnnotationSet) set = NULL;
      LbAnnotationView view;

      if (visit->annotations != NULL)
        set = lb_annotation_set_copy (visit->annotations);
      else
        {
          set = lb_annotation_set_new ();
          lb_annotation_set_set_image_from_dicom (set, visit->image);
        }
      view = *lb_annotation_set_get_view (set);
      view.rotation = lb_viewport_get_rotation (pane->viewport);
      view.flip_h = lb_viewport_get_flip_horizontal (pane->viewport);
      view.has_area = FALSE;
      lb_annotation_set_set_view (set, &view);
      g_ptr_array_add (out_images, lb_dicom_object_ref (visit->image));
      g_ptr_array_add (out_sets, g_steal_pointer (&set));
    }
  *images = g_steal_pointer (&out_images);
  *annotations = g_steal_pointer (&out_sets);
  *change_label = g_strdup (self->change_label);
  return TRUE;
}
