// SPDX-License-Identifier: MIT
/*
 * default_domain.c - choosing and installing a group's default domain
 * (iommu.c: iommu_get_default_domain_type(), iommu_group_alloc_default_
 * domain(), iommu_setup_default_domain()) and changing it from sysfs
 * (iommu_group_store_type()).
 */
#include <string.h>

#include "core.h"

/* iommu.c: iommu_get_def_domain_type(): the driver's per-device wish */
static unsigned int def_domain_type(struct device *dev, unsigned int cur)
{
	unsigned int type = dev->def_domain_type;

	/* tegra-smmu.c: tegra_smmu_def_domain_type() is always IDENTITY */
	if (dev->iommu->kind == IOMMU_DRV_TEGRA_SMMU)
		type = IOMMU_DOMAIN_IDENTITY;
	if (!type || cur == type)
		return cur;
	if (!cur)
		return type;
	/* conflicting wishes: IDENTITY takes precedence */
	return type == IOMMU_DOMAIN_IDENTITY ? type : cur;
}

/* iommu.c: iommu_get_default_domain_type(); -1: refuse */
static int default_domain_type(struct iommu_group *group, int target)
{
	unsigned int driver_type = 0;
	bool untrusted = false;

	for (guint i = 0; i < group->devices->len; i++) {
		struct device *dev = group->devices->pdata[i];

		driver_type = def_domain_type(dev, driver_type);
		untrusted |= dev->untrusted;
	}
	if (untrusted) {
		if (driver_type && driver_type != IOMMU_DOMAIN_DMA)
			return -1;
		driver_type = IOMMU_DOMAIN_DMA;
	}
	if (target) {
		if (driver_type && (unsigned int)target != driver_type)
			return -1;
		return target;
	}
	return driver_type;
}

/* iommu.c: __iommu_group_alloc_default_domain() */
static int alloc_default_type(struct iommu_model *m, struct iommu_group *group,
			      unsigned int type, struct iommu_domain **out)
{
	struct device *dev = iommu_group_first_dev(group);

	if (group->default_domain && group->default_domain->type == type) {
		*out = group->default_domain;
		return 0;
	}
	if (type & __IOMMU_DOMAIN_PAGING)
		return iommu_paging_domain_alloc_type(m, dev, type, out);
	if (type == IOMMU_DOMAIN_IDENTITY)
		return iommu_alloc_identity_domain(m, dev, out);
	return -EINVAL;
}

/* iommu.c: iommu_group_alloc_default_domain(); 0 means "auto" */
static int alloc_default_domain(struct iommu_model *m,
				struct iommu_group *group, unsigned int req,
				struct iommu_domain **out)
{
	struct iommu_device *iommu = iommu_group_first_dev(group)->iommu;
	int ret;

	/* a static ops->default_domain: the only choice, of its type */
	if (iommu->default_blocked) {
		if (req != IOMMU_DOMAIN_BLOCKED)
			return iommu_refuse(
				m, -EINVAL, "iommu_group_alloc_default_domain",
				"the %s driver's default domain is blocked",
				iommu->name);
		*out = iommu_static_blocked_domain(m, iommu);
		return *out ? 0 : -ENOMEM;
	}
	if (req)
		return alloc_default_type(m, group, req, out);
	ret = alloc_default_type(m, group, m->def_domain_type, out);
	if (!ret)
		return 0;
	/* IDENTITY and DMA_FQ defaults fall back to DMA */
	if (m->def_domain_type == IOMMU_DOMAIN_DMA)
		return -EINVAL;
	return alloc_default_type(m, group, IOMMU_DOMAIN_DMA, out);
}

static void free_if_dynamic(struct iommu_model *m, struct iommu_domain *dom)
{
	if (dom && !dom->is_static)
		iommu_domain_free(m, dom);
}

/* Whether a PASID of @group is attached to @domain (group->pasid_array) */
static bool pasid_on(const struct iommu_group *group,
		     const struct iommu_domain *domain)
{
	for (guint i = 0; group->pasids && i < group->pasids->len; i++)
		if (g_array_index(group->pasids, struct iommu_pasid_entry, i)
			    .domain == domain)
			return true;
	return false;
}

/* iommu_setup_default_domain(): the direct regions of every device are
 * mapped before the domain is attached, for continuity with what
 * firmware's DMA expects; whether one failed ("IOMMU driver was not able
 * to establish FW requested direct mapping.", a dev_warn_once) */
static bool create_direct_mappings(struct iommu_model *m,
				   struct iommu_group *group,
				   struct iommu_domain *dom)
{
	bool failed = false;

	for (guint i = 0; i < group->devices->len; i++)
		failed |= iommu_create_device_direct_mappings(
				  m, dom, group->devices->pdata[i]) != 0;
	return failed;
}

/* iommu.c: iommu_setup_default_domain() */
int iommu_setup_default_domain(struct iommu_model *m, struct iommu_group *group,
			       int target_type)
{
	struct iommu_domain *old_dom = group->default_domain, *dom;
	bool direct_failed;
	int req_type, ret;

	req_type = default_domain_type(group, target_type);
	if (req_type < 0)
		return iommu_refuse(m, -EINVAL, "iommu_get_default_domain_type",
				    "group %d: the requested type conflicts "
				    "with what its devices require",
				    group->id);
	ret = alloc_default_domain(m, group, req_type, &dom);
	if (ret)
		return ret;
	if (group->default_domain == dom)
		return 0;
	/* 7.3 frees the old default domain below whatever points at it; an
	 * attach handle on it (iommu_attach_group_handle(default) without a
	 * DMA owner, which iommufd always is) or a PASID attached to it
	 * (iommu_attach_device_pasid(default), as idxd does for its system
	 * PASID, under a driver with driver_managed_dma) would be left
	 * dangling in group->pasid_array */
	if (old_dom && !old_dom->is_static &&
	    (group->handle == old_dom || pasid_on(group, old_dom))) {
		free_if_dynamic(m, dom);
		return iommu_refuse(m, IOMMU_UB, "iommu_setup_default_domain",
				    "group %d's %s is on its default domain "
				    "%s, which this frees: it would dangle "
				    "(use after free)",
				    group->id,
				    group->handle == old_dom ? "attach handle"
							     : "PASID",
				    iommu_domain_name(old_dom));
	}
	iommu_touch_group_members(m, group);
	direct_failed = create_direct_mappings(m, group, dom);
	iommu_domain_slot_set(&group->default_domain, dom);
	if (!group->domain) {
		/* drivers may not fail the first attach */
		ret = __iommu_group_set_domain_internal(m, group, dom, true);
		if (IOMMU_WARN_ON(m, ret))
			goto out_free_old;
	} else {
		ret = __iommu_group_set_domain(m, group, dom);
		if (ret)
			goto err_restore_def_domain;
	}
	/* a driver that cannot map before the attach gets a second try
	 * after it: the device went without its 1:1 map meanwhile */
	for (guint i = 0; direct_failed && i < group->devices->len; i++) {
		ret = iommu_create_device_direct_mappings(
			m, dom, group->devices->pdata[i]);
		if (ret)
			goto err_restore_domain;
	}
out_free_old:
	free_if_dynamic(m, old_dom);
	return ret;

err_restore_domain:
	if (old_dom)
		__iommu_group_set_domain_internal(m, group, old_dom, true);
err_restore_def_domain:
	if (old_dom) {
		iommu_domain_slot_set(&group->default_domain, old_dom);
		free_if_dynamic(m, dom);
	}
	return ret;
}

/* lib/string_helpers.c: sysfs_streq(): equal, or equal but for one
 * trailing newline on either side (what `echo identity >` writes) */
static bool sysfs_streq(const char *s1, const char *s2)
{
	size_t n1 = strlen(s1), n2 = strlen(s2);

	if (n1 && s1[n1 - 1] == '\n')
		n1--;
	if (n2 && s2[n2 - 1] == '\n')
		n2--;
	return n1 == n2 && !memcmp(s1, s2, n1);
}

/* iommu.c: iommu_group_store_type() (its capable() check is the
 * writer's, iommu_sysfs_store()): "ret ?: count", the bytes written on
 * success as write(2) returns them */
int iommu_group_store_type(struct iommu_model *m, struct device *dev,
			   const char *buf)
{
	struct iommu_group *group = dev->iommu_group;
	const char *f = "iommu_group_store_type";
	int count = (int)strlen(buf);
	int req, ret;

	if (!group || !group->default_domain)
		return iommu_refuse(m, -EINVAL, f,
				    "no group or default domain");
	if (sysfs_streq(buf, "identity"))
		req = IOMMU_DOMAIN_IDENTITY;
	else if (sysfs_streq(buf, "DMA"))
		req = IOMMU_DOMAIN_DMA;
	else if (sysfs_streq(buf, "DMA-FQ"))
		req = IOMMU_DOMAIN_DMA_FQ;
	else if (sysfs_streq(buf, "auto"))
		req = 0;
	else
		return iommu_refuse(m, -EINVAL, f, "unknown type \"%s\"", buf);
	/* a flush queue comes up without tearing down the domain */
	if (req == IOMMU_DOMAIN_DMA_FQ &&
	    group->default_domain->type == IOMMU_DOMAIN_DMA) {
		iommu_touch_group_members(m, group);
		group->default_domain->type = IOMMU_DOMAIN_DMA_FQ;
		return count;
	}
	if (!group->devices->len || group->owner_cnt)
		return iommu_refuse(m, -EPERM, f,
				    "group %d has owner_cnt %u (a bound DMA "
				    "driver or an owner)",
				    group->id, group->owner_cnt);
	ret = iommu_setup_default_domain(m, group, req);
	return ret ? ret : count;
}
