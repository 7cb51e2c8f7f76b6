/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Objects for the viewer's tests, made by the tests: pydicom for the
 * grayscale and RGB ones (make-render-objects.py), and a procedurally drawn
 * photo compressed by libjpeg-turbo's cjpeg and wrapped as a VL
 * Photographic Image (XC) by the DICOM core, as an imported photo would be.
 */

/* Runs make-render-objects.py into @dir (with --big: also big-ct.dcm). */
void  lb_viewer_test_make_objects (const char *dir,
                                   gboolean    big);
/* Writes @dir/@name.dcm (and @name.jpg); returns the .dcm path. */
char *lb_viewer_test_make_photo   (const char *dir,
                                   const char *name,
                                   guint       width,
                                   guint       height);

/* An 8-bit binary PGM (P5) or PPM (P6), as dcmtk and lightbox-cli write
 * them; *@channels is 1 or 3. */
guint8 *lb_viewer_test_read_pnm   (const char *path,
                                   guint      *width,
                                   guint      *height,
                                   guint      *channels);

G_END_DECLS
