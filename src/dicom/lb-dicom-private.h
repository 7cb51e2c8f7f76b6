/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Internals shared by the C++ files of src/dicom. Never included outside
 * this directory: it pulls in dcmtk.
 */

#include "lb-dicom.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dccodec.h>

#include <memory>
#include <string>
#include <vector>

/* The parsed object. The dataset is only touched under @lock: dcmtk swaps
 * and converts element values in place while reading them, so even
 * "read-only" access is not thread-safe. */
struct _LbDicomObject {
  gatomicrefcount  ref_count;
  GMutex           lock;
  DcmFileFormat   *fileformat;
  E_TransferSyntax xfer;
  LbDicomLimits    limits;
  LbDicomMeta      meta;
};

/* Maps any C++ exception escaping a dcmtk call into a GError. */
#define LB_DICOM_CATCH(error, retval)                                        \
  catch (const std::bad_alloc &)                                             \
    {                                                                        \
      g_set_error_literal ((error), LB_DICOM_ERROR, LB_DICOM_ERROR_LIMIT,    \
                           "out of memory while handling the object");      \
      return (retval);                                                       \
    }                                                                        \
  catch (...)                                                                \
    {                                                                        \
      g_set_error_literal ((error), LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED, \
                           "internal error while handling the object");     \
      return (retval);                                                       \
    }


/* Registers dcmtk's codecs and quietens its logger, once per process. */
void     lb_dicom_init_once       (void);

/* Walks the element structure of @data (Part-10 or bare dataset) without
 * allocating per element, checking every declared length against the bytes
 * left and against @limits, before dcmtk gets to see the buffer. */
gboolean lb_dicom_prescan         (const guint8         *data,
                                   gsize                 len,
                                   const LbDicomLimits  *limits,
                                   GError              **error);

/* Fills object->meta from object->fileformat (lb-dicom-meta.cpp). */
void     lb_dicom_meta_fill       (LbDicomObject        *object);
void     lb_dicom_meta_clear      (LbDicomMeta          *meta);

/* JPEG helpers over libjpeg-turbo (lb-dicom-jpeg.cpp). */
LbPixelBuffer *lb_dicom_jpeg_decode (const guint8  *data,
                                     gsize          len,
                                     guint          expect_width,
                                     guint          expect_height,
                                     guint          samples,
                                     guint          scale_denom,
                                     GError       **error);

/* JPEG 2000 over OpenJPEG (lb-dicom-j2k.cpp): returns interleaved native
 * samples (8 or 16 bits per sample as @bits_allocated says). */
gboolean lb_dicom_j2k_decode      (const guint8  *data,
                                   gsize          len,
                                   guint          width,
                                   guint          height,
                                   guint          samples,
                                   guint          bits_allocated,
                                   std::vector<guint8> *out,
                                   GError       **error);


/* Small helpers shared by the writers of outgoing objects (KOS, PR). */
namespace lb {

/* Lightbox's UID root for generated UIDs when the caller gives none. */
extern const char *const default_uid_root;

/* NULL reads as "" where dcmtk wants a string. */
const char  *nz            (const char *s);
/* A new UID under @root (NULL or "": Lightbox's root). */
std::string  make_uid      (const char *root);
/* Throws std::runtime_error naming @what when @cond failed. */
void         check         (OFCondition cond, const char *what);
/* The file as Part-10 bytes, explicit VR little endian. */
GBytes      *encode_part10 (DcmFileFormat &file);

} // namespace lb
