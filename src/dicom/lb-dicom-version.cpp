/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lb-dicom.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>

G_DEFINE_QUARK (lb-dicom-error-quark, lb_dicom_error)

extern "C" const char *
lb_dicom_toolkit_version (void)
{
  return OFFIS_DCMTK_VERSION_STRING;
}
