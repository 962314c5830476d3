// SPDX-License-Identifier: MIT
/*
 * copy.c - iommufd's part of iommu_model_copy() (core/copy.c, copy.h):
 * every open ctx with its object table (the same ids, free slots and
 * serials: the next object gets the same id in both), its igroups and
 * their attaches, each IOAS's io_pagetable (areas, allowed and reserved
 * ranges, the domains it fills), the pages behind the areas with their
 * pin counts, and the processes and memfds those pages hold; a process
 * the caller holds (the runner's) through iommufd_copy_process().
 *
 * The object kinds copied are the device, the paging HWPT, the IOAS and
 * the fault queue (with its file), the selftest mock's (the selftest
 * object, the nested HWPT, the access: copy_selftest.c, with the mock's
 * IOMMU and soft devices) and the vIOMMU family (vIOMMU, vDEVICE,
 * vEVENTQ, HW queue, the ctx's mmap regions: copy_viommu.c); a process's
 * dma-buf of the selftest exporter is copied with its file.
 * iommufd_copy_check() refuses a ctx holding any other kind, naming it,
 * before anything is copied, and so does a process holding another
 * exporter's dma-buf; so a kind added to iommufd is replayed, never
 * half-copied, until these files copy it.
 */
#include "copy.h"
#include "iommufd/selftest_private.h"
#include "iommufd/dma_buf.h"
#include "iommufd/eventfd.h"
#include "iommufd/selftest_dmabuf.h"
#include "pt/physmem.h"

/* Every field of these is copied below: a field added to one changes its
 * size and stops the build on this line, until it is copied here and the
 * size brought up to date (LP64). A kind or a field copied by accident
 * would share the original's memory. */
G_STATIC_ASSERT(sizeof(struct iommufd_ctx) == 88);
G_STATIC_ASSERT(sizeof(struct iommufd_device) == 64);
G_STATIC_ASSERT(sizeof(struct iommufd_group) == 48);
G_STATIC_ASSERT(sizeof(struct iommufd_attach) == 16);
G_STATIC_ASSERT(sizeof(struct iommufd_hwpt_paging) == 64);
G_STATIC_ASSERT(sizeof(struct iommufd_ioas) == 104);
G_STATIC_ASSERT(sizeof(struct io_pagetable) == 64);
G_STATIC_ASSERT(sizeof(struct iopt_area) == 72);
G_STATIC_ASSERT(sizeof(struct iopt_pages) == 104);
G_STATIC_ASSERT(sizeof(struct iopt_reserved) == 24);
G_STATIC_ASSERT(sizeof(struct iopt_allowed) == 16);
G_STATIC_ASSERT(sizeof(struct iommufd_fault) == 56);
G_STATIC_ASSERT(sizeof(struct iopf_group) == 56);
G_STATIC_ASSERT(sizeof(struct process) == 120);
G_STATIC_ASSERT(sizeof(struct vma) == 32);
G_STATIC_ASSERT(sizeof(struct file) == 96);
G_STATIC_ASSERT(sizeof(struct user_struct) == 16);
G_STATIC_ASSERT(sizeof(struct dma_buf) == 32);

/* ---- the check ---- */

const char *iommufd_copy_kind_refusal(unsigned int type)
{
	switch (type) {
	case IOMMUFD_OBJ_DEVICE:
	case IOMMUFD_OBJ_HWPT_PAGING:
	case IOMMUFD_OBJ_HWPT_NESTED:
	case IOMMUFD_OBJ_IOAS:
	case IOMMUFD_OBJ_ACCESS:
	case IOMMUFD_OBJ_FAULT:
	case IOMMUFD_OBJ_VIOMMU:
	case IOMMUFD_OBJ_VDEVICE:
	case IOMMUFD_OBJ_VEVENTQ:
	case IOMMUFD_OBJ_HW_QUEUE:
	case IOMMUFD_OBJ_SELFTEST:
		return NULL;
	default:
		return iommufd_obj_type_name(type);
	}
}

/* process_copy_refusal(), or a dma-buf in its fd table of an exporter
 * the copy does not know (only the selftest's, selftest_dmabuf.c, is) */
const char *iommufd_copy_process_refusal(const struct process *p)
{
	const char *why = process_copy_refusal(p);

	for (guint i = 0; !why && i < p->files->len; i++) {
		const struct file *f = p->files->pdata[i];

		if (is_dma_buf_file(f) &&
		    !iommufd_test_dmabuf_is(f->private_data))
			why = "a process holding a dma-buf of an exporter "
			      "the copy does not know";
	}
	return why;
}

static bool check_pages(struct iommu_copy *c, const struct iopt_pages *pages)
{
	const char *why = iommufd_copy_process_refusal(pages->source_task);

	if (why)
		copy_refuse(c, "pages of %s", why);
	else if (pages->file && !pages->file->shmem)
		copy_refuse(c, "pages of a file that is not a memfd");
	return !c->why;
}

static bool check_ioas(struct iommu_copy *c, const struct iommufd_ioas *ioas)
{
	const struct io_pagetable *iopt = &ioas->iopt;

	for (guint i = 0; !c->why && i < iopt->areas->len; i++) {
		const struct iopt_area *area = iopt->areas->pdata[i];

		if (area->pages)
			check_pages(c, area->pages);
	}
	return !c->why;
}

static bool check_ctx(struct iommu_copy *c, const struct iommufd_ctx *ictx)
{
	if (obj_ids_taken(&ictx->objects) != ictx->objects.live) {
		copy_refuse(c, "an iommufd object reserved (inside a call)");
		return false;
	}
	for (u32 id = obj_next_id(&ictx->objects, 0); id && !c->why;
	     id = obj_next_id(&ictx->objects, id)) {
		const struct obj_header *obj = obj_peek(&ictx->objects, id);
		const char *kind = iommufd_copy_kind_refusal(obj->type);

		if (kind)
			copy_refuse(c,
				    "iommufd object kind %s (type %u) not "
				    "copied",
				    kind, obj->type);
		else if (obj->type == IOMMUFD_OBJ_IOAS)
			check_ioas(c, (const struct iommufd_ioas *)obj);
		else if (obj->type == IOMMUFD_OBJ_ACCESS &&
			 !access_copy_known((const struct iommufd_access *)obj))
			copy_refuse(c, "an access of a driver the copy does "
				       "not know");
		else if ((kind = viommu_copy_refusal(obj)))
			copy_refuse(c, "%s", kind);
	}
	return !c->why;
}

bool iommufd_copy_check(struct iommu_copy *c)
{
	for (guint i = 0; i < c->from->ictxs->len && !c->why; i++)
		check_ctx(c, c->from->ictxs->pdata[i]);
	return !c->why;
}

/* ---- the process and its files ---- */

static struct file *copy_file(struct iommu_copy *c, const struct file *f);

/* A dma-buf the selftest exported (the check let in no other): its file
 * is the one that holds it, its priv the exporter's */
static void fix_dma_buf(struct iommu_copy *c, void *to, const void *from)
{
	struct dma_buf *n = to;
	const struct dma_buf *o = from;

	n->file = copy_file(c, o->file);
	n->priv = selftest_dmabuf_copy_priv(c, o->priv);
}

static struct dma_buf *copy_dma_buf(struct iommu_copy *c,
				    const struct dma_buf *d)
{
	return copy_get(c, d, sizeof(*d), fix_dma_buf);
}

static void fix_file(struct iommu_copy *c, void *to, const void *from)
{
	struct file *n = to;
	const struct file *o = from;

	if (o->pages)
		n->pages = g_array_copy(o->pages);
	n->budget = copy_budget(c, o->budget);
	if (is_dma_buf_file(o))
		n->private_data = copy_dma_buf(c, o->private_data);
	else if (is_eventfd_file(o))
		n->private_data = iommufd_copy_eventfd(c, o->private_data);
	else
		n->private_data = copy_remap(c, o->private_data);
}

/* an eventfd's ctx, one copy for its file and every driver holding it
 * (a shim's stand-in has hooks: its process is refused before); its
 * waiters are their owners' to copy, each joining the new queue itself
 * (vfio's virqfd: model/vfio/virqfd.c), so the queue starts empty at
 * once, not in the second pass */
struct eventfd_ctx *iommufd_copy_eventfd(struct iommu_copy *c,
					 const struct eventfd_ctx *ctx)
{
	struct eventfd_ctx *n;

	if (!ctx)
		return NULL;
	n = copy_lookup(c, ctx);
	if (!n) {
		n = copy_dup(c, ctx, sizeof(*ctx), NULL);
		n->wqh = NULL;
	}
	return n;
}

static struct file *copy_file(struct iommu_copy *c, const struct file *f)
{
	return copy_get(c, f, sizeof(*f), fix_file);
}

static void fix_process(struct iommu_copy *c, void *to, const void *from)
{
	struct process *n = to;
	const struct process *o = from;

	n->user = copy_get(c, o->user, sizeof(*o->user), NULL);
	n->vmas = spare_ptr_array(o->vmas->len);
	for (guint i = 0; i < o->vmas->len; i++) {
		const struct vma *v = o->vmas->pdata[i];
		struct vma *nv = g_memdup2(v, sizeof(*v));

		nv->page_pa =
			g_memdup2(v->page_pa,
				  v->length / PROCESS_PAGE_SIZE * sizeof(u64));
		g_ptr_array_add(n->vmas, nv);
	}
	n->files = spare_ptr_array(o->files->len);
	for (guint i = 0; i < o->files->len; i++)
		g_ptr_array_add(n->files, copy_file(c, o->files->pdata[i]));
	n->budget = copy_budget(c, o->budget);
}

struct process *iommufd_copy_process(struct iommu_copy *c,
				     const struct process *p)
{
	const char *why = p ? iommufd_copy_process_refusal(p) : NULL;

	if (why) {
		copy_refuse(c, "%s", why);
		return NULL;
	}
	return c->to ? copy_get(c, p, sizeof(*p), fix_process) : NULL;
}

/* ---- pages, areas, the io_pagetable ---- */

static void fix_pages(struct iommu_copy *c, void *to, const void *from)
{
	struct iopt_pages *n = to;
	const struct iopt_pages *o = from;

	n->m = c->to;
	n->source_task = iommufd_copy_process(c, o->source_task);
	n->file = copy_file(c, o->file);
	if (o->pin_count)
		n->pin_count = g_memdup2(o->pin_count,
					 o->npages * sizeof(*o->pin_count));
	/* the in-kernel accesses' pinned ranges (the selftest's) */
	n->accesses = o->accesses
			      ? g_ptr_array_new_full(o->accesses->len, g_free)
			      : NULL;
	for (guint i = 0; o->accesses && i < o->accesses->len; i++)
		g_ptr_array_add(n->accesses,
				g_memdup2(o->accesses->pdata[i],
					  sizeof(struct iopt_pages_access)));
}

/* iopt_init_table()'s allowed and reserved lists own their nodes */
static GPtrArray *copy_nodes(const GPtrArray *a, size_t size)
{
	GPtrArray *n = g_ptr_array_new_full(a->len, g_free);

	for (guint i = 0; i < a->len; i++)
		g_ptr_array_add(n, g_memdup2(a->pdata[i], size));
	return n;
}

static void copy_iopt(struct iommu_copy *c, struct io_pagetable *n,
		      const struct io_pagetable *o)
{
	n->m = c->to;
	n->domains = copy_remap_array(c, o->domains);
	n->areas = g_ptr_array_sized_new(o->areas->len);
	for (guint i = 0; i < o->areas->len; i++) {
		const struct iopt_area *a = o->areas->pdata[i];
		struct iopt_area *na = g_memdup2(a, sizeof(*a));

		na->iopt = n;
		na->pages = copy_get(c, a->pages, sizeof(*a->pages), fix_pages);
		na->storage_domain = copy_remap(c, a->storage_domain);
		g_ptr_array_add(n->areas, na);
	}
	n->allowed = copy_nodes(o->allowed, sizeof(struct iopt_allowed));
	n->reserved = copy_nodes(o->reserved, sizeof(struct iopt_reserved));
	for (guint i = 0; i < n->reserved->len; i++) {
		struct iopt_reserved *r = n->reserved->pdata[i];

		r->owner = copy_remap(c, r->owner); /* a device or a domain */
	}
	n->access_list = copy_remap_array(c, o->access_list);
}

/* ---- the objects ---- */

static struct iommufd_attach *copy_attach(struct iommu_copy *c,
					  const struct iommufd_attach *o)
{
	struct iommufd_attach *n;

	if (!o)
		return NULL;
	n = g_new0(struct iommufd_attach, 1);
	n->hwpt = copy_remap(c, o->hwpt);
	n->devices = copy_remap_array(c, o->devices);
	return n;
}

static void fix_igroup(struct iommu_copy *c, void *to, const void *from)
{
	struct iommufd_group *n = to;
	const struct iommufd_group *o = from;
	GHashTableIter it;
	gpointer key, val;

	n->ictx = copy_remap(c, o->ictx);
	n->group = copy_remap(c, o->group);
	n->attach = copy_attach(c, o->attach);
	if (!o->pasids)
		return;
	n->pasids = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_hash_table_iter_init(&it, o->pasids);
	while (g_hash_table_iter_next(&it, &key, &val))
		g_hash_table_insert(n->pasids, key, copy_attach(c, val));
}

static struct iommufd_group *copy_igroup(struct iommu_copy *c,
					 const struct iommufd_group *g)
{
	return copy_get(c, g, sizeof(*g), fix_igroup);
}

static void fix_idev(struct iommu_copy *c, void *to, const void *from)
{
	struct iommufd_device *n = to;
	const struct iommufd_device *o = from;

	n->ictx = copy_remap(c, o->ictx);
	n->igroup = copy_igroup(c, o->igroup);
	n->dev = copy_remap(c, o->dev);
	n->vdev = copy_remap(c, o->vdev);
}

static void fix_hwpt_paging(struct iommu_copy *c, void *to, const void *from)
{
	struct iommufd_hwpt_paging *n = to;
	const struct iommufd_hwpt_paging *o = from;

	n->common.domain = copy_remap(c, o->common.domain);
	n->common.fault = copy_remap(c, o->common.fault);
	n->ioas = copy_remap(c, o->ioas);
}

static void fix_ioas(struct iommu_copy *c, void *to, const void *from)
{
	struct iommufd_ioas *n = to;
	const struct iommufd_ioas *o = from;

	copy_iopt(c, &n->iopt, &o->iopt);
	n->hwpt_list = copy_remap_array(c, o->hwpt_list);
	n->ictx = copy_remap(c, o->ictx);
}

static void fix_iopf(struct iommu_copy *c, void *to, const void *from)
{
	struct iopf_group *n = to;
	const struct iopf_group *o = from;

	n->idev = copy_remap(c, o->idev);
	n->hwpt = copy_remap(c, o->hwpt);
}

static struct iopf_group *copy_iopf(struct iommu_copy *c,
				    const struct iopf_group *g)
{
	return copy_get(c, g, sizeof(*g), fix_iopf);
}

/* A fault queue: its file (the process's fd table holds it), the page
 * requests waiting to be read and those read, waiting for a response */
static void fix_fault(struct iommu_copy *c, void *to, const void *from)
{
	struct iommufd_fault *n = to;
	const struct iommufd_fault *o = from;
	GHashTableIter it;
	gpointer key, val;

	n->common.ictx = copy_remap(c, o->common.ictx);
	n->common.filep = copy_file(c, o->common.filep);
	n->common.deliver = o->common.deliver ? g_queue_new() : NULL;
	for (GList *l = o->common.deliver ? o->common.deliver->head : NULL; l;
	     l = l->next)
		g_queue_push_tail(n->common.deliver, copy_iopf(c, l->data));
	n->response = o->response ? iommufd_fault_response_new() : NULL;
	if (!o->response)
		return;
	g_hash_table_iter_init(&it, o->response);
	while (g_hash_table_iter_next(&it, &key, &val))
		g_hash_table_insert(n->response, key, copy_iopf(c, val));
}

/* obj_table_copy()'s callback; iommufd_copy_check() let only these in */
static struct obj_header *copy_object(struct obj_header *obj, void *data)
{
	struct iommu_copy *c = data;

	switch (obj->type) {
	case IOMMUFD_OBJ_DEVICE:
		return copy_dup(c, obj, sizeof(struct iommufd_device),
				fix_idev);
	case IOMMUFD_OBJ_HWPT_PAGING:
		return copy_dup(c, obj, sizeof(struct iommufd_hwpt_paging),
				fix_hwpt_paging);
	case IOMMUFD_OBJ_IOAS:
		return copy_dup(c, obj, sizeof(struct iommufd_ioas), fix_ioas);
	case IOMMUFD_OBJ_FAULT:
		return copy_dup(c, obj, sizeof(struct iommufd_fault),
				fix_fault);
	case IOMMUFD_OBJ_SELFTEST:
		return selftest_copy_object(c, obj);
	case IOMMUFD_OBJ_HWPT_NESTED:
		return hwpt_nested_copy_object(c, obj);
	case IOMMUFD_OBJ_ACCESS:
		return access_copy_object(c, obj);
	case IOMMUFD_OBJ_VIOMMU:
	case IOMMUFD_OBJ_VDEVICE:
	case IOMMUFD_OBJ_VEVENTQ:
	case IOMMUFD_OBJ_HW_QUEUE:
		return viommu_copy_object(c, obj);
	default:
		copy_refuse(c, "iommufd object kind %s not copied",
			    iommufd_obj_type_name(obj->type));
		return copy_dup(c, obj, sizeof(*obj), NULL);
	}
}

static void fix_ctx(struct iommu_copy *c, void *to, const void *from)
{
	struct iommufd_ctx *n = to;
	const struct iommufd_ctx *o = from;
	GHashTableIter it;
	gpointer key, val;

	g_hash_table_iter_init(&it, o->groups);
	while (g_hash_table_iter_next(&it, &key, &val))
		g_hash_table_insert(n->groups, key, copy_igroup(c, val));
	n->vfio_ioas = copy_remap(c, o->vfio_ioas);
	n->owner_cookie = copy_remap(c, o->owner_cookie);
	n->mt_mmap = mt_mmap_copy(c, o->mt_mmap);
}

static void copy_ctx(struct iommu_copy *c, const struct iommufd_ctx *o)
{
	struct iommufd_ctx *n = copy_dup(c, o, sizeof(*o), fix_ctx);

	n->m = c->to;
	n->fault = &c->to->fault;
	if (obj_table_copy(&n->objects, &o->objects, n->fault, copy_object,
			   c)) {
		obj_table_init(&n->objects, OBJ_ID_MAX_31B, n->fault);
		copy_refuse(c, "an iommufd object reserved (inside a call)");
	}
	n->groups = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_ptr_array_add(c->to->ictxs, n);
}

void iommufd_copy(struct iommu_copy *c)
{
	/* a noiommu domain's owner: the same static ops in both */
	copy_map_add(c, &iommufd_noiommu_ops, &iommufd_noiommu_ops);
	selftest_copy(c);
	for (guint i = 0; i < c->from->ictxs->len; i++)
		copy_ctx(c, c->from->ictxs->pdata[i]);
}
