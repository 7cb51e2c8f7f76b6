/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reading a parsed dataset into the plain C LbDicomMeta struct.
 */
#include "lb-dicom-private.h"

#include <math.h>
#include <stdlib.h>

namespace {

char *
to_utf8 (const OFString &value)
{
  /* After convertToUTF8() this is already UTF-8; when the object named a
   * character set iconv does not know, keep what we can rather than fail. */
  char *s = g_utf8_make_valid (value.c_str (), (gssize) value.length ());
  return g_strstrip (s);
}

char *
get_str (DcmItem *item, const DcmTagKey &key, bool all_values = false)
{
  OFString value;
  OFCondition cond = all_values ? item->findAndGetOFStringArray (key, value)
                                : item->findAndGetOFString (key, value);
  if (cond.bad ())
    return g_strdup ("");
  return to_utf8 (value);
}

double
get_double (DcmItem *item, const DcmTagKey &key, unsigned long pos, double fallback)
{
  Float64 v;
  if (item->findAndGetFloat64 (key, v, pos).good () && isfinite (v))
    return v;
  return fallback;
}

guint
get_uint (DcmItem *item, const DcmTagKey &key, guint fallback)
{
  Uint16 v16;
  if (item->findAndGetUint16 (key, v16).good ())
    return v16;
  Sint32 v32;
  if (item->findAndGetSint32 (key, v32).good () && v32 >= 0)
    return (guint) v32;
  return fallback;
}

bool
code_item_is (DcmItem *item, const DcmTagKey &seq, const char *value, const char *scheme)
{
  DcmItem *code = nullptr;
  if (item->findAndGetSequenceItem (seq, code, 0).bad () || code == nullptr)
    return false;
  OFString v, s;
  code->findAndGetOFString (DCM_CodeValue, v);
  code->findAndGetOFString (DCM_CodingSchemeDesignator, s);
  return v == value && s == scheme;
}

LbDicomLut *
read_lut (DcmItem *item, gboolean pixel_signed)
{
  /* PS3.3 C.11.1.1.1: LUT Descriptor = entries (0 means 65536), first
   * stored value mapped, bits per entry; the data is one 16-bit word per
   * entry. */
  const Uint16 *desc = nullptr;
  unsigned long n_desc = 0;
  const Uint16 *data = nullptr;
  unsigned long n_data = 0;
  if (item->findAndGetUint16Array (DCM_LUTDescriptor, desc, &n_desc).bad () || n_desc < 3)
    return nullptr;
  if (item->findAndGetUint16Array (DCM_LUTData, data, &n_data).bad () || data == nullptr)
    return nullptr;
  guint n = desc[0] == 0 ? 65536 : desc[0];
  if (n_data < n)
    return nullptr;
  LbDicomLut *lut = g_new0 (LbDicomLut, 1);
  lut->n_entries = n;
  lut->first_mapped = pixel_signed ? (int) (gint16) desc[1] : (int) desc[1];
  lut->bits = desc[2];
  lut->data = (guint16 *) g_memdup2 (data, n * sizeof (guint16));
  OFString expl;
  lut->explanation = item->findAndGetOFString (DCM_LUTExplanation, expl).good () ? to_utf8 (expl) : nullptr;
  return lut;
}

void
lut_free (LbDicomLut *lut)
{
  if (lut == nullptr)
    return;
  g_free (lut->data);
  g_free (lut->explanation);
  g_free (lut);
}

} // namespace

void
lb_dicom_meta_clear (LbDicomMeta *m)
{
  char **strings[] = {
    &m->patient_name, &m->patient_id, &m->patient_birth_date, &m->patient_sex,
    &m->patient_comments, &m->study_uid, &m->study_date, &m->study_time,
    &m->study_description, &m->accession_number, &m->series_uid,
    &m->series_description, &m->modality, &m->body_part, &m->laterality,
    &m->sop_class_uid, &m->sop_instance_uid, &m->content_date, &m->content_time,
    &m->acquisition_datetime, &m->image_comments, &m->transfer_syntax_uid,
    &m->photometric, &m->rescale_type,
  };
  for (char **s : strings)
    g_clear_pointer (s, g_free);
  for (guint i = 0; i < m->n_windows; i++)
    g_free (m->windows[i].explanation);
  g_clear_pointer (&m->windows, g_free);
  lut_free (m->modality_lut);
  lut_free (m->voi_lut);
  g_clear_pointer (&m->icc_profile, g_bytes_unref);
  memset (m, 0, sizeof *m);
}

void
lb_dicom_meta_fill (LbDicomObject *object)
{
  DcmDataset *ds = object->fileformat->getDataset ();
  DcmMetaInfo *mi = object->fileformat->getMetaInfo ();
  LbDicomMeta *m = &object->meta;

  /* PS3.5 6.1.2.3: strings are in the Specific Character Set. Converting
   * the whole dataset once makes every later read (and dup_string) UTF-8. */
  OFString charset;
  if (ds->findAndGetOFStringArray (DCM_SpecificCharacterSet, charset).good () &&
      !charset.empty () && charset != "ISO_IR 192" && charset != "ISO_IR 6")
    (void) ds->convertToUTF8 ();

  m->patient_name = get_str (ds, DCM_PatientName);
  m->patient_id = get_str (ds, DCM_PatientID);
  m->patient_birth_date = get_str (ds, DCM_PatientBirthDate);
  m->patient_sex = get_str (ds, DCM_PatientSex);
  m->patient_comments = get_str (ds, DCM_PatientComments);
  m->study_uid = get_str (ds, DCM_StudyInstanceUID);
  m->study_date = get_str (ds, DCM_StudyDate);
  m->study_time = get_str (ds, DCM_StudyTime);
  m->study_description = get_str (ds, DCM_StudyDescription);
  m->accession_number = get_str (ds, DCM_AccessionNumber);
  m->series_uid = get_str (ds, DCM_SeriesInstanceUID);
  m->series_description = get_str (ds, DCM_SeriesDescription);
  Sint32 num = 0;
  m->series_number = ds->findAndGetSint32 (DCM_SeriesNumber, num).good () ? num : 0;
  m->instance_number = ds->findAndGetSint32 (DCM_InstanceNumber, num).good () ? num : 0;
  m->modality = get_str (ds, DCM_Modality);
  m->body_part = get_str (ds, DCM_BodyPartExamined);
  if (m->body_part[0] == '\0')
    {
      DcmItem *region = nullptr;
      if (ds->findAndGetSequenceItem (DCM_AnatomicRegionSequence, region, 0).good () && region)
        {
          g_free (m->body_part);
          m->body_part = get_str (region, DCM_CodeMeaning);
        }
    }
  m->laterality = get_str (ds, DCM_ImageLaterality);
  if (m->laterality[0] == '\0')
    {
      g_free (m->laterality);
      m->laterality = get_str (ds, DCM_Laterality);
    }
  m->sop_class_uid = get_str (ds, DCM_SOPClassUID);
  m->sop_instance_uid = get_str (ds, DCM_SOPInstanceUID);
  m->content_date = get_str (ds, DCM_ContentDate);
  m->content_time = get_str (ds, DCM_ContentTime);
  m->acquisition_datetime = get_str (ds, DCM_AcquisitionDateTime);
  if (m->acquisition_datetime[0] == '\0')
    {
      g_autofree char *d = get_str (ds, DCM_AcquisitionDate);
      g_autofree char *t = get_str (ds, DCM_AcquisitionTime);
      g_free (m->acquisition_datetime);
      m->acquisition_datetime = g_strconcat (d, d[0] ? t : "", NULL);
    }
  m->image_comments = get_str (ds, DCM_ImageComments, true);
  m->patient_comments = (g_free (m->patient_comments), get_str (ds, DCM_PatientComments, true));
  m->transfer_syntax_uid = mi ? get_str (mi, DCM_TransferSyntaxUID) : g_strdup ("");
  if (m->transfer_syntax_uid[0] == '\0')
    {
      g_free (m->transfer_syntax_uid);
      m->transfer_syntax_uid = g_strdup (DcmXfer (object->xfer).getXferID ());
    }

  /* Lightbox's marker (DESIGN.md): an Acquisition Context item (PS3.3
   * C.7.6.14) whose concept name is (PGHD, 99LBX). */
  DcmSequenceOfItems *ctx = nullptr;
  if (ds->findAndGetSequence (DCM_AcquisitionContextSequence, ctx).good () && ctx)
    for (unsigned long i = 0; i < ctx->card (); i++)
      {
        DcmItem *it = ctx->getItem (i);
        if (code_item_is (it, DCM_ConceptNameCodeSequence, "PGHD", "99LBX") ||
            code_item_is (it, DCM_ConceptCodeSequence, "PGHD", "99LBX"))
          m->patient_generated = TRUE;
      }

  m->rows = get_uint (ds, DCM_Rows, 0);
  m->columns = get_uint (ds, DCM_Columns, 0);
  m->samples_per_pixel = get_uint (ds, DCM_SamplesPerPixel, 1);
  m->bits_allocated = get_uint (ds, DCM_BitsAllocated, 0);
  m->bits_stored = get_uint (ds, DCM_BitsStored, m->bits_allocated);
  m->high_bit = get_uint (ds, DCM_HighBit, m->bits_stored ? m->bits_stored - 1 : 0);
  m->pixel_signed = get_uint (ds, DCM_PixelRepresentation, 0) == 1;
  m->photometric = get_str (ds, DCM_PhotometricInterpretation);
  m->planar_configuration = get_uint (ds, DCM_PlanarConfiguration, 0);
  m->number_of_frames = 1;
  if (ds->findAndGetSint32 (DCM_NumberOfFrames, num).good () && num > 1)
    m->number_of_frames = (guint) num;
  m->frame_time_ms = get_double (ds, DCM_FrameTime, 0, 0);
  if (m->frame_time_ms <= 0)
    {
      double rate = get_double (ds, DCM_CineRate, 0, 0);
      if (rate <= 0)
        rate = get_double (ds, DCM_RecommendedDisplayFrameRate, 0, 0);
      m->frame_time_ms = rate > 0 ? 1000.0 / rate : 0;
    }
  m->has_pixel_data = ds->tagExists (DCM_PixelData);

  m->rescale_slope = get_double (ds, DCM_RescaleSlope, 0, 1);
  m->rescale_intercept = get_double (ds, DCM_RescaleIntercept, 0, 0);
  m->rescale_type = get_str (ds, DCM_RescaleType);
  DcmItem *lut_item = nullptr;
  if (ds->findAndGetSequenceItem (DCM_ModalityLUTSequence, lut_item, 0).good () && lut_item)
    m->modality_lut = read_lut (lut_item, m->pixel_signed);
  if (ds->findAndGetSequenceItem (DCM_VOILUTSequence, lut_item, 0).good () && lut_item)
    m->voi_lut = read_lut (lut_item, m->pixel_signed);

  /* PS3.3 C.11.2.1.2: centers and widths pair up by position. */
  DcmElement *centers = nullptr, *widths = nullptr;
  if (ds->findAndGetElement (DCM_WindowCenter, centers).good () &&
      ds->findAndGetElement (DCM_WindowWidth, widths).good ())
    {
      guint n = MIN (centers->getVM (), widths->getVM ());
      m->windows = g_new0 (LbWindowPreset, MAX (n, 1u));
      for (guint i = 0; i < n; i++)
        {
          double c = get_double (ds, DCM_WindowCenter, i, NAN);
          double w = get_double (ds, DCM_WindowWidth, i, NAN);
          if (isnan (c) || isnan (w) || w <= 0)
            continue;
          LbWindowPreset *p = &m->windows[m->n_windows++];
          p->center = c;
          p->width = w;
          OFString expl;
          if (ds->findAndGetOFString (DCM_WindowCenterWidthExplanation, expl, i).good () && !expl.empty ())
            p->explanation = to_utf8 (expl);
        }
    }
  g_autofree char *fn = get_str (ds, DCM_VOILUTFunction);
  m->voi_function = g_str_equal (fn, "SIGMOID") ? LB_VOI_FUNCTION_SIGMOID
                  : g_str_equal (fn, "LINEAR_EXACT") ? LB_VOI_FUNCTION_LINEAR_EXACT
                  : LB_VOI_FUNCTION_LINEAR;
  g_autofree char *shape = get_str (ds, DCM_PresentationLUTShape);
  m->presentation_inverse = g_str_equal (shape, "INVERSE");

  m->pixel_spacing[0] = get_double (ds, DCM_PixelSpacing, 0, 0);
  m->pixel_spacing[1] = get_double (ds, DCM_PixelSpacing, 1, 0);
  m->imager_pixel_spacing[0] = get_double (ds, DCM_ImagerPixelSpacing, 0, 0);
  m->imager_pixel_spacing[1] = get_double (ds, DCM_ImagerPixelSpacing, 1, 0);

  const Uint8 *icc = nullptr;
  unsigned long icc_len = 0;
  if (ds->findAndGetUint8Array (DCM_ICCProfile, icc, &icc_len).good () && icc && icc_len > 0)
    m->icc_profile = g_bytes_new (icc, icc_len);
}
