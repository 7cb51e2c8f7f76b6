/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * The C API of Lightbox's DICOM core. This is the only header of src/dicom
 * that other layers include; behind it, C++17 over dcmtk, libjpeg-turbo and
 * OpenJPEG. It must stay valid C11 and C++17 (a test compiles it as both).
 */

#include <glib.h>

G_BEGIN_DECLS

#define LB_DICOM_ERROR (lb_dicom_error_quark ())
GQuark lb_dicom_error_quark (void);

/**
 * LbDicomError:
 * @LB_DICOM_ERROR_IO: the file could not be read or written
 * @LB_DICOM_ERROR_NOT_DICOM: no DICOM preamble/magic and no parsable dataset
 * @LB_DICOM_ERROR_MALFORMED: structurally broken (lying lengths, truncation)
 * @LB_DICOM_ERROR_LIMIT: the object exceeds a configured limit
 * @LB_DICOM_ERROR_UNSUPPORTED: a transfer syntax or pixel format we cannot decode
 * @LB_DICOM_ERROR_NO_PIXELS: the object has no (or too little) pixel data
 * @LB_DICOM_ERROR_BAD_IMAGE: an input photo (JPEG/PNG) could not be used
 */
typedef enum {
  LB_DICOM_ERROR_IO,
  LB_DICOM_ERROR_NOT_DICOM,
  LB_DICOM_ERROR_MALFORMED,
  LB_DICOM_ERROR_LIMIT,
  LB_DICOM_ERROR_UNSUPPORTED,
  LB_DICOM_ERROR_NO_PIXELS,
  LB_DICOM_ERROR_BAD_IMAGE,
} LbDicomError;

/* Returns dcmtk's version string, e.g. "3.6.7". */
const char *lb_dicom_toolkit_version (void);

G_END_DECLS
