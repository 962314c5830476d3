// SPDX-License-Identifier: MIT
/*
 * test_random_ops.c - the model never crashes on valid input: random
 * machines and random sequences of every operation, under both profiles.
 * Each generated scenario must validate (the generator only writes valid
 * statements) and run to the end, with the model's invariants checked
 * after every step (scenario_run() does); the seed is printed on failure
 * and IOMMUSIM_FUZZ_SEED reruns one.
 *
 * test_sim_random_ops [MACHINES [STEPS]]: MACHINES random machines (seeds
 * 1..MACHINES), STEPS random operations on each, under both profiles;
 * prints operations per second. ctest runs 1500 x 60; ./build.sh
 * longtest 4000 x 250 = 10^6 per profile.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scenario.h"
#include "run.h"
#include "model/profile.h"

static unsigned int machines = 1500, steps = 60;

static const char *const drivers_[] = { "amd-vi", "intel-vtd", "tegra-smmu",
					"arm-smmu-v3", "generic" };
static const char *const bind_drivers[] = { "vfio-pci", "e1000e", "pci-stub",
					    "nvme" };

struct gen {
	GRand *rnd;
	GString *s;
	int ndev, ndom;
};

static int pick(struct gen *g, int n)
{
	return g_rand_int_range(g->rnd, 0, n);
}

static void machine(struct gen *g)
{
	int ports = 1 + pick(g, 3);

	g_string_append_printf(g->s, "iommu driver=%s np_cache=%d\n",
			       drivers_[pick(g, 5)], pick(g, 2));
	if (pick(g, 3) == 0)
		g_string_append(g->s, "cmdline iommu.passthrough=1\n");
	for (int p = 0; p < ports; p++) {
		int port = g->ndev++, fns = 1 + pick(g, 3);

		g_string_append_printf(g->s,
				       "pcie_root_port name=d%d addr=%02x.0 "
				       "acs=%d\n",
				       port, 0x10 + p, pick(g, 2));
		for (int f = 0; f < fns; f++)
			g_string_append_printf(
				g->s,
				"pci_device name=d%d addr=00.%d parent=d%d "
				"multifunction=1 acs=%d\n",
				g->ndev++, f, port, pick(g, 2));
	}
	g_string_append_printf(g->s, "pcie_pci_bridge name=d%d addr=1a.0\n",
			       g->ndev++);
	g_string_append_printf(g->s,
			       "pci_device name=d%d addr=01.0 parent=d%d "
			       "pcie=0\n",
			       g->ndev, g->ndev - 1);
	g->ndev++;
	g_string_append_printf(g->s,
			       "platform_device name=d%d iommu=iommu0 "
			       "stream_id=%d\n",
			       g->ndev++, pick(g, 2));
	g_string_append(g->s, "boot\n");
}

static void domain_arg(struct gen *g, const char *key)
{
	int k = pick(g, g->ndom + 2);

	if (k < g->ndom)
		g_string_append_printf(g->s, " %s=$x%d", key, k);
	else
		g_string_append_printf(g->s, " %s=%s", key,
				       k == g->ndom ? "default" : "blocking");
}

static void op(struct gen *g)
{
	static const char *const dom_dev[] = {
		"iommu_attach_device",	      "iommu_detach_device",
		"iommu_attach_group",	      "iommu_detach_group",
		"iommu_attach_group_handle",  "iommu_detach_group_handle",
		"iommu_replace_group_handle",
	};
	static const char *const dev_only[] = {
		"driver_unbind",
		"iommu_group_release_dma_owner",
		"iommu_device_release_dma_owner",
		"iommu_device_use_default_domain",
		"iommu_device_unuse_default_domain",
		"iommu_group_dma_owner_claimed",
	};
	int dev = pick(g, g->ndev);

	switch (pick(g, 10)) {
	case 0:
		g_string_append_printf(g->s,
				       "iommu_paging_domain_alloc dev=d%d "
				       "out_domain=$x%d\n",
				       dev, g->ndom++);
		return;
	case 1:
	case 2:
		g_string_append_printf(g->s, "%s dev=d%d", dom_dev[pick(g, 7)],
				       dev);
		domain_arg(g, "domain");
		break;
	case 3:
		g_string_append_printf(g->s, "%s dev=d%d", dev_only[pick(g, 6)],
				       dev);
		break;
	case 4:
		g_string_append_printf(g->s, "%s dev=d%d owner=%c",
				       pick(g, 2)
					       ? "iommu_group_claim_dma_owner"
					       : "iommu_device_claim_dma_owner",
				       dev, 'a' + pick(g, 2));
		break;
	case 5:
		g_string_append_printf(g->s, "driver_bind dev=d%d driver=%s",
				       dev, bind_drivers[pick(g, 4)]);
		break;
	case 6:
		g_string_append_printf(g->s,
				       "sysfs_write dev=d%d "
				       "attr=iommu_group/type value=%s",
				       dev,
				       (const char *[]){ "DMA", "DMA-FQ",
							 "identity", "auto",
							 "x" }[pick(g, 5)]);
		break;
	case 7:
		g_string_append_printf(g->s,
				       "dma dev=d%d iova=0x%x len=%d "
				       "dir=%s",
				       dev, pick(g, 8) << 12, 1 + pick(g, 9000),
				       pick(g, 2) ? "read" : "write");
		break;
	case 8:
		if (!g->ndom)
			return;
		g_string_append_printf(g->s,
				       "iommu_map domain=$x%d iova=0x%x "
				       "paddr=0x%x size=0x%x",
				       pick(g, g->ndom), pick(g, 1024) << 12,
				       pick(g, 1024) << 12,
				       (1 + pick(g, 600)) << 12);
		break;
	default:
		g_string_append_printf(
			g->s, "iommu_group_replace_domain dev=d%d", dev);
		domain_arg(g, "old");
		domain_arg(g, "new");
		break;
	}
	g_string_append_c(g->s, '\n');
}

static bool show;	       /* IOMMUSIM_FUZZ_PRINT: print each scenario */
static unsigned long tally[8]; /* by outcome kind, plus [7]: step failed */

static void count(const struct run_result *rr)
{
	bool shown = false;

	for (guint i = 0; i < rr->steps->len; i++) {
		const struct step_result *sr = rr->steps->pdata[i];

		if (sr->cls == STEP_OP)
			tally[sr->got.kind]++;
		tally[7] += !sr->pass;
		/* no expectations are written: a step may only fail because
		 * the kernel would have undefined behaviour there; anything
		 * else is a broken invariant of the model's own */
		if (!sr->pass &&
		    !g_str_has_prefix(sr->failure, "undefined behaviour"))
			fail_msg("%s line %d %s: %s", rr->profile, sr->st->line,
				 sr->st->verb, sr->failure);
		if (!sr->pass && getenv("IOMMUSIM_FUZZ_FAILURES") && !shown) {
			print_message("%s %s: %s\n", rr->profile, sr->st->verb,
				      sr->failure ? sr->failure : "?");
			shown = strstr(sr->failure, "invariant") != NULL;
		}
	}
}

static guint32 current_seed; /* named when a crash ends the test */

static void run_one(guint32 seed)
{
	struct gen g = { .rnd = g_rand_new_with_seed(seed),
			 .s = g_string_new(NULL) };
	const char *const *profiles = iommu_profile_names();
	GError *err = NULL;
	struct scenario *sc;

	current_seed = seed;
	machine(&g);
	for (unsigned int i = 0; i < steps; i++)
		op(&g);
	if (show || getenv("IOMMUSIM_FUZZ_SEED"))
		printf("# seed %u\n%s", seed,
		       g.s->str); /* whole: print_message()
							 * cuts at 4K */
	sc = scenario_parse("random.scn", g.s->str, &err);
	if (!sc)
		fail_msg("seed %u: %s\n%s", seed, err->message, g.s->str);
	for (int p = 0; profiles[p]; p++) {
		struct run_opts o = { .profile = profiles[p],
				      .allow_absent = true };
		struct run_result *rr = scenario_run(sc, &o, &err);

		if (!rr)
			fail_msg("seed %u: %s\n%s", seed, err->message,
				 g.s->str);
		assert_int_equal(sc->stmts->len, rr->steps->len);
		count(rr);
		run_result_free(rr);
	}
	scenario_free(sc);
	g_string_free(g.s, TRUE);
	g_rand_free(g.rnd);
}

static void random_operations_never_crash(void **state)
{
	const char *env = getenv("IOMMUSIM_FUZZ_SEED");
	gint64 t0 = g_get_monotonic_time();
	unsigned long ops;
	double secs;

	if (env) {
		run_one((guint32)strtoul(env, NULL, 0));
		return;
	}
	if (getenv("IOMMUSIM_FUZZ_PRINT"))
		show = true;
	for (guint32 seed = 1; seed <= machines; seed++)
		run_one(seed);
	secs = (g_get_monotonic_time() - t0) / 1e6;
	ops = tally[OUT_OK] + tally[OUT_ERRNO] + tally[OUT_VALUE] +
	      tally[OUT_WARN] + tally[OUT_ABSENT] + tally[OUT_FAULT];
	print_message("operations: %lu ok, %lu errno, %lu value, %lu WARN, "
		      "%lu absent, %lu DMA faults; %lu steps refused as "
		      "undefined behaviour\n",
		      tally[OUT_OK], tally[OUT_ERRNO], tally[OUT_VALUE],
		      tally[OUT_WARN], tally[OUT_ABSENT], tally[OUT_FAULT],
		      tally[7]);
	print_message("%u machines x %u steps x 2 profiles: %lu operations "
		      "in %.1f s, %.0f operations/s (machine setup, "
		      "invariants and state diffs included)\n",
		      machines, steps, ops, secs, ops / secs);
	/* the generator reaches refusals, WARNs and faults, not only ok */
	assert_true(tally[OUT_ERRNO] > 0 && tally[OUT_WARN] > 0 &&
		    tally[OUT_FAULT] > 0 && tally[OUT_OK] > 0);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		machines = strtoul(argv[1], NULL, 0);
	if (argc > 2)
		steps = strtoul(argv[2], NULL, 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_operations_never_crash),
	};

	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	if (failed)
		fprintf(stderr,
			"the last machine was seed %u (%u steps): rerun with "
			"IOMMUSIM_FUZZ_SEED=%u test_sim_random_ops %u %u\n",
			current_seed, steps, current_seed, machines, steps);
	return failed;
}
