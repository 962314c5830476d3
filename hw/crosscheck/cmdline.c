// SPDX-License-Identifier: MIT
/*
 * cmdline.c - the guest kernel parameters a scenario's steps imply, read
 * from its statements after the model run (machine.c hw_machine_new()):
 * memmap= for the physical memory a DMA scenario names and the RAM to
 * hold it, and for iommufd scenarios vfio.enable_unsafe_noiommu_mode= and
 * hugepages=.
 */
#include <string.h>

#include "hw.h"
#include "sim/op.h"

/* Operation arguments (hw_cmdline_memory() reads the addresses a DMA
 * scenario's steps name). */
static const char *arg_text(const struct statement *st, const char *key)
{
	const struct arg *a = stmt_arg(st, key);

	return a ? a->val.text : NULL;
}

static long arg_long(const struct statement *st, const char *key, long def)
{
	const struct arg *a = stmt_arg(st, key);

	if (!a)
		return def;
	return a->val.kind == VAL_NUMBER ? (long)a->val.num
					 : strtol(a->val.text, NULL, 0);
}

/*
 * The physical memory a DMA scenario names (memory_write, check_memory,
 * iommu_map's paddr ranges) is RAM the guest kernel must not use:
 * memmap=SIZE$ADDR reserves it (arch/x86/kernel/e820.c), and the guest
 * gets enough RAM to hold it (q35 keeps up to 2 GiB below 4 GiB).
 */
/* The statement's key whose argument spec has guest form @gf, or NULL. */
static const char *guest_form_key(const struct statement *st,
				  enum guest_form gf)
{
	const struct op *op = op_find(st->verb);

	for (const struct arg_spec *a = op ? op->args : NULL; a && a->key;
	     a++) {
		if (a->guest == gf)
			return a->key;
	}
	return NULL;
}

void hw_cmdline_memory(struct hw_machine *m, const struct scenario *sc)
{
	guint64 top = 0;
	bool dma = false;

	for (guint i = 0; i < sc->stmts->len; i++) {
		const struct op *op = op_find(
			((const struct statement *)sc->stmts->pdata[i])->verb);

		dma |= op && op->guest.result == GR_DMA;
	}
	for (guint i = 0; dma && i < sc->stmts->len; i++) {
		const struct statement *st = sc->stmts->pdata[i];
		const char *pkey = guest_form_key(st, GF_PADDR);
		const char *lkey = guest_form_key(st, GF_PLEN);
		guint64 pa = pkey ? arg_long(st, pkey, 0) : 0;
		guint64 len = lkey ? arg_long(st, lkey, 0) : 0;
		guint64 start = pa & ~0xfffULL,
			end = (pa + len + 0xfff) & ~0xfffULL, off;

		if (!pkey || !stmt_arg(st, pkey) || !len ||
		    hw_buffer_of(sc, st, &off))
			continue;
		if (m->arch == HW_ARCH_AARCH64) {
			hw_why_not(m, st,
				   "paddr %s: memmap= sets RAM aside on x86 "
				   "only (the aarch64 guest has no e820)",
				   arg_text(st, pkey));
			continue;
		}
		if (start < 0x100000 || end > 0x78000000ULL) {
			hw_why_not(m, st,
				   "paddr %s: not RAM the guest can set "
				   "aside (1 MiB to 1.875 GiB)",
				   arg_text(st, pkey));
			continue;
		}
		g_autofree char *r =
			g_strdup_printf(" memmap=0x%llx$0x%llx",
					(unsigned long long)(end - start),
					(unsigned long long)start);

		if (!strstr(m->cmdline->str, r))
			g_string_append(m->cmdline, r);
		top = MAX(top, end);
	}
	if (top + 0x10000000ULL > 0x20000000ULL)
		m->mem = g_strdup_printf(
			"%lluM", (unsigned long long)((top + 0x10000000ULL +
						       0xfffffffULL) >>
						      28) *
					 256);
}

/*
 * iommufd scenarios: a device bound through VFIO's cdev on a machine
 * without an IOMMU is a noiommu device, which vfio-pci registers only
 * with vfio.enable_unsafe_noiommu_mode=1 (drivers/vfio/group.c
 * vfio_group_find_or_alloc() -> vfio_noiommu_group_alloc(); vfio_main.c
 * names its cdev noiommu-vfioN). The model has no such parameter yet: a
 * bind without an IOMMU implies it. Buffers the steps map come from huge
 * pages where their layout is contiguous or huge (hw/agent/iommufd.c):
 * hugepages= reserves them at boot (mm/hugetlb.c).
 */
void hw_cmdline_iommufd(struct hw_machine *m, const struct scenario *sc)
{
	guint64 huge = 0;
	bool bind = false, noiommu_param = false;

	for (guint i = 0; i < sc->stmts->len; i++) {
		const struct statement *st = sc->stmts->pdata[i];
		const char *layout = arg_text(st, "layout");
		guint64 size = (guint64)arg_long(st, "size", 0);

		bind |= !strcmp(st->verb, "iommufd_device_bind");
		/* the model's own parameter (sim: cmdline), when set */
		if (!strcmp(st->verb, "cmdline") &&
		    stmt_arg(st, "vfio.enable_unsafe_noiommu_mode") &&
		    stmt_arg(st, "vfio.enable_unsafe_noiommu_mode")->val.num)
			bind = true, noiommu_param = true;
		if (strcmp(st->verb, "user_buffer") || size <= 0x1000 ||
		    !g_strcmp0(layout, "scattered"))
			continue;
		huge += (size + 0x1fffff) >> 21;
	}
	if (bind && (!m->iommu || noiommu_param))
		g_string_append(m->cmdline,
				" vfio.enable_unsafe_noiommu_mode=1");
	if (huge)
		g_string_append_printf(m->cmdline, " hugepages=%llu",
				       (unsigned long long)MIN(huge + 1, 128));
}
