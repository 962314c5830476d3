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
 * points at by its number, never its address. A struct device and an
 * iommu group are named by their name and id (vfio_state_hash()), or in
 * a symmetric key by their place in the canonical order
 * (vfio_state_hash_canon(), model/core/state_canon.c). The minors, the
 * indices (vfioN) and the fd numbers stay: they are allocation order,
 * which a mirror image does not swap, and userspace names them.
 */
#include "vfio/vfio_private.h"
#include "state.h"

/* @t's values (int keys) in key order, on the stack for an ida's
 * handful (a GList of the keys sorted per call, then an array per call,
 * were most of a VFIO search's key: callgrind) */
struct by_key {
	guint n;
	gpointer *v;
	int *keys;
	gpointer small_v[32];
	int small_keys[32];
};

static void by_key(struct by_key *b, GHashTable *t)
{
	guint n = g_hash_table_size(t);
	GHashTableIter it;
	gpointer k, val;

	b->n = 0;
	b->v = n <= G_N_ELEMENTS(b->small_v) ? b->small_v : g_new(gpointer, n);
	b->keys = b->v == b->small_v ? b->small_keys : g_new(int, n);
	g_hash_table_iter_init(&it, t);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		guint j = b->n++;

		for (; j && b->keys[j - 1] > GPOINTER_TO_INT(k); j--) {
			b->keys[j] = b->keys[j - 1];
			b->v[j] = b->v[j - 1];
		}
		b->keys[j] = GPOINTER_TO_INT(k);
		b->v[j] = val;
	}
}

static void by_key_clear(struct by_key *b)
{
	if (b->v != b->small_v) {
		g_free(b->v);
		g_free(b->keys);
	}
}

/*
 * The iommufd a group's container is (VFIO_GROUP_SET_CONTAINER given an
 * iommufd file: group.c sets group->iommufd): by the fd of an iommufd
 * file open on that ctx, the lowest, which the runner's ctx or the
 * compat container's file hashes with its contents; by its contents
 * when no file is open on it any more (the group holds it). Only "has
 * one" was keyed: two ctxs and a group in either were one state, and
 * the next device open binds in one or the other.
 */
static u64 mix_group_ictx(u64 h, const struct vfio *v,
			  const struct vfio_group *g,
			  const struct iommu_canon *c)
{
	GHashTableIter it;
	gpointer key, val;
	int fd = -1;

	g_hash_table_iter_init(&it, v->fds);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		const struct vfio_file *f = val;

		if (vfio_file_is_iommufd(f) && f->ictx == g->iommufd &&
		    (fd < 0 || f->fd < fd))
			fd = f->fd;
	}
	if (fd >= 0)
		return iommu_hash_mix(h, fd);
	return iommufd_state_hash_canon(g->iommufd, iommu_hash_mix(h, ~0ull),
					c);
}

static u64 mix_group(u64 h, const struct vfio *v, const struct vfio_group *g,
		     const struct iommu_canon *c)
{
	h = iommu_hash_mix(h, g->minor);
	h = iommu_hash_mix(h, g->type);
	h = iommu_hash_mix(
		h, g->iommu_group ? iommu_canon_group_no(c, g->iommu_group) + 1
				  : 0);
	h = iommu_hash_mix(h, g->drivers);
	h = iommu_hash_mix(h, g->device_list->len);
	h = iommu_hash_mix(h, g->opened_file | g->release_pending << 1 |
				      (g->iommufd != NULL) << 2);
	h = iommu_hash_mix(h, g->device_files);
	h = iommu_hash_mix(h, g->container_users);
	h = iommu_hash_mix(h, g->cdev_device_open_cnt);
	if (g->iommufd)
		h = mix_group_ictx(h, v, g, c);
	return vfio_container_hash(g->container, h);
}

static u64 mix_device(u64 h, const struct vfio_device *d,
		      const struct iommu_canon *c)
{
	h = iommu_hash_mix(h, d->index);
	h = iommu_hash_str(h, d->name); /* [noiommu-]vfioN: the index's */
	h = iommu_canon_dev(h, c, d->dev);
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
	h = vfio_config_hash(d, h);
	for (guint i = 0; d->pasids && i < d->pasids->len; i++)
		h = iommu_hash_mix(h, g_array_index(d->pasids, u32, i));
	h = vfio_pci_irqs_hash(d, h);
	h = vfio_pci_ioeventfds_hash(d, h);
	return iommu_hash_mix(h, d->open_count);
}

/* A file; /dev/vfio/vfio where iommufd provides it with its ctx's
 * contents (vfio_container_open(): its own ctx, which no other part of
 * the key holds: its IOAS and the compat MAP_DMA's areas were unkeyed) */
static u64 mix_file(u64 h, const struct vfio_file *f,
		    const struct iommu_canon *c)
{
	h = iommu_hash_mix(h, f->fd);
	h = iommu_hash_mix(h, f->kind);
	h = iommu_hash_mix(h, f->group ? f->group->minor + 1 : 0);
	h = iommu_hash_mix(h, f->device ? f->device->index + 1 : 0);
	h = iommu_hash_mix(h, f->ictx != NULL || f->iommufd_unheld);
	h = iommu_hash_mix(h, f->access_granted);
	h = iommu_hash_mix(h, f->devid);
	if (f->task && f->kind == VFIO_FILE_DEVICE) {
		/* f_pos: where the next read() or write() goes */
		const struct file *filp = process_file_at(f->task, f->fd);

		h = iommu_hash_mix(h, filp ? filp->pos : 0);
	}
	if (f->kind == VFIO_FILE_CONTAINER && f->ictx)
		h = iommufd_state_hash_canon(f->ictx, h, c);
	return vfio_container_hash(f->container, h);
}

/* made on first use (vfio_get()) with the prefix's configuration, which
 * no operation changes, and its module parameters off: nothing
 * registered, nothing open and every parameter off is no VFIO yet (the
 * parameters can be written: module_param_write) */
bool vfio_in_key(const struct iommu_model *m)
{
	const struct vfio *v = m->vfio;

	return !vfio_is_empty(v) || (v && (v->noiommu || v->tainted ||
					   v->type1_allow_unsafe_interrupts));
}

u64 vfio_state_hash_canon(const struct iommu_model *m,
			  const struct iommu_canon *c)
{
	const struct vfio *v = m->vfio;
	struct by_key a;
	u64 h = 0x7666696full; /* "vfio" */

	if (!vfio_in_key(m))
		return 0;
	for (int i = 0; i < KS_NR; i++)
		h = iommu_hash_mix(h, v->cfg.y[i]);
	h = iommu_hash_mix(h, v->noiommu | v->tainted << 1 |
				      v->type1_allow_unsafe_interrupts << 2);
	by_key(&a, v->group_ida);
	for (guint i = 0; i < a.n; i++)
		h = mix_group(h, v, a.v[i], c);
	by_key_clear(&a);
	by_key(&a, v->device_ida);
	for (guint i = 0; i < a.n; i++)
		h = mix_device(h, a.v[i], c);
	by_key_clear(&a);
	by_key(&a, v->fds);
	for (guint i = 0; i < a.n; i++)
		h = mix_file(h, a.v[i], c);
	by_key_clear(&a);
	return h;
}

u64 vfio_state_hash(const struct iommu_model *m)
{
	return vfio_state_hash_canon(m, NULL);
}

/* What VFIO holds of @d's struct device, every device in it "a device"
 * (@c not ordered yet): the vfio_device, its group, and the files on
 * either in fd order */
static u64 device_note(const struct vfio *v, const struct vfio_device *d,
		       const struct by_key *files, const struct iommu_canon *c)
{
	u64 h = mix_device(0x6e6f7465ull, d, c);

	if (d->group)
		h = mix_group(h, v, d->group, c);
	for (guint i = 0; i < files->n; i++) {
		const struct vfio_file *f = files->v[i];

		if (f->device == d || (f->group && f->group == d->group))
			h = mix_file(h, f, c);
	}
	return h;
}

void vfio_canon_note(const struct iommu_model *m, struct iommu_canon *c)
{
	struct by_key devs, files;

	if (!vfio_in_key(m))
		return;
	by_key(&devs, m->vfio->device_ida);
	by_key(&files, m->vfio->fds);
	for (guint i = 0; i < devs.n; i++) {
		const struct vfio_device *d = devs.v[i];

		if (d->dev)
			iommu_canon_note(c, d->dev,
					 device_note(m->vfio, d, &files, c));
	}
	by_key_clear(&devs);
	by_key_clear(&files);
}
