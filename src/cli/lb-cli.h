/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Each subcommand of lightbox-cli lives in its own lb-cli-<name>.c and
 * returns the process exit status: 0 success, 1 failure, 2 usage error. */
int lb_cli_query (int argc, char **argv);
int lb_cli_info  (int argc, char **argv);
int lb_cli_wrap  (int argc, char **argv);
int lb_cli_render (int argc, char **argv);
int lb_cli_bench (int argc, char **argv);
int lb_cli_bench_decode (int argc, char **argv);
int lb_cli_bench_render (int argc, char **argv);

/* Runs the main loop until the async operation stored in *result lands. */
void lb_cli_wait_for (gpointer *result);

G_END_DECLS
