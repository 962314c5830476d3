// SPDX-License-Identifier: MIT
/*
 * isolation.c - VFIO's part of the isolation invariant (reach.h).
 *
 * A type1 container's domains translate exactly its vfio_dma list, each
 * page to the pfn vfio_pin_pages_remote() pinned for it: vfio_dma_do_map()
 * maps a new vfio_dma into every domain (vfio_pin_map_dma(),
 * vfio_iommu_map()), vfio_iommu_replay() a new domain with every
 * vfio_dma, vfio_unmap_unpin() unmaps before it unpins.
 *
 * A device userspace holds through VFIO reaches all memory only when no
 * IOMMU translates it (noiommu): not a violation, flagged unsafe, and the
 * kernel must be tainted since its registration (add_taint(TAINT_USER) in
 * vfio_group_find_or_alloc() for the group path's noiommu group, and in
 * __vfio_register_dev() for a noiommu cdev with IOMMUFD_NOIOMMU). Any
 * other such device is a break: VFIO claims the group's DMA ownership
 * before a device is opened (container.c vfio_container_attach_group(),
 * iommufd_device_bind()), which __iommu_take_dma_ownership() answers
 * with the blocking domain.
 */
#include "pt/amdv1.h"
#include "reach.h"
#include "vfio/type1_private.h"

static GArray *container_want(struct vfio_iommu *t1)
{
	GArray *want = iommu_reach_runs_new();

	for (guint i = 0; i < t1->dma_list->len; i++) {
		struct vfio_dma *dma = t1->dma_list->pdata[i];

		/* a vfio_dma vfio_pin_map_dma() has not mapped yet (a
		 * failed map removes it again) translates nothing */
		for (u64 p = 0;
		     dma->iommu_mapped && p < dma->size / T1_PAGE_SIZE; p++)
			iommu_reach_runs_add(
				want, dma->iova + p * T1_PAGE_SIZE, dma->pa[p],
				T1_PAGE_SIZE,
				dma->prot & (IOMMU_READ | IOMMU_WRITE));
	}
	return want;
}

/* One domain of the container, unless its table already agreed with
 * this vfio_dma list */
static char *check_domain(struct iommu_model *m, struct iommu_domain *d,
			  GArray *want, u64 key, int minor)
{
	g_autoptr(GArray) got = NULL;
	g_autofree char *owner = NULL;
	char *bad = NULL;

	if (iommu_reach_checked(d, key))
		return NULL;
	got = iommu_domain_hw_runs(m, d);
	owner = g_strdup_printf("the type1 container of VFIO group %d", minor);
	if (got)
		bad = iommu_reach_compare(m, d, got, want, owner,
					  "vfio_iommu_map(), "
					  "vfio_iommu_replay(), "
					  "vfio_unmap_unpin()");
	if (!bad)
		iommu_reach_agreed(d, key);
	return bad;
}

static char *check_container(struct iommu_model *m, struct vfio_container *c,
			     int minor, struct iommu_isolation *iso)
{
	g_autoptr(GArray) want = container_want(c->t1);
	g_autoptr(GList) l = NULL;
	u64 key = iommu_reach_runs_hash(want);
	bool walk = false;
	char *bad = NULL;
	GHashTableIter it;
	gpointer g, d;

	g_hash_table_iter_init(&it, c->domains);
	while (g_hash_table_iter_next(&it, &g, &d)) {
		iommu_isolation_owned(iso, d);
		walk |= !iommu_reach_checked(d, key);
	}
	if (!walk) /* every domain as it was when it last agreed */
		return NULL;
	/* newest first, as vfio_iommu_map() goes: the first break is the
	 * same in every copy */
	l = vfio_type1_domain_list(c->domains);
	for (GList *i = l; i && !bad; i = i->next)
		bad = check_domain(m, i->data, want, key, minor);
	return bad;
}

static char *check_containers(struct iommu_model *m, struct vfio *v,
			      struct iommu_isolation *iso)
{
	g_autoptr(GPtrArray) seen = g_ptr_array_new(); /* a few containers */
	GHashTableIter it;
	gpointer k, val;

	g_hash_table_iter_init(&it, v->group_ida);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		struct vfio_group *group = val;
		struct vfio_container *c = group->container;
		char *bad;

		if (!c || c->driver != DRV_TYPE1 || !c->t1 ||
		    g_ptr_array_find(seen, c, NULL))
			continue;
		g_ptr_array_add(seen, c);
		bad = check_container(m, c, group->minor, iso);
		if (bad)
			return bad;
	}
	return NULL;
}

/* A device userspace has opened and whose requests nothing translates */
static char *check_device(struct vfio *v, struct vfio_device *vdev,
			  struct iommu_isolation *out)
{
	struct iommu_domain *d;
	enum iommu_reach_kind k = iommu_device_reach(vdev->dev, &d);

	if (!vdev->open_count ||
	    (k != REACH_ALL_DIRECT && k != REACH_ALL_IDENTITY))
		return NULL;
	if (!vfio_device_is_noiommu(vdev))
		return g_strdup_printf(
			"%s (%s) is open in userspace but reaches %s "
			"(VFIO claims DMA ownership before a device opens: "
			"__iommu_take_dma_ownership())",
			vdev->name, vdev->dev->name, iommu_reach_kind_name(k));
	out->unsafe++;
	if (!v->tainted)
		return g_strdup_printf(
			"%s (%s) is open in userspace and reaches all memory "
			"with no IOMMU, but the kernel is not tainted "
			"(vfio_group_find_or_alloc(), __vfio_register_dev(): "
			"add_taint(TAINT_USER) at registration)",
			vdev->name, vdev->dev->name);
	return NULL;
}

/* The group path's owner: VFIO's "vfio-group" cookie (container.c) */
bool vfio_owns_group(struct iommu_model *m, struct iommu_group *g)
{
	return g->owner && !strcmp(g->owner, "vfio-group");
}

static char *check_owned(struct iommu_model *m)
{
	for (guint i = 0; i < m->groups->len; i++) {
		struct iommu_group *g = m->groups->pdata[i];
		char *bad = vfio_owns_group(m, g)
				    ? iommu_check_owned_group(m, g)
				    : NULL;

		if (bad)
			return bad;
	}
	return NULL;
}

char *vfio_check_isolation(struct iommu_model *m, struct iommu_isolation *iso)
{
	struct vfio *v = m->vfio;
	guint left = v ? g_hash_table_size(v->device_ida) : 0;
	char *bad = NULL;

	if (!v)
		return NULL;
	/* every device, by index (the ida's: small and dense; the first
	 * break is the same in every copy), so the unsafe count is whole
	 * even past a break */
	for (int i = 0; left; i++) {
		struct vfio_device *vdev =
			g_hash_table_lookup(v->device_ida, GINT_TO_POINTER(i));
		char *b;

		if (!vdev)
			continue;
		left--;
		b = check_device(v, vdev, iso);

		if (b && bad)
			g_free(b);
		else if (b)
			bad = b;
	}
	if (!bad)
		bad = check_containers(m, v, iso);
	return bad ? bad : check_owned(m);
}
