// SPDX-License-Identifier: MIT
/*
 * bench_wide.c - a wide machine through the whole runner: a generated
 * scenario of N devices (the topology bench_model.c builds through the
 * API, written as statements: root ports with switches, multifunction
 * endpoints, platform devices sharing stream IDs) and 10^4 operations on
 * endpoints spread across it (bind, claim, domain alloc, attach, map,
 * DMA, unmap, detach, free, release, unbind), each step with its
 * invariants and its "changed:" state diff. What it shows: whether a
 * step's cost grows with the machine (a linear scan or a whole-state
 * diff per step is N x 10^4), not only with what the step touches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "run.h"

enum { ROOT_PORTS = 250, OPS = 10000 };

/* The machine: 250 root ports x (switch of 8 ports x 8 functions), then
 * platform devices up to @ndev; the endpoint names are returned. */
static int gen_machine(GString *t, int ndev, GPtrArray *eps)
{
	int n = 0;

	g_string_append(t, "iommu name=amd driver=amd-vi\n"
			   "iommu name=tegra driver=tegra-smmu\n");
	for (int rp = 0; rp < ROOT_PORTS && n < ndev; rp++) {
		g_string_append_printf(
			t,
			"pcie_root_port name=rp%d addr=%02x.%d acs=%d "
			"multifunction=1\n"
			"pcie_switch_upstream name=up%d addr=00.0 "
			"parent=rp%d\n",
			rp, rp / 8 + 1, rp % 8, rp % 2, rp, rp);
		n += 2;
		for (int dp = 0; dp < 8; dp++) {
			g_string_append_printf(t,
					       "pcie_switch_downstream "
					       "name=dp%d.%d addr=%02x.0 "
					       "parent=up%d acs=1\n",
					       rp, dp, dp, rp);
			n++;
			for (int fn = 0; fn < 8; fn++, n++) {
				g_string_append_printf(
					t,
					"pci_device name=ep%d.%d.%d "
					"addr=00.%d parent=dp%d.%d "
					"multifunction=1 acs=%d\n",
					rp, dp, fn, fn, rp, dp, dp % 2);
				/* one function of each ACS slot */
				if (fn == 0 && dp % 2)
					g_ptr_array_add(
						eps,
						g_strdup_printf("ep%d.%d.%d",
								rp, dp, fn));
			}
		}
	}
	for (int i = 0; n < ndev; i++, n++)
		g_string_append_printf(t,
				       "platform_device name=plat%d "
				       "iommu=tegra stream_id=%d\n",
				       i, i / 4);
	g_string_append(t, "boot => ok\n");
	return n;
}

/* One endpoint's cycle, 11 operations, domain handle $dK */
static void gen_cycle(GString *t, const char *ep, int k)
{
	g_string_append_printf(
		t,
		"driver_bind dev=%s driver=vfio-pci => ok\n"
		"iommu_group_claim_dma_owner dev=%s owner=vfio => ok\n"
		"iommu_paging_domain_alloc dev=%s out_domain=$d%d => ok\n"
		"iommu_attach_group domain=$d%d dev=%s => ok\n"
		"iommu_map domain=$d%d iova=0x100000 paddr=0x200000 "
		"size=64K prot=READ,WRITE => ok\n"
		"dma dev=%s iova=0x100000 len=4K dir=write pattern=0x5a "
		"=> ok\n"
		"iommu_unmap domain=$d%d iova=0x100000 size=64K => 0x10000\n"
		"iommu_detach_group domain=$d%d dev=%s => ok\n"
		"iommu_domain_free domain=$d%d => ok\n"
		"iommu_group_release_dma_owner dev=%s => ok\n"
		"driver_unbind dev=%s => ok\n",
		ep, ep, ep, k, k, ep, k, ep, k, k, ep, k, ep, ep);
}

/* Parse, validate, boot and run @text; with or without the trace's
 * "changed:" (two whole-state snapshots a step) */
static void run_text(const char *text, int n, int ops, bool changes)
{
	g_autoptr(GError) err = NULL;
	struct run_opts o = { .profile = "linux-7.3", .no_changes = !changes };
	double t0 = g_get_monotonic_time() / 1e6;
	struct scenario *sc = scenario_parse("wide", text, &err);
	struct run_result *rr = sc ? scenario_run(sc, &o, &err) : NULL;

	if (!rr)
		printf("wide: %s\n", err->message);
	else
		printf("wide: %d devices, %d operations: %.2f s (parse, "
		       "validate, boot, run with invariants%s), %d failed\n",
		       n, ops, g_get_monotonic_time() / 1e6 - t0,
		       changes ? " and the trace's state diffs" : "",
		       rr->failures);
	run_result_free(rr);
	if (sc)
		scenario_free(sc);
}

static void one(int ndev)
{
	g_autoptr(GString) t = g_string_new(NULL);
	g_autoptr(GPtrArray) eps = g_ptr_array_new_with_free_func(g_free);
	int n = gen_machine(t, ndev, eps), ops = 0;

	for (int k = 0; ops + 11 <= OPS; k++, ops += 11)
		gen_cycle(t, eps->pdata[k % eps->len], k);
	run_text(t->str, n, ops, false);
	run_text(t->str, n, ops, true);
}

/* IOMMUSIM_BENCH_WIDE=N: one machine of N devices instead */
void bench_wide(void)
{
	const char *n = g_getenv("IOMMUSIM_BENCH_WIDE");

	if (n) {
		one(atoi(n));
		return;
	}
	one(1000);
	one(10000);
}
