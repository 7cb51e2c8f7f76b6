/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Parsing: limits, the pre-scan, then dcmtk over an in-memory buffer.
 */
#include "lb-dicom-private.h"

#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <sys/mman.h>
#include <unistd.h>

void
lb_dicom_init_once (void)
{
  static gsize done = 0;

  /* dcmtk's codec list is itself locked, but registering twice from two
   * threads would register the codecs twice: do it exactly once. */
  if (g_once_init_enter (&done))
    {
      DJDecoderRegistration::registerCodecs ();
      DJLSDecoderRegistration::registerCodecs ();
      DcmRLEDecoderRegistration::registerCodecs ();
      /* Errors reach the caller as GErrors; dcmtk's own console logging
       * would only duplicate them (and could print patient data). */
      if (g_getenv ("LIGHTBOX_DCMTK_LOG") == nullptr)
        OFLog::configure (OFLogger::FATAL_LOG_LEVEL);
      g_once_init_leave (&done, 1);
    }
}

/**
 * lb_dicom_limits_init_default:
 * @limits: (out caller-allocates): the limits to fill
 *
 * Sets the defaults: 2 GiB per object, 1 GiB per element, sequences 16 deep,
 * 256 Mpx per frame, 10000 frames.
 */
extern "C" void
lb_dicom_limits_init_default (LbDicomLimits *limits)
{
  g_return_if_fail (limits != NULL);
  limits->max_object_bytes = G_GUINT64_CONSTANT (2) << 30;
  limits->max_element_bytes = G_GUINT64_CONSTANT (1) << 30;
  limits->max_nesting = 16;
  limits->max_pixels = G_GUINT64_CONSTANT (256) << 20;
  limits->max_frames = 10000;
}

/* @path, when set, names the file @data maps: dcmtk then reads from the
 * file and leaves values over 64 KiB (the pixel data) on disk until a frame
 * is decoded, instead of copying the whole object up front. The pre-scan
 * has checked the very bytes dcmtk will read; a file replaced in between
 * fails to parse or to decode, it cannot make dcmtk over-allocate beyond
 * the element limit because dcmtk also checks lengths against the file
 * size. */
static LbDicomObject *
parse_buffer (const guint8         *data,
              gsize                 len,
              const char           *path,
              const LbDicomLimits  *limits_in,
              GError              **error)
{
  LbDicomLimits limits;

  if (limits_in != nullptr)
    limits = *limits_in;
  else
    lb_dicom_limits_init_default (&limits);

  lb_dicom_init_once ();
  if (!lb_dicom_prescan (data, len, &limits, error))
    return nullptr;

  /* Bytes go to dcmtk through an anonymous in-memory file too: only its
   * file streams check each declared length against the bytes remaining
   * (its buffer streams allocate first), a second line of defence should
   * the pre-scan and dcmtk ever disagree about the structure. */
  int memfd = -1;
  g_autofree char *memfd_path = nullptr;
  if (path == nullptr)
    {
      memfd = memfd_create ("lightbox-dicom", MFD_CLOEXEC);
      gsize done = 0;
      while (memfd >= 0 && done < len)
        {
          ssize_t n = write (memfd, data + done, len - done);
          if (n <= 0)
            {
              close (memfd);
              memfd = -1;
            }
          else
            done += (gsize) n;
        }
      if (memfd >= 0)
        path = memfd_path = g_strdup_printf ("/proc/self/fd/%d", memfd);
    }
  struct FdCloser {
    int fd;
    ~FdCloser () { if (fd >= 0) close (fd); }
  } closer { memfd };

  auto ff = std::make_unique<DcmFileFormat> ();
  OFCondition cond;
  if (path != nullptr)
    {
      cond = ff->loadFile (OFFilename (path), EXS_Unknown, EGL_noChange, 64 * 1024);
      if (cond.good ())
        cond = ff->loadAllDataIntoMemory ();
    }
  else
    {
      DcmInputBufferStream stream;
      stream.setBuffer (data, (offile_off_t) len);
      stream.setEos ();
      ff->transferInit ();
      /* Load every value now: a buffer stream cannot be reopened later. */
      cond = ff->read (stream, EXS_Unknown, EGL_noChange, G_MAXUINT32);
      ff->transferEnd ();
    }
  if (cond.bad ())
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED,
                   "cannot parse the object: %s", cond.text ());
      return nullptr;
    }
  DcmDataset *ds = ff->getDataset ();
  if (ds == nullptr || ds->card () == 0)
    {
      g_set_error_literal (error, LB_DICOM_ERROR, LB_DICOM_ERROR_NOT_DICOM, "the object holds no dataset");
      return nullptr;
    }

  LbDicomObject *object = g_new0 (LbDicomObject, 1);
  g_atomic_ref_count_init (&object->ref_count);
  g_mutex_init (&object->lock);
  object->fileformat = ff.release ();
  object->xfer = ds->getOriginalXfer ();
  object->limits = limits;
  lb_dicom_meta_fill (object);

  /* Checked here, at parse time, so that no caller ever sizes a buffer
   * from an absurd Rows × Columns × Number of Frames. */
  LbDicomMeta *m = &object->meta;
  guint64 pixels = (guint64) m->rows * m->columns;
  if (pixels > limits.max_pixels || m->number_of_frames > limits.max_frames)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_LIMIT,
                   "image of %u × %u pixels × %u frames exceeds the limits",
                   m->rows, m->columns, m->number_of_frames);
      lb_dicom_object_unref (object);
      return nullptr;
    }
  return object;
}

/**
 * lb_dicom_object_new_from_bytes:
 * @bytes: a Part-10 file, or a bare dataset
 * @limits: (nullable): parsing limits, or %NULL for the defaults
 * @error: return location for a #GError in %LB_DICOM_ERROR
 *
 * Parses an untrusted object. The bytes are not referenced afterwards.
 *
 * Returns: (transfer full) (nullable): the object, or %NULL with @error set
 */
extern "C" LbDicomObject *
lb_dicom_object_new_from_bytes (GBytes               *bytes,
                                const LbDicomLimits  *limits,
                                GError              **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  try
    {
      gsize len = 0;
      const guint8 *data = (const guint8 *) g_bytes_get_data (bytes, &len);
      return parse_buffer (data, len, nullptr, limits, error);
    }
  LB_DICOM_CATCH (error, nullptr)
}

/**
 * lb_dicom_object_new_from_file:
 * @path: a file name
 * @limits: (nullable): parsing limits, or %NULL for the defaults
 * @error: return location for a #GError in %LB_DICOM_ERROR
 *
 * Maps @path and parses it as lb_dicom_object_new_from_bytes() does.
 *
 * Returns: (transfer full) (nullable): the object, or %NULL with @error set
 */
extern "C" LbDicomObject *
lb_dicom_object_new_from_file (const char           *path,
                               const LbDicomLimits  *limits,
                               GError              **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  try
    {
      g_autoptr (GError) local = nullptr;
      g_autoptr (GMappedFile) mapped = g_mapped_file_new (path, FALSE, &local);
      if (mapped == nullptr)
        {
          g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_IO, "cannot read %s: %s",
                       path, local->message);
          return nullptr;
        }
      const guint8 *data = (const guint8 *) g_mapped_file_get_contents (mapped);
      gsize len = g_mapped_file_get_length (mapped);
      static const guint8 empty[1] = { 0 };
      return parse_buffer (data ? data : empty, data ? len : 0, data ? path : nullptr, limits, error);
    }
  LB_DICOM_CATCH (error, nullptr)
}

/**
 * lb_dicom_object_ref:
 * @object: an object
 *
 * Returns: (transfer full): @object
 */
extern "C" LbDicomObject *
lb_dicom_object_ref (LbDicomObject *object)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_atomic_ref_count_inc (&object->ref_count);
  return object;
}

/**
 * lb_dicom_object_unref:
 * @object: (transfer full): an object
 */
extern "C" void
lb_dicom_object_unref (LbDicomObject *object)
{
  g_return_if_fail (object != NULL);
  if (!g_atomic_ref_count_dec (&object->ref_count))
    return;
  try
    {
      delete object->fileformat;
    }
  catch (...)
    {
    }
  lb_dicom_meta_clear (&object->meta);
  g_mutex_clear (&object->lock);
  g_free (object);
}

/**
 * lb_dicom_object_get_meta:
 * @object: an object
 *
 * Returns: (transfer none): the metadata, valid as long as @object
 */
extern "C" LbDicomMeta *
lb_dicom_object_get_meta (LbDicomObject *object)
{
  g_return_val_if_fail (object != NULL, NULL);
  return &object->meta;
}

/**
 * lb_dicom_object_dup_string:
 * @object: an object
 * @group: the tag's group
 * @element: the tag's element
 *
 * Reads any attribute of the top-level dataset (or the meta header, group
 * 0002) as text, all values joined by backslashes.
 *
 * Returns: (transfer full) (nullable): UTF-8 text, or %NULL if absent
 */
extern "C" char *
lb_dicom_object_dup_string (LbDicomObject *object,
                            guint16        group,
                            guint16        element)
{
  g_return_val_if_fail (object != NULL, NULL);

  try
    {
      g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&object->lock);
      (void) locker;
      DcmItem *item = group == 0x0002 ? (DcmItem *) object->fileformat->getMetaInfo ()
                                      : (DcmItem *) object->fileformat->getDataset ();
      DcmElement *el = nullptr;
      if (item == nullptr || item->findAndGetElement (DcmTagKey (group, element), el).bad () || el == nullptr)
        return nullptr;
      OFString value;
      if (el->getOFStringArray (value).bad ())
        return nullptr;
      return g_utf8_make_valid (value.c_str (), (gssize) value.length ());
    }
  catch (...)
    {
      return nullptr;
    }
}
