/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include <stdio.h>
#include <string.h>

#include "lb-cli.h"

/* `lightbox-cli bench NAME`: each benchmark reports medians next to a peer
 * measured in the same run (DESIGN.md, Performance budgets). */
typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Bench;

static const Bench benches[] = {
  { "render", lb_cli_bench_render, "window/level and pan/zoom frame times, 4096² 16-bit in 1920×1080" },
  { "decode", lb_cli_bench_decode, "12 MP JPEG (full, 1/4) and 4096² 16-bit (raw, JPEG-LS) decode vs djpeg/dcmj2pnm" },
};

int
lb_cli_bench (int argc, char **argv)
{
  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (benches); i++)
      if (strcmp (argv[1], benches[i].name) == 0)
        return benches[i].run (argc - 1, argv + 1);

  fprintf (stderr, "Usage: lightbox-cli bench NAME [OPTIONS…]\n\nBenchmarks:\n");
  for (guint i = 0; i < G_N_ELEMENTS (benches); i++)
    fprintf (stderr, "  %-10s %s\n", benches[i].name, benches[i].summary);
  return 2;
}
