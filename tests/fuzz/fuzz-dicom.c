/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: parse an untrusted object under tight limits, read its
 * metadata, decode its first frames at full and reduced size.
 */
#include <glib.h>
#include <stdint.h>

#include "lb-dicom.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  LbDicomLimits limits;
  g_autoptr (GError) error = NULL;

  /* Tight enough that no input can make an allocation the fuzzer's RSS
   * limit would notice, loose enough for every seed. */
  lb_dicom_limits_init_default (&limits);
  limits.max_object_bytes = 4 * 1024 * 1024;
  limits.max_element_bytes = 4 * 1024 * 1024;
  limits.max_nesting = 8;
  limits.max_pixels = 1024 * 1024;
  limits.max_frames = 16;

  g_autoptr (GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr (LbDicomObject) obj = lb_dicom_object_new_from_bytes (bytes, &limits, &error);
  if (obj == NULL)
    {
      g_assert (error != NULL && error->domain == LB_DICOM_ERROR);
      return 0;
    }
  LbDicomMeta *meta = lb_dicom_object_get_meta (obj);
  g_assert (meta->patient_name != NULL && g_utf8_validate (meta->patient_name, -1, NULL));
  g_free (lb_dicom_object_dup_string (obj, 0x0010, 0x0010));

  for (guint f = 0; f < MIN (meta->number_of_frames, 2u); f++)
    {
      g_clear_error (&error);
      g_autoptr (LbPixelBuffer) buf = lb_dicom_object_decode_frame (obj, f, &error);
      g_assert ((buf != NULL) != (error != NULL));
      if (buf != NULL)
        g_assert (buf->width == meta->columns && buf->height == meta->rows);
    }
  g_clear_error (&error);
  g_autoptr (LbPixelBuffer) small = lb_dicom_object_decode_frame_scaled (obj, 0, 4, &error);
  g_assert ((small != NULL) != (error != NULL));
  return 0;
}
