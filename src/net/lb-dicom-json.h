/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lb-study.h"

G_BEGIN_DECLS

/* Reading the DICOM JSON model (PS3.18 F.2), tolerant of what real archives
 * send. Tags are "GGGGEEEE" strings, e.g. 0x0020000D → "0020000D". */

char      *lb_dicom_json_get_string (JsonObject *dataset,
                                     guint32     tag);
gboolean   lb_dicom_json_get_int    (JsonObject *dataset,
                                     guint32     tag,
                                     gint64     *out);
LbStudy   *lb_dicom_json_to_study   (JsonObject *dataset,
                                     GError    **error);
char      *lb_dicom_json_study_to_string (LbStudy *study);
LbStudy   *lb_dicom_json_study_from_string (const char *json,
                                           GError    **error);
GPtrArray *lb_dicom_json_parse_studies (const char *data,
                                        gsize       length,
                                        GError    **error);
GPtrArray *lb_dicom_json_parse_studies_reference (const char *data,
                                                  gsize       length,
                                                  GError    **error);
gboolean   lb_dicom_json_scan_studies  (const char  *data,
                                        gsize        length,
                                        GPtrArray  **studies);
LbStudy   *lb_dicom_json_scan_study    (const char *data,
                                        gsize       length);
GPtrArray *lb_dicom_json_parse_datasets (const char *data,
                                         gsize       length,
                                         gboolean    allow_object,
                                         GError    **error);
JsonArray *lb_dicom_json_get_sequence  (JsonObject *dataset,
                                        guint32     tag);
GPtrArray *lb_dicom_json_datasets_to_studies (GPtrArray  *datasets,
                                              GError    **error);

G_END_DECLS
