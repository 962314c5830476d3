// SPDX-License-Identifier: MIT
/*
 * state.c - a canonical description of an iommufd ctx and of a caller
 * process (iommufd.h): one fact per line in a fixed order, no pointers,
 * so two equal states print alike. Views and checks read it, and
 * fail-nth compares it before and after a failing step. Domains are named
 * by their model id (domain#N); pages shared between areas (IOAS_COPY) by
 * the order they are first met (pages#N).
 */
#include "iommufd/iommufd_private.h"
#include "iommufd/dma_buf.h"

struct snap {
	GString *s;
	struct iommufd_ctx *ictx;
	GPtrArray *pages; /* iopt_pages met so far: pages#(index + 1) */
};

unsigned int iommufd_state_pages_no(GPtrArray *met, struct iopt_pages *pages)
{
	unsigned int i;

	if (!g_ptr_array_find(met, pages, &i)) {
		g_ptr_array_add(met, pages);
		i = met->len - 1;
	}
	return i + 1;
}

static unsigned int pages_no(struct snap *sn, struct iopt_pages *pages)
{
	return iommufd_state_pages_no(sn->pages, pages);
}

/* A reservation's owner: a domain of the table, a bound device, or not
 * one of those (a test's). */
static void owner_str(struct snap *sn, struct io_pagetable *iopt,
		      const void *owner, GString *out)
{
	struct obj_table *t = &sn->ictx->objects;

	if (g_ptr_array_find(iopt->domains, owner, NULL)) {
		g_string_append_printf(out, "domain#%u",
				       iommufd_state_domain_no(owner));
		return;
	}
	for (u32 id = obj_next_id(t, 0); id; id = obj_next_id(t, id)) {
		struct obj_header *obj = obj_peek(t, id);

		if (obj->type == IOMMUFD_OBJ_DEVICE &&
		    ((struct iommufd_device *)obj)->dev == owner) {
			g_string_append_printf(
				out, "dev %s",
				((struct iommufd_device *)obj)->dev->name);
			return;
		}
	}
	g_string_append(out, "other");
}

static void snap_area(struct snap *sn, u32 ioas, struct iopt_area *a)
{
	struct iopt_pages *p = a->pages;

	g_string_append_printf(sn->s,
			       "ioas %u area 0x%llx-0x%llx prot 0x%x "
			       "storage domain#%u",
			       ioas, (unsigned long long)a->node.start,
			       (unsigned long long)a->node.last, a->iommu_prot,
			       iommufd_state_domain_no(a->storage_domain));
	if (p)
		g_string_append_printf(
			sn->s,
			" pages#%u byte 0x%lx (%s, %llu pages, %llu pinned, "
			"%llu charged, mode %u, refs %u)",
			pages_no(sn, p), a->start_byte,
			p->type == IOPT_ADDRESS_FILE ? "file" : "user",
			(unsigned long long)p->npages,
			(unsigned long long)p->npinned,
			(unsigned long long)p->last_npinned, p->account_mode,
			p->refs);
	g_string_append_c(sn->s, '\n');
}

static void snap_iopt(struct snap *sn, u32 ioas, struct io_pagetable *iopt)
{
	g_string_append_printf(sn->s,
			       "ioas %u iova_alignment 0x%llx large_pages %d "
			       "domains",
			       ioas, (unsigned long long)iopt->iova_alignment,
			       !iopt->disable_large_pages);
	for (unsigned int i = 0; i < iopt->domains->len; i++)
		g_string_append_printf(
			sn->s, " domain#%u",
			iommufd_state_domain_no(iopt->domains->pdata[i]));
	g_string_append_c(sn->s, '\n');
	for (unsigned int i = 0; i < iopt->areas->len; i++)
		snap_area(sn, ioas, iopt->areas->pdata[i]);
	for (unsigned int i = 0; i < iopt->reserved->len; i++) {
		struct iopt_reserved *r = iopt->reserved->pdata[i];

		g_string_append_printf(sn->s, "ioas %u reserved 0x%llx-0x%llx ",
				       ioas, (unsigned long long)r->node.start,
				       (unsigned long long)r->node.last);
		owner_str(sn, iopt, r->owner, sn->s);
		g_string_append_c(sn->s, '\n');
	}
	for (unsigned int i = 0; i < iopt->allowed->len; i++) {
		struct iopt_allowed *r = iopt->allowed->pdata[i];

		g_string_append_printf(sn->s, "ioas %u allowed 0x%llx-0x%llx\n",
				       ioas, (unsigned long long)r->node.start,
				       (unsigned long long)r->node.last);
	}
}

/* A vEVENTQ: its vIOMMU, depth, events counted and the next sequence,
 * then each record queued (sequence:flags:data bytes; the
 * lost_events_header flagged, no data): what later reads return */
static void snap_veventq(struct snap *sn, struct iommufd_veventq *q)
{
	g_string_append_printf(sn->s,
			       " viommu %u depth %u events %u sequence %u "
			       "queued %u",
			       q->viommu->obj.id, q->depth, q->num_events,
			       q->sequence,
			       g_queue_get_length(q->common.deliver));
	for (GList *l = q->common.deliver->head; l; l = l->next) {
		struct iommufd_vevent *v = l->data;

		g_string_append_printf(sn->s, " %u:%x:", v->header.sequence,
				       v->header.flags);
		for (u64 i = 0; i < v->data_len; i++)
			g_string_append_printf(sn->s, "%02x", v->event_data[i]);
	}
}

/* The vIOMMU family: a vIOMMU's parent, a vDEVICE's vIOMMU, device and
 * virtual id, a vEVENTQ's queue */
static void snap_viommu_links(struct snap *sn, struct obj_header *obj)
{
	if (obj->type == IOMMUFD_OBJ_VIOMMU) {
		struct iommufd_viommu *v = (struct iommufd_viommu *)obj;

		g_string_append_printf(sn->s, " hwpt %u",
				       v->hwpt->common.obj.id);
	} else if (obj->type == IOMMUFD_OBJ_VDEVICE) {
		struct iommufd_vdevice *vd = (struct iommufd_vdevice *)obj;

		g_string_append_printf(sn->s,
				       " viommu %u dev %u virt_id 0x%llx",
				       vd->viommu->obj.id, vd->idev->obj.id,
				       (unsigned long long)vd->virt_id);
	} else if (obj->type == IOMMUFD_OBJ_VEVENTQ) {
		snap_veventq(sn, (struct iommufd_veventq *)obj);
	}
}

/* What an object of the device side refers to, after its users. */
static void snap_links(struct snap *sn, struct obj_header *obj)
{
	if (obj->type == IOMMUFD_OBJ_DEVICE) {
		struct iommufd_device *idev = (struct iommufd_device *)obj;
		struct iommufd_hw_pagetable *hwpt =
			iommufd_device_attached_hwpt(idev);
		struct iommu_group *g =
			idev->igroup ? idev->igroup->group : NULL;

		/* a dummy igroup's NULL group: "none", as everywhere */
		g_string_append_printf(sn->s, " dev %s group ",
				       idev->dev->name);
		if (g)
			g_string_append_printf(sn->s, "%d", g->id);
		else
			g_string_append(sn->s, "none");
		g_string_append_printf(sn->s, " hwpt %u",
				       hwpt ? hwpt->obj.id : 0);
	} else if (obj->type == IOMMUFD_OBJ_HWPT_PAGING) {
		struct iommufd_hwpt_paging *hp =
			(struct iommufd_hwpt_paging *)obj;

		g_string_append_printf(
			sn->s, " domain#%u ioas %u%s",
			iommufd_state_domain_no(hp->common.domain),
			hp->ioas ? hp->ioas->obj.id : 0,
			hp->auto_domain ? " auto" : "");
	} else {
		snap_viommu_links(sn, obj);
	}
}

char *iommufd_state_snapshot(struct iommufd_ctx *ictx)
{
	struct snap sn = { g_string_new(NULL), ictx, g_ptr_array_new() };
	struct obj_table *t = &ictx->objects;

	g_string_append_printf(
		sn.s,
		"ctx ids_taken %u file_refs %u account_mode %u vfio_ioas %u\n",
		obj_ids_taken(t), ictx->file_refs, ictx->account_mode,
		ictx->vfio_ioas ? ictx->vfio_ioas->obj.id : 0);
	for (u32 id = obj_next_id(t, 0); id; id = obj_next_id(t, id)) {
		struct obj_header *obj = obj_peek(t, id);

		g_string_append_printf(sn.s, "obj %u %s users %u", id,
				       iommufd_obj_type_name(obj->type),
				       obj->users);
		snap_links(&sn, obj);
		g_string_append_c(sn.s, '\n');
		if (obj->type == IOMMUFD_OBJ_IOAS)
			snap_iopt(&sn, id, &((struct iommufd_ioas *)obj)->iopt);
	}
	g_ptr_array_free(sn.pages, TRUE);
	return g_string_free(sn.s, FALSE);
}

/* a dma-buf's fd: its size, and whether its exporter revoked it */
static void dump_dma_buf(GString *s, unsigned int fd,
			 const struct dma_buf *dmabuf)
{
	g_string_append_printf(s, "fd %u dmabuf 0x%llx bytes%s\n", fd,
			       (unsigned long long)dmabuf->size,
			       dmabuf->ops->revoked(dmabuf) ? " revoked" : "");
}

char *process_state_snapshot(const struct process *p)
{
	GString *s = g_string_new(NULL);

	g_string_append_printf(s,
			       "caps 0x%llx memlock 0x%llx pinned_vm %llu "
			       "mm_locked_vm %llu user_locked_vm %llu\n",
			       (unsigned long long)p->caps,
			       (unsigned long long)p->rlimit_memlock,
			       (unsigned long long)p->pinned_vm,
			       (unsigned long long)p->mm_locked_vm,
			       (unsigned long long)p->user->locked_vm);
	for (unsigned int i = 0; i < p->vmas->len; i++) {
		const struct vma *v = p->vmas->pdata[i];

		g_string_append_printf(
			s, "vma 0x%llx-0x%llx %s pa0 0x%llx%s\n",
			(unsigned long long)v->start,
			(unsigned long long)(v->start + v->length - 1),
			v->writable ? "rw" : "ro",
			(unsigned long long)v->page_pa[0],
			v->pfnmap ? " pfnmap" : "");
	}
	for (unsigned int fd = 0; fd < p->files->len; fd++) {
		const struct file *f = p->files->pdata[fd];

		if (f && f->shmem)
			g_string_append_printf(s,
					       "fd %u memfd 0x%llx bytes, "
					       "f_pos 0x%llx\n",
					       fd, (unsigned long long)f->size,
					       (unsigned long long)f->pos);
		else if (is_dma_buf_file(f))
			dump_dma_buf(s, fd, f->private_data);
		else if (f && f->owner_shows) /* VFIO's state has it */
			continue;
		else if (f && f->f_op) /* /dev/iommu's */
			g_string_append_printf(s, "fd %u %s\n", fd, f->name);
		else if (f)
			g_string_append_printf(s, "fd %u anon_inode:%s\n", fd,
					       f->name);
	}
	return g_string_free(s, FALSE);
}
