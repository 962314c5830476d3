// SPDX-License-Identifier: MIT
/*
 * view.c - what the layers above may read of iommufd's state without
 * changing it or asking the fail-nth knob: an object's type and users,
 * a bound device's igroup and HWPT, an IOAS's areas and pinned pages
 * (sim's checks). The state as text is state.c's. No kernel
 * counterpart: these are the model's debugfs.
 */
#include <string.h>

#include "iommufd/iommufd_private.h"
#include "core/kerrno.h"

static const char *const obj_type_names[IOMMUFD_OBJ_MAX] = {
	[IOMMUFD_OBJ_DEVICE] = "device",
	[IOMMUFD_OBJ_HWPT_PAGING] = "hwpt_paging",
	[IOMMUFD_OBJ_HWPT_NESTED] = "hwpt_nested",
	[IOMMUFD_OBJ_IOAS] = "ioas",
	[IOMMUFD_OBJ_ACCESS] = "access",
	[IOMMUFD_OBJ_FAULT] = "fault",
	[IOMMUFD_OBJ_VIOMMU] = "viommu",
	[IOMMUFD_OBJ_VDEVICE] = "vdevice",
	[IOMMUFD_OBJ_VEVENTQ] = "veventq",
	[IOMMUFD_OBJ_HW_QUEUE] = "hw_queue",
	[IOMMUFD_OBJ_SELFTEST] = "selftest",
};

const char *iommufd_obj_type_name(unsigned int type)
{
	return type < IOMMUFD_OBJ_MAX && obj_type_names[type]
		       ? obj_type_names[type]
		       : "none";
}

int iommufd_view_object(struct iommufd_ctx *ictx, u32 id, const char **type,
			unsigned int *users)
{
	struct obj_header *obj = obj_peek(&ictx->objects, id);

	if (!obj)
		return -ENOENT;
	*type = iommufd_obj_type_name(obj->type);
	*users = obj->users;
	return 0;
}

unsigned int iommufd_view_objects(struct iommufd_ctx *ictx)
{
	return ictx->objects.live;
}

unsigned int iommufd_view_file_refs(struct iommufd_ctx *ictx)
{
	return ictx->file_refs;
}

bool iommufd_ctx_live(const struct iommu_model *m,
		      const struct iommufd_ctx *ictx)
{
	return m->ictxs && g_ptr_array_find(m->ictxs, ictx, NULL);
}

void iommufd_view_idev(const struct iommufd_device *idev,
		       struct iommufd_idev_view *v)
{
	struct iommufd_hw_pagetable *hwpt = iommufd_device_attached_hwpt(idev);

	v->id = idev->obj.id;
	v->noiommu = iommufd_device_is_noiommu(idev);
	v->group_id = idev->igroup->group ? idev->igroup->group->id : -1;
	v->igroup_ref = idev->igroup->ref;
	v->hwpt_id = hwpt ? hwpt->obj.id : 0;
}

/* The pages behind the IOAS's areas, each counted once (COPY shares). */
static u64 ioas_pinned(struct io_pagetable *iopt)
{
	GPtrArray *seen = g_ptr_array_new();
	u64 n = 0;

	for (guint i = 0; i < iopt->areas->len; i++) {
		struct iopt_area *area = iopt->areas->pdata[i];

		if (!area->pages || g_ptr_array_find(seen, area->pages, NULL))
			continue;
		g_ptr_array_add(seen, area->pages);
		n += area->pages->npinned;
	}
	g_ptr_array_free(seen, TRUE);
	return n;
}

int iommufd_view_ioas(struct iommufd_ctx *ictx, u32 id,
		      struct iommufd_ioas_view *v)
{
	struct obj_header *obj = obj_peek(&ictx->objects, id);
	struct iommufd_ioas *ioas = (struct iommufd_ioas *)obj;

	if (!obj || obj->type != IOMMUFD_OBJ_IOAS)
		return -ENOENT;
	memset(v, 0, sizeof(*v));
	v->areas = ioas->iopt.areas->len;
	for (guint i = 0; i < ioas->iopt.areas->len; i++)
		v->mapped += iopt_area_length(ioas->iopt.areas->pdata[i]);
	v->pinned = ioas_pinned(&ioas->iopt);
	v->hwpts = ioas->hwpt_list->len;
	v->domains = ioas->iopt.domains->len;
	return 0;
}

/* Through the area's pages (iopt_area_index() of the byte), not a
 * domain: an IOAS has its PAs before any domain is attached. */
u64 iommufd_view_iova_to_phys(struct iommufd_ctx *ictx, u32 id, u64 iova)
{
	struct obj_header *obj = obj_peek(&ictx->objects, id);
	struct iopt_area *area;
	u64 byte, pa;

	if (!obj || obj->type != IOMMUFD_OBJ_IOAS)
		return 0;
	area = iopt_area_find(&((struct iommufd_ioas *)obj)->iopt, iova);
	if (!area || !area->pages)
		return 0;
	byte = area->start_byte + (iova - iopt_area_iova(area));
	pa = iopt_pages_index_to_pa(area->pages, byte / IOMMUFD_PAGE_SIZE);
	return pa ? pa + byte % IOMMUFD_PAGE_SIZE : 0;
}

/* A device's part of the view: its device, igroup and attached HWPT. */
static void obj_view_device(const struct iommufd_device *idev,
			    struct iommufd_obj_view *v)
{
	struct iommufd_idev_view iv;

	iommufd_view_idev(idev, &iv);
	v->dev = idev->dev;
	v->group_id = iv.group_id;
	v->hwpt_id = iv.hwpt_id;
}

bool iommufd_view_next(struct iommufd_ctx *ictx, u32 after,
		       struct iommufd_obj_view *v)
{
	u32 id = obj_next_id(&ictx->objects, after);
	struct obj_header *obj = id ? obj_peek(&ictx->objects, id) : NULL;
	struct iommufd_hw_pagetable *hwpt = (struct iommufd_hw_pagetable *)obj;
	struct iommufd_hwpt_paging *paging;

	if (!obj)
		return false;
	memset(v, 0, sizeof(*v));
	v->id = id;
	v->type = iommufd_obj_type_name(obj->type);
	v->users = obj->users;
	v->group_id = -1;
	if (obj->type == IOMMUFD_OBJ_DEVICE)
		obj_view_device((struct iommufd_device *)obj, v);
	if (obj->type == IOMMUFD_OBJ_HWPT_PAGING ||
	    obj->type == IOMMUFD_OBJ_HWPT_NESTED)
		v->domain = hwpt->domain;
	paging = obj->type == IOMMUFD_OBJ_HWPT_PAGING ? find_hwpt_paging(hwpt)
						      : NULL;
	if (paging) {
		v->ioas_id = paging->ioas ? paging->ioas->obj.id : 0;
		v->auto_domain = paging->auto_domain;
	}
	return true;
}
