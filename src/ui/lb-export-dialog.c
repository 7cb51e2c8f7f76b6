/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-export-dialog.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lb-dicom.h"
#include "lb-export.h"
#include "lb-review.h"
#include "lb-store-audit.h"

/* The preview page is rendered at this many pixels per point, then scaled
 * to the widget: sharp enough on a 2× screen for a page about 560 pt wide. */
#define PREVIEW_SCALE 1.5

struct _LbExportDialog
{
  AdwWindow parent_instance;

  GtkDrawingArea *preview;
  GtkTextView *note;
  GtkSwitch *leave_out;
  AdwComboRow *format;
  GtkSwitch *share;
  GtkLabel *status;
  GtkWidget *save_button;

  GPtrArray *images;           /* LbDicomObject */
  GPtrArray *annotations;      /* LbAnnotationSet, one per image */
  char *change_label;
  cairo_surface_t *page;       /* the preview, or NULL */
  guint preview_source;
  guint preview_serial;
  GCancellable *cancellable;   /* previews only: a write always finishes */
  GtkFileChooserNative *chooser;
  gboolean saving;

  LbStore *store;              /* the audit log */
  LbOutboxSender *sender;      /* For Patient selections go out through it */
  char *server;
  char *user;
};

G_DEFINE_FINAL_TYPE (LbExportDialog, lb_export_dialog, ADW_TYPE_WINDOW)

enum {
  EXPORTED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* ---- one rendering, off the main thread ------------------------------------ */

typedef struct {
  LbExportImage images[LB_EXPORT_MAX_IMAGES];
  guint n;
  char *note;
  char *change_label;
  gboolean leave_out;
  gboolean share;              /* writing: mark as shared afterwards */
  LbExportFormat format;
  char *path;                  /* writing: the destination */
  guint serial;                /* preview: which request */
} Job;

static void
job_free (Job *job)
{
  for (guint i = 0; i < job->n; i++)
    {
      g_clear_pointer (&job->images[i].image, lb_dicom_object_unref);
      g_clear_object (&job->images[i].annotations);
    }
  g_free (job->note);
  g_free (job->change_label);
  g_free (job->path);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static char *
dup_note (LbExportDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->note);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_strstrip (text);
  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

/* A snapshot of what is exported: the annotation sets are copied, since the
 * worker reads them while the user may go on editing. */
static Job *
job_new (LbExportDialog *self)
{
  Job *job = g_new0 (Job, 1);

  job->n = MIN (self->images->len, LB_EXPORT_MAX_IMAGES);
  for (guint i = 0; i < job->n; i++)
    {
      LbAnnotationSet *set = g_ptr_array_index (self->annotations, i);

      job->images[i].image = lb_dicom_object_ref (g_ptr_array_index (self->images, i));
      job->images[i].annotations = set != NULL ? lb_annotation_set_copy (set) : NULL;
    }
  job->note = dup_note (self);
  job->change_label = g_strdup (self->change_label);
  job->leave_out = gtk_switch_get_active (self->leave_out);
  job->share = gtk_switch_get_active (self->share);
  job->format = adw_combo_row_get_selected (self->format) == 1 ? LB_EXPORT_FORMAT_PNG : LB_EXPORT_FORMAT_PDF;
  return job;
}

static void
job_options (Job             *job,
             LbExportOptions *options)
{
  options->note = job->note;
  options->change_label = job->change_label;
  options->leave_out_identity = job->leave_out;
}

/* ---- preview ---------------------------------------------------------------- */

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  LbExportOptions options = { 0 };
  GError *error = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean ok;

  job_options (job, &options);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) (LB_EXPORT_PAGE_WIDTH * PREVIEW_SCALE),
                                        (int) (LB_EXPORT_PAGE_HEIGHT * PREVIEW_SCALE));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, PREVIEW_SCALE, PREVIEW_SCALE);
  ok = lb_export_draw_page (job->images, job->n, &options, cr, PREVIEW_SCALE, &error);
  cairo_destroy (cr);
  if (!ok)
    {
      cairo_surface_destroy (surface);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, surface, (GDestroyNotify) cairo_surface_destroy);
}

static void
show_status (LbExportDialog *self,
             const char     *text,
             gboolean        is_error)
{
  gtk_label_set_text (self->status, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status), "error");
}

static void
preview_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  cairo_surface_t *surface = g_task_propagate_pointer (G_TASK (result), &error);
  LbExportDialog *self = LB_EXPORT_DIALOG (source);
  Job *job = g_task_get_task_data (G_TASK (result));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || job->serial != self->preview_serial)
    {
      g_clear_pointer (&surface, cairo_surface_destroy);
      return;
    }
  if (surface == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The page cannot be made: %s"), error->message);
      show_status (self, text, TRUE);
      gtk_widget_set_sensitive (self->save_button, FALSE);
      return;
    }
  g_clear_pointer (&self->page, cairo_surface_destroy);
  self->page = surface;
  gtk_widget_queue_draw (GTK_WIDGET (self->preview));
}

static gboolean
update_preview_cb (gpointer user_data)
{
  LbExportDialog *self = user_data;
  g_autoptr (GTask) task = NULL;
  Job *job;

  self->preview_source = 0;
  job = job_new (self);
  job->serial = ++self->preview_serial;
  task = g_task_new (self, self->cancellable, preview_done_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, preview_thread);
  return G_SOURCE_REMOVE;
}

/* Typing is not held up by rendering: the preview follows a moment later. */
static void
queue_preview (LbExportDialog *self)
{
  g_clear_handle_id (&self->preview_source, g_source_remove);
  self->preview_source = g_timeout_add (300, update_preview_cb, self);
}

static void
draw_preview (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  LbExportDialog *self = user_data;
  double scale = MIN ((width - 16) / LB_EXPORT_PAGE_WIDTH, (height - 16) / LB_EXPORT_PAGE_HEIGHT);
  double x, y;

  if (scale <= 0)
    return;
  x = (width - LB_EXPORT_PAGE_WIDTH * scale) / 2;
  y = (height - LB_EXPORT_PAGE_HEIGHT * scale) / 2;
  cairo_rectangle (cr, x, y, LB_EXPORT_PAGE_WIDTH * scale, LB_EXPORT_PAGE_HEIGHT * scale);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.3);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  if (self->page == NULL)
    return;
  cairo_translate (cr, x, y);
  cairo_scale (cr, scale / PREVIEW_SCALE, scale / PREVIEW_SCALE);
  cairo_set_source_surface (cr, self->page, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
}

/* ---- saving ----------------------------------------------------------------- */

/* GIO's messages name the file and the call; the user needs the cause. */
static char *
plain_error (const GError *error)
{
  if (error->domain == G_IO_ERROR)
    switch (error->code)
      {
      case G_IO_ERROR_NO_SPACE:
        return g_strdup (g_strerror (ENOSPC));
      case G_IO_ERROR_PERMISSION_DENIED:
        return g_strdup (g_strerror (EACCES));
      case G_IO_ERROR_READ_ONLY:
        return g_strdup (g_strerror (EROFS));
      case G_IO_ERROR_NOT_FOUND:
        return g_strdup (_("The folder does not exist"));
      case G_IO_ERROR_IS_DIRECTORY:
        return g_strdup (_("That name is a folder"));
      default:
        break;
      }
  return g_strdup (error->message);
}

/* The page is made in a private temporary file, then copied into place: a
 * full disk or a refused folder is reported in GIO's words, and a failed
 * copy leaves the old file (or none) rather than half a PDF. The temporary
 * file is in the user's temporary folder, not beside the destination. */
static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  LbExportOptions options = { 0 };
  GError *error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GFile) dest = NULL;
  gboolean existed;
  int fd;

  job_options (job, &options);
  fd = g_file_open_tmp (job->format == LB_EXPORT_FORMAT_PDF ? "lightbox-export-XXXXXX.pdf"
                                                            : "lightbox-export-XXXXXX.png", &tmp, &error);
  if (fd < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  g_close (fd, NULL);
  if (!lb_export_write (job->images, job->n, &options, job->format, tmp, &error) ||
      !g_file_get_contents (tmp, &contents, &length, &error))
    {
      g_remove (tmp);
      g_task_return_error (task, error);
      return;
    }
  g_remove (tmp);
  dest = g_file_new_for_path (job->path);
  existed = g_file_query_exists (dest, NULL);
  if (!g_file_replace_contents (dest, contents, length, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, NULL, &error))
    {
      /* GIO writes a new file in place: what a full disk left of it goes. */
      if (!existed)
        g_file_delete (dest, NULL, NULL);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Marks each exported image "For Patient" in the archive: one Key Object
 * Selection per study (a KOS never spans studies), committed to the outbox
 * like a decision. Returns the first failure's message, or NULL. */
static char *
share_exported (LbExportDialog *self,
                Job            *job)
{
  g_autoptr (GHashTable) studies = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                          (GDestroyNotify) g_ptr_array_unref);
  GHashTableIter iter;
  GPtrArray *group;
  char *failure = NULL;

  for (guint i = 0; i < job->n; i++)
    {
      LbDicomObject *image = job->images[i].image;
      const char *study = lb_dicom_object_get_meta (image)->study_uid;

      group = g_hash_table_lookup (studies, study);
      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (studies, (gpointer) study, group);
        }
      g_ptr_array_add (group, image);
    }
  g_hash_table_iter_init (&iter, studies);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &group))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) kos = NULL;
      g_autofree char *uid = NULL;

      kos = lb_review_build_kos (group, LB_DECISION_SHARE, LB_REASON_NONE, NULL, self->user, NULL, &uid, &error);
      if (kos == NULL || self->sender == NULL || lb_outbox_sender_enqueue (self->sender, kos, &error) <= 0)
        {
          if (failure == NULL)
            failure = g_strdup (error != NULL ? error->message : _("no local database"));
          continue;
        }
      if (self->store != NULL)
        lb_store_audit_append (self->store, "decision", self->user, self->server, uid, NULL);
    }
  return failure;
}

/* Every export is audited (DESIGN.md): who, which images, where, and
 * whether the name and ID were left out. */
static char *
record_export (LbExportDialog *self,
               Job            *job,
               const char     *uri)
{
  g_autoptr (GPtrArray) uids = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *failure = NULL;

  for (guint i = 0; i < job->n; i++)
    {
      LbDicomObject *image = job->images[i].image;

      g_ptr_array_add (uids, (gpointer) lb_dicom_object_get_meta (image)->sop_instance_uid);
    }
  g_ptr_array_add (uids, NULL);
  if (self->store == NULL ||
      !lb_store_audit_export (self->store, self->user, uri, (const char *const *) uids->pdata, job->leave_out,
                              &error))
    g_warning ("The export was saved but not recorded in the audit log: %s",
               error != NULL ? error->message : "no local database");
  if (!job->share)
    return g_strdup (_("Export saved"));
  failure = share_exported (self, job);
  if (failure != NULL)
    return g_strdup_printf (_("Export saved, but it could not be marked as shared: %s"), failure);
  return g_strdup (_("Export saved and marked as shared with the patient"));
}

/* The export is recorded even if the dialog went meanwhile (the
 * application quit): the record and the outbox do not need its widgets. */
static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  LbExportDialog *self = LB_EXPORT_DIALOG (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *message = NULL;
  gboolean disposed = self->save_button == NULL;

  self->saving = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *cause = plain_error (error);
      g_autofree char *text = g_strdup_printf (_("Could not save the export: %s"), cause);

      if (disposed)
        g_warning ("%s", text);
      else
        {
          gtk_widget_set_sensitive (self->save_button, TRUE);
          show_status (self, text, TRUE);
        }
      return;
    }
  file = g_file_new_for_path (job->path);
  uri = g_file_get_uri (file);
  message = record_export (self, job, uri);
  if (disposed)
    return;
  g_signal_emit (self, signals[EXPORTED], 0, message);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The extension follows the format chosen; a name typed with the other
 * one's extension chooses that format. */
static char *
destination_path (LbExportDialog *self,
                  GFile          *file,
                  LbExportFormat *format)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    return NULL;
  if (lb_export_format_for_path (path, format))
    return g_steal_pointer (&path);
  *format = adw_combo_row_get_selected (self->format) == 1 ? LB_EXPORT_FORMAT_PNG : LB_EXPORT_FORMAT_PDF;
  return g_strconcat (path, *format == LB_EXPORT_FORMAT_PNG ? ".png" : ".pdf", NULL);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     LbExportDialog  *self)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GTask) task = NULL;
  LbExportFormat format = LB_EXPORT_FORMAT_PDF;
  g_autofree char *path = NULL;
  Job *job;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  path = destination_path (self, file, &format);
  if (path == NULL)
    {
      show_status (self, _("Could not save the export: choose a folder on this computer"), TRUE);
      return;
    }
  job = job_new (self);
  job->format = format;
  job->path = g_steal_pointer (&path);
  self->saving = TRUE;
  gtk_widget_set_sensitive (self->save_button, FALSE);
  show_status (self, _("Saving…"), FALSE);
  task = g_task_new (self, NULL, write_done_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, write_thread);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LbExportDialog *self = LB_EXPORT_DIALOG (widget);
  gboolean png = adw_combo_row_get_selected (self->format) == 1;

  if (self->saving || self->chooser != NULL || !gtk_widget_get_sensitive (self->save_button))
    return;
  self->chooser = gtk_file_chooser_native_new (_("Save Export"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  /* A name that says nothing about the patient: file names travel. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser),
                                     png ? _("photos-for-the-patient.png") : _("photos-for-the-patient.pdf"));
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* An export being written is finished and audited before the dialog goes. */
static gboolean
lb_export_dialog_close_request (GtkWindow *window)
{
  LbExportDialog *self = LB_EXPORT_DIALOG (window);

  if (self->saving)
    return TRUE;
  return GTK_WINDOW_CLASS (lb_export_dialog_parent_class)->close_request (window);
}

static void
lb_export_dialog_dispose (GObject *object)
{
  LbExportDialog *self = LB_EXPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->preview_source, g_source_remove);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_EXPORT_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->images, g_ptr_array_unref);
  g_clear_pointer (&self->annotations, g_ptr_array_unref);
  g_clear_pointer (&self->change_label, g_free);
  g_clear_pointer (&self->page, cairo_surface_destroy);

  G_OBJECT_CLASS (lb_export_dialog_parent_class)->dispose (object);
}

/* Kept until the end: a write still running records the export with them. */
static void
lb_export_dialog_finalize (GObject *object)
{
  LbExportDialog *self = LB_EXPORT_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->sender);
  g_free (self->server);
  g_free (self->user);

  G_OBJECT_CLASS (lb_export_dialog_parent_class)->finalize (object);
}

static void
lb_export_dialog_class_init (LbExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = lb_export_dialog_dispose;
  object_class->finalize = lb_export_dialog_finalize;
  window_class->close_request = lb_export_dialog_close_request;

  /* exported (message): the file is written and audited; @message says
   * so to the user, and whether the images were marked as shared. */
  signals[EXPORTED] = g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                    NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/lb-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LbExportDialog, preview);
  gtk_widget_class_bind_template_child (widget_class, LbExportDialog, note);
  gtk_widget_class_bind_template_child (widget_class, LbExportDialog, leave_out);
  gtk_widget_class_bind_template_child (widget_class, LbExportDialog, format);
  gtk_widget_class_bind_template_child (widget_class, LbExportDialog, share);
  gtk_widget_class_bind_template_child (widget_class, LbExportDialog, status);
  gtk_widget_class_bind_template_child (widget_class, LbExportDialog, save_button);

  gtk_widget_class_install_action (widget_class, "export.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "export.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lb_export_dialog_init (LbExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_drawing_area_set_draw_func (self->preview, draw_preview, self, NULL);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->note), "changed", G_CALLBACK (queue_preview), self);
  g_signal_connect_swapped (self->leave_out, "notify::active", G_CALLBACK (queue_preview), self);
}

/**
 * lb_export_dialog_new:
 * @parent: the window it belongs to
 * @images: (element-type LbDicomObject): 1 to 4 images, oldest first
 * @annotations: (element-type LbAnnotationSet) (nullable): one set (or
 *   %NULL) per image, burned in
 * @change_label: (nullable): the measurement for the change table
 *
 * Returns: (transfer none): the dialog, not yet shown
 */
LbExportDialog *
lb_export_dialog_new (GtkWindow  *parent,
                      GPtrArray  *images,
                      GPtrArray  *annotations,
                      const char *change_label)
{
  LbExportDialog *self;
  g_autoptr (GError) error = NULL;
  LbExportImage checked[LB_EXPORT_MAX_IMAGES] = { { 0 } };

  g_return_val_if_fail (images != NULL && images->len > 0, NULL);
  g_return_val_if_fail (annotations == NULL || annotations->len == images->len, NULL);

  self = g_object_new (LB_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->images = g_ptr_array_ref (images);
  if (annotations != NULL)
    self->annotations = g_ptr_array_ref (annotations);
  else
    {
      self->annotations = g_ptr_array_new ();
      g_ptr_array_set_size (self->annotations, images->len);
    }
  self->change_label = g_strdup (change_label);

  /* Refused up front (another patient's image, no date): said at once, in
   * the dialog, instead of after choosing a file. */
  for (guint i = 0; i < MIN (images->len, LB_EXPORT_MAX_IMAGES); i++)
    {
      checked[i].image = g_ptr_array_index (images, i);
      checked[i].annotations = g_ptr_array_index (self->annotations, i);
    }
  if (!lb_export_check (checked, images->len, &error))
    {
      g_autofree char *text = g_strdup_printf (_("These images cannot be exported: %s"), error->message);
      show_status (self, text, TRUE);
      gtk_widget_set_sensitive (self->save_button, FALSE);
    }
  else
    update_preview_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->note));
  return self;
}

/**
 * lb_export_dialog_set_archive:
 * @store: (nullable): the local database holding the audit log
 * @sender: (nullable): the outbox, for "mark as shared"
 * @server: (nullable): the archive, as decisions name it in the audit log
 * @user: the reviewer's name, as decisions use it
 */
void
lb_export_dialog_set_archive (LbExportDialog *self,
                              LbStore        *store,
                              LbOutboxSender *sender,
                              const char     *server,
                              const char     *user)
{
  g_return_if_fail (LB_IS_EXPORT_DIALOG (self));

  g_set_object (&self->store, store);
  g_set_object (&self->sender, sender);
  g_free (self->server);
  self->server = g_strdup (server);
  g_free (self->user);
  self->user = g_strdup (user);
}

/**
 * lb_export_dialog_get_images:
 *
 * Returns: (transfer none) (element-type LbDicomObject): the exported images
 */
GPtrArray *
lb_export_dialog_get_images (LbExportDialog *self)
{
  g_return_val_if_fail (LB_IS_EXPORT_DIALOG (self), NULL);

  return self->images;
}
