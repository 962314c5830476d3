// SPDX-License-Identifier: MIT
/*
 * Linux 7.3's generic_pt instantiated for AMDv1 by the kernel's own
 * drivers/iommu/generic_pt/fmt/iommu_amdv1.c, against the stand-in headers
 * in shim/. The kernel files are copied from a 7.3 source tree into the
 * build directory at configure time; none is in this repository.
 */
#include "fmt/iommu_amdv1.c"

long oracle_pages_in_use;
int oracle_fail_nth;
