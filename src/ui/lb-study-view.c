/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-study-view.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "lb-annotation-pr.h"
#include "lb-image-item.h"
#include "lb-quality-task.h"
#include "lb-viewport.h"

/* The study being reviewed: the image under its banner, the patient's own
 * note and the acquisition details beside it, the study's other images
 * below, and the decision bar. Decisions leave as the "decided" signal; the
 * window turns them into key object documents. */
struct _LbStudyView
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkLabel *title_label;
  GtkStack *stack;
  AdwStatusPage *error_page;
  LbViewport *viewport;
  GtkLabel *quality_label;
  GtkLabel *comment_label;
  GtkLabel *details_label;
  GtkListView *thumbnails;
  GtkLabel *status_label;
  GtkMenuButton *reject_button;
  GtkListBox *reject_list;
  GtkEntry *reject_comment;
  GtkMenuButton *retake_button;
  GtkDropDown *retake_reason;
  GtkToggleButton *show_rejected_button;
  GtkCheckButton *this_image_check;
  GtkEntry *retake_instructions;
  GtkDropDown *pr_dropdown;
  GtkStringList *pr_model;
  GtkLabel *annotations_label;

  LbAnnotationOverlay *overlay;
  LbAnnotationSet *annotations;   /* the image shown's */
  gboolean dirty;                 /* changed since loaded or saved */
  /* The unsaved marks of the study's other images, kept while the reviewer
   * looks at another image: SOP Instance UID → Kept. */
  GHashTable *kept;
  LbAnnotationSet *saving;        /* a kept set being saved, NULL: the shown one */
  guint saving_frame;             /* its frame (1-based; 0: all) */
  GPtrArray *states;              /* LbPresentationState: the study's */
  GPtrArray *image_states;        /* borrowed from ->states: the image's, newest first */
  guint shown_position;
  gboolean reverting;             /* putting the selection back */
  guint shown_state;              /* the drop-down entry whose marks are shown */
  guint states_serial;            /* bumped whenever the drop-down is refilled */
  guint view_tick_id;
  int view_width, view_height;    /* the viewport size the pending view was fitted to */
  gint64 view_fitted_us;
  LbAnnotationView pending_view;

  LbStudy *study;
  GListStore *items;
  GtkSingleSelection *selection;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (LbStudyView, lb_study_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ANNOTATION_TOOL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* In the order of LbAnnotationTool. */
static const char *const tool_names[] = { "select", "line", "polygon", "text", "calibrate", "arrow",
                                          "point", "circle", "ellipse", "freehand" };
G_STATIC_ASSERT (G_N_ELEMENTS (tool_names) == LB_ANNOTATION_TOOL_LAST + 1);

enum {
  DECIDED,
  SAVE_ANNOTATIONS,
  SHOW_REJECTED_TOGGLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The reasons offered, in the order of the reject list and the retake
 * drop-down (wrong patient only makes sense as a rejection). */
static const LbReason reject_reasons[] = {
  LB_REASON_BLURRY, LB_REASON_UNDER_EXPOSED, LB_REASON_OVER_EXPOSED, LB_REASON_WRONG_BODY_PART,
  LB_REASON_NOT_USEFUL, LB_REASON_IDENTIFIABLE, LB_REASON_WRONG_PATIENT, LB_REASON_OTHER,
};
static const LbReason retake_reasons[] = {
  LB_REASON_BLURRY, LB_REASON_UNDER_EXPOSED, LB_REASON_OVER_EXPOSED, LB_REASON_WRONG_BODY_PART,
  LB_REASON_NOT_USEFUL, LB_REASON_IDENTIFIABLE, LB_REASON_OTHER,
};

/* DICOM DA "20250314" and DT "20250314074012" read as "2025-03-14 07:40". */
static char *
format_date (const char *da)
{
  gsize len = da != NULL ? strlen (da) : 0;

  if (len < 8)
    return g_strdup (da != NULL ? da : "");
  if (len >= 12)
    return g_strdup_printf ("%.4s-%.2s-%.2s %.2s:%.2s", da, da + 4, da + 6, da + 8, da + 10);
  return g_strdup_printf ("%.4s-%.2s-%.2s", da, da + 4, da + 6);
}

static void
show_details (LbStudyView *self, LbDicomObject *object)
{
  const LbDicomMeta *m = lb_dicom_object_get_meta (object);
  g_autoptr (GString) details = g_string_new (NULL);
  g_autofree char *acquired = NULL;

#define LINE(label, value) G_STMT_START { \
    if ((value) != NULL && (value)[0] != '\0') \
      g_string_append_printf (details, "%s: %s\n", label, value); \
  } G_STMT_END
  LINE (_("Body part"), m->body_part);
  LINE (_("Laterality"), m->laterality);
  if (m->acquisition_datetime[0] != '\0')
    acquired = format_date (m->acquisition_datetime);
  LINE (_("Acquired"), acquired);
  LINE (_("Description"), m->series_description[0] ? m->series_description : m->study_description);
  LINE (_("Modality"), m->modality);
  g_string_append_printf (details, _("Size: %u × %u"), m->columns, m->rows);
  if (m->number_of_frames > 1)
    g_string_append_printf (details, _(", %u frames"), m->number_of_frames);
  if (m->pixel_spacing[0] > 0)
    g_string_append_printf (details, _("\nPixel spacing: %.3g mm"), m->pixel_spacing[0]);
#undef LINE
  gtk_label_set_text (self->details_label, details->str);
  gtk_label_set_text (self->comment_label,
                      m->patient_comments[0] != '\0' ? m->patient_comments
                                                     : m->image_comments[0] != '\0' ? m->image_comments
                                                                                   : _("No note from the patient."));
}

static void
quality_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *hints = lb_quality_check_finish (result, &error);
  LbStudyView *self;
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = LB_STUDY_VIEW (user_data);
  if (hints == NULL || hints[0] == '\0')
    {
      gtk_widget_set_visible (GTK_WIDGET (self->quality_label), FALSE);
      return;
    }
  /* Translators: quality hints, e.g. "Possibly blurry, under-exposed" */
  text = g_strdup_printf (_("⚠ Possibly %s"), hints);
  gtk_label_set_text (self->quality_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->quality_label), TRUE);
}

/* ---- annotations ---------------------------------------------------------- */

static void
update_annotation_actions (LbStudyView *self)
{
  LbAnnotationSet *set = self->annotations;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "annotate.undo", set != NULL && lb_annotation_set_can_undo (set));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "annotate.redo", set != NULL && lb_annotation_set_can_redo (set));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "annotate.delete",
                                 lb_annotation_overlay_get_selected (self->overlay) != 0);
}

/* The annotations as text beside the image: what is drawn, said to
 * assistive technologies too. */
static void
update_annotations_label (LbStudyView *self)
{
  g_autoptr (GString) text = g_string_new (NULL);
  guint n = self->annotations != NULL ? lb_annotation_set_get_n_annotations (self->annotations) : 0;

  for (guint i = 0; i < n; i++)
    {
      const LbAnnotation *a = lb_annotation_set_get_nth (self->annotations, i);
      g_autofree char *line = lb_annotation_overlay_describe (self->annotations, a);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, line != NULL ? line : lb_annotation_kind_to_string (a->kind));
    }
  if (n == 0)
    g_string_append (text, _("None"));
  if (self->annotations != NULL && lb_annotation_set_get_calibration (self->annotations) > 0)
    g_string_append_printf (text, _("\nCalibrated: %.4g mm per pixel"),
                            lb_annotation_set_get_calibration (self->annotations));
  if (self->annotations != NULL)
    {
      /* What the presentation state does to the view, said in words. */
      const LbAnnotationView *view = lb_annotation_set_get_view (self->annotations);

      if (view->rotation != 0 && view->flip_h)
        g_string_append_printf (text, _("\nShown rotated %d° clockwise, then flipped"), view->rotation);
      else if (view->rotation != 0)
        g_string_append_printf (text, _("\nShown rotated %d° clockwise"), view->rotation);
      else if (view->flip_h)
        g_string_append (text, _("\nShown flipped"));
    }
  if (self->dirty)
    g_string_append (text, _("\n(not saved)"));
  if (self->kept != NULL && g_hash_table_size (self->kept) > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "\n%u other image with marks not saved",
                                               "\n%u other images with marks not saved",
                                               g_hash_table_size (self->kept)),
                            g_hash_table_size (self->kept));
  gtk_label_set_text (self->annotations_label, text->str);
}

static void
annotations_changed_cb (LbStudyView *self)
{
  self->dirty = TRUE;
  update_annotations_label (self);
  update_annotation_actions (self);
}

static void
set_annotations (LbStudyView *self, LbAnnotationSet *set)
{
  if (self->annotations != NULL)
    g_signal_handlers_disconnect_by_data (self->annotations, self);
  g_set_object (&self->annotations, set);
  if (set != NULL)
    {
      g_signal_connect_swapped (set, "changed", G_CALLBACK (annotations_changed_cb), self);
      g_signal_connect_swapped (set, "notify::can-undo", G_CALLBACK (update_annotation_actions), self);
      g_signal_connect_swapped (set, "notify::can-redo", G_CALLBACK (update_annotation_actions), self);
    }
  lb_annotation_overlay_set_annotations (self->overlay, set);
  self->dirty = FALSE;
  update_annotations_label (self);
  update_annotation_actions (self);
}

static LbDicomObject *
current_object (LbStudyView *self)
{
  LbImageItem *item = gtk_single_selection_get_selected_item (self->selection);

  return item != NULL ? lb_image_item_get_object (item) : NULL;
}

static LbDicomObject *
find_object (LbStudyView *self, const char *sop_instance_uid)
{
  for (guint i = 0; sop_instance_uid != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr (LbImageItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      LbDicomObject *object = lb_image_item_get_object (item);

      if (g_strcmp0 (lb_dicom_object_get_meta (object)->sop_instance_uid, sop_instance_uid) == 0)
        return object;
    }
  return NULL;
}

/* A presentation state's view is fitted into the viewport, so it waits
 * until the viewport has its size, and fits it again while the layout
 * settles (the worklist unfolding, the side panel filling): until the size
 * has not changed for half a second. */
static gboolean
apply_view_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  LbStudyView *self = user_data;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  LbViewTransform t;

  if (width <= 1 || height <= 1)
    return G_SOURCE_CONTINUE;
  if (width == self->view_width && height == self->view_height)
    {
      if (now - self->view_fitted_us < G_USEC_PER_SEC / 2)
        return G_SOURCE_CONTINUE;
      self->view_tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  self->view_width = width;
  self->view_height = height;
  self->view_fitted_us = now;
  lb_viewport_get_view_transform (self->viewport, &t);
  lb_annotation_view_apply_to_transform (&self->pending_view, &t);
  lb_viewport_set_view_transform (self->viewport, &t);
  return G_SOURCE_CONTINUE;
}

static guint
add_view_tick (LbStudyView *self)
{
  self->view_width = self->view_height = 0;
  return gtk_widget_add_tick_callback (GTK_WIDGET (self->viewport), apply_view_tick_cb, self, NULL);
}

static void
cancel_pending_view (LbStudyView *self)
{
  if (self->view_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->viewport), self->view_tick_id);
  self->view_tick_id = 0;
}

static void
apply_state (LbStudyView *self, const LbPresentationState *state)
{
  LbDicomObject *object = current_object (self);
  g_autoptr (LbAnnotationSet) set = NULL;
  const LbAnnotationView *view;

  if (object == NULL)
    return;
  cancel_pending_view (self);
  if (state == NULL)
    {
      set = lb_annotation_set_new ();
      lb_annotation_set_set_image_from_dicom (set, object);
      set_annotations (self, set);
      return;
    }
  set = lb_annotation_set_new_from_presentation_state (state);
  lb_annotation_set_set_image_from_dicom (set, object);
  set_annotations (self, set);
  /* Marks drawn on one frame of a clip: show that frame. */
  if (state->referenced_frame > 0 && state->referenced_frame <= lb_viewport_get_n_frames (self->viewport))
    lb_viewport_set_frame (self->viewport, state->referenced_frame - 1);
  view = lb_annotation_set_get_view (set);
  if (view->has_window)
    lb_viewport_set_window (self->viewport, view->window_center, view->window_width);
  if (view->has_area || view->rotation != 0 || view->flip_h)
    {
      self->pending_view = *view;
      self->view_tick_id = add_view_tick (self);
    }
}

static int
compare_newest_first (gconstpointer a, gconstpointer b)
{
  const LbPresentationState *sa = *(LbPresentationState **) a, *sb = *(LbPresentationState **) b;
  int c = g_strcmp0 (sb->creation_date, sa->creation_date);

  if (c == 0)
    c = g_strcmp0 (sb->creation_time, sa->creation_time);
  return c;
}

static char *
describe_state (const LbPresentationState *s)
{
  g_autofree char *date = NULL;
  g_autofree char *datetime = g_strdup_printf ("%s%.4s", s->creation_date, s->creation_time);
  g_autofree char *creator = g_strdelimit (g_strdup (s->creator), "^", ' ');

  date = format_date (datetime);
  g_strstrip (creator);
  /* Translators: presentation state label · creator · date */
  return g_strdup_printf (_("%s · %s · %s"), s->content_label[0] ? s->content_label : _("Annotations"),
                          creator[0] ? creator : _("unknown"), date);
}

/* The drop-down lists the image's presentation states, newest first, then
 * "New annotations". */
static void
fill_states (LbStudyView *self, guint select)
{
  LbDicomObject *object = current_object (self);
  const char *uid = object != NULL ? lb_dicom_object_get_meta (object)->sop_instance_uid : NULL;
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_set_size (self->image_states, 0);
  for (guint i = 0; self->states != NULL && i < self->states->len; i++)
    {
      LbPresentationState *s = g_ptr_array_index (self->states, i);
      if (uid != NULL && g_strcmp0 (s->referenced_sop_instance_uid, uid) == 0)
        g_ptr_array_add (self->image_states, s);
    }
  g_ptr_array_sort (self->image_states, compare_newest_first);
  for (guint i = 0; i < self->image_states->len; i++)
    g_ptr_array_add (labels, describe_state (g_ptr_array_index (self->image_states, i)));
  g_ptr_array_add (labels, g_strdup (_("New annotations")));
  g_ptr_array_add (labels, NULL);
  self->reverting = TRUE;
  gtk_string_list_splice (self->pr_model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->pr_model)),
                          (const char *const *) labels->pdata);
  gtk_drop_down_set_selected (self->pr_dropdown, MIN (select, self->image_states->len));
  self->shown_state = MIN (select, self->image_states->len);
  self->states_serial++;
  self->reverting = FALSE;
}

static gboolean has_unsaved_marks (LbStudyView *self);

static void
show_state_at (LbStudyView *self,
               guint        i)
{
  self->reverting = TRUE;
  gtk_drop_down_set_selected (self->pr_dropdown, i);
  self->reverting = FALSE;
  self->shown_state = i;
  apply_state (self, i < self->image_states->len ? g_ptr_array_index (self->image_states, i) : NULL);
}

typedef struct {
  LbStudyView *self;
  guint wanted;
  guint serial;
} SwitchState;

static void
switch_state_free (gpointer data, GClosure *closure)
{
  SwitchState *w = data;

  g_object_unref (w->self);
  g_free (w);
}

static void
switch_state_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          SwitchState      *w)
{
  /* The list may have changed while the question was open. */
  if (g_str_equal (response, "discard") && w->serial == w->self->states_serial)
    show_state_at (w->self, w->wanted);
}

/* Another presentation state was chosen while the marks shown are not
 * saved: the choice is put back and the reviewer asked, so that marks are
 * never replaced without a word. Asked once the drop-down's popover is
 * gone. */
static gboolean
ask_switch_state (gpointer data)
{
  SwitchState *w = data;
  LbStudyView *self = w->self;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (w->serial != self->states_serial || root == NULL)
    {
      switch_state_free (w, NULL);
      return G_SOURCE_REMOVE;
    }
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Replace Marks Not Saved?"),
                                   _("The marks on this image are not saved. Showing another "
                                     "presentation state replaces them; save them first (Ctrl+S) "
                                     "to keep them."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard and Show"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (switch_state_response_cb), w, switch_state_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return G_SOURCE_REMOVE;
}

static void
pr_selected_cb (LbStudyView *self)
{
  guint i = gtk_drop_down_get_selected (self->pr_dropdown);
  SwitchState *w;

  if (self->reverting || i == GTK_INVALID_LIST_POSITION || i == self->shown_state)
    return;
  if (!has_unsaved_marks (self))
    {
      self->shown_state = i;
      apply_state (self, i < self->image_states->len ? g_ptr_array_index (self->image_states, i) : NULL);
      return;
    }
  self->reverting = TRUE;
  gtk_drop_down_set_selected (self->pr_dropdown, self->shown_state);
  self->reverting = FALSE;
  w = g_new0 (SwitchState, 1);
  w->self = g_object_ref (self);
  w->wanted = i;
  w->serial = self->states_serial;
  g_idle_add (ask_switch_state, w);
}

static void
show_current (LbStudyView *self);

static gboolean
has_unsaved_marks (LbStudyView *self)
{
  return self->dirty && self->annotations != NULL &&
         (lb_annotation_set_get_n_annotations (self->annotations) > 0 ||
          lb_annotation_set_get_calibration (self->annotations) > 0);
}

/* Marks not saved yet of an image not shown, with the presentation state
 * they started from (its place in the drop-down). */
typedef struct {
  LbAnnotationSet *set;
  guint state_position;
  guint frame;                    /* 1-based frame of a multi-frame image; 0: all */
} Kept;

static void
kept_free (gpointer data)
{
  Kept *k = data;

  g_clear_object (&k->set);
  g_free (k);
}

/* The view shown, as a presentation state stores it. The displayed area is
 * the part of the image in the viewport: the letterbox around a fitted
 * image is the viewer's business, not part of the area (PS3.3 C.10.4
 * allows corners outside the image, but dciodvfy and some viewers do not
 * take them), so the region is clipped to the image. */
static void
view_from_viewport (LbStudyView *self, LbAnnotationSet *set, LbAnnotationView *view)
{
  LbViewTransform t;
  guint columns = 0, rows = 0;

  *view = *lb_annotation_set_get_view (set);
  lb_viewport_get_view_transform (self->viewport, &t);
  lb_annotation_view_from_transform (&t, view);
  view->has_window = TRUE;
  lb_viewport_get_window (self->viewport, &view->window_center, &view->window_width);
  lb_annotation_set_get_image_size (set, &columns, &rows);
  if (!view->has_area || columns == 0 || rows == 0)
    return;
  view->tlhc[0] = CLAMP (view->tlhc[0], 1, (int) columns);
  view->brhc[0] = CLAMP (view->brhc[0], 1, (int) columns);
  view->tlhc[1] = CLAMP (view->tlhc[1], 1, (int) rows);
  view->brhc[1] = CLAMP (view->brhc[1], 1, (int) rows);
  /* Panned off the image: the whole image then. */
  if ((view->tlhc[0] == view->brhc[0] && columns > 1) || (view->tlhc[1] == view->brhc[1] && rows > 1))
    view->has_area = FALSE;
}

/* The frame shown of a multi-frame image (1-based), which its marks are
 * drawn on; 0 for a single frame. */
static guint
shown_frame (LbStudyView *self)
{
  return lb_viewport_get_n_frames (self->viewport) > 1 ? lb_viewport_get_frame (self->viewport) + 1 : 0;
}

/* Leaving the image shown: its unsaved marks are kept, with the view they
 * were drawn in, to be shown again when the reviewer comes back. */
static void
keep_shown_marks (LbStudyView *self)
{
  const char *uid;
  LbAnnotationView view;
  Kept *k;

  if (self->annotations == NULL)
    return;
  uid = lb_annotation_set_get_sop_instance_uid (self->annotations);
  if (uid == NULL || uid[0] == '\0')
    return;
  if (!has_unsaved_marks (self))
    {
      g_hash_table_remove (self->kept, uid);
      return;
    }
  lb_annotation_overlay_cancel (self->overlay);
  view_from_viewport (self, self->annotations, &view);
  g_signal_handlers_disconnect_by_data (self->annotations, self);
  lb_annotation_set_set_view (self->annotations, &view);
  k = g_new0 (Kept, 1);
  k->set = g_object_ref (self->annotations);
  k->state_position = gtk_drop_down_get_selected (self->pr_dropdown);
  k->frame = shown_frame (self);
  g_hash_table_replace (self->kept, g_strdup (uid), k);
}

static void
selection_changed_cb (LbStudyView *self)
{
  guint pos = gtk_single_selection_get_selected (self->selection);

  if (self->reverting)
    return;
  if (pos != self->shown_position)
    keep_shown_marks (self);
  show_current (self);
}

static void
show_current (LbStudyView *self)
{
  LbImageItem *item = gtk_single_selection_get_selected_item (self->selection);
  LbDicomObject *object;
  Kept *kept;

  if (item == NULL)
    return;
  object = lb_image_item_get_object (item);
  self->shown_position = gtk_single_selection_get_selected (self->selection);
  lb_viewport_set_image (self->viewport, object);
  kept = g_hash_table_lookup (self->kept, lb_dicom_object_get_meta (object)->sop_instance_uid);
  if (kept != NULL)
    {
      /* Back on an image with marks not saved: they are as they were left. */
      g_autoptr (LbAnnotationSet) set = g_object_ref (kept->set);
      guint position = kept->state_position;
      const LbAnnotationView *view = lb_annotation_set_get_view (set);

      guint frame = kept->frame;

      g_hash_table_remove (self->kept, lb_dicom_object_get_meta (object)->sop_instance_uid);
      if (frame > 0 && frame <= lb_viewport_get_n_frames (self->viewport))
        lb_viewport_set_frame (self->viewport, frame - 1);
      fill_states (self, position);
      cancel_pending_view (self);
      set_annotations (self, set);
      self->dirty = TRUE;
      update_annotations_label (self);
      if (view->has_window)
        lb_viewport_set_window (self->viewport, view->window_center, view->window_width);
      if (view->has_area || view->rotation != 0 || view->flip_h)
        {
          self->pending_view = *view;
          self->view_tick_id = add_view_tick (self);
        }
    }
  else
    {
      fill_states (self, 0);
      apply_state (self, self->image_states->len > 0 ? g_ptr_array_index (self->image_states, 0) : NULL);
    }
  show_details (self, object);
  gtk_widget_set_visible (GTK_WIDGET (self->quality_label), FALSE);
  lb_quality_check_async (object, self->cancellable, quality_done_cb, self);
  gtk_stack_set_visible_child_name (self->stack, "image");
}

static void
thumbnail_activated_cb (LbStudyView *self,
                        guint        position)
{
  gtk_single_selection_set_selected (self->selection, position);
}

static void
emit_decided (LbStudyView *self, LbDecisionKind kind, LbReason reason, const char *text)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->items)) == 0)
    return;
  g_signal_emit (self, signals[DECIDED], 0, kind, reason, text);
}

static void
reject_row_activated_cb (LbStudyView   *self,
                         GtkListBoxRow *row)
{
  int index = gtk_list_box_row_get_index (row);
  const char *comment = gtk_editable_get_text (GTK_EDITABLE (self->reject_comment));

  gtk_menu_button_popdown (self->reject_button);
  emit_decided (self, LB_DECISION_REJECT, reject_reasons[index], comment);
  gtk_editable_set_text (GTK_EDITABLE (self->reject_comment), "");
}

static void
retake_send_cb (LbStudyView *self)
{
  guint index = gtk_drop_down_get_selected (self->retake_reason);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->retake_instructions));

  if (index >= G_N_ELEMENTS (retake_reasons))
    return;
  gtk_menu_button_popdown (self->retake_button);
  emit_decided (self, LB_DECISION_RETAKE, retake_reasons[index], text);
  gtk_editable_set_text (GTK_EDITABLE (self->retake_instructions), "");
}

static void
show_rejected_toggled_cb (LbStudyView *self)
{
  g_signal_emit (self, signals[SHOW_REJECTED_TOGGLED], 0,
                 gtk_toggle_button_get_active (self->show_rejected_button));
}

static void
approve_action (GtkWidget *widget, const char *name, GVariant *param)
{
  emit_decided (LB_STUDY_VIEW (widget), LB_DECISION_APPROVE, LB_REASON_NONE, "Approved");
}

/* R opens the reasons with the first one focused, so R, Enter rejects for
 * motion blur (WALKTHROUGH.md, scene 1). */
static void
reject_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LbStudyView *self = LB_STUDY_VIEW (widget);
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->reject_list, 0);

  gtk_menu_button_popup (self->reject_button);
  gtk_list_box_select_row (self->reject_list, first);
  gtk_widget_grab_focus (GTK_WIDGET (first));
}

static void
retake_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LbStudyView *self = LB_STUDY_VIEW (widget);

  gtk_menu_button_popup (self->retake_button);
  gtk_widget_grab_focus (GTK_WIDGET (self->retake_reason));
}

static void
step_image (LbStudyView *self, int delta)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  guint pos = gtk_single_selection_get_selected (self->selection);

  if (n == 0 || pos == GTK_INVALID_LIST_POSITION)
    return;
  if ((delta < 0 && pos == 0) || (delta > 0 && pos + 1 >= n))
    return;
  gtk_single_selection_set_selected (self->selection, pos + delta);
}

static void
next_image_action (GtkWidget *widget, const char *name, GVariant *param)
{
  step_image (LB_STUDY_VIEW (widget), 1);
}

static void
previous_image_action (GtkWidget *widget, const char *name, GVariant *param)
{
  step_image (LB_STUDY_VIEW (widget), -1);
}

/* ---- annotation tools ------------------------------------------------------ */

typedef enum {
  ASK_TEXT,
  ASK_EDIT_TEXT,
  ASK_LABEL,
  ASK_CALIBRATION,
} AskKind;

typedef struct {
  LbStudyView *self;
  AskKind kind;
  GtkEntry *entry;
  LbAnnotationSet *set;      /* the set asked about: the image may change meanwhile */
  guint id;
  LbPoint a, b;
} Ask;

static void
ask_free (Ask *ask)
{
  g_clear_object (&ask->set);
  g_clear_object (&ask->self);
  g_free (ask);
}

static void
ask_closure_free (gpointer data, GClosure *closure)
{
  ask_free (data);
}

static void
ask_response_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 Ask              *ask)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (!g_str_equal (response, "ok"))
    return;
  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (ask->entry))));
  switch (ask->kind)
    {
    case ASK_TEXT:
      if (text[0] != '\0' &&
          lb_annotation_set_add (ask->set, LB_ANNOTATION_TEXT, &ask->a, 1, "", NULL, text, FALSE, &error) == 0)
        g_message ("Text not added: %s", error->message);
      break;
    case ASK_EDIT_TEXT:
      /* An emptied text would leave an invisible mark: keep the old one. */
      if (text[0] != '\0')
        lb_annotation_set_set_text (ask->set, ask->id, text);
      break;
    case ASK_LABEL:
      lb_annotation_set_set_label (ask->set, ask->id, text);
      break;
    case ASK_CALIBRATION:
      {
        char *end = NULL;
        double mm;

        g_strdelimit (text, ",", '.');
        mm = g_ascii_strtod (text, &end);
        if (end == text || *end != '\0' || !(mm > 0) ||
            !lb_annotation_set_calibrate (ask->set, &ask->a, &ask->b, mm, &error))
          {
            GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (ask->self));
            GtkWidget *msg = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                     _("Not Calibrated"),
                                                     error != NULL ? error->message
                                                                   : _("The length must be a number of millimetres above 0."));
            adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (msg), "close", _("_Close"));
            gtk_window_present (GTK_WINDOW (msg));
          }
        break;
      }
    default:
      break;
    }
}

static void
ask_entry_activate_cb (GtkEntry *entry, AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "ok");
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
ask (LbStudyView *self, Ask *data, const char *heading, const char *body,
     const char *initial, const char *accessible_name, const char *ok_label)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  GtkWidget *entry = gtk_entry_new ();

  data->self = g_object_ref (self);
  data->entry = GTK_ENTRY (entry);
  data->set = g_object_ref (self->annotations);
  gtk_editable_set_text (GTK_EDITABLE (entry), initial != NULL ? initial : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name, -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "ok", ok_label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (ask_response_cb), data, ask_closure_free, 0);
  g_signal_connect (entry, "activate", G_CALLBACK (ask_entry_activate_cb), dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
text_requested_cb (LbStudyView *self, double x, double y)
{
  Ask *data = g_new0 (Ask, 1);

  data->kind = ASK_TEXT;
  data->a = (LbPoint) { x, y };
  ask (self, data, _("Add Text"), _("The text is shown at the point clicked."), "", _("Text"), _("_Add"));
}

static void
shape_finished_cb (LbStudyView *self, guint id)
{
  const LbAnnotation *a = lb_annotation_set_lookup (self->annotations, id);
  Ask *data;

  /* An outline is named (WALKTHROUGH.md: "wound"); a length needs no name
   * (double-click or Enter names any mark later). */
  if (a == NULL || !(a->kind == LB_ANNOTATION_POLYGON || (a->kind == LB_ANNOTATION_FREEHAND && a->closed)))
    return;
  data = g_new0 (Ask, 1);
  data->kind = ASK_LABEL;
  data->id = id;
  ask (self, data, _("Label the Outline"), _("For example “wound”. Leave empty for none."), "",
       _("Label"), _("_Set Label"));
}

/* Double click or Enter on the selection: its text, or its label. */
static void
edit_requested_cb (LbStudyView *self, guint id)
{
  const LbAnnotation *a = self->annotations != NULL ? lb_annotation_set_lookup (self->annotations, id) : NULL;
  Ask *data;

  if (a == NULL)
    return;
  data = g_new0 (Ask, 1);
  data->id = id;
  if (a->kind == LB_ANNOTATION_TEXT)
    {
      data->kind = ASK_EDIT_TEXT;
      ask (self, data, _("Edit Text"), _("The text shown on the image."), a->text, _("Text"), _("_Change"));
      return;
    }
  data->kind = ASK_LABEL;
  ask (self, data, _("Label the Mark"), _("For example “wound”. Leave empty for none."), a->label,
       _("Label"), _("_Set Label"));
}

static void
calibrate_requested_cb (LbStudyView *self, double ax, double ay, double bx, double by)
{
  Ask *data = g_new0 (Ask, 1);

  data->kind = ASK_CALIBRATION;
  data->a = (LbPoint) { ax, ay };
  data->b = (LbPoint) { bx, by };
  ask (self, data, _("Calibrate"), _("How long is the line drawn, in millimetres?"), "10",
       _("Known length in millimetres"), _("_Calibrate"));
}

static void
undo_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LbStudyView *self = LB_STUDY_VIEW (widget);

  if (self->annotations != NULL)
    {
      lb_annotation_overlay_cancel (self->overlay);
      if (g_str_equal (name, "annotate.undo"))
        lb_annotation_set_undo (self->annotations);
      else
        lb_annotation_set_redo (self->annotations);
    }
}

static void
delete_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lb_annotation_overlay_delete_selected (LB_STUDY_VIEW (widget)->overlay);
}

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LbStudyView *self = LB_STUDY_VIEW (widget);

  if (self->annotations != NULL && current_object (self) != NULL)
    g_signal_emit (self, signals[SAVE_ANNOTATIONS], 0);
}

static void
overlay_selected_cb (LbStudyView *self)
{
  update_annotation_actions (self);
}

static void
setup_thumbnail_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_size_request (picture, 96, 64);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 14);
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
bind_thumbnail_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  LbStudyView *self = data;
  LbImageItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *picture = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (picture);

  g_object_bind_property (item, "texture", picture, "paintable", G_BINDING_SYNC_CREATE);
  gtk_label_set_text (GTK_LABEL (label), lb_image_item_get_label (item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, lb_image_item_get_label (item), -1);
  lb_image_item_load_thumbnail (item, self->cancellable);
}

static void
lb_study_view_dispose (GObject *object)
{
  LbStudyView *self = LB_STUDY_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  cancel_pending_view (self);
  if (self->annotations != NULL)
    g_signal_handlers_disconnect_by_data (self->annotations, self);
  g_clear_object (&self->annotations);
  if (self->overlay != NULL)
    g_signal_handlers_disconnect_by_data (self->overlay, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_STUDY_VIEW);
  g_clear_object (&self->overlay);
  g_clear_pointer (&self->states, g_ptr_array_unref);
  g_clear_pointer (&self->image_states, g_ptr_array_unref);
  g_clear_pointer (&self->kept, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->selection);
  g_clear_object (&self->items);
  g_clear_object (&self->study);

  G_OBJECT_CLASS (lb_study_view_parent_class)->dispose (object);
}

static void
lb_study_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbStudyView *self = LB_STUDY_VIEW (object);

  switch (prop_id)
    {
    case PROP_ANNOTATION_TOOL:
      g_value_set_string (value, tool_names[lb_annotation_overlay_get_tool (self->overlay)]);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_study_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LbStudyView *self = LB_STUDY_VIEW (object);

  switch (prop_id)
    {
    case PROP_ANNOTATION_TOOL:
      for (guint i = 0; i < G_N_ELEMENTS (tool_names); i++)
        if (g_strcmp0 (g_value_get_string (value), tool_names[i]) == 0 &&
            lb_annotation_overlay_get_tool (self->overlay) != (LbAnnotationTool) i)
          {
            lb_annotation_overlay_set_tool (self->overlay, i);
            g_object_notify_by_pspec (object, pspec);
          }
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_study_view_class_init (LbStudyViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_study_view_dispose;
  object_class->get_property = lb_study_view_get_property;
  object_class->set_property = lb_study_view_set_property;

  /* annotation-tool: "select", "line", "polygon", "text", "calibrate", "arrow",
   * "point", "circle", "ellipse", "freehand" */
  properties[PROP_ANNOTATION_TOOL] =
    g_param_spec_string ("annotation-tool", NULL, NULL, "select",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* save-annotations: Ctrl+S; the window builds and sends the presentation
   * state (lb_study_view_build_presentation_state()). */
  signals[SAVE_ANNOTATIONS] = g_signal_new ("save-annotations", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* decided (kind, reason, text) */
  signals[DECIDED] = g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                   G_TYPE_INT, G_TYPE_INT, G_TYPE_STRING);

  signals[SHOW_REJECTED_TOGGLED] =
    g_signal_new ("show-rejected-toggled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  g_type_ensure (LB_TYPE_VIEWPORT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/lb-study-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, box);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, title_label);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, stack);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, error_page);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, viewport);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, quality_label);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, comment_label);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, details_label);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, thumbnails);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, status_label);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, reject_button);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, reject_list);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, reject_comment);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, retake_button);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, retake_reason);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, retake_instructions);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, show_rejected_button);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, this_image_check);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, pr_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, pr_model);
  gtk_widget_class_bind_template_child (widget_class, LbStudyView, annotations_label);
  gtk_widget_class_bind_template_callback (widget_class, pr_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, thumbnail_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, reject_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, retake_send_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_rejected_toggled_cb);

  gtk_widget_class_install_action (widget_class, "review.approve", NULL, approve_action);
  gtk_widget_class_install_action (widget_class, "review.reject", NULL, reject_action);
  gtk_widget_class_install_action (widget_class, "review.retake", NULL, retake_action);
  gtk_widget_class_install_action (widget_class, "review.next-image", NULL, next_image_action);
  gtk_widget_class_install_action (widget_class, "review.previous-image", NULL, previous_image_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, 0, "review.approve", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, 0, "review.reject", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, 0, "review.retake", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "review.next-image", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "review.previous-image", NULL);

  /* Annotation tools (docs/annotations.md, "UI"): keys no other command uses. */
  gtk_widget_class_install_property_action (widget_class, "annotate.tool", "annotation-tool");
  gtk_widget_class_install_action (widget_class, "annotate.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "annotate.redo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "annotate.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "annotate.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, 0, "annotate.tool", "s", "select");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, 0, "annotate.tool", "s", "line");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_L, GDK_SHIFT_MASK, "annotate.tool", "s", "arrow");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, 0, "annotate.tool", "s", "polygon");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, 0, "annotate.tool", "s", "text");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_C, GDK_SHIFT_MASK, "annotate.tool", "s", "calibrate");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, 0, "annotate.tool", "s", "point");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, 0, "annotate.tool", "s", "ellipse");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_E, GDK_SHIFT_MASK, "annotate.tool", "s", "circle");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_P, GDK_SHIFT_MASK, "annotate.tool", "s", "freehand");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "annotate.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "annotate.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "annotate.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "annotate.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "annotate.save", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
lb_study_view_init (LbStudyView *self)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->items = g_list_store_new (LB_TYPE_IMAGE_ITEM);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_thumbnail_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_thumbnail_cb), self);
  gtk_list_view_set_factory (self->thumbnails, factory);
  gtk_list_view_set_model (self->thumbnails, GTK_SELECTION_MODEL (self->selection));

  self->image_states = g_ptr_array_new ();
  self->kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, kept_free);
  self->overlay = lb_annotation_overlay_new ();
  lb_viewport_set_annotation_overlay (self->viewport, self->overlay);
  g_signal_connect_swapped (self->overlay, "text-requested", G_CALLBACK (text_requested_cb), self);
  g_signal_connect_swapped (self->overlay, "shape-finished", G_CALLBACK (shape_finished_cb), self);
  g_signal_connect_swapped (self->overlay, "calibrate-requested", G_CALLBACK (calibrate_requested_cb), self);
  g_signal_connect_swapped (self->overlay, "edit-requested", G_CALLBACK (edit_requested_cb), self);
  g_signal_connect_swapped (self->overlay, "notify::selected", G_CALLBACK (overlay_selected_cb), self);
  update_annotation_actions (self);

  for (guint i = 0; i < G_N_ELEMENTS (reject_reasons); i++)
    {
      GtkWidget *label = gtk_label_new (_(lb_reason_get_info (reject_reasons[i])->label));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_append (self->reject_list, label);
    }
}

void
lb_study_view_set_loading (LbStudyView *self,
                           LbStudy     *study)
{
  g_autofree char *name = NULL;
  g_autofree char *born = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (LB_IS_STUDY_VIEW (self));
  g_return_if_fail (LB_IS_STUDY (study));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->study, study);
  g_list_store_remove_all (self->items);
  g_clear_pointer (&self->states, g_ptr_array_unref);
  cancel_pending_view (self);
  g_hash_table_remove_all (self->kept);
  set_annotations (self, NULL);

  name = lb_study_dup_display_name (study);
  born = format_date (lb_study_get_patient_birth_date (study));
  /* Translators: patient name · birth date · patient ID */
  title = g_strdup_printf (_("%s · %s · ID %s"), name, born,
                           lb_study_get_patient_id (study) ? lb_study_get_patient_id (study) : "");
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->status_label, "");
  gtk_label_set_text (self->comment_label, "");
  gtk_label_set_text (self->details_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->quality_label), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
}

void
lb_study_view_set_error (LbStudyView *self,
                         const char  *message)
{
  g_return_if_fail (LB_IS_STUDY_VIEW (self));

  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

/**
 * lb_study_view_set_images:
 * @objects: (element-type LbDicomObject): the study's images, in order
 */
void
lb_study_view_set_images (LbStudyView *self,
                          GPtrArray   *objects)
{
  g_return_if_fail (LB_IS_STUDY_VIEW (self));

  g_list_store_remove_all (self->items);
  for (guint i = 0; i < objects->len; i++)
    {
      g_autoptr (LbImageItem) item = lb_image_item_new (g_ptr_array_index (objects, i));
      g_list_store_append (self->items, item);
    }
  if (objects->len == 0)
    {
      lb_study_view_set_error (self, _("This study holds no images Lightbox can show."));
      return;
    }
  gtk_single_selection_set_selected (self->selection, 0);
  show_current (self);
}

void
lb_study_view_set_status (LbStudyView *self,
                          const char  *text)
{
  g_return_if_fail (LB_IS_STUDY_VIEW (self));
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
}

/**
 * lb_study_view_get_study:
 *
 * Returns: (transfer none) (nullable): the study shown
 */
LbStudy *
lb_study_view_get_study (LbStudyView *self)
{
  g_return_val_if_fail (LB_IS_STUDY_VIEW (self), NULL);
  return self->study;
}

/**
 * lb_study_view_get_objects:
 *
 * Returns: (transfer full) (element-type LbDicomObject): the images shown
 */
GPtrArray *
lb_study_view_get_objects (LbStudyView *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_dicom_object_unref);

  g_return_val_if_fail (LB_IS_STUDY_VIEW (self), out);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr (LbImageItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      g_ptr_array_add (out, lb_dicom_object_ref (lb_image_item_get_object (item)));
    }
  return out;
}

/**
 * lb_study_view_get_current:
 *
 * Returns: (transfer none) (nullable): the image in the viewport
 */
LbDicomObject *
lb_study_view_get_current (LbStudyView *self)
{
  LbImageItem *item;

  g_return_val_if_fail (LB_IS_STUDY_VIEW (self), NULL);
  item = gtk_single_selection_get_selected_item (self->selection);
  return item != NULL ? lb_image_item_get_object (item) : NULL;
}

guint
lb_study_view_get_position (LbStudyView *self)
{
  g_return_val_if_fail (LB_IS_STUDY_VIEW (self), GTK_INVALID_LIST_POSITION);
  return gtk_single_selection_get_selected (self->selection);
}

void
lb_study_view_select (LbStudyView *self,
                      guint        position)
{
  g_return_if_fail (LB_IS_STUDY_VIEW (self));
  gtk_single_selection_set_selected (self->selection, position);
}

void
lb_study_view_focus_image (LbStudyView *self)
{
  g_return_if_fail (LB_IS_STUDY_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->viewport));
}

/**
 * lb_study_view_get_decision_objects:
 *
 * Returns: (transfer full) (element-type LbDicomObject): what a decision
 *   applies to: the image shown, or every image of the study
 */
GPtrArray *
lb_study_view_get_decision_objects (LbStudyView *self)
{
  LbDicomObject *current;
  GPtrArray *out;

  g_return_val_if_fail (LB_IS_STUDY_VIEW (self), NULL);

  current = lb_study_view_get_current (self);
  if (!gtk_check_button_get_active (self->this_image_check) || current == NULL)
    return lb_study_view_get_objects (self);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_dicom_object_unref);
  g_ptr_array_add (out, lb_dicom_object_ref (current));
  return out;
}

gboolean
lb_study_view_get_show_rejected (LbStudyView *self)
{
  g_return_val_if_fail (LB_IS_STUDY_VIEW (self), FALSE);
  return gtk_toggle_button_get_active (self->show_rejected_button);
}

/**
 * lb_study_view_set_presentation_states:
 * @states: (element-type LbPresentationState) (nullable): the study's
 *   presentation states; call before lb_study_view_set_images()
 */
void
lb_study_view_set_presentation_states (LbStudyView *self,
                                       GPtrArray   *states)
{
  g_return_if_fail (LB_IS_STUDY_VIEW (self));

  if (states != NULL)
    g_ptr_array_ref (states);
  g_clear_pointer (&self->states, g_ptr_array_unref);
  self->states = states;
}

/**
 * lb_study_view_build_presentation_state:
 * @creator: the reviewer (DICOM PN)
 *
 * The current image's annotations and view as a GSPS/CSPS.
 *
 * Returns: (transfer full) (nullable): the Part-10 bytes
 */
GBytes *
lb_study_view_build_presentation_state (LbStudyView  *self,
                                        const char   *creator,
                                        char        **out_uid,
                                        GError      **error)
{
  LbDicomObject *object;
  LbAnnotationView view;
  LbPrOptions options = { 0 };
  const char *label = NULL;

  LbAnnotationSet *set;

  g_return_val_if_fail (LB_IS_STUDY_VIEW (self), NULL);

  if (self->saving != NULL)
    {
      /* A kept image's marks, with the view they were drawn in. */
      set = self->saving;
      object = find_object (self, lb_annotation_set_get_sop_instance_uid (set));
    }
  else
    {
      set = self->annotations;
      object = current_object (self);
    }
  if (object == NULL || set == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No image is shown"));
      return NULL;
    }
  if (self->saving == NULL)
    {
      lb_annotation_overlay_cancel (self->overlay);
      view_from_viewport (self, set, &view);
      lb_annotation_set_set_view (set, &view);
    }
  /* The content label names the first labelled mark, e.g. WOUND. */
  for (guint i = 0; label == NULL && i < lb_annotation_set_get_n_annotations (set); i++)
    {
      const LbAnnotation *a = lb_annotation_set_get_nth (set, i);
      if (a->label[0] != '\0')
        label = a->label;
    }
  options.content_label = label;
  options.referenced_frame = self->saving != NULL ? self->saving_frame : shown_frame (self);
  options.content_description = "Annotations made in Lightbox";
  options.creator = creator;
  options.series_description = "Lightbox annotations";
  return lb_annotation_set_build_pr (set, object, &options, out_uid, error);
}

/* The presentation state built above reached the outbox: it is listed (and
 * chosen) for the image, and the marks count as saved. */
void
lb_study_view_presentation_state_saved (LbStudyView *self,
                                        GBytes      *bytes)
{
  LbPresentationState *state;

  g_return_if_fail (LB_IS_STUDY_VIEW (self));

  if (self->saving != NULL)
    g_hash_table_remove (self->kept, lb_annotation_set_get_sop_instance_uid (self->saving));
  else
    self->dirty = FALSE;
  update_annotations_label (self);
  state = lb_dicom_pr_parse (bytes, NULL);
  if (state == NULL)
    return;
  if (self->states == NULL)
    self->states = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_presentation_state_free);
  g_ptr_array_add (self->states, state);
  /* Listed (and chosen) when it is the shown image's. */
  if (self->saving == NULL)
    fill_states (self, 0);
}

/**
 * lb_study_view_dup_export_annotations:
 *
 * The marks shown on the current image, saved or not, with the view's
 * rotation, flip and window: what an export of the image burns in.
 *
 * Returns: (transfer full) (nullable): a copy, or %NULL without an image
 */
LbAnnotationSet *
lb_study_view_dup_export_annotations (LbStudyView *self)
{
  LbDicomObject *object;
  LbAnnotationSet *set;
  LbAnnotationView view;

  g_return_val_if_fail (LB_IS_STUDY_VIEW (self), NULL);

  object = current_object (self);
  if (object == NULL || self->annotations == NULL ||
      g_strcmp0 (lb_annotation_set_get_sop_instance_uid (self->annotations),
                 lb_dicom_object_get_meta (object)->sop_instance_uid) != 0)
    return NULL;
  set = lb_annotation_set_copy (self->annotations);
  view = *lb_annotation_set_get_view (set);
  view.rotation = lb_viewport_get_rotation (self->viewport);
  view.flip_h = lb_viewport_get_flip_horizontal (self->viewport);
  view.has_area = FALSE;
  view.has_window = TRUE;
  lb_viewport_get_window (self->viewport, &view.window_center, &view.window_width);
  lb_annotation_set_set_view (set, &view);
  return set;
}

/* Any image of the study: the one shown or one left with marks not saved. */
gboolean
lb_study_view_has_unsaved_annotations (LbStudyView *self)
{
  g_return_val_if_fail (LB_IS_STUDY_VIEW (self), FALSE);
  return has_unsaved_marks (self) || (self->kept != NULL && g_hash_table_size (self->kept) > 0);
}

/**
 * lb_study_view_save_all_annotations:
 *
 * Saves the marks not saved of every image of the study (the one shown
 * first), one ::save-annotations each. Those that could not be saved stay
 * unsaved (lb_study_view_has_unsaved_annotations()).
 */
void
lb_study_view_save_all_annotations (LbStudyView *self)
{
  g_autoptr (GPtrArray) sets = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  Kept *k;

  g_return_if_fail (LB_IS_STUDY_VIEW (self));

  if (has_unsaved_marks (self))
    g_signal_emit (self, signals[SAVE_ANNOTATIONS], 0);
  g_hash_table_iter_init (&iter, self->kept);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &k))
    g_ptr_array_add (sets, g_object_ref (k->set));
  for (guint i = 0; i < sets->len; i++)
    {
      LbAnnotationSet *set = g_ptr_array_index (sets, i);

      k = g_hash_table_lookup (self->kept, lb_annotation_set_get_sop_instance_uid (set));
      self->saving = set;
      self->saving_frame = k != NULL ? k->frame : 0;
      g_signal_emit (self, signals[SAVE_ANNOTATIONS], 0);
      self->saving = NULL;
      self->saving_frame = 0;
    }
  update_annotations_label (self);
}

/* Forgets every mark not saved (the reviewer said Discard). */
void
lb_study_view_discard_annotations (LbStudyView *self)
{
  g_return_if_fail (LB_IS_STUDY_VIEW (self));

  g_hash_table_remove_all (self->kept);
  self->dirty = FALSE;
  update_annotations_label (self);
}

typedef struct {
  LbStudyView *self;
  GtkWidget *widget;
  char *action;
} Proceed;

static void
proceed_free (gpointer data, GClosure *closure)
{
  Proceed *p = data;

  g_object_unref (p->self);
  g_object_unref (p->widget);
  g_free (p->action);
  g_free (p);
}

static void
proceed_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     Proceed          *p)
{
  if (g_str_equal (response, "save"))
    {
      lb_study_view_save_all_annotations (p->self);
      /* Not saved: stay, the window said why. */
      if (lb_study_view_has_unsaved_annotations (p->self))
        return;
    }
  else if (g_str_equal (response, "discard"))
    lb_study_view_discard_annotations (p->self);
  else
    return;
  gtk_widget_activate_action (p->widget, p->action, NULL);
}

/**
 * lb_study_view_ask_unsaved:
 * @widget: where to activate @action
 * @action: what to do once the marks are saved or discarded, e.g.
 *   "window.close"
 *
 * With marks not saved, asks Save / Discard / Cancel and activates @action
 * after Save (when it worked) or Discard; Cancel does nothing. Without
 * such marks, activates @action at once.
 */
void
lb_study_view_ask_unsaved (LbStudyView *self,
                           GtkWidget   *widget,
                           const char  *action)
{
  GtkRoot *root;
  GtkWidget *dialog;
  Proceed *p;

  g_return_if_fail (LB_IS_STUDY_VIEW (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (action != NULL);

  if (!lb_study_view_has_unsaved_annotations (self))
    {
      gtk_widget_activate_action (widget, action, NULL);
      return;
    }
  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Save Annotations?"),
                                   _("Some images of this study have marks that are not saved. "
                                     "They are lost unless saved."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  p = g_new0 (Proceed, 1);
  p->self = g_object_ref (self);
  p->widget = g_object_ref (widget);
  p->action = g_strdup (action);
  g_signal_connect_data (dialog, "response", G_CALLBACK (proceed_response_cb), p, proceed_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
