/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-application.h"

#include <glib/gi18n.h>

#include "lb-preferences-window.h"
#include "lb-server-settings.h"
#include "lb-window.h"

struct _LbApplication
{
  AdwApplication parent_instance;

  char *server_url;
  gint64 bench_started_at;   /* LIGHTBOX_BENCH_STARTED_AT, 0 when not benchmarked */
};

G_DEFINE_FINAL_TYPE (LbApplication, lb_application, ADW_TYPE_APPLICATION)

static LbServerProfile *
make_profile (LbApplication *self)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  LbServerProfile *profile;

  /* --server wins over the saved profiles, for this run only. */
  if (self->server_url != NULL)
    return lb_server_profile_new (self->server_url, self->server_url);

  profile = lb_server_settings_get_active (settings);
  if (profile == NULL)
    profile = lb_server_profile_new (_("Local archive"), "http://127.0.0.1:8042/dicom-web");
  return profile;
}

/* `lightbox-cli bench startup` starts the app with the monotonic time of
 * its spawn in LIGHTBOX_BENCH_STARTED_AT: the first frame painted (with the
 * cached worklist, loaded before the window is shown) is "usable"; print
 * the time to it and quit. */
static void
bench_after_paint_cb (GdkFrameClock *clock,
                      LbApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, bench_after_paint_cb, self);
  g_print ("lightbox-ready-ms %.1f\n", (g_get_monotonic_time () - self->bench_started_at) / 1000.0);
  g_application_quit (G_APPLICATION (self));
}

static void
bench_window_mapped_cb (GtkWidget     *window,
                        LbApplication *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_handlers_disconnect_by_func (window, bench_window_mapped_cb, self);
  if (clock != NULL)
    g_signal_connect (clock, "after-paint", G_CALLBACK (bench_after_paint_cb), self);
}

static void
lb_application_activate (GApplication *app)
{
  LbApplication *self = LB_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      g_autoptr (LbServerProfile) profile = make_profile (self);
      window = GTK_WINDOW (lb_window_new (ADW_APPLICATION (app), profile));
      if (self->bench_started_at > 0)
        g_signal_connect_after (window, "map", G_CALLBACK (bench_window_mapped_cb), self);
    }
  gtk_window_present (window);
}

static int
lb_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  LbApplication *self = LB_APPLICATION (app);
  const char *server = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("Lightbox %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "server", "&s", &server))
    {
      g_autoptr (GUri) uri = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                          g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
        {
          g_printerr (_("lightbox: --server needs an http:// or https:// address, not “%s”\n"), server);
          return 2;
        }
      g_free (self->server_url);
      self->server_url = g_strdup (server);
    }
  return -1;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { "The Lightbox developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Lightbox"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The Lightbox developers"),
                         "developers", developers,
                         "comments", _("Review patient-generated medical images from a PACS"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  gtk_window_present (GTK_WINDOW (lb_preferences_window_new (parent)));
}

static void
clear_cache_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  for (GList *l = windows; l != NULL; l = l->next)
    if (LB_IS_WINDOW (l->data))
      {
        g_autoptr (GError) error = NULL;
        if (!lb_window_clear_cache (LB_WINDOW (l->data), &error))
          g_warning ("Cannot clear the local cache: %s", error->message);
      }
}

/* Ctrl+Q closes the windows as their close buttons would, so a window
 * with marks not saved asks first (and stays on Cancel); the application
 * ends with its last window. */
static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GList *windows = NULL;

  /* Closing one may destroy it and change the application's list. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (user_data)); l != NULL; l = l->next)
    windows = g_list_prepend (windows, g_object_ref (l->data));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free_full (windows, g_object_unref);
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "preferences", preferences_action },
  { "clear-cache", clear_cache_action },
  { "quit", quit_action },
};

static void
lb_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (lb_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
  gtk_window_set_default_icon_name (APP_ID);
}

static void
lb_application_finalize (GObject *object)
{
  LbApplication *self = LB_APPLICATION (object);

  g_free (self->server_url);

  G_OBJECT_CLASS (lb_application_parent_class)->finalize (object);
}

static void
lb_application_class_init (LbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = lb_application_finalize;
  app_class->activate = lb_application_activate;
  app_class->startup = lb_application_startup;
  app_class->handle_local_options = lb_application_handle_local_options;
}

static void
lb_application_init (LbApplication *self)
{
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, NULL,
      N_("DICOMweb address of the archive to use for this session"), N_("URL") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  {
    const char *started = g_getenv ("LIGHTBOX_BENCH_STARTED_AT");

    self->bench_started_at = started != NULL ? g_ascii_strtoll (started, NULL, 10) : 0;
  }
}

LbApplication *
lb_application_new (void)
{
  return g_object_new (LB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}
