/* SPDX-License-Identifier: MIT */
/*
 * fixture.h - building small machines for the core model's unit tests.
 * A test's setup leaves a struct iommu_model in *state; teardown checks
 * the invariants still hold and that no group points at a freed domain.
 */
#ifndef IOMMUSIM_TESTS_CORE_FIXTURE_H
#define IOMMUSIM_TESTS_CORE_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "model/iommu.h"
#include "model/profile.h"

static inline struct iommu_model *machine_new(const struct iommu_profile *p,
					      enum iommu_driver_kind kind)
{
	struct iommu_model *m = iommu_model_new(p);

	iommu_device_add(m, "iommu0", kind);
	driver_register(m, "vfio-pci", true);
	driver_register(m, "e1000e", false);
	return m;
}

static inline struct device *pci(struct iommu_model *m, const char *name,
				 enum dev_kind kind, struct device *parent,
				 int slot, int fn)
{
	return device_add(m, name, kind, parent, (u8)((slot << 3) | fn));
}

/* Two functions of one slot without ACS: one group of two devices
 * (iommu.c get_pci_function_alias_group()). */
static inline void shared_pair(struct iommu_model *m, struct device **a,
			       struct device **b)
{
	*a = pci(m, "a", DEV_PCI, NULL, 2, 0);
	*b = pci(m, "b", DEV_PCI, NULL, 2, 1);
	(*a)->multifunction = (*b)->multifunction = true;
}

static inline int teardown_model(void **state)
{
	struct iommu_model *m = *state;
	char *bad = iommu_check_invariants(m);

	assert_null(bad);
	bad = iommu_check_contract(m);
	assert_null(bad);
	iommu_model_free(m);
	return 0;
}

/* For fixtures whose first member is the model: free the fixture, then
 * check and free the model. */
static inline int teardown_fixture(void **state)
{
	struct iommu_model *m = *(struct iommu_model **)*state;

	free(*state);
	*state = m;
	return teardown_model(state);
}

#endif
