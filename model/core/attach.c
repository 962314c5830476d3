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
	iommu_touch_group(m, group);
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
	iommu_domain_slot_set(&group->domain, new_domain);
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
	if (!ret) {
		iommu_touch_group(m, group);
		iommu_domain_slot_set(&group->handle, domain);
	}
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
	iommu_touch_group(m, group);
	iommu_domain_slot_set(&group->handle, NULL);
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
	if (!ret) {
		iommu_touch_group(m, group);
		iommu_domain_slot_set(&group->handle, domain);
	}
	return ret;
}

/* ---- the PASID API: group->pasid_array above IOMMU_NO_PASID ---- */

/* where @pasid is, or would go, in the sorted group->pasids */
static guint pasid_index(const struct iommu_group *g, u32 pasid, bool *found)
{
	guint i = 0;

	*found = false;
	while (g->pasids && i < g->pasids->len) {
		u32 p = g_array_index(g->pasids, struct iommu_pasid_entry, i)
				.pasid;

		if (p >= pasid) {
			*found = p == pasid;
			break;
		}
		i++;
	}
	return i;
}

struct iommu_pasid_entry *iommu_group_pasid_entry(const struct iommu_group *g,
						  u32 pasid)
{
	bool found;
	guint i = pasid_index(g, pasid, &found);

	return found ? &g_array_index(g->pasids, struct iommu_pasid_entry, i)
		     : NULL;
}

bool iommu_group_pasid_array_empty(const struct iommu_group *g)
{
	return !g->handle && !(g->pasids && g->pasids->len);
}

/* xa_store() of the entry the attach reserved (or replaces) */
static void pasid_array_store(struct iommu_model *m, struct iommu_group *g,
			      u32 pasid, struct iommu_domain *domain,
			      bool handle)
{
	/* a new entry starts on no domain: the slot setter counts it */
	struct iommu_pasid_entry e = { pasid, NULL, handle };
	struct iommu_pasid_entry *slot;
	bool found;
	guint i = pasid_index(g, pasid, &found);

	iommu_touch_group(m, g);
	if (!found) {
		if (!g->pasids)
			g->pasids = g_array_new(FALSE, FALSE, sizeof(e));
		g_array_insert_val(g->pasids, i, e);
	}
	slot = &g_array_index(g->pasids, struct iommu_pasid_entry, i);
	iommu_domain_slot_set(&slot->domain, domain);
	slot->handle = handle;
}

/* xa_erase() */
static void pasid_array_erase(struct iommu_model *m, struct iommu_group *g,
			      u32 pasid)
{
	bool found;
	guint i = pasid_index(g, pasid, &found);

	if (!found)
		return;
	iommu_touch_group(m, g);
	iommu_domain_slot_set(
		&g_array_index(g->pasids, struct iommu_pasid_entry, i).domain,
		NULL);
	g_array_remove_index(g->pasids, i);
	if (!g->pasids->len) {
		g_array_free(g->pasids, TRUE);
		g->pasids = NULL;
	}
}

/* the group goes: its PASID entries let go of their domains */
void iommu_group_pasids_clear(struct iommu_group *g)
{
	for (guint i = 0; g->pasids && i < g->pasids->len; i++)
		iommu_domain_slot_set(
			&g_array_index(g->pasids, struct iommu_pasid_entry, i)
				 .domain,
			NULL);
	if (g->pasids)
		g_array_free(g->pasids, TRUE);
	g->pasids = NULL;
}

/* iommu.c: iommu_remove_dev_pasid(): the driver's static blocked domain
 * (its global, which the model makes only when something attaches it:
 * iommu->blocked_domain may still be NULL) takes @pasid of @dev back
 * from @domain; it cannot fail */
static void iommu_remove_dev_pasid(struct iommu_model *m, struct device *dev,
				   u32 pasid, struct iommu_domain *domain)
{
	IOMMU_WARN_ON_AS(m,
			 iommu_driver_set_dev_pasid(m,
						    dev->iommu->blocked_domain,
						    dev, pasid, domain),
			 "iommu_remove_dev_pasid",
			 "blocked_domain->ops->set_dev_pasid()");
}

/*
 * iommu.c: __iommu_set_group_pasid(): @pasid of every device of the group
 * that has PASIDs (dev->iommu->max_pasids > 0; the others cannot issue a
 * PASID and are skipped) moves from @old (NULL: none) to @domain. The same
 * ladder as __iommu_group_set_domain_internal(): on a failure the devices
 * already moved go back to @old, or to blocked when there was none.
 */
static int __iommu_set_group_pasid(struct iommu_model *m,
				   struct iommu_domain *domain,
				   struct iommu_group *group, u32 pasid,
				   struct iommu_domain *old)
{
	int ret = 0;
	guint i, last;

	for (i = 0; i < group->devices->len; i++) {
		struct device *dev = group->devices->pdata[i];

		if (!dev->max_pasids)
			continue;
		ret = iommu_driver_set_dev_pasid(m, domain, dev, pasid, old);
		if (ret)
			goto err_revert;
	}
	return 0;

err_revert:
	last = i;
	for (i = 0; i < last; i++) {
		struct device *dev = group->devices->pdata[i];

		if (!dev->max_pasids)
			continue;
		/* a driver bug to fail going back to a domain that worked */
		if (!old || IOMMU_WARN_ON_AS(
				    m,
				    iommu_driver_set_dev_pasid(m, old, dev,
							       pasid, domain),
				    "__iommu_set_group_pasid",
				    "old->ops->set_dev_pasid(old, device->dev, "
				    "pasid, domain)"))
			iommu_remove_dev_pasid(m, dev, pasid, domain);
	}
	return ret;
}

/* iommu.c: __iommu_remove_group_pasid(): cannot fail; a device parked
 * for a PCI reset (gdev->blocked) is already blocked */
static void __iommu_remove_group_pasid(struct iommu_model *m,
				       struct iommu_group *group, u32 pasid,
				       struct iommu_domain *domain)
{
	for (guint i = 0; i < group->devices->len; i++) {
		struct device *dev = group->devices->pdata[i];

		if (!dev->reset_blocked && dev->max_pasids)
			iommu_remove_dev_pasid(m, dev, pasid, domain);
	}
}

/* the checks iommu_attach_device_pasid() and iommu_replace_device_pasid()
 * share before taking group->mutex; @blocked: attach also needs the
 * driver's blocked domain to detach with */
static int pasid_ops_check(struct iommu_model *m, const char *func,
			   struct iommu_domain *domain, struct device *dev,
			   u32 pasid, bool blocked)
{
	struct iommu_device *iommu = dev->iommu;

	if (!dev->iommu_group)
		return no_group(m, func, dev);
	if (!domain || !dev->dev_iommu)
		return iommu_refuse(
			m, IOMMU_UB, func, "%s: the kernel dereferences it",
			domain ? "dev->iommu is NULL" : "a NULL domain");
	if (!iommu_driver_has_set_dev_pasid(domain) ||
	    (blocked && iommu->blocked != BLOCKED_STATIC))
		return iommu_refuse(
			m, -EOPNOTSUPP, func, "%s has no set_dev_pasid%s",
			iommu_domain_name(domain),
			blocked ? ", or the driver no blocked_domain "
				  "with one"
				: "");
	if (!domain_compatible(dev, domain))
		return iommu_refuse(m, -EINVAL, func,
				    "%s was not allocated by %s's IOMMU driver",
				    iommu_domain_name(domain), dev->name);
	if (pasid == IOMMU_NO_PASID)
		return iommu_refuse(m, -EINVAL, func,
				    "pasid is IOMMU_NO_PASID");
	return 0;
}

/* group->recovery_cnt: a concurrent attach during a device's PCI reset */
static int pasid_recovery_check(struct iommu_model *m, const char *func,
				struct iommu_group *group)
{
	if (!group->recovery_cnt)
		return 0;
	return iommu_refuse(m, -EBUSY, func,
			    "group %d has %u device(s) in PCI reset recovery "
			    "(recovery_cnt)",
			    group->id, group->recovery_cnt);
}

/* iommu.c: iommu_attach_device_pasid() */
int iommu_attach_device_pasid(struct iommu_model *m,
			      struct iommu_domain *domain, struct device *dev,
			      u32 pasid, bool handle)
{
	const char *f = "iommu_attach_device_pasid";
	struct iommu_group *group = dev->iommu_group;
	int ret;

	ret = pasid_ops_check(m, f, domain, dev, pasid, true);
	if (!ret)
		ret = pasid_recovery_check(m, f, group);
	if (ret)
		return ret;
	for (guint i = 0; i < group->devices->len; i++) {
		struct device *gdev = group->devices->pdata[i];

		/* a device without PASIDs does not limit the group's */
		if (gdev->max_pasids && pasid >= gdev->max_pasids)
			return iommu_refuse(
				m, -EINVAL, f, "pasid %u >= %s's max_pasids %u",
				pasid, gdev->name, gdev->max_pasids);
	}
	/* xa_insert(): an entry present is a failure, not a replace */
	if (iommu_group_pasid_entry(group, pasid))
		return iommu_refuse(m, -EBUSY, f,
				    "group %d already has pasid %u attached "
				    "(xa_insert)",
				    group->id, pasid);
	if (fault_should_fail(&m->fault, "xa_insert(pasid_array)"))
		return -ENOMEM;
	ret = __iommu_set_group_pasid(m, domain, group, pasid, NULL);
	if (ret)
		return ret;
	pasid_array_store(m, group, pasid, domain, handle);
	return 0;
}

/* iommu.c: iommu_replace_device_pasid(): the pasid keeps its old domain
 * if the replace fails */
int iommu_replace_device_pasid(struct iommu_model *m,
			       struct iommu_domain *domain, struct device *dev,
			       u32 pasid, bool handle)
{
	const char *f = "iommu_replace_device_pasid";
	struct iommu_group *group = dev->iommu_group;
	struct iommu_pasid_entry *curr;
	int ret;

	ret = pasid_ops_check(m, f, domain, dev, pasid, false);
	if (!ret && !handle)
		ret = iommu_refuse(m, -EINVAL, f, "handle is NULL");
	if (!ret)
		ret = pasid_recovery_check(m, f, group);
	if (ret)
		return ret;
	/* xa_cmpxchg(NULL -> XA_ZERO_ENTRY) reserves the slot first */
	if (fault_should_fail(&m->fault, "xa_cmpxchg(pasid_array)"))
		return -ENOMEM;
	curr = iommu_group_pasid_entry(group, pasid);
	if (!curr)
		return iommu_refuse(m, -EINVAL, f,
				    "pasid %u of group %d is not attached: not "
				    "a replace",
				    pasid, group->id);
	/* curr == entry (a reused handle) cannot happen: a new one per call */
	if (curr->domain != domain) {
		ret = __iommu_set_group_pasid(m, domain, group, pasid,
					      curr->domain);
		if (ret)
			return ret;
	}
	pasid_array_store(m, group, pasid, domain, handle);
	return 0;
}

/* iommu.c: iommu_detach_device_pasid(): no check that @domain is what
 * @pasid is attached to, nor that anything is */
int iommu_detach_device_pasid(struct iommu_model *m,
			      struct iommu_domain *domain, struct device *dev,
			      u32 pasid)
{
	struct iommu_group *group = dev->iommu_group;

	if (!group)
		return iommu_refuse(m, IOMMU_UB, "iommu_detach_device_pasid",
				    "%s has no iommu_group: the kernel "
				    "dereferences it",
				    dev->name);
	__iommu_remove_group_pasid(m, group, pasid, domain);
	pasid_array_erase(m, group, pasid);
	return 0;
}
