/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Frame decoding: fetch one frame's native samples (uncompressed, or through
 * libjpeg-turbo, OpenJPEG or dcmtk's codecs), then turn them into an
 * LbPixelBuffer: masked/sign-extended stored values for grayscale, 8-bit RGB
 * for color.
 */
#include "lb-dicom-private.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

namespace {

/* Transfer syntaxes dcmtk 3.6.7 has no enum value for (HTJ2K, PS3.5 A.4.x). */
const char *const kJ2kUids[] = {
  UID_JPEG2000LosslessOnlyTransferSyntax, UID_JPEG2000TransferSyntax,
  "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203",
};

bool
is_j2k (const char *ts)
{
  for (const char *u : kJ2kUids)
    if (g_strcmp0 (ts, u) == 0)
      return true;
  return false;
}

bool
set_error (GError **error, int code, const char *format, ...) G_GNUC_PRINTF (3, 4);

/* dcmtk 3.6.7's JPEG decoder first walks the frame's first fragment for
 * the sample precision (DJCodecDecoder::scanJpegDataForBitDepth) and never
 * steps past a TEM marker (FF01) met before the frame header: it spins
 * forever. Walk every fragment the same way and refuse a stream that would
 * make it spin; any other stream ends the walk as dcmtk's does. */
bool
jpeg_scan_would_hang (const Uint8 *p, Uint32 len)
{
  Uint32 offset = 0;

  if (p == nullptr)
    return false;
  while (offset + 4 < len)
    {
      guint marker = ((guint) p[offset] << 8) | p[offset + 1];
      guint seglen = ((guint) p[offset + 2] << 8) | p[offset + 3];

      if (marker == 0xff01)
        return true;
      if ((marker >= 0xffc0 && marker <= 0xffcf && marker != 0xffc4 && marker != 0xffc8 && marker != 0xffcc))
        return false;                     /* a frame header: dcmtk stops */
      if (marker >= 0xffd0 && marker <= 0xffd9)
        offset += 2;
      else if (marker == 0xffff)
        offset += 1;
      else if (marker == 0xffc4 || marker == 0xffc8 || marker == 0xffcc || marker >= 0xffda)
        offset += seglen + 2;
      else if (p[offset] == 0xff && p[offset + 1] > 2 && p[offset + 1] <= 0xbf)
        offset += 2;
      else
        return false;                     /* an invalid marker: dcmtk stops */
    }
  return false;
}

bool
pixel_sequence_would_hang_dcmtk (DcmPixelSequence *seq)
{
  unsigned long n_items = seq->card ();

  for (unsigned long i = 1; i < n_items; i++)
    {
      DcmPixelItem *item = nullptr;
      Uint8 *p = nullptr;

      if (seq->getItem (item, i).bad () || item == nullptr || item->getLength () == 0 ||
          item->getUint8Array (p).bad ())
        continue;
      if (jpeg_scan_would_hang (p, item->getLength ()))
        return true;
    }
  return false;
}

bool
set_error (GError **error, int code, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  if (error != nullptr && *error == nullptr)
    *error = g_error_new_valist (LB_DICOM_ERROR, code, format, args);
  va_end (args);
  return false;
}

/* Does this fragment start a new compressed frame? Used only when neither
 * the fragment count nor the Basic Offset Table tells us (PS3.5 A.4). */
bool
fragment_starts_frame (const Uint8 *p, Uint32 len)
{
  if (len >= 2 && p[0] == 0xff && p[1] == 0xd8)                 /* JPEG SOI */
    return true;
  if (len >= 4 && p[0] == 0xff && p[1] == 0x4f && p[2] == 0xff && p[3] == 0x51) /* J2K SOC+SIZ */
    return true;
  return false;
}

bool
collect_frame_bytes (DcmPixelSequence *seq, guint frame, guint n_frames,
                     std::vector<guint8> &out, GError **error)
{
  unsigned long n_items = seq->card ();
  if (n_items < 2)
    return set_error (error, LB_DICOM_ERROR_NO_PIXELS, "encapsulated pixel data has no fragments");
  unsigned long n_frags = n_items - 1;
  std::vector<std::pair<const Uint8 *, Uint32>> frags;
  for (unsigned long i = 1; i < n_items; i++)
    {
      DcmPixelItem *item = nullptr;
      Uint8 *p = nullptr;
      if (seq->getItem (item, i).bad () || item == nullptr)
        return set_error (error, LB_DICOM_ERROR_MALFORMED, "cannot read fragment %lu", i);
      Uint32 len = item->getLength ();
      if (len > 0 && (item->getUint8Array (p).bad () || p == nullptr))
        return set_error (error, LB_DICOM_ERROR_MALFORMED, "cannot read fragment %lu", i);
      frags.emplace_back (p, len);
    }

  std::vector<size_t> chosen;
  if (n_frames == 1)
    for (size_t i = 0; i < frags.size (); i++)
      chosen.push_back (i);
  else if (n_frags == n_frames)
    chosen.push_back (frame);
  else
    {
      /* PS3.5 A.4: the Basic Offset Table holds each frame's byte offset
       * from the first fragment's item tag. */
      DcmPixelItem *bot = nullptr;
      Uint8 *bot_data = nullptr;
      Uint32 bot_len = 0;
      if (seq->getItem (bot, 0).good () && bot != nullptr)
        bot_len = bot->getLength ();
      if (bot_len >= 4 * (Uint32) n_frames && bot->getUint8Array (bot_data).good () && bot_data)
        {
          auto offset = [&] (guint k) -> guint64 {
            const Uint8 *q = bot_data + 4 * k;
            return q[0] | ((guint32) q[1] << 8) | ((guint32) q[2] << 16) | ((guint32) q[3] << 24);
          };
          guint64 start = offset (frame);
          guint64 end = frame + 1 < n_frames ? offset (frame + 1) : G_MAXUINT64;
          guint64 pos = 0;
          for (size_t i = 0; i < frags.size (); i++)
            {
              if (pos >= start && pos < end)
                chosen.push_back (i);
              pos += 8 + (guint64) frags[i].second;
            }
        }
      else
        {
          guint current = 0;
          bool seen_first = false;
          for (size_t i = 0; i < frags.size (); i++)
            {
              if (fragment_starts_frame (frags[i].first, frags[i].second))
                {
                  if (seen_first)
                    current++;
                  seen_first = true;
                }
              if (current == frame)
                chosen.push_back (i);
              else if (current > frame)
                break;
            }
        }
    }
  if (chosen.empty () || chosen.back () >= frags.size ())
    return set_error (error, LB_DICOM_ERROR_NO_PIXELS, "no compressed data for frame %u", frame);
  for (size_t i : chosen)
    out.insert (out.end (), frags[i].first, frags[i].first + frags[i].second);
  if (out.empty ())
    return set_error (error, LB_DICOM_ERROR_NO_PIXELS, "frame %u is empty", frame);
  return true;
}

struct PaletteLut {
  std::vector<guint8> v;
  int first = 0;
};

bool
read_palette (DcmItem *ds, const DcmTagKey &desc_key, const DcmTagKey &data_key,
              bool pixel_signed, PaletteLut &lut, GError **error)
{
  /* PS3.3 C.7.6.3.1.5: descriptor = entries (0 means 65536), first mapped
   * value, bits per entry (8 or 16). */
  const Uint16 *desc = nullptr, *data = nullptr;
  unsigned long n_desc = 0, n_data = 0;
  if (ds->findAndGetUint16Array (desc_key, desc, &n_desc).bad () || n_desc < 3 ||
      ds->findAndGetUint16Array (data_key, data, &n_data).bad () || data == nullptr)
    return set_error (error, LB_DICOM_ERROR_UNSUPPORTED,
                      "PALETTE COLOR without a usable palette (segmented palettes are not supported)");
  guint n = desc[0] == 0 ? 65536 : desc[0];
  lut.first = pixel_signed ? (gint16) desc[1] : desc[1];
  lut.v.resize (n);
  if (desc[2] == 8 && n_data * 2 >= n && n_data < n)
    {
      /* 8-bit entries packed two per OW word (little endian order). */
      for (guint i = 0; i < n; i++)
        lut.v[i] = (guint8) (i % 2 ? data[i / 2] >> 8 : data[i / 2] & 0xff);
      return true;
    }
  if (n_data < n)
    return set_error (error, LB_DICOM_ERROR_MALFORMED, "palette holds %lu entries, descriptor says %u", n_data, n);
  for (guint i = 0; i < n; i++)
    lut.v[i] = desc[2] == 8 ? (guint8) MIN (data[i], 255) : (guint8) (data[i] >> 8);
  return true;
}

guint8
clamp8 (double v)
{
  return v <= 0 ? 0 : v >= 255 ? 255 : (guint8) (v + 0.5);
}

/* PS3.3 C.7.6.3.1.2: YBR_FULL to RGB (ITU-R BT.601 full range). */
void
ybr_to_rgb (guint8 y, guint8 cb, guint8 cr, guint8 *rgb)
{
  double Y = y, Cb = cb - 128.0, Cr = cr - 128.0;
  rgb[0] = clamp8 (Y + 1.402 * Cr);
  rgb[1] = clamp8 (Y - 0.344136 * Cb - 0.714136 * Cr);
  rgb[2] = clamp8 (Y + 1.772 * Cb);
}

/* PS3.5 Annex G: a 64-byte header (segment count, 15 offsets), then one
 * PackBits segment per byte of each sample, most significant byte first.
 * Written here rather than taken from dcmtk, whose 3.6.7 decoder trusts
 * the segment offsets (a fuzzed object made it read out of bounds). The
 * result is color-by-pixel, host byte order. */
bool
rle_decode (const std::vector<guint8> &in, guint width, guint height, guint samples,
            guint bytes_per_sample, std::vector<guint8> &out, GError **error)
{
  auto u32 = [&] (gsize o) -> guint32 {
    return in[o] | ((guint32) in[o + 1] << 8) | ((guint32) in[o + 2] << 16) | ((guint32) in[o + 3] << 24);
  };
  guint n_segments = samples * bytes_per_sample;
  gsize n_pixels = (gsize) width * height;
  if (in.size () < 64 || u32 (0) != n_segments)
    return set_error (error, LB_DICOM_ERROR_MALFORMED, "RLE header does not announce %u segments", n_segments);
  out.assign (n_pixels * n_segments, 0);
  std::vector<guint8> seg (n_pixels);
  for (guint i = 0; i < n_segments; i++)
    {
      guint32 start = u32 (4 + 4 * i);
      guint32 end = i + 1 < n_segments ? u32 (8 + 4 * i) : (guint32) MIN (in.size (), (gsize) G_MAXUINT32);
      if (start < 64 || start > end || end > in.size ())
        return set_error (error, LB_DICOM_ERROR_MALFORMED, "RLE segment %u lies outside the frame", i);
      gsize pos = start, have = 0;
      while (pos < end && have < n_pixels)
        {
          int n = (gint8) in[pos++];
          if (n >= 0)
            {
              gsize run = MIN ((gsize) n + 1, MIN (end - pos, n_pixels - have));
              memcpy (seg.data () + have, in.data () + pos, run);
              have += run;
              pos += (gsize) n + 1;
            }
          else if (n != -128)
            {
              if (pos >= end)
                break;
              gsize run = MIN ((gsize) (1 - n), n_pixels - have);
              memset (seg.data () + have, in[pos++], run);
              have += run;
            }
        }
      if (have < n_pixels)
        return set_error (error, LB_DICOM_ERROR_MALFORMED, "RLE segment %u is short", i);
      /* Segment i holds byte (i % bytes) of sample (i / bytes), MSB first. */
      guint sample = i / bytes_per_sample, byte = i % bytes_per_sample;
      guint host_byte = G_BYTE_ORDER == G_LITTLE_ENDIAN ? bytes_per_sample - 1 - byte : byte;
      for (gsize p = 0; p < n_pixels; p++)
        out[(p * samples + sample) * bytes_per_sample + host_byte] = seg[p];
    }
  return true;
}

struct FrameLayout {
  guint width, height, samples, bits_allocated, bits_stored, high_bit;
  bool pixel_signed, planar;
  std::string color; /* photometric of the native samples */
};

LbPixelBuffer *
native_to_buffer (const guint8 *native, const FrameLayout &f,
                  const PaletteLut *palette, GError **error)
{
  gsize n = (gsize) f.width * f.height;
  guint bytes = f.bits_allocated / 8;
  guint shift = f.high_bit + 1 - f.bits_stored;
  auto sample = [&] (gsize index) -> guint32 {
    if (bytes == 1)
      return native[index];
    guint16 v;
    memcpy (&v, native + 2 * index, 2); /* host order, as dcmtk hands it out */
    return v;
  };
  guint32 mask = f.bits_stored >= 32 ? 0xffffffffu : (1u << f.bits_stored) - 1;

  if (f.samples == 1 && f.color == "PALETTE COLOR")
    {
      LbPixelBuffer *buf = lb_pixel_buffer_new (f.width, f.height, LB_PIXEL_RGB8);
      for (gsize i = 0; i < n; i++)
        {
          guint32 raw = (sample (i) >> shift) & mask;
          int idx = f.pixel_signed && (raw & (1u << (f.bits_stored - 1))) ? (int) raw - (int) (mask + 1) : (int) raw;
          guint8 *out = buf->data + (i / f.width) * buf->stride + (i % f.width) * 3;
          for (int c = 0; c < 3; c++)
            {
              const PaletteLut &l = palette[c];
              int k = CLAMP (idx - l.first, 0, (int) l.v.size () - 1);
              out[c] = l.v[k];
            }
        }
      buf->min_value = 0;
      buf->max_value = 255;
      buf->bits_stored = 8;
      return buf;
    }

  if (f.samples == 1)
    {
      LbPixelFormat fmt = f.pixel_signed ? LB_PIXEL_GRAY16S : bytes == 1 ? LB_PIXEL_GRAY8 : LB_PIXEL_GRAY16U;
      LbPixelBuffer *buf = lb_pixel_buffer_new (f.width, f.height, fmt);
      int lo = G_MAXINT, hi = G_MININT;
      guint32 sign = 1u << (f.bits_stored - 1);
      for (guint y = 0; y < f.height; y++)
        {
          guint8 *row = buf->data + y * buf->stride;
          for (guint x = 0; x < f.width; x++)
            {
              guint32 raw = (sample ((gsize) y * f.width + x) >> shift) & mask;
              int v = f.pixel_signed && (raw & sign) ? (int) raw - (int) (mask + 1) : (int) raw;
              if (fmt == LB_PIXEL_GRAY8)
                row[x] = (guint8) v;
              else if (fmt == LB_PIXEL_GRAY16U)
                ((guint16 *) row)[x] = (guint16) v;
              else
                ((gint16 *) row)[x] = (gint16) v;
              lo = MIN (lo, v);
              hi = MAX (hi, v);
            }
        }
      buf->bits_stored = f.bits_stored;
      buf->monochrome1 = f.color == "MONOCHROME1";
      buf->min_value = lo;
      buf->max_value = hi;
      return buf;
    }

  if (f.samples != 3)
    {
      set_error (error, LB_DICOM_ERROR_UNSUPPORTED, "%u samples per pixel", f.samples);
      return nullptr;
    }
  LbPixelBuffer *buf = lb_pixel_buffer_new (f.width, f.height, LB_PIXEL_RGB8);
  guint down = f.bits_stored > 8 ? f.bits_stored - 8 : 0;
  auto comp = [&] (gsize pixel, guint c) -> guint8 {
    gsize idx = f.planar ? c * n + pixel : pixel * 3 + c;
    return (guint8) (((sample (idx) >> shift) & mask) >> down);
  };
  bool ybr422 = f.color == "YBR_FULL_422";
  bool ybr = f.color == "YBR_FULL" || f.color == "YBR_PARTIAL_420";
  for (guint y = 0; y < f.height; y++)
    {
      guint8 *row = buf->data + y * buf->stride;
      for (guint x = 0; x < f.width; x++)
        {
          gsize p = (gsize) y * f.width + x;
          if (ybr422)
            {
              /* PS3.3 C.7.6.3.1.2: two pixels share Cb/Cr, stored as
               * Y1 Y2 Cb Cr. */
              gsize pair = p / 2;
              const guint8 *q = native + pair * 4;
              ybr_to_rgb (q[p % 2], q[2], q[3], row + 3 * x);
            }
          else if (ybr)
            ybr_to_rgb (comp (p, 0), comp (p, 1), comp (p, 2), row + 3 * x);
          else
            for (guint c = 0; c < 3; c++)
              row[3 * x + c] = comp (p, c);
        }
    }
  buf->bits_stored = 8;
  buf->min_value = 0;
  buf->max_value = 255;
  return buf;
}

LbPixelBuffer *
subsample (LbPixelBuffer *full, guint d)
{
  if (d <= 1)
    return full;
  guint w = (full->width + d - 1) / d, h = (full->height + d - 1) / d;
  LbPixelBuffer *out = lb_pixel_buffer_new (w, h, full->format);
  gsize bpp = full->format == LB_PIXEL_GRAY8 ? 1 : full->format == LB_PIXEL_RGB8 ? 3 : 2;
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      memcpy (out->data + y * out->stride + x * bpp,
              full->data + (gsize) y * d * full->stride + (gsize) x * d * bpp, bpp);
  out->bits_stored = full->bits_stored;
  out->monochrome1 = full->monochrome1;
  out->min_value = full->min_value;
  out->max_value = full->max_value;
  lb_pixel_buffer_free (full);
  return out;
}

LbPixelBuffer *
decode (LbDicomObject *object, guint frame, guint scale, GError **error)
{
  const LbDicomMeta *m = &object->meta;

  if (!m->has_pixel_data)
    return set_error (error, LB_DICOM_ERROR_NO_PIXELS, "the object has no pixel data"), nullptr;
  if (m->rows == 0 || m->columns == 0)
    return set_error (error, LB_DICOM_ERROR_MALFORMED, "Rows or Columns missing"), nullptr;
  if (frame >= m->number_of_frames)
    return set_error (error, LB_DICOM_ERROR_NO_PIXELS, "frame %u of %u", frame, m->number_of_frames), nullptr;
  if ((m->bits_allocated != 8 && m->bits_allocated != 16) || m->bits_stored == 0 ||
      m->bits_stored > m->bits_allocated || m->high_bit >= m->bits_allocated ||
      m->high_bit + 1 < m->bits_stored)
    return set_error (error, LB_DICOM_ERROR_UNSUPPORTED, "unsupported bit layout: allocated %u, stored %u, high bit %u",
                      m->bits_allocated, m->bits_stored, m->high_bit), nullptr;
  if (m->samples_per_pixel != 1 && m->samples_per_pixel != 3)
    return set_error (error, LB_DICOM_ERROR_UNSUPPORTED, "%u samples per pixel", m->samples_per_pixel), nullptr;

  FrameLayout f { m->columns, m->rows, m->samples_per_pixel, m->bits_allocated, m->bits_stored,
                  m->high_bit, (bool) m->pixel_signed, m->planar_configuration == 1, m->photometric };
  gsize n_pixels = (gsize) f.width * f.height;
  gsize frame_bytes = n_pixels * f.samples * (f.bits_allocated / 8);
  DcmXfer xfer (object->xfer);
  bool encapsulated = xfer.isEncapsulated ();
  if (!encapsulated && f.color == "YBR_FULL_422" && f.samples == 3 && f.bits_allocated == 8)
    frame_bytes = n_pixels * 2; /* PS3.3 C.7.6.3.1.2: half-resolution chroma */

  bool use_turbo = (object->xfer == EXS_JPEGProcess1 ||
                    (object->xfer == EXS_JPEGProcess2_4 && f.bits_allocated == 8));
  bool use_j2k = is_j2k (m->transfer_syntax_uid);
  bool use_rle = object->xfer == EXS_RLELossless;
  std::vector<guint8> compressed, native;
  PaletteLut palette[3];

  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&object->lock);
    (void) locker;
    DcmDataset *ds = object->fileformat->getDataset ();
    DcmElement *el = nullptr;
    if (ds->findAndGetElement (DCM_PixelData, el).bad () || el == nullptr)
      return set_error (error, LB_DICOM_ERROR_NO_PIXELS, "the object has no pixel data"), nullptr;
    /* A hostile object can give Pixel Data a VR dcmtk does not read into a
     * DcmPixelData (OF, UN, ...): only the generic DcmElement API is safe
     * on those. */
    DcmPixelData *px = el->ident () == EVR_PixelData ? OFstatic_cast (DcmPixelData *, el) : nullptr;

    if (f.samples == 1 && f.color == "PALETTE COLOR")
      {
        if (!read_palette (ds, DCM_RedPaletteColorLookupTableDescriptor, DCM_RedPaletteColorLookupTableData, f.pixel_signed, palette[0], error) ||
            !read_palette (ds, DCM_GreenPaletteColorLookupTableDescriptor, DCM_GreenPaletteColorLookupTableData, f.pixel_signed, palette[1], error) ||
            !read_palette (ds, DCM_BluePaletteColorLookupTableDescriptor, DCM_BluePaletteColorLookupTableData, f.pixel_signed, palette[2], error))
          return nullptr;
      }

    if (!encapsulated)
      {
        /* dcmtk hands 16-bit words out in host byte order, whatever the
         * transfer syntax (explicit big endian included). */
        const guint8 *raw = nullptr;
        if (f.bits_allocated == 16)
          {
            Uint16 *w = nullptr;
            if (el->getUint16Array (w).bad ())
              w = nullptr;
            raw = (const guint8 *) w;
          }
        else
          {
            Uint8 *b = nullptr;
            if (el->getUint8Array (b).bad ())
              b = nullptr;
            raw = b;
          }
        guint64 have = el->getLength ();
        if (raw == nullptr || have < (guint64) frame_bytes * (frame + 1))
          return set_error (error, LB_DICOM_ERROR_NO_PIXELS,
                            "pixel data holds %" G_GUINT64_FORMAT " bytes, frame %u needs %" G_GUINT64_FORMAT,
                            have, frame, (guint64) frame_bytes * (frame + 1)), nullptr;
        /* Convert straight out of dcmtk's buffer (still under the lock):
         * a 4096² 16-bit frame is 32 MiB, not worth a copy. */
        LbPixelBuffer *buf = native_to_buffer (raw + frame_bytes * frame, f, palette, error);
        if (buf == nullptr)
          return nullptr;
        buf = subsample (buf, scale);
        buf->scale_denom = scale;
        return buf;
      }
    else if (px == nullptr)
      return set_error (error, LB_DICOM_ERROR_MALFORMED, "encapsulated Pixel Data with VR %s",
                        DcmVR (el->ident ()).getVRName ()), nullptr;
    else if (use_turbo || use_j2k || use_rle)
      {
        DcmPixelSequence *seq = nullptr;
        if (px->getEncapsulatedRepresentation (object->xfer, nullptr, seq).bad () || seq == nullptr)
          return set_error (error, LB_DICOM_ERROR_NO_PIXELS, "no encapsulated pixel data"), nullptr;
        if (!collect_frame_bytes (seq, frame, m->number_of_frames, compressed, error))
          return nullptr;
      }
    else
      {
        if (DcmCodecList::canChangeCoding (object->xfer, EXS_LittleEndianExplicit) == OFFalse)
          return set_error (error, LB_DICOM_ERROR_UNSUPPORTED, "no decoder for transfer syntax %s",
                            m->transfer_syntax_uid), nullptr;
        if (g_str_has_prefix (m->transfer_syntax_uid, "1.2.840.10008.1.2.4.") &&
            atoi (m->transfer_syntax_uid + strlen ("1.2.840.10008.1.2.4.")) < 80)
          {
            DcmPixelSequence *seq = nullptr;
            if (px->getEncapsulatedRepresentation (object->xfer, nullptr, seq).bad () || seq == nullptr)
              return set_error (error, LB_DICOM_ERROR_NO_PIXELS, "no encapsulated pixel data"), nullptr;
            if (pixel_sequence_would_hang_dcmtk (seq))
              return set_error (error, LB_DICOM_ERROR_MALFORMED,
                                "JPEG stream has a TEM marker before its frame header"), nullptr;
          }
        /* The codec writes whole words; keep the buffer size even. */
        native.resize (frame_bytes + (frame_bytes & 1));
        Uint32 start_fragment = 0;
        OFString color;
        OFCondition cond = px->getUncompressedFrame (ds, frame, start_fragment, native.data (),
                                                     (Uint32) native.size (), color);
        if (cond.bad ())
          return set_error (error, LB_DICOM_ERROR_MALFORMED, "cannot decompress frame %u: %s", frame, cond.text ()), nullptr;
        native.resize (frame_bytes);
        if (!color.empty ())
          f.color = color.c_str ();
        /* Decompressed JPEG chroma is never in the 4:2:2 byte layout. */
        if (f.color == "YBR_FULL_422")
          f.color = "YBR_FULL";
        /* dcmtk's decoders lay the samples out as Planar Configuration
         * says. */
      }
  }

  if (use_turbo)
    {
      LbPixelBuffer *buf = lb_dicom_jpeg_decode (compressed.data (), compressed.size (), f.width, f.height,
                                                 f.samples, scale, error);
      if (buf != nullptr)
        buf->monochrome1 = f.color == "MONOCHROME1";
      return buf;
    }
  if (use_j2k)
    {
      if (!lb_dicom_j2k_decode (compressed.data (), compressed.size (), f.width, f.height, f.samples,
                                f.bits_allocated, &native, error))
        return nullptr;
      /* PS3.5 A.4.4: with YBR_RCT/YBR_ICT the codestream's multi-component
       * transform is undone by the decoder, leaving RGB. */
      if (f.color == "YBR_RCT" || f.color == "YBR_ICT")
        f.color = "RGB";
      f.planar = false;
      f.high_bit = f.bits_stored - 1;
    }

  if (use_rle)
    {
      if (!rle_decode (compressed, f.width, f.height, f.samples, f.bits_allocated / 8, native, error))
        return nullptr;
      f.planar = false;
    }

  LbPixelBuffer *buf = native_to_buffer (native.data (), f, palette, error);
  if (buf == nullptr)
    return nullptr;
  buf = subsample (buf, scale);
  buf->scale_denom = scale;
  return buf;
}

} // namespace

/**
 * lb_pixel_buffer_new:
 * @width: columns
 * @height: rows
 * @format: the sample format
 *
 * Returns: (transfer full): a zeroed buffer with a tightly packed stride
 */
extern "C" LbPixelBuffer *
lb_pixel_buffer_new (guint width, guint height, LbPixelFormat format)
{
  LbPixelBuffer *buf = g_new0 (LbPixelBuffer, 1);
  gsize bpp = format == LB_PIXEL_GRAY8 ? 1 : format == LB_PIXEL_RGB8 ? 3 : 2;
  buf->width = width;
  buf->height = height;
  buf->format = format;
  buf->stride = (gsize) width * bpp;
  buf->scale_denom = 1;
  buf->bits_stored = format == LB_PIXEL_GRAY8 || format == LB_PIXEL_RGB8 ? 8 : 16;
  gsize size = MAX (buf->stride, 1) * (gsize) MAX (height, 1u);
  if (size / MAX (buf->stride, 1) != MAX (height, 1u))
    g_error ("pixel buffer size overflows");
  /* A 12 MP photo is 36 MB: with 4 KiB pages the kernel takes ~9000 page
   * faults before the first pixel lands, which costs more than the JPEG
   * decode itself. Transparent huge pages (on request, Debian's default)
   * cut that 512-fold. */
  if (size >= 4 * 1024 * 1024)
    {
      void *p = nullptr;
      if (posix_memalign (&p, 2 * 1024 * 1024, size) != 0)
        g_error ("cannot allocate %" G_GSIZE_FORMAT " bytes", size);
#ifdef MADV_HUGEPAGE
      madvise (p, size, MADV_HUGEPAGE);
#endif
      memset (p, 0, size);
      buf->data = (guint8 *) p;
    }
  else
    buf->data = (guint8 *) g_malloc0 (size);
  return buf;
}

/**
 * lb_pixel_buffer_free:
 * @buffer: (transfer full) (nullable): a buffer
 */
extern "C" void
lb_pixel_buffer_free (LbPixelBuffer *buffer)
{
  if (buffer == NULL)
    return;
  free (buffer->data); /* posix_memalign or g_malloc0: both malloc's */
  g_free (buffer);
}

/**
 * lb_dicom_object_decode_frame:
 * @object: a parsed object
 * @frame: 0-based frame index
 * @error: return location for a #GError
 *
 * Decodes one frame at full resolution. Grayscale keeps stored values
 * (masked to Bits Stored, sign-extended when signed); color becomes 8-bit
 * RGB. Safe to call from several threads on the same object.
 *
 * Returns: (transfer full) (nullable): the frame, or %NULL with @error set
 */
extern "C" LbPixelBuffer *
lb_dicom_object_decode_frame (LbDicomObject  *object,
                              guint           frame,
                              GError        **error)
{
  return lb_dicom_object_decode_frame_scaled (object, frame, 1, error);
}

/**
 * lb_dicom_object_decode_frame_scaled:
 * @object: a parsed object
 * @frame: 0-based frame index
 * @scale_denom: 1, 2, 4 or 8
 * @error: return location for a #GError
 *
 * Decodes a preview at 1/@scale_denom of the size (rounded up). JPEG
 * baseline uses libjpeg-turbo's scaled IDCT, which is much faster than a
 * full decode; other syntaxes subsample a full decode.
 *
 * Returns: (transfer full) (nullable): the frame, or %NULL with @error set
 */
extern "C" LbPixelBuffer *
lb_dicom_object_decode_frame_scaled (LbDicomObject  *object,
                                     guint           frame,
                                     guint           scale_denom,
                                     GError        **error)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (scale_denom == 1 || scale_denom == 2 || scale_denom == 4 || scale_denom == 8, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  try
    {
      lb_dicom_init_once ();
      return decode (object, frame, scale_denom, error);
    }
  LB_DICOM_CATCH (error, nullptr)
}
