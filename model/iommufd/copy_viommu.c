// SPDX-License-Identifier: MIT
/*
 * copy_viommu.c - the vIOMMU family's part of the model's copy
 * (iommufd/copy.c, copy.h): the vIOMMU with the mock's part of it (its
 * parent domain, its HW queue slots, its mmap offset and the PA of its
 * page, whose bytes the physmem's copy carries at the same PA), the
 * vDEVICE, the vEVENTQ with the vEVENTs queued on it (its file is the
 * process's, copied there), the HW queue with the mock's part and its
 * internal access (an object of the ctx, copy_selftest.c), and the ctx's
 * mmap regions. Only the mock makes vIOMMUs; one of another driver
 * would be refused by name before anything is copied.
 */
#include "copy.h"
#include "iommufd/selftest_private.h"

/* Every field of these is copied below: a field added to one changes its
 * size and stops the build on this line, until it is copied here and the
 * size brought up to date (LP64). */
G_STATIC_ASSERT(sizeof(struct iommufd_viommu) == 88);
G_STATIC_ASSERT(sizeof(struct iommufd_vdevice) == 48);
G_STATIC_ASSERT(sizeof(struct iommufd_veventq) == 80);
G_STATIC_ASSERT(sizeof(struct iommufd_vevent) == 16);
G_STATIC_ASSERT(sizeof(struct iommufd_hw_queue) == 80);
G_STATIC_ASSERT(sizeof(struct iommufd_mmap) == 32);
G_STATIC_ASSERT(sizeof(struct mock_viommu) ==
		8 * (3 + IOMMU_TEST_HW_QUEUE_MAX));
G_STATIC_ASSERT(sizeof(struct mock_hw_queue) == 32);

const char *viommu_copy_refusal(const struct obj_header *obj)
{
	const struct iommufd_viommu *viommu =
		(const struct iommufd_viommu *)obj;

	if (obj->type == IOMMUFD_OBJ_VIOMMU && !mock_viommu_ops_is(viommu->ops))
		return "a vIOMMU of a driver the copy does not know";
	return NULL;
}

/* ---- the mock's parts ---- */

static void fix_mock_viommu(struct iommu_copy *c, void *to, const void *from);
static void fix_mock_hw_queue(struct iommu_copy *c, void *to, const void *from);

static struct mock_viommu *copy_mock_viommu(struct iommu_copy *c,
					    const struct mock_viommu *o)
{
	return copy_get(c, o, sizeof(*o), fix_mock_viommu);
}

/* reached from its slot, its HW queue or the one after it: once */
static struct mock_hw_queue *copy_mock_hw_queue(struct iommu_copy *c,
						const struct mock_hw_queue *o)
{
	return copy_get(c, o, sizeof(*o), fix_mock_hw_queue);
}

static void fix_mock_viommu(struct iommu_copy *c, void *to, const void *from)
{
	struct mock_viommu *n = to;
	const struct mock_viommu *o = from;

	n->s2_parent = copy_remap(c, o->s2_parent);
	for (int i = 0; i < IOMMU_TEST_HW_QUEUE_MAX; i++)
		if (!mock_hw_queue_is_freed(o->hw_queue[i]))
			n->hw_queue[i] = copy_mock_hw_queue(c, o->hw_queue[i]);
}

static void fix_mock_hw_queue(struct iommu_copy *c, void *to, const void *from)
{
	struct mock_hw_queue *n = to;
	const struct mock_hw_queue *o = from;

	n->core = copy_remap(c, o->core);
	n->mock_viommu = copy_mock_viommu(c, o->mock_viommu);
	n->prev = copy_mock_hw_queue(c, o->prev);
}

/* ---- the objects ---- */

static void fix_viommu(struct iommu_copy *c, void *to, const void *from)
{
	struct iommufd_viommu *n = to;
	const struct iommufd_viommu *o = from;
	GHashTableIter it;
	gpointer key, val;

	n->ictx = copy_remap(c, o->ictx);
	n->iommu_dev = copy_remap(c, o->iommu_dev);
	n->hwpt = copy_remap(c, o->hwpt);
	n->vdevs = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
					 NULL);
	g_hash_table_iter_init(&it, o->vdevs);
	while (g_hash_table_iter_next(&it, &key, &val))
		g_hash_table_insert(n->vdevs, g_memdup2(key, sizeof(u64)),
				    copy_remap(c, val));
	n->veventqs = NULL;
	for (GList *l = o->veventqs; l; l = l->next)
		n->veventqs =
			g_list_prepend(n->veventqs, copy_remap(c, l->data));
	n->veventqs = g_list_reverse(n->veventqs);
	n->priv = copy_mock_viommu(c, o->priv);
}

static void fix_vdevice(struct iommu_copy *c, void *to, const void *from)
{
	struct iommufd_vdevice *n = to;
	const struct iommufd_vdevice *o = from;

	n->viommu = copy_remap(c, o->viommu);
	n->idev = copy_remap(c, o->idev);
}

static struct iommufd_vevent *copy_vevent(const struct iommufd_vevent *v)
{
	return g_memdup2(v, sizeof(*v) + v->data_len);
}

/* The queue in order; its lost_events_header, when queued, is the
 * copy's own header (iommufd_vevent_handler() compares pointers) */
static void fix_veventq(struct iommu_copy *c, void *to, const void *from)
{
	struct iommufd_veventq *n = to;
	const struct iommufd_veventq *o = from;

	n->common.ictx = copy_remap(c, o->common.ictx);
	n->common.filep = copy_remap(c, o->common.filep);
	n->viommu = copy_remap(c, o->viommu);
	n->lost_events_header = copy_vevent(o->lost_events_header);
	n->common.deliver = g_queue_new();
	for (GList *l = o->common.deliver->head; l; l = l->next)
		g_queue_push_tail(n->common.deliver,
				  l->data == o->lost_events_header
					  ? n->lost_events_header
					  : copy_vevent(l->data));
}

static void fix_hw_queue(struct iommu_copy *c, void *to, const void *from)
{
	struct iommufd_hw_queue *n = to;
	const struct iommufd_hw_queue *o = from;

	n->viommu = copy_remap(c, o->viommu);
	n->access = copy_remap(c, o->access);
	n->priv = copy_mock_hw_queue(c, o->priv);
}

/* copy.c's copy_object() for the family's kinds */
struct obj_header *viommu_copy_object(struct iommu_copy *c,
				      struct obj_header *obj)
{
	switch (obj->type) {
	case IOMMUFD_OBJ_VIOMMU:
		return copy_dup(c, obj, sizeof(struct iommufd_viommu),
				fix_viommu);
	case IOMMUFD_OBJ_VDEVICE:
		return copy_dup(c, obj, sizeof(struct iommufd_vdevice),
				fix_vdevice);
	case IOMMUFD_OBJ_VEVENTQ:
		return copy_dup(c, obj, sizeof(struct iommufd_veventq),
				fix_veventq);
	default: /* IOMMUFD_OBJ_HW_QUEUE: the mock's size */
		return copy_dup(c, obj, sizeof(struct iommufd_hw_queue),
				fix_hw_queue);
	}
}

/* ---- the ctx's mmap regions ---- */

GList *mt_mmap_copy(struct iommu_copy *c, GList *mt_mmap)
{
	GList *n = NULL;

	for (GList *l = mt_mmap; l; l = l->next) {
		struct iommufd_mmap *immap =
			g_memdup2(l->data, sizeof(struct iommufd_mmap));

		immap->owner = copy_remap(c, immap->owner);
		n = g_list_prepend(n, immap);
	}
	return g_list_reverse(n);
}
