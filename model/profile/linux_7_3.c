// SPDX-License-Identifier: MIT
/*
 * linux_7_3.c - the Linux 7.3 profile, the root every delta builds on:
 * every entry point is the one in model/core, which follows
 * drivers/iommu/iommu.c of 7.3 function by function.
 * iommu_group_replace_domain() no longer exists in 7.3 (the 2022 series'
 * 1/8 was reworked into iommu_replace_group_handle()). The VFIO hooks
 * are model/vfio's, which follows drivers/vfio of 7.3 (and its Kconfig).
 */
#include "../core/core.h"
#include "../vfio/vfio_private.h"

const struct iommu_profile profile_linux_7_3 = {
	.name = "linux-7.3",
	.summary = "drivers/iommu/iommu.c as released in Linux 7.3",
	.base = NULL,
	.guest_runnable = true,
	.ops = {
		.attach_device = linux73_iommu_attach_device,
		.detach_device = linux73_iommu_detach_device,
		.attach_group = linux73_iommu_attach_group,
		.detach_group = linux73_iommu_detach_group,
		.attach_group_handle = linux73_iommu_attach_group_handle,
		.detach_group_handle = linux73_iommu_detach_group_handle,
		.replace_group_handle = linux73_iommu_replace_group_handle,
		.group_claim_dma_owner = linux73_iommu_group_claim_dma_owner,
		.group_release_dma_owner =
			linux73_iommu_group_release_dma_owner,
		.device_claim_dma_owner = linux73_iommu_device_claim_dma_owner,
		.device_release_dma_owner =
			linux73_iommu_device_release_dma_owner,
	},
	.absent = IOMMU_OP(group_replace_domain),
	.claim = CLAIM_BLOCKS,
	.vfio = {
		.noiommu_depends = linux73_vfio_noiommu_depends,
		.noiommu_group_alloc = linux73_vfio_noiommu_group_alloc,
		.device_block_group = linux73_vfio_device_block_group,
		.device_unblock_group = linux73_vfio_device_unblock_group,
		.register_dev = linux73___vfio_register_dev,
		.df_iommufd_bind = linux73_vfio_df_iommufd_bind,
		.df_iommufd_unbind = linux73_vfio_df_iommufd_unbind,
	},
};
