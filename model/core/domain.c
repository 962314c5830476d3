// SPDX-License-Identifier: MIT
/*
 * domain.c - iommu domains: the driver's allocators (paging, identity),
 * the static domains a driver declares, and iommu_domain_free().
 */
#include "iommu.h"
#include "kerrno.h"

struct iommu_domain *iommu_domain_new(struct iommu_model *m,
				      struct iommu_device *owner,
				      unsigned int type)
{
	struct iommu_domain *dom = g_new0(struct iommu_domain, 1);

	dom->id = ++m->next_domain_id;
	dom->type = type;
	dom->owner = owner;
	g_ptr_array_add(m->domains, dom);
	return dom;
}

/* iommu.c: __iommu_paging_domain_alloc_flags() */
int iommu_paging_domain_alloc_type(struct iommu_model *m, struct device *dev,
				   unsigned int type, struct iommu_domain **out)
{
	if (!dev->dev_iommu)
		return iommu_refuse(
			m, -ENODEV, "__iommu_paging_domain_alloc_flags",
			"%s has no IOMMU (dev->iommu is NULL)", dev->name);
	if (!dev->iommu->paging)
		return iommu_refuse(m, -EOPNOTSUPP,
				    "__iommu_paging_domain_alloc_flags",
				    "the %s driver has no domain_alloc_paging",
				    dev->iommu->name);
	*out = iommu_domain_new(m, dev->iommu, type);
	if (iommu_domain_init_pt(m, *out)) {
		(*out)->freed = true; /* never handed out */
		return -ENOMEM;
	}
	return 0;
}

/* iommu.c: iommu_paging_domain_alloc() -> ..._flags(dev, UNMANAGED, 0) */
int iommu_paging_domain_alloc(struct iommu_model *m, struct device *dev,
			      struct iommu_domain **out)
{
	return iommu_paging_domain_alloc_type(m, dev, IOMMU_DOMAIN_UNMANAGED,
					      out);
}

/* iommu.c: __iommu_alloc_identity_domain() */
int iommu_alloc_identity_domain(struct iommu_model *m, struct device *dev,
				struct iommu_domain **out)
{
	struct iommu_device *iommu = dev->iommu;

	switch (iommu->identity) {
	case IDENTITY_STATIC:
		if (!iommu->identity_domain) {
			iommu->identity_domain = iommu_domain_new(
				m, iommu, IOMMU_DOMAIN_IDENTITY);
			iommu->identity_domain->is_static = true;
		}
		*out = iommu->identity_domain;
		return 0;
	case IDENTITY_ALLOC:
		*out = iommu_domain_new(m, iommu, IOMMU_DOMAIN_IDENTITY);
		return 0;
	case IDENTITY_NONE:
		break;
	}
	return iommu_refuse(m, -EOPNOTSUPP, "__iommu_alloc_identity_domain",
			    "the %s driver has no identity domain",
			    iommu->name);
}

/* Whether any group still uses @domain (the kernel does not check). */
bool iommu_domain_in_use(struct iommu_model *m, struct iommu_domain *domain)
{
	for (guint i = 0; i < m->groups->len; i++) {
		struct iommu_group *g = m->groups->pdata[i];

		if (g->domain == domain || g->handle == domain)
			return true;
	}
	return false;
}

/* iommu.c: iommu_domain_free(); static domains are never freed */
void iommu_domain_free(struct iommu_model *m, struct iommu_domain *domain)
{
	if (domain->is_static)
		return;
	domain->freed = true;
	iommu_domain_release_pt(domain); /* the table pages go back */
}
