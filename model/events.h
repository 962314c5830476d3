/* SPDX-License-Identifier: MIT */
/*
 * events.h - the steps inside an operation, recorded for `run -v` and
 * the trace (model/core/events.c): which group moved from which domain
 * to which, each device's attach and its return, where a revert stopped,
 * why pci_device_group() chose a group. The machine holds the log
 * (m->events); it is reset at the next operation.
 */
#ifndef IOMMUSIM_MODEL_EVENTS_H
#define IOMMUSIM_MODEL_EVENTS_H

#include <glib.h>

struct iommu_model;
struct iommu_group;
struct iommu_domain;
struct device;

enum iommu_event_kind {
	/* __iommu_group_set_domain_internal(): group from -> to */
	IOMMU_EV_GROUP_SET,
	/* __iommu_device_set_domain(): dev -> to, its attach_dev's ret */
	IOMMU_EV_DEV_ATTACH,
	/* err_revert: the loop stops before dev, the device that failed;
	 * the IOMMU_EV_DEV_ATTACH that follow put the others back */
	IOMMU_EV_REVERT_STOP,
	/* must_succeed: dev's attach failed, it is on the blocking domain */
	IOMMU_EV_BLOCKED,
	/* pci_device_group(): dev's group, why (reason), through which
	 * device (via) */
	IOMMU_EV_GROUP_WHY,
};

struct iommu_event {
	enum iommu_event_kind kind;
	int group;	 /* the group's id, -1: none */
	char *dev;	 /* the device's name, or NULL */
	char *from, *to; /* the domains as the trace names them, or NULL */
	int ret;	 /* 0 or a negative errno */
	/* IOMMU_EV_GROUP_WHY: the step of pci_device_group() that chose
	 * the group (a static string), and the device it went through */
	const char *reason;
	char *via;
};

GArray *iommu_events_new(void);
void iommu_event(struct iommu_model *m, enum iommu_event_kind kind,
		 const struct iommu_group *g, const struct device *dev,
		 const struct iommu_domain *from, const struct iommu_domain *to,
		 int ret);
void iommu_event_group(struct iommu_model *m, const struct device *dev,
		       const struct iommu_group *g, const char *reason,
		       const struct device *via);
/* a deep copy (the log is reset at the next operation) */
void iommu_event_copy(struct iommu_event *dst, const struct iommu_event *src);

#endif
