// SPDX-License-Identifier: MIT
/*
 * bench_explore.c - iommusim explore's figures (docs/explore.md): states
 * per CPU second and bytes of visited set per state on two groups of two
 * devices, and the depth the search completes or reaches in 60 s under
 * linux-7.3 alone and with rfc-2022-v1 in lock-step.
 */
#include <stdio.h>

#include "bench.h"
#include "explore.h"

/* Two groups of two: two two-function devices without ACS, each behind
 * its own root port with ACS (iommu.c get_pci_function_alias_group()). */
static const char machine[] =
	"iommu driver=amd-vi irq_remap=1\n"
	"pcie_root_port name=rp0 addr=1c.0 acs=1\n"
	"pci_device name=a0 addr=00.0 parent=rp0 multifunction=1 acs=0\n"
	"pci_device name=a1 addr=00.1 parent=rp0 multifunction=1 acs=0\n"
	"pcie_root_port name=rp1 addr=1d.0 acs=1\n"
	"pci_device name=b0 addr=00.0 parent=rp1 multifunction=1 acs=0\n"
	"pci_device name=b1 addr=00.1 parent=rp1 multifunction=1 acs=0\n"
	"boot\n";

static const char ops[] =
	"iommu_paging_domain_alloc,iommu_domain_free,iommu_attach_group,"
	"iommu_detach_group,iommu_group_claim_dma_owner,"
	"iommu_group_release_dma_owner,iommu_device_use_default_domain,"
	"iommu_device_unuse_default_domain";

static void one(const char *vs, int depth, double seconds)
{
	g_auto(GStrv) list = g_strsplit(ops, ",", -1);
	struct explore_opts o = { .path = "bench.scn",
				  .text = machine,
				  .profile = "linux-7.3",
				  .vs = vs,
				  .ops = list,
				  .depth = depth,
				  .max_seconds = seconds };
	struct explore_finding *f = NULL;
	struct explore_stats st;

	if (explore_run(&o, &st, &f, NULL))
		return;
	printf("explore%s%s: depth %d of %d in %.1f s (%.1f s CPU), "
	       "%" G_GUINT64_FORMAT " states, %.0f states/s per CPU second, "
	       "%s\n",
	       vs ? " --vs " : "", vs ? vs : "", st.depth_reached, depth,
	       st.seconds, st.cpu_seconds, st.states,
	       st.states / (st.cpu_seconds > 0 ? st.cpu_seconds : 1e-9),
	       f ? f->kind : "no finding");
	explore_finding_free(f);
}

void bench_explore(void)
{
	/* the visited set holds an 8-byte key per state (a GHashTable entry
	 * besides), a node of ~100 bytes per transition keeps the paths */
	one(NULL, 3, 0);
	one(NULL, 50, 60);
	one("rfc-2022-v1", 50, 60);
}
