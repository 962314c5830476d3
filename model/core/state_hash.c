// SPDX-License-Identifier: MIT
/*
 * state_hash.c - iommu_state_hash() (state.h): the model's state folded
 * into 64 bits from its own structures, fact by fact what the FULL
 * snapshot (snapshot.c) prints, without formatting any of it. An
 * explorer hashes every state it reaches, and the text cost it more than
 * the steps themselves. tests/unit/sim/test_state_hash.c holds the two
 * equal: over every state the corpus reaches, equal snapshots exactly
 * when equal hashes, so a fact added to the snapshot and not here (or
 * here and not there) fails it once two corpus states differ in it.
 */
#include <string.h>

#include "state.h"
#include "core.h"
#include "profile.h"
#include "pt/amdv1.h"
#include "pt/physmem.h"

static u64 mix(u64 h, u64 v)
{
	return iommu_hash_mix(h, v);
}

static u64 mix_str(u64 h, const char *s)
{
	return iommu_hash_str(h, s);
}

static u64 mix_id(u64 h, const struct iommu_domain *d)
{
	return mix(h, d ? d->obj.id : 0);
}

/* iommu_domain_str(): the id, the label or the role in @g, the type */
static u64 mix_domain(u64 h, const struct iommu_group *g,
		      const struct iommu_domain *d)
{
	const char *role = NULL;

	if (!d)
		return mix(h, 0);
	if (d->label)
		role = d->label;
	else if (d == g->default_domain)
		role = "default";
	else if (d == g->blocking_domain)
		role = "blocking";
	return mix(mix_str(mix_id(h, d), role), d->type);
}

static u64 mix_group(const struct iommu_model *m, u64 h,
		     const struct iommu_group *g)
{
	size_t own = m->resolved->group.data_size;

	h = mix(h, (u64)g->id);
	h = mix_domain(h, g, g->domain);
	h = mix_domain(h, g, g->default_domain);
	h = mix(mix(h, g->owner_cnt), g->claims);
	h = mix(h, g->recovery_cnt);
	h = mix_str(h, g->owner);
	h = mix_id(mix_id(h, g->handle), g->blocking_domain);
	for (guint i = 0; g->pasids && i < g->pasids->len; i++) {
		const struct iommu_pasid_entry *e =
			&g_array_index(g->pasids, struct iommu_pasid_entry, i);

		h = mix_id(mix(mix(h, e->pasid), e->handle), e->domain);
	}
	/* the profile's own group state (its describe() prints it) */
	for (size_t i = 0; g->profile_data && i < own; i++)
		h = mix(h, ((const u8 *)g->profile_data)[i]);
	for (guint i = 0; i < g->devices->len; i++)
		h = mix(h, ((struct device *)g->devices->pdata[i])->decl_order);
	return mix(h, g->devices->len);
}

/* The tasks in device_lock(dev) (bind.c); mixed only when there are
 * some, so a machine without any keys as it did before they existed */
static u64 mix_lock_tasks(u64 h, const struct device *dev)
{
	for (u8 i = 0; i < dev->lock_tasks; i++)
		h = mix_str(mix(h, dev->lock_task[i].what + 1),
			    dev->lock_task[i].drv ? dev->lock_task[i].drv->name
						  : NULL);
	return h;
}

/* A sysfs remove written and its wait for pci_rescan_remove_lock
 * (bind.c device_del()), and a function no PCI scan found
 * (pci_probe.c); mixed only when there is one, as the snapshot shows
 * it */
static u64 mix_removal(u64 h, const struct device *dev)
{
	if ((dev->remove_written && !dev->removed) || dev->rescan_wait)
		h = mix(mix(h, dev->remove_written + 0x100), dev->rescan_wait);
	if (dev->unscanned && !dev->removed) /* as the snapshot shows it */
		h = mix(h, 0x200);
	return h;
}

static u64 mix_device(u64 h, const struct device *dev)
{
	h = mix_str(h, dev->name);
	h = mix_str(h, dev->driver ? dev->driver->name : NULL);
	h = mix(h, dev->iommu_group != NULL);
	/* where it sits: fixed by the topology, but a hotplug's device
	 * sits where the path put it */
	h = mix(mix(h, (u64)dev->bus), dev->devfn);
	h = mix_str(h, dev->iommu ? dev->iommu->name : NULL);
	h = mix(h, dev->dev_iommu);
	h = mix(h, dev->require_direct);
	h = mix_id(h, dev->attached);
	h = mix(mix(h, dev->reset_depth), dev->reset_blocked);
	if (dev->lock_tasks)
		h = mix_lock_tasks(h, dev);
	h = mix_removal(h, dev);
	return mix(h, dev->direct_uses);
}

static u64 mix_machine(const struct iommu_model *m, u64 h)
{
	struct physmem_stats st;

	h = mix(h, m->booted);
	h = mix(h, m->def_domain_type);
	h = mix(h, m->dma_strict);
	h = mix(h, (u64)m->kconfig_default);
	h = mix(h, m->cmdline_passthrough_set << 1 | m->cmdline_passthrough);
	h = mix(h, m->cmdline_strict_set << 1 | m->cmdline_strict);
	for (guint i = 0; i < m->iommus->len; i++) {
		const struct iommu_device *iommu = m->iommus->pdata[i];

		h = mix_str(h, iommu->name);
		h = mix(h, (u64)iommu->fail_attach);
		h = mix(h, (u64)iommu->fail_attach_skip);
		h = mix(h, (u64)iommu->fail_attach_errno);
		h = mix_str(h, iommu->fail_attach_dev
				       ? iommu->fail_attach_dev->name
				       : NULL);
	}
	physmem_get_stats(m->physmem, &st);
	h = mix(h, st.table_pages);
	/* what memory holds: a DMA's or a CPU's write, a memfd's bytes */
	return mix(h, physmem_contents_hash(m->physmem));
}

/* every live domain, in id order, with its IO page table; @labels: with
 * the scenario's names for them */
static u64 mix_domains(struct iommu_model *m, u64 h, bool labels)
{
	for (struct iommu_domain *d = iommu_domain_next(m, NULL); d;
	     d = iommu_domain_next(m, d)) {
		h = mix(mix_id(h, d), d->type);
		h = mix_str(h, d->owner ? d->owner->name : NULL);
		h = mix(h, d->is_static);
		if (labels)
			h = mix_str(h, d->label);
		h = d->pt ? pt_amdv1_hash(d->pt, h) : mix(h, 0);
	}
	return h;
}

u64 iommu_state_hash(struct iommu_model *m)
{
	u64 h = mix_machine(m, 0x696f6d6d7573696dull);

	h = mix_domains(m, h, true);
	for (guint i = 0; i < m->groups->len; i++)
		h = mix_group(m, h, m->groups->pdata[i]);
	for (guint i = 0; i < m->devices->len; i++)
		h = mix_device(h, m->devices->pdata[i]);
	return h;
}

/* ---- up to a permutation of interchangeable devices ---- */

/*
 * Without the scenario's names either: a domain's label is the handle
 * that bound it, and an explorer names its handles after the step that
 * binds them ($xd3), so one state reached at two depths would count
 * twice, and its successors (named after the later step) would differ
 * with the depth it was first reached at: the visited set would depend
 * on the order of the search, and the shards' union on the shard.
 */

/*
 * What makes two devices interchangeable: everything the topology fixes
 * about one (its kind, its PCI and IOMMU facts, its boot driver, the shape
 * of the bus above it), not its name, address or bus number. Two devices
 * of one class behave alike under the verbs that do not re-probe (attach,
 * claim, bind...): their group and their IOMMU are the same kind.
 */
/* the bus reset method a conventional function got at enumeration (a
 * PCIe function resets by FLR first: its bus method never comes into
 * play); pci_reset.c */
static bool bus_method_matters(const struct device *dev)
{
	return dev->reset_bus_method && !dev->pcie;
}

static u64 device_class(const struct device *dev)
{
	u64 h = mix(0x636c617373ull, dev->kind);

	h = mix(h, dev->pcie | dev->multifunction << 1 | dev->acs << 2 |
			   dev->untrusted << 3 | dev->fw_direct_unplaced << 4 |
			   dev->has_stream_id << 5 |
			   (dev->dma_alias_devfn >= 0) << 6);
	h = mix(h, dev->def_domain_type);
	h = mix(h, dev->fw_direct_relaxable);
	for (unsigned int i = 0; i < dev->n_fw_direct; i++)
		h = mix(mix(h, dev->fw_direct[i].start),
			dev->fw_direct[i].last);
	h = mix(h, bus_method_matters(dev));
	h = mix(h, dev->vendor);
	h = mix_str(h, dev->iommu ? dev->iommu->name : NULL);
	h = mix_str(h, dev->boot_driver);
	for (const struct device *p = dev->parent; p; p = p->parent)
		h = mix(mix(h, p->kind), p->acs);
	return h;
}

/* A domain as a group or device sees it: its own default and blocking
 * domains by role (their ids follow the probe order, which a mirror image
 * swaps), any other by id. */
static u64 mix_role(u64 h, const struct iommu_group *g,
		    const struct iommu_domain *d)
{
	if (d && d == g->default_domain)
		return mix(h, 0x646566ull);
	if (d && d == g->blocking_domain)
		return mix(h, 0x626c6bull);
	return mix_id(h, d);
}

u64 iommu_device_hash_symmetric(const struct device *dev)
{
	u64 h = device_class(dev);
	const struct iommu_group *g = dev->iommu_group;

	h = mix_str(h, dev->driver ? dev->driver->name : NULL);
	h = mix(h, g != NULL);
	h = mix(h, dev->dev_iommu);
	/* the one device an injected attach failure waits for (driver.c):
	 * the machine's hash names it, which alone would not say which of
	 * the interchangeable devices' states is its */
	h = mix(h, dev->iommu && dev->iommu->fail_attach_dev == dev);
	h = g ? mix_role(h, g, dev->attached) : mix_id(h, dev->attached);
	h = mix(mix(h, dev->reset_depth), dev->reset_blocked);
	if (dev->lock_tasks)
		h = mix_lock_tasks(h, dev);
	h = mix_removal(h, dev);
	return mix(h, dev->direct_uses);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* A few groups or devices: insertion sort there (qsort()'s merge sort
 * cost more than the hashing), qsort() on a wide machine */
static void sort_u64(u64 *v, guint n)
{
	if (n > 32) {
		qsort(v, n, sizeof(*v), cmp_u64);
		return;
	}
	for (guint i = 1; i < n; i++) {
		u64 x = v[i];
		guint j = i;

		for (; j && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* @n hashes in any order, as one */
static u64 mix_multiset(u64 h, u64 *v, guint n)
{
	sort_u64(v, n);
	for (guint i = 0; i < n; i++)
		h = mix(h, v[i]);
	return mix(h, n);
}

u64 iommu_group_hash_symmetric(const struct iommu_model *m,
			       const struct iommu_group *g)
{
	size_t own = m->resolved->group.data_size;
	u64 *devs = g_newa(u64, g->devices->len + 1);
	u64 h = mix_role(0x67727570ull, g, g->domain);

	h = mix(h, g->domain ? g->domain->type : 0);
	h = mix(h, g->default_domain ? g->default_domain->type : 0);
	h = mix(mix(h, g->owner_cnt), g->claims);
	h = mix(h, g->recovery_cnt);
	h = mix_str(h, g->owner);
	h = mix_role(mix(h, g->blocking_domain != NULL), g, g->handle);
	for (guint i = 0; g->pasids && i < g->pasids->len; i++) {
		const struct iommu_pasid_entry *e =
			&g_array_index(g->pasids, struct iommu_pasid_entry, i);

		h = mix_role(mix(mix(h, e->pasid), e->handle), g, e->domain);
	}
	for (size_t i = 0; g->profile_data && i < own; i++)
		h = mix(h, ((const u8 *)g->profile_data)[i]);
	for (guint i = 0; i < g->devices->len; i++)
		devs[i] = iommu_device_hash_symmetric(g->devices->pdata[i]);
	return mix_multiset(h, devs, g->devices->len);
}

u64 iommu_state_hash_symmetric(struct iommu_model *m)
{
	u64 h = mix_machine(m, 0x73796d6dull);
	u64 *v = g_new(u64, m->groups->len + m->devices->len + 1);
	guint n = 0;

	h = mix_domains(m, h, false);
	for (guint i = 0; i < m->groups->len; i++)
		v[n++] = iommu_group_hash_symmetric(m, m->groups->pdata[i]);
	h = mix_multiset(h, v, n);
	n = 0;
	for (guint i = 0; i < m->devices->len; i++) {
		const struct device *dev = m->devices->pdata[i];

		if (!dev->iommu_group)
			v[n++] = iommu_device_hash_symmetric(dev);
	}
	h = mix_multiset(h, v, n);
	g_free(v);
	return h;
}
