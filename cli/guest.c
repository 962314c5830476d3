// SPDX-License-Identifier: MIT
/*
 * guest.c - `run`'s check of a file's guest=yes claim: the cross-check
 * (hw/, hw_guest_claim_why_not()) decides what a guest can run; sim/
 * knows nothing of it, so the check sits here, above both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "run.h"
#include "scenario.h"
#include "model/profile_api.h"
#ifdef IOMMUSIM_HAVE_HW
#include "hw/crosscheck.h"
#endif

/* The scenario statement's guest=yes, written out (the default is not a
 * claim). */
static const struct statement *claims_guest(const struct scenario *sc)
{
	const struct statement *st =
		sc->stmts->len ? sc->stmts->pdata[0] : NULL;
	const struct arg *a = st && !strcmp(st->verb, "scenario")
				      ? stmt_arg(st, "guest")
				      : NULL;

	return a && !strcmp(a->val.text, "yes") ? st : NULL;
}

/* "line N: ..." by N, a reason without a line (a device's) first */
static gint by_line(gconstpointer a, gconstpointer b, gpointer unused)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int lx = g_str_has_prefix(x, "line ") ? atoi(x + 5) : 0;
	int ly = g_str_has_prefix(y, "line ") ? atoi(y + 5) : 0;

	(void)unused;
	return lx - ly;
}

static void print_reasons(char *why)
{
	g_auto(GStrv) lines = g_strsplit(g_strchomp(why), "\n", -1);
	guint n = g_strv_length(lines);

	/* g_qsort_with_data is stable: a line's reasons keep their order */
	g_qsort_with_data(lines, n, sizeof(char *), by_line, NULL);
	for (guint j = 0; j < n; j++)
		fprintf(stderr, "  %s\n", lines[j]);
}

bool cli_guest_claims(GPtrArray *scs)
{
#ifdef IOMMUSIM_HAVE_HW
	for (guint i = 0; i < scs->len; i++) {
		const struct scenario *sc = scs->pdata[i];
		const struct statement *st = claims_guest(sc);
		g_autofree char *why = st ? hw_guest_claim_why_not(sc) : NULL;

		if (!why)
			continue;
		fprintf(stderr,
			"iommusim: %s:%d:%d: guest=yes, but the cross-check "
			"cannot run it in a guest:\n",
			sc->path, st->line, stmt_arg(st, "guest")->col);
		print_reasons(why);
		return false;
	}
#else
	(void)scs;
#endif
	return true;
}

/* The scenario statement's why= (the reason a guest=no gives), or "". */
static const char *header_why(const struct scenario *sc)
{
	const struct statement *st =
		sc->stmts->len ? sc->stmts->pdata[0] : NULL;
	const struct arg *a = st && !strcmp(st->verb, "scenario")
				      ? stmt_arg(st, "why")
				      : NULL;

	return a ? a->val.text : "";
}

/*
 * Whether no real 7.3 kernel could ever run @sc, by its own text: it does
 * not declare linux-7.3, it injects failures into the model (`inject`),
 * or its guest=no reason names another profile (a posted series).
 */
static bool beyond_the_guest(const struct scenario *sc)
{
	g_auto(GStrv) profiles = scenario_profiles(sc);
	const char *const *names = iommu_profile_names();
	const char *why = header_why(sc);

	if (!g_strv_contains((const char *const *)profiles, "linux-7.3"))
		return true;
	for (guint i = 0; i < sc->stmts->len; i++) {
		const struct statement *st = sc->stmts->pdata[i];

		if (!strcmp(st->verb, "inject"))
			return true;
	}
	for (int i = 0; names[i]; i++) {
		if (strcmp(names[i], "linux-7.3") && strstr(why, names[i]))
			return true;
	}
	return false;
}

void cli_guest_fraction(GPtrArray *scs)
{
#ifdef IOMMUSIM_HAVE_HW
	guint beyond = 0, runnable = 0, rest;

	for (guint i = 0; i < scs->len; i++) {
		const struct scenario *sc = scs->pdata[i];
		g_autofree char *why = NULL;

		if (beyond_the_guest(sc)) {
			beyond++;
			continue;
		}
		why = hw_guest_claim_why_not(sc);
		runnable += !why;
	}
	rest = scs->len - beyond;
	printf("corpus: %u of %u files guest-runnable (%.1f%%), not counting "
	       "%u that need a non-7.3 profile or model-only injection\n",
	       runnable, rest, rest ? 100.0 * runnable / rest : 0.0, beyond);
#else
	(void)scs;
#endif
}
