/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-study-loader.h"

#include "lb-dicom-json.h"

#include <string.h>

/* One WADO-RS retrieve of the whole study, in its stored encoding: images
 * for the viewer and key object documents for the review status, parsed
 * part by part as they arrive. */

#define KOS_SOP_CLASS "1.2.840.10008.5.1.4.1.1.88.59"

void
lb_study_content_free (LbStudyContent *content)
{
  if (content == NULL)
    return;
  g_clear_pointer (&content->images, g_ptr_array_unref);
  g_clear_pointer (&content->kos, g_ptr_array_unref);
  g_free (content);
}

static gboolean
part_cb (const char  *content_type,
         GBytes      *body,
         gpointer     user_data,
         GError     **error)
{
  LbStudyContent *content = user_data;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (LbDicomObject) object = NULL;
  const LbDicomMeta *meta;
  LbDicomLimits limits;

  lb_dicom_limits_init_default (&limits);
  object = lb_dicom_object_new_from_bytes (body, &limits, &local_error);
  if (object == NULL)
    {
      /* One broken object must not hide the rest of the study. */
      g_message ("Skipping an unreadable object in a study: %s", local_error->message);
      content->n_skipped++;
      return TRUE;
    }
  meta = lb_dicom_object_get_meta (object);
  if (g_strcmp0 (meta->sop_class_uid, KOS_SOP_CLASS) == 0)
    {
      LbKosInfo *info = lb_dicom_kos_parse (body, &local_error);
      if (info != NULL)
        g_ptr_array_add (content->kos, info);
      else
        content->n_skipped++;
    }
  else if (meta->has_pixel_data && meta->rows > 0 && meta->columns > 0)
    g_ptr_array_add (content->images, g_steal_pointer (&object));
  else
    content->n_skipped++;
  return TRUE;
}

static int
compare_images (gconstpointer a, gconstpointer b)
{
  const LbDicomMeta *ma = lb_dicom_object_get_meta (*(LbDicomObject **) a);
  const LbDicomMeta *mb = lb_dicom_object_get_meta (*(LbDicomObject **) b);

  if (ma->series_number != mb->series_number)
    return ma->series_number < mb->series_number ? -1 : 1;
  if (ma->instance_number != mb->instance_number)
    return ma->instance_number < mb->instance_number ? -1 : 1;
  return strcmp (ma->sop_instance_uid, mb->sop_instance_uid);
}

static void
retrieve_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  LbStudyContent *content = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!lb_dicomweb_client_retrieve_finish (LB_DICOMWEB_CLIENT (source), result, NULL, &error))
    {
      /* WADO-RS answers 404 for a study the archive does not hold. */
      if (g_error_matches (error, LB_NET_ERROR, LB_NET_ERROR_HTTP) && strstr (error->message, "HTTP 404") != NULL)
        g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_HTTP,
                                 "This study is not in the archive (it may have been deleted or moved)");
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_ptr_array_sort (content->images, compare_images);
  /* Hand over the content; the task data is emptied so it is freed once. */
  {
    LbStudyContent *out = g_new0 (LbStudyContent, 1);
    out->images = g_steal_pointer (&content->images);
    out->kos = g_steal_pointer (&content->kos);
    out->n_skipped = content->n_skipped;
    g_task_return_pointer (task, out, (GDestroyNotify) lb_study_content_free);
  }
}

void
lb_study_load_async (LbDicomwebClient    *client,
                     const char          *study_uid,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;
  LbStudyContent *content;

  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (client));
  g_return_if_fail (study_uid != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_study_load_async);
  content = g_new0 (LbStudyContent, 1);
  content->images = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_dicom_object_unref);
  content->kos = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_kos_info_free);
  g_task_set_task_data (task, content, (GDestroyNotify) lb_study_content_free);
  lb_dicomweb_client_retrieve_async (client, study_uid, NULL, NULL, part_cb, content,
                                     cancellable, retrieve_cb, task);
}

/**
 * lb_study_load_finish:
 *
 * Returns: (transfer full): the study's images and review documents
 */
LbStudyContent *
lb_study_load_finish (LbDicomwebClient  *client,
                      GAsyncResult      *result,
                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  char *study_uid;
  GPtrArray *kos;
  guint pending;
  GError *error;
} ReviewsData;

static void
reviews_data_free (ReviewsData *d)
{
  g_free (d->study_uid);
  g_clear_pointer (&d->kos, g_ptr_array_unref);
  g_clear_error (&d->error);
  g_free (d);
}

static gboolean
kos_part_cb (const char  *content_type,
             GBytes      *body,
             gpointer     user_data,
             GError     **error)
{
  ReviewsData *d = user_data;
  g_autoptr (GError) local_error = NULL;
  LbKosInfo *info = lb_dicom_kos_parse (body, &local_error);

  /* A KO series may hold documents of other kinds or from other systems
   * that we cannot read; they do not decide our status. */
  if (info != NULL)
    g_ptr_array_add (d->kos, info);
  return TRUE;
}

static void
reviews_step_done (GTask *task)
{
  ReviewsData *d = g_task_get_task_data (task);

  if (--d->pending > 0)
    return;
  if (d->error != NULL)
    g_task_return_error (task, g_steal_pointer (&d->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&d->kos), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
kos_series_retrieved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  ReviewsData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!lb_dicomweb_client_retrieve_finish (LB_DICOMWEB_CLIENT (source), result, NULL, &error) &&
      d->error == NULL)
    d->error = g_steal_pointer (&error);
  reviews_step_done (task);
}

static void
kos_series_found_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  ReviewsData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) series = NULL;

  series = lb_dicomweb_client_search_finish (LB_DICOMWEB_CLIENT (source), result, &error);
  if (series == NULL)
    {
      d->error = g_steal_pointer (&error);
      reviews_step_done (task);
      return;
    }
  for (guint i = 0; i < series->len; i++)
    {
      g_autofree char *series_uid = lb_dicom_json_get_string (g_ptr_array_index (series, i), 0x0020000E);

      if (series_uid == NULL)
        continue;
      d->pending++;
      lb_dicomweb_client_retrieve_async (LB_DICOMWEB_CLIENT (source), d->study_uid, series_uid, NULL,
                                         kos_part_cb, d, g_task_get_cancellable (task),
                                         kos_series_retrieved_cb, task);
    }
  reviews_step_done (task);
}

void
lb_study_load_reviews_async (LbDicomwebClient    *client,
                             const char          *study_uid,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  const char *query[] = { "Modality=KO", NULL };
  GTask *task;
  ReviewsData *d;

  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (client));
  g_return_if_fail (study_uid != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_study_load_reviews_async);
  d = g_new0 (ReviewsData, 1);
  d->study_uid = g_strdup (study_uid);
  d->kos = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_kos_info_free);
  d->pending = 1;
  g_task_set_task_data (task, d, (GDestroyNotify) reviews_data_free);
  lb_dicomweb_client_search_async (client, LB_QIDO_SERIES, study_uid, NULL, query, 0,
                                   cancellable, kos_series_found_cb, task);
}

/**
 * lb_study_load_reviews_finish:
 *
 * Returns: (transfer full) (element-type LbKosInfo): the study's review documents
 */
GPtrArray *
lb_study_load_reviews_finish (LbDicomwebClient  *client,
                              GAsyncResult      *result,
                              GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
