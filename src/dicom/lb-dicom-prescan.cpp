/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A structural pre-scan of untrusted DICOM bytes. dcmtk trusts declared
 * lengths (it allocates a value buffer of the declared size before reading
 * it), so a 20-byte file that claims a 4 GiB element would make it try to
 * allocate 4 GiB. This walker checks every length against the bytes that are
 * really there and against the caller's limits first; only then does dcmtk
 * parse the buffer.
 */
#include "lb-dicom-private.h"

#include <string.h>
#include <zlib.h>

namespace {

enum class Enc { ImplicitLE, ExplicitLE, ExplicitBE };

constexpr guint32 kUndefined = 0xffffffffu;

struct Scanner {
  const guint8        *data;
  gsize                len;
  const LbDicomLimits *limits;
  GError             **error;

  guint16 u16 (gsize pos, Enc enc) const
  {
    if (enc == Enc::ExplicitBE)
      return (guint16) ((data[pos] << 8) | data[pos + 1]);
    return (guint16) (data[pos] | (data[pos + 1] << 8));
  }

  guint32 u32 (gsize pos, Enc enc) const
  {
    if (enc == Enc::ExplicitBE)
      return ((guint32) data[pos] << 24) | ((guint32) data[pos + 1] << 16) |
             ((guint32) data[pos + 2] << 8) | data[pos + 3];
    return data[pos] | ((guint32) data[pos + 1] << 8) |
           ((guint32) data[pos + 2] << 16) | ((guint32) data[pos + 3] << 24);
  }

  bool fail (int code, const char *format, ...) G_GNUC_PRINTF (3, 4)
  {
    va_list args;
    va_start (args, format);
    if (error != nullptr && *error == nullptr)
      *error = g_error_new_valist (LB_DICOM_ERROR, code, format, args);
    va_end (args);
    return false;
  }

  bool scan_elements (gsize &pos, gsize end, Enc enc, guint depth, bool until_item_delim);
  bool scan_sequence (gsize &pos, gsize end, Enc enc, guint depth, bool undefined);
  bool scan_fragments (gsize &pos, gsize end, Enc enc);
};

/* PS3.5 7.1.2: these VRs have a 2-byte reserved field and a 32-bit length. */
bool
vr_has_long_length (const char vr[2])
{
  static const char *const longs[] = { "OB", "OD", "OF", "OL", "OV", "OW", "SQ",
                                       "UC", "UN", "UR", "UT", "SV", "UV" };
  for (const char *l : longs)
    if (vr[0] == l[0] && vr[1] == l[1])
      return true;
  return false;
}

/* PS3.5 6.2: the VRs with a 16-bit length. */
bool
vr_is_short (const char vr[2])
{
  static const char *const shorts[] = { "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS",
                                        "LO", "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US" };
  for (const char *v : shorts)
    if (vr[0] == v[0] && vr[1] == v[1])
      return true;
  return false;
}

bool
dictionary_says_sequence (guint16 group, guint16 element)
{
  /* Implicit VR has no VR on the wire; dcmtk asks its dictionary, and so
   * must we, or a defined-length sequence would hide nested items from us. */
  DcmTag tag (group, element);
  return tag.getEVR () == EVR_SQ;
}

bool
Scanner::scan_fragments (gsize &pos, gsize end, Enc enc)
{
  /* PS3.5 A.4: encapsulated pixel data is a sequence of items (offset table,
   * then fragments) ended by a sequence delimiter, each with a defined
   * length. */
  while (true)
    {
      if (end - pos < 8)
        return fail (LB_DICOM_ERROR_MALFORMED, "encapsulated pixel data is truncated");
      guint16 g = u16 (pos, enc), e = u16 (pos + 2, enc);
      guint32 l = u32 (pos + 4, enc);
      pos += 8;
      if (g == 0xfffe && e == 0xe0dd)
        return true;
      if (g != 0xfffe || e != 0xe000)
        return fail (LB_DICOM_ERROR_MALFORMED,
                     "unexpected tag (%04x,%04x) inside encapsulated pixel data", g, e);
      if (l == kUndefined || l > end - pos)
        return fail (LB_DICOM_ERROR_MALFORMED,
                     "pixel data fragment declares %u bytes, only %" G_GSIZE_FORMAT " remain",
                     l, end - pos);
      if (l > limits->max_element_bytes)
        return fail (LB_DICOM_ERROR_LIMIT, "pixel data fragment of %u bytes exceeds the limit", l);
      pos += l;
    }
}

bool
Scanner::scan_sequence (gsize &pos, gsize end, Enc enc, guint depth, bool undefined)
{
  if (depth > limits->max_nesting)
    return fail (LB_DICOM_ERROR_LIMIT, "sequences nested deeper than %u levels",
                 limits->max_nesting);
  while (pos < end || undefined)
    {
      if (end - pos < 8)
        return fail (LB_DICOM_ERROR_MALFORMED, "sequence is truncated");
      guint16 g = u16 (pos, enc), e = u16 (pos + 2, enc);
      guint32 l = u32 (pos + 4, enc);
      pos += 8;
      if (g == 0xfffe && e == 0xe0dd)
        {
          if (!undefined)
            return fail (LB_DICOM_ERROR_MALFORMED, "sequence delimiter in a defined-length sequence");
          return true;
        }
      if (g != 0xfffe || e != 0xe000)
        return fail (LB_DICOM_ERROR_MALFORMED, "expected an item, found (%04x,%04x)", g, e);
      if (l == kUndefined)
        {
          if (!scan_elements (pos, end, enc, depth, true))
            return false;
        }
      else
        {
          if (l > end - pos)
            return fail (LB_DICOM_ERROR_MALFORMED,
                         "item declares %u bytes, only %" G_GSIZE_FORMAT " remain", l, end - pos);
          gsize item_end = pos + l;
          if (!scan_elements (pos, item_end, enc, depth, false))
            return false;
          pos = item_end;
        }
    }
  return true;
}

bool
Scanner::scan_elements (gsize &pos, gsize end, Enc enc, guint depth, bool until_item_delim)
{
  while (pos < end)
    {
      if (end - pos < 8)
        return fail (LB_DICOM_ERROR_MALFORMED, "element header truncated at byte %" G_GSIZE_FORMAT, pos);
      guint16 g = u16 (pos, enc), e = u16 (pos + 2, enc);
      if (g == 0xfffe)
        {
          if (e == 0xe00d && until_item_delim)
            {
              pos += 8;
              return true;
            }
          return fail (LB_DICOM_ERROR_MALFORMED, "stray delimiter (fffe,%04x)", e);
        }

      Enc value_enc = enc;
      bool is_sequence = false;
      bool ob_or_ow = false;
      guint32 l;
      if (enc == Enc::ImplicitLE)
        {
          l = u32 (pos + 4, enc);
          pos += 8;
        }
      else
        {
          char vr[2] = { (char) data[pos + 4], (char) data[pos + 5] };
          if (!g_ascii_isupper (vr[0]) || !g_ascii_isupper (vr[1]))
            return fail (LB_DICOM_ERROR_MALFORMED, "invalid VR on element (%04x,%04x)", g, e);
          /* dcmtk reads a VR it does not know as UN with a 32-bit length
           * ("assuming 4 byte length field"); the scan must see the same
           * structure dcmtk will, or a lie could slip between the two. */
          bool unknown = !vr_is_short (vr) && !vr_has_long_length (vr);
          if (unknown || vr_has_long_length (vr))
            {
              if (end - pos < 12)
                return fail (LB_DICOM_ERROR_MALFORMED, "element header truncated");
              l = u32 (pos + 8, enc);
              pos += 12;
            }
          else
            {
              l = u16 (pos + 6, enc);
              pos += 8;
            }
          is_sequence = vr[0] == 'S' && vr[1] == 'Q';
          ob_or_ow = vr[0] == 'O' && (vr[1] == 'B' || vr[1] == 'W');
          /* PS3.5 6.2.2: an undefined-length UN is an implicit VR sequence. */
          if ((unknown || (vr[0] == 'U' && vr[1] == 'N')) && (l == kUndefined || dictionary_says_sequence (g, e)))
            {
              is_sequence = true;
              value_enc = Enc::ImplicitLE;
            }
        }

      if (l == kUndefined)
        {
          /* dcmtk reads any undefined-length OB/OW as encapsulated pixel
           * data (PS3.5 A.4), but an undefined-length UN or unknown VR, even
           * on Pixel Data, as an implicit VR sequence (CP-246); so must we
           * (found by fuzz-dicom). */
          if (ob_or_ow || (enc == Enc::ImplicitLE && g == 0x7fe0 && e == 0x0010))
            {
              if (!scan_fragments (pos, end, enc))
                return false;
            }
          else if (!scan_sequence (pos, end, value_enc, depth + 1, true))
            return false;
          continue;
        }
      if (l > end - pos)
        return fail (LB_DICOM_ERROR_MALFORMED,
                     "element (%04x,%04x) declares %u bytes, only %" G_GSIZE_FORMAT " remain",
                     g, e, l, end - pos);
      if (l > limits->max_element_bytes)
        return fail (LB_DICOM_ERROR_LIMIT, "element (%04x,%04x) of %u bytes exceeds the limit",
                     g, e, l);
      if (enc == Enc::ImplicitLE && l > 0 && dictionary_says_sequence (g, e))
        is_sequence = true;
      if (is_sequence)
        {
          gsize seq_end = pos + l;
          if (!scan_sequence (pos, seq_end, value_enc, depth + 1, false))
            return false;
          pos = seq_end;
        }
      else
        pos += l;
    }
  if (until_item_delim)
    return fail (LB_DICOM_ERROR_MALFORMED, "item without a delimiter");
  return true;
}

/* Reads the File Meta Information (always explicit VR little endian, PS3.10
 * 7.1) and returns the Transfer Syntax UID it names. */
bool
scan_meta (Scanner &s, gsize &pos, std::string &ts)
{
  /* dcmtk reads as meta information everything the File Meta Information
   * Group Length (0002,0000) covers, whatever the group; without one, it
   * stops at the first other group. Mirror that. */
  gsize meta_end = 0;
  if (s.len - pos >= 12 && s.u16 (pos, Enc::ExplicitLE) == 0x0002 && s.u16 (pos + 2, Enc::ExplicitLE) == 0x0000 &&
      s.data[pos + 4] == 'U' && s.data[pos + 5] == 'L' && s.u16 (pos + 6, Enc::ExplicitLE) == 4)
    meta_end = pos + 12 + s.u32 (pos + 8, Enc::ExplicitLE);
  while (s.len - pos >= 8 && (s.u16 (pos, Enc::ExplicitLE) == 0x0002 || pos < meta_end))
    {
      guint16 g = s.u16 (pos, Enc::ExplicitLE), e = s.u16 (pos + 2, Enc::ExplicitLE);
      char vr[2] = { (char) s.data[pos + 4], (char) s.data[pos + 5] };
      guint32 l;
      if (!g_ascii_isupper (vr[0]) || !g_ascii_isupper (vr[1]))
        return s.fail (LB_DICOM_ERROR_MALFORMED, "file meta information is not explicit VR");
      if (!vr_is_short (vr)) /* long VRs, and unknown ones as dcmtk reads them */
        {
          if (s.len - pos < 12)
            return s.fail (LB_DICOM_ERROR_MALFORMED, "file meta information truncated");
          l = s.u32 (pos + 8, Enc::ExplicitLE);
          pos += 12;
        }
      else
        {
          l = s.u16 (pos + 6, Enc::ExplicitLE);
          pos += 8;
        }
      if (l > s.len - pos)
        return s.fail (LB_DICOM_ERROR_MALFORMED,
                       "meta element (%04x,%04x) declares %u bytes, only %" G_GSIZE_FORMAT " remain",
                       g, e, l, s.len - pos);
      if (g == 0x0002 && e == 0x0010)
        {
          ts.assign ((const char *) s.data + pos, l);
          while (!ts.empty () && (ts.back () == '\0' || ts.back () == ' '))
            ts.pop_back ();
        }
      pos += l;
    }
  return true;
}

bool
inflate_dataset (Scanner &s, gsize pos, std::vector<guint8> &out)
{
  /* PS3.5 A.5: the dataset after the meta header is a raw deflate stream.
   * Inflate it in bounded steps so that a zip bomb stops at the limit. */
  z_stream zs;
  memset (&zs, 0, sizeof zs);
  if (inflateInit2 (&zs, -MAX_WBITS) != Z_OK)
    return s.fail (LB_DICOM_ERROR_MALFORMED, "cannot start inflating");
  zs.next_in = const_cast<Bytef *> (s.data + pos);
  zs.avail_in = (uInt) MIN (s.len - pos, (gsize) G_MAXUINT);
  int rc = Z_OK;
  while (rc != Z_STREAM_END)
    {
      gsize have = out.size ();
      if (have >= s.limits->max_object_bytes)
        {
          inflateEnd (&zs);
          return s.fail (LB_DICOM_ERROR_LIMIT, "deflated dataset inflates beyond the object limit");
        }
      out.resize (have + 1024 * 1024);
      zs.next_out = out.data () + have;
      zs.avail_out = 1024 * 1024;
      rc = inflate (&zs, Z_NO_FLUSH);
      out.resize (have + (1024 * 1024 - zs.avail_out));
      if (rc == Z_BUF_ERROR && zs.avail_in == 0)
        break; /* truncated stream: scan what we have, dcmtk will complain too */
      if (rc != Z_OK && rc != Z_STREAM_END)
        {
          inflateEnd (&zs);
          return s.fail (LB_DICOM_ERROR_MALFORMED, "deflated dataset is corrupt");
        }
    }
  inflateEnd (&zs);
  return true;
}

} // namespace

gboolean
lb_dicom_prescan (const guint8         *data,
                  gsize                 len,
                  const LbDicomLimits  *limits,
                  GError              **error)
{
  Scanner s { data, len, limits, error };
  gsize pos = 0;
  Enc enc;

  if (len == 0)
    return s.fail (LB_DICOM_ERROR_NOT_DICOM, "empty input");
  if (len > limits->max_object_bytes)
    return s.fail (LB_DICOM_ERROR_LIMIT, "object of %" G_GSIZE_FORMAT " bytes exceeds the limit", len);

  if (len >= 132 && memcmp (data + 128, "DICM", 4) == 0)
    {
      /* PS3.10 7.1: 128-byte preamble, "DICM", then the meta group. */
      std::string ts;
      pos = 132;
      if (!scan_meta (s, pos, ts))
        return FALSE;
      if (ts == UID_LittleEndianImplicitTransferSyntax)
        enc = Enc::ImplicitLE;
      else if (ts == UID_BigEndianExplicitTransferSyntax)
        enc = Enc::ExplicitBE;
      else if (ts == UID_DeflatedExplicitVRLittleEndianTransferSyntax)
        {
          std::vector<guint8> inflated;
          if (!inflate_dataset (s, pos, inflated))
            return FALSE;
          Scanner inner { inflated.data (), inflated.size (), limits, error };
          gsize ipos = 0;
          return inner.scan_elements (ipos, inflated.size (), Enc::ExplicitLE, 0, false);
        }
      else
        enc = Enc::ExplicitLE;
    }
  else
    {
      /* A bare dataset: guess the encoding from the first element, as dcmtk
       * does. Its group must be a plausible first group of a dataset, which
       * also rejects random bytes and a preamble without "DICM". */
      if (len < 8)
        return s.fail (LB_DICOM_ERROR_NOT_DICOM, "too short to be DICOM");
      guint16 g = s.u16 (0, Enc::ExplicitLE);
      if (g < 0x0002 || g > 0x0010 || (g & 1) != 0)
        return s.fail (LB_DICOM_ERROR_NOT_DICOM, "no DICOM preamble and no dataset found");
      enc = g_ascii_isupper (data[4]) && g_ascii_isupper (data[5]) ? Enc::ExplicitLE
                                                                     : Enc::ImplicitLE;
    }
  return s.scan_elements (pos, len, enc, 0, false);
}
