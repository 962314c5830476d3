// SPDX-License-Identifier: MIT
/*
 * isolation.c - the isolation invariant (reach.h), composed: each
 * subsystem checks the domains it fills (iommufd's IOAS, VFIO's type1
 * containers) and the groups it owns for user DMA; every other paging
 * domain is its caller's (iommu_map(), a driver's DMA API), whose
 * contents are the caller's business: there the hardware's walk of the
 * raw entries (pt/amdv1_hw.c) must agree with generic_pt's own view of
 * the same table (pt/amdv1.c), two readers written apart.
 */
#include <string.h>

#include "reach.h"

char *iommu_check_owned_group(struct iommu_model *m, struct iommu_group *g)
{
	for (guint i = 0; i < g->devices->len; i++) {
		struct device *dev = g->devices->pdata[i];
		struct iommu_domain *d;

		if (iommu_device_reach(dev, &d) == REACH_ALL_IDENTITY)
			return g_strdup_printf(
				"%s reaches all memory through %s (identity) "
				"while %s owns group %d for user DMA "
				"(__iommu_take_dma_ownership() moves an owned "
				"group to its blocking domain; its owner "
				"attaches paging domains only)",
				dev->name, iommu_domain_name(d), g->owner,
				g->id);
	}
	return NULL;
}

const char *iommu_group_user_dma_owner(struct iommu_model *m,
				       struct iommu_group *g)
{
	if (!g || !g->owner)
		return NULL;
	return vfio_owns_group(m, g) || iommufd_owns_group(m, g) ? g->owner
								 : NULL;
}

/* A caller's domain: the hardware reads its table as generic_pt wrote
 * it. (A mock table has no hardware reader: nothing to hold it to.) */
enum { CALLERS = 0x63616c6c6572 }; /* the memo's "want": the table itself */

static char *check_callers(struct iommu_model *m, struct iommu_domain *d)
{
	g_autoptr(GArray) hw = NULL;
	g_autoptr(GArray) sw = NULL;
	g_autofree char *owner = NULL;
	char *bad;

	if (iommu_reach_checked(d, CALLERS) ||
	    !(hw = iommu_domain_hw_runs(m, d)))
		return NULL;
	sw = iommu_domain_sw_runs(d);
	owner = g_strdup_printf("generic_pt's own view of %s",
				iommu_domain_name(d));
	bad = iommu_reach_compare(m, d, hw, sw, owner,
				  "amdv1_hw.c's walk against amdv1.c's");
	if (!bad)
		iommu_reach_agreed(d, CALLERS);
	return bad;
}

void iommu_isolation_owned(struct iommu_isolation *iso, struct iommu_domain *d)
{
	if (!iso->owned)
		iso->owned = g_ptr_array_new();
	if (!g_ptr_array_find(iso->owned, d, NULL))
		g_ptr_array_add(iso->owned, d);
}

static bool owned(const struct iommu_isolation *iso, struct iommu_domain *d)
{
	return iso->owned && g_ptr_array_find(iso->owned, d, NULL);
}

char *iommu_check_isolation(struct iommu_model *m, struct iommu_isolation *out)
{
	struct iommu_isolation local;
	char *bad, *more;

	if (!out)
		out = &local;
	memset(out, 0, sizeof(*out));
	/* VFIO's first: its count of unsafe devices is whole either way */
	bad = vfio_check_isolation(m, out);
	more = iommufd_check_isolation(m, out);
	if (bad)
		g_free(more);
	else
		bad = more;
	for (struct iommu_domain *d = iommu_domain_next(m, NULL); d && !bad;
	     d = iommu_domain_next(m, d))
		if (d->pt && !owned(out, d))
			bad = check_callers(m, d);
	if (out->owned)
		g_ptr_array_free(out->owned, TRUE);
	out->owned = NULL;
	return bad;
}
