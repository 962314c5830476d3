// SPDX-License-Identifier: MIT
/*
 * bench_memory.c - peak resident memory of a long mixed scenario: 12
 * devices, each attached to its own paging domain, and 10^5 lines of
 * iommu_map / dma / memory_write / iommu_unmap on them, generated here
 * (never committed: the text alone is megabytes). What it shows: whether
 * modelled memory (table pages, written data) stays proportional to what
 * is live, or grows with every byte ever written.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "pt/pt_types.h"
#include "run.h"

enum {
	DEVICES = 12,
	SLOTS = 16, /* IOVA slots per device */
	LINES = 100000,
	SLOT_LG2 = 24,	     /* 16 MiB of IOVA per slot */
	DATA_SPACE_LG2 = 32, /* PAs drawn from the low 4 GiB */
};

struct gen {
	GString *text;
	u64 seed;
	u64 slot_len[DEVICES][SLOTS]; /* bytes mapped at the slot, 0: none */
};

static u64 rnd(struct gen *g, u64 n)
{
	g->seed ^= g->seed << 13;
	g->seed ^= g->seed >> 7;
	g->seed ^= g->seed << 17;
	return g->seed % n;
}

/* 4 KiB .. 1 MiB, as a driver's buffers are */
static u64 rnd_len(struct gen *g)
{
	return (1 + rnd(g, 16)) << (12 + 2 * rnd(g, 3));
}

static u64 slot_iova(int dev, int slot)
{
	return ((u64)dev << 32) + ((u64)slot << SLOT_LG2);
}

static void gen_map(struct gen *g, int d, int s)
{
	u64 len = rnd_len(g);
	u64 pa = rnd(g, 1ULL << (DATA_SPACE_LG2 - 12)) << 12;

	g_string_append_printf(g->text,
			       "iommu_map domain=$d%d iova=0x%llx paddr=0x%llx "
			       "size=0x%llx prot=READ,WRITE => ok\n",
			       d, (unsigned long long)slot_iova(d, s),
			       (unsigned long long)pa, (unsigned long long)len);
	g->slot_len[d][s] = len;
}

/* A write with a pattern, or a read (a read's pattern= would check it) */
static void gen_dma(struct gen *g, int d, int s)
{
	u64 len = 1 + rnd(g, g->slot_len[d][s]);

	g_string_append_printf(g->text, "dma dev=dev%d iova=0x%llx len=0x%llx ",
			       d, (unsigned long long)slot_iova(d, s),
			       (unsigned long long)len);
	if (rnd(g, 2))
		g_string_append_printf(g->text,
				       "dir=write pattern=0x%02x => ok\n",
				       (unsigned int)rnd(g, 256));
	else
		g_string_append(g->text, "dir=read => ok\n");
}

/* One operation: map a free slot, else DMA into it or unmap it. */
static void gen_line(struct gen *g)
{
	int d = (int)rnd(g, DEVICES), s = (int)rnd(g, SLOTS);
	u64 k = rnd(g, 100);

	if (k < 10) {
		g_string_append_printf(
			g->text,
			"memory_write paddr=0x%llx len=0x%llx "
			"pattern=0x%02x => ok\n",
			(unsigned long long)(rnd(g, 1ULL << DATA_SPACE_LG2)),
			(unsigned long long)rnd_len(g),
			(unsigned int)rnd(g, 256));
	} else if (!g->slot_len[d][s]) {
		gen_map(g, d, s);
	} else if (k < 80) {
		gen_dma(g, d, s);
	} else {
		g_string_append_printf(
			g->text,
			"iommu_unmap domain=$d%d iova=0x%llx size=0x%llx"
			"\n",
			d, (unsigned long long)slot_iova(d, s),
			(unsigned long long)g->slot_len[d][s]);
		g->slot_len[d][s] = 0;
	}
}

static char *generate(void)
{
	struct gen g = { .text = g_string_new(NULL), .seed = 0x5eed1e55 };
	int d, lines;

	g_string_append(g.text, "scenario profiles=linux-7.3\niommu "
				"driver=amd-vi\n");
	for (d = 0; d < DEVICES; d++)
		g_string_append_printf(g.text,
				       "pci_device name=dev%d addr=%02x.0\n", d,
				       d + 3);
	g_string_append(g.text, "boot\n");
	for (d = 0; d < DEVICES; d++)
		g_string_append_printf(
			g.text,
			"iommu_paging_domain_alloc dev=dev%d out_domain=$d%d "
			"=> ok\niommu_attach_device domain=$d%d dev=dev%d => "
			"ok\n",
			d, d, d, d);
	for (lines = 3 + 3 * DEVICES; lines < LINES; lines++)
		gen_line(&g);
	return g_string_free(g.text, FALSE);
}

/* Reset VmHWM to the current RSS (proc(5) clear_refs "5"). */
static void reset_peak(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");

	if (f) {
		fputs("5", f);
		fclose(f);
	}
}

void bench_memory(void)
{
	g_autofree char *text = generate();
	g_autoptr(GError) err = NULL;
	struct scenario *sc = scenario_parse("generated", text, &err);
	struct run_opts o = { .profile = "linux-7.3" };
	struct run_result *rr;
	double t0;
	long rss0;

	if (!sc) {
		printf("mixed scenario: %s\n", err->message);
		return;
	}
	reset_peak();
	rss0 = bench_vm_kib("VmRSS:");
	t0 = g_get_monotonic_time() / 1e6;
	rr = scenario_run(sc, &o, &err);
	if (!rr)
		printf("mixed scenario: %s\n", err->message);
	printf("mixed map/DMA scenario: %d lines, %d devices, %zu KiB of text: "
	       "%.1f s, %d failed steps\n",
	       LINES, DEVICES, strlen(text) >> 10,
	       g_get_monotonic_time() / 1e6 - t0, rr ? rr->failures : -1);
	printf("mixed map/DMA scenario: peak RSS %.1f MiB (%.1f MiB before "
	       "running)\n",
	       bench_vm_kib("VmHWM:") / 1024.0, rss0 / 1024.0);
	run_result_free(rr);
	scenario_free(sc);
}
