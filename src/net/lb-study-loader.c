/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-study-loader.h"

#include "lb-dicom-json.h"

#include <string.h>

/* One WADO-RS retrieve of the whole study, in its stored encoding: images
 * for the viewer and key object documents for the review status, parsed
 * part by part as they arrive. */

#define KOS_SOP_CLASS "1.2.840.10008.5.1.4.1.1.88.59"
#define GSPS_SOP_CLASS "1.2.840.10008.5.1.4.1.1.11.1"
#define CSPS_SOP_CLASS "1.2.840.10008.5.1.4.1.1.11.2"

void
lb_study_content_free (LbStudyContent *content)
{
  if (content == NULL)
    return;
  g_clear_pointer (&content->images, g_ptr_array_unref);
  g_clear_pointer (&content->kos, g_ptr_array_unref);
  g_clear_pointer (&content->presentation_states, g_ptr_array_unref);
  g_free (content);
}

typedef struct {
  LbStudyContent *content;
  LbStore *cache;
  char *server;
  char *study_uid;
  GPtrArray *uids;        /* SOP Instance UIDs cached, for the study index */
} LoadData;

static void
load_data_free (LoadData *d)
{
  lb_study_content_free (d->content);
  g_clear_object (&d->cache);
  g_free (d->server);
  g_free (d->study_uid);
  g_clear_pointer (&d->uids, g_ptr_array_unref);
  g_free (d);
}

/* The index of a study's cached objects lives beside the thumbnails,
 * under a key of its own. */
static char *
index_key (const char *study_uid)
{
  return g_strconcat ("study-index:", study_uid, NULL);
}

static gboolean
add_object (LbStudyContent  *content,
            GBytes          *body,
            char           **out_sop_uid)
{
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
      return FALSE;
    }
  meta = lb_dicom_object_get_meta (object);
  if (out_sop_uid != NULL)
    *out_sop_uid = g_strdup (meta->sop_instance_uid);
  if (g_strcmp0 (meta->sop_class_uid, KOS_SOP_CLASS) == 0)
    {
      LbKosInfo *info = lb_dicom_kos_parse (body, &local_error);
      if (info != NULL)
        g_ptr_array_add (content->kos, info);
      else
        content->n_skipped++;
    }
  else if (g_strcmp0 (meta->sop_class_uid, GSPS_SOP_CLASS) == 0 ||
           g_strcmp0 (meta->sop_class_uid, CSPS_SOP_CLASS) == 0)
    {
      LbPresentationState *state = lb_dicom_pr_parse (body, &local_error);

      if (state != NULL)
        g_ptr_array_add (content->presentation_states, state);
      else
        {
          g_message ("Skipping an unreadable presentation state: %s", local_error->message);
          content->n_skipped++;
        }
    }
  else if (meta->has_pixel_data && meta->rows > 0 && meta->columns > 0)
    g_ptr_array_add (content->images, g_steal_pointer (&object));
  else
    content->n_skipped++;
  return TRUE;
}

static gboolean
part_cb (const char  *content_type,
         GBytes      *body,
         gpointer     user_data,
         GError     **error)
{
  LoadData *d = user_data;
  g_autoptr (GError) cache_error = NULL;
  g_autofree char *sop_uid = NULL;

  if (!add_object (d->content, body, &sop_uid) || d->cache == NULL)
    return TRUE;
  /* A full disk or a broken cache costs the offline copy, nothing else. */
  if (lb_store_cache_put (d->cache, sop_uid, body, &cache_error))
    g_ptr_array_add (d->uids, g_steal_pointer (&sop_uid));
  else
    g_message ("Cannot cache an object: %s", cache_error->message);
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

/* Hand over the content; the task data is emptied so it is freed once. */
static void
return_content (GTask *task, LbStudyContent *content, gboolean from_cache)
{
  LbStudyContent *out = g_new0 (LbStudyContent, 1);

  out->images = g_steal_pointer (&content->images);
  out->kos = g_steal_pointer (&content->kos);
  out->presentation_states = g_steal_pointer (&content->presentation_states);
  out->n_skipped = content->n_skipped;
  out->from_cache = from_cache;
  g_task_return_pointer (task, out, (GDestroyNotify) lb_study_content_free);
}

static gboolean
load_from_cache (LoadData *d)
{
  g_autofree char *key = index_key (d->study_uid);
  g_autoptr (GBytes) index = lb_store_thumbnail_get (d->cache, d->server, key);
  g_autofree char *text = NULL;
  g_auto (GStrv) uids = NULL;

  if (index == NULL)
    return FALSE;
  text = g_strndup (g_bytes_get_data (index, NULL), g_bytes_get_size (index));
  uids = g_strsplit (text, "\n", -1);
  g_ptr_array_set_size (d->content->images, 0);
  g_ptr_array_set_size (d->content->kos, 0);
  g_ptr_array_set_size (d->content->presentation_states, 0);
  for (guint i = 0; uids[i] != NULL; i++)
    {
      g_autoptr (GBytes) object = lb_store_cache_get (d->cache, uids[i]);

      /* An evicted object makes the copy incomplete: better none. */
      if (object == NULL)
        return FALSE;
      add_object (d->content, object, NULL);
    }
  return d->content->images->len > 0;
}

static void
retrieve_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  LoadData *d = g_task_get_task_data (task);
  LbStudyContent *content = d->content;
  g_autoptr (GError) error = NULL;

  if (!lb_dicomweb_client_retrieve_finish (LB_DICOMWEB_CLIENT (source), result, NULL, &error))
    {
      /* Offline: the copy of the last successful load, if complete. */
      if (d->cache != NULL &&
          (g_error_matches (error, LB_NET_ERROR, LB_NET_ERROR_UNREACHABLE) ||
           g_error_matches (error, LB_NET_ERROR, LB_NET_ERROR_TIMEOUT)) &&
          load_from_cache (d))
        {
          g_ptr_array_sort (content->images, compare_images);
          return_content (task, content, TRUE);
          return;
        }
      /* WADO-RS answers 404 for a study the archive does not hold. */
      if (g_error_matches (error, LB_NET_ERROR, LB_NET_ERROR_NOT_FOUND))
        g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_NOT_FOUND,
                                 "This study is not in the archive (it may have been deleted or moved)");
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_ptr_array_sort (content->images, compare_images);
  if (d->cache != NULL && d->uids->len > 0)
    {
      g_autofree char *key = index_key (d->study_uid);
      g_autofree char *joined = NULL;
      g_autoptr (GBytes) index = NULL;

      g_ptr_array_add (d->uids, NULL);
      joined = g_strjoinv ("\n", (char **) d->uids->pdata);
      g_ptr_array_remove_index (d->uids, d->uids->len - 1);
      index = g_bytes_new (joined, strlen (joined));
      lb_store_thumbnail_put (d->cache, d->server, key, index, NULL);
    }
  return_content (task, content, FALSE);
}

/**
 * lb_study_load_async:
 * @cache: (nullable): where to keep a copy of what arrives, and where to
 *   read it from when the archive cannot be reached
 */
void
lb_study_load_async (LbDicomwebClient    *client,
                     LbStore             *cache,
                     const char          *study_uid,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;
  LoadData *d;

  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (client));
  g_return_if_fail (study_uid != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_study_load_async);
  d = g_new0 (LoadData, 1);
  d->content = g_new0 (LbStudyContent, 1);
  d->content->images = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_dicom_object_unref);
  d->content->kos = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_kos_info_free);
  d->content->presentation_states = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_presentation_state_free);
  d->cache = cache != NULL ? g_object_ref (cache) : NULL;
  d->server = g_strdup (lb_server_profile_get_wado_url (lb_dicomweb_client_get_profile (client)));
  d->study_uid = g_strdup (study_uid);
  d->uids = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, d, (GDestroyNotify) load_data_free);
  lb_dicomweb_client_retrieve_async (client, study_uid, NULL, NULL, part_cb, d,
                                     cancellable, retrieve_cb, task);
}

/**
 * lb_study_load_finish:
 *
 * Returns: (transfer full): the study's images, review documents and
 *   presentation states
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
