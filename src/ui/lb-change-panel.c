/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-change-panel.h"

#include <glib/gi18n.h>

struct _LbChangePanel
{
  GtkWidget parent_instance;

  GtkLabel *summary;
  GtkGrid *table;
  GtkDrawingArea *plot;

  LbChangeTable *change;
};

G_DEFINE_FINAL_TYPE (LbChangePanel, lb_change_panel, GTK_TYPE_WIDGET)

static void
draw_plot (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        user_data)
{
  LbChangePanel *self = user_data;

  if (self->change == NULL)
    return;
  /* The plot is drawn in dark ink for paper; give it its paper in a dark
   * theme too. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  lb_change_table_draw_plot (self->change, cr, 0, 0, width, height);
}

static GtkWidget *
cell (const char *text,
      gboolean    heading,
      gboolean    numeric)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1 : 0);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
fill_table (LbChangePanel *self)
{
  GtkWidget *child;
  g_autofree char *value_heading = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->table))) != NULL)
    gtk_grid_remove (self->table, child);
  if (self->change == NULL)
    return;

  /* Translators: column heading, the measurement's label and unit, e.g. "wound (mm²)" */
  value_heading = g_strdup_printf (_("%s (%s)"), self->change->label, self->change->is_area ? "mm²" : "mm");
  gtk_grid_attach (self->table, cell (_("Date"), TRUE, FALSE), 0, 0, 1, 1);
  gtk_grid_attach (self->table, cell (_("Interval"), TRUE, FALSE), 1, 0, 1, 1);
  gtk_grid_attach (self->table, cell (value_heading, TRUE, TRUE), 2, 0, 1, 1);
  gtk_grid_attach (self->table, cell (_("Change"), TRUE, TRUE), 3, 0, 1, 1);
  for (guint i = 0; i < self->change->rows->len; i++)
    {
      const LbChangeRow *row = g_ptr_array_index (self->change->rows, i);
      g_autofree char *change = NULL;

      /* Whole percent on screen, as in the summary; the export's table
       * keeps one decimal. */
      if (row->has_change && i > 0)
        change = lb_change_format_percent (row->change, 0);
      else
        change = g_strdup (i == 0 ? "" : "—");
      gtk_grid_attach (self->table, cell (row->date_text, FALSE, FALSE), 0, (int) i + 1, 1, 1);
      gtk_grid_attach (self->table, cell (row->interval, FALSE, FALSE), 1, (int) i + 1, 1, 1);
      gtk_grid_attach (self->table, cell (row->value_text, FALSE, TRUE), 2, (int) i + 1, 1, 1);
      gtk_grid_attach (self->table, cell (change, FALSE, TRUE), 3, (int) i + 1, 1, 1);
    }
}

/**
 * lb_change_panel_set_table:
 * @self: the panel
 * @table: (transfer full) (nullable): the measurement over time
 */
void
lb_change_panel_set_table (LbChangePanel *self,
                           LbChangeTable *table)
{
  g_autofree char *summary = NULL;

  g_return_if_fail (LB_IS_CHANGE_PANEL (self));

  g_clear_pointer (&self->change, lb_change_table_free);
  self->change = table;
  if (table != NULL)
    summary = lb_change_table_summary (table);
  gtk_label_set_text (self->summary, summary != NULL ? summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary), summary != NULL);
  fill_table (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->plot));
  gtk_widget_set_visible (GTK_WIDGET (self), table != NULL);
}

const LbChangeTable *
lb_change_panel_get_table (LbChangePanel *self)
{
  g_return_val_if_fail (LB_IS_CHANGE_PANEL (self), NULL);

  return self->change;
}

static void
lb_change_panel_dispose (GObject *object)
{
  LbChangePanel *self = LB_CHANGE_PANEL (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_CHANGE_PANEL);
  /* The template's box has no id, so the template does not unparent it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->change, lb_change_table_free);

  G_OBJECT_CLASS (lb_change_panel_parent_class)->dispose (object);
}

static void
lb_change_panel_class_init (LbChangePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_change_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/lb-change-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, LbChangePanel, summary);
  gtk_widget_class_bind_template_child (widget_class, LbChangePanel, table);
  gtk_widget_class_bind_template_child (widget_class, LbChangePanel, plot);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
lb_change_panel_init (LbChangePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->plot, draw_plot, self, NULL);
}
