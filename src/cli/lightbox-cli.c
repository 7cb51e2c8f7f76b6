/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "lb-cli.h"
#include "lb-dicom.h"

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "query", lb_cli_query, "search an archive's studies (QIDO-RS)" },
  { "info", lb_cli_info, "print a DICOM object's metadata as JSON" },
  { "wrap", lb_cli_wrap, "wrap a JPEG/PNG photo as a VL Photographic Image" },
  { "render", lb_cli_render, "render a frame to PNG/PGM/PPM through the viewer's pipeline" },
  { "fetch", lb_cli_fetch, "retrieve a study into a folder (WADO-RS)" },
  { "store", lb_cli_store, "store objects through the outbox (STOW-RS)" },
  { "present", lb_cli_present, "save annotations as a presentation state (GSPS/CSPS) or read one as JSON" },
  { "export", lb_cli_export, "export 1–4 images with annotations for the patient (PDF/PNG)" },
  { "decide", lb_cli_decide, "approve, reject or ask for a retake (a KOS, through the outbox)" },
  { "outbox", lb_cli_outbox, "list or resend the objects waiting to be stored" },
  { "bench", lb_cli_bench, "benchmarks (decode, render, net)" },
};

static void
usage (FILE *out)
{
  fprintf (out, "Usage: lightbox-cli COMMAND [OPTIONS…]\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nRun “lightbox-cli COMMAND --help” for a command's options.\n");
}

void
lb_cli_wait_for (gpointer *result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("lightbox-cli %s (dcmtk %s)\n", PACKAGE_VERSION, lb_dicom_toolkit_version ());
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  g_printerr ("lightbox-cli: unknown command “%s”\n\n", argv[1]);
  usage (stderr);
  return 2;
}
