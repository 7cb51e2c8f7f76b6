/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Wrapping a patient's photo as a VL Photographic Image (PS3.3 A.32.4).
 *
 * JPEG: the entropy-coded data is kept as it is (transfer syntax JPEG
 * Baseline, PS3.5 A.4.1): a re-encode would add a second generation of
 * loss to a clinical image. Only metadata segments that can identify or
 * locate the patient (EXIF with GPS, XMP, IPTC, comments) are dropped, and
 * an EXIF orientation other than "upright" is applied with libjpeg-turbo's
 * lossless DCT-domain transform. PNG becomes uncompressed RGB.
 */
#include "lb-config.h"
/* Taken before dcmtk's osconfig.h redefines PACKAGE_VERSION as its own. */
static const char kLightboxVersion[] = "Lightbox " PACKAGE_VERSION;
#include "lb-dicom-private.h"

#include <png.h>
#include <string.h>
#include <turbojpeg.h>
#include <zlib.h>

#include <algorithm>
#include <map>

namespace {

/* Lightbox's private coding scheme for the patient-generated marker
 * (DESIGN.md); "99" designators are private by PS3.16 8.2 convention. */
constexpr const char *kScheme = "99LBX";
constexpr const char *kVlPhoto = UID_VLPhotographicImageStorage;

bool
fail (GError **error, int code, const char *format, ...) G_GNUC_PRINTF (3, 4);

bool
fail (GError **error, int code, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  if (error != nullptr && *error == nullptr)
    *error = g_error_new_valist (LB_DICOM_ERROR, code, format, args);
  va_end (args);
  return false;
}

/* ---- JPEG markers and EXIF ------------------------------------------- */

struct Segment {
  guint8 marker;
  gsize start; /* offset of the 0xFF */
  gsize end;   /* one past the segment */
};

struct JpegInfo {
  std::vector<Segment> segments; /* everything before the first SOS */
  gsize scan_start = 0;          /* offset of the first SOS marker */
  guint8 sof = 0;
  guint precision = 0, width = 0, height = 0, components = 0;
  bool subsampled = false;
  bool adobe_rgb = false;
  int orientation = 1;
  std::string datetime_original; /* "YYYY:MM:DD HH:MM:SS" */
  std::vector<guint8> icc;
};

guint16
be16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

struct Tiff {
  const guint8 *p;
  gsize len;
  bool le;
  guint16 u16 (gsize o) const { return le ? (guint16) (p[o] | (p[o + 1] << 8)) : be16 (p + o); }
  guint32 u32 (gsize o) const
  {
    return le ? p[o] | ((guint32) p[o + 1] << 8) | ((guint32) p[o + 2] << 16) | ((guint32) p[o + 3] << 24)
              : ((guint32) p[o] << 24) | ((guint32) p[o + 1] << 16) | ((guint32) p[o + 2] << 8) | p[o + 3];
  }
};

/* Walks one IFD (TIFF 6.0 section 2), bounds-checked. */
template <typename F>
void
walk_ifd (const Tiff &t, guint32 offset, F &&visit)
{
  if (offset < 8 || (gsize) offset + 2 > t.len)
    return;
  guint n = t.u16 (offset);
  for (guint i = 0; i < n && i < 1000; i++)
    {
      gsize e = offset + 2 + (gsize) i * 12;
      if (e + 12 > t.len)
        return;
      visit (t.u16 (e), t.u16 (e + 2), t.u32 (e + 4), e + 8);
    }
}

void
parse_exif (const guint8 *p, gsize len, JpegInfo &info)
{
  if (len < 14 || memcmp (p, "Exif\0\0", 6) != 0)
    return;
  Tiff t { p + 6, len - 6, p[6] == 'I' };
  if (!(memcmp (t.p, "II*\0", 4) == 0 || memcmp (t.p, "MM\0*", 4) == 0))
    return;
  guint32 exif_ifd = 0;
  walk_ifd (t, t.u32 (4), [&] (guint16 tag, guint16 type, guint32 count, gsize value) {
    if (tag == 0x0112 && type == 3) /* Orientation, SHORT */
      info.orientation = t.u16 (value);
    else if (tag == 0x8769) /* Exif IFD pointer */
      exif_ifd = t.u32 (value);
  });
  walk_ifd (t, exif_ifd, [&] (guint16 tag, guint16 type, guint32 count, gsize value) {
    if (tag == 0x9003 && type == 2 && count >= 19) /* DateTimeOriginal, ASCII */
      {
        guint32 off = t.u32 (value);
        if ((gsize) off + 19 <= t.len)
          info.datetime_original.assign ((const char *) t.p + off, 19);
      }
  });
}

bool
parse_jpeg (const guint8 *d, gsize len, JpegInfo &info, GError **error)
{
  if (len < 4 || d[0] != 0xff || d[1] != 0xd8)
    return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "not a JPEG file");
  std::map<int, std::vector<guint8>> icc_chunks;
  int icc_count = 0;
  gsize pos = 2;
  while (true)
    {
      while (pos < len && d[pos] == 0xff && pos + 1 < len && d[pos + 1] == 0xff)
        pos++; /* fill bytes, ITU-T T.81 B.1.1.2 */
      if (pos + 4 > len || d[pos] != 0xff)
        return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "JPEG marker structure is broken");
      guint8 m = d[pos + 1];
      if (m == 0xda)
        {
          info.scan_start = pos;
          break;
        }
      if (m == 0xd9)
        return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "JPEG has no image data");
      gsize seg_len = be16 (d + pos + 2);
      if (seg_len < 2 || pos + 2 + seg_len > len)
        return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "JPEG segment overruns the file");
      const guint8 *body = d + pos + 4;
      gsize body_len = seg_len - 2;
      info.segments.push_back ({ m, pos, pos + 2 + seg_len });

      if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc)
        {
          if (body_len < 6)
            return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "short JPEG frame header");
          info.sof = m;
          info.precision = body[0];
          info.height = be16 (body + 1);
          info.width = be16 (body + 3);
          info.components = body[5];
          if (body_len < 6 + 3 * (gsize) info.components)
            return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "short JPEG frame header");
          for (guint c = 1; c < info.components; c++)
            if (body[6 + 3 * c + 1] != body[6 + 1])
              info.subsampled = true;
        }
      else if (m == 0xe1)
        parse_exif (body, body_len, info);
      else if (m == 0xe2 && body_len > 14 && memcmp (body, "ICC_PROFILE\0", 12) == 0)
        {
          /* ICC.1 B.4: profile split over APP2 chunks, 1-based sequence. */
          icc_count = body[13];
          icc_chunks[body[12]].assign (body + 14, body + body_len);
        }
      else if (m == 0xee && body_len >= 12 && memcmp (body, "Adobe", 5) == 0)
        info.adobe_rgb = body[11] == 0;
      pos += 2 + seg_len;
    }
  if (info.sof == 0)
    return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "JPEG has no frame header");
  if (icc_count > 0 && (int) icc_chunks.size () == icc_count &&
      icc_chunks.begin ()->first == 1 && icc_chunks.rbegin ()->first == icc_count)
    for (auto &kv : icc_chunks)
      info.icc.insert (info.icc.end (), kv.second.begin (), kv.second.end ());
  return true;
}

/* Segments that may identify or locate the patient: APP1 (EXIF with GPS,
 * XMP), APP13 (IPTC), COM. Everything else, tables included, is kept. */
bool
is_private_segment (guint8 marker)
{
  return marker == 0xe1 || marker == 0xed || marker == 0xfe;
}

bool
jpeg_transform (const guint8 *d, gsize len, int op, std::vector<guint8> &out, GError **error)
{
  tjhandle tj = tjInitTransform ();
  if (tj == nullptr)
    return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "cannot start libjpeg-turbo");
  unsigned char *dst = nullptr;
  unsigned long dst_len = 0;
  tjtransform xf;
  memset (&xf, 0, sizeof xf);
  xf.op = op;
  /* COPYNONE: the output carries no EXIF (its orientation would now be
   * wrong, and it may hold GPS). PERFECT first: refuse to drop the partial
   * edge blocks; if the size forbids it, TRIM drops less than one block. */
  xf.options = TJXOPT_COPYNONE | TJXOPT_PERFECT;
  int rc = tjTransform (tj, d, (unsigned long) len, 1, &dst, &dst_len, &xf, 0);
  if (rc != 0)
    {
      xf.options = TJXOPT_COPYNONE | TJXOPT_TRIM;
      rc = tjTransform (tj, d, (unsigned long) len, 1, &dst, &dst_len, &xf, 0);
    }
  if (rc != 0)
    {
      fail (error, LB_DICOM_ERROR_BAD_IMAGE, "cannot transform the JPEG: %s", tjGetErrorStr2 (tj));
      tjFree (dst);
      tjDestroy (tj);
      return false;
    }
  out.assign (dst, dst + dst_len);
  tjFree (dst);
  tjDestroy (tj);
  return true;
}

/* ---- PNG ---------------------------------------------------------- */

bool
png_icc (const guint8 *d, gsize len, std::vector<guint8> &icc)
{
  /* PNG 1.2 section 4.2.2.4: iCCP = name, NUL, method 0, zlib stream. */
  gsize pos = 8;
  while (pos + 12 <= len)
    {
      guint32 n = ((guint32) d[pos] << 24) | ((guint32) d[pos + 1] << 16) | ((guint32) d[pos + 2] << 8) | d[pos + 3];
      if (n > len - pos - 12)
        return false;
      const guint8 *type = d + pos + 4, *body = d + pos + 8;
      if (memcmp (type, "IDAT", 4) == 0)
        return false;
      if (memcmp (type, "iCCP", 4) == 0)
        {
          const guint8 *nul = (const guint8 *) memchr (body, 0, MIN (n, 80u));
          if (nul == nullptr || (gsize) (nul - body) + 2 > n)
            return false;
          gsize zoff = (nul - body) + 2;
          z_stream zs;
          memset (&zs, 0, sizeof zs);
          if (inflateInit (&zs) != Z_OK)
            return false;
          zs.next_in = const_cast<Bytef *> (body + zoff);
          zs.avail_in = (uInt) (n - zoff);
          icc.resize (16 * 1024 * 1024); /* ICC profiles are far smaller */
          zs.next_out = icc.data ();
          zs.avail_out = (uInt) icc.size ();
          int rc = inflate (&zs, Z_FINISH);
          icc.resize (zs.total_out);
          inflateEnd (&zs);
          if (rc != Z_STREAM_END)
            icc.clear ();
          return !icc.empty ();
        }
      pos += 12 + n;
    }
  return false;
}

bool
read_png (const guint8 *d, gsize len, const LbDicomLimits &limits, std::vector<guint8> &rgb,
          guint &width, guint &height, GError **error)
{
  png_image img;
  memset (&img, 0, sizeof img);
  img.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory (&img, d, len))
    return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "not a usable PNG: %s", img.message);
  if ((guint64) img.width * img.height > limits.max_pixels || img.width > 65535 || img.height > 65535)
    {
      png_image_free (&img);
      return fail (error, LB_DICOM_ERROR_LIMIT, "PNG of %u × %u pixels exceeds the limits", img.width, img.height);
    }
  /* Alpha is composited onto white: a photo shown on paper-white. */
  img.format = PNG_FORMAT_RGB;
  png_color white = { 255, 255, 255 };
  rgb.resize ((gsize) PNG_IMAGE_SIZE (img));
  if (!png_image_finish_read (&img, &white, rgb.data (), 0, nullptr))
    {
      png_image_free (&img);
      return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "cannot decode the PNG: %s", img.message);
    }
  width = img.width;
  height = img.height;
  return true;
}

/* ---- UIDs ---------------------------------------------------------- */

std::string
uuid_uid ()
{
  /* PS3.5 B.2: "2.25." followed by the UUID as one unsigned decimal. */
  g_autofree char *uuid = g_uuid_string_random ();
  unsigned __int128 v = 0;
  for (const char *c = uuid; *c; c++)
    if (g_ascii_isxdigit (*c))
      v = (v << 4) | (unsigned) g_ascii_xdigit_value (*c);
  char digits[48];
  int n = 0;
  do
    {
      digits[n++] = (char) ('0' + (int) (v % 10));
      v /= 10;
    }
  while (v != 0);
  std::string out = "2.25.";
  while (n > 0)
    out += digits[--n];
  return out;
}

bool
valid_uid (const std::string &uid)
{
  if (uid.empty () || uid.size () > 64 || uid.front () == '.' || uid.back () == '.')
    return false;
  for (size_t i = 0; i < uid.size (); i++)
    {
      char c = uid[i];
      if (c == '.')
        {
          if (uid[i + 1] == '.')
            return false;
        }
      else if (!g_ascii_isdigit (c) || (c == '0' && (i == 0 || uid[i - 1] == '.') && i + 1 < uid.size () && uid[i + 1] != '.'))
        return false;
    }
  return true;
}

/* root . microseconds since 1970 . 31 random bits: unique across calls and
 * processes without shared state, and within the 64-character limit of
 * PS3.5 9.1 for any root up to 30 characters. */
std::string
make_uid (const char *root)
{
  if (root == nullptr || root[0] == '\0')
    return uuid_uid ();
  g_autofree char *s = g_strdup_printf ("%s.%" G_GINT64_FORMAT ".%u", root, g_get_real_time (),
                                        g_random_int () & 0x7fffffff);
  return s;
}

/* ---- Body parts ------------------------------------------------------ */

struct BodyPart {
  const char *term;    /* Body Part Examined defined term, PS3.16 Annex L */
  const char *code;    /* SNOMED CT concept in CID 4031 */
  const char *meaning;
};

const BodyPart kBodyParts[] = {
  { "ABDOMEN", "113345001", "Abdomen" },   { "ANKLE", "70258002", "Ankle joint" },
  { "BREAST", "76752008", "Breast" },      { "CHEST", "51185008", "Chest" },
  { "ELBOW", "16953009", "Elbow joint" },  { "EXTREMITY", "66019005", "Extremity" },
  { "EYE", "81745001", "Eye" },            { "FINGER", "7569003", "Finger" },
  { "FOOT", "56459004", "Foot" },          { "FOREARM", "14975008", "Forearm" },
  { "HAND", "85562004", "Hand" },          { "HEAD", "69536005", "Head" },
  { "HIP", "29836001", "Hip joint" },      { "JAW", "661005", "Jaw region" },
  { "KNEE", "72696002", "Knee" },          { "LEG", "30021000", "Lower leg" },
  { "LOWEXM", "61685007", "Lower limb" },  { "NECK", "45048000", "Neck" },
  { "PELVIS", "12921003", "Pelvis" },      { "SHOULDER", "16982005", "Shoulder" },
  { "THIGH", "68367000", "Thigh" },        { "THUMB", "76505004", "Thumb" },
  { "TOE", "29707007", "Toe" },            { "UPRARM", "40983000", "Upper arm" },
  { "ARM", "40983000", "Upper arm" },      { "UPREXM", "53120007", "Upper limb" },
  { "WRIST", "74670003", "Wrist joint" }, { "BACK", "77568009", "Back" },
  { "EAR", "117590005", "Ear" },
};

/* Body parts without a left and right: for them Laterality (0020,0060)
 * must be absent rather than empty (PS3.3 C.7.3.1, 2C; dciodvfy checks). */
bool
unpaired_body_part (const char *term)
{
  static const char *const unpaired[] = { "ABDOMEN", "BACK", "CHEST", "HEAD", "JAW", "NECK", "PELVIS" };
  for (const char *u : unpaired)
    if (term != nullptr && g_str_equal (term, u))
      return true;
  return false;
}

/* ---- Dataset ------------------------------------------------------- */

void
put (DcmItem *item, const DcmTagKey &key, const char *value)
{
  OFCondition c = item->putAndInsertString (key, value ? value : "");
  if (c.bad ())
    throw std::runtime_error (c.text ());
}

void
put_code (DcmItem *item, const DcmTagKey &seq, const char *value, const char *scheme, const char *meaning)
{
  DcmItem *code = nullptr;
  if (item->findOrCreateSequenceItem (seq, code, -2).bad () || code == nullptr)
    throw std::runtime_error ("cannot create a code item");
  put (code, DCM_CodeValue, value);
  put (code, DCM_CodingSchemeDesignator, scheme);
  put (code, DCM_CodeMeaning, meaning);
}

/* ---- Dates, times, short texts (PS3.5 6.2) ------------------------- */

bool
all_digits (const char *s, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return false;
  return true;
}

int
num (const char *s, gsize n)
{
  int v = 0;
  for (gsize i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

/* DA: YYYYMMDD, a real calendar date. */
bool
valid_da (const char *s)
{
  return strlen (s) == 8 && all_digits (s, 8) && num (s, 4) > 0 &&
         g_date_valid_dmy ((GDateDay) num (s + 6, 2), (GDateMonth) num (s + 4, 2), (GDateYear) num (s, 4));
}

/* "HHMMSS" then an optional ".F" … ".FFFFFF"; returns the length used, 0 if invalid. */
gsize
tm_prefix (const char *s)
{
  if (!all_digits (s, 6) || strlen (s) < 6 || num (s, 2) > 23 || num (s + 2, 2) > 59 || num (s + 4, 2) > 60)
    return 0;
  gsize n = 6;
  if (s[n] == '.')
    {
      gsize f = 0;
      while (f < 6 && g_ascii_isdigit (s[n + 1 + f]))
        f++;
      if (f == 0)
        return 0;
      n += 1 + f;
    }
  return n;
}

/* TM: HHMMSS[.FFFFFF] (the full form: the demo and the app give seconds). */
bool
valid_tm (const char *s)
{
  gsize n = tm_prefix (s);
  return n > 0 && s[n] == '\0';
}

/* Timezone offset "&ZZXX" (PS3.5 6.2, Timezone Offset From UTC). */
bool
valid_tz (const char *s)
{
  return strlen (s) == 5 && (s[0] == '+' || s[0] == '-') && all_digits (s + 1, 4) &&
         num (s + 1, 2) <= 14 && num (s + 3, 2) <= 59;
}

/* DT: YYYYMMDDHHMMSS[.FFFFFF][&ZZXX]. */
bool
valid_dt (const char *s)
{
  if (strlen (s) < 14)
    return false;
  char date[9];
  memcpy (date, s, 8);
  date[8] = '\0';
  if (!valid_da (date))
    return false;
  gsize n = tm_prefix (s + 8);
  if (n == 0)
    return false;
  const char *rest = s + 8 + n;
  return *rest == '\0' || valid_tz (rest);
}

/* SH / LO: UTF-8, no backslash (the value separator), no control characters. */
bool
valid_text (const char *s, glong max_chars)
{
  if (!g_utf8_validate (s, -1, nullptr) || g_utf8_strlen (s, -1) > max_chars)
    return false;
  for (const char *c = s; *c; c++)
    if (*c == '\\' || (guchar) *c < 0x20 || *c == 0x7f)
      return false;
  return true;
}

bool
check_options (const LbWrapOptions *o, GError **error)
{
  if (o->patient_id == nullptr || o->patient_id[0] == '\0' || strlen (o->patient_id) > 64)
    return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "a patient ID (at most 64 characters) is required");
  if (o->patient_name == nullptr || o->patient_name[0] == '\0')
    return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "a patient name is required");
  if (o->laterality != nullptr && o->laterality[0] != '\0' &&
      !(strlen (o->laterality) == 1 && strchr ("LRBU", o->laterality[0]) != nullptr))
    return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "laterality must be L, R, B or U");
  if (o->body_part != nullptr)
    {
      gsize n = strlen (o->body_part);
      if (n > 16)
        return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "body part “%s” is longer than a CS value allows", o->body_part);
      for (const char *c = o->body_part; *c; c++)
        if (!(g_ascii_isupper (*c) || g_ascii_isdigit (*c) || *c == '_' || *c == ' '))
          return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "body part must be a defined term like HAND (upper case)");
    }
  for (const char *uid : { o->study_uid, o->series_uid, o->sop_instance_uid })
    if (uid != nullptr && !valid_uid (uid))
      return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "“%s” is not a valid UID", uid);
  if (o->uid_root != nullptr && (!valid_uid (o->uid_root) || strlen (o->uid_root) > 30))
    return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "UID root “%s” is not a valid UID of at most 30 characters", o->uid_root);
  if (o->series_number > G_MAXINT32 || o->instance_number > G_MAXINT32)
    return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "series and instance numbers must be below 2³¹");
  struct { const char *value; bool (*ok) (const char *); const char *what; } dates[] = {
    { o->content_date, valid_da, "content date (YYYYMMDD)" },
    { o->creation_date, valid_da, "instance creation date (YYYYMMDD)" },
    { o->content_time, valid_tm, "content time (HHMMSS[.FFFFFF])" },
    { o->creation_time, valid_tm, "instance creation time (HHMMSS[.FFFFFF])" },
    { o->acquisition_datetime, valid_dt, "acquisition date-time (YYYYMMDDHHMMSS[.FFFFFF][+HHMM])" },
    { o->timezone_offset, valid_tz, "timezone offset (+HHMM or -HHMM)" },
  };
  for (const auto &d : dates)
    if (d.value != nullptr && !d.ok (d.value))
      return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "“%s” is not a valid %s", d.value, d.what);
  struct { const char *value; glong max; const char *what; } texts[] = {
    { o->study_id, 16, "study ID" },
    { o->manufacturer, 64, "manufacturer" },
    { o->model_name, 64, "model name" },
    { o->device_software, 64, "device software" },
    { o->issuer_of_patient_id, 64, "issuer of patient ID" },
  };
  for (const auto &t : texts)
    if (t.value != nullptr && !valid_text (t.value, t.max))
      return fail (error, LB_DICOM_ERROR_BAD_IMAGE,
                   "the %s must be UTF-8 text of at most %ld characters without “\\” or control characters",
                   t.what, t.max);
  return true;
}

struct Pixels {
  bool jpeg = false;
  std::vector<guint8> data;
  guint width = 0, height = 0, samples = 3;
  std::string photometric;
  std::string acquisition; /* YYYYMMDDHHMMSS or "" */
  std::vector<guint8> icc;
  gsize original_size = 0;
};

/* Fills the modules of PS3.3 A.32.4 that do not depend on the pixels. */
void
fill_common (DcmDataset *ds, const LbWrapOptions *o, const char *sop_class, const char *modality,
             const std::string &exif_acq)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y%m%d");
  g_autofree char *time_now = g_date_time_format (now, "%H%M%S");
  /* The caller's acquisition date-time wins over the photo's EXIF one. */
  const std::string acq = o->acquisition_datetime ? o->acquisition_datetime : exif_acq;
  std::string acq_date = acq.size () >= 8 ? acq.substr (0, 8) : "";
  std::string acq_time = acq.size () >= 14 ? acq.substr (8, tm_prefix (acq.c_str () + 8)) : "";
  const char *root = o->uid_root;

  /* PS3.5 6.1.2.5.3: ISO_IR 192 is UTF-8, so any name can be stored. */
  put (ds, DCM_SpecificCharacterSet, "ISO_IR 192");
  put (ds, DCM_SOPClassUID, sop_class);
  put (ds, DCM_SOPInstanceUID, o->sop_instance_uid ? o->sop_instance_uid : make_uid (root).c_str ());
  put (ds, DCM_InstanceCreationDate, o->creation_date ? o->creation_date : today);
  put (ds, DCM_InstanceCreationTime, o->creation_time ? o->creation_time : time_now);
  if (o->timezone_offset != nullptr)
    put (ds, DCM_TimezoneOffsetFromUTC, o->timezone_offset);

  /* Patient (C.7.1.1) */
  put (ds, DCM_PatientName, o->patient_name);
  put (ds, DCM_PatientID, o->patient_id);
  if (o->issuer_of_patient_id != nullptr)
    put (ds, DCM_IssuerOfPatientID, o->issuer_of_patient_id);
  put (ds, DCM_PatientBirthDate, o->patient_birth_date);
  put (ds, DCM_PatientSex, o->patient_sex);
  if (o->patient_comments != nullptr)
    put (ds, DCM_PatientComments, o->patient_comments);

  /* General Study (C.7.2.1): a new study takes the photo's date. */
  bool new_study = o->study_uid == nullptr;
  put (ds, DCM_StudyInstanceUID, new_study ? make_uid (root).c_str () : o->study_uid);
  const char *study_date = o->study_date ? o->study_date : new_study ? (acq_date.empty () ? today : acq_date.c_str ()) : "";
  const char *study_time = o->study_time ? o->study_time : new_study ? (acq_time.empty () ? time_now : acq_time.c_str ()) : "";
  put (ds, DCM_StudyDate, study_date);
  put (ds, DCM_StudyTime, study_time);
  put (ds, DCM_ReferringPhysicianName, "");
  put (ds, DCM_StudyID, o->study_id);
  put (ds, DCM_AccessionNumber, o->accession_number);
  if (o->study_description != nullptr)
    put (ds, DCM_StudyDescription, o->study_description);

  /* General Series (C.7.3.1) */
  put (ds, DCM_Modality, modality);
  put (ds, DCM_SeriesInstanceUID, o->series_uid ? o->series_uid : make_uid (root).c_str ());
  g_autofree char *series_number = g_strdup_printf ("%u", o->series_number ? o->series_number : 1);
  put (ds, DCM_SeriesNumber, series_number);
  if (o->series_description != nullptr)
    put (ds, DCM_SeriesDescription, o->series_description);
  if (o->body_part != nullptr && o->body_part[0] != '\0')
    put (ds, DCM_BodyPartExamined, o->body_part);

  /* General Equipment (C.7.5.1): the phone, when the caller knows it
   * (type 2, so empty otherwise); Software Versions names the device's
   * software first, then Lightbox, which made the object. */
  put (ds, DCM_Manufacturer, o->manufacturer);
  if (o->model_name != nullptr)
    put (ds, DCM_ManufacturerModelName, o->model_name);
  std::string software = kLightboxVersion;
  if (o->device_software != nullptr && o->device_software[0] != '\0')
    software = std::string (o->device_software) + "\\" + software;
  put (ds, DCM_SoftwareVersions, software.c_str ());

  /* General Image (C.7.6.1) and General Acquisition (C.7.10.1) */
  g_autofree char *instance_number = g_strdup_printf ("%u", o->instance_number ? o->instance_number : 1);
  put (ds, DCM_InstanceNumber, instance_number);
  put (ds, DCM_PatientOrientation, "");
  put (ds, DCM_ContentDate, o->content_date ? o->content_date : acq_date.empty () ? today : acq_date.c_str ());
  put (ds, DCM_ContentTime, o->content_time ? o->content_time : acq_time.empty () ? time_now : acq_time.c_str ());
  if (!acq.empty ())
    {
      put (ds, DCM_AcquisitionDateTime, acq.c_str ());
      put (ds, DCM_AcquisitionDate, acq_date.c_str ());
      put (ds, DCM_AcquisitionTime, acq_time.c_str ());
    }
  /* PS3.3 C.7.3.1: Laterality (2C) may only be left out when Image
   * Laterality is present or the body part is not paired; unknown
   * laterality is an empty value. */
  if (o->laterality != nullptr && o->laterality[0] != '\0')
    put (ds, DCM_ImageLaterality, o->laterality);
  else if (!unpaired_body_part (o->body_part))
    put (ds, DCM_Laterality, "");
  if (o->image_comments != nullptr)
    put (ds, DCM_ImageComments, o->image_comments);
}

void
fill_vl_photo (DcmDataset *ds, const LbWrapOptions *o)
{
  /* VL Image (C.8.12.1) */
  put (ds, DCM_ImageType, "ORIGINAL\\PRIMARY");

  /* Anatomic Region Sequence (C.8.12.1, CID 4031) when the term is known;
   * it is 1C, so absent (not empty) otherwise. */
  if (o->body_part != nullptr)
    for (const BodyPart &bp : kBodyParts)
      if (g_str_equal (bp.term, o->body_part))
        {
          put_code (ds, DCM_AnatomicRegionSequence, bp.code, "SCT", bp.meaning);
          break;
        }

  /* Acquisition Context (C.7.6.14). DICOM has no concept for "taken by the
   * patient", so the item asks Lightbox's private question (PGHD, 99LBX,
   * "Patient-generated image") and answers it with SNOMED's "Yes". */
  DcmItem *ctx = nullptr;
  if (ds->findOrCreateSequenceItem (DCM_AcquisitionContextSequence, ctx, -2).bad () || ctx == nullptr)
    throw std::runtime_error ("cannot create the acquisition context");
  put (ctx, DCM_ValueType, "CODE");
  put_code (ctx, DCM_ConceptNameCodeSequence, "PGHD", kScheme, "Patient-generated image");
  put_code (ctx, DCM_ConceptCodeSequence, "373066001", "SCT", "Yes");

  /* SOP Common (C.12.1): identify the private coding scheme. */
  DcmItem *scheme = nullptr;
  if (ds->findOrCreateSequenceItem (DCM_CodingSchemeIdentificationSequence, scheme, -2).good () && scheme)
    {
      put (scheme, DCM_CodingSchemeDesignator, kScheme);
      put (scheme, DCM_CodingSchemeName, "Lightbox local codes");
      put (scheme, DCM_CodingSchemeResponsibleOrganization, "Lightbox project");
    }
}

void
fill_pixel_module (DcmDataset *ds, guint width, guint height, guint samples, guint bits,
                   const char *photometric)
{
  ds->putAndInsertUint16 (DCM_SamplesPerPixel, (Uint16) samples);
  put (ds, DCM_PhotometricInterpretation, photometric);
  if (samples == 3)
    ds->putAndInsertUint16 (DCM_PlanarConfiguration, 0);
  ds->putAndInsertUint16 (DCM_Rows, (Uint16) height);
  ds->putAndInsertUint16 (DCM_Columns, (Uint16) width);
  ds->putAndInsertUint16 (DCM_BitsAllocated, bits > 8 ? 16 : 8);
  ds->putAndInsertUint16 (DCM_BitsStored, (Uint16) bits);
  ds->putAndInsertUint16 (DCM_HighBit, (Uint16) (bits - 1));
  ds->putAndInsertUint16 (DCM_PixelRepresentation, 0);
}

GBytes *
write_fileformat (DcmFileFormat &ff, E_TransferSyntax xfer, GError **error)
{
  /* Stream the file into memory in 1 MiB steps (dcmtk signals a full
   * buffer with EC_StreamNotifyClient). */
  GByteArray *out = g_byte_array_new ();
  std::vector<guint8> chunk (1024 * 1024);
  DcmOutputBufferStream stream (chunk.data (), (offile_off_t) chunk.size ());
  ff.transferInit ();
  OFCondition cond;
  do
    {
      cond = ff.write (stream, xfer, EET_ExplicitLength, nullptr);
      void *p = nullptr;
      offile_off_t n = 0;
      stream.flushBuffer (p, n);
      if (n > 0)
        g_byte_array_append (out, (const guint8 *) p, (guint) n);
    }
  while (cond == EC_StreamNotifyClient);
  ff.transferEnd ();
  if (cond.bad ())
    {
      g_byte_array_unref (out);
      fail (error, LB_DICOM_ERROR_IO, "cannot write the object: %s", cond.text ());
      return nullptr;
    }
  return g_byte_array_free_to_bytes (out);
}

bool
prepare_jpeg (const guint8 *d, gsize len, const LbDicomLimits &limits, Pixels &px, GError **error)
{
  JpegInfo info;
  if (!parse_jpeg (d, len, info, error))
    return false;
  if (info.precision != 8 || (info.components != 1 && info.components != 3))
    return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "only 8-bit grayscale or color JPEG photos can be wrapped");
  if (info.sof != 0xc0 && info.sof != 0xc1 && info.sof != 0xc2)
    return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "JPEG coding process 0x%02x cannot be kept losslessly", info.sof);
  if (info.width == 0 || info.height == 0 || (guint64) info.width * info.height > limits.max_pixels)
    return fail (error, LB_DICOM_ERROR_LIMIT, "JPEG of %u × %u pixels exceeds the limits", info.width, info.height);

  px.jpeg = true;
  px.width = info.width;
  px.height = info.height;
  px.samples = info.components;
  px.icc = info.icc;
  px.original_size = len;

  int orientation = info.orientation >= 1 && info.orientation <= 8 ? info.orientation : 1;
  if (orientation != 1 || info.sof != 0xc0)
    {
      /* EXIF 2.32 Orientation 2..8 → the transform that makes it upright.
       * The same lossless path turns extended/progressive into baseline,
       * the only lossy JPEG process VL Photographic images use here. */
      static const int ops[9] = { TJXOP_NONE, TJXOP_NONE, TJXOP_HFLIP, TJXOP_ROT180, TJXOP_VFLIP,
                                  TJXOP_TRANSPOSE, TJXOP_ROT90, TJXOP_TRANSVERSE, TJXOP_ROT270 };
      if (!jpeg_transform (d, len, ops[orientation], px.data, error))
        return false;
      JpegInfo out;
      if (!parse_jpeg (px.data.data (), px.data.size (), out, error))
        return false;
      px.width = out.width;
      px.height = out.height;
      info.subsampled = out.subsampled;
      info.adobe_rgb = out.adobe_rgb;
    }
  else
    {
      /* Keep the bytes; cut out only the privacy-relevant segments. */
      gsize pos = 0;
      for (const Segment &s : info.segments)
        if (is_private_segment (s.marker))
          {
            px.data.insert (px.data.end (), d + pos, d + s.start);
            pos = s.end;
          }
      px.data.insert (px.data.end (), d + pos, d + len);
    }

  /* PS3.5 8.2.1: baseline YCbCr is YBR_FULL_422 when the chroma is
   * subsampled and YBR_FULL when not; an Adobe "transform 0" stream is RGB. */
  if (px.samples == 1)
    px.photometric = "MONOCHROME2";
  else if (info.adobe_rgb)
    px.photometric = "RGB";
  else
    px.photometric = info.subsampled ? "YBR_FULL_422" : "YBR_FULL";

  const std::string &dt = info.datetime_original;
  if (dt.size () == 19 && g_ascii_isdigit (dt[0]) && dt[4] == ':' && dt[7] == ':')
    {
      std::string v = dt.substr (0, 4) + dt.substr (5, 2) + dt.substr (8, 2) + dt.substr (11, 2) +
                      dt.substr (14, 2) + dt.substr (17, 2);
      if (std::all_of (v.begin (), v.end (), [] (char c) { return g_ascii_isdigit (c); }) && v.compare (0, 4, "0000") != 0)
        px.acquisition = v;
    }
  return true;
}

GBytes *
wrap_photo (GBytes *photo, const LbWrapOptions *o, GError **error)
{
  LbDicomLimits limits;
  if (o->limits)
    limits = *o->limits;
  else
    lb_dicom_limits_init_default (&limits);
  if (!check_options (o, error))
    return nullptr;

  gsize len = 0;
  const guint8 *d = (const guint8 *) g_bytes_get_data (photo, &len);
  if (d == nullptr || len < 8)
    return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "the photo is empty"), nullptr;
  if (len > limits.max_object_bytes || len > G_MAXUINT32 - 16)
    return fail (error, LB_DICOM_ERROR_LIMIT, "the photo is too large"), nullptr;

  Pixels px;
  if (d[0] == 0xff && d[1] == 0xd8)
    {
      if (!prepare_jpeg (d, len, limits, px, error))
        return nullptr;
    }
  else if (memcmp (d, "\x89PNG\r\n\x1a\n", 8) == 0)
    {
      if (!read_png (d, len, limits, px.data, px.width, px.height, error))
        return nullptr;
      png_icc (d, len, px.icc);
      px.photometric = "RGB";
    }
  else
    return fail (error, LB_DICOM_ERROR_BAD_IMAGE, "the photo is neither JPEG nor PNG"), nullptr;
  if (px.width > 65535 || px.height > 65535)
    return fail (error, LB_DICOM_ERROR_LIMIT, "photo too large for Rows/Columns"), nullptr;

  lb_dicom_init_once ();
  DcmFileFormat ff;
  DcmDataset *ds = ff.getDataset ();
  fill_common (ds, o, kVlPhoto, "XC", px.acquisition);
  fill_vl_photo (ds, o);
  fill_pixel_module (ds, px.width, px.height, px.samples, 8, px.photometric.c_str ());
  if (!px.icc.empty ())
    ds->putAndInsertUint8Array (DCM_ICCProfile, px.icc.data (), (unsigned long) px.icc.size ());

  E_TransferSyntax xfer;
  if (px.jpeg)
    {
      /* PS3.3 C.7.6.1.1.5: the image has been lossy compressed (by the
       * phone), whatever we do now. */
      put (ds, DCM_LossyImageCompression, "01");
      double ratio = (double) px.width * px.height * px.samples / (double) px.data.size ();
      char r[32];
      g_ascii_formatd (r, sizeof r, "%.2f", ratio);
      put (ds, DCM_LossyImageCompressionRatio, r);
      put (ds, DCM_LossyImageCompressionMethod, "ISO_10918_1");

      /* PS3.5 A.4: an empty Basic Offset Table, then one fragment of even
       * length (a JPEG ending on an odd byte gets one 0x00 after EOI). */
      if (px.data.size () % 2)
        px.data.push_back (0);
      auto *seq = new DcmPixelSequence (DCM_PixelSequenceTag);
      seq->insert (new DcmPixelItem (DcmTag (DCM_Item, EVR_OB)));
      auto *frag = new DcmPixelItem (DcmTag (DCM_Item, EVR_OB));
      frag->putUint8Array (px.data.data (), (Uint32) px.data.size ());
      seq->insert (frag);
      auto *pixel = new DcmPixelData (DCM_PixelData);
      pixel->putOriginalRepresentation (EXS_JPEGProcess1, nullptr, seq);
      ds->insert (pixel, true);
      xfer = EXS_JPEGProcess1;
    }
  else
    {
      put (ds, DCM_LossyImageCompression, "00");
      ds->putAndInsertUint8Array (DCM_PixelData, px.data.data (), (unsigned long) px.data.size ());
      xfer = EXS_LittleEndianExplicit;
    }
  return write_fileformat (ff, xfer, error);
}

} // namespace

/**
 * lb_wrap_options_init:
 * @options: (out caller-allocates): options to reset
 *
 * Clears @options: every field unknown, UUID-derived UIDs, default limits.
 */
extern "C" void
lb_wrap_options_init (LbWrapOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
}

/**
 * lb_dicom_generate_uid:
 * @root: (nullable): an organisation's UID root, or %NULL
 *
 * Returns: (transfer full): "2.25.<UUID as decimal>" (PS3.5 B.2) without a
 *   root; "<root>.<µs since 1970>.<random>" with one
 */
extern "C" char *
lb_dicom_generate_uid (const char *root)
{
  try
    {
      return g_strdup (make_uid (root).c_str ());
    }
  catch (...)
    {
      return nullptr;
    }
}

/**
 * lb_dicom_wrap_photo:
 * @photo: a JPEG or PNG file's bytes
 * @options: patient and study data
 * @error: return location for a #GError
 *
 * Builds a VL Photographic Image Storage object (Modality XC) marked as
 * patient-generated. JPEG baseline stays byte-for-byte except for dropped
 * privacy segments (EXIF/GPS, XMP, IPTC, comments); an EXIF orientation is
 * applied losslessly; the ICC profile goes to (0028,2000). PNG is stored as
 * uncompressed RGB.
 *
 * Returns: (transfer full) (nullable): the Part-10 file's bytes
 */
extern "C" GBytes *
lb_dicom_wrap_photo (GBytes               *photo,
                     const LbWrapOptions  *options,
                     GError              **error)
{
  g_return_val_if_fail (photo != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  try
    {
      return wrap_photo (photo, options, error);
    }
  catch (const std::runtime_error &e)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_BAD_IMAGE, "cannot build the object: %s", e.what ());
      return nullptr;
    }
  LB_DICOM_CATCH (error, nullptr)
}

/**
 * lb_dicom_wrap_gray16:
 * @samples: @width × @height values, row-major, host byte order
 * @width: columns
 * @height: rows
 * @bits_stored: 9..16
 * @options: patient and study data
 * @error: return location for a #GError
 *
 * Builds an uncompressed Secondary Capture Image (MONOCHROME2, explicit VR
 * little endian).
 *
 * Returns: (transfer full) (nullable): the Part-10 file's bytes
 */
extern "C" GBytes *
lb_dicom_wrap_gray16 (const guint16        *samples,
                      guint                 width,
                      guint                 height,
                      guint                 bits_stored,
                      const LbWrapOptions  *options,
                      GError              **error)
{
  g_return_val_if_fail (samples != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (bits_stored >= 9 && bits_stored <= 16, NULL);

  try
    {
      if (!check_options (options, error))
        return nullptr;
      if (width == 0 || height == 0 || width > 65535 || height > 65535)
        return fail (error, LB_DICOM_ERROR_LIMIT, "bad image size"), nullptr;
      lb_dicom_init_once ();
      DcmFileFormat ff;
      DcmDataset *ds = ff.getDataset ();
      fill_common (ds, options, UID_SecondaryCaptureImageStorage, "OT", "");
      put (ds, DCM_ConversionType, "WSD");
      fill_pixel_module (ds, width, height, 1, bits_stored, "MONOCHROME2");
      ds->putAndInsertUint16Array (DCM_PixelData, samples, (unsigned long) width * height);
      return write_fileformat (ff, EXS_LittleEndianExplicit, error);
    }
  LB_DICOM_CATCH (error, nullptr)
}
