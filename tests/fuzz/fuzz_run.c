// SPDX-License-Identifier: MIT
/*
 * fuzz_run.c - libFuzzer target: parse, validate and run any bytes under
 * every profile, and print the trace in both formats (docs/testing.md).
 * Bad input must be refused, valid input must run to the end: no crash,
 * no leak, no undefined behaviour, no hang.
 *
 * Inputs that ask for more memory than the budget below are skipped: the
 * model has no memory limit yet (issue 14 item 3: one iommu_map of 16 TiB
 * grows the process until the host kills it); when it has one, the
 * budget goes.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "run.h"
#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BUDGET_MAP (1ull << 30) /* bytes mapped, all iommu_map size= */
#define BUDGET_DMA (1ull << 28) /* bytes moved, all dma / memory len= */

static bool over_budget(const struct scenario *sc)
{
	uint64_t map = 0, dma = 0;

	for (guint i = 0; i < sc->stmts->len; i++) {
		const struct statement *st = sc->stmts->pdata[i];
		const struct arg *size = stmt_arg(st, "size");
		const struct arg *len = stmt_arg(st, "len");

		if (size && size->val.kind == VAL_NUMBER)
			map += MIN(size->val.num, BUDGET_MAP + 1);
		if (len && len->val.kind == VAL_NUMBER)
			dma += MIN(len->val.num, BUDGET_DMA + 1);
		if (map > BUDGET_MAP || dma > BUDGET_DMA)
			return true;
	}
	return false;
}

static void run_profile(const struct scenario *sc, const char *profile,
			FILE *null)
{
	struct run_opts o = { .profile = profile, .allow_absent = true };
	GError *err = NULL;
	struct run_result *rr = scenario_run(sc, &o, &err);

	if (!rr) {
		if (!g_str_has_prefix(err->message, "fuzz.scn:"))
			__builtin_trap(); /* a refusal names file:line:col */
		g_error_free(err);
		return;
	}
	trace_print(null, sc, rr, TRACE_TEXT, true);
	trace_print(null, sc, rr, TRACE_JSON, true);
	run_result_free(rr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	static const char *const profiles[] = { "linux-7.3", "rfc-2022-v1" };
	GError *err = NULL;
	struct scenario *sc = scenario_parse_bytes(
		"fuzz.scn", (const char *)data, size, &err);

	if (!null)
		null = fopen("/dev/null", "w");
	if (!sc) {
		g_error_free(err);
		return 0;
	}
	if (!over_budget(sc)) {
		for (size_t p = 0; p < G_N_ELEMENTS(profiles); p++)
			run_profile(sc, profiles[p], null);
	}
	scenario_free(sc);
	return 0;
}
