// SPDX-License-Identifier: MIT
/*
 * test_handles.c - typed handles at run time: a handle keeps a reference
 * to the model's object, so using one whose domain was freed is refused
 * as the kernel's use after free even when a newer domain has taken the
 * freed one's id; a handle whose binding step failed was never bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "run.h"

#define MACHINE                                                                \
	"iommu driver=amd-vi\n"                                                \
	"pci_device name=nic addr=02.0\n"                                      \
	"boot\n"

/* The failure of the step on @line (NULL if it passed), or with
 * @changes its state changes. */
static char *step_at(const char *text, int line, bool changes)
{
	struct scenario *sc = scenario_parse("t.scn", text, NULL);
	struct run_opts o = { .profile = "linux-7.3" };
	struct run_result *rr;
	char *failure = NULL;

	assert_non_null(sc);
	rr = scenario_run(sc, &o, NULL);
	assert_non_null(rr);
	for (guint i = 0; i < rr->steps->len; i++) {
		const struct step_result *sr = rr->steps->pdata[i];

		if (sr->st->line == line && changes)
			failure = g_strdup(sr->changes);
		else if (sr->st->line == line && !sr->pass)
			failure = g_strdup(sr->failure);
	}
	run_result_free(rr);
	scenario_free(sc);
	return failure;
}

#define REUSE                                                                  \
	MACHINE "iommu_paging_domain_alloc dev=nic out_domain=$a\n"            \
		"iommu_domain_free domain=$a\n"                                \
		"iommu_paging_domain_alloc dev=nic out_domain=$b\n"            \
		"iommu_attach_device domain=$b dev=nic\n"                      \
		"iommu_attach_device domain=$a dev=nic\n"

static void
freed_handle_is_use_after_free_even_when_its_id_is_reused(void **state)
{
	g_autofree char *reused = step_at(REUSE, 7, true);
	g_autofree char *f = step_at(REUSE, 8, false);

	/* $b has the id $a had (domain#1 is the default domain); the
	 * trace names it by its handle */
	assert_non_null(strstr(reused, "$b (unmanaged)"));
	assert_non_null(f);
	assert_string_equal("undefined behaviour in the kernel: "
			    "iommu_attach_device: $a was freed: use after free",
			    f);
}

static void live_handle_reaches_its_domain(void **state)
{
	g_autofree char *f = step_at(
		MACHINE "iommu_paging_domain_alloc dev=nic out_domain=$a\n"
			"iommu_attach_device domain=$a dev=nic\n"
			"check_group dev=nic domain=$a\n",
		6, false);

	assert_null(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			freed_handle_is_use_after_free_even_when_its_id_is_reused),
		cmocka_unit_test(live_handle_reaches_its_domain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
