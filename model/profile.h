/* SPDX-License-Identifier: MIT */
/*
 * profile.h - semantic profiles: which kernel's behaviour the model follows.
 *
 * A profile is an ops table chosen once, when the model is built. Entry
 * points whose behaviour differs between profiles go through it; a NULL
 * entry means the function does not exist in that kernel ("absent").
 *
 *  linux-7.3    drivers/iommu/iommu.c as released in Linux 7.3.
 *  rfc-2022-v1  "[PATCH v1 0/8] Scrap iommu_attach/detach_group() interfaces"
 *               (Lu Baolu, Jan 2022; seed 003) as posted, on the DMA
 *               ownership base it was posted against. See docs/model.md.
 */
#ifndef IOMMUSIM_MODEL_PROFILE_H
#define IOMMUSIM_MODEL_PROFILE_H

#include "iommu.h"

struct iommu_profile {
	const char *name;
	const char *summary;
	int (*attach_device)(struct iommu_model *m, struct iommu_domain *domain,
			     struct device *dev);
	int (*detach_device)(struct iommu_model *m, struct iommu_domain *domain,
			     struct device *dev);
	int (*attach_group)(struct iommu_model *m, struct iommu_domain *domain,
			    struct device *dev);
	int (*detach_group)(struct iommu_model *m, struct iommu_domain *domain,
			    struct device *dev);
	int (*attach_group_handle)(struct iommu_model *m,
				   struct iommu_domain *domain,
				   struct device *dev);
	int (*detach_group_handle)(struct iommu_model *m,
				   struct iommu_domain *domain,
				   struct device *dev);
	int (*replace_group_handle)(struct iommu_model *m,
				    struct iommu_domain *domain,
				    struct device *dev);
	int (*group_replace_domain)(struct iommu_model *m, struct device *dev,
				    struct iommu_domain *old,
				    struct iommu_domain *new_domain);
	int (*group_claim_dma_owner)(struct iommu_model *m, struct device *dev,
				     const char *owner);
	int (*group_release_dma_owner)(struct iommu_model *m,
				       struct device *dev);
	int (*device_claim_dma_owner)(struct iommu_model *m, struct device *dev,
				      const char *owner);
	int (*device_release_dma_owner)(struct iommu_model *m,
					struct device *dev);
	/* Where the profile's ownership leaves a claimed group's domain:
	 * true: on its blocking domain (7.3); false: no domain (rfc). */
	bool claim_blocks;
};

extern const struct iommu_profile profile_linux_7_3;
extern const struct iommu_profile profile_rfc_2022_v1;

/* NULL if @name is not a profile. */
const struct iommu_profile *iommu_profile_find(const char *name);
/* The profile names, NULL-terminated, default first. */
extern const char *const iommu_profile_names[];

#endif
