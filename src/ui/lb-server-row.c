/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-server-row.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lb-dicomweb-client.h"
#include "lb-secret-store.h"

/* One archive in Preferences: its profile's fields, bound both ways to the
 * entry rows, and a connection test. */
struct _LbServerRow
{
  AdwExpanderRow parent_instance;

  GtkWidget *active_icon;
  GtkWidget *insecure_icon;
  AdwEntryRow *name_row;
  AdwEntryRow *qido_row;
  AdwEntryRow *wado_row;
  AdwEntryRow *stow_row;
  AdwComboRow *auth_row;
  AdwEntryRow *username_row;
  AdwEntryRow *secret_row;
  AdwEntryRow *ca_file_row;
  AdwActionRow *verify_row;
  GtkSwitch *verify_switch;
  GtkLabel *test_result;
  GtkButton *test_button;
  GtkButton *use_button;

  LbServerProfile *profile;
  GCancellable *cancellable;
  gint64 test_started;
};

G_DEFINE_FINAL_TYPE (LbServerRow, lb_server_row, ADW_TYPE_EXPANDER_ROW)

enum {
  CHANGED,
  USE,
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_state (LbServerRow *self)
{
  gboolean verify = lb_server_profile_get_tls_verify (self->profile);
  gboolean needs_user = lb_server_profile_get_auth_kind (self->profile) == LB_AUTH_BASIC;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), lb_server_profile_get_name (self->profile));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), lb_server_profile_get_qido_url (self->profile));
  gtk_widget_set_visible (self->insecure_icon, !verify);
  gtk_widget_set_visible (GTK_WIDGET (self->username_row), needs_user);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row),
                          lb_server_profile_get_auth_kind (self->profile) != LB_AUTH_NONE);
  /* Turning verification off is allowed, but never silently. */
  adw_action_row_set_subtitle (self->verify_row,
                               verify ? "" : _("Not verified: anyone on the network path could impersonate this archive"));
  if (verify)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verify_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->verify_row), "error");
}

static void
profile_notify_cb (LbServerRow *self)
{
  update_state (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
test_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) studies = NULL;
  g_autofree char *text = NULL;
  LbServerRow *self;

  studies = lb_dicomweb_client_search_studies_finish (LB_DICOMWEB_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = LB_SERVER_ROW (user_data);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), TRUE);
  if (studies == NULL)
    {
      gtk_label_set_text (self->test_result, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->test_result), "error");
      return;
    }
  text = g_strdup_printf (_("Connected in %.0f ms"),
                          (g_get_monotonic_time () - self->test_started) / 1000.0);
  gtk_label_set_text (self->test_result, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_result), "error");
}

/* A QIDO-RS query for at most one study: cheap for the archive, and it
 * exercises address, TLS and credentials exactly as the worklist will. */
static void
test_clicked_cb (LbServerRow *self)
{
  const char *query[] = { "limit=1", NULL };
  g_autoptr (LbDicomwebClient) client = lb_dicomweb_client_new (self->profile);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), FALSE);
  gtk_label_set_text (self->test_result, _("Connecting…"));
  self->test_started = g_get_monotonic_time ();
  lb_dicomweb_client_search_studies_async (client, query, self->cancellable, test_done_cb, self);
}

static void
secret_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  LbServerRow *self;

  if (!lb_secret_store_save_finish (LB_SECRET_STORE (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = LB_SERVER_ROW (user_data);
  if (error != NULL)
    gtk_label_set_text (self->test_result, error->message);
  else if (lb_secret_store_is_session_only (LB_SECRET_STORE (source)))
    gtk_label_set_text (self->test_result, _("No keyring: the secret is kept until Lightbox quits"));
  else
    gtk_label_set_text (self->test_result, _("Saved in the keyring"));
  /* Clients look the secret up again. */
  g_signal_emit (self, signals[CHANGED], 0);
}

/* The secret goes to the Secret Service (never to settings or logs) and the
 * field is emptied: it is never shown again. */
static void
secret_apply_cb (LbServerRow *self)
{
  g_autofree char *secret = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->secret_row)));

  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
  lb_server_row_save_secret (self, secret);
  memset (secret, 0, strlen (secret));
}

/**
 * lb_server_row_save_secret:
 * @secret: the password (basic) or token (bearer) of the row's archive
 *
 * Files @secret in the secret store under the key the DICOMweb client
 * looks it up with; "changed" follows once it is saved.
 */
void
lb_server_row_save_secret (LbServerRow *self,
                           const char  *secret)
{
  g_autofree char *key = NULL;

  g_return_if_fail (LB_IS_SERVER_ROW (self));
  g_return_if_fail (secret != NULL);

  key = lb_dicomweb_profile_secret_key (self->profile);
  lb_secret_store_save_async (lb_secret_store_get_default (), key,
                              lb_server_profile_get_username (self->profile), secret,
                              self->cancellable, secret_saved_cb, self);
}

static void
use_clicked_cb (LbServerRow *self)
{
  g_signal_emit (self, signals[USE], 0);
}

static void
remove_clicked_cb (LbServerRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static void
lb_server_row_dispose (GObject *object)
{
  LbServerRow *self = LB_SERVER_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->profile != NULL)
    g_signal_handlers_disconnect_by_data (self->profile, self);
  g_clear_object (&self->profile);
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_SERVER_ROW);

  G_OBJECT_CLASS (lb_server_row_parent_class)->dispose (object);
}

static void
lb_server_row_class_init (LbServerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_server_row_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[USE] = g_signal_new ("use", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                               0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/lb-server-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LbServerRow, active_icon);
  gtk_widget_class_bind_template_child (widget_class, LbServerRow, insecure_icon);
  gtk_widget_class_bind_template_child (widget_class, LbServerRow, name_row);
  gtk_widget_class_bind_template_child (widget_class, LbServerRow, qido_row);
  gtk_widget_class_bind_template_child (widget_class, LbServerRow, wado_row);
  gtk_widget_class_bind_template_child (widget_class, LbServerRow, stow_row);
  gtk_widget_class_bind_template_child (widget_class, LbServerRow, auth_row);
  gtk_widget_class_bind_template_child (widget_class, LbServerRow, username_row);
  gtk_widget_class_bind_template_child (widget_class, LbServerRow, secret_row);
  gtk_widget_class_bind_template_child (widget_class, LbServerRow, ca_file_row);
  gtk_widget_class_bind_template_child (widget_class, LbServerRow, verify_row);
  gtk_widget_class_bind_template_child (widget_class, LbServerRow, verify_switch);
  gtk_widget_class_bind_template_child (widget_class, LbServerRow, test_result);
  gtk_widget_class_bind_template_child (widget_class, LbServerRow, test_button);
  gtk_widget_class_bind_template_child (widget_class, LbServerRow, use_button);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, use_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, secret_apply_cb);
}

static void
lb_server_row_init (LbServerRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* Unset profile fields show as empty rows; emptied rows unset the field. */
static gboolean
string_to_text (GBinding *binding, const GValue *from, GValue *to, gpointer data)
{
  const char *s = g_value_get_string (from);

  g_value_set_string (to, s != NULL ? s : "");
  return TRUE;
}

static gboolean
text_to_string (GBinding *binding, const GValue *from, GValue *to, gpointer data)
{
  const char *s = g_value_get_string (from);

  g_value_set_string (to, s != NULL && s[0] != '\0' ? s : NULL);
  return TRUE;
}

static void
bind_entry (LbServerRow *self, AdwEntryRow *row, const char *property)
{
  g_object_bind_property_full (self->profile, property, row, "text",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               string_to_text, text_to_string, NULL, NULL);
}

/* The combo lists the LbAuthKind values in order. */
static gboolean
auth_to_selected (GBinding *binding, const GValue *from, GValue *to, gpointer data)
{
  g_value_set_uint (to, (guint) g_value_get_enum (from));
  return TRUE;
}

static gboolean
selected_to_auth (GBinding *binding, const GValue *from, GValue *to, gpointer data)
{
  guint selected = g_value_get_uint (from);

  if (selected > LB_AUTH_BEARER)
    return FALSE;
  g_value_set_enum (to, (int) selected);
  return TRUE;
}

GtkWidget *
lb_server_row_new (LbServerProfile *profile)
{
  LbServerRow *self;

  g_return_val_if_fail (LB_IS_SERVER_PROFILE (profile), NULL);

  self = g_object_new (LB_TYPE_SERVER_ROW, NULL);
  self->profile = g_object_ref (profile);
  bind_entry (self, self->name_row, "name");
  bind_entry (self, self->qido_row, "qido-url");
  bind_entry (self, self->wado_row, "wado-url");
  bind_entry (self, self->stow_row, "stow-url");
  bind_entry (self, self->username_row, "username");
  bind_entry (self, self->ca_file_row, "ca-file");
  g_object_bind_property (profile, "tls-verify", self->verify_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (profile, "auth-kind", self->auth_row, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               auth_to_selected, selected_to_auth, NULL, NULL);
  g_signal_connect_swapped (profile, "notify", G_CALLBACK (profile_notify_cb), self);
  update_state (self);
  return GTK_WIDGET (self);
}

LbServerProfile *
lb_server_row_get_profile (LbServerRow *self)
{
  g_return_val_if_fail (LB_IS_SERVER_ROW (self), NULL);
  return self->profile;
}

void
lb_server_row_set_active (LbServerRow *self,
                          gboolean     active)
{
  g_return_if_fail (LB_IS_SERVER_ROW (self));

  gtk_widget_set_opacity (self->active_icon, active ? 1.0 : 0.0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->use_button), !active);
}
