/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>

#include "lb-dicom-json.h"
#include "lb-stow-result.h"
#include "../net/lb-study-compare.h"

/* libFuzzer target: the DICOM JSON reader (QIDO-RS results, metadata,
 * STOW-RS responses), which must never crash on what an archive sends.
 * The study-list scanner is also held to the json-glib reference: when it
 * accepts an input, the reference must give the very same studies. */
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
mismatch (const char *what, const char *why)
{
  g_printerr ("fuzz-dicom-json: %s differs from the json-glib reference: %s\n", what, why);
  abort ();
}

static void
check_scanner (const char *text,
               gsize       size)
{
  g_autoptr (GPtrArray) fast = NULL;
  g_autoptr (LbStudy) one = NULL;

  if (size > 0 && lb_dicom_json_scan_studies (text, size, &fast))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) ref = lb_dicom_json_parse_studies_reference (text, size, &error);
      g_autofree char *why = NULL;

      if (ref == NULL)
        mismatch ("scan_studies", error->message);
      if (!lb_study_compare_lists (fast, ref, &why))
        mismatch ("scan_studies", why);
    }

  one = lb_dicom_json_scan_study (text, size);
  if (one != NULL)
    {
      g_autoptr (GPtrArray) datasets = lb_dicom_json_parse_datasets (text, size, TRUE, NULL);
      g_autoptr (LbStudy) ref = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *why = NULL;

      if (datasets == NULL || datasets->len != 1)
        mismatch ("scan_study", "json-glib does not read one dataset");
      ref = lb_dicom_json_to_study (datasets->pdata[0], &error);
      if (ref == NULL)
        mismatch ("scan_study", error->message);
      if (!lb_study_compare_equal (one, ref, &why))
        mismatch ("scan_study", why);
    }
}

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
  check_scanner ((const char *) data, size);
  stow = lb_stow_result_parse (200, (const char *) data, size, NULL);
  if (stow != NULL)
    lb_stow_result_unref (stow);
  return 0;
}
