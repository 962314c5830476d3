/* SPDX-License-Identifier: MIT */
/*
 * core.h - model/core's private header: what the core's files and the
 * profiles share beyond the public iommu.h. Only model/ includes it.
 *
 * The Linux 7.3 implementations of the entry points a profile decides
 * (profile.h: struct iommu_profile_ops) keep their kernel names under the
 * linux73_ prefix; the 7.3 profile points at them, and a delta over
 * it inherits them. Everyone else calls the public iommu_* names, which
 * dispatch through the model's profile.
 */
#ifndef IOMMUSIM_MODEL_CORE_CORE_H
#define IOMMUSIM_MODEL_CORE_CORE_H

#include "events.h"
#include "iommu.h"
#include "kerrno.h"
#include "profile.h"

/* attach.c */
void iommu_group_pasids_clear(struct iommu_group *g);
int linux73_iommu_attach_device(struct iommu_model *m,
				struct iommu_domain *domain,
				struct device *dev);
int linux73_iommu_detach_device(struct iommu_model *m,
				struct iommu_domain *domain,
				struct device *dev);
int linux73_iommu_attach_group(struct iommu_model *m,
			       struct iommu_domain *domain, struct device *dev);
int linux73_iommu_detach_group(struct iommu_model *m,
			       struct iommu_domain *domain, struct device *dev);
int linux73_iommu_attach_group_handle(struct iommu_model *m,
				      struct iommu_domain *domain,
				      struct device *dev);
int linux73_iommu_detach_group_handle(struct iommu_model *m,
				      struct iommu_domain *domain,
				      struct device *dev);
int linux73_iommu_replace_group_handle(struct iommu_model *m,
				       struct iommu_domain *domain,
				       struct device *dev);

/* device.c: the machine lets go of its list of drivers (the last of the
 * machines sharing it frees it) */
void drivers_release(struct iommu_model *m);

/* ownership.c */
int __iommu_group_alloc_blocking_domain(struct iommu_model *m,
					struct iommu_group *group);
int linux73_iommu_group_claim_dma_owner(struct iommu_model *m,
					struct device *dev, const char *owner);
int linux73_iommu_group_release_dma_owner(struct iommu_model *m,
					  struct device *dev);
int linux73_iommu_device_claim_dma_owner(struct iommu_model *m,
					 struct device *dev, const char *owner);
int linux73_iommu_device_release_dma_owner(struct iommu_model *m,
					   struct device *dev);

/* touched.c: call before changing what a group's or a device's trace
 * line, or an invariant, reads of it (its fields, a group's device list,
 * its profile data); a no-op unless a runner records the step. */
void iommu_touch_group(struct iommu_model *m, struct iommu_group *g);
void iommu_touch_group_new(struct iommu_model *m, struct iommu_group *g);
void iommu_touch_group_gone(struct iommu_model *m, struct iommu_group *g);
/* the group and its devices: their lines name its default and blocking
 * domains by role, and a domain's type in place */
void iommu_touch_group_members(struct iommu_model *m, struct iommu_group *g);
void iommu_touch_device(struct iommu_model *m, struct device *dev);
/* @same_name: the device that had the name until now, or NULL */
void iommu_touch_device_new(struct iommu_model *m, struct device *dev,
			    struct device *same_name);
/* the step changes everything (boot): called before its first change */
void iommu_touch_all(struct iommu_model *m);
void iommu_touched_domain_live(struct iommu_model *m, struct iommu_domain *d);
void iommu_touched_domain_freed(struct iommu_model *m, struct iommu_domain *d);

/* state_hash.c: a device's class and state, a group's own state and its
 * members' as a multiset, no names or ids a mirror image swaps (the
 * symmetric key's parts; state_canon.c orders devices by them) */
u64 iommu_device_hash_symmetric(const struct device *dev);
u64 iommu_group_hash_symmetric(const struct iommu_model *m,
			       const struct iommu_group *g);

#endif
