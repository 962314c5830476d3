// SPDX-License-Identifier: MIT
/*
 * fuzz_parse.c - libFuzzer target: the scenario parser on any bytes
 * (docs/testing.md). It must return a scenario or an error naming
 * file:line:col, never crash, leak or take long; a parsed scenario must
 * print back (the trace's statement text) without trouble.
 */
#include <stdint.h>
#include <string.h>

#include "scenario.h"
#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GError *err = NULL;
	struct scenario *sc = scenario_parse_bytes(
		"fuzz.scn", (const char *)data, size, &err);

	if (!sc) {
		/* every refusal says where: "fuzz.scn:LINE:COL: ..." or the
		 * file's own name for file-level limits */
		if (!g_str_has_prefix(err->message, "fuzz.scn:"))
			__builtin_trap();
		g_error_free(err);
		return 0;
	}
	for (guint i = 0; i < sc->stmts->len; i++)
		g_free(stmt_text(sc->stmts->pdata[i]));
	scenario_free(sc);
	return 0;
}
