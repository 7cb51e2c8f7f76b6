/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include <string.h>

#include "lb-cli.h"
#include "lb-outbox-sender.h"
#include "lb-review.h"
#include "lb-study-loader.h"

/* lightbox-cli decide: the same decision the app's decision bar makes, for
 * integration engines. The study is read from the archive (its images'
 * identifiers go into the document), the key object document goes through
 * the outbox, and the outbox is drained once. */

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
parse_reason (const char *nick, LbReason *out)
{
  if (nick == NULL || !lb_reason_from_nick (nick, out) || *out == LB_REASON_NONE)
    {
      g_printerr ("lightbox-cli decide: unknown reason “%s”; one of:", nick ? nick : "");
      for (guint i = LB_REASON_NONE + 1; i < LB_N_REASONS; i++)
        g_printerr (" %s", lb_reason_get_info (i)->nick);
      g_printerr ("\n");
      return FALSE;
    }
  return TRUE;
}

int
lb_cli_decide (int argc, char **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *study_uid = NULL;
  g_auto (GStrv) instances = NULL;
  gboolean approve = FALSE;
  g_autofree char *reject = NULL;
  g_autofree char *retake = NULL;
  g_autofree char *instructions = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *reviewer = NULL;
  g_autofree char *db = NULL;
  g_auto (LbCliNetOptions) net = { 0 };
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, "DICOMweb address of the archive", "URL" },
    { "study", 0, 0, G_OPTION_ARG_STRING, &study_uid, "Study Instance UID", "UID" },
    { "instances", 0, 0, G_OPTION_ARG_STRING_ARRAY, &instances, "Only these SOP Instance UIDs (repeat); default: every image of the study", "UID" },
    { "approve", 0, 0, G_OPTION_ARG_NONE, &approve, "Approve", NULL },
    { "reject", 0, 0, G_OPTION_ARG_STRING, &reject, "Reject for REASON (blurry, under-exposed, over-exposed, wrong-body-part, not-useful, identifiable, wrong-patient, other)", "REASON" },
    { "retake", 0, 0, G_OPTION_ARG_STRING, &retake, "Ask the patient for a new photo, for REASON", "REASON" },
    { "instructions", 0, 0, G_OPTION_ARG_STRING, &instructions, "Instructions for the patient (with --retake)", "TEXT" },
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, "A comment", "TEXT" },
    { "reviewer", 0, 0, G_OPTION_ARG_STRING, &reviewer, "The reviewer's name (default: the user's)", "NAME" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Local database holding the outbox", "PATH" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- record a review decision in the archive (KOS)");
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomwebClient) client = NULL;
  g_autoptr (LbStore) store = NULL;
  g_autoptr (LbOutboxSender) sender = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (LbStudyContent) content = NULL;
  g_autoptr (GPtrArray) chosen = NULL;
  g_autoptr (GBytes) kos = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *text = NULL;
  LbDecisionKind kind;
  LbReason reason = LB_REASON_NONE;
  guint n_kinds;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, lb_cli_net_option_group (&net));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("lightbox-cli decide: %s\n", error->message);
      return 2;
    }
  n_kinds = !!approve + (reject != NULL) + (retake != NULL);
  if (server == NULL || study_uid == NULL || n_kinds != 1)
    {
      g_printerr ("lightbox-cli decide: --server, --study and one of --approve, --reject, --retake are required\n");
      return 2;
    }
  if (approve)
    kind = LB_DECISION_APPROVE;
  else if (reject != NULL)
    {
      kind = LB_DECISION_REJECT;
      if (!parse_reason (reject, &reason))
        return 2;
    }
  else
    {
      kind = LB_DECISION_RETAKE;
      if (!parse_reason (retake, &reason))
        return 2;
      if (reason == LB_REASON_WRONG_PATIENT)
        {
          g_printerr ("lightbox-cli decide: a photo of the wrong patient is rejected, not retaken\n");
          return 2;
        }
    }
  text = g_strdup (kind == LB_DECISION_RETAKE ? instructions : comment);
  if (kind == LB_DECISION_RETAKE && comment != NULL)
    {
      g_free (text);
      text = g_strdup_printf ("%s (%s)", instructions ? instructions : "", comment);
    }

  client = lb_cli_make_client (server, &net, &error);
  if (client == NULL)
    {
      g_printerr ("lightbox-cli decide: %s\n", error->message);
      return 1;
    }
  lb_study_load_async (client, NULL, study_uid, NULL, done_cb, &result);
  lb_cli_wait_for ((gpointer *) &result);
  content = lb_study_load_finish (client, result, &error);
  if (content == NULL)
    {
      g_printerr ("lightbox-cli decide: %s\n", error->message);
      return 1;
    }

  chosen = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_dicom_object_unref);
  for (guint i = 0; i < content->images->len; i++)
    {
      LbDicomObject *object = g_ptr_array_index (content->images, i);
      if (instances == NULL || g_strv_contains ((const char * const *) instances,
                                                lb_dicom_object_get_meta (object)->sop_instance_uid))
        g_ptr_array_add (chosen, lb_dicom_object_ref (object));
    }
  if (chosen->len == 0 || (instances != NULL && chosen->len != g_strv_length (instances)))
    {
      g_printerr ("lightbox-cli decide: %s\n",
                  chosen->len == 0 ? "the study has no such images in the archive"
                                   : "some --instances are not images of this study");
      return 1;
    }

  kos = lb_review_build_kos (chosen, kind, reason, text, reviewer ? reviewer : g_get_real_name (),
                             NULL, &uid, &error);
  if (kos == NULL)
    {
      g_printerr ("lightbox-cli decide: %s\n", error->message);
      return 1;
    }
  if (db == NULL)
    db = lb_store_default_path ();
  store = lb_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("lightbox-cli decide: %s\n", error->message);
      return 1;
    }
  sender = lb_outbox_sender_new (store, client);
  if (lb_outbox_sender_enqueue (sender, kos, &error) == 0)
    {
      g_printerr ("lightbox-cli decide: %s\n", error->message);
      return 1;
    }
  lb_store_audit_append (store, "decision", reviewer ? reviewer : g_get_real_name (), server, uid, NULL);
  g_print ("queued\t%s\n", uid);
  return lb_cli_drain (sender);
}
