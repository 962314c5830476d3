// SPDX-License-Identifier: MIT
/*
 * iommusim.c - the installed library's own symbol: its version. The rest
 * of libiommusim is the model (model/, model/pt, model/iommufd) and the
 * scenario runner (sim/), linked whole (lib/CMakeLists.txt).
 */
#include "iommusim.h"

const char *iommusim_version(void)
{
	return IOMMUSIM_VERSION;
}
