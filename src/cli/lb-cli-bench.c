/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-config.h"

#include <stdio.h>
#include <string.h>

#include "lb-cli.h"

#include <stdlib.h>

/* lightbox-cli bench TOPIC: the benchmarks behind DESIGN.md's budgets.
 * Each topic reports medians and a ratio against a peer measured in the
 * same run. */

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The median of @n values; sorts @v in place. */
double
lb_cli_median (double *v,
               guint   n)
{
  qsort (v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Bench;

static const Bench benches[] = {
  { "render", lb_cli_bench_render, "window/level and pan/zoom frame times, 4096² 16-bit in 1920×1080" },
  { "decode", lb_cli_bench_decode, "12 MP JPEG (full, 1/4) and 4096² 16-bit (raw, JPEG-LS) decode vs djpeg/dcmj2pnm" },
  { "memory", lb_cli_bench_memory, "resident memory with four 12 MP photos open side by side vs dcmj2pnm" },
  { "startup", lb_cli_bench_startup, "cold start to a usable window with a cached worklist (needs a display)" },
  { "net", lb_cli_bench_net, "QIDO parse + model of 10,000 studies; WADO-RS throughput vs curl" },
};

int
lb_cli_bench (int argc, char **argv)
{
  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (benches); i++)
      if (strcmp (argv[1], benches[i].name) == 0)
        return benches[i].run (argc - 1, argv + 1);

  g_printerr ("Usage: lightbox-cli bench TOPIC [OPTIONS…]\n\nTopics:\n");
  for (guint i = 0; i < G_N_ELEMENTS (benches); i++)
    g_printerr ("  %-8s %s\n", benches[i].name, benches[i].summary);
  return 2;
}
