/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * JPEG 2000 decoding through OpenJPEG: dcmtk's free codecs do not include
 * it (PS3.5 A.4.4). Reads a raw codestream or a JP2 file from memory.
 */
#include "lb-dicom-private.h"

#include <openjpeg.h>
#include <string.h>

namespace {

struct MemSource {
  const guint8 *data;
  gsize len;
  gsize pos;
};

OPJ_SIZE_T
mem_read (void *buffer, OPJ_SIZE_T n, void *user)
{
  auto *src = static_cast<MemSource *> (user);
  if (src->pos >= src->len)
    return (OPJ_SIZE_T) -1;
  gsize take = MIN ((gsize) n, src->len - src->pos);
  memcpy (buffer, src->data + src->pos, take);
  src->pos += take;
  return take;
}

OPJ_OFF_T
mem_skip (OPJ_OFF_T n, void *user)
{
  auto *src = static_cast<MemSource *> (user);
  if (n < 0)
    n = -(OPJ_OFF_T) MIN ((gsize) -n, src->pos);
  else
    n = (OPJ_OFF_T) MIN ((gsize) n, src->len - src->pos);
  src->pos += n;
  return n;
}

OPJ_BOOL
mem_seek (OPJ_OFF_T n, void *user)
{
  auto *src = static_cast<MemSource *> (user);
  if (n < 0 || (gsize) n > src->len)
    return OPJ_FALSE;
  src->pos = (gsize) n;
  return OPJ_TRUE;
}

void
quiet_cb (const char *msg, void *user)
{
}

struct Cleanup {
  opj_stream_t *stream = nullptr;
  opj_codec_t *codec = nullptr;
  opj_image_t *image = nullptr;
  ~Cleanup ()
  {
    if (image)
      opj_image_destroy (image);
    if (codec)
      opj_destroy_codec (codec);
    if (stream)
      opj_stream_destroy (stream);
  }
};

} // namespace

gboolean
lb_dicom_j2k_decode (const guint8  *data,
                     gsize          len,
                     guint          width,
                     guint          height,
                     guint          samples,
                     guint          bits_allocated,
                     std::vector<guint8> *out,
                     GError       **error)
{
  static const guint8 jp2_sig[] = { 0, 0, 0, 0x0c, 'j', 'P', ' ', ' ' };
  bool jp2 = len >= sizeof jp2_sig && memcmp (data, jp2_sig, sizeof jp2_sig) == 0;
  MemSource src { data, len, 0 };
  Cleanup c;

  c.stream = opj_stream_create (64 * 1024, OPJ_TRUE);
  opj_stream_set_read_function (c.stream, mem_read);
  opj_stream_set_skip_function (c.stream, mem_skip);
  opj_stream_set_seek_function (c.stream, mem_seek);
  opj_stream_set_user_data (c.stream, &src, nullptr);
  opj_stream_set_user_data_length (c.stream, len);

  c.codec = opj_create_decompress (jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
  opj_set_info_handler (c.codec, quiet_cb, nullptr);
  opj_set_warning_handler (c.codec, quiet_cb, nullptr);
  opj_set_error_handler (c.codec, quiet_cb, nullptr);
  opj_dparameters_t params;
  opj_set_default_decoder_parameters (&params);
  if (!opj_setup_decoder (c.codec, &params) || !opj_read_header (c.stream, c.codec, &c.image) || c.image == nullptr)
    {
      g_set_error_literal (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED, "bad JPEG 2000 header");
      return FALSE;
    }
  /* Check the codestream's size against Rows/Columns (already limited)
   * before OpenJPEG allocates its tile buffers. */
  if (c.image->x1 - c.image->x0 != width || c.image->y1 - c.image->y0 != height || c.image->numcomps < samples)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED,
                   "JPEG 2000 frame is %u × %u with %u components, the object says %u × %u × %u",
                   c.image->x1 - c.image->x0, c.image->y1 - c.image->y0, c.image->numcomps,
                   width, height, samples);
      return FALSE;
    }
  if (!opj_decode (c.codec, c.stream, c.image) || !opj_end_decompress (c.codec, c.stream))
    {
      g_set_error_literal (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED, "cannot decode JPEG 2000 frame");
      return FALSE;
    }

  guint bytes = bits_allocated / 8;
  out->assign ((gsize) width * height * samples * bytes, 0);
  for (guint s = 0; s < samples; s++)
    {
      const opj_image_comp_t *comp = &c.image->comps[s];
      guint dx = MAX (comp->dx, 1u), dy = MAX (comp->dy, 1u);
      if (comp->data == nullptr || (guint64) comp->w * dx < width || (guint64) comp->h * dy < height)
        {
          g_set_error_literal (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED, "JPEG 2000 component is too small");
          return FALSE;
        }
      for (guint y = 0; y < height; y++)
        for (guint x = 0; x < width; x++)
          {
            /* Subsampled components are repeated (nearest neighbour). */
            OPJ_INT32 v = comp->data[(gsize) (y / dy) * comp->w + x / dx];
            gsize idx = ((gsize) y * width + x) * samples + s;
            if (bytes == 1)
              (*out)[idx] = (guint8) v;
            else
              {
                guint16 w16 = (guint16) v;
                memcpy (out->data () + 2 * idx, &w16, 2);
              }
          }
    }
  return TRUE;
}
