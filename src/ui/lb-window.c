/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-window.h"

#include <glib/gi18n.h>

#include "lb-banner.h"
#include "lb-dicomweb-client.h"
#include "lb-server-settings.h"
#include "lb-worklist-view.h"

struct _LbWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  AdwLeaflet *leaflet;
  LbWorklistView *worklist;
  GtkWidget *study_pane;
  GtkLabel *banner;
  AdwStatusPage *study_status;

  GSettings *settings;
  LbServerProfile *profile;
  LbDicomwebClient *client;
  GCancellable *cancellable;

  /* One QIDO request per configured modality; merged when all are back. */
  GHashTable *pending_studies;
  guint pending_queries;
  GError *pending_error;
  guint refresh_source;
};

G_DEFINE_FINAL_TYPE (LbWindow, lb_window, ADW_TYPE_APPLICATION_WINDOW)

static void refresh (LbWindow *self);

static void
finish_refresh (LbWindow *self)
{
  g_autoptr (GPtrArray) studies = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  if (self->pending_error != NULL && g_hash_table_size (self->pending_studies) == 0)
    {
      lb_worklist_view_set_error (self->worklist, self->pending_error->message);
      g_clear_error (&self->pending_error);
      return;
    }
  if (self->pending_error != NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (self->pending_error->message));
      g_clear_error (&self->pending_error);
    }

  g_hash_table_iter_init (&iter, self->pending_studies);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (studies, g_object_ref (value));
  g_hash_table_remove_all (self->pending_studies);
  lb_worklist_view_set_studies (self->worklist, studies);
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) studies = NULL;
  LbWindow *self;

  studies = lb_dicomweb_client_search_studies_finish (LB_DICOMWEB_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LB_WINDOW (user_data);
  if (studies == NULL)
    {
      g_warning ("Worklist query failed: %s", error->message);
      if (self->pending_error == NULL)
        self->pending_error = g_steal_pointer (&error);
    }
  else
    {
      for (guint i = 0; i < studies->len; i++)
        {
          LbStudy *study = g_ptr_array_index (studies, i);
          g_hash_table_replace (self->pending_studies,
                                g_strdup (lb_study_get_study_uid (study)),
                                g_object_ref (study));
        }
    }

  if (--self->pending_queries == 0)
    finish_refresh (self);
}

/* The worklist: studies whose Modalities in Study include one of the
 * configured patient-generated modalities (DESIGN.md). One query per
 * modality rather than a multi-valued match, which archives handle
 * inconsistently. */
static void
refresh (LbWindow *self)
{
  g_auto (GStrv) modalities = g_settings_get_strv (self->settings, "worklist-modalities");

  if (self->pending_queries > 0)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  lb_worklist_view_set_loading (self->worklist);

  for (guint i = 0; modalities[i] != NULL; i++)
    {
      g_autofree char *match = g_strdup_printf ("ModalitiesInStudy=%s", modalities[i]);
      const char *query[] = {
        match,
        "includefield=00081030",
        "includefield=00201206",
        "includefield=00201208",
        "limit=1000",
        NULL
      };

      self->pending_queries++;
      lb_dicomweb_client_search_studies_async (self->client, query, self->cancellable,
                                               search_done_cb, self);
    }
  if (self->pending_queries == 0)
    finish_refresh (self);
}

static gboolean
auto_refresh_cb (gpointer user_data)
{
  refresh (LB_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  refresh (LB_WINDOW (widget));
}

static void
study_activated_cb (LbWindow *self,
                    LbStudy  *study)
{
  g_autofree char *name = lb_study_dup_display_name (study);

  adw_status_page_set_title (self->study_status, name);
  adw_status_page_set_description (self->study_status, lb_study_get_description (study));
  gtk_widget_set_visible (GTK_WIDGET (self->banner),
                          lb_banner_is_patient_generated (lb_study_get_modalities (study), NULL));
  adw_leaflet_set_visible_child (self->leaflet, self->study_pane);
}

static void
set_profile (LbWindow        *self,
             LbServerProfile *profile)
{
  g_set_object (&self->profile, profile);
  g_clear_object (&self->client);
  self->client = lb_dicomweb_client_new (profile);
  adw_window_title_set_subtitle (self->window_title, lb_server_profile_get_name (profile));
}

/* The user picked another archive in Preferences (or edited this one):
 * switch to it and reload the worklist. */
static void
servers_changed_cb (LbWindow *self)
{
  g_autoptr (LbServerProfile) active = lb_server_settings_get_active (self->settings);

  if (active == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  self->pending_queries = 0;
  g_hash_table_remove_all (self->pending_studies);
  g_clear_error (&self->pending_error);
  set_profile (self, active);
  refresh (self);
}

static void
lb_window_dispose (GObject *object)
{
  LbWindow *self = LB_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->profile);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->pending_studies, g_hash_table_unref);
  g_clear_error (&self->pending_error);

  G_OBJECT_CLASS (lb_window_parent_class)->dispose (object);
}

static void
lb_window_class_init (LbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_window_dispose;

  g_type_ensure (LB_TYPE_WORKLIST_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/lb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, worklist);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, study_pane);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, study_status);
  gtk_widget_class_bind_template_callback (widget_class, study_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.refresh", NULL);
}

static void
lb_window_init (LbWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  self->pending_studies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  gtk_label_set_text (self->banner, lb_banner_text ());

  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

LbWindow *
lb_window_new (AdwApplication  *application,
               LbServerProfile *profile)
{
  LbWindow *self;
  guint interval;

  g_return_val_if_fail (ADW_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (LB_IS_SERVER_PROFILE (profile), NULL);

  self = g_object_new (LB_TYPE_WINDOW, "application", application, NULL);
  set_profile (self, profile);
  g_signal_connect_object (self->settings, "changed::active-server",
                           G_CALLBACK (servers_changed_cb), self, G_CONNECT_SWAPPED);

  refresh (self);
  interval = g_settings_get_uint (self->settings, "refresh-interval");
  if (interval > 0)
    self->refresh_source = g_timeout_add_seconds (interval, auto_refresh_cb, self);
  return self;
}
