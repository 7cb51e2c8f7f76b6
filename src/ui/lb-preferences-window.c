/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-preferences-window.h"

#include <glib/gi18n.h>

#include "lb-server-row.h"
#include "lb-server-settings.h"

struct _LbPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GtkListBox *servers_list;
  AdwEntryRow *reviewer_name_row;
  AdwEntryRow *reviewer_role_row;
  AdwEntryRow *modalities_row;
  GtkSpinButton *refresh_spin;
  GtkSpinButton *blur_spin;
  GtkSpinButton *dark_spin;
  GtkSpinButton *bright_spin;
  GtkSpinButton *resolution_spin;
  GtkSpinButton *cache_spin;

  GSettings *settings;
  GListStore *servers;
};

G_DEFINE_FINAL_TYPE (LbPreferencesWindow, lb_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
save_servers (LbPreferencesWindow *self)
{
  lb_server_settings_save (self->settings, G_LIST_MODEL (self->servers));
}

static void
update_active (LbPreferencesWindow *self)
{
  g_autofree char *active = g_settings_get_string (self->settings, "active-server");

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->servers_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (LB_IS_SERVER_ROW (row))
      lb_server_row_set_active (LB_SERVER_ROW (row),
                                g_strcmp0 (lb_server_profile_get_name (lb_server_row_get_profile (LB_SERVER_ROW (row))),
                                           active) == 0);
}

static void
row_use_cb (LbServerRow         *row,
            LbPreferencesWindow *self)
{
  g_settings_set_string (self->settings, "active-server",
                         lb_server_profile_get_name (lb_server_row_get_profile (row)));
}

static void
row_remove_cb (LbServerRow         *row,
               LbPreferencesWindow *self)
{
  guint position;

  if (g_list_store_find (self->servers, lb_server_row_get_profile (row), &position))
    g_list_store_remove (self->servers, position);
  save_servers (self);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  LbPreferencesWindow *self = user_data;
  GtkWidget *row = lb_server_row_new (item);
  g_autofree char *active = g_settings_get_string (self->settings, "active-server");

  g_signal_connect_swapped (row, "changed", G_CALLBACK (save_servers), self);
  g_signal_connect (row, "use", G_CALLBACK (row_use_cb), self);
  g_signal_connect (row, "remove", G_CALLBACK (row_remove_cb), self);
  lb_server_row_set_active (LB_SERVER_ROW (row),
                            g_strcmp0 (lb_server_profile_get_name (item), active) == 0);
  return row;
}

static void
add_server_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LbPreferencesWindow *self = LB_PREFERENCES_WINDOW (widget);
  g_autoptr (LbServerProfile) profile = lb_server_profile_new (_("New archive"), "https://");
  GtkWidget *row;

  g_list_store_append (self->servers, profile);
  save_servers (self);
  row = gtk_widget_get_last_child (GTK_WIDGET (self->servers_list));
  if (ADW_IS_EXPANDER_ROW (row))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
}

/* Worklist modalities are kept as a list; the row shows "XC, OT". */
static gboolean
strv_to_text (GValue *value, GVariant *variant, gpointer data)
{
  g_autofree const char **strv = g_variant_get_strv (variant, NULL);
  g_value_take_string (value, g_strjoinv (", ", (char **) strv));
  return TRUE;
}

static GVariant *
text_to_strv (const GValue *value, const GVariantType *type, gpointer data)
{
  g_auto (GStrv) parts = g_strsplit_set (g_value_get_string (value), ", \\", -1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) result = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        {
          g_autofree char *upper = g_ascii_strup (parts[i], -1);
          g_strv_builder_add (builder, upper);
        }
    }
  result = g_strv_builder_end (builder);
  return g_variant_new_strv ((const char * const *) result, -1);
}

static void
lb_preferences_window_dispose (GObject *object)
{
  LbPreferencesWindow *self = LB_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->servers);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lb_preferences_window_parent_class)->dispose (object);
}

static void
lb_preferences_window_class_init (LbPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/lb-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, servers_list);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, reviewer_name_row);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, reviewer_role_row);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, modalities_row);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, refresh_spin);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, blur_spin);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, dark_spin);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, bright_spin);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, resolution_spin);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, cache_spin);

  gtk_widget_class_install_action (widget_class, "prefs.add-server", NULL, add_server_action);
}

static void
lb_preferences_window_init (LbPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->servers = lb_server_settings_load (self->settings);
  gtk_list_box_bind_model (self->servers_list, G_LIST_MODEL (self->servers), create_row, self, NULL);
  g_signal_connect_object (self->settings, "changed::active-server",
                           G_CALLBACK (update_active), self, G_CONNECT_SWAPPED);

  g_settings_bind (self->settings, "reviewer-name", self->reviewer_name_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "reviewer-role", self->reviewer_role_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "worklist-modalities", self->modalities_row, "text",
                                G_SETTINGS_BIND_DEFAULT, strv_to_text, text_to_strv, NULL, NULL);
  g_settings_bind (self->settings, "refresh-interval", self->refresh_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "quality-blur-threshold", self->blur_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "quality-dark-fraction", self->dark_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "quality-bright-fraction", self->bright_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "quality-min-megapixels", self->resolution_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "cache-size-mib", self->cache_spin, "value", G_SETTINGS_BIND_DEFAULT);
}

GtkWidget *
lb_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (LB_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}
