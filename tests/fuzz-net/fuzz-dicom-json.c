/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-dicom-json.h"
#include "lb-stow-result.h"

/* libFuzzer target: the DICOM JSON reader (QIDO-RS results, metadata,
 * STOW-RS responses), which must never crash on what an archive sends. */
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr (GPtrArray) datasets = NULL;
  g_autoptr (GPtrArray) studies = NULL;
  LbStowResult *stow;

  datasets = lb_dicom_json_parse_datasets ((const char *) data, size, TRUE, NULL);
  for (guint i = 0; datasets != NULL && i < datasets->len; i++)
    {
      gint64 n;
      g_free (lb_dicom_json_get_string (datasets->pdata[i], 0x00100010));
      g_free (lb_dicom_json_get_string (datasets->pdata[i], 0x00080018));
      lb_dicom_json_get_int (datasets->pdata[i], 0x00201208, &n);
      lb_dicom_json_get_sequence (datasets->pdata[i], 0x00081199);
    }
  studies = lb_dicom_json_parse_studies ((const char *) data, size, NULL);
  stow = lb_stow_result_parse (200, (const char *) data, size, NULL);
  if (stow != NULL)
    lb_stow_result_unref (stow);
  return 0;
}
