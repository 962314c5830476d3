// SPDX-License-Identifier: MIT
/*
 * attach.c - setting a group's domain, and the attach/detach entry points
 * of Linux 7.3 (iommu.c). A group's domain changes only through
 * __iommu_group_set_domain_internal(), which attaches every device of the
 * group and, on failure, puts the ones already moved back.
 */
#include "core.h"
#include "kerrno.h"

int __iommu_attach_device(struct iommu_model *m, struct iommu_domain *domain,
			  struct device *dev)
{
	return iommu_driver_attach_dev(m, domain, dev);
}

/* iommu.c: __iommu_device_set_domain() */
int __iommu_device_set_domain(struct iommu_model *m, struct iommu_group *group,
			      struct device *dev,
			      struct iommu_domain *new_domain,
			      bool must_succeed)
{
	int ret;

	if (dev->require_direct && (new_domain->type == IOMMU_DOMAIN_BLOCKED ||
				    new_domain == group->blocking_domain))
		return iommu_refuse(m, -EINVAL, "__iommu_device_set_domain",
				    "%s requires a 1:1 map (IOMMU_RESV_DIRECT) "
				    "and the new domain blocks",
				    dev->name);
	ret = __iommu_attach_device(m, new_domain, dev);
	iommu_event(m, IOMMU_EV_DEV_ATTACH, group, dev, NULL, new_domain, ret);
	if (ret && must_succeed && group->blocking_domain &&
	    group->blocking_domain != new_domain) {
		__iommu_attach_device(m, group->blocking_domain, dev);
		iommu_event(m, IOMMU_EV_BLOCKED, group, dev, NULL,
			    group->blocking_domain, 0);
	}
	return ret;
}

/* iommu.c: __iommu_group_set_domain_internal() */
int __iommu_group_set_domain_internal(struct iommu_model *m,
				      struct iommu_group *group,
				      struct iommu_domain *new_domain,
				      bool must_succeed)
{
	int result = 0, ret = 0;
	guint i, last;

	if (group->domain == new_domain)
		return 0;
	if (IOMMU_WARN_ON(m, !new_domain))
		return -EINVAL;
	/* a concurrent attach during a device's PCI reset (pci_reset.c) */
	if (group->recovery_cnt && !must_succeed)
		return iommu_refuse(m, -EBUSY,
				    "__iommu_group_set_domain_internal",
				    "group %d has %u device(s) in PCI reset "
				    "recovery (recovery_cnt)",
				    group->id, group->recovery_cnt);
	iommu_event(m, IOMMU_EV_GROUP_SET, group, NULL, group->domain,
		    new_domain, 0);
	for (i = 0; i < group->devices->len; i++) {
		struct device *dev = group->devices->pdata[i];

		/* parked on the blocking domain until
		 * pci_dev_reset_iommu_done() attaches it to the new one */
		if (dev->reset_blocked)
			continue;
		ret = __iommu_device_set_domain(m, group, dev, new_domain,
						must_succeed);
		if (!ret)
			continue;
		result = ret;
		if (!must_succeed)
			goto err_revert;
	}
	group->domain = new_domain;
	return result;

err_revert:
	/* Put the devices already moved back on the group's domain. */
	last = i;
	iommu_event(m, IOMMU_EV_REVERT_STOP, group, group->devices->pdata[last],
		    group->domain, NULL, ret);
	for (i = 0; i < last; i++) {
		struct device *dev = group->devices->pdata[i];
		int r;

		if (!group->domain)
			continue;
		r = __iommu_device_set_domain(m, group, dev, group->domain,
					      true);
		IOMMU_WARN_ON_AS(m, r, "__iommu_group_set_domain_internal",
				 "__iommu_device_set_domain(group, gdev->dev, "
				 "group->domain, NULL, "
				 "IOMMU_SET_DOMAIN_MUST_SUCCEED)");
	}
	return ret;
}

int __iommu_group_set_domain(struct iommu_model *m, struct iommu_group *group,
			     struct iommu_domain *new_domain)
{
	return __iommu_group_set_domain_internal(m, group, new_domain, false);
}

void __iommu_group_set_domain_nofail(struct iommu_model *m,
				     struct iommu_group *group,
				     struct iommu_domain *new_domain)
{
	IOMMU_WARN_ON(m, __iommu_group_set_domain_internal(m, group, new_domain,
							   true));
}

/* iommu.c: __iommu_group_set_core_domain() */
void __iommu_group_set_core_domain(struct iommu_model *m,
				   struct iommu_group *group)
{
	__iommu_group_set_domain_nofail(m, group,
					group->owner ? group->blocking_domain
						     : group->default_domain);
}

/* iommu.c: domain_iommu_ops_compatible(): same iommu_ops, i.e. the same
 * driver; several instances of one driver share their ops. */
static bool domain_compatible(struct device *dev, struct iommu_domain *domain)
{
	return domain->owner->kind == dev->iommu->kind;
}

/* iommu.c: __iommu_attach_group() */
int __iommu_attach_group(struct iommu_model *m, struct iommu_domain *domain,
			 struct iommu_group *group)
{
	struct device *dev;

	if (group->domain && group->domain != group->default_domain &&
	    group->domain != group->blocking_domain)
		return iommu_refuse(m, -EBUSY, "__iommu_attach_group",
				    "group %d is attached to %s, not "
				    "to a core (default or blocking) domain",
				    group->id,
				    iommu_domain_name(group->domain));
	dev = iommu_group_first_dev(group);
	/* the busy check reads no domain; this one reads domain->owner */
	if (dev->dev_iommu && !domain)
		return iommu_refuse(m, IOMMU_UB, "__iommu_attach_group",
				    "a NULL domain: the kernel dereferences it "
				    "(domain_iommu_ops_compatible())");
	if (!dev->dev_iommu || !domain_compatible(dev, domain))
		return iommu_refuse(m, -EINVAL, "__iommu_attach_group",
				    "%s was not allocated by %s's "
				    "IOMMU driver",
				    iommu_domain_name(domain), dev->name);
	return __iommu_group_set_domain(m, group, domain);
}

static int no_group(struct iommu_model *m, const char *func, struct device *dev)
{
	return iommu_refuse(m, -ENODEV, func, "%s has no iommu_group",
			    dev->name);
}

/* iommu.c: iommu_attach_device(): singleton groups only */
int linux73_iommu_attach_device(struct iommu_model *m,
				struct iommu_domain *domain, struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	if (!group)
		return no_group(m, "iommu_attach_device", dev);
	if (iommu_group_device_count(group) != 1)
		return iommu_refuse(m, -EINVAL, "iommu_attach_device",
				    "group %d has %d devices (list_count_nodes "
				    "!= 1)",
				    group->id, iommu_group_device_count(group));
	return __iommu_attach_group(m, domain, group);
}

/* iommu.c: iommu_detach_device(): void, WARNs and refuses misuse */
int linux73_iommu_detach_device(struct iommu_model *m,
				struct iommu_domain *domain, struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	if (!group)
		return 0;
	if (IOMMU_WARN_ON(m, domain != group->domain) ||
	    IOMMU_WARN_ON_AS(m, iommu_group_device_count(group) != 1,
			     "iommu_detach_device",
			     "list_count_nodes(&group->devices) != 1"))
		return 0;
	__iommu_group_set_core_domain(m, group);
	return 0;
}

/* iommu.c: iommu_attach_group(); the caller found the group with
 * iommu_group_get(dev), which is NULL without an IOMMU. */
int linux73_iommu_attach_group(struct iommu_model *m,
			       struct iommu_domain *domain, struct device *dev)
{
	if (!dev->iommu_group)
		return no_group(m, "iommu_group_get", dev);
	return __iommu_attach_group(m, domain, dev->iommu_group);
}

/* iommu.c: iommu_detach_group(): back to the core domain, no checks */
int linux73_iommu_detach_group(struct iommu_model *m,
			       struct iommu_domain *domain, struct device *dev)
{
	if (!dev->iommu_group)
		return no_group(m, "iommu_group_get", dev);
	__iommu_group_set_core_domain(m, dev->iommu_group);
	return 0;
}

/* iommu.c: iommu_attach_group_handle() */
int linux73_iommu_attach_group_handle(struct iommu_model *m,
				      struct iommu_domain *domain,
				      struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;
	int ret;

	if (!group)
		return no_group(m, "iommu_group_get", dev);
	if (group->handle)
		return iommu_refuse(m, -EBUSY, "iommu_attach_group_handle",
				    "group %d already has an attach handle "
				    "(xa_insert at IOMMU_NO_PASID)",
				    group->id);
	ret = __iommu_attach_group(m, domain, group);
	if (!ret)
		group->handle = domain;
	return ret;
}

/* iommu.c: iommu_detach_group_handle() */
int linux73_iommu_detach_group_handle(struct iommu_model *m,
				      struct iommu_domain *domain,
				      struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	if (!group)
		return no_group(m, "iommu_group_get", dev);
	__iommu_group_set_core_domain(m, group);
	group->handle = NULL;
	return 0;
}

/* iommu.c: iommu_attach_group_handle() and iommu_replace_group_handle()
 * with a NULL handle: both refuse it before anything else */
int iommu_group_handle_null(struct iommu_model *m, const char *func)
{
	return iommu_refuse(m, -EINVAL, func, "handle is NULL");
}

/* iommu.c: iommu_replace_group_handle(): no core-domain or owner check,
 * the group goes straight from its current domain to the new one. */
int linux73_iommu_replace_group_handle(struct iommu_model *m,
				       struct iommu_domain *domain,
				       struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;
	int ret;

	if (!domain)
		return iommu_refuse(m, -EINVAL, "iommu_replace_group_handle",
				    "new_domain is NULL");
	if (!group)
		return no_group(m, "iommu_group_get", dev);
	ret = __iommu_group_set_domain(m, group, domain);
	if (!ret)
		group->handle = domain;
	return ret;
}
