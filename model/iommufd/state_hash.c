// SPDX-License-Identifier: MIT
/*
 * state_hash.c - the facts state.c prints, folded into 64 bits from the
 * structures, no text: an explorer keys every state by them, and the
 * text's formatting was nearly half of an iommufd search's instructions.
 * Each function here mirrors the one of state.c of the same shape, fact
 * for fact and in its order; a list is preceded by its length so two
 * states whose lines differ never fold alike but by a 64-bit collision.
 * tests/unit/sim/test_state_hash.c checks over every corpus state that
 * equal texts hash alike and different ones differently. An explorer's
 * symmetric key hashes the same facts with a device and a group named by
 * their place in its canonical order instead of name and id
 * (iommufd_state_hash_canon(), model/core/state_canon.c); the object ids
 * stay: they are the xarray's allocation order, which userspace names
 * (IOMMU_DESTROY id=) and a mirror image does not swap.
 */
#include "iommufd/iommufd_private.h"
#include "iommufd/dma_buf.h"
#include "state.h"

struct hsnap {
	u64 h;
	struct iommufd_ctx *ictx;
	GPtrArray *pages; /* state.c's pages#N: the order first met */
	/* NULL: devices by name, groups by id, as state.c prints them; else
	 * by their place in a symmetric key's order */
	const struct iommu_canon *canon;
};

static void mix(struct hsnap *hs, u64 v)
{
	hs->h = iommu_hash_mix(hs->h, v);
}

static u64 pages_no(struct hsnap *hs, struct iopt_pages *pages)
{
	return iommufd_state_pages_no(hs->pages, pages);
}

/* state.c owner_str(): a domain of the table, a bound device, other */
static void hash_owner(struct hsnap *hs, struct io_pagetable *iopt,
		       const void *owner)
{
	struct obj_table *t = &hs->ictx->objects;

	if (g_ptr_array_find(iopt->domains, owner, NULL)) {
		mix(hs, 1);
		mix(hs, iommufd_state_domain_no(owner));
		return;
	}
	for (u32 id = obj_next_id(t, 0); id; id = obj_next_id(t, id)) {
		struct obj_header *obj = obj_peek(t, id);

		if (obj->type == IOMMUFD_OBJ_DEVICE &&
		    ((struct iommufd_device *)obj)->dev == owner) {
			mix(hs, 2);
			hs->h = iommu_canon_dev(
				hs->h, hs->canon,
				((struct iommufd_device *)obj)->dev);
			return;
		}
	}
	mix(hs, 3);
}

static void hash_area(struct hsnap *hs, struct iopt_area *a)
{
	struct iopt_pages *p = a->pages;

	mix(hs, a->node.start);
	mix(hs, a->node.last);
	mix(hs, (u32)a->iommu_prot);
	mix(hs, iommufd_state_domain_no(a->storage_domain));
	if (!p) {
		mix(hs, 0);
		return;
	}
	mix(hs, pages_no(hs, p));
	mix(hs, a->start_byte);
	mix(hs, p->type == IOPT_ADDRESS_FILE);
	mix(hs, p->npages);
	mix(hs, p->npinned);
	mix(hs, p->last_npinned);
	mix(hs, p->account_mode);
	mix(hs, p->refs);
}

static void hash_iopt(struct hsnap *hs, struct io_pagetable *iopt)
{
	mix(hs, iopt->iova_alignment);
	mix(hs, !iopt->disable_large_pages);
	mix(hs, iopt->domains->len);
	for (unsigned int i = 0; i < iopt->domains->len; i++)
		mix(hs, iommufd_state_domain_no(iopt->domains->pdata[i]));
	mix(hs, iopt->areas->len);
	for (unsigned int i = 0; i < iopt->areas->len; i++)
		hash_area(hs, iopt->areas->pdata[i]);
	mix(hs, iopt->reserved->len);
	for (unsigned int i = 0; i < iopt->reserved->len; i++) {
		struct iopt_reserved *r = iopt->reserved->pdata[i];

		mix(hs, r->node.start);
		mix(hs, r->node.last);
		hash_owner(hs, iopt, r->owner);
	}
	mix(hs, iopt->allowed->len);
	for (unsigned int i = 0; i < iopt->allowed->len; i++) {
		struct iopt_allowed *r = iopt->allowed->pdata[i];

		mix(hs, r->node.start);
		mix(hs, r->node.last);
	}
}

/* state.c snap_veventq() */
static void hash_veventq(struct hsnap *hs, struct iommufd_veventq *q)
{
	mix(hs, q->viommu->obj.id);
	mix(hs, q->depth);
	mix(hs, q->num_events);
	mix(hs, q->sequence);
	mix(hs, g_queue_get_length(q->common.deliver));
	for (GList *l = q->common.deliver->head; l; l = l->next) {
		struct iommufd_vevent *v = l->data;

		mix(hs, v->header.sequence);
		mix(hs, v->header.flags);
		mix(hs, v->data_len);
		for (u64 i = 0; i < v->data_len; i++)
			mix(hs, v->event_data[i]);
	}
}

/* state.c snap_viommu_links() */
static void hash_viommu_links(struct hsnap *hs, struct obj_header *obj)
{
	if (obj->type == IOMMUFD_OBJ_VIOMMU) {
		mix(hs, ((struct iommufd_viommu *)obj)->hwpt->common.obj.id);
	} else if (obj->type == IOMMUFD_OBJ_VDEVICE) {
		struct iommufd_vdevice *vd = (struct iommufd_vdevice *)obj;

		mix(hs, vd->viommu->obj.id);
		mix(hs, vd->idev->obj.id);
		mix(hs, vd->virt_id);
	} else if (obj->type == IOMMUFD_OBJ_VEVENTQ) {
		hash_veventq(hs, (struct iommufd_veventq *)obj);
	}
}

/* state.c snap_links() */
static void hash_links(struct hsnap *hs, struct obj_header *obj)
{
	if (obj->type == IOMMUFD_OBJ_DEVICE) {
		struct iommufd_device *idev = (struct iommufd_device *)obj;
		struct iommufd_hw_pagetable *hwpt =
			iommufd_device_attached_hwpt(idev);
		struct iommu_group *g =
			idev->igroup ? idev->igroup->group : NULL;

		hs->h = iommu_canon_dev(hs->h, hs->canon, idev->dev);
		mix(hs, g ? iommu_canon_group_no(hs->canon, g) : ~0ull);
		mix(hs, hwpt ? hwpt->obj.id : 0);
	} else if (obj->type == IOMMUFD_OBJ_HWPT_PAGING) {
		struct iommufd_hwpt_paging *hp =
			(struct iommufd_hwpt_paging *)obj;

		mix(hs, iommufd_state_domain_no(hp->common.domain));
		mix(hs, hp->ioas ? hp->ioas->obj.id : 0);
		mix(hs, hp->auto_domain);
	} else {
		hash_viommu_links(hs, obj);
	}
}

u64 iommufd_state_hash_canon(struct iommufd_ctx *ictx, u64 h,
			     const struct iommu_canon *c)
{
	struct hsnap hs = { h, ictx, g_ptr_array_new(), c };
	struct obj_table *t = &ictx->objects;

	mix(&hs, obj_ids_taken(t));
	mix(&hs, ictx->file_refs);
	mix(&hs, ictx->account_mode);
	mix(&hs, ictx->vfio_ioas ? ictx->vfio_ioas->obj.id : 0);
	for (u32 id = obj_next_id(t, 0); id; id = obj_next_id(t, id)) {
		struct obj_header *obj = obj_peek(t, id);

		mix(&hs, id);
		mix(&hs, obj->type);
		mix(&hs, obj->users);
		hash_links(&hs, obj);
		if (obj->type == IOMMUFD_OBJ_IOAS)
			hash_iopt(&hs, &((struct iommufd_ioas *)obj)->iopt);
	}
	g_ptr_array_free(hs.pages, TRUE);
	return iommu_hash_mix(hs.h, 0x636f6e74ull); /* the ctx's end */
}

u64 iommufd_state_hash(struct iommufd_ctx *ictx, u64 h)
{
	return iommufd_state_hash_canon(ictx, h, NULL);
}

/* Each iommufd_device's object (its id, users, group and attached HWPT,
 * the device itself "a device": @c is not ordered yet), noted for its
 * device with @salt (the ctx's place in the key) */
void iommufd_canon_note(struct iommufd_ctx *ictx, struct iommu_canon *c,
			u64 salt)
{
	struct obj_table *t = &ictx->objects;

	for (u32 id = obj_next_id(t, 0); id; id = obj_next_id(t, id)) {
		struct obj_header *obj = obj_peek(t, id);
		struct hsnap hs = { salt, ictx, NULL, c };

		if (obj->type != IOMMUFD_OBJ_DEVICE)
			continue;
		mix(&hs, id);
		mix(&hs, obj->users);
		hash_links(&hs, obj);
		iommu_canon_note(c, ((struct iommufd_device *)obj)->dev, hs.h);
	}
}

/* state.c's dump_dma_buf() */
static u64 hash_dma_buf(u64 h, const struct dma_buf *dmabuf)
{
	h = iommu_hash_mix(iommu_hash_mix(h, 3), dmabuf->size);
	return iommu_hash_mix(h, dmabuf->ops->revoked(dmabuf));
}

u64 process_state_hash(const struct process *p, u64 h)
{
	h = iommu_hash_mix(h, p->caps);
	h = iommu_hash_mix(h, p->rlimit_memlock);
	h = iommu_hash_mix(h, p->pinned_vm);
	h = iommu_hash_mix(h, p->mm_locked_vm);
	h = iommu_hash_mix(h, p->user->locked_vm);
	h = iommu_hash_mix(h, p->vmas->len);
	for (unsigned int i = 0; i < p->vmas->len; i++) {
		const struct vma *v = p->vmas->pdata[i];

		h = iommu_hash_mix(h, v->start);
		h = iommu_hash_mix(h, v->start + v->length - 1);
		h = iommu_hash_mix(h, v->writable | v->pfnmap << 1);
		h = iommu_hash_mix(h, v->page_pa[0]);
	}
	for (unsigned int fd = 0; fd < p->files->len; fd++) {
		const struct file *f = p->files->pdata[fd];

		if (!f || f->owner_shows) /* VFIO's hash has it */
			continue;
		h = iommu_hash_mix(h, fd);
		if (f->shmem) /* i_size and f_pos (shmem.c); its bytes are
			       * data memory's, which no state hashes */
			h = iommu_hash_mix(
				iommu_hash_mix(iommu_hash_mix(h, 1), f->size),
				f->pos);
		else if (is_dma_buf_file(f))
			h = hash_dma_buf(h, f->private_data);
		else
			h = iommu_hash_str(iommu_hash_mix(h, 2), f->name);
	}
	return iommu_hash_mix(h, 0x70726f63ull); /* the process's end */
}
