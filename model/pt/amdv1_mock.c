// SPDX-License-Identifier: MIT
/*
 * The IOMMUFD selftest's "amdv1_mock" page table: Linux 7.3's
 * drivers/iommu/generic_pt/fmt/iommu_mock.c, which builds fmt/amdv1.h with
 * AMDV1_IOMMUFD_SELFTEST ("a 2k page size to test cases where the CPU page
 * size is not the same") and PT_SUPPORTED_FEATURES 0, for
 * iommufd/selftest.c's mock domains. The algorithm and the entry bits are
 * AMDv1's (amdv1.c, amdv1_map.c); this file is only the format's
 * parameters and the configuration the selftest asks for.
 */
#include "pt/amdv1_priv.h"

/* fmt/amdv1.h's enum under AMDV1_IOMMUFD_SELFTEST */
const struct pt_amdv1_fmt pt_amdv1_mock_fmt = {
	.name = "amdv1_mock",
	.granule_lg2 = 11,  /* PT_GRANULE_LG2SZ: MOCK_PAGE_SIZE, 2 KiB */
	.max_top_level = 4, /* PT_MAX_TOP_LEVEL */
	.max_va_lg2 = 56,   /* PT_MAX_VA_ADDRESS_LG2 */
	.max_oa_lg2 = 51,   /* PT_MAX_OUTPUT_ADDRESS_LG2 */
	.has_features = false,
	.force_enabled = false,
};

/*
 * mock_domain_alloc_pgtable(), MOCK_IOMMUPT_DEFAULT and _HUGE: a zeroed
 * pt_iommu_amdv1_cfg ("The mock version has a 2k page size") with
 * hw_max_vasz_lg2 56, hw_max_oasz_lg2 51, starting_level 2 and no
 * features: no DYNAMIC_TOP, so amdv1pt_iommu_fmt_init() fixes the VA at
 * 11 + 9 * 3 = 38 bits, and no FORCE_COHERENCE (no FC in the leaves).
 */
struct pt_amdv1_cfg pt_amdv1_cfg_mock(void)
{
	struct pt_amdv1_cfg cfg = {
		.fmt = &pt_amdv1_mock_fmt,
		.starting_level = 2,
		.hw_max_vasz_lg2 = 56,
		.hw_max_oasz_lg2 = 51,
	};
	return cfg;
}
