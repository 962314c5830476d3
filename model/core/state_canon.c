// SPDX-License-Identifier: MIT
/*
 * state_canon.c - one order of a machine's devices for the symmetric
 * key (state.h struct iommu_canon): VFIO's and the iommufd side's
 * hashes name a device by its place in it, not by its name, so a state
 * and its mirror image (interchangeable devices swapped) key alike there
 * too, as the core's multisets do (state_hash.c).
 *
 * The order sorts the devices by a signature: the device's class and
 * core state, its group's, then whatever VFIO and the iommufd side note
 * of it with every device they name left out (iommu_canon_note() before
 * iommu_canon_order(): a reference then hashes as "a device"). Devices
 * whose signatures tie keep their declaration order.
 *
 * Why that is sound: the key hashes the state with each device renamed
 * to its place, a bijection, plus the signatures and the group each
 * place is in (iommu_canon_hash()); two states with one key are one
 * state renamed, devices to devices of their class, whatever the order
 * was. A tie broken by declaration order can only key two mirror images
 * apart (less reduction), never two different states alike.
 */
#include "state.h"
#include "core.h"

struct canon_dev {
	u64 sig;
	const struct device *dev;
};

struct iommu_canon {
	const struct iommu_model *m;
	struct canon_dev *devs; /* m->devices' order, then the canonical one */
	guint n;
	bool ordered;
};

struct iommu_canon *iommu_canon_new(struct iommu_model *m)
{
	struct iommu_canon *c = g_new0(struct iommu_canon, 1);

	c->m = m;
	c->n = m->devices->len;
	c->devs = g_new(struct canon_dev, c->n + 1);
	for (guint i = 0; i < c->n; i++) {
		const struct device *dev = m->devices->pdata[i];
		const struct iommu_group *g = dev->iommu_group;
		u64 h = iommu_device_hash_symmetric(dev);

		if (g)
			h = iommu_hash_mix(h, iommu_group_hash_symmetric(m, g));
		c->devs[i] = (struct canon_dev){ h, dev };
	}
	return c;
}

void iommu_canon_free(struct iommu_canon *c)
{
	if (!c)
		return;
	g_free(c->devs);
	g_free(c);
}

/* @dev's place; -1 for a device not in the machine's list (removed) */
static int place(const struct iommu_canon *c, const struct device *dev)
{
	for (guint i = 0; i < c->n; i++)
		if (c->devs[i].dev == dev)
			return i;
	return -1;
}

void iommu_canon_note(struct iommu_canon *c, const struct device *dev, u64 v)
{
	int i = place(c, dev);

	g_assert(!c->ordered);
	if (i >= 0)
		c->devs[i].sig = iommu_hash_mix(c->devs[i].sig, v);
}

/* by signature, ties in m->devices' (declaration) order */
static int cmp_dev(const void *a, const void *b)
{
	const struct canon_dev *x = a, *y = b;

	if (x->sig != y->sig)
		return x->sig < y->sig ? -1 : 1;
	return x->dev->decl_order - y->dev->decl_order;
}

void iommu_canon_order(struct iommu_canon *c)
{
	qsort(c->devs, c->n, sizeof(*c->devs), cmp_dev);
	c->ordered = true;
}

/* A removed device a file still names, or one named before the order is
 * made: by its name, or "a device" */
static u64 unplaced(u64 h, const struct iommu_canon *c,
		    const struct device *dev)
{
	return c->ordered ? iommu_hash_str(h, dev->name)
			  : iommu_hash_mix(h, 0x61646576ull);
}

u64 iommu_canon_dev(u64 h, const struct iommu_canon *c,
		    const struct device *dev)
{
	int i;

	if (!c || !dev)
		return iommu_hash_str(h, dev ? dev->name : NULL);
	i = c->ordered ? place(c, dev) : -1;
	return i < 0 ? unplaced(h, c, dev) : iommu_hash_mix(h, i + 1);
}

/* A group by its first member's place (its members are its identity);
 * one without members (an igroup's reference outlives them) by its id,
 * apart from every place */
u64 iommu_canon_group_no(const struct iommu_canon *c,
			 const struct iommu_group *g)
{
	u64 first = ~0ull;

	if (!c)
		return (u64)g->id;
	if (!c->ordered)
		return 0x61677270ull;
	for (guint i = 0; i < g->devices->len; i++) {
		int p = place(c, g->devices->pdata[i]);

		if (p >= 0 && (u64)p < first)
			first = p;
	}
	return first != ~0ull ? first : (u64)g->id | 1ull << 32;
}

/*
 * The renamed core: each place's signature and the group it is in (by
 * the group's first place), in the canonical order. With the core's
 * multisets (iommu_state_hash_symmetric()) alone two states whose VFIO
 * or iommufd side names a device by place could pair places with
 * devices differently; this pins each place to one device's state.
 */
u64 iommu_canon_hash(const struct iommu_canon *c, u64 h)
{
	g_assert(c->ordered);
	for (guint i = 0; i < c->n; i++) {
		const struct iommu_group *g = c->devs[i].dev->iommu_group;

		h = iommu_hash_mix(h, c->devs[i].sig);
		h = iommu_hash_mix(h, g ? iommu_canon_group_no(c, g) : ~0ull);
	}
	return iommu_hash_mix(h, c->n);
}
