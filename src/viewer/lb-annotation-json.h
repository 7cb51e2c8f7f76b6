/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lb-annotation.h"

G_BEGIN_DECLS

/*
 * The annotation JSON format, version 1 (docs/annotations.md). Writing
 * always produces version 1; reading refuses other versions and reports the
 * first problem with its place ("annotations[2].points[1]: …").
 */

#define LB_ANNOTATION_JSON_VERSION 1
/* Limits on untrusted input. */
#define LB_ANNOTATION_JSON_MAX_BYTES       (64 * 1024 * 1024)
#define LB_ANNOTATION_JSON_MAX_DEPTH       16
#define LB_ANNOTATION_JSON_MAX_ANNOTATIONS 100000
#define LB_ANNOTATION_JSON_MAX_POINTS      1000000

/* @measurements: add each annotation's computed "measurement" (ignored when read). */
JsonNode        *lb_annotation_set_to_json_node (LbAnnotationSet  *set,
                                                 gboolean          measurements);
char            *lb_annotation_set_to_json      (LbAnnotationSet  *set,
                                                 gboolean          measurements);
/* A new set with an empty history. */
LbAnnotationSet *lb_annotation_set_new_from_json (const char      *json,
                                                  gssize           length,
                                                  GError         **error);

G_END_DECLS
