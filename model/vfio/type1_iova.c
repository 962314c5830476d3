// SPDX-License-Identifier: MIT
/*
 * type1_iova.c - type1's IOVA list (Linux 7.3
 * drivers/vfio/vfio_iommu_type1.c iommu->iova_list): its bounds, which
 * each group's attach narrows to the aperture of the domain made for it
 * (vfio_iommu_aper_resize(), even when the group then joins an existing
 * domain) and the release of a domain widens to the remaining domains'
 * (vfio_iommu_aper_expand()), minus the groups' reserved regions but the
 * relaxable direct ones (vfio_iommu_resv_exclude(), vfio_iommu_resv_
 * refresh()); the check of a map against it (vfio_iommu_iova_dma_
 * valid()), and of a joining group against the mappings (vfio_iommu_aper_conflict(),
 * vfio_iommu_resv_conflict()).
 */
#include "vfio/type1_private.h"
#include "state.h"
#include "pt/amdv1.h"

/* [start, end] minus [rs, re]: into @out (at most two pieces) */
static void range_cut(GArray *out, struct vfio_iova_range r, u64 rs, u64 re)
{
	struct vfio_iova_range lo = { r.start, rs - 1 }, hi = { re + 1, r.end };

	if (re < r.start || rs > r.end) {
		g_array_append_val(out, r);
		return;
	}
	if (rs > r.start)
		g_array_append_val(out, lo);
	if (re < r.end)
		g_array_append_val(out, hi);
}

/* a domain's geometry (aperture_start, aperture_end) */
static void domain_aperture(const struct iommu_domain *d, u64 *start, u64 *end)
{
	*start = d->pt ? d->pt->aperture_start : 0;
	*end = d->pt ? d->pt->aperture_end : T1_U64_MAX;
}

/* vfio_iommu_aper_resize() at a group's attach: the list's bounds narrow
 * to the aperture of the domain made for the group, even when the group
 * then joins an existing domain of a wider one */
void vfio_type1_aper_resize(struct vfio_iommu *t1,
			    const struct iommu_domain *domain)
{
	u64 start, end;

	domain_aperture(domain, &start, &end);
	t1->aper_start = MAX(t1->aper_start, start);
	t1->aper_end = MIN(t1->aper_end, end);
}

/* vfio_iommu_aper_expand() when a domain goes: the bounds become the
 * remaining domains' common aperture (everything without one) */
void vfio_type1_aper_expand(struct vfio_iommu *t1, GHashTable *domains)
{
	GHashTableIter it;
	gpointer val;

	t1->aper_start = 0;
	t1->aper_end = T1_U64_MAX;
	g_hash_table_iter_init(&it, domains);
	while (g_hash_table_iter_next(&it, NULL, &val))
		vfio_type1_aper_resize(t1, val);
}

/* vfio_iommu_resv_exclude(): @list without @group's reserved regions
 * but the relaxable direct ones (iommu_get_group_resv_regions()) */
static GArray *resv_exclude(GArray *list, const struct iommu_group *group)
{
	g_autoptr(GArray) resv = iommu_get_group_resv_regions(group);

	for (guint i = 0; i < resv->len; i++) {
		const struct iommu_resv_region *r =
			&g_array_index(resv, struct iommu_resv_region, i);
		GArray *cut;

		if (r->type == IOMMU_RESV_DIRECT_RELAXABLE)
			continue;
		cut = g_array_new(FALSE, FALSE, sizeof(struct vfio_iova_range));
		for (guint j = 0; j < list->len; j++)
			range_cut(
				cut,
				g_array_index(list, struct vfio_iova_range, j),
				r->start, r->start + r->length - 1);
		g_array_free(list, TRUE);
		list = cut;
	}
	return list;
}

/*
 * iommu->iova_list: its bounds (t1->aper_*, as attaches narrowed them
 * and a domain's release widened them) without the reserved regions of
 * the groups (vfio_iommu_resv_exclude() at each attach,
 * vfio_iommu_resv_refresh() at each detach), in IOVA order.
 */
GArray *vfio_type1_iova_list(const struct vfio_iommu *t1, GHashTable *domains)
{
	GArray *list =
		g_array_new(FALSE, FALSE, sizeof(struct vfio_iova_range));
	struct vfio_iova_range aper = { t1->aper_start, t1->aper_end };
	GHashTableIter it;
	gpointer k;

	g_array_append_val(list, aper);
	g_hash_table_iter_init(&it, domains);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		struct vfio_group *group = k;

		list = resv_exclude(list, group->iommu_group);
	}
	return list;
}

/*
 * vfio_iommu_aper_conflict() and vfio_iommu_resv_conflict(), as a group
 * joins with its new @domain attached: -EINVAL when that domain's
 * aperture is disjoint from the IOVA list or leaves out a mapping below
 * its start or above its end, or when one of the reserved regions of
 * @dev's group (iommu_get_group_resv_regions(), but a relaxable direct
 * one) meets a mapping.
 */
int vfio_type1_attach_conflict(struct vfio_iommu *t1, GHashTable *domains,
			       const struct iommu_domain *domain,
			       const struct device *dev)
{
	g_autoptr(GArray) list = vfio_type1_iova_list(t1, domains);
	g_autoptr(GArray) resv = iommu_get_group_resv_regions(dev->iommu_group);
	const struct vfio_iova_range *first, *last;
	u64 start, end;

	domain_aperture(domain, &start, &end);
	if (!g_hash_table_size(domains) || !list->len)
		return 0; /* list_empty(iova): the first group */
	first = &g_array_index(list, struct vfio_iova_range, 0);
	last = &g_array_index(list, struct vfio_iova_range, list->len - 1);
	if (start > last->end || end < first->start ||
	    (start > first->start &&
	     vfio_find_dma(t1, first->start, start - first->start)) ||
	    (end < last->end && vfio_find_dma(t1, end + 1, last->end - end)))
		return iommu_refuse(
			t1->vfio->m, -EINVAL, "vfio_iommu_aper_conflict",
			"the new domain's aperture [0x%llx, "
			"0x%llx] leaves out a mapping or the "
			"IOVA list",
			(unsigned long long)start, (unsigned long long)end);
	for (guint i = 0; i < resv->len; i++) {
		const struct iommu_resv_region *r =
			&g_array_index(resv, struct iommu_resv_region, i);

		if (r->type != IOMMU_RESV_DIRECT_RELAXABLE &&
		    vfio_find_dma(t1, r->start, r->length))
			return iommu_refuse(
				t1->vfio->m, -EINVAL,
				"vfio_iommu_resv_conflict",
				"reserved region [0x%llx, +0x%llx) of %s's "
				"group meets a mapping",
				(unsigned long long)r->start,
				(unsigned long long)r->length, dev->name);
	}
	return 0;
}

/* vfio_iommu_iova_dma_valid(): inside one range of the list */
bool vfio_type1_iova_valid(const struct vfio_iommu *t1, GHashTable *domains,
			   u64 start, u64 end)
{
	g_autoptr(GArray) list = vfio_type1_iova_list(t1, domains);

	if (!list->len)
		return true;
	for (guint i = 0; i < list->len; i++) {
		struct vfio_iova_range *r =
			&g_array_index(list, struct vfio_iova_range, i);

		if (start >= r->start && end <= r->end)
			return true;
	}
	return false;
}
