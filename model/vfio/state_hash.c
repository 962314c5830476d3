// SPDX-License-Identifier: MIT
/*
 * state_hash.c - vfio_state_hash() (vfio.h): VFIO's part of a machine's
 * state folded into 64 bits, for an explorer's visited set, which
 * iommu_state_hash() (model/core/state_hash.c) does not see: two states
 * that differ only in a VFIO file, a group's container or a device's
 * open count must not be counted as one.
 *
 * Canonical by what userspace and the kernel can tell apart: groups by
 * minor, devices by index, files by fd number, in that order (the idas'
 * hash tables iterate in no stable order); an object a file or group
 * points at by its number, never its address. Devices are named by
 * their struct device's name, so the interchangeable devices the
 * symmetric core hash counts once are told apart here: sound (states
 * are never merged wrongly), only less reduction once VFIO is used.
 */
#include "vfio/vfio_private.h"
#include "state.h"

static gint int_key_cmp(gconstpointer a, gconstpointer b)
{
	return GPOINTER_TO_INT(a) - GPOINTER_TO_INT(b);
}

/* @t's values (int keys) in key order */
static GPtrArray *by_key(GHashTable *t)
{
	GList *keys = g_hash_table_get_keys(t);
	GPtrArray *out = g_ptr_array_new();

	keys = g_list_sort(keys, int_key_cmp);
	for (GList *k = keys; k; k = k->next)
		g_ptr_array_add(out, g_hash_table_lookup(t, k->data));
	g_list_free(keys);
	return out;
}

static u64 mix_group(u64 h, const struct vfio_group *g)
{
	h = iommu_hash_mix(h, g->minor);
	h = iommu_hash_mix(h, g->type);
	h = iommu_hash_mix(h, g->iommu_group ? g->iommu_group->id + 1 : 0);
	h = iommu_hash_mix(h, g->drivers);
	h = iommu_hash_mix(h, g->device_list->len);
	h = iommu_hash_mix(h, g->opened_file | g->release_pending << 1 |
				      (g->iommufd != NULL) << 2);
	h = iommu_hash_mix(h, g->device_files);
	h = iommu_hash_mix(h, g->container_users);
	h = iommu_hash_mix(h, g->cdev_device_open_cnt);
	return vfio_container_hash(g->container, h);
}

static u64 mix_device(u64 h, const struct vfio_device *d)
{
	h = iommu_hash_mix(h, d->index);
	h = iommu_hash_str(h, d->name);
	h = iommu_hash_str(h, d->dev ? d->dev->name : NULL);
	h = iommu_hash_mix(h, d->group ? d->group->minor + 1 : 0);
	h = iommu_hash_mix(
		h, d->noiommu | d->cdev << 1 | d->cdev_opened << 2 |
			   (d->idev != NULL) << 3 | d->iommufd_attached << 4 |
			   d->reset_works << 5 | d->unregistering << 6 |
			   d->pm_runtime_engaged << 7 |
			   (d->pm_wake_eventfd_ctx != NULL) << 8);
	h = iommu_hash_mix(h, d->files);
	h = iommu_hash_mix(h, d->cfg.command | (u64)d->cfg.intx_line << 16);
	for (unsigned int i = 0; i < PCI_STD_NUM_BARS; i++)
		h = iommu_hash_mix(h, d->cfg.bar[i]);
	for (guint i = 0; d->pasids && i < d->pasids->len; i++)
		h = iommu_hash_mix(h, g_array_index(d->pasids, u32, i));
	h = vfio_pci_irqs_hash(d, h);
	h = vfio_pci_ioeventfds_hash(d, h);
	return iommu_hash_mix(h, d->open_count);
}

static u64 mix_file(u64 h, const struct vfio_file *f)
{
	h = iommu_hash_mix(h, f->fd);
	h = iommu_hash_mix(h, f->kind);
	h = iommu_hash_mix(h, f->group ? f->group->minor + 1 : 0);
	h = iommu_hash_mix(h, f->device ? f->device->index + 1 : 0);
	h = iommu_hash_mix(h, f->ictx != NULL || f->iommufd_unheld);
	h = iommu_hash_mix(h, f->access_granted);
	h = iommu_hash_mix(h, f->devid);
	return vfio_container_hash(f->container, h);
}

u64 vfio_state_hash(const struct iommu_model *m)
{
	const struct vfio *v = m->vfio;
	GPtrArray *a;
	u64 h = 0x7666696full; /* "vfio" */

	/* made on first use (vfio_get()) with the prefix's configuration,
	 * which no operation changes, and its module parameters off:
	 * nothing registered, nothing open and every parameter off is no
	 * VFIO yet (the parameters can be written: module_param_write) */
	if (vfio_is_empty(v) && (!v || !(v->noiommu || v->tainted ||
					 v->type1_allow_unsafe_interrupts)))
		return 0;
	for (int i = 0; i < KS_NR; i++)
		h = iommu_hash_mix(h, v->cfg.y[i]);
	h = iommu_hash_mix(h, v->noiommu | v->tainted << 1 |
				      v->type1_allow_unsafe_interrupts << 2);
	a = by_key(v->group_ida);
	for (guint i = 0; i < a->len; i++)
		h = mix_group(h, a->pdata[i]);
	g_ptr_array_free(a, TRUE);
	a = by_key(v->device_ida);
	for (guint i = 0; i < a->len; i++)
		h = mix_device(h, a->pdata[i]);
	g_ptr_array_free(a, TRUE);
	a = by_key(v->fds);
	for (guint i = 0; i < a->len; i++)
		h = mix_file(h, a->pdata[i]);
	g_ptr_array_free(a, TRUE);
	return h;
}
