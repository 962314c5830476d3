// SPDX-License-Identifier: MIT
/*
 * copy.c - VFIO's part of iommu_model_copy() (core/copy.c, copy.h): the
 * configuration and module parameters, the registered devices (by index)
 * and groups (by minor), the fd table of VFIO's files, the containers
 * they hold with their type1 driver data (the DMA mappings, their pinned
 * pages and dirty bitmaps). A group off the group list, kept only by its
 * open file, and a container, kept by its files and groups, are copied
 * where they are first reached. iommufd's objects (a device's binding, a
 * group's or a file's ctx) are iommufd/copy.c's, copied before these.
 */
#include "copy.h"
#include "vfio/type1_private.h"
#include "pt/physmem.h"

/* Every field of these is copied below: a field added to one changes its
 * size and stops the build on this line, until it is copied here and the
 * size brought up to date (LP64). */
G_STATIC_ASSERT(sizeof(struct vfio) == 48);
G_STATIC_ASSERT(sizeof(struct vfio_group) == 72);
G_STATIC_ASSERT(sizeof(struct vfio_device) == 168); /* cfgsp: copy_vdev() */
G_STATIC_ASSERT(sizeof(struct vfio_file) == 72);
G_STATIC_ASSERT(sizeof(struct vfio_container) == 56);
G_STATIC_ASSERT(sizeof(struct vfio_iommu) == 56);
G_STATIC_ASSERT(sizeof(struct vfio_dma) == 80);

static struct vfio_group *copy_vgroup(struct iommu_copy *c,
				      const struct vfio_group *g);
static struct vfio_device *copy_vdev(struct iommu_copy *c,
				     const struct vfio_device *d);

/* ---- type1: the mappings ---- */

static struct vfio_dma *copy_dma(struct iommu_copy *c, const struct vfio_dma *o)
{
	struct vfio_dma *n = g_memdup2(o, sizeof(*o));

	n->task = iommufd_copy_process(c, o->task);
	if (o->pa)
		n->pa = g_memdup2(o->pa, o->size / T1_PAGE_SIZE * sizeof(u64));
	if (o->bitmap)
		n->bitmap = g_memdup2(o->bitmap, o->bitmap_words * sizeof(u64));
	n->budget = copy_budget(c, o->budget);
	return n;
}

static struct vfio_iommu *copy_type1(struct iommu_copy *c,
				     const struct vfio_iommu *o)
{
	struct vfio_iommu *n;

	if (!o)
		return NULL;
	n = g_memdup2(o, sizeof(*o));
	n->vfio = copy_remap(c, o->vfio);
	n->dma_list = g_ptr_array_sized_new(o->dma_list->len);
	for (guint i = 0; i < o->dma_list->len; i++)
		g_ptr_array_add(n->dma_list,
				copy_dma(c, o->dma_list->pdata[i]));
	return n;
}

/* ---- containers, groups, devices, files ---- */

static void fix_container(struct iommu_copy *c, void *to, const void *from)
{
	struct vfio_container *n = to;
	const struct vfio_container *o = from;
	GHashTableIter it;
	gpointer key, val;

	n->vfio = copy_remap(c, o->vfio);
	n->groups = g_ptr_array_sized_new(o->groups->len);
	for (guint i = 0; i < o->groups->len; i++)
		g_ptr_array_add(n->groups, copy_vgroup(c, o->groups->pdata[i]));
	n->domains = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_hash_table_iter_init(&it, o->domains);
	while (g_hash_table_iter_next(&it, &key, &val))
		g_hash_table_insert(n->domains, copy_vgroup(c, key),
				    copy_remap(c, val));
	n->t1 = copy_type1(c, o->t1);
}

static struct vfio_container *copy_container(struct iommu_copy *c,
					     const struct vfio_container *o)
{
	return copy_get(c, o, sizeof(*o), fix_container);
}

static void fix_vgroup(struct iommu_copy *c, void *to, const void *from)
{
	struct vfio_group *n = to;
	const struct vfio_group *o = from;

	n->iommu_group = copy_remap(c, o->iommu_group);
	n->device_list = g_ptr_array_sized_new(o->device_list->len);
	for (guint i = 0; i < o->device_list->len; i++)
		g_ptr_array_add(n->device_list,
				copy_vdev(c, o->device_list->pdata[i]));
	n->container = copy_container(c, o->container);
	n->iommufd = copy_remap(c, o->iommufd);
}

static struct vfio_group *copy_vgroup(struct iommu_copy *c,
				      const struct vfio_group *g)
{
	return copy_get(c, g, sizeof(*g), fix_vgroup);
}

/* the interrupt state: each trigger the copy of the same eventfd ctx
 * its process's file holds, INTx's unmask virqfd waiting on the copy
 * of its eventfd for @vdev (the copied device) */
static struct vfio_pci_irqs *copy_irqs(struct iommu_copy *c,
				       const struct vfio_pci_irqs *o,
				       struct vfio_device *vdev)
{
	struct vfio_pci_irqs *n;
	GHashTableIter it;
	gpointer key, val;

	if (!o)
		return NULL;
	n = g_memdup2(o, sizeof(*o));
	n->ctx = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_hash_table_iter_init(&it, o->ctx);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		struct vfio_pci_irq_ctx *x = g_memdup2(val, sizeof(*x));

		x->trigger = iommufd_copy_eventfd(c, x->trigger);
		x->unmask = vfio_virqfd_copy(c, x->unmask, vdev, x, &x->unmask);
		g_hash_table_insert(n->ctx, key, x);
	}
	n->err_trigger = iommufd_copy_eventfd(c, o->err_trigger);
	n->req_trigger = iommufd_copy_eventfd(c, o->req_trigger);
	return n;
}

static void fix_vdev(struct iommu_copy *c, void *to, const void *from)
{
	struct vfio_device *n = to;
	const struct vfio_device *o = from;

	n->vfio = copy_remap(c, o->vfio);
	n->dev = copy_remap(c, o->dev);
	n->name = g_strdup(o->name);
	n->group = copy_vgroup(c, o->group);
	n->idev = copy_remap(c, o->idev);
	if (o->pasids)
		n->pasids = g_array_copy(o->pasids);
	n->irqs = copy_irqs(c, o->irqs, n);
	if (o->cfgsp)
		n->cfgsp = g_memdup2(o->cfgsp, sizeof(*o->cfgsp));
	n->pm_wake_eventfd_ctx =
		iommufd_copy_eventfd(c, o->pm_wake_eventfd_ctx);
	n->ioeventfds = vfio_pci_ioeventfds_copy(c, o, n);
}

static struct vfio_device *copy_vdev(struct iommu_copy *c,
				     const struct vfio_device *d)
{
	return copy_get(c, d, sizeof(*d), fix_vdev);
}

static void fix_vfile(struct iommu_copy *c, void *to, const void *from)
{
	struct vfio_file *n = to;
	const struct vfio_file *o = from;

	n->m = c->to;
	n->group = copy_vgroup(c, o->group);
	n->device = copy_vdev(c, o->device);
	n->container = copy_container(c, o->container);
	n->ictx = copy_remap(c, o->ictx);
	/* the process whose table holds its stand-in: copied on first
	 * reach, as the pages that hold a process copy it */
	n->task = iommufd_copy_process(c, o->task);
}

/* A table of direct keys whose values are objects @get copies. */
static GHashTable *copy_table(struct iommu_copy *c, GHashTable *from,
			      void *(*get)(struct iommu_copy *, const void *))
{
	GHashTable *to = g_hash_table_new(g_direct_hash, g_direct_equal);
	GHashTableIter it;
	gpointer key, val;

	g_hash_table_iter_init(&it, from);
	while (g_hash_table_iter_next(&it, &key, &val))
		g_hash_table_insert(to, key, get(c, val));
	return to;
}

static void *get_vdev(struct iommu_copy *c, const void *o)
{
	return copy_vdev(c, o);
}

static void *get_vgroup(struct iommu_copy *c, const void *o)
{
	return copy_vgroup(c, o);
}

static void *get_vfile(struct iommu_copy *c, const void *o)
{
	return copy_get(c, o, sizeof(struct vfio_file), fix_vfile);
}

void vfio_copy(struct iommu_copy *c)
{
	const struct vfio *o = c->from->vfio;
	struct vfio *n;

	if (!o)
		return;
	n = copy_dup(c, o, sizeof(*o), NULL);
	n->m = c->to;
	c->to->vfio = n;
	n->device_ida = copy_table(c, o->device_ida, get_vdev);
	n->group_ida = copy_table(c, o->group_ida, get_vgroup);
	n->fds = copy_table(c, o->fds, get_vfile);
}
