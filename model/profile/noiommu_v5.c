// SPDX-License-Identifier: MIT
/*
 * noiommu_v5.c - the iommufd half of "[PATCH v5 0/9] iommufd: Enable
 * noiommu mode for cdev" (Jacob Pan, May 2026) as posted: 2/9 (seed 002)
 * and 4/9 (seed 000). Hunk by hunk against Linux 7.3's
 * drivers/iommu/iommufd/:
 *
 * seed 000, 4/9 device.c:
 *  @@ -23 iommufd_device_is_noiommu(): IS_ENABLED(IOMMUFD_NOIOMMU) &&
 *      !dev->iommu, as 7.3 (only the comment was reworded in the thread).
 *  @@ -30 iommufd_group_release(): skips ictx->groups and the group put
 *      for a NULL group, as 7.3.
 *  @@ -204 iommufd_device_destroy(): returns early on a NULL igroup (the
 *      partial-init teardown), releases no DMA owner for noiommu, as 7.3.
 *  @@ -238/-268/-294 the bind split into iommufd_bind_iommu() /
 *      iommufd_bind_noiommu(), the ctx reference taken only after either
 *      succeeds, err_out through iommufd_object_abort_and_destroy(): the
 *      same calls in the same order as 7.3 (Yi Liu's "move the if (rc) out
 *      of the two branches" changes no outcome).
 *  @@ -512 / -577 iommufd_hwpt_attach_device() / _replace_device(): v5
 *      returns 0 for noiommu *before* iommufd_hwpt_compatible_device() and
 *      iommufd_hwpt_pasid_compat(); 7.3 runs both first. The two orders
 *      differ only for a fault HWPT with a PRI-capable PCI VF, or a PASID
 *      attach: the model has neither (device_attach.c), so no scenario can
 *      tell them apart and this profile does not override them.
 *  @@ -559 iommufd_hwpt_detach_device(): short-circuit first, as 7.3.
 *  @@ -652 iommufd_hw_pagetable_attach(): reserved regions skipped for
 *      noiommu (v5 tests it at the use, 7.3 folds it into attach_resv);
 *      the unwind's iopt_remove_reserved_iova() of nothing is a no-op.
 *
 * seed 002, 2/9 hw_pagetable.c and Kconfig:
 *  get_iommu_ops() (the noiommu ops for a NULL igroup->group, else
 *      WARN_ON_ONCE(!dev->iommu) and NULL) and iommufd_hwpt_paging_alloc()'s
 *      "if (!ops) return ERR_PTR(-ENODEV)": 7.3 kept both (Baolu Lu's
 *      "unnecessary" nit was not taken). Neither can fire: a device with
 *      an igroup->group passed bind_iommu's device_iommu_capable(), so
 *      dev->iommu is set for as long as it is bound.
 *  Kconfig IOMMUFD_NOIOMMU: the same depends/selects as 7.3; only the help
 *      differs ("Selected by VFIO_CDEV_NOIOMMU", the symbol of 6/9, vs 7.3's
 *      "selected by VFIO_NOIOMMU when VFIO_DEVICE_CDEV"). The model has no
 *      Kconfig for either (IOMMUFD_NOIOMMU is built in), and 1/9's
 *      VFIO_NOIOMMU -> VFIO_GROUP_NOIOMMU rename is VFIO's, not shown.
 *
 * Not in the seeds, so 7.3's: 3/9 iommufd_alloc_group(), hwpt_noiommu.c
 * itself (2/9 quotes only its diffstat), the third hw_pagetable.c hunk
 * (nested alloc; 2/9's diffstat counts 15+/2- against the 12+/1- quoted),
 * 5/9's IOMMU_IOAS_NOIOMMU_GET_PA, 6/9-9/9 (VFIO). Hence: no overrides.
 * docs/profiles.md and docs/series.md keep this list and what it shows.
 */
#include "../core/core.h"

const struct iommu_profile profile_noiommu_v5 = {
	.name = "noiommu-v5",
	.summary =
		"iommufd noiommu series v5 (May 2026), 2/9 and 4/9 as posted",
	.base = "linux-7.3",
	.guest_runnable = false,
};
