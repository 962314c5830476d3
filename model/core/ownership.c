// SPDX-License-Identifier: MIT
/*
 * ownership.c - DMA ownership (iommu.c, Linux 7.3): kernel drivers using
 * the default domain through the DMA API, and exclusive owners (VFIO,
 * iommufd) that move the group to its blocking domain. owner_cnt counts
 * both; owner is set only for an exclusive claim.
 */
#include "core.h"
#include "profile.h"
#include "kerrno.h"

/* iommu.c: iommu_device_use_default_domain() */
int iommu_device_use_default_domain(struct iommu_model *m, struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;
	const char *f = __func__;

	if (!group)
		return 0;
	if (!group->default_domain)
		return iommu_refuse(m, -EPROBE_DEFER, f,
				    "group %d has no default domain yet",
				    group->id);
	if (group->owner_cnt && group->domain != group->default_domain)
		return iommu_refuse(m, -EBUSY, f,
				    "group %d is in use (owner_cnt %u) and not "
				    "on its default domain",
				    group->id, group->owner_cnt);
	if (group->owner_cnt && group->owner)
		return iommu_refuse(m, -EBUSY, f, "group %d is owned by %s",
				    group->id, group->owner);
	if (group->owner_cnt && !iommu_group_pasid_array_empty(group))
		return iommu_refuse(m, -EBUSY, f,
				    "group %d has an attach handle or a "
				    "PASID attached (pasid_array not empty)",
				    group->id);
	iommu_touch_group(m, group);
	group->owner_cnt++;
	return 0;
}

/* iommu.c: iommu_device_unuse_default_domain() */
int iommu_device_unuse_default_domain(struct iommu_model *m, struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	if (!group)
		return 0;
	if (!IOMMU_WARN_ON_AS(m,
			      !group->owner_cnt ||
				      !iommu_group_pasid_array_empty(group),
			      "iommu_device_unuse_default_domain",
			      "!group->owner_cnt || "
			      "!xa_empty(&group->pasid_array)")) {
		iommu_touch_group(m, group);
		group->owner_cnt--;
	}
	return 0;
}

/*
 * A caller (not a driver bind) using the default domain directly: the
 * same kernel calls, counted apart in dev->direct_uses so the owner_cnt
 * invariant still balances (invariants.c expected_owner_cnt()).
 */
int iommu_direct_use_default_domain(struct iommu_model *m, struct device *dev)
{
	int ret = iommu_device_use_default_domain(m, dev);

	if (!ret && dev->iommu_group) {
		iommu_touch_device(m, dev);
		dev->direct_uses++;
	}
	return ret;
}

int iommu_direct_unuse_default_domain(struct iommu_model *m, struct device *dev)
{
	int ret = iommu_device_unuse_default_domain(m, dev);

	if (!m->warned && dev->direct_uses) {
		iommu_touch_device(m, dev);
		dev->direct_uses--;
	}
	return ret;
}

/* iommu.c: __iommu_group_alloc_blocking_domain() */
int __iommu_group_alloc_blocking_domain(struct iommu_model *m,
					struct iommu_group *group)
{
	struct device *dev = iommu_group_first_dev(group);
	struct iommu_device *iommu = dev->iommu;
	struct iommu_domain *blocking = NULL;
	int ret;

	/* dev_iommu_ops(dev) comes first, before the blocking_domain test:
	 * a group whose devices have no IOMMU (VFIO's fake noiommu group,
	 * vfio_noiommu_group_alloc()) is a NULL dereference there */
	if (!iommu)
		return iommu_refuse(m, IOMMU_UB,
				    "__iommu_group_alloc_blocking_domain",
				    "dev_iommu_ops(%s): %s has no IOMMU "
				    "(dev->iommu is NULL), the kernel "
				    "dereferences NULL",
				    dev->name, dev->name);
	if (group->blocking_domain)
		return 0;
	iommu_touch_group_members(m, group);
	if (iommu->blocked == BLOCKED_STATIC) {
		blocking = iommu_static_blocked_domain(m, iommu);
		ret = blocking ? 0 : -ENOMEM;
	} else {
		/* Drivers without IOMMU_DOMAIN_BLOCKED: an empty paging
		 * domain */
		ret = iommu_paging_domain_alloc(m, dev, &blocking);
	}
	if (!ret)
		iommu_domain_slot_set(&group->blocking_domain, blocking);
	return ret;
}

/* iommu.c: __iommu_take_dma_ownership() */
static int take_dma_ownership(struct iommu_model *m, struct iommu_group *group,
			      const char *owner)
{
	int ret;

	if (group->domain && group->domain != group->default_domain)
		return iommu_refuse(m, -EBUSY, "__iommu_take_dma_ownership",
				    "group %d is not on its default domain",
				    group->id);
	if (!iommu_group_pasid_array_empty(group))
		return iommu_refuse(m, -EBUSY, "__iommu_take_dma_ownership",
				    "group %d has an attach handle or a PASID "
				    "attached (pasid_array not empty)",
				    group->id);
	ret = __iommu_group_alloc_blocking_domain(m, group);
	if (!ret)
		ret = __iommu_group_set_domain(m, group,
					       group->blocking_domain);
	if (ret)
		return ret;
	iommu_touch_group(m, group);
	group->owner = owner;
	group->owner_cnt++;
	group->claims++;
	return 0;
}

/* iommu.c: iommu_group_claim_dma_owner() */
int linux73_iommu_group_claim_dma_owner(struct iommu_model *m,
					struct device *dev, const char *owner)
{
	struct iommu_group *group = dev->iommu_group;

	if (!group)
		return iommu_refuse(m, -ENODEV, "iommu_group_get",
				    "%s has no iommu_group", dev->name);
	/* a NULL owner is the DMA API's: WARN_ON(!owner) -> -EINVAL */
	if (IOMMU_WARN_ON(m, !owner))
		return -EINVAL;
	if (group->owner_cnt)
		return iommu_refuse(m, -EPERM, "iommu_group_claim_dma_owner",
				    "group %d already has owner_cnt %u%s%s",
				    group->id, group->owner_cnt,
				    group->owner ? ", owner "
						 : " (DMA API "
						   "users)",
				    group->owner ? group->owner : "");
	return take_dma_ownership(m, group, owner);
}

/* iommu.c: iommu_device_claim_dma_owner() */
int linux73_iommu_device_claim_dma_owner(struct iommu_model *m,
					 struct device *dev, const char *owner)
{
	struct iommu_group *group = dev->iommu_group;

	if (IOMMU_WARN_ON(m, !owner))
		return -EINVAL;
	if (!group)
		return iommu_refuse(m, -ENODEV, "iommu_device_claim_dma_owner",
				    "%s has no iommu_group", dev->name);
	if (!group->owner_cnt)
		return take_dma_ownership(m, group, owner);
	if (group->owner != owner)
		return iommu_refuse(m, -EPERM, "iommu_device_claim_dma_owner",
				    "group %d is %s (owner_cnt %u)", group->id,
				    group->owner ? "owned by another cookie"
						 : "used by a kernel driver",
				    group->owner_cnt);
	iommu_touch_group(m, group);
	group->owner_cnt++;
	group->claims++;
	return 0;
}

/* iommu.c: __iommu_release_dma_ownership(): always a full release */
static int release_dma_ownership(struct iommu_model *m,
				 struct iommu_group *group)
{
	if (IOMMU_WARN_ON_AS(m,
			     !group->owner_cnt || !group->owner ||
				     !iommu_group_pasid_array_empty(group),
			     "__iommu_release_dma_ownership",
			     "!group->owner_cnt || !group->owner || "
			     "!xa_empty(&group->pasid_array)"))
		return 0;
	iommu_touch_group(m, group);
	group->owner_cnt = 0;
	group->owner = NULL;
	group->claims = 0;
	__iommu_group_set_domain_nofail(m, group, group->default_domain);
	return 0;
}

int linux73_iommu_group_release_dma_owner(struct iommu_model *m,
					  struct device *dev)
{
	if (!dev->iommu_group)
		return iommu_refuse(m, -ENODEV, "iommu_group_get",
				    "%s has no iommu_group", dev->name);
	return release_dma_ownership(m, dev->iommu_group);
}

/* iommu.c: iommu_device_release_dma_owner() */
int linux73_iommu_device_release_dma_owner(struct iommu_model *m,
					   struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	if (!group)
		return iommu_refuse(m, IOMMU_UB,
				    "iommu_device_release_dma_owner",
				    "%s has no iommu_group: the kernel "
				    "dereferences NULL (caller must own it)",
				    dev->name);
	if (group->owner_cnt > 1) {
		iommu_touch_group(m, group);
		group->owner_cnt--;
		if (group->claims)
			group->claims--;
		return 0;
	}
	return release_dma_ownership(m, group);
}

/* iommu.c: iommu_group_dma_owner_claimed(): owner_cnt != 0 */
int iommu_group_dma_owner_claimed(struct iommu_model *m, struct device *dev)
{
	if (!dev->iommu_group)
		return iommu_refuse(m, -ENODEV, "iommu_group_get",
				    "%s has no iommu_group", dev->name);
	return dev->iommu_group->owner_cnt != 0;
}
