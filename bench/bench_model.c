// SPDX-License-Identifier: MIT
/*
 * bench_model.c - the model's own figures: scenario steps per second over
 * the corpus, and building + probing a generated topology of 10^5
 * devices (time, and peak resident memory from /proc/self/status).
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "corpus.h"
#include "run.h"
#include "model/iommu.h"
#include "model/profile.h"

static double now_s(void)
{
	return g_get_monotonic_time() / 1e6;
}

long bench_vm_kib(const char *field)
{
	g_autofree char *status = NULL;
	const char *p;

	if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
		return -1;
	p = strstr(status, field);
	return p ? strtol(p + strlen(field), NULL, 10) : -1;
}

void bench_corpus(int n, char **paths)
{
	GPtrArray *files = corpus_collect(n, paths);
	GPtrArray *scs =
		g_ptr_array_new_with_free_func((GDestroyNotify)scenario_free);
	long steps = 0;
	int rounds = 0;
	double t0, t;

	for (guint i = 0; i < files->len; i++) {
		struct scenario *sc = scenario_load(files->pdata[i], NULL);

		if (sc)
			g_ptr_array_add(scs, sc);
	}
	t0 = now_s();
	do {
		for (guint i = 0; i < scs->len; i++) {
			g_auto(GStrv) profiles =
				scenario_profiles(scs->pdata[i]);

			for (int p = 0; profiles[p]; p++) {
				struct run_opts o = { .profile = profiles[p] };
				struct run_result *rr =
					scenario_run(scs->pdata[i], &o, NULL);

				if (rr)
					steps += rr->steps->len;
				run_result_free(rr);
			}
		}
		rounds++;
		t = now_s() - t0;
	} while (t < 1.0 && scs->len);
	printf("corpus: %u files, %d rounds, %ld steps in %.3f s: %.0f "
	       "steps/s\n",
	       scs->len, rounds, steps, t, t > 0 ? steps / t : 0.0);
	g_ptr_array_free(scs, TRUE);
	g_ptr_array_free(files, TRUE);
}

/*
 * 10^5 devices: 250 root ports (half with ACS), each with a switch of 8
 * downstream ports (ACS), each port with a multifunction endpoint of 8
 * functions (half the slots without ACS), plus platform devices sharing
 * stream IDs in fours behind a second IOMMU, to reach 100000.
 */
static int build_topology(struct iommu_model *m)
{
	struct iommu_device *smmu;
	int n = 0;
	char name[32];

	iommu_device_add(m, "amd", IOMMU_DRV_AMD_VI);
	smmu = iommu_device_add(m, "tegra", IOMMU_DRV_TEGRA_SMMU);
	for (int rp = 0; rp < 250; rp++) {
		struct device *port, *up;

		g_snprintf(name, sizeof(name), "rp%d", rp);
		port = device_add(m, name, DEV_PCIE_ROOT_PORT, NULL,
				  (u8)(((rp % 31) + 1) << 3));
		port->acs = rp % 2;
		g_snprintf(name, sizeof(name), "up%d", rp);
		up = device_add(m, name, DEV_PCIE_UPSTREAM, port, 0);
		n += 2;
		for (int dp = 0; dp < 8; dp++) {
			struct device *down;

			g_snprintf(name, sizeof(name), "dp%d.%d", rp, dp);
			down = device_add(m, name, DEV_PCIE_DOWNSTREAM, up,
					  dp << 3);
			down->acs = true;
			n++;
			for (int fn = 0; fn < 8; fn++) {
				struct device *ep;

				g_snprintf(name, sizeof(name), "ep%d.%d.%d", rp,
					   dp, fn);
				ep = device_add(m, name, DEV_PCI, down, fn);
				ep->multifunction = true;
				ep->acs = dp % 2;
				n++;
			}
		}
	}
	for (int i = 0; n < 100000; i++, n++) {
		struct device *pd;

		g_snprintf(name, sizeof(name), "plat%d", i);
		pd = device_add(m, name, DEV_PLATFORM, NULL, 0);
		pd->iommu = smmu;
		pd->has_stream_id = true;
		pd->stream_id = i / 4;
	}
	return n;
}

void bench_topology(void)
{
	struct iommu_model *m = iommu_model_new(&profile_linux_7_3);
	double t0 = now_s(), t_build, t_boot;
	long hwm0 = bench_vm_kib("VmHWM:");
	int n, ret;

	n = build_topology(m);
	t_build = now_s() - t0;
	ret = iommu_model_boot(m);
	t_boot = now_s() - t0 - t_build;
	printf("topology: %d devices, %u groups: build %.3f s, probe %.3f s, "
	       "total %.3f s (ret %d)\n",
	       n, m->groups->len, t_build, t_boot, t_build + t_boot, ret);
	printf("topology: peak RSS %.1f MiB (%.1f MiB before building)\n",
	       bench_vm_kib("VmHWM:") / 1024.0, hwm0 / 1024.0);
	iommu_model_free(m);
}
