// SPDX-License-Identifier: MIT
/*
 * copy_selftest.c - the IOMMUFD_TEST mock driver's part of the model's
 * copy (iommufd/copy.c, copy.h): the module's state with its mock IOMMU
 * and soft devices (not the machine's: copied here, pointed by the core's
 * helpers), and the objects only the mock makes that the copy covers:
 * the selftest object (a mock device bound and attached), the access
 * objects with the mock's record of their pins, the nested HWPT and the
 * nested domain's own part, and the selftest exporter's dma-buf record.
 * The vIOMMU and what hangs off it: copy_viommu.c.
 */
#include "copy.h"
#include "iommufd/selftest_private.h"
#include "iommufd/selftest_dmabuf.h"

/* Every field of these is copied below: a field added to one changes its
 * size and stops the build on this line, until it is copied here and the
 * size brought up to date (LP64). */
G_STATIC_ASSERT(sizeof(struct iommufd_selftest) == 24);
G_STATIC_ASSERT(sizeof(struct mock_dev) == 56);
G_STATIC_ASSERT(sizeof(struct selftest_obj) == 56);
G_STATIC_ASSERT(sizeof(struct selftest_access) == 32);
G_STATIC_ASSERT(sizeof(struct selftest_access_item) == 24);
G_STATIC_ASSERT(sizeof(struct mock_nested) == 24);
G_STATIC_ASSERT(sizeof(struct iommufd_access) == 80);
G_STATIC_ASSERT(sizeof(struct iommufd_hwpt_nested) == 64);
G_STATIC_ASSERT(sizeof(struct iommufd_test_dma_buf) == 16);

/* ---- the module: mock IOMMU, mock devices ---- */

static void fix_mock_iommu(struct iommu_copy *c, void *to, const void *from)
{
	point_iommu_device(c, to, from);
}

static void fix_soft_device(struct iommu_copy *c, void *to, const void *from)
{
	point_device(c, to, from);
}

static void fix_mock_dev(struct iommu_copy *c, void *to, const void *from)
{
	struct mock_dev *n = to;
	const struct mock_dev *o = from;

	n->dev = copy_remap(c, o->dev);
	n->viommu = copy_remap(c, o->viommu);
}

void selftest_copy(struct iommu_copy *c)
{
	const struct iommufd_selftest *o = c->from->selftest;
	struct iommufd_selftest *n;
	GHashTableIter it;
	gpointer dev, mdev;

	if (!o)
		return;
	n = g_memdup2(o, sizeof(*o));
	n->mock_iommu = copy_iommu_device(c, o->mock_iommu);
	copy_later(c, fix_mock_iommu, n->mock_iommu, o->mock_iommu);
	n->mock_devs = g_hash_table_new_full(g_direct_hash, g_direct_equal,
					     NULL, g_free);
	g_hash_table_iter_init(&it, o->mock_devs);
	while (g_hash_table_iter_next(&it, &dev, &mdev)) {
		struct device *nd = copy_device(c, dev);

		copy_later(c, fix_soft_device, nd, dev);
		g_hash_table_insert(n->mock_devs, nd,
				    copy_dup(c, mdev, sizeof(struct mock_dev),
					     fix_mock_dev));
	}
	c->to->selftest = n;
}

/* ---- a nested domain's own part ---- */

static void fix_mock_nested(struct iommu_copy *c, void *to, const void *from)
{
	struct mock_nested *n = to;
	const struct mock_nested *o = from;

	n->viommu = copy_remap(c, o->viommu);
}

void *iommufd_copy_domain_priv(struct iommu_copy *c,
			       const struct iommu_domain *d)
{
	if (d->type == IOMMU_DOMAIN_NESTED && c->from->selftest)
		return copy_dup(c, d->priv, sizeof(struct mock_nested),
				fix_mock_nested);
	copy_refuse(c, "a domain's driver part not copied (type %u)", d->type);
	return NULL;
}

/* ---- the objects ---- */

static void fix_selftest_obj(struct iommu_copy *c, void *to, const void *from)
{
	struct selftest_obj *n = to;
	const struct selftest_obj *o = from;

	n->idev = copy_remap(c, o->idev);
	n->ictx = copy_remap(c, o->ictx);
	n->mock_dev = copy_remap(c, o->mock_dev);
}

struct obj_header *selftest_copy_object(struct iommu_copy *c,
					struct obj_header *obj)
{
	return copy_dup(c, obj, sizeof(struct selftest_obj), fix_selftest_obj);
}

static void fix_hwpt_nested(struct iommu_copy *c, void *to, const void *from)
{
	struct iommufd_hwpt_nested *n = to;
	const struct iommufd_hwpt_nested *o = from;

	n->common.domain = copy_remap(c, o->common.domain);
	n->common.fault = copy_remap(c, o->common.fault);
	n->parent = copy_remap(c, o->parent);
	n->viommu = copy_remap(c, o->viommu);
}

struct obj_header *hwpt_nested_copy_object(struct iommu_copy *c,
					   struct obj_header *obj)
{
	return copy_dup(c, obj, sizeof(struct iommufd_hwpt_nested),
			fix_hwpt_nested);
}

/* The mock's record of an access: its pinned items (owned) */
static void fix_staccess(struct iommu_copy *c, void *to, const void *from)
{
	struct selftest_access *n = to;
	const struct selftest_access *o = from;

	n->m = c->to;
	n->access = copy_remap(c, o->access);
	n->items = g_ptr_array_new_full(o->items->len, g_free);
	for (guint i = 0; i < o->items->len; i++)
		g_ptr_array_add(n->items,
				g_memdup2(o->items->pdata[i],
					  sizeof(struct selftest_access_item)));
}

static void fix_access(struct iommu_copy *c, void *to, const void *from)
{
	struct iommufd_access *n = to;
	const struct iommufd_access *o = from;

	n->m = c->to;
	n->ictx = copy_remap(c, o->ictx);
	n->ioas = copy_remap(c, o->ioas);
	n->ioas_unpin = copy_remap(c, o->ioas_unpin);
	/* an internal access (a HW queue's) has no ops and no data */
	n->data = o->data ? copy_get(c, o->data, sizeof(struct selftest_access),
				     fix_staccess)
			  : NULL;
}

bool access_copy_known(const struct iommufd_access *access)
{
	return iommufd_access_is_internal((struct iommufd_access *)access) ||
	       selftest_access_ops_is(access->ops);
}

/* iommufd_copy_check() let in only the mock's and internal accesses */
struct obj_header *access_copy_object(struct iommu_copy *c,
				      struct obj_header *obj)
{
	return copy_dup(c, obj, sizeof(struct iommufd_access), fix_access);
}

/* The selftest exporter's record of a dma-buf (its memory is not
 * modelled, selftest_dmabuf.c) */
void *selftest_dmabuf_copy_priv(struct iommu_copy *c, const void *priv)
{
	(void)c;
	return g_memdup2(priv, sizeof(struct iommufd_test_dma_buf));
}
