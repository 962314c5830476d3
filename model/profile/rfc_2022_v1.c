// SPDX-License-Identifier: MIT
/*
 * rfc_2022_v1.c - "[PATCH v1 0/8] Scrap iommu_attach/detach_group()
 * interfaces" (Lu Baolu, 2022-01-06; ../shared/seeds/003) as posted.
 *
 *  1/8 adds iommu_group_replace_domain(group, old, new): -EPERM unless the
 *      group has an owner and its domain is @old; detach @old, attach @new,
 *      re-attach @old if that fails.
 *  3/8 extends iommu_attach_device()/iommu_detach_device() to multi-device
 *      groups with group->attach_cnt beside owner_cnt.
 *  8/8 removes iommu_attach_group()/iommu_detach_group(): absent here.
 *
 * The series sits on the DMA-ownership series it was posted against
 * ("Fix BUG_ON in vfio_iommu_group_notifier()", Jan 2022), whose
 * iommu_group_set_dma_owner() nests claims by the same owner and detaches
 * the group to *no* domain rather than to a blocking domain; that is why
 * vfio type1 passes old == NULL in patch 2/8. That base is not in the
 * seeds: docs/model.md says what is reconstructed. Everything the series
 * does not touch (probe, default domains, DMA-API use, sysfs type) is the
 * 7.3 code; the 2023+ APIs (attach handles, per-device claims) are absent.
 */
#include <string.h>

#include "../core/core.h"

/* 3/8's group->attach_cnt: state only this profile has (its group hooks) */
struct rfc_group {
	unsigned int attach_cnt;
};

static unsigned int *attach_cnt(struct iommu_group *group)
{
	return &((struct rfc_group *)group->profile_data)->attach_cnt;
}

static const char *const rfc = "rfc-2022-v1";

/* 2022 __iommu_attach_group(): each device in turn, no rollback */
static int attach_group_2022(struct iommu_model *m, struct iommu_domain *domain,
			     struct iommu_group *group)
{
	if (group->domain && group->domain != group->default_domain)
		return iommu_refuse(m, -EBUSY, "__iommu_attach_group",
				    "group %d is attached to %s", group->id,
				    iommu_domain_name(group->domain));
	iommu_touch_group(m, group);
	for (guint i = 0; i < group->devices->len; i++) {
		int ret = __iommu_attach_device(m, domain,
						group->devices->pdata[i]);

		if (ret) {
			/* earlier devices stay on @domain */
			m->left_inconsistent = i > 0;
			return ret;
		}
	}
	iommu_domain_slot_set(&group->domain, domain);
	return 0;
}

/* 2022 __iommu_detach_group() on the ownership base: an owned group (or
 * one without a default domain) is left with no domain at all. */
static void detach_group_2022(struct iommu_model *m,
			      struct iommu_domain *domain,
			      struct iommu_group *group)
{
	iommu_touch_group(m, group);
	if (!group->default_domain || group->owner) {
		for (guint i = 0; i < group->devices->len; i++) {
			struct device *dev = group->devices->pdata[i];

			iommu_touch_device(m, dev);
			/* ops->detach_dev() */
			iommu_domain_slot_set(&dev->attached, NULL);
		}
		iommu_domain_slot_set(&group->domain, NULL);
		return;
	}
	if (group->domain == group->default_domain)
		return;
	/* the re-attach starts from scratch */
	iommu_domain_slot_set(&group->domain, NULL);
	if (IOMMU_WARN_ON(m,
			  attach_group_2022(m, group->default_domain, group)))
		return;
}

/* 3/8: iommu_attach_device() for multi-device groups */
static int attach_device(struct iommu_model *m, struct iommu_domain *domain,
			 struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;
	int ret;

	if (!domain)
		return iommu_refuse(m, IOMMU_UB, "iommu_attach_device",
				    "a NULL domain: the patch dereferences it");
	if (domain->type != IOMMU_DOMAIN_UNMANAGED)
		return iommu_refuse(m, -EINVAL, "iommu_attach_device",
				    "%s is not UNMANAGED (%s: 3/8)",
				    iommu_domain_name(domain), rfc);
	if (!group)
		return iommu_refuse(m, -ENODEV, "iommu_attach_device",
				    "%s has no iommu_group", dev->name);
	if (group->owner_cnt && ((group->domain == group->default_domain &&
				  iommu_group_device_count(group) != 1) ||
				 group->owner))
		return iommu_refuse(m, -EBUSY, "iommu_attach_device",
				    "group %d: owner_cnt %u with %s (%s: 3/8)",
				    group->id, group->owner_cnt,
				    group->owner ? "an exclusive owner"
						 : "DMA-API users on a "
						   "multi-device group",
				    rfc);
	if (!*attach_cnt(group)) {
		ret = attach_group_2022(m, domain, group);
		if (ret)
			return ret;
	} else if (group->domain != domain) {
		return iommu_refuse(m, -EPERM, "iommu_attach_device",
				    "group %d is attached to %s, not "
				    "%s (%s: 3/8)",
				    group->id,
				    /* none, after a failed replace (7/8) */
				    iommu_domain_name(group->domain),
				    iommu_domain_name(domain), rfc);
	}
	iommu_touch_group(m, group);
	group->owner_cnt++;
	(*attach_cnt(group))++;
	group->claims++;
	return 0;
}

/* 3/8: iommu_detach_device() */
static int detach_device(struct iommu_model *m, struct iommu_domain *domain,
			 struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	if (!domain)
		return iommu_refuse(m, IOMMU_UB, "iommu_detach_device",
				    "a NULL domain: the patch dereferences it");
	if (IOMMU_WARN_ON_AS(m, domain->type != IOMMU_DOMAIN_UNMANAGED,
			     "iommu_detach_device",
			     "domain->type != IOMMU_DOMAIN_UNMANAGED") ||
	    IOMMU_WARN_ON_AS(m, !group, "iommu_detach_device", "!group"))
		return 0;
	/* the patch's condition, as the kernel would print it */
	if (iommu_warn_on(m,
			  !*attach_cnt(group) || !group->owner_cnt ||
				  group->domain != domain,
			  "iommu_detach_device",
			  "!group->attach_cnt || !group->owner_cnt || "
			  "group->domain != domain"))
		return 0;
	iommu_touch_group(m, group);
	(*attach_cnt(group))--;
	group->owner_cnt--;
	group->claims--;
	if (!*attach_cnt(group))
		detach_group_2022(m, domain, group);
	return 0;
}

/* 1/8: iommu_group_replace_domain() */
static int group_replace_domain(struct iommu_model *m, struct device *dev,
				struct iommu_domain *old,
				struct iommu_domain *new_domain)
{
	struct iommu_group *group = dev->iommu_group;
	int ret = 0;

	if (!group)
		return iommu_refuse(m, -ENODEV, "iommu_group_get",
				    "%s has no iommu_group", dev->name);
	if (!group->owner || group->domain != old)
		return iommu_refuse(m, -EPERM, "iommu_group_replace_domain",
				    "%s (%s: 1/8)",
				    !group->owner ? "the group has no owner"
						  : "the group's domain is not "
						    "@old",
				    rfc);
	if (old)
		detach_group_2022(m, old, group);
	if (new_domain) {
		ret = attach_group_2022(m, new_domain, group);
		if (ret && old)
			attach_group_2022(m, old, group);
	}
	return ret;
}

/* base: iommu_group_set_dma_owner(): same owner nests */
static int group_claim(struct iommu_model *m, struct device *dev,
		       const char *owner)
{
	struct iommu_group *group = dev->iommu_group;

	if (!group)
		return iommu_refuse(m, -ENODEV, "iommu_group_get",
				    "%s has no iommu_group", dev->name);
	if (group->owner_cnt && group->owner != owner)
		return iommu_refuse(m, -EPERM, "iommu_group_set_dma_owner",
				    "group %d has owner_cnt %u and another "
				    "owner",
				    group->id, group->owner_cnt);
	iommu_touch_group(m, group);
	if (!group->owner_cnt) {
		if (group->domain && group->domain != group->default_domain)
			return iommu_refuse(m, -EBUSY,
					    "iommu_group_set_dma_owner",
					    "group %d is not on its default "
					    "domain",
					    group->id);
		group->owner = owner;
		if (group->domain)
			detach_group_2022(m, group->domain, group);
	}
	group->owner_cnt++;
	group->claims++;
	return 0;
}

/* base: iommu_group_release_dma_owner(): the last release re-attaches
 * the default domain */
static int group_release(struct iommu_model *m, struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	if (!group)
		return iommu_refuse(m, -ENODEV, "iommu_group_get",
				    "%s has no iommu_group", dev->name);
	if (IOMMU_WARN_ON(m, !group->owner_cnt || !group->owner))
		return 0;
	iommu_touch_group(m, group);
	group->claims--;
	if (--group->owner_cnt)
		return 0;
	group->owner = NULL;
	if (IOMMU_WARN_ON(m, group->domain != NULL))
		detach_group_2022(m, group->domain, group);
	if (group->default_domain)
		attach_group_2022(m, group->default_domain, group);
	return 0;
}

static void describe_group(GString *s, const struct iommu_group *group)
{
	const struct rfc_group *rg = group->profile_data;

	if (rg->attach_cnt)
		g_string_append_printf(s, ", attach_cnt %u", rg->attach_cnt);
}

static bool group_value(const struct iommu_group *group, const char *field,
			u64 *val)
{
	const struct rfc_group *rg = group->profile_data;

	if (strcmp(field, "attach_cnt"))
		return false;
	*val = rg->attach_cnt;
	return true;
}

/*
 * A delta over linux-7.3: 1/8 and 3/8 and the ownership base replace five
 * entry points; 8/8 removes the group API, and the 2023+ attach handles
 * and per-device claims do not exist yet.
 */
const struct iommu_profile profile_rfc_2022_v1 = {
	.name = "rfc-2022-v1",
	.summary = "the Jan 2022 'Scrap iommu_attach/detach_group()' series",
	.base = "linux-7.3",
	.guest_runnable = false,
	.ops = {
		.attach_device = attach_device,
		.detach_device = detach_device,
		.group_replace_domain = group_replace_domain,
		.group_claim_dma_owner = group_claim,
		.group_release_dma_owner = group_release,
	},
	.absent = IOMMU_OP(attach_group) | IOMMU_OP(detach_group) |
		  IOMMU_OP(attach_group_handle) |
		  IOMMU_OP(detach_group_handle) |
		  IOMMU_OP(replace_group_handle) |
		  IOMMU_OP(device_claim_dma_owner) |
		  IOMMU_OP(device_release_dma_owner),
	.claim = CLAIM_NO_DOMAIN,
	.group = {
		.data_size = sizeof(struct rfc_group),
		.describe = describe_group,
		.value = group_value,
	},
};
