// SPDX-License-Identifier: GPL-3.0-or-later
// The DICOM core's public header must compile as C++ too (STYLE.md).
#include "lb-dicom.h"

int
main ()
{
  return lb_dicom_toolkit_version () != nullptr ? 0 : 1;
}
