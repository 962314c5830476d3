/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iommusim_state.h - a read-only view of a group's private state for the
 * iommusim test driver. struct iommu_group is private to
 * drivers/iommu/iommu.c, so hw/kernel/build.sh appends iommu.c.append
 * (which implements iommusim_group_state()) to the build copy of iommu.c.
 */
#ifndef IOMMUSIM_STATE_H
#define IOMMUSIM_STATE_H

struct device;
struct iommu_group;
struct iommu_domain;

struct iommusim_group_state {
	struct iommu_domain *domain;
	struct iommu_domain *default_domain;
	struct iommu_domain *blocking_domain;
	void *owner;
	unsigned int owner_cnt;
};

void iommusim_group_state(struct iommu_group *group,
			  struct iommusim_group_state *st);
struct iommu_domain *iommusim_dev_domain(struct device *dev);
unsigned int iommusim_dev_reset_depth(struct device *dev);

#endif
