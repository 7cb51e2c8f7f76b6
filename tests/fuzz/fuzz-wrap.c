/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: the photo wrapper's JPEG marker, EXIF, ICC and PNG
 * parsing, and a parse of whatever it produces.
 */
#include <glib.h>
#include <stdint.h>

#include "lb-dicom.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  LbDicomLimits limits;
  LbWrapOptions options;
  g_autoptr (GError) error = NULL;

  lb_dicom_limits_init_default (&limits);
  limits.max_pixels = 4 * 1024 * 1024;
  lb_wrap_options_init (&options);
  options.patient_id = "FUZZ";
  options.patient_name = "FUZZ^WRAP";
  options.body_part = "HAND";
  options.uid_root = "1.2.3";
  options.limits = &limits;

  g_autoptr (GBytes) photo = g_bytes_new_static (data, size);
  g_autoptr (GBytes) dicom = lb_dicom_wrap_photo (photo, &options, &error);
  if (dicom == NULL)
    {
      g_assert (error != NULL && error->domain == LB_DICOM_ERROR);
      return 0;
    }
  /* Whatever we write, we must read back. */
  g_autoptr (LbDicomObject) obj = lb_dicom_object_new_from_bytes (dicom, NULL, &error);
  g_assert (obj != NULL);
  g_assert (lb_dicom_object_get_meta (obj)->patient_generated);
  return 0;
}
