/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include "lb-quality-task.h"

#include "lb-quality.h"

typedef struct {
  LbDicomObject *object;
  LbQualityThresholds thresholds;
} CheckData;

static void
check_data_free (CheckData *d)
{
  lb_dicom_object_unref (d->object);
  g_free (d);
}

static void
check_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CheckData *d = task_data;
  g_autoptr (GError) error = NULL;
  int flags = lb_quality_check_object (d->object, &d->thresholds, NULL, &error);

  if (flags < 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, lb_quality_describe (flags), g_free);
}

void
lb_quality_check_async (LbDicomObject       *object,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  CheckData *d = g_new0 (CheckData, 1);

  d->object = lb_dicom_object_ref (object);
  /* Read on the main thread: GSettings is not for worker threads. */
  d->thresholds.blur_threshold = g_settings_get_double (settings, "quality-blur-threshold");
  d->thresholds.dark_fraction = g_settings_get_double (settings, "quality-dark-fraction");
  d->thresholds.bright_fraction = g_settings_get_double (settings, "quality-bright-fraction");
  d->thresholds.min_megapixels = g_settings_get_double (settings, "quality-min-megapixels");
  g_task_set_source_tag (task, lb_quality_check_async);
  g_task_set_task_data (task, d, (GDestroyNotify) check_data_free);
  g_task_run_in_thread (task, check_thread);
}

char *
lb_quality_check_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
