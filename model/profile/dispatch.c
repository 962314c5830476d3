// SPDX-License-Identifier: MIT
/*
 * dispatch.c - the public entry points a profile decides (iommu.h):
 * each calls what the model's resolved profile has for it, or answers
 * IOMMU_ABSENT when this profile's kernel has no such function. Model
 * code calling model code comes through here too, so it gets the
 * profile's behaviour.
 */
#include "../core/core.h"

static int absent(struct iommu_model *m, const char *func)
{
	return iommu_refuse(m, IOMMU_ABSENT, func, "does not exist in %s",
			    m->profile->name);
}

#define DISPATCH(m, op, func, ...)                                             \
	((m)->resolved->ops.op ? (m)->resolved->ops.op((m), __VA_ARGS__)       \
			       : absent((m), func))

int iommu_attach_device(struct iommu_model *m, struct iommu_domain *domain,
			struct device *dev)
{
	return DISPATCH(m, attach_device, __func__, domain, dev);
}

int iommu_detach_device(struct iommu_model *m, struct iommu_domain *domain,
			struct device *dev)
{
	return DISPATCH(m, detach_device, __func__, domain, dev);
}

int iommu_attach_group(struct iommu_model *m, struct iommu_domain *domain,
		       struct device *dev)
{
	return DISPATCH(m, attach_group, __func__, domain, dev);
}

int iommu_detach_group(struct iommu_model *m, struct iommu_domain *domain,
		       struct device *dev)
{
	return DISPATCH(m, detach_group, __func__, domain, dev);
}

int iommu_attach_group_handle(struct iommu_model *m,
			      struct iommu_domain *domain, struct device *dev)
{
	return DISPATCH(m, attach_group_handle, __func__, domain, dev);
}

int iommu_detach_group_handle(struct iommu_model *m,
			      struct iommu_domain *domain, struct device *dev)
{
	return DISPATCH(m, detach_group_handle, __func__, domain, dev);
}

int iommu_replace_group_handle(struct iommu_model *m,
			       struct iommu_domain *domain, struct device *dev)
{
	return DISPATCH(m, replace_group_handle, __func__, domain, dev);
}

int iommu_group_replace_domain(struct iommu_model *m, struct device *dev,
			       struct iommu_domain *old,
			       struct iommu_domain *new_domain)
{
	return DISPATCH(m, group_replace_domain, __func__, dev, old,
			new_domain);
}

int iommu_group_claim_dma_owner(struct iommu_model *m, struct device *dev,
				const char *owner)
{
	return DISPATCH(m, group_claim_dma_owner, __func__, dev, owner);
}

int iommu_group_release_dma_owner(struct iommu_model *m, struct device *dev)
{
	return DISPATCH(m, group_release_dma_owner, __func__, dev);
}

int iommu_device_claim_dma_owner(struct iommu_model *m, struct device *dev,
				 const char *owner)
{
	return DISPATCH(m, device_claim_dma_owner, __func__, dev, owner);
}

int iommu_device_release_dma_owner(struct iommu_model *m, struct device *dev)
{
	return DISPATCH(m, device_release_dma_owner, __func__, dev);
}

void iommu_group_profile_describe(const struct iommu_model *m,
				  const struct iommu_group *group, GString *s)
{
	if (m->resolved->group.describe)
		m->resolved->group.describe(s, group);
}

bool iommu_group_profile_value(const struct iommu_model *m,
			       const struct iommu_group *group,
			       const char *field, u64 *val)
{
	const struct iommu_profile_group_hooks *h = &m->resolved->group;

	return h->value && h->value(group, field, val);
}
