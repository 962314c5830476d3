// SPDX-License-Identifier: MIT
/*
 * Linux 7.3's generic_pt instantiated for the IOMMUFD selftest's
 * amdv1_mock format by the kernel's own
 * drivers/iommu/generic_pt/fmt/iommu_mock.c (fmt/amdv1.h built with
 * AMDV1_IOMMUFD_SELFTEST: a 2 KiB granule, no features), against the same
 * stand-in headers as oracle_amdv1.c. Its own translation unit: both
 * instantiations define the same static helpers.
 */
#include "fmt/iommu_mock.c"
