/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * JPEG baseline decoding through libjpeg-turbo's TurboJPEG API, including
 * its scaled IDCT (1/2, 1/4, 1/8) for fast previews of large photos.
 */
#include "lb-dicom-private.h"

#include <turbojpeg.h>

/* Decodes a JPEG baseline/extended 8-bit frame. @expect_width and
 * @expect_height, when non-zero, must match the codestream: the DICOM
 * Rows/Columns were already checked against the limits, the JPEG header was
 * not. */
LbPixelBuffer *
lb_dicom_jpeg_decode (const guint8  *data,
                      gsize          len,
                      guint          expect_width,
                      guint          expect_height,
                      guint          samples,
                      guint          scale_denom,
                      GError       **error)
{
  tjhandle tj = tjInitDecompress ();
  if (tj == nullptr)
    {
      g_set_error_literal (error, LB_DICOM_ERROR, LB_DICOM_ERROR_UNSUPPORTED, "cannot start libjpeg-turbo");
      return nullptr;
    }
  int w = 0, h = 0, subsamp = 0, colorspace = 0;
  if (tjDecompressHeader3 (tj, data, (unsigned long) len, &w, &h, &subsamp, &colorspace) != 0)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED, "bad JPEG frame: %s", tjGetErrorStr2 (tj));
      tjDestroy (tj);
      return nullptr;
    }
  if ((expect_width != 0 && (guint) w != expect_width) || (expect_height != 0 && (guint) h != expect_height))
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED,
                   "JPEG frame is %d × %d, the object says %u × %u", w, h, expect_width, expect_height);
      tjDestroy (tj);
      return nullptr;
    }
  tjscalingfactor sf = { 1, (int) scale_denom };
  int sw = TJSCALED (w, sf), sh = TJSCALED (h, sf);
  bool gray = samples == 1;
  LbPixelBuffer *buf = lb_pixel_buffer_new ((guint) sw, (guint) sh, gray ? LB_PIXEL_GRAY8 : LB_PIXEL_RGB8);
  /* TJFLAG_LIMITSCANS: a hostile progressive JPEG can otherwise make the
   * decoder loop over thousands of scans. */
  int rc = tjDecompress2 (tj, data, (unsigned long) len, buf->data, sw, (int) buf->stride, sh,
                          gray ? TJPF_GRAY : TJPF_RGB, TJFLAG_LIMITSCANS);
  if (rc != 0 && tjGetErrorCode (tj) == TJERR_FATAL)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED, "cannot decode JPEG frame: %s", tjGetErrorStr2 (tj));
      tjDestroy (tj);
      lb_pixel_buffer_free (buf);
      return nullptr;
    }
  tjDestroy (tj);
  buf->scale_denom = scale_denom;
  buf->bits_stored = 8;
  int lo = 255, hi = 0;
  if (gray)
    for (int y = 0; y < sh; y++)
      for (int x = 0; x < sw; x++)
        {
          int v = buf->data[y * buf->stride + x];
          lo = MIN (lo, v);
          hi = MAX (hi, v);
        }
  buf->min_value = gray ? lo : 0;
  buf->max_value = gray ? hi : 255;
  return buf;
}
