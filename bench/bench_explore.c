// SPDX-License-Identifier: MIT
/*
 * bench_explore.c - iommusim explore's figures (docs/explore.md): states
 * and transitions per CPU second on the explore test topologies and on
 * two groups of two devices, the bytes each stored state costs, and the
 * depth the search reaches in 60 s of CPU (the host is shared: wall time
 * would measure the others) on two groups of two under linux-7.3 alone
 * and with rfc-2022-v1 in lock-step (going on past its findings). A
 * depth-4 search runs twice, its states copied and replayed (--no-copy):
 * the same counts, the cost of each way; so do a search over iommufd's
 * verbs on a noiommu device bound through VFIO's cdev (the noiommu
 * series' path) and one over VFIO's group path with a type1 container,
 * whose states hold iommufd's and VFIO's objects (model/iommufd/copy.c,
 * model/vfio/copy.c).
 */
#include <stdio.h>

#include "bench.h"
#include "explore.h"

#define MACHINES IOMMUSIM_SOURCE_DIR "/tests/explore/"

static const char ops[] =
	"iommu_paging_domain_alloc,iommu_domain_free,iommu_attach_group,"
	"iommu_detach_group,iommu_group_claim_dma_owner,"
	"iommu_group_release_dma_owner,iommu_device_use_default_domain,"
	"iommu_device_unuse_default_domain";

/* tests/explore/noiommu-cdev.scn: map, unmap, attach to the noiommu
 * HWPT, detach, GET_PA, IOAS alloc and destroy */
static const char noiommu_ops[] =
	"IOMMU_IOAS_MAP,IOMMU_IOAS_UNMAP,VFIO_DEVICE_ATTACH_IOMMUFD_PT,"
	"VFIO_DEVICE_DETACH_IOMMUFD_PT,IOMMU_IOAS_NOIOMMU_GET_PA,"
	"IOMMU_IOAS_ALLOC,IOMMU_DESTROY";

/* tests/explore/vfio-type1.scn: containers set and unset, DMA mapped and
 * unmapped, device fds, closes */
static const char vfio_ops[] =
	"VFIO_GROUP_SET_CONTAINER,VFIO_GROUP_UNSET_CONTAINER,"
	"VFIO_IOMMU_MAP_DMA,VFIO_IOMMU_UNMAP_DMA,VFIO_GROUP_GET_DEVICE_FD,"
	"vfio_close";

struct bench_run {
	const char *name, *file, *vs;
	int depth;
	double seconds;
	bool no_copy;	 /* every state by replay: the figures before copies */
	const char *ops; /* NULL: the core's 8 verbs above */
};

static void one(const struct bench_run *b)
{
	g_auto(GStrv) list = g_strsplit(b->ops ? b->ops : ops, ",", -1);
	g_autofree char *text = NULL;
	struct explore_opts o = { .path = b->file,
				  .profile = "linux-7.3",
				  .vs = b->vs,
				  .ops = list,
				  .depth = b->depth,
				  .max_seconds = b->seconds,
				  .cpu_clock = true,
				  .max_findings = 1000,
				  .no_copy = b->no_copy };
	struct explore_finding *f = NULL;
	struct explore_stats st;
	double cpu;

	if (!g_file_get_contents(b->file, &text, NULL, NULL)) {
		printf("explore: cannot read %s\n", b->file);
		return;
	}
	o.text = text;
	if (explore_run(&o, &st, &f, NULL))
		return;
	cpu = st.cpu_seconds > 0 ? st.cpu_seconds : 1e-9;
	printf("explore %s%s%s%s: depth %d of %d in %.1f s (%.1f s CPU), "
	       "%" G_GUINT64_FORMAT " states, %.0f states/s and %.0f "
	       "transitions/s per CPU second, %" G_GUINT64_FORMAT
	       " statements run, %" G_GUINT64_FORMAT " states copied, "
	       "%.1f bytes/state in the visited set, %.0f bytes/state in "
	       "all (heap), %" G_GUINT64_FORMAT " path nodes at most, "
	       "%" G_GUINT64_FORMAT " findings\n",
	       b->name, b->vs ? " --vs " : "", b->vs ? b->vs : "",
	       b->no_copy ? " --no-copy" : "", st.depth_reached, b->depth,
	       st.seconds, st.cpu_seconds, st.states, st.states / cpu,
	       st.transitions / cpu, st.replayed, st.copies,
	       (double)st.seen_bytes / st.states,
	       (double)st.heap_bytes / st.states, st.peak_nodes, st.findings);
	explore_finding_free(f);
}

void bench_explore(void)
{
	static const struct bench_run runs[] = {
		{ "one group of two", MACHINES "two-function-group.scn", NULL,
		  4, 0, false, NULL },
		{ "a group of two and one of one", MACHINES "two-groups.scn",
		  NULL, 3, 0, false, NULL },
		{ "two groups of two", MACHINES "two-groups-of-two.scn", NULL,
		  3, 0, false, NULL },
		{ "two groups of two", MACHINES "two-groups-of-two.scn", NULL,
		  4, 0, false, NULL },
		{ "two groups of two", MACHINES "two-groups-of-two.scn", NULL,
		  4, 0, true, NULL },
		{ "two groups of two", MACHINES "two-groups-of-two.scn", NULL,
		  50, 60, false, NULL },
		{ "two groups of two", MACHINES "two-groups-of-two.scn",
		  "rfc-2022-v1", 50, 60, false, NULL },
		{ "noiommu cdev, iommufd verbs", MACHINES "noiommu-cdev.scn",
		  NULL, 6, 0, false, noiommu_ops },
		{ "noiommu cdev, iommufd verbs", MACHINES "noiommu-cdev.scn",
		  NULL, 6, 0, true, noiommu_ops },
		{ "VFIO type1, group path", MACHINES "vfio-type1.scn", NULL, 8,
		  0, false, vfio_ops },
		{ "VFIO type1, group path", MACHINES "vfio-type1.scn", NULL, 8,
		  0, true, vfio_ops },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(runs); i++)
		one(&runs[i]);
}
