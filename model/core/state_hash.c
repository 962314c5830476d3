// SPDX-License-Identifier: MIT
/*
 * state_hash.c - iommu_state_hash() (state.h): the model's state folded
 * into 64 bits from its own structures, fact by fact what the FULL
 * snapshot (snapshot.c) prints, without formatting any of it. An
 * explorer hashes every state it reaches; the text cost it 30 times the
 * step itself. tests/unit/core/test_state_hash.c holds the two equal:
 * over the corpus, a step changes the hash exactly when it changes the
 * FULL snapshot, so a fact added to the snapshot and not here (or here
 * and not there) fails that test.
 */
#include <string.h>

#include "state.h"
#include "profile.h"
#include "pt/amdv1.h"
#include "pt/physmem.h"

static u64 mix(u64 h, u64 v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

/* a string, NULL apart from "" */
static u64 mix_str(u64 h, const char *s)
{
	u64 f = 0xcbf29ce484222325ull;

	if (!s)
		return mix(h, 0x6e756c6cull);
	for (; *s; s++)
		f = (f ^ (u8)*s) * 0x100000001b3ull;
	return mix(h, f);
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
	h = mix_str(h, g->owner);
	h = mix_id(mix_id(h, g->handle), g->blocking_domain);
	/* the profile's own group state (its describe() prints it) */
	for (size_t i = 0; g->profile_data && i < own; i++)
		h = mix(h, ((const u8 *)g->profile_data)[i]);
	for (guint i = 0; i < g->devices->len; i++)
		h = mix(h, ((struct device *)g->devices->pdata[i])->decl_order);
	return mix(h, g->devices->len);
}

static u64 mix_device(u64 h, const struct device *dev)
{
	h = mix_str(h, dev->name);
	h = mix_str(h, dev->driver ? dev->driver->name : NULL);
	h = mix(h, dev->iommu_group != NULL);
	h = mix(h, (u64)dev->bus);
	h = mix_str(h, dev->iommu ? dev->iommu->name : NULL);
	h = mix(h, dev->dev_iommu);
	h = mix_id(h, dev->attached);
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
	return mix(h, st.table_pages);
}

u64 iommu_state_hash(struct iommu_model *m)
{
	u64 h = mix_machine(m, 0x696f6d6d7573696dull);

	for (struct iommu_domain *d = iommu_domain_next(m, NULL); d;
	     d = iommu_domain_next(m, d)) {
		h = mix(mix_id(h, d), d->type);
		h = mix_str(h, d->owner ? d->owner->name : NULL);
		h = mix_str(mix(h, d->is_static), d->label);
		h = d->pt ? pt_amdv1_hash(d->pt, h) : mix(h, 0);
	}
	for (guint i = 0; i < m->groups->len; i++)
		h = mix_group(m, h, m->groups->pdata[i]);
	for (guint i = 0; i < m->devices->len; i++)
		h = mix_device(h, m->devices->pdata[i]);
	return h;
}
