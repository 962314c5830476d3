// SPDX-License-Identifier: MIT
/*
 * test_touched.c - a wide machine's steps cost what they touched
 * (model/core/touched.c), and lose nothing for it: an invariant the
 * kernel leaves broken is reported at the step that broke it, and every
 * later step, exactly as the whole-machine check reports it; a change
 * the touched record misses (a model bug) fails the next verified step,
 * or the last step when none is verified.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "run.h"
#include "runner.h"
#include "model/iommu.h"

/* attach-group-failure-reverts-moved-devices.scn on a machine of 300
 * more devices: wide enough that not every step is verified */
static char *wide_text(void)
{
	GString *t = g_string_new(
		"iommu driver=amd-vi\n"
		"iommu name=tegra driver=tegra-smmu\n"
		"pcie_root_port name=rp0 addr=1c.0 acs=1\n"
		"pci_device name=f0 addr=00.0 parent=rp0 multifunction=1 "
		"acs=0\n"
		"pci_device name=f1 addr=00.1 parent=rp0 multifunction=1 "
		"acs=0\n");

	for (int i = 0; i < 300; i++)
		g_string_append_printf(t,
				       "platform_device name=p%d iommu=tegra "
				       "stream_id=%d\n",
				       i, i / 4);
	g_string_append(t,
			"boot\n"
			"iommu_paging_domain_alloc dev=f0 out_domain=$d => ok\n"
			"inject iommu=iommu0 fail=attach dev=f1 count=1 => ok\n"
			"iommu_attach_device domain=$d dev=f0 => EINVAL\n"
			"iommu_paging_domain_alloc dev=p7 out_domain=$e => ok\n"
			"iommu_domain_free domain=$e => ok\n");
	return g_string_free(t, FALSE);
}

static const struct step_result *step_at(struct run_result *rr, int line)
{
	for (guint i = 0; i < rr->steps->len; i++) {
		const struct step_result *sr = rr->steps->pdata[i];

		if (sr->st->line == line)
			return sr;
	}
	fail_msg("no step at line %d", line);
	return NULL;
}

/* The 2022 series leaves f0 on $d and its group on the default domain:
 * noted at that step and the next ones, whether each step is verified
 * against the whole machine (1) or none is (0: only the end) */
static void test_touched_break_noted_at_its_step(void **state)
{
	g_autofree char *text = wide_text();
	g_autoptr(GError) err = NULL;
	struct scenario *sc = scenario_parse("wide", text, &err);
	struct run_opts every = { .profile = "rfc-2022-v1",
				  .full_check_every = 1 };
	struct run_opts none = { .profile = "rfc-2022-v1",
				 .full_check_every = 1000000 };
	struct run_result *a = scenario_run(sc, &every, &err);
	struct run_result *b = scenario_run(sc, &none, &err);
	int attach = 300 + 9; /* the attach's line */

	(void)state;
	assert_int_equal(a->steps->len, b->steps->len);
	for (guint i = 0; i < a->steps->len; i++) {
		const struct step_result *x = a->steps->pdata[i];
		const struct step_result *y = b->steps->pdata[i];

		assert_int_equal(x->pass, y->pass);
		assert_string_equal(x->detail ? x->detail : "",
				    y->detail ? y->detail : "");
		assert_string_equal(x->changes ? x->changes : "",
				    y->changes ? y->changes : "");
		assert_null(x->failure);
	}
	for (int line = attach; line <= attach + 2; line++)
		assert_non_null(strstr(step_at(b, line)->detail,
				       "state inconsistent since line 309 (the "
				       "kernel left it so): f0 is attached to "
				       "domain#"));
	assert_int_equal(a->failures, 0);
	assert_int_equal(b->failures, 0);
	run_result_free(a);
	run_result_free(b);
	scenario_free(sc);
}

/* A model bug: a change no touch recorded (written here between two
 * steps, as a model function without its iommu_touch_*() would) */
static void corrupt(void *data, struct runner *r, const struct step_result *sr)
{
	struct device *dev = device_find(r->m, "p123");

	if (sr->st->line == *(int *)data)
		iommu_domain_slot_set(&dev->attached, NULL);
}

static struct run_result *run_corrupted(const char *text, unsigned int every,
					int *line, struct scenario **sc)
{
	g_autoptr(GError) err = NULL;
	struct run_opts o = { .profile = "linux-7.3",
			      .full_check_every = every,
			      .observe_run = corrupt,
			      .observe_data = line };

	*sc = scenario_parse("wide", text, &err);
	return scenario_run(*sc, &o, &err);
}

static void test_touched_miss_fails_verified_step(void **state)
{
	g_autofree char *text = wide_text();
	int line = 300 + 8; /* after the inject */
	struct scenario *sc;
	struct run_result *rr = run_corrupted(text, 1, &line, &sc);
	const struct step_result *next = step_at(rr, line + 1);

	(void)state;
	assert_false(next->pass);
	assert_non_null(strstr(next->failure, "model bug: the step's touched "
					      "record"));
	assert_non_null(strstr(next->failure, "p123 is attached to domain#0"));
	run_result_free(rr);
	scenario_free(sc);
}

static void test_touched_miss_fails_last_step_unverified(void **state)
{
	g_autofree char *text = wide_text();
	int line = 300 + 8;
	struct scenario *sc;
	struct run_result *rr = run_corrupted(text, 1000000, &line, &sc);
	const struct step_result *last = rr->steps->pdata[rr->steps->len - 1];

	(void)state;
	assert_true(step_at(rr, line + 1)->pass);
	assert_false(last->pass);
	assert_non_null(strstr(last->failure, "p123 is attached to domain#0"));
	run_result_free(rr);
	scenario_free(sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_touched_break_noted_at_its_step),
		cmocka_unit_test(test_touched_miss_fails_verified_step),
		cmocka_unit_test(test_touched_miss_fails_last_step_unverified),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
