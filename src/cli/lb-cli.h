/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lb-dicomweb-client.h"
#include "lb-outbox-sender.h"

G_BEGIN_DECLS

/* Each subcommand of lightbox-cli lives in its own lb-cli-<name>.c and
 * returns the process exit status: 0 success, 1 failure, 2 usage error. */
int lb_cli_query (int argc, char **argv);
int lb_cli_info  (int argc, char **argv);
int lb_cli_wrap  (int argc, char **argv);
int lb_cli_render (int argc, char **argv);
int lb_cli_bench_decode (int argc, char **argv);
int lb_cli_bench_render (int argc, char **argv);
int lb_cli_bench_memory (int argc, char **argv);
int lb_cli_bench_startup (int argc, char **argv);
/* A phone-like 4:2:0 q92 JPEG of @w × @h drawn in @dir (cjpeg); its path. */
char *lb_cli_bench_make_photo_jpeg (const char *dir, guint w, guint h, GError **error);
int lb_cli_fetch (int argc, char **argv);
int lb_cli_store (int argc, char **argv);
int lb_cli_outbox (int argc, char **argv);
int lb_cli_decide (int argc, char **argv);
int lb_cli_present (int argc, char **argv);
int lb_cli_export (int argc, char **argv);

/* Drains the outbox once, printing a line per object; the exit status. */
int lb_cli_drain (LbOutboxSender *sender);
int lb_cli_bench (int argc, char **argv);
double lb_cli_median (double *v, guint n);
int lb_cli_bench_net (int argc, char **argv);

/* Connection options shared by the network subcommands (lb-cli-query.c). */
typedef struct {
  char *user;
  char *password_file;
  char *token_file;
  char *ca_file;
  gboolean no_verify;
  int timeout;
} LbCliNetOptions;

void lb_cli_net_options_clear (LbCliNetOptions *opts);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LbCliNetOptions, lb_cli_net_options_clear)
GOptionGroup *lb_cli_net_option_group (LbCliNetOptions *opts);
LbDicomwebClient *lb_cli_make_client (const char            *server,
                                      const LbCliNetOptions *opts,
                                      GError               **error);

/* Runs the main loop until the async operation stored in *result lands. */
void lb_cli_wait_for (gpointer *result);

G_END_DECLS
