/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A fresh temporary directory, removed (with its contents) by
 * lb_test_remove_tree(). */
char     *lb_test_make_tmpdir   (void);
void      lb_test_remove_tree   (const char *path);

/* Runs argv (NULL-terminated), capturing stdout; fails the test with the
 * command's stderr when it exits non-zero and @must_succeed is set. */
gboolean  lb_test_run           (const char * const *argv,
                                 char              **out_stdout,
                                 int                *out_status,
                                 gboolean            must_succeed);

/* The DICOMweb URL of the Orthanc started by tools/orthanc-harness, or
 * NULL (and the test fails) when run outside the harness. */
const char *lb_test_dicomweb_url (void);

/* A path in the source tree's tests/ folder. */
char     *lb_test_source_path   (const char *first, ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
