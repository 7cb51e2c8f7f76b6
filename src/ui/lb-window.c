/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-window.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lb-compare-view.h"
#include "lb-dicom-json.h"
#include "lb-dicomweb-client.h"
#include "lb-export-dialog.h"
#include "lb-outbox-sender.h"
#include "lb-quality-task.h"
#include "lb-review.h"
#include "lb-server-settings.h"
#include "lb-store.h"
#include "lb-study-loader.h"
#include "lb-study-view.h"
#include "lb-worklist-view.h"

struct _LbWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  LbStudy *pending_study;          /* to open once unsaved marks are dealt with */
  AdwWindowTitle *window_title;
  AdwLeaflet *leaflet;
  LbWorklistView *worklist;
  GtkStack *study_pane;
  AdwStatusPage *study_status;
  LbStudyView *study_view;
  LbCompareView *compare_view;
  GtkLabel *outbox_label;

  GSettings *settings;
  LbServerProfile *profile;
  LbDicomwebClient *client;
  GCancellable *cancellable;
  GCancellable *study_cancellable;
  LbStore *store;
  LbOutboxSender *sender;
  GPtrArray *study_kos;        /* LbKosInfo of the open study */
  GPtrArray *study_images;     /* LbDicomObject: all of them, rejected too */
  guint failed_sends;

  /* One QIDO request per configured modality; merged when all are back. */
  GHashTable *pending_studies;
  guint pending_queries;
  GError *pending_error;
  guint refresh_source;
  gboolean focused_list;
  gboolean profile_overridden;  /* --server: the settings do not apply */
  guint reconnect_source;
  GQueue quality_queue;        /* LbStudy waiting for quality hints */
  gboolean quality_busy;
  GHashTable *quality_cache;   /* study UID → hints text */
  GHashTable *body_part_cache; /* study UID → body part */
};

G_DEFINE_FINAL_TYPE (LbWindow, lb_window, ADW_TYPE_APPLICATION_WINDOW)

static void refresh (LbWindow *self);
static void cache_size_changed_cb (LbWindow *self);

/* Local data (outbox, cache, audit) is kept per archive address. */
static const char *
server_key (LbWindow *self)
{
  return lb_server_profile_get_qido_url (self->profile);
}

static void quality_next (LbWindow *self);

static void
quality_checked_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LbStudy) study = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *hints = lb_quality_check_finish (result, &error);
  LbWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = g_object_get_data (G_OBJECT (study), "lb-window");
  if (hints != NULL)
    {
      lb_study_set_quality_text (study, hints);
      g_hash_table_replace (self->quality_cache, g_strdup (lb_study_get_study_uid (study)), g_strdup (hints));
    }
  self->quality_busy = FALSE;
  quality_next (self);
}

static void
quality_study_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LbStudy) study = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (LbStudyContent) content = lb_study_load_finish (LB_DICOMWEB_CLIENT (source), result, &error);
  LbWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = g_object_get_data (G_OBJECT (study), "lb-window");
  if (content == NULL || content->images->len == 0)
    {
      self->quality_busy = FALSE;
      quality_next (self);
      return;
    }
  {
    /* QIDO-RS at study level has no body part; the image has. */
    const LbDicomMeta *meta = lb_dicom_object_get_meta (g_ptr_array_index (content->images, 0));
    g_autofree char *part = g_strdup_printf ("%s%s%s", meta->laterality,
                                             meta->laterality[0] ? " " : "", meta->body_part);
    g_strstrip (part);
    if (part[0] != '\0')
      {
        lb_study_set_body_part (study, part);
        g_hash_table_replace (self->body_part_cache, g_strdup (lb_study_get_study_uid (study)), g_strdup (part));
      }
  }
  lb_quality_check_async (g_ptr_array_index (content->images, 0), self->cancellable,
                          quality_checked_cb, g_steal_pointer (&study));
}

/* Quality hints for the worklist, one study at a time so the archive and
 * the machine stay responsive for what the user is doing. */
static void
quality_next (LbWindow *self)
{
  LbStudy *study;

  if (self->quality_busy)
    return;
  while ((study = g_queue_pop_head (&self->quality_queue)) != NULL)
    {
      const char *cached = g_hash_table_lookup (self->quality_cache, lb_study_get_study_uid (study));

      if (cached != NULL)
        {
          lb_study_set_quality_text (study, cached);
          lb_study_set_body_part (study, g_hash_table_lookup (self->body_part_cache,
                                                              lb_study_get_study_uid (study)));
          g_object_unref (study);
          continue;
        }
      self->quality_busy = TRUE;
      g_object_set_data (G_OBJECT (study), "lb-window", self);
      lb_study_load_async (self->client, self->store, lb_study_get_study_uid (study), self->cancellable,
                           quality_study_loaded_cb, study);
      return;
    }
}

static void
queue_quality_checks (LbWindow  *self,
                      GPtrArray *studies)
{
  g_queue_clear_full (&self->quality_queue, g_object_unref);
  self->quality_busy = FALSE;
  /* The newest first: they are the ones at the top of the list. */
  for (guint i = 0; i < studies->len && i < 200; i++)
    g_queue_push_tail (&self->quality_queue, g_object_ref (g_ptr_array_index (studies, i)));
  quality_next (self);
}

static void
reviews_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (LbStudy) study = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) kos = lb_study_load_reviews_finish (LB_DICOMWEB_CLIENT (source), result, &error);
  LbKosInfo *newest;

  if (kos == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Cannot read the review status of a study: %s", error->message);
      return;
    }
  newest = lb_review_newest (kos);
  if (newest != NULL)
    {
      g_autofree char *text = lb_review_describe (newest);
      lb_study_set_review_status (study, lb_review_status_of (newest));
      lb_study_set_review_text (study, text);
    }
}

/* A study's status comes from its key object documents (DESIGN.md), so
 * decisions made at another workstation show here after a refresh. Only
 * studies that hold a KO series need asking. */
static void
load_review_states (LbWindow  *self,
                    GPtrArray *studies)
{
  for (guint i = 0; i < studies->len; i++)
    {
      LbStudy *study = g_ptr_array_index (studies, i);
      const char *mods = lb_study_get_modalities (study);

      if (mods == NULL || strstr (mods, "KO") == NULL)
        continue;
      lb_study_load_reviews_async (self->client, lb_study_get_study_uid (study), self->cancellable,
                                   reviews_loaded_cb, g_object_ref (study));
    }
}

/* The list as the archive last gave it, for an instant start and for
 * working offline (DESIGN.md, src/store). */
static void
save_worklist (LbWindow  *self,
               GPtrArray *studies)
{
  g_autoptr (GPtrArray) uids = g_ptr_array_new ();
  g_autoptr (GPtrArray) jsons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;

  if (self->store == NULL)
    return;
  for (guint i = 0; i < studies->len; i++)
    {
      LbStudy *study = g_ptr_array_index (studies, i);
      g_ptr_array_add (uids, (gpointer) lb_study_get_study_uid (study));
      g_ptr_array_add (jsons, lb_dicom_json_study_to_string (study));
    }
  if (!lb_store_worklist_replace (self->store, server_key (self), uids, jsons, &error))
    g_warning ("Cannot keep the worklist for offline use: %s", error->message);
}

static void
load_cached_worklist (LbWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) studies = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->store == NULL)
    return;
  rows = lb_store_worklist_list (self->store, server_key (self), &error);
  if (rows == NULL)
    {
      g_warning ("Cannot read the cached worklist: %s", error->message);
      return;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      LbStudy *study = lb_dicom_json_study_from_string (g_ptr_array_index (rows, i), NULL);
      if (study != NULL)
        g_ptr_array_add (studies, study);
    }
  if (studies->len == 0)
    return;
  lb_worklist_view_set_studies (self->worklist, studies);
  lb_worklist_view_set_note (self->worklist, _("last known list, updating…"));
  if (!self->focused_list)
    {
      self->focused_list = TRUE;
      lb_worklist_view_focus_list (self->worklist);
    }
}

static int
compare_newest_first (gconstpointer a, gconstpointer b)
{
  LbStudy *sa = *(LbStudy **) a, *sb = *(LbStudy **) b;
  g_autofree char *da = lb_study_dup_display_date (sa);
  g_autofree char *db = lb_study_dup_display_date (sb);

  return -g_strcmp0 (da, db);
}

static void
finish_refresh (LbWindow *self)
{
  g_autoptr (GPtrArray) studies = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  if (self->pending_error != NULL && g_hash_table_size (self->pending_studies) == 0)
    {
      /* Offline: keep showing the last known list, marked as such. */
      if (lb_worklist_view_get_n_studies (self->worklist) > 0)
        {
          g_autofree char *msg = g_strdup_printf (_("Offline: showing the last known list (%s)"),
                                                  self->pending_error->message);
          lb_worklist_view_set_note (self->worklist, _("offline — last known list"));
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (msg));
        }
      else
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
  lb_worklist_view_set_note (self->worklist, NULL);
  save_worklist (self, studies);
  load_review_states (self, studies);
  g_ptr_array_sort (studies, compare_newest_first);
  queue_quality_checks (self, studies);
  if (!self->focused_list && studies->len > 0)
    {
      self->focused_list = TRUE;
      lb_worklist_view_focus_list (self->worklist);
    }
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
      g_message ("Worklist query failed: %s", error->message);
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
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LbWindow *self = LB_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->worklist));
  lb_worklist_view_focus_search (self->worklist);
}

/* Automatic refresh every "refresh-interval" seconds; 0 turns it off. */
static void
schedule_refresh (LbWindow *self)
{
  guint interval = g_settings_get_uint (self->settings, "refresh-interval");

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (interval > 0)
    self->refresh_source = g_timeout_add_seconds (interval, auto_refresh_cb, self);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  refresh (LB_WINDOW (widget));
}

static char *
reviewer_name (LbWindow *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "reviewer-name");

  if (name[0] == '\0')
    {
      g_free (name);
      name = g_strdup (g_get_real_name ());
      if (g_strcmp0 (name, "Unknown") == 0)
        {
          g_free (name);
          name = g_strdup (g_get_user_name ());
        }
    }
  return g_steal_pointer (&name);
}

/* Audit entries name objects by UID only: never PHI (DESIGN.md). */
static void
audit (LbWindow *self, const char *event, const char *uids)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *user = reviewer_name (self);

  if (self->store == NULL)
    return;
  if (!lb_store_audit_append (self->store, event, user, server_key (self), uids, &error))
    g_warning ("Cannot write the audit log: %s", error->message);
}

static void
show_review_state (LbWindow *self)
{
  LbKosInfo *newest = lb_review_newest (self->study_kos);
  LbStudy *study = lb_study_view_get_study (self->study_view);
  g_autofree char *text = NULL;

  if (newest == NULL)
    {
      lb_study_view_set_status (self->study_view, _("Not reviewed yet"));
      return;
    }
  text = lb_review_describe (newest);
  lb_study_view_set_status (self->study_view, text);
  if (study != NULL)
    {
      lb_study_set_review_status (study, lb_review_status_of (newest));
      lb_study_set_review_text (study, text);
    }
}

/* Rejected photos are hidden by default (DESIGN.md): an archive such as
 * Orthanc keeps them next to their rejection note. */
static void
show_images (LbWindow *self)
{
  g_autoptr (GHashTable) rejected = lb_review_rejected_uids (self->study_kos);
  g_autoptr (GPtrArray) shown = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_dicom_object_unref);
  gboolean show_all = lb_study_view_get_show_rejected (self->study_view);

  if (self->study_images == NULL)
    return;
  for (guint i = 0; i < self->study_images->len; i++)
    {
      LbDicomObject *object = g_ptr_array_index (self->study_images, i);
      if (show_all || !g_hash_table_contains (rejected, lb_dicom_object_get_meta (object)->sop_instance_uid))
        g_ptr_array_add (shown, lb_dicom_object_ref (object));
    }
  if (shown->len == 0 && self->study_images->len > 0)
    {
      /* Everything was rejected: show it anyway, marked by the status. */
      g_ptr_array_unref (shown);
      shown = g_ptr_array_ref (self->study_images);
    }
  lb_study_view_set_images (self->study_view, shown);
}

static void
show_rejected_toggled_cb (LbWindow *self, gboolean active, LbStudyView *view)
{
  show_images (self);
}

static void
study_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LbStudyContent) content = NULL;
  LbWindow *self;

  content = lb_study_load_finish (LB_DICOMWEB_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = LB_WINDOW (user_data);
  if (content == NULL)
    {
      lb_study_view_set_error (self->study_view, error->message);
      return;
    }

  g_clear_pointer (&self->study_kos, g_ptr_array_unref);
  g_clear_pointer (&self->study_images, g_ptr_array_unref);
  self->study_kos = g_steal_pointer (&content->kos);
  self->study_images = g_steal_pointer (&content->images);
  lb_study_view_set_presentation_states (self->study_view, content->presentation_states);
  show_images (self);
  show_review_state (self);
  if (content->from_cache)
    adw_toast_overlay_add_toast (self->toast_overlay,
                                 adw_toast_new (_("The archive is unreachable: showing the copy kept on this computer")));
}

static void save_annotations_cb (LbWindow *self, LbStudyView *view);

static void
load_study (LbWindow *self,
            LbStudy  *study)
{
  g_cancellable_cancel (self->study_cancellable);
  g_clear_object (&self->study_cancellable);
  self->study_cancellable = g_cancellable_new ();

  lb_study_view_set_loading (self->study_view, study);
  gtk_stack_set_visible_child_name (self->study_pane, "study");
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->study_pane));
  lb_study_view_focus_image (self->study_view);
  audit (self, "study-opened", lb_study_get_study_uid (study));
  lb_study_load_async (self->client, self->store, lb_study_get_study_uid (study), self->study_cancellable,
                       study_loaded_cb, self);
}

static void
open_pending_study_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  LbWindow *self = LB_WINDOW (widget);
  g_autoptr (LbStudy) study = g_steal_pointer (&self->pending_study);

  if (study != NULL)
    load_study (self, study);
}

/* Leaving a study with marks not saved asks first (Save / Discard /
 * Cancel, lb_study_view_ask_unsaved()), as closing the window does. */
static void
open_study (LbWindow *self,
            LbStudy  *study)
{
  if (!lb_study_view_has_unsaved_annotations (self->study_view) ||
      lb_study_view_get_study (self->study_view) == study)
    {
      load_study (self, study);
      return;
    }
  g_set_object (&self->pending_study, study);
  lb_study_view_ask_unsaved (self->study_view, GTK_WIDGET (self), "win.open-pending-study");
}

static void
study_activated_cb (LbWindow *self,
                    LbStudy  *study)
{
  open_study (self, study);
}

static void
update_outbox_label (LbWindow *self)
{
  guint pending = self->sender != NULL ? lb_outbox_sender_get_pending_count (self->sender) : 0;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->outbox_label), pending > 0);
  if (pending == 0)
    {
      self->failed_sends = 0;
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u waiting", "%u waiting", pending), pending);
  gtk_label_set_text (self->outbox_label, text);
}

static void
item_done_cb (LbWindow   *self,
              gint64      id,
              const char *sop_instance_uid,
              gboolean    stored,
              const char *message)
{
  guint pending = lb_outbox_sender_get_pending_count (self->sender);
  g_autofree char *text = NULL;

  if (stored)
    {
      audit (self, "object-stored", sop_instance_uid);
      return;
    }
  /* Say it once per outage, not once per retry. */
  if (self->failed_sends++ > 0)
    return;
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Archive unreachable — %u decision waiting, will retry",
                                       "Archive unreachable — %u decisions waiting, will retry",
                                       pending), pending);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
  g_message ("Could not store an object yet: %s", message != NULL ? message : "");
}

/* Opens the study @delta rows away from the one shown: after a decision
 * the next one opens at once (WALKTHROUGH.md, scene 1). */
static void
open_neighbour_study (LbWindow *self,
                      int       delta)
{
  GListModel *model = lb_worklist_view_get_model (self->worklist);
  LbStudy *current = lb_study_view_get_study (self->study_view);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; current != NULL && i < n; i++)
    {
      g_autoptr (LbStudy) s = g_list_model_get_item (model, i);
      if (s == current)
        {
          g_autoptr (LbStudy) next = NULL;

          if ((delta < 0 && i == 0) || (delta > 0 && i + 1 >= n))
            return;
          next = g_list_model_get_item (model, i + delta);
          lb_worklist_view_select (self->worklist, i + delta);
          open_study (self, next);
          return;
        }
    }
}

static void
open_next_study (LbWindow *self)
{
  open_neighbour_study (self, 1);
}

static void
next_study_action (GtkWidget *widget, const char *name, GVariant *param)
{
  open_neighbour_study (LB_WINDOW (widget), 1);
}

static void
previous_study_action (GtkWidget *widget, const char *name, GVariant *param)
{
  open_neighbour_study (LB_WINDOW (widget), -1);
}

typedef struct {
  LbWindow *self;
  int kind;
  int reason;
  char *text;
  LbStudy *study;
  GCancellable *check;
  guint timeout_id;
  gboolean timed_out;
} Decision;

/* How long the archive may take to say whether someone else decided
 * meanwhile; after that the decision goes to the outbox regardless, so it
 * is never held in memory for long. */
#define RECHECK_TIMEOUT_SECONDS 3

static void
decision_free (Decision *d)
{
  g_clear_handle_id (&d->timeout_id, g_source_remove);
  g_clear_object (&d->check);
  g_clear_object (&d->self);
  g_clear_object (&d->study);
  g_free (d->text);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Decision, decision_free)

static void
send_decision (LbWindow *self, Decision *d)
{
  g_autoptr (GPtrArray) images = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) kos = NULL;
  g_autoptr (LbKosInfo) info = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *reviewer = reviewer_name (self);

  /* The user may have moved on while the archive was asked. */
  if (lb_study_view_get_study (self->study_view) != d->study)
    return;
  images = lb_study_view_get_decision_objects (self->study_view);
  kos = lb_review_build_kos (images, d->kind, d->reason, d->text, reviewer, NULL, &uid, &error);
  if (kos == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  /* Committed to the outbox before any network I/O: nothing is lost. */
  if (self->sender == NULL || lb_outbox_sender_enqueue (self->sender, kos, &error) <= 0)
    {
      g_autofree char *msg = g_strdup_printf (_("The decision could not be saved: %s"),
                                              error != NULL ? error->message : _("no local database"));
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (msg));
      return;
    }
  audit (self, "decision", uid);

  /* Show it at once, as the archive will show it after the next refresh. */
  info = lb_dicom_kos_parse (kos, NULL);
  if (info != NULL && self->study_kos != NULL)
    g_ptr_array_add (self->study_kos, g_steal_pointer (&info));
  show_review_state (self);
  update_outbox_label (self);
  open_next_study (self);
}

static void
conflict_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  g_autoptr (Decision) d = user_data;

  if (g_strcmp0 (response, "send") == 0)
    send_decision (d->self, d);
}

/* Someone else may have decided this study since it was opened: say who and
 * when, and send nothing unless the user confirms. If the archive cannot be
 * asked, the decision goes to the outbox as usual. */
static void
recheck_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (Decision) d = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) kos = lb_study_load_reviews_finish (LB_DICOMWEB_CLIENT (source), result, &error);
  g_autoptr (GPtrArray) unseen = g_ptr_array_new ();
  LbWindow *self = d->self;
  LbKosInfo *newest;
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;
  g_autofree char *who = NULL;

  g_clear_handle_id (&d->timeout_id, g_source_remove);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !d->timed_out)
    return;
  for (guint i = 0; kos != NULL && i < kos->len; i++)
    {
      LbKosInfo *info = g_ptr_array_index (kos, i);
      gboolean known = FALSE;

      for (guint j = 0; self->study_kos != NULL && j < self->study_kos->len && !known; j++)
        known = g_strcmp0 (((LbKosInfo *) g_ptr_array_index (self->study_kos, j))->sop_instance_uid,
                           info->sop_instance_uid) == 0;
      if (!known)
        g_ptr_array_add (unseen, info);
    }
  newest = lb_review_newest (unseen);
  if (newest == NULL)
    {
      send_decision (self, d);
      return;
    }

  who = lb_review_describe (newest);
  body = g_strdup_printf (_("While you were looking at this study, it was decided elsewhere:\n%s\n\nSend your decision as well?"), who);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Already Reviewed"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Keep Theirs"),
                                    "send", _("_Send Mine"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "send", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (conflict_response_cb), g_steal_pointer (&d));
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
recheck_timeout_cb (gpointer user_data)
{
  Decision *d = user_data;

  d->timeout_id = 0;
  d->timed_out = TRUE;
  g_cancellable_cancel (d->check);
  return G_SOURCE_REMOVE;
}

/* Ctrl+S: the image's marks as a presentation state, sent through the
 * outbox like a decision (committed before any network I/O). */
static void
save_annotations_cb (LbWindow    *self,
                     LbStudyView *view)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pr = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *reviewer = reviewer_name (self);

  pr = lb_study_view_build_presentation_state (view, reviewer, &uid, &error);
  if (pr == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("The annotations could not be saved: %s"), error->message);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (msg));
      return;
    }
  if (self->sender == NULL || lb_outbox_sender_enqueue (self->sender, pr, &error) <= 0)
    {
      g_autofree char *msg = g_strdup_printf (_("The annotations could not be saved: %s"),
                                              error != NULL ? error->message : _("no local database"));
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (msg));
      return;
    }
  audit (self, "presentation-state", uid);
  lb_study_view_presentation_state_saved (view, pr);
  update_outbox_label (self);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Annotations saved")));
}

static void
decided_cb (LbWindow       *self,
            int             kind,
            int             reason,
            const char     *text,
            LbStudyView    *view)
{
  Decision *d = g_new0 (Decision, 1);
  LbStudy *study = lb_study_view_get_study (self->study_view);

  if (study == NULL)
    {
      g_free (d);
      return;
    }
  d->self = g_object_ref (self);
  d->kind = kind;
  d->reason = reason;
  d->text = g_strdup (text);
  d->study = g_object_ref (study);
  d->check = g_cancellable_new ();
  d->timeout_id = g_timeout_add_seconds (RECHECK_TIMEOUT_SECONDS, recheck_timeout_cb, d);
  lb_study_load_reviews_async (self->client, lb_study_get_study_uid (study), d->check,
                               recheck_done_cb, d);
}

static void
set_profile (LbWindow        *self,
             LbServerProfile *profile)
{
  g_set_object (&self->profile, profile);
  g_clear_object (&self->client);
  self->client = lb_dicomweb_client_new (profile);
  adw_window_title_set_subtitle (self->window_title, lb_server_profile_get_name (profile));

  if (self->sender != NULL)
    {
      lb_outbox_sender_stop (self->sender);
      g_signal_handlers_disconnect_by_data (self->sender, self);
      g_clear_object (&self->sender);
    }
  if (self->store != NULL)
    {
      self->sender = lb_outbox_sender_new (self->store, self->client);
      g_signal_connect_object (self->sender, "notify::pending-count",
                               G_CALLBACK (update_outbox_label), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->sender, "item-done",
                               G_CALLBACK (item_done_cb), self, G_CONNECT_SWAPPED);
      lb_outbox_sender_start (self->sender);
      update_outbox_label (self);
    }
}

/* The user picked another archive in Preferences (or edited this one):
 * switch to it and reload the worklist. */
static void
servers_changed_cb (LbWindow *self)
{
  g_autoptr (LbServerProfile) active = lb_server_settings_get_active (self->settings);

  if (active == NULL)
    return;
  self->profile_overridden = FALSE;
  g_cancellable_cancel (self->cancellable);
  self->pending_queries = 0;
  g_hash_table_remove_all (self->pending_studies);
  g_clear_error (&self->pending_error);
  set_profile (self, active);
  load_cached_worklist (self);
  refresh (self);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  LbWindow *self = LB_WINDOW (user_data);

  self->reconnect_source = 0;
  servers_changed_cb (self);
  return G_SOURCE_REMOVE;
}

/* The archive in use was edited in Preferences (address, user, secret):
 * reconnect with the new settings once the typing has stopped. */
static void
servers_edited_cb (LbWindow *self)
{
  if (self->profile_overridden)
    return;
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  self->reconnect_source = g_timeout_add (1000, reconnect_cb, self);
}

static void
lb_window_dispose (GObject *object)
{
  LbWindow *self = LB_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->study_cancellable);
  if (self->sender != NULL)
    lb_outbox_sender_stop (self->sender);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->study_cancellable);
  g_clear_object (&self->pending_study);
  g_clear_object (&self->sender);
  g_clear_object (&self->store);
  g_clear_pointer (&self->study_kos, g_ptr_array_unref);
  g_clear_pointer (&self->study_images, g_ptr_array_unref);
  g_queue_clear_full (&self->quality_queue, g_object_unref);
  g_clear_pointer (&self->quality_cache, g_hash_table_unref);
  g_clear_pointer (&self->body_part_cache, g_hash_table_unref);
  g_clear_object (&self->client);
  g_clear_object (&self->profile);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->pending_studies, g_hash_table_unref);
  g_clear_error (&self->pending_error);

  G_OBJECT_CLASS (lb_window_parent_class)->dispose (object);
}

/* C: the patient's timeline, to compare two visits side by side. */
static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LbWindow *self = LB_WINDOW (widget);
  LbStudy *study = lb_study_view_get_study (self->study_view);

  if (study == NULL || g_strcmp0 (gtk_stack_get_visible_child_name (self->study_pane), "study") != 0)
    return;
  gtk_stack_set_visible_child_name (self->study_pane, "compare");
  lb_compare_view_open (self->compare_view, self->client, self->store, study);
}

/* Closing the window with marks not saved asks first (Save / Discard /
 * Cancel); the study view closes it again once they are saved or discarded. */
static gboolean
close_request_cb (LbWindow *self)
{
  if (!lb_study_view_has_unsaved_annotations (self->study_view))
    return FALSE;
  lb_study_view_ask_unsaved (self->study_view, GTK_WIDGET (self), "window.close");
  return TRUE;
}

static void
exported_cb (LbWindow   *self,
             const char *message)
{
  update_outbox_label (self);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* Ctrl+E: the comparison's images, or the study's current image with the
 * marks shown on it. */
static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LbWindow *self = LB_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->study_pane);
  g_autoptr (GPtrArray) images = NULL;
  g_autoptr (GPtrArray) annotations = NULL;
  g_autofree char *change_label = NULL;
  g_autofree char *reviewer = reviewer_name (self);
  LbExportDialog *dialog;

  if (g_strcmp0 (page, "compare") == 0)
    {
      if (!lb_compare_view_get_export (self->compare_view, &images, &annotations, &change_label))
        {
          adw_toast_overlay_add_toast (self->toast_overlay,
                                       adw_toast_new (_("Nothing to export yet: compare two to four visits "
                                                        "and wait for their images")));
          return;
        }
    }
  else if (g_strcmp0 (page, "study") == 0 && lb_study_view_get_current (self->study_view) != NULL)
    {
      LbAnnotationSet *marks = lb_study_view_dup_export_annotations (self->study_view);

      images = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_dicom_object_unref);
      g_ptr_array_add (images, lb_dicom_object_ref (lb_study_view_get_current (self->study_view)));
      if (marks != NULL)
        {
          annotations = g_ptr_array_new_with_free_func (g_object_unref);
          g_ptr_array_add (annotations, marks);
        }
    }
  else
    return;
  dialog = lb_export_dialog_new (GTK_WINDOW (self), images, annotations, change_label);
  lb_export_dialog_set_archive (dialog, self->store, self->sender, server_key (self), reviewer);
  g_signal_connect_object (dialog, "exported", G_CALLBACK (exported_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
lb_window_class_init (LbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_window_dispose;

  g_type_ensure (LB_TYPE_WORKLIST_VIEW);
  g_type_ensure (LB_TYPE_STUDY_VIEW);
  g_type_ensure (LB_TYPE_COMPARE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/lb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, worklist);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, study_pane);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, study_status);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, study_view);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, compare_view);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, outbox_label);
  gtk_widget_class_bind_template_callback (widget_class, study_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, decided_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_rejected_toggled_cb);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.open-pending-study", NULL, open_pending_study_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  /* In the study view, J / K (and Alt+↓ / Alt+↑) open the next or previous
   * study without going back to the list; in the list they only move. */
  gtk_widget_class_install_action (widget_class, "win.next-study", NULL, next_study_action);
  gtk_widget_class_install_action (widget_class, "win.previous-study", NULL, previous_study_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, 0, "win.next-study", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "win.previous-study", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "win.next-study", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "win.previous-study", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.refresh", NULL);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, compare_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, 0, "win.compare", NULL);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
}

static void
lb_window_init (LbWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->study_view, "save-annotations", G_CALLBACK (save_annotations_cb), self);
  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);

  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  self->pending_studies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->quality_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->body_part_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->quality_queue);

  {
    g_autoptr (GError) error = NULL;
    g_autofree char *path = lb_store_default_path ();

    /* Without the local database decisions cannot be kept safe: say so,
     * and keep the viewer usable. */
    self->store = lb_store_open (path, &error);
    if (self->store == NULL)
      {
        g_autofree char *msg = g_strdup_printf (_("Decisions cannot be saved: %s"), error->message);
        g_warning ("%s", msg);
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (msg));
      }
  }

  g_signal_connect_object (self->settings, "changed::cache-size-mib",
                           G_CALLBACK (cache_size_changed_cb), self, G_CONNECT_SWAPPED);
  cache_size_changed_cb (self);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

LbWindow *
lb_window_new (AdwApplication  *application,
               LbServerProfile *profile)
{
  LbWindow *self;

  g_return_val_if_fail (ADW_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (LB_IS_SERVER_PROFILE (profile), NULL);

  self = g_object_new (LB_TYPE_WINDOW, "application", application, NULL);
  {
    /* A profile not among the saved ones came from --server: Preferences
     * edits do not redirect this session until the user picks an archive. */
    g_autoptr (GListStore) saved = lb_server_settings_load (self->settings);
    self->profile_overridden = TRUE;
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (saved)); i++)
      {
        g_autoptr (LbServerProfile) p = g_list_model_get_item (G_LIST_MODEL (saved), i);
        if (g_strcmp0 (lb_server_profile_get_name (p), lb_server_profile_get_name (profile)) == 0)
          self->profile_overridden = FALSE;
      }
  }
  set_profile (self, profile);
  load_cached_worklist (self);
  g_signal_connect_object (self->settings, "changed::active-server",
                           G_CALLBACK (servers_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::servers",
                           G_CALLBACK (servers_edited_cb), self, G_CONNECT_SWAPPED);

  refresh (self);
  g_signal_connect_object (self->settings, "changed::refresh-interval",
                           G_CALLBACK (schedule_refresh), self, G_CONNECT_SWAPPED);
  schedule_refresh (self);
  return self;
}

/**
 * lb_window_clear_cache:
 *
 * Wipes the local copies (instance cache, cached worklist, quality hints)
 * but never the outbox or the audit log: nothing waiting is lost.
 */
gboolean
lb_window_clear_cache (LbWindow  *self,
                       GError   **error)
{
  g_return_val_if_fail (LB_IS_WINDOW (self), FALSE);

  g_hash_table_remove_all (self->quality_cache);
  g_hash_table_remove_all (self->body_part_cache);
  if (self->store == NULL)
    return TRUE;
  if (!lb_store_cache_clear (self->store, error) ||
      !lb_store_worklist_clear (self->store, server_key (self), error))
    return FALSE;
  audit (self, "cache-cleared", "");
  return TRUE;
}

static void
cache_size_changed_cb (LbWindow *self)
{
  if (self->store != NULL)
    lb_store_cache_set_limit (self->store,
                              (guint64) g_settings_get_uint (self->settings, "cache-size-mib") << 20);
}
