/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Presentation states: Grayscale Softcopy (PS3.3 A.33.1) for MONOCHROME
 * images and Color Softcopy (A.33.2) for color ones, built and read with
 * dcmdata directly. dcmpstat cannot do it for us: it refuses to create a
 * presentation state for an RGB image and does not read CSPS at all.
 */
#include "lb-config.h"
/* Taken before dcmtk's osconfig.h redefines PACKAGE_VERSION as its own. */
static const char kPrSoftwareVersion[] = "Lightbox " PACKAGE_VERSION;
#include "lb-dicom-private.h"

#include <dcmtk/dcmdata/dcuid.h>

#include <cmath>
#include <cstring>
#include <new>
#include <stdexcept>

namespace {

using lb::nz;
using lb::make_uid;
using lb::check;

/* Lightbox's UID root when the caller gives none (as for KOS). */

/* Number of Graphic Points is US: at most 65535 points per graphic, so the
 * reader needs no limit of its own there. */

struct BadInput : std::runtime_error
{
  using std::runtime_error::runtime_error;
};




void
put (DcmItem *item, const DcmTagKey &key, const char *value)
{
  check (item->putAndInsertString (key, nz (value)), DcmTag (key).getTagName ());
}

void
put_floats (DcmItem *item, const DcmTagKey &key, const double *values, unsigned long n)
{
  std::vector<Float32> f (n);
  for (unsigned long i = 0; i < n; i++)
    f[i] = (Float32) values[i];
  check (item->putAndInsertFloat32Array (key, f.data (), n), DcmTag (key).getTagName ());
}

DcmItem *
new_item (DcmItem *parent, const DcmTagKey &seq)
{
  DcmItem *item = nullptr;
  check (parent->findOrCreateSequenceItem (seq, item, -2), DcmTag (seq).getTagName ());
  return item;
}

std::string
get (DcmItem *item, const DcmTagKey &key, unsigned long pos = 0)
{
  OFString value;
  if (item->findAndGetOFString (key, value, pos).good ())
    return value.c_str ();
  return "";
}

std::string
get_all (DcmItem *item, const DcmTagKey &key)
{
  OFString value;
  if (item->findAndGetOFStringArray (key, value).good ())
    return value.c_str ();
  return "";
}

/* Formats a DS value: at most 16 characters (PS3.5 6.2). */
std::string
ds_string (double v)
{
  char buf[32];
  for (int digits = 10; digits > 0; digits--)
    {
      g_snprintf (buf, sizeof buf, "%.*g", digits, v);
      if (strlen (buf) <= 16)
        break;
    }
  /* The C locale is not guaranteed here: DS always uses a full stop. */
  for (char *p = buf; *p != '\0'; p++)
    if (*p == ',')
      *p = '.';
  return buf;
}

/* CS values: upper case letters, digits, space and underscore (PS3.5 6.2). */
gboolean
is_cs (const char *s, gsize max)
{
  if (s == nullptr || s[0] == '\0' || strlen (s) > max)
    return FALSE;
  for (const char *p = s; *p != '\0'; p++)
    if (!(g_ascii_isupper (*p) || g_ascii_isdigit (*p) || *p == ' ' || *p == '_'))
      return FALSE;
  return TRUE;
}

/* Content Label (C.11.10): a CS of at most 16 characters. */
std::string
make_content_label (const char *text)
{
  std::string out;
  for (const char *p = nz (text); *p != '\0' && out.size () < 16; p++)
    {
      char c = g_ascii_toupper (*p);
      if (g_ascii_isupper (c) || g_ascii_isdigit (c) || c == '_')
        out += c;
      else if ((c == ' ' || c == '-') && !out.empty () && out.back () != '_')
        out += '_';
    }
  while (!out.empty () && out.back () == '_')
    out.pop_back ();
  return out.empty () ? "ANNOTATIONS" : out;
}

const char *
graphic_type_name (LbPrGraphicType t)
{
  switch (t)
    {
    case LB_PR_GRAPHIC_POINT: return "POINT";
    case LB_PR_GRAPHIC_POLYLINE: return "POLYLINE";
    case LB_PR_GRAPHIC_INTERPOLATED: return "INTERPOLATED";
    case LB_PR_GRAPHIC_CIRCLE: return "CIRCLE";
    case LB_PR_GRAPHIC_ELLIPSE: return "ELLIPSE";
    default: throw BadInput ("unknown graphic type");
    }
}

gboolean
graphic_is_closed (const LbPrGraphic *g)
{
  if (g->type == LB_PR_GRAPHIC_CIRCLE || g->type == LB_PR_GRAPHIC_ELLIPSE)
    return TRUE;
  if ((g->type == LB_PR_GRAPHIC_POLYLINE || g->type == LB_PR_GRAPHIC_INTERPOLATED) && g->n_points > 2)
    return g->points[0] == g->points[2 * (g->n_points - 1)] &&
           g->points[1] == g->points[2 * (g->n_points - 1) + 1];
  return FALSE;
}

void
check_graphic (const LbPrGraphic *g)
{
  guint need = 0;
  switch (g->type)
    {
    case LB_PR_GRAPHIC_POINT: need = 1; break;
    case LB_PR_GRAPHIC_CIRCLE: need = 2; break;
    case LB_PR_GRAPHIC_ELLIPSE: need = 4; break;
    default: break;
    }
  if (g->points == nullptr || g->n_points == 0 || (need != 0 && g->n_points != need) ||
      ((g->type == LB_PR_GRAPHIC_POLYLINE || g->type == LB_PR_GRAPHIC_INTERPOLATED) && g->n_points < 2))
    throw BadInput (std::string ("a ") + graphic_type_name (g->type) + " graphic has the wrong number of points");
  for (guint i = 0; i < 2 * g->n_points; i++)
    if (!std::isfinite (g->points[i]))
      throw BadInput ("a graphic has a coordinate that is not a number");
}

/* ---- sRGB ICC profile ------------------------------------------------------ */

void
be32 (std::vector<guint8> &v, guint32 x)
{
  v.push_back (x >> 24);
  v.push_back (x >> 16);
  v.push_back (x >> 8);
  v.push_back (x);
}

void
be16 (std::vector<guint8> &v, guint16 x)
{
  v.push_back (x >> 8);
  v.push_back (x);
}

void
s15f16 (std::vector<guint8> &v, double x)
{
  be32 (v, (guint32) (gint32) lround (x * 65536.0));
}

void
sig (std::vector<guint8> &v, const char *s)
{
  v.insert (v.end (), s, s + 4);
}

std::vector<guint8>
mluc (const char *text)
{
  std::vector<guint8> v;
  sig (v, "mluc");
  be32 (v, 0);
  be32 (v, 1);   /* one record */
  be32 (v, 12);  /* record size */
  v.push_back ('e'); v.push_back ('n'); v.push_back ('U'); v.push_back ('S');
  be32 (v, 2 * (guint32) strlen (text));
  be32 (v, 28);
  for (const char *p = text; *p != '\0'; p++)
    be16 (v, (guint8) *p);
  return v;
}

std::vector<guint8>
xyz (double x, double y, double z)
{
  std::vector<guint8> v;
  sig (v, "XYZ ");
  be32 (v, 0);
  s15f16 (v, x);
  s15f16 (v, y);
  s15f16 (v, z);
  return v;
}

/* An ICC v4.3 display profile for sRGB (IEC 61966-2-1): D50-adapted
 * colorants (Bradford), the exact sRGB curve as a parametric curve of
 * type 3, a chromatic adaptation tag. Written here rather than shipped so
 * that its provenance is plain; the test has lcms2 (through PIL) read it. */
std::vector<guint8>
make_srgb_icc ()
{
  struct Tag { const char *sig; std::vector<guint8> data; };
  std::vector<guint8> para;
  sig (para, "para");
  be32 (para, 0);
  be16 (para, 3);
  be16 (para, 0);
  s15f16 (para, 2.4);
  s15f16 (para, 1 / 1.055);
  s15f16 (para, 0.055 / 1.055);
  s15f16 (para, 1 / 12.92);
  s15f16 (para, 0.04045);
  std::vector<guint8> chad;
  sig (chad, "sf32");
  be32 (chad, 0);
  const double bradford[9] = { 1.0478112, 0.0228866, -0.0501270, 0.0295424, 0.9904844,
                               -0.0170491, -0.0092345, 0.0150436, 0.7521316 };
  for (double d : bradford)
    s15f16 (chad, d);

  std::vector<Tag> tags = {
    { "desc", mluc ("sRGB (Lightbox)") },
    { "cprt", mluc ("No copyright, use freely") },
    { "wtpt", xyz (0.9642, 1.0, 0.8249) },
    { "chad", chad },
    { "rXYZ", xyz (0.4360747, 0.2225045, 0.0139322) },
    { "gXYZ", xyz (0.3850649, 0.7168786, 0.0971045) },
    { "bXYZ", xyz (0.1430804, 0.0606169, 0.7141733) },
    { "rTRC", para },
    { "gTRC", para },
    { "bTRC", para },
  };

  std::vector<guint8> table, data;
  guint32 offset = 128 + 4 + 12 * (guint32) tags.size ();
  be32 (table, (guint32) tags.size ());
  for (auto &t : tags)
    {
      while (t.data.size () % 4 != 0)
        t.data.push_back (0);
      sig (table, t.sig);
      be32 (table, offset + (guint32) data.size ());
      be32 (table, (guint32) t.data.size ());
      data.insert (data.end (), t.data.begin (), t.data.end ());
    }

  std::vector<guint8> h;
  be32 (h, 128 + (guint32) table.size () + (guint32) data.size ());
  be32 (h, 0);                       /* preferred CMM */
  be32 (h, 0x04300000);              /* version 4.3 */
  sig (h, "mntr");
  sig (h, "RGB ");
  sig (h, "XYZ ");
  for (guint16 d : { 2024, 1, 1, 0, 0, 0 })
    be16 (h, d);
  sig (h, "acsp");
  while (h.size () < 64)
    h.push_back (0);                 /* platform, flags, device, attributes */
  be32 (h, 0);                       /* perceptual intent */
  s15f16 (h, 0.9642);                /* PCS illuminant D50 */
  s15f16 (h, 1.0);
  s15f16 (h, 0.8249);
  while (h.size () < 128)
    h.push_back (0);                 /* creator, profile ID, reserved */
  h.insert (h.end (), table.begin (), table.end ());
  h.insert (h.end (), data.begin (), data.end ());
  return h;
}

/* ---- Building ---------------------------------------------------------- */

void
put_layer (DcmItem *ds, const LbPrLayer *l)
{
  if (!is_cs (l->name, 16))
    throw BadInput (std::string ("“") + nz (l->name) +
                    "” is not a graphic layer name (upper case letters, digits, space, _; ≤ 16)");
  DcmItem *item = new_item (ds, DCM_GraphicLayerSequence);
  put (item, DCM_GraphicLayer, l->name);
  put (item, DCM_GraphicLayerOrder, std::to_string (l->order).c_str ());
  if (l->has_color)
    check (item->putAndInsertUint16Array (DCM_GraphicLayerRecommendedDisplayCIELabValue, l->cielab, 3),
           "layer colour");
  if (l->description != nullptr && l->description[0] != '\0')
    put (item, DCM_GraphicLayerDescription, l->description);
}

void
put_graphic (DcmItem *ga, const LbPrGraphic *g)
{
  check_graphic (g);
  DcmItem *item = new_item (ga, DCM_GraphicObjectSequence);
  put (item, DCM_GraphicAnnotationUnits, "PIXEL");
  check (item->putAndInsertUint16 (DCM_GraphicDimensions, 2), "graphic dimensions");
  check (item->putAndInsertUint16 (DCM_NumberOfGraphicPoints, (Uint16) g->n_points), "number of points");
  put_floats (item, DCM_GraphicData, g->points, 2 * g->n_points);
  put (item, DCM_GraphicType, graphic_type_name (g->type));
  /* Graphic Filled is required for closed shapes (C.10.5.1.2). */
  if (graphic_is_closed (g))
    put (item, DCM_GraphicFilled, g->filled ? "Y" : "N");
  if (g->group_id != 0)
    check (item->putAndInsertUint32 (DCM_GraphicGroupID, g->group_id), "group id");
}

void
put_text (DcmItem *ga, const LbPrText *t)
{
  if (t->text == nullptr || t->text[0] == '\0' || strlen (t->text) > 1024 ||
      !g_utf8_validate (t->text, -1, nullptr))
    throw BadInput ("a text object needs a UTF-8 text of at most 1024 bytes");
  if (!t->has_anchor && !t->has_box)
    throw BadInput ("a text object needs an anchor point or a bounding box");
  DcmItem *item = new_item (ga, DCM_TextObjectSequence);
  if (t->has_box)
    {
      put (item, DCM_BoundingBoxAnnotationUnits, "PIXEL");
      put_floats (item, DCM_BoundingBoxTopLeftHandCorner, &t->box[0], 2);
      put_floats (item, DCM_BoundingBoxBottomRightHandCorner, &t->box[2], 2);
      put (item, DCM_BoundingBoxTextHorizontalJustification, "LEFT");
    }
  if (t->has_anchor)
    {
      put (item, DCM_AnchorPointAnnotationUnits, "PIXEL");
      put_floats (item, DCM_AnchorPoint, t->anchor, 2);
      put (item, DCM_AnchorPointVisibility, t->anchor_visible ? "Y" : "N");
    }
  put (item, DCM_UnformattedTextValue, t->text);
  if (t->group_id != 0)
    check (item->putAndInsertUint32 (DCM_GraphicGroupID, t->group_id), "group id");
}

/* ---- Parsing ----------------------------------------------------------- */

struct Area
{
  double x0, y0, w, h;
  int rotation;
  bool flip;
};

/* DISPLAY units (C.10.5.1.1) are fractions of the displayed area as shown,
 * i.e. after the spatial transformation (display-relative annotations are
 * not rotated or flipped with the image). C.10.6 rotates first (clockwise)
 * and flips horizontally after the rotation, which is also what dciodvfy
 * checks the displayed area corners against. Undo the flip, then the
 * rotation, to get back to image pixels. */
void
display_to_pixel (const Area &a, double u, double v, double *x, double *y)
{
  bool quarter = a.rotation == 90 || a.rotation == 270;
  double W = a.w, H = a.h;
  double sw = quarter ? H : W, sh = quarter ? W : H;
  double px = u * sw, py = v * sh;
  double lx, ly;

  if (a.flip)
    px = sw - px;
  switch (a.rotation)
    {
    case 90: lx = py; ly = H - px; break;
    case 180: lx = W - px; ly = H - py; break;
    case 270: lx = W - py; ly = px; break;
    default: lx = px; ly = py; break;
    }
  *x = a.x0 + lx;
  *y = a.y0 + ly;
}

/* Reads an FL pair (or the first two values of an FL array). */
bool
get_pair (DcmItem *item, const DcmTagKey &key, double out[2])
{
  Float32 a = 0, b = 0;
  if (item->findAndGetFloat32 (key, a, 0).bad () || item->findAndGetFloat32 (key, b, 1).bad ())
    return false;
  out[0] = a;
  out[1] = b;
  return std::isfinite (out[0]) && std::isfinite (out[1]);
}

/* Converts in place; false for units we cannot place (MATRIX, unknown). */
bool
to_pixels (const std::string &units, const Area &area, double *xy, gsize n_pairs, gboolean *had_display)
{
  if (units == "PIXEL")
    return true;
  if (units != "DISPLAY")
    return false;
  for (gsize i = 0; i < n_pairs; i++)
    display_to_pixel (area, xy[2 * i], xy[2 * i + 1], &xy[2 * i], &xy[2 * i + 1]);
  *had_display = TRUE;
  return true;
}

void
text_clear (LbPrText *t)
{
  g_free (t->text);
}

void
annotation_clear (LbPrAnnotation *a)
{
  g_free (a->layer);
  for (guint i = 0; i < a->n_graphics; i++)
    g_free (a->graphics[i].points);
  g_free (a->graphics);
  for (guint i = 0; i < a->n_texts; i++)
    text_clear (&a->texts[i]);
  g_free (a->texts);
}

} // namespace

extern "C" void
lb_dicom_pr_area_corners (int  x0,
                          int  y0,
                          int  x1,
                          int  y1,
                          int  rotation,
                          gboolean flip_h,
                          int  tlhc[2],
                          int  brhc[2])
{
  /* The region's corners A (x0, y0), B (x1, y0), C (x1, y1), D (x0, y1);
   * which one is shown top left after rotating clockwise and then flipping. */
  const int corners[4][2] = { { x0, y0 }, { x1, y0 }, { x1, y1 }, { x0, y1 } };
  int q = ((rotation / 90) % 4 + 4) % 4;
  static const int top_left[2][4] = {
    { 0, 3, 2, 1 },   /* no flip: 0° A, 90° D, 180° C, 270° B */
    { 1, 0, 3, 2 },   /* flipped: 0° B, 90° A, 180° D, 270° C */
  };
  int k = top_left[flip_h ? 1 : 0][q];

  tlhc[0] = corners[k][0];
  tlhc[1] = corners[k][1];
  brhc[0] = corners[(k + 2) % 4][0];
  brhc[1] = corners[(k + 2) % 4][1];
}

extern "C" GBytes *
lb_dicom_srgb_icc_profile (void)
{
  std::vector<guint8> icc = make_srgb_icc ();
  return g_bytes_new (icc.data (), icc.size ());
}

extern "C" void
lb_presentation_state_free (LbPresentationState *s)
{
  if (s == nullptr)
    return;
  g_free (s->sop_class_uid);
  g_free (s->sop_instance_uid);
  g_free (s->series_uid);
  g_free (s->study_uid);
  g_free (s->referenced_sop_instance_uid);
  g_free (s->content_label);
  g_free (s->content_description);
  g_free (s->creator);
  g_free (s->creation_date);
  g_free (s->creation_time);
  for (guint i = 0; i < s->n_layers; i++)
    {
      g_free (s->layers[i].name);
      g_free (s->layers[i].description);
    }
  g_free (s->layers);
  for (guint i = 0; i < s->n_groups; i++)
    {
      g_free (s->groups[i].label);
      g_free (s->groups[i].description);
    }
  g_free (s->groups);
  for (guint i = 0; i < s->n_annotations; i++)
    annotation_clear (&s->annotations[i]);
  g_free (s->annotations);
  g_free (s);
}

/**
 * lb_dicom_pr_build:
 * @image: the image the presentation state is for
 * @state: layers, groups, annotations and the view (identity fields ignored)
 * @options: (nullable): label, description, creator, UID root, time
 * @out_sop_instance_uid: (out) (optional): the new SOP Instance UID
 * @error: return location for a #GError in %LB_DICOM_ERROR
 *
 * Returns: (transfer full) (nullable): the Part-10 bytes
 */
extern "C" GBytes *
lb_dicom_pr_build (LbDicomObject              *image,
                   const LbPresentationState  *st,
                   const LbPrOptions          *options,
                   char                      **out_sop_instance_uid,
                   GError                    **error)
{
  g_return_val_if_fail (image != nullptr, nullptr);
  g_return_val_if_fail (st != nullptr, nullptr);
  g_return_val_if_fail (error == nullptr || *error == nullptr, nullptr);

  LbPrOptions defaults = {};
  const LbPrOptions *o = options != nullptr ? options : &defaults;

  try
    {
      const LbDicomMeta *m = lb_dicom_object_get_meta (image);
      if (m->study_uid[0] == '\0' || m->series_uid[0] == '\0' || m->sop_instance_uid[0] == '\0' ||
          m->sop_class_uid[0] == '\0' || m->rows == 0 || m->columns == 0)
        throw BadInput ("the image lacks its UIDs or its size");
      const bool gray = g_str_has_prefix (m->photometric, "MONOCHROME");

      g_autoptr (GDateTime) now = o->creation_datetime != nullptr ? g_date_time_ref (o->creation_datetime)
                                                                   : g_date_time_new_now_local ();
      g_autofree char *date = g_date_time_format (now, "%Y%m%d");
      g_autofree char *time = g_date_time_format (now, "%H%M%S");
      std::string series_uid = make_uid (o->uid_root);
      std::string sop_uid = make_uid (o->uid_root);
      const char *sop_class = gray ? UID_GrayscaleSoftcopyPresentationStateStorage
                                   : UID_ColorSoftcopyPresentationStateStorage;

      DcmFileFormat file;
      DcmDataset *ds = file.getDataset ();

      /* SOP Common (C.12.1). Our strings are UTF-8; the patient's are too,
       * since the image was converted when it was parsed. */
      put (ds, DCM_SpecificCharacterSet, "ISO_IR 192");
      put (ds, DCM_SOPClassUID, sop_class);
      put (ds, DCM_SOPInstanceUID, sop_uid.c_str ());
      put (ds, DCM_InstanceCreationDate, date);
      put (ds, DCM_InstanceCreationTime, time);

      /* Patient and General Study: the image's, so the PR joins its study. */
      put (ds, DCM_PatientName, m->patient_name);
      put (ds, DCM_PatientID, m->patient_id);
      put (ds, DCM_PatientBirthDate, m->patient_birth_date);
      put (ds, DCM_PatientSex, m->patient_sex);
      put (ds, DCM_StudyInstanceUID, m->study_uid);
      put (ds, DCM_StudyDate, m->study_date);
      put (ds, DCM_StudyTime, m->study_time);
      put (ds, DCM_AccessionNumber, m->accession_number);
      g_autofree char *study_id = lb_dicom_object_dup_string (image, 0x0020, 0x0010);
      put (ds, DCM_StudyID, study_id);
      g_autofree char *referring = lb_dicom_object_dup_string (image, 0x0008, 0x0090);
      put (ds, DCM_ReferringPhysicianName, referring);

      /* General Series + Presentation Series (C.11.9): a new PR series. */
      put (ds, DCM_Modality, "PR");
      put (ds, DCM_SeriesInstanceUID, series_uid.c_str ());
      put (ds, DCM_SeriesNumber, "9901");
      put (ds, DCM_SeriesDescription, o->series_description != nullptr ? o->series_description : "Annotations");
      /* Laterality is type 2C (C.7.3.1) and only R or L: the image's, or empty. */
      put (ds, DCM_Laterality, strcmp (m->laterality, "L") == 0 || strcmp (m->laterality, "R") == 0
                                 ? m->laterality : "");
      put (ds, DCM_Manufacturer, "");
      put (ds, DCM_SoftwareVersions, kPrSoftwareVersion);

      /* Presentation State Identification (C.11.10). */
      put (ds, DCM_InstanceNumber, "1");
      put (ds, DCM_ContentLabel, make_content_label (o->content_label).c_str ());
      put (ds, DCM_ContentDescription, o->content_description);
      put (ds, DCM_ContentCreatorName, o->creator);
      put (ds, DCM_PresentationCreationDate, date);
      put (ds, DCM_PresentationCreationTime, time);

      /* Presentation State Relationship (C.11.11). */
      DcmItem *series = new_item (ds, DCM_ReferencedSeriesSequence);
      put (series, DCM_SeriesInstanceUID, m->series_uid);
      DcmItem *ref = new_item (series, DCM_ReferencedImageSequence);
      put (ref, DCM_ReferencedSOPClassUID, m->sop_class_uid);
      put (ref, DCM_ReferencedSOPInstanceUID, m->sop_instance_uid);

      /* Displayed Area (C.10.4): the zoom and pan as the region shown,
       * corners 1-based; calibration as Presentation Pixel Spacing. */
      DcmItem *area = new_item (ds, DCM_DisplayedAreaSelectionSequence);
      if (st->rotation != 0 && st->rotation != 90 && st->rotation != 180 && st->rotation != 270)
        throw BadInput ("the rotation must be 0, 90, 180 or 270 degrees");
      /* The corners are the image pixels shown top left and bottom right
       * *after* the spatial transformation (C.10.4), so which corner of the
       * region is which depends on the rotation and flip. */
      Sint32 x0 = 1, y0 = 1, x1 = (Sint32) m->columns, y1 = (Sint32) m->rows;
      if (st->has_displayed_area)
        {
          x0 = MIN (st->tlhc[0], st->brhc[0]);
          x1 = MAX (st->tlhc[0], st->brhc[0]);
          y0 = MIN (st->tlhc[1], st->brhc[1]);
          y1 = MAX (st->tlhc[1], st->brhc[1]);
        }
      Sint32 tl[2], br[2];
      lb_dicom_pr_area_corners (x0, y0, x1, y1, st->rotation, st->flip_h, tl, br);
      put (area, DCM_DisplayedAreaTopLeftHandCorner, (std::to_string (tl[0]) + "\\" + std::to_string (tl[1])).c_str ());
      put (area, DCM_DisplayedAreaBottomRightHandCorner, (std::to_string (br[0]) + "\\" + std::to_string (br[1])).c_str ());
      const bool calibrated = st->pixel_spacing[0] > 0 && st->pixel_spacing[1] > 0;
      LbPrSizeMode mode = st->size_mode;
      if (mode == LB_PR_SIZE_TRUE_SIZE && !calibrated && !(m->pixel_spacing[0] > 0))
        mode = LB_PR_SIZE_SCALE_TO_FIT;  /* TRUE SIZE needs a known spacing */
      put (area, DCM_PresentationSizeMode,
           mode == LB_PR_SIZE_MAGNIFY ? "MAGNIFY" : mode == LB_PR_SIZE_TRUE_SIZE ? "TRUE SIZE" : "SCALE TO FIT");
      if (calibrated)
        {
          std::string v = ds_string (st->pixel_spacing[0]) + "\\" + ds_string (st->pixel_spacing[1]);
          put (area, DCM_PresentationPixelSpacing, v.c_str ());
        }
      else if (m->pixel_spacing[0] > 0 && m->pixel_spacing[1] > 0)
        {
          /* Presentation Pixel Aspect Ratio is an IS pair, row\column (C.10.4). */
          double g = m->pixel_spacing[0] / m->pixel_spacing[1];
          std::string v = std::fabs (g - 1) < 1e-9 ? "1\\1"
                        : std::to_string ((long) lround (g * 1000)) + "\\1000";
          put (area, DCM_PresentationPixelAspectRatio, v.c_str ());
        }
      else
        put (area, DCM_PresentationPixelAspectRatio, "1\\1");
      if (mode == LB_PR_SIZE_MAGNIFY)
        {
          if (!(st->magnification > 0) || !std::isfinite (st->magnification))
            throw BadInput ("MAGNIFY needs a positive magnification");
          put (area, DCM_PresentationPixelMagnificationRatio, ds_string (st->magnification).c_str ());
        }

      /* Spatial Transformation (C.10.6). */
      put (ds, DCM_ImageRotation, std::to_string (st->rotation).c_str ());
      put (ds, DCM_ImageHorizontalFlip, st->flip_h ? "Y" : "N");

      /* Graphic Layer (C.10.7), Graphic Group (C.10.8), Graphic Annotation (C.10.5). */
      for (guint i = 0; i < st->n_layers; i++)
        put_layer (ds, &st->layers[i]);
      for (guint i = 0; i < st->n_groups; i++)
        {
          const LbPrGroup *g = &st->groups[i];
          if (g->id == 0 || g->label == nullptr || g->label[0] == '\0')
            throw BadInput ("a graphic group needs an id and a label");
          DcmItem *item = new_item (ds, DCM_GraphicGroupSequence);
          check (item->putAndInsertUint32 (DCM_GraphicGroupID, g->id), "group id");
          put (item, DCM_GraphicGroupLabel, g->label);
          if (g->description != nullptr && g->description[0] != '\0')
            put (item, DCM_GraphicGroupDescription, g->description);
        }
      if (o->referenced_frame > MAX (m->number_of_frames, 1u))
        throw BadInput ("frame " + std::to_string (o->referenced_frame) + " is past the image's " +
                        std::to_string (MAX (m->number_of_frames, 1u)) + " frames");
      const bool frame_ref = o->referenced_frame > 0 && m->number_of_frames > 1;
      for (guint i = 0; i < st->n_annotations; i++)
        {
          const LbPrAnnotation *a = &st->annotations[i];
          bool known = false;
          for (guint j = 0; j < st->n_layers; j++)
            known = known || g_strcmp0 (st->layers[j].name, a->layer) == 0;
          if (!known)
            throw BadInput (std::string ("annotations on an undeclared layer “") + nz (a->layer) + "”");
          if (a->n_graphics == 0 && a->n_texts == 0)
            continue;
          DcmItem *ga = new_item (ds, DCM_GraphicAnnotationSequence);
          if (frame_ref)
            {
              /* Marks drawn on one frame of a multi-frame image belong to
               * that frame only (C.10.5: Referenced Frame Number is 1C,
               * required when the reference is not to all frames). */
              DcmItem *fr = new_item (ga, DCM_ReferencedImageSequence);
              put (fr, DCM_ReferencedSOPClassUID, m->sop_class_uid);
              put (fr, DCM_ReferencedSOPInstanceUID, m->sop_instance_uid);
              put (fr, DCM_ReferencedFrameNumber, std::to_string (o->referenced_frame).c_str ());
            }
          put (ga, DCM_GraphicLayer, a->layer);
          for (guint j = 0; j < a->n_texts; j++)
            put_text (ga, &a->texts[j]);
          for (guint j = 0; j < a->n_graphics; j++)
            put_graphic (ga, &a->graphics[j]);
        }

      if (gray)
        {
          /* Modality LUT (C.11.1): required when the image has one. */
          g_autofree char *slope = lb_dicom_object_dup_string (image, 0x0028, 0x1053);
          g_autofree char *intercept = lb_dicom_object_dup_string (image, 0x0028, 0x1052);
          if (slope != nullptr && intercept != nullptr)
            {
              put (ds, DCM_RescaleSlope, slope);
              put (ds, DCM_RescaleIntercept, intercept);
              put (ds, DCM_RescaleType, m->rescale_type[0] != '\0' ? m->rescale_type : "US");
            }
          /* Softcopy VOI LUT (C.11.8): the window shown, else the image's first. */
          double c = 0, w = 0;
          if (st->has_window)
            c = st->window_center, w = st->window_width;
          else if (m->n_windows > 0)
            c = m->windows[0].center, w = m->windows[0].width;
          if (w >= 1 && std::isfinite (c) && std::isfinite (w))
            {
              DcmItem *voi = new_item (ds, DCM_SoftcopyVOILUTSequence);
              put (voi, DCM_WindowCenter, ds_string (c).c_str ());
              put (voi, DCM_WindowWidth, ds_string (w).c_str ());
            }
          /* Softcopy Presentation LUT (C.11.6): GSPS rendering ignores the
           * Photometric Interpretation, so MONOCHROME1 needs INVERSE. */
          put (ds, DCM_PresentationLUTShape, strcmp (m->photometric, "MONOCHROME1") == 0 ? "INVERSE" : "IDENTITY");
        }
      else
        {
          /* ICC Profile (C.11.15): the image's own, else sRGB. */
          std::vector<guint8> icc;
          if (m->icc_profile != nullptr && g_bytes_get_size (m->icc_profile) > 0)
            {
              gsize n = 0;
              const guint8 *p = (const guint8 *) g_bytes_get_data (m->icc_profile, &n);
              icc.assign (p, p + n);
            }
          else
            icc = make_srgb_icc ();
          if (icc.size () % 2 != 0)
            icc.push_back (0);
          check (ds->putAndInsertUint8Array (DCM_ICCProfile, icc.data (), (unsigned long) icc.size ()), "ICC");
        }

      GBytes *bytes = lb::encode_part10 (file);

      if (out_sop_instance_uid != nullptr)
        *out_sop_instance_uid = g_strdup (sop_uid.c_str ());
      return bytes;
    }
  catch (const BadInput &e)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED, "Cannot write the presentation state: %s",
                   e.what ());
    }
  catch (const std::bad_alloc &)
    {
      g_set_error_literal (error, LB_DICOM_ERROR, LB_DICOM_ERROR_LIMIT,
                           "Out of memory while writing a presentation state");
    }
  catch (const std::exception &e)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED, "Cannot write the presentation state: %s",
                   e.what ());
    }
  catch (...)
    {
      g_set_error_literal (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED, "Cannot write the presentation state");
    }
  return nullptr;
}

/**
 * lb_dicom_pr_parse:
 * @bytes: a Part-10 GSPS or CSPS (untrusted: parsed under the default limits)
 * @error: return location for a #GError in %LB_DICOM_ERROR
 *
 * Reads layers, groups, graphic and text objects (converted to PIXEL units),
 * the displayed area, spatial transformation and window.
 *
 * Returns: (transfer full) (nullable): the state
 */
extern "C" LbPresentationState *
lb_dicom_pr_parse (GBytes  *bytes,
                   GError **error)
{
  g_return_val_if_fail (bytes != nullptr, nullptr);
  g_return_val_if_fail (error == nullptr || *error == nullptr, nullptr);

  g_autoptr (LbDicomObject) obj = lb_dicom_object_new_from_bytes (bytes, nullptr, error);
  if (obj == nullptr)
    return nullptr;

  g_autoptr (LbPresentationState) s = g_new0 (LbPresentationState, 1);
  g_mutex_lock (&obj->lock);
  try
    {
      DcmDataset *ds = obj->fileformat->getDataset ();
      std::string cls = get (ds, DCM_SOPClassUID);
      if (cls != UID_GrayscaleSoftcopyPresentationStateStorage && cls != UID_ColorSoftcopyPresentationStateStorage)
        throw BadInput ("not a grayscale or color softcopy presentation state");
      s->color = cls == UID_ColorSoftcopyPresentationStateStorage;
      s->sop_class_uid = g_strdup (cls.c_str ());
      s->sop_instance_uid = g_strdup (get (ds, DCM_SOPInstanceUID).c_str ());
      s->series_uid = g_strdup (get (ds, DCM_SeriesInstanceUID).c_str ());
      s->study_uid = g_strdup (get (ds, DCM_StudyInstanceUID).c_str ());
      s->content_label = g_strdup (get (ds, DCM_ContentLabel).c_str ());
      s->content_description = g_strdup (get (ds, DCM_ContentDescription).c_str ());
      s->creator = g_strdup (get (ds, DCM_ContentCreatorName).c_str ());
      s->creation_date = g_strdup (get (ds, DCM_PresentationCreationDate).c_str ());
      s->creation_time = g_strdup (get (ds, DCM_PresentationCreationTime).c_str ());

      DcmItem *series = nullptr, *ref = nullptr;
      std::string ref_uid;
      if (ds->findAndGetSequenceItem (DCM_ReferencedSeriesSequence, series, 0).good () &&
          series->findAndGetSequenceItem (DCM_ReferencedImageSequence, ref, 0).good ())
        ref_uid = get (ref, DCM_ReferencedSOPInstanceUID);
      s->referenced_sop_instance_uid = g_strdup (ref_uid.c_str ());

      /* Displayed area: the item for our image, else one for all images. */
      DcmItem *area = nullptr;
      for (unsigned long i = 0; ; i++)
        {
          DcmItem *item = nullptr;
          if (ds->findAndGetSequenceItem (DCM_DisplayedAreaSelectionSequence, item, (long) i).bad ())
            break;
          DcmItem *r = nullptr;
          bool has_refs = item->findAndGetSequenceItem (DCM_ReferencedImageSequence, r, 0).good ();
          if (!has_refs && area == nullptr)
            area = item;
          for (unsigned long k = 0; has_refs; k++)
            {
              if (item->findAndGetSequenceItem (DCM_ReferencedImageSequence, r, (long) k).bad ())
                break;
              if (get (r, DCM_ReferencedSOPInstanceUID) == ref_uid)
                area = item;
            }
        }
      if (area != nullptr)
        {
          Sint32 v[4];
          bool ok = true;
          for (int k = 0; k < 2; k++)
            {
              ok = ok && area->findAndGetSint32 (DCM_DisplayedAreaTopLeftHandCorner, v[k], k).good ();
              ok = ok && area->findAndGetSint32 (DCM_DisplayedAreaBottomRightHandCorner, v[2 + k], k).good ();
            }
          if (ok)
            {
              s->has_displayed_area = TRUE;
              s->tlhc[0] = v[0]; s->tlhc[1] = v[1];
              s->brhc[0] = v[2]; s->brhc[1] = v[3];
            }
          std::string mode = get (area, DCM_PresentationSizeMode);
          s->size_mode = mode == "MAGNIFY" ? LB_PR_SIZE_MAGNIFY
                       : mode == "TRUE SIZE" ? LB_PR_SIZE_TRUE_SIZE : LB_PR_SIZE_SCALE_TO_FIT;
          Float64 f = 0;
          if (area->findAndGetFloat64 (DCM_PresentationPixelMagnificationRatio, f).good () && f > 0)
            s->magnification = f;
          Float64 ps[2] = { 0, 0 };
          if (area->findAndGetFloat64 (DCM_PresentationPixelSpacing, ps[0], 0).good () &&
              area->findAndGetFloat64 (DCM_PresentationPixelSpacing, ps[1], 1).good () &&
              ps[0] > 0 && ps[1] > 0 && std::isfinite (ps[0]) && std::isfinite (ps[1]))
            {
              s->pixel_spacing[0] = ps[0];
              s->pixel_spacing[1] = ps[1];
            }
        }

      Uint16 rot = 0;
      if (ds->findAndGetUint16 (DCM_ImageRotation, rot).good () &&
          (rot == 90 || rot == 180 || rot == 270))
        s->rotation = rot;
      s->flip_h = get (ds, DCM_ImageHorizontalFlip) == "Y";

      DcmItem *voi = nullptr;
      Float64 c = 0, w = 0;
      if (ds->findAndGetSequenceItem (DCM_SoftcopyVOILUTSequence, voi, 0).good () &&
          voi->findAndGetFloat64 (DCM_WindowCenter, c).good () &&
          voi->findAndGetFloat64 (DCM_WindowWidth, w).good () && w > 0)
        {
          s->has_window = TRUE;
          s->window_center = c;
          s->window_width = w;
        }

      /* Layers. */
      std::vector<LbPrLayer> layers;
      for (unsigned long i = 0; ; i++)
        {
          DcmItem *item = nullptr;
          if (ds->findAndGetSequenceItem (DCM_GraphicLayerSequence, item, (long) i).bad ())
            break;
          LbPrLayer l = {};
          Sint32 order = (Sint32) i;
          (void) item->findAndGetSint32 (DCM_GraphicLayerOrder, order);
          l.order = order;
          Uint16 lab[3];
          if (item->findAndGetUint16 (DCM_GraphicLayerRecommendedDisplayCIELabValue, lab[0], 0).good () &&
              item->findAndGetUint16 (DCM_GraphicLayerRecommendedDisplayCIELabValue, lab[1], 1).good () &&
              item->findAndGetUint16 (DCM_GraphicLayerRecommendedDisplayCIELabValue, lab[2], 2).good ())
            {
              l.has_color = TRUE;
              memcpy (l.cielab, lab, sizeof lab);
            }
          l.name = g_strdup (get (item, DCM_GraphicLayer).c_str ());
          l.description = g_strdup (get (item, DCM_GraphicLayerDescription).c_str ());
          layers.push_back (l);
        }
      s->n_layers = (guint) layers.size ();
      s->layers = (LbPrLayer *) g_memdup2 (layers.data (), sizeof (LbPrLayer) * layers.size ());

      std::vector<LbPrGroup> groups;
      for (unsigned long i = 0; ; i++)
        {
          DcmItem *item = nullptr;
          if (ds->findAndGetSequenceItem (DCM_GraphicGroupSequence, item, (long) i).bad ())
            break;
          Uint32 id = 0;
          if (item->findAndGetUint32 (DCM_GraphicGroupID, id).bad () || id == 0)
            continue;
          LbPrGroup g = { g_strdup (get (item, DCM_GraphicGroupLabel).c_str ()),
                          g_strdup (get (item, DCM_GraphicGroupDescription).c_str ()), id };
          groups.push_back (g);
        }
      s->n_groups = (guint) groups.size ();
      s->groups = (LbPrGroup *) g_memdup2 (groups.data (), sizeof (LbPrGroup) * groups.size ());

      /* Where DISPLAY units point: the displayed area as 0-based pixel edges. */
      Area disp = { 0, 0, 0, 0, s->rotation, s->flip_h != FALSE };
      if (s->has_displayed_area)
        {
          disp.x0 = MIN (s->tlhc[0], s->brhc[0]) - 1;
          disp.y0 = MIN (s->tlhc[1], s->brhc[1]) - 1;
          disp.w = std::abs (s->brhc[0] - s->tlhc[0]) + 1;
          disp.h = std::abs (s->brhc[1] - s->tlhc[1]) + 1;
        }

      std::vector<LbPrAnnotation> annotations;
      for (unsigned long i = 0; ; i++)
        {
          DcmItem *ga = nullptr;
          if (ds->findAndGetSequenceItem (DCM_GraphicAnnotationSequence, ga, (long) i).bad ())
            break;
          /* An item for other images of the series only is not ours. */
          DcmItem *r = nullptr;
          if (!ref_uid.empty () && ga->findAndGetSequenceItem (DCM_ReferencedImageSequence, r, 0).good ())
            {
              bool ours = false;
              for (long k = 0; ga->findAndGetSequenceItem (DCM_ReferencedImageSequence, r, k).good (); k++)
                if (get (r, DCM_ReferencedSOPInstanceUID) == ref_uid)
                  {
                    Sint32 frame = 0;
                    ours = true;
                    /* The first frame named (Lightbox names one). */
                    if (s->referenced_frame == 0 &&
                        r->findAndGetSint32 (DCM_ReferencedFrameNumber, frame).good () && frame > 0)
                      s->referenced_frame = (guint) frame;
                  }
              if (!ours)
                continue;
            }
          std::vector<LbPrGraphic> graphics;
          std::vector<LbPrText> texts;
          for (long k = 0; ; k++)
            {
              DcmItem *item = nullptr;
              if (ga->findAndGetSequenceItem (DCM_TextObjectSequence, item, k).bad ())
                break;
              LbPrText t = {};
              Uint32 gid = 0;
              if (item->findAndGetUint32 (DCM_GraphicGroupID, gid).good ())
                t.group_id = gid;
              std::string text = get_all (item, DCM_UnformattedTextValue);
              if (text.empty ())
                continue;
              if (get_pair (item, DCM_BoundingBoxTopLeftHandCorner, &t.box[0]) &&
                  get_pair (item, DCM_BoundingBoxBottomRightHandCorner, &t.box[2]) &&
                  (disp.w > 0 || get (item, DCM_BoundingBoxAnnotationUnits) == "PIXEL") &&
                  to_pixels (get (item, DCM_BoundingBoxAnnotationUnits), disp, t.box, 2, &s->had_display_units))
                {
                  t.has_box = TRUE;
                  /* After a rotation the corners may have swapped. */
                  double x0 = MIN (t.box[0], t.box[2]), x1 = MAX (t.box[0], t.box[2]);
                  double y0 = MIN (t.box[1], t.box[3]), y1 = MAX (t.box[1], t.box[3]);
                  t.box[0] = x0; t.box[1] = y0; t.box[2] = x1; t.box[3] = y1;
                }
              if (get_pair (item, DCM_AnchorPoint, t.anchor) &&
                  (disp.w > 0 || get (item, DCM_AnchorPointAnnotationUnits) == "PIXEL") &&
                  to_pixels (get (item, DCM_AnchorPointAnnotationUnits), disp, t.anchor, 1, &s->had_display_units))
                {
                  t.has_anchor = TRUE;
                  t.anchor_visible = get (item, DCM_AnchorPointVisibility) == "Y";
                }
              if (!t.has_box && !t.has_anchor)
                continue;
              t.text = g_strdup (text.c_str ());
              texts.push_back (t);
            }
          for (long k = 0; ; k++)
            {
              DcmItem *item = nullptr;
              if (ga->findAndGetSequenceItem (DCM_GraphicObjectSequence, item, k).bad ())
                break;
              std::string type = get (item, DCM_GraphicType);
              std::string units = get (item, DCM_GraphicAnnotationUnits);
              Uint16 n = 0, dims = 2;
              (void) item->findAndGetUint16 (DCM_GraphicDimensions, dims);
              const Float32 *data = nullptr;
              unsigned long count = 0;
              if (item->findAndGetUint16 (DCM_NumberOfGraphicPoints, n).bad () || dims != 2 || n == 0 ||
                  item->findAndGetFloat32Array (DCM_GraphicData, data, &count).bad () ||
                  count < 2ul * n || (units == "DISPLAY" && disp.w <= 0))
                continue;
              LbPrGraphic g = {};
              if (type == "POINT") g.type = LB_PR_GRAPHIC_POINT;
              else if (type == "POLYLINE") g.type = LB_PR_GRAPHIC_POLYLINE;
              else if (type == "INTERPOLATED") g.type = LB_PR_GRAPHIC_INTERPOLATED;
              else if (type == "CIRCLE") g.type = LB_PR_GRAPHIC_CIRCLE;
              else if (type == "ELLIPSE") g.type = LB_PR_GRAPHIC_ELLIPSE;
              else continue;
              std::vector<double> xy (data, data + 2ul * n);
              bool finite = true;
              for (double d : xy)
                finite = finite && std::isfinite (d);
              if (!finite || !to_pixels (units, disp, xy.data (), n, &s->had_display_units))
                continue;
              g.n_points = n;
              g.points = (double *) g_memdup2 (xy.data (), sizeof (double) * xy.size ());
              try
                {
                  check_graphic (&g);
                }
              catch (const BadInput &)
                {
                  g_free (g.points);
                  continue;
                }
              g.filled = get (item, DCM_GraphicFilled) == "Y";
              Uint32 gid = 0;
              if (item->findAndGetUint32 (DCM_GraphicGroupID, gid).good ())
                g.group_id = gid;
              graphics.push_back (g);
            }
          if (graphics.empty () && texts.empty ())
            continue;
          LbPrAnnotation a = {};
          a.layer = g_strdup (get (ga, DCM_GraphicLayer).c_str ());
          a.n_graphics = (guint) graphics.size ();
          a.graphics = (LbPrGraphic *) g_memdup2 (graphics.data (), sizeof (LbPrGraphic) * graphics.size ());
          a.n_texts = (guint) texts.size ();
          a.texts = (LbPrText *) g_memdup2 (texts.data (), sizeof (LbPrText) * texts.size ());
          annotations.push_back (a);
        }
      s->n_annotations = (guint) annotations.size ();
      s->annotations = (LbPrAnnotation *) g_memdup2 (annotations.data (),
                                                    sizeof (LbPrAnnotation) * annotations.size ());
      g_mutex_unlock (&obj->lock);
      return g_steal_pointer (&s);
    }
  catch (const BadInput &e)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_UNSUPPORTED, "Cannot read the presentation state: %s",
                   e.what ());
    }
  catch (const std::bad_alloc &)
    {
      g_set_error_literal (error, LB_DICOM_ERROR, LB_DICOM_ERROR_LIMIT,
                           "Out of memory while reading a presentation state");
    }
  catch (...)
    {
      g_set_error_literal (error, LB_DICOM_ERROR, LB_DICOM_ERROR_MALFORMED, "Cannot read the presentation state");
    }
  g_mutex_unlock (&obj->lock);
  return nullptr;
}
