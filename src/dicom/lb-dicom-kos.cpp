/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Key Object Selection documents for review decisions (PS3.3 A.35.4,
 * template TID 2010 in PS3.16), built and read with dcmsr.
 */
#include "lb-dicom.h"
#include "lb-dicom-private.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include <new>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using lb::nz;
using lb::make_uid;
using lb::check;

/* Lightbox's UID root when the caller gives none: dcmtk's site root is
 * OFFIS's; ours keeps generated UIDs recognisable. */

struct TitleCode
{
  LbKosTitle title;
  const char *code;
  const char *meaning;
};

/* CID 7010 "Key Object Selection Document Title". */
const TitleCode titles[] = {
  { LB_KOS_TITLE_OF_INTEREST, "113000", "Of Interest" },
  { LB_KOS_TITLE_REJECTED_QUALITY, "113001", "Rejected for Quality Reasons" },
  { LB_KOS_TITLE_REJECTED_PATIENT_SAFETY, "113037", "Rejected for Patient Safety Reasons" },
  { LB_KOS_TITLE_QUALITY_ISSUE, "113010", "Quality Issue" },
  { LB_KOS_TITLE_FOR_PATIENT, "113007", "For Patient" },
};




void
set_error (GError **error, int code, const char *fmt, const char *detail)
{
  g_set_error (error, LB_DICOM_ERROR, code, fmt, detail);
}

std::string
get (DcmItem *item, const DcmTagKey &key)
{
  OFString value;
  if (item->findAndGetOFStringArray (key, value).good ())
    return value.c_str ();
  return "";
}

} // namespace

extern "C" GBytes *
lb_dicom_kos_build (const LbKosOptions  *o,
                    char               **out_sop_instance_uid,
                    GError             **error)
{
  g_return_val_if_fail (o != nullptr, nullptr);
  g_return_val_if_fail (error == nullptr || *error == nullptr, nullptr);

  try
    {
      const TitleCode *title = nullptr;
      for (const auto &t : titles)
        if (t.title == o->title)
          title = &t;
      if (title == nullptr)
        {
          set_error (error, LB_DICOM_ERROR_UNSUPPORTED, "Cannot write a key object document with title %s", "OTHER");
          return nullptr;
        }
      if (o->study_uid == nullptr || o->study_uid[0] == '\0' || o->n_references == 0)
        {
          set_error (error, LB_DICOM_ERROR_MALFORMED, "%s",
                     "A key object document needs a study and at least one referenced image");
          return nullptr;
        }

      DSRDocument doc (DSRTypes::DT_KeyObjectSelectionDocument);
      check (doc.setSpecificCharacterSetType (DSRTypes::CS_UTF8), "character set");
      /* A new series in the same study as the images (DESIGN.md). */
      std::string series_uid = make_uid (o->uid_root);
      std::string sop_uid = make_uid (o->uid_root);
      check (doc.createNewSeriesInStudy (o->study_uid), "study");
      doc.setPatientName (nz (o->patient_name));
      doc.setPatientID (nz (o->patient_id));
      doc.setPatientBirthDate (nz (o->patient_birth_date));
      doc.setPatientSex (nz (o->patient_sex));
      doc.setStudyDate (nz (o->study_date));
      doc.setStudyTime (nz (o->study_time));
      doc.setStudyID (nz (o->study_id));
      doc.setAccessionNumber (nz (o->accession_number));
      doc.setReferringPhysicianName (nz (o->referring_physician));
      doc.setManufacturer ("Lightbox");
      doc.setSoftwareVersions ("Lightbox");
      doc.setSeriesDescription ("Review decision");
      doc.setSeriesNumber ("9900");
      doc.setInstanceNumber ("1");

      g_autoptr (GDateTime) now = o->content_datetime != nullptr
                                    ? g_date_time_ref (o->content_datetime)
                                    : g_date_time_new_now_local ();
      g_autofree char *date = g_date_time_format (now, "%Y%m%d");
      g_autofree char *time = g_date_time_format (now, "%H%M%S");
      doc.setContentDate (date);
      doc.setContentTime (time);
      doc.setSeriesDate (date);
      doc.setSeriesTime (time);

      /* TID 2010: root CONTAINER titled from CID 7010. */
      DSRDocumentTree &tree = doc.getTree ();
      check (tree.addContentItem (DSRTypes::RT_isRoot, DSRTypes::VT_Container,
                                  DSRCodedEntryValue (title->code, "DCM", title->meaning)),
             "document title");
      check (tree.getCurrentContentItem ().setTemplateIdentification ("2010", "DCMR"), "template");
      tree.getCurrentContentItem ().setContinuityOfContent (DSRTypes::COC_Separate);

      bool first = true;
      auto add_child = [&] (DSRTypes::E_RelationshipType rel, DSRTypes::E_ValueType type,
                            const DSRCodedEntryValue &concept) {
        if (first)
          check (tree.addChildContentItem (rel, type, concept), "content item");
        else
          check (tree.addContentItem (rel, type, concept), "content item");
        first = false;
      };
      auto add_child_unnamed = [&] (DSRTypes::E_RelationshipType rel, DSRTypes::E_ValueType type) {
        size_t id = tree.addContentItem (rel, type, first ? DSRTypes::AM_belowCurrent : DSRTypes::AM_afterCurrent);
        if (id == 0)
          throw std::runtime_error ("cannot add an image reference");
        first = false;
      };

      /* Document Title Modifier (113011) from CID 7011, e.g. motion blur. */
      if (o->reason_code != nullptr && o->reason_code[0] != '\0')
        {
          add_child (DSRTypes::RT_hasConceptMod, DSRTypes::VT_Code,
                     DSRCodedEntryValue ("113011", "DCM", "Document Title Modifier"));
          check (tree.getCurrentContentItem ().setCodeValue (
                   DSRCodedEntryValue (o->reason_code, "DCM", nz (o->reason_meaning))),
                 "reason");
        }
      /* Observer context (TID 1002): the reviewer. */
      if (o->observer_name != nullptr && o->observer_name[0] != '\0')
        {
          add_child (DSRTypes::RT_hasObsContext, DSRTypes::VT_Code,
                     DSRCodedEntryValue ("121005", "DCM", "Observer Type"));
          check (tree.getCurrentContentItem ().setCodeValue (DSRCodedEntryValue ("121006", "DCM", "Person")),
                 "observer type");
          add_child (DSRTypes::RT_hasObsContext, DSRTypes::VT_PName,
                     DSRCodedEntryValue ("121008", "DCM", "Person Observer Name"));
          check (tree.getCurrentContentItem ().setStringValue (o->observer_name), "observer name");
        }
      if (o->description != nullptr && o->description[0] != '\0')
        {
          add_child (DSRTypes::RT_contains, DSRTypes::VT_Text,
                     DSRCodedEntryValue ("113012", "DCM", "Key Object Description"));
          check (tree.getCurrentContentItem ().setStringValue (o->description), "description");
        }
      for (guint i = 0; i < o->n_references; i++)
        {
          const LbKosReference *r = &o->references[i];

          if (r->sop_class_uid == nullptr || r->sop_instance_uid == nullptr || r->series_uid == nullptr)
            throw std::runtime_error ("a referenced image lacks its UIDs");
          add_child_unnamed (DSRTypes::RT_contains, DSRTypes::VT_Image);
          DSRImageReferenceValue ref (r->sop_class_uid, r->sop_instance_uid);
          if (r->pr_sop_instance_uid != nullptr && r->pr_sop_class_uid != nullptr)
            ref.setPresentationState (DSRCompositeReferenceValue (r->pr_sop_class_uid, r->pr_sop_instance_uid));
          check (tree.getCurrentContentItem ().setImageReference (ref), "image reference");
          /* dcmsr leaves the evidence sequence empty; archives such as
           * dcm4chee rely on it to find the rejected instances. */
          check (doc.getCurrentRequestedProcedureEvidence ().addItem (o->study_uid, r->series_uid,
                                                                      r->sop_class_uid, r->sop_instance_uid),
                 "evidence");
          if (r->pr_sop_instance_uid != nullptr && r->pr_sop_class_uid != nullptr)
            check (doc.getCurrentRequestedProcedureEvidence ().addItem (o->study_uid, r->series_uid,
                                                                        r->pr_sop_class_uid, r->pr_sop_instance_uid),
                   "evidence");
        }

      DcmFileFormat file;
      DcmDataset *ds = file.getDataset ();
      check (doc.write (*ds), "write");
      /* dcmsr generates its own UIDs; use ours, under the configured root. */
      check (ds->putAndInsertString (DCM_SeriesInstanceUID, series_uid.c_str ()), "series uid");
      check (ds->putAndInsertString (DCM_SOPInstanceUID, sop_uid.c_str ()), "sop uid");
      check (ds->putAndInsertString (DCM_InstanceCreationDate, date), "creation date");
      check (ds->putAndInsertString (DCM_InstanceCreationTime, time), "creation time");

      GBytes *bytes = lb::encode_part10 (file);

      if (out_sop_instance_uid != nullptr)
        *out_sop_instance_uid = g_strdup (sop_uid.c_str ());
      return bytes;
    }
  catch (const std::bad_alloc &)
    {
      set_error (error, LB_DICOM_ERROR_LIMIT, "%s", "Out of memory while writing a key object document");
    }
  catch (const std::exception &e)
    {
      set_error (error, LB_DICOM_ERROR_MALFORMED, "Cannot write the key object document: %s", e.what ());
    }
  catch (...)
    {
      set_error (error, LB_DICOM_ERROR_MALFORMED, "%s", "Cannot write the key object document");
    }
  return nullptr;
}

extern "C" LbKosInfo *
lb_dicom_kos_parse (GBytes  *bytes,
                    GError **error)
{
  g_return_val_if_fail (bytes != nullptr, nullptr);

  try
    {
      gsize size = 0;
      const void *data = g_bytes_get_data (bytes, &size);
      if (size < 132 || size > G_MAXUINT32)
        {
          set_error (error, LB_DICOM_ERROR_NOT_DICOM, "%s", "Not a DICOM file: too short");
          return nullptr;
        }
      DcmInputBufferStream in;
      in.setBuffer (data, (offile_off_t) size);
      in.setEos ();
      DcmFileFormat file;
      file.transferInit ();
      OFCondition cond = file.read (in, EXS_Unknown, EGL_noChange, DCM_MaxReadLength);
      file.transferEnd ();
      if (cond.bad ())
        {
          set_error (error, LB_DICOM_ERROR_MALFORMED, "Cannot read the key object document: %s", cond.text ());
          return nullptr;
        }
      DcmDataset *ds = file.getDataset ();
      if (get (ds, DCM_SOPClassUID) != UID_KeyObjectSelectionDocumentStorage)
        {
          set_error (error, LB_DICOM_ERROR_UNSUPPORTED, "%s", "Not a key object selection document");
          return nullptr;
        }

      DSRDocument doc;
      cond = doc.read (*ds);
      if (cond.bad ())
        {
          set_error (error, LB_DICOM_ERROR_MALFORMED, "Cannot read the key object document: %s", cond.text ());
          return nullptr;
        }

      g_autoptr (LbKosInfo) info = g_new0 (LbKosInfo, 1);
      g_autoptr (GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
      std::string reason_code, reason_meaning, description, observer;

      DSRDocumentTree &tree = doc.getTree ();
      if (tree.gotoRoot () == 0)
        {
          set_error (error, LB_DICOM_ERROR_MALFORMED, "%s", "The key object document has no content");
          return nullptr;
        }
      const DSRCodedEntryValue &concept = tree.getCurrentContentItem ().getConceptName ();
      info->title_code = g_strdup (concept.getCodeValue ().c_str ());
      info->title_meaning = g_strdup (concept.getCodeMeaning ().c_str ());
      info->title = LB_KOS_TITLE_OTHER;
      for (const auto &t : titles)
        if (concept.getCodeValue () == t.code && concept.getCodingSchemeDesignator () == "DCM")
          info->title = t.title;

      /* Walk the root's direct children only: TID 2010 is flat. */
      if (tree.goDown () > 0)
        {
          do
            {
              DSRContentItem &item = tree.getCurrentContentItem ();
              const OFString &name = item.getConceptName ().getCodeValue ();

              if (item.getValueType () == DSRTypes::VT_Code && name == "113011")
                {
                  reason_code = item.getCodeValue ().getCodeValue ().c_str ();
                  reason_meaning = item.getCodeValue ().getCodeMeaning ().c_str ();
                }
              else if (item.getValueType () == DSRTypes::VT_Text && name == "113012")
                description = item.getStringValue ().c_str ();
              else if (item.getValueType () == DSRTypes::VT_PName && name == "121008")
                observer = item.getStringValue ().c_str ();
              else if (item.getValueType () == DSRTypes::VT_Image && item.getImageReferencePtr () != nullptr)
                g_ptr_array_add (refs, g_strdup (item.getImageReferencePtr ()->getSOPInstanceUID ().c_str ()));
            }
          while (tree.gotoNext () > 0);
        }
      g_ptr_array_add (refs, nullptr);

      info->reason_code = g_strdup (reason_code.c_str ());
      info->reason_meaning = g_strdup (reason_meaning.c_str ());
      info->description = g_strdup (description.c_str ());
      info->observer_name = g_strdup (observer.c_str ());
      info->content_date = g_strdup (get (ds, DCM_ContentDate).c_str ());
      info->content_time = g_strdup (get (ds, DCM_ContentTime).c_str ());
      info->study_uid = g_strdup (get (ds, DCM_StudyInstanceUID).c_str ());
      info->series_uid = g_strdup (get (ds, DCM_SeriesInstanceUID).c_str ());
      info->sop_instance_uid = g_strdup (get (ds, DCM_SOPInstanceUID).c_str ());
      info->referenced_instances = (char **) g_ptr_array_free (g_steal_pointer (&refs), FALSE);
      return g_steal_pointer (&info);
    }
  catch (...)
    {
      set_error (error, LB_DICOM_ERROR_MALFORMED, "%s", "Cannot read the key object document");
    }
  return nullptr;
}

extern "C" void
lb_kos_info_free (LbKosInfo *info)
{
  if (info == nullptr)
    return;
  g_free (info->title_code);
  g_free (info->title_meaning);
  g_free (info->reason_code);
  g_free (info->reason_meaning);
  g_free (info->description);
  g_free (info->observer_name);
  g_free (info->content_date);
  g_free (info->content_time);
  g_free (info->study_uid);
  g_free (info->series_uid);
  g_free (info->sop_instance_uid);
  g_strfreev (info->referenced_instances);
  g_free (info);
}
