// SPDX-License-Identifier: MIT
/*
 * linux_7_3.c - the Linux 7.3 profile: every entry point is the one in
 * model/core, which follows drivers/iommu/iommu.c of 7.3 function by
 * function. iommu_group_replace_domain() no longer exists in 7.3.
 */
#include <string.h>

#include "profile.h"

const struct iommu_profile profile_linux_7_3 = {
	.name = "linux-7.3",
	.summary = "drivers/iommu/iommu.c as released in Linux 7.3",
	.attach_device = iommu_attach_device,
	.detach_device = iommu_detach_device,
	.attach_group = iommu_attach_group,
	.detach_group = iommu_detach_group,
	.attach_group_handle = iommu_attach_group_handle,
	.detach_group_handle = iommu_detach_group_handle,
	.replace_group_handle = iommu_replace_group_handle,
	.group_replace_domain = NULL,
	.group_claim_dma_owner = iommu_group_claim_dma_owner,
	.group_release_dma_owner = iommu_group_release_dma_owner,
	.device_claim_dma_owner = iommu_device_claim_dma_owner,
	.device_release_dma_owner = iommu_device_release_dma_owner,
	.claim_blocks = true,
};

const char *const iommu_profile_names[] = { "linux-7.3", "rfc-2022-v1", NULL };

const struct iommu_profile *iommu_profile_find(const char *name)
{
	if (!strcmp(name, profile_linux_7_3.name))
		return &profile_linux_7_3;
	if (!strcmp(name, profile_rfc_2022_v1.name))
		return &profile_rfc_2022_v1;
	return NULL;
}
