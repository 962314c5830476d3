// SPDX-License-Identifier: MIT
/*
 * driver.c - the modelled IOMMU driver's domain->ops->attach_dev(): what
 * a real driver does that the core depends on, plus fault injection so a
 * scenario can make attach fail and watch the core unwind.
 */
#include "iommu.h"
#include "kerrno.h"

static bool injected_failure(struct iommu_device *iommu,
			     struct iommu_domain *domain, struct device *dev)
{
	/* Static blocked domains are written so they cannot fail (amd
	 * blocked_domain_attach_device(), intel blocking_domain_attach_dev) */
	if (!iommu->fail_attach ||
	    (domain->is_static && domain->type == IOMMU_DOMAIN_BLOCKED))
		return false;
	if (iommu->fail_attach_dev && iommu->fail_attach_dev != dev)
		return false;
	iommu->fail_attach--;
	return true;
}

int iommu_driver_attach_dev(struct iommu_model *m, struct iommu_domain *domain,
			    struct device *dev)
{
	struct iommu_device *iommu = dev->iommu;

	/* A domain of another IOMMU driver: drivers check their own type
	 * (e.g. amd to_pdomain() users) and refuse. */
	if (domain->owner->kind != iommu->kind)
		return iommu_refuse(m, -EINVAL, "attach_dev",
				    "domain#%d belongs to %s, not %s",
				    domain->id, domain->owner->name,
				    iommu->name);
	if (injected_failure(iommu, domain, dev))
		return iommu_refuse(m, -iommu->fail_attach_errno, "attach_dev",
				    "%s driver failed the attach of %s "
				    "(injected)",
				    iommu->name, dev->name);
	dev->attached = domain;
	return 0;
}

bool device_iommu_capable_coherency(struct device *dev)
{
	return dev->dev_iommu && dev->iommu->cap_cache_coherency;
}
