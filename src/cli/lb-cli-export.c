/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lightbox-cli export IMAGE.dcm… [--pr PR.dcm…] [--annotations A.json…]
 *     --out OUT.{pdf,png} [--note TEXT] [--leave-out-identity] [--label wound]
 *
 * The same export as the app's (lb-export.c): one image or 2–4 side by
 * side, for the patient portal. Annotation sets go to the image their
 * SOP Instance UID names; a set that names none needs a single image.
 */
#include "lb-config.h"

#include <gio/gio.h>

#include "lb-annotation-json.h"
#include "lb-annotation-pr.h"
#include "lb-cli.h"
#include "lb-store.h"
#include "lb-store-audit.h"
#include "lb-dicom.h"
#include "lb-export.h"

static LbAnnotationSet *
load_set (const char *path,
          gboolean    is_pr,
          GError    **error)
{
  g_autoptr (GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr (GBytes) bytes = g_file_load_bytes (file, NULL, NULL, error);
  g_autoptr (LbPresentationState) ps = NULL;

  if (bytes == NULL)
    return NULL;
  if (!is_pr)
    return lb_annotation_set_new_from_json (g_bytes_get_data (bytes, NULL),
                                            (gssize) g_bytes_get_size (bytes), error);
  ps = lb_dicom_pr_parse (bytes, error);
  if (ps == NULL)
    return NULL;
  return lb_annotation_set_new_from_presentation_state (ps);
}

/* Puts @set on the image it was made on. */
static gboolean
attach_set (LbExportImage   *images,
            guint            n_images,
            LbAnnotationSet *set,
            const char      *path,
            GError         **error)
{
  const char *uid = lb_annotation_set_get_sop_instance_uid (set);
  int target = -1;

  if (uid == NULL || uid[0] == '\0')
    {
      if (n_images != 1)
        {
          g_set_error (error, LB_EXPORT_ERROR, LB_EXPORT_ERROR_INVALID,
                       "%s does not say which image it annotates; with several images it cannot be placed", path);
          return FALSE;
        }
      target = 0;
    }
  for (guint i = 0; i < n_images && target < 0; i++)
    if (g_strcmp0 (lb_dicom_object_get_meta (images[i].image)->sop_instance_uid, uid) == 0)
      target = (int) i;
  if (target < 0)
    {
      g_set_error (error, LB_EXPORT_ERROR, LB_EXPORT_ERROR_INVALID,
                   "%s annotates image %s, which is not being exported", path, uid);
      return FALSE;
    }
  if (images[target].annotations != NULL)
    {
      g_set_error (error, LB_EXPORT_ERROR, LB_EXPORT_ERROR_INVALID,
                   "%s: image %u already has annotations", path, target + 1);
      return FALSE;
    }
  lb_annotation_set_set_image_from_dicom (set, images[target].image);
  images[target].annotations = g_object_ref (set);
  return TRUE;
}

int
lb_cli_export (int argc, char **argv)
{
  g_autofree char *out = NULL, *note = NULL, *label = NULL;
  g_auto (GStrv) prs = NULL;
  g_auto (GStrv) jsons = NULL;
  gboolean leave_out = FALSE;
  g_autofree char *db = NULL;
  GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Output file (.pdf or .png)", "OUT" },
    { "pr", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &prs, "Annotations from a presentation state (repeatable)", "PR.dcm" },
    { "annotations", 'a', 0, G_OPTION_ARG_FILENAME_ARRAY, &jsons, "Annotation JSON (repeatable)", "A.json" },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, "A plain-language note for the patient", "TEXT" },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, "Add a change table and plot of this measurement", "LABEL" },
    { "leave-out-identity", 0, 0, G_OPTION_ARG_NONE, &leave_out, "Leave the patient's name and ID out of the output", NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Local database holding the audit log (default: the user's)", "PATH" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("IMAGE.dcm… — export 1–4 images for the patient as PDF or PNG");
  g_autoptr (GError) error = NULL;
  LbExportImage images[LB_EXPORT_MAX_IMAGES] = { { 0 } };
  LbExportOptions options = { 0 };
  LbExportFormat format;
  guint n = 0;
  int status = 1;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("lightbox-cli export: %s\n", error->message);
      return 2;
    }
  if (argc < 2 || out == NULL)
    {
      g_printerr ("lightbox-cli export: usage: export IMAGE.dcm… --out OUT.{pdf,png}\n");
      return 2;
    }
  if (argc - 1 > LB_EXPORT_MAX_IMAGES)
    {
      g_printerr ("lightbox-cli export: at most %d images side by side\n", LB_EXPORT_MAX_IMAGES);
      return 2;
    }
  if (!lb_export_format_for_path (out, &format))
    {
      g_printerr ("lightbox-cli export: the output must end in .pdf or .png\n");
      return 2;
    }

  for (int i = 1; i < argc; i++, n++)
    {
      images[n].image = lb_dicom_object_new_from_file (argv[i], NULL, &error);
      if (images[n].image == NULL)
        {
          g_printerr ("lightbox-cli export: %s: %s\n", argv[i], error->message);
          goto out;
        }
    }
  for (guint pass = 0; pass < 2; pass++)
    {
      char **paths = pass == 0 ? prs : jsons;

      for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
        {
          g_autoptr (LbAnnotationSet) set = load_set (paths[i], pass == 0, &error);

          if (set == NULL || !attach_set (images, n, set, paths[i], &error))
            {
              g_printerr ("lightbox-cli export: %s%s%s\n", set == NULL ? paths[i] : "",
                          set == NULL ? ": " : "", error->message);
              goto out;
            }
        }
    }

  options.note = note;
  options.change_label = label;
  options.leave_out_identity = leave_out;
  if (!lb_export_write (images, n, &options, format, out, &error))
    {
      g_printerr ("lightbox-cli export: %s\n", error->message);
      goto out;
    }
  status = 0;

  /* Every export is audited (DESIGN.md): who, which objects, when, where. */
  {
    g_autoptr (LbStore) store = NULL;
    g_autoptr (GError) audit_error = NULL;
    g_autoptr (GFile) file = g_file_new_for_commandline_arg (out);
    g_autofree char *uri = g_file_get_uri (file);
    const char *uids[LB_EXPORT_MAX_IMAGES + 1] = { NULL };

    if (db == NULL)
      db = lb_store_default_path ();
    for (guint i = 0; i < n; i++)
      uids[i] = lb_dicom_object_get_meta (images[i].image)->sop_instance_uid;
    store = lb_store_open (db, &audit_error);
    if (store == NULL ||
        !lb_store_audit_export (store, g_get_user_name (), uri, uids, leave_out, &audit_error))
      {
        g_printerr ("lightbox-cli export: the export was written but not recorded in the audit log: %s\n",
                    audit_error->message);
        status = 1;
      }
  }

out:
  for (guint i = 0; i < n + 1 && i < LB_EXPORT_MAX_IMAGES; i++)
    {
      g_clear_pointer (&images[i].image, lb_dicom_object_unref);
      g_clear_object (&images[i].annotations);
    }
  return status;
}
