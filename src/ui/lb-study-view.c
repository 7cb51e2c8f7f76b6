/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-study-view.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

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

  LbStudy *study;
  GListStore *items;
  GtkSingleSelection *selection;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (LbStudyView, lb_study_view, GTK_TYPE_WIDGET)

enum {
  DECIDED,
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

static void
show_current (LbStudyView *self)
{
  LbImageItem *item = gtk_single_selection_get_selected_item (self->selection);

  if (item == NULL)
    return;
  lb_viewport_set_image (self->viewport, lb_image_item_get_object (item));
  show_details (self, lb_image_item_get_object (item));
  gtk_widget_set_visible (GTK_WIDGET (self->quality_label), FALSE);
  lb_quality_check_async (lb_image_item_get_object (item), self->cancellable, quality_done_cb, self);
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
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_STUDY_VIEW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->selection);
  g_clear_object (&self->items);
  g_clear_object (&self->study);

  G_OBJECT_CLASS (lb_study_view_parent_class)->dispose (object);
}

static void
lb_study_view_class_init (LbStudyViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_study_view_dispose;

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
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (show_current), self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_thumbnail_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_thumbnail_cb), self);
  gtk_list_view_set_factory (self->thumbnails, factory);
  gtk_list_view_set_model (self->thumbnails, GTK_SELECTION_MODEL (self->selection));

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
