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
 * Each machine runs in a child process, whose CPU time and peak RSS the
 * figures give (the wall time is the shared machine's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "run.h"

/* 24 root ports x (an upstream and 8 downstream ports) are 240 buses:
 * within PCI's 256 with the root bus */
enum { ROOT_PORTS = 24, OPS = 10000 };

/* The machine: 24 root ports x (switch of 8 ports x 8 functions), then
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
 * "changed:"; the failures as the exit status */
static int run_text(const char *text, bool changes)
{
	g_autoptr(GError) err = NULL;
	struct run_opts o = { .profile = "linux-7.3", .no_changes = !changes };
	struct scenario *sc = scenario_parse("wide", text, &err);
	struct run_result *rr = sc ? scenario_run(sc, &o, &err) : NULL;
	int failures = rr ? rr->failures : -1;

	if (!rr)
		printf("wide: %s\n", err->message);
	run_result_free(rr);
	if (sc)
		scenario_free(sc);
	return failures;
}

static double secs(struct timeval tv)
{
	return tv.tv_sec + tv.tv_usec / 1e6;
}

/* run_text() in a child: its own CPU time and peak RSS */
static void run_child(const char *text, int n, int ops, bool changes)
{
	double t0 = g_get_monotonic_time() / 1e6;
	struct rusage ru;
	int status = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(run_text(text, changes) ? 1 : 0);
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
		perror("wide: fork");
		return;
	}
	printf("wide: %d devices, %d operations: %.2f s CPU, %.2f s wall, "
	       "peak RSS %ld MiB (parse, validate, boot, run with "
	       "invariants%s)%s\n",
	       n, ops, secs(ru.ru_utime) + secs(ru.ru_stime),
	       g_get_monotonic_time() / 1e6 - t0, ru.ru_maxrss / 1024,
	       changes ? " and the trace's state diffs" : "",
	       WIFEXITED(status) && !WEXITSTATUS(status) ? "" : ", FAILED");
}

static void one(int ndev)
{
	g_autoptr(GString) t = g_string_new(NULL);
	g_autoptr(GPtrArray) eps = g_ptr_array_new_with_free_func(g_free);
	int n = gen_machine(t, ndev, eps), ops = 0;

	for (int k = 0; ops + 11 <= OPS; k++, ops += 11)
		gen_cycle(t, eps->pdata[k % eps->len], k);
	run_child(t->str, n, ops, false);
	run_child(t->str, n, ops, true);
}

/* IOMMUSIM_BENCH_WIDE=N: one machine of N devices instead */
void bench_wide(void)
{
	const char *n = g_getenv("IOMMUSIM_BENCH_WIDE");

	if (n) {
		one(atoi(n));
		return;
	}
	one(3000);
	one(100000);
}
