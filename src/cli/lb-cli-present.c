/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lightbox-cli present IMAGE.dcm --annotations A.json --out PR.dcm: the
 * annotations as a presentation state (GSPS or CSPS) for the image.
 * lightbox-cli present --read PR.dcm: a presentation state as annotation
 * JSON (docs/annotations.md), with a "presentation" member describing it.
 */
#include "lb-config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lb-annotation-json.h"
#include "lb-annotation-pr.h"
#include "lb-cli.h"
#include "lb-dicom.h"

static int
read_pr (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_autoptr (LbPresentationState) ps = NULL;
  g_autoptr (LbAnnotationSet) set = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *text = NULL;

  if (bytes == NULL)
    {
      g_printerr ("lightbox-cli present: %s\n", error->message);
      return 1;
    }
  ps = lb_dicom_pr_parse (bytes, &error);
  if (ps == NULL)
    {
      g_printerr ("lightbox-cli present: %s\n", error->message);
      return 1;
    }
  set = lb_annotation_set_new_from_presentation_state (ps);
  root = lb_annotation_set_to_json_node (set, TRUE);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sop_class_uid");
  json_builder_add_string_value (b, ps->sop_class_uid);
  json_builder_set_member_name (b, "sop_instance_uid");
  json_builder_add_string_value (b, ps->sop_instance_uid);
  json_builder_set_member_name (b, "series_uid");
  json_builder_add_string_value (b, ps->series_uid);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, ps->color ? "CSPS" : "GSPS");
  json_builder_set_member_name (b, "content_label");
  json_builder_add_string_value (b, ps->content_label);
  json_builder_set_member_name (b, "content_description");
  json_builder_add_string_value (b, ps->content_description);
  json_builder_set_member_name (b, "creator");
  json_builder_add_string_value (b, ps->creator);
  json_builder_set_member_name (b, "creation_date");
  json_builder_add_string_value (b, ps->creation_date);
  json_builder_set_member_name (b, "creation_time");
  json_builder_add_string_value (b, ps->creation_time);
  json_builder_set_member_name (b, "display_units_converted");
  json_builder_add_boolean_value (b, ps->had_display_units);
  json_builder_end_object (b);
  json_object_set_member (json_node_get_object (root), "presentation", json_builder_get_root (b));

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
  return 0;
}

int
lb_cli_present (int argc, char **argv)
{
  g_autofree char *out = NULL, *annotations = NULL, *label = NULL, *creator = NULL;
  g_autofree char *description = NULL, *uid_root = NULL, *read = NULL;
  GOptionEntry entries[] = {
    { "annotations", 'a', 0, G_OPTION_ARG_FILENAME, &annotations, "Annotation JSON (docs/annotations.md)", "A.json" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Where to write the presentation state", "PR.dcm" },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, "Content Label (made upper case, ≤ 16 characters)", "TEXT" },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, "Content Description", "TEXT" },
    { "creator", 0, 0, G_OPTION_ARG_STRING, &creator, "Content Creator's Name, DICOM form", "FAMILY^GIVEN" },
    { "uid-root", 0, 0, G_OPTION_ARG_STRING, &uid_root, "Root for new UIDs", "ROOT" },
    { "read", 0, 0, G_OPTION_ARG_FILENAME, &read, "Print a presentation state as annotation JSON", "PR.dcm" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx =
    g_option_context_new ("IMAGE.dcm — save annotations as a presentation state (GSPS/CSPS), or --read one");
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  gsize json_len = 0;
  g_autoptr (LbDicomObject) image = NULL;
  g_autoptr (LbAnnotationSet) set = NULL;
  g_autoptr (GBytes) pr = NULL;
  g_autofree char *uid = NULL;
  const LbDicomMeta *m;
  const char *wanted;
  LbPrOptions options = { 0 };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("lightbox-cli present: %s\n", error->message);
      return 2;
    }
  if (read != NULL)
    {
      if (argc != 1 || out != NULL || annotations != NULL)
        {
          g_printerr ("lightbox-cli present: --read takes no image, --annotations or --out\n");
          return 2;
        }
      return read_pr (read);
    }
  if (argc != 2 || out == NULL || annotations == NULL)
    {
      g_printerr ("lightbox-cli present: IMAGE.dcm, --annotations and --out are required\n");
      return 2;
    }

  if (!g_file_get_contents (annotations, &json, &json_len, &error))
    {
      g_printerr ("lightbox-cli present: %s\n", error->message);
      return 1;
    }
  set = lb_annotation_set_new_from_json (json, (gssize) json_len, &error);
  if (set == NULL)
    {
      g_printerr ("lightbox-cli present: %s: %s\n", annotations, error->message);
      return 1;
    }
  image = lb_dicom_object_new_from_file (argv[1], NULL, &error);
  if (image == NULL)
    {
      g_printerr ("lightbox-cli present: %s: %s\n", argv[1], error->message);
      return 1;
    }
  /* Annotations made on another image must not land on this one. */
  m = lb_dicom_object_get_meta (image);
  wanted = lb_annotation_set_get_sop_instance_uid (set);
  if (wanted[0] != '\0' && g_strcmp0 (wanted, m->sop_instance_uid) != 0)
    {
      g_printerr ("lightbox-cli present: the annotations are for image %s, not %s\n", wanted, m->sop_instance_uid);
      return 1;
    }
  lb_annotation_set_set_image_from_dicom (set, image);

  options.content_label = label;
  options.content_description = description;
  options.creator = creator;
  options.uid_root = uid_root;
  pr = lb_annotation_set_build_pr (set, image, &options, &uid, &error);
  if (pr == NULL || !g_file_set_contents (out, g_bytes_get_data (pr, NULL), (gssize) g_bytes_get_size (pr), &error))
    {
      g_printerr ("lightbox-cli present: %s\n", error->message);
      return 1;
    }
  g_print ("%s\n", uid);
  return 0;
}
