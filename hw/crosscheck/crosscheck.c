// SPDX-License-Identifier: MIT
/*
 * crosscheck.c - what `iommusim crosscheck [FILE|DIR...]` does (the CLI,
 * cli/crosscheck.c, reads the options): every scenario on the model and in
 * a guest, compared step by step (docs/crosscheck.md).
 *
 * Per file: load, run on the model (profile HW_PROFILE), which gives the
 * machine (machine.c), translate the program; a file that cannot run in a guest says why and
 * is counted apart. The rest are grouped by machine (one boot runs many
 * scenarios), looked up in the result cache, booted when missing, and
 * compared.
 */
#include <stdio.h>
#include <string.h>

#include "hw.h"
#include "hw/crosscheck.h"
#include "sim/op.h"

struct item {
	char *path;
	struct scenario *sc;
	struct run_result *rr;
	struct hw_machine *m;
	char *prog;
	char *why_not; /* not guest-runnable: why */
	char *key;     /* result cache key */
	char *out;     /* the agent's output for this scenario */
	bool bad_input;
};

/* A step that cannot happen in a real kernel: *why names the first, or,
 * with @all, every one is appended there. */
static bool model_only(const struct run_result *rr, char **why, GString *all)
{
	bool found = false;

	for (guint i = 0; i < rr->steps->len; i++) {
		const struct step_result *sr = rr->steps->pdata[i];
		g_autofree char *one = NULL;

		if (sr->op->guest.kind != GUEST_MODEL_ONLY ||
		    !hw_applies(sr->st))
			continue;
		one = g_strdup_printf("line %d: %s is model-only", sr->st->line,
				      sr->st->verb);
		found = true;
		if (!all) {
			*why = g_steal_pointer(&one);
			return true;
		}
		g_string_append_printf(all, "%s\n", one);
	}
	return found;
}

char *hw_guest_claim_why_not(const struct scenario *sc)
{
	g_autoptr(GError) err = NULL;
	struct run_result *rr = NULL;
	struct hw_machine *m = hw_machine_new(sc, &hw_qemu_10, &rr, &err);
	GString *why;

	if (!m) /* bad input: the caller's validation says so */
		return NULL;
	why = g_string_new(m->why_all->str);
	if (rr) {
		model_only(rr, NULL, why);
		hw_program_reasons(sc, m, why);
		run_result_free(rr);
	}
	hw_machine_free(m);
	return g_string_free(why, !why->len);
}

static char *result_key(struct hw_env *env, const struct item *it,
			const char *kdir, const char *ird)
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
	char *key;

	g_checksum_update(ck, (const guchar *)kdir, -1);
	g_checksum_update(ck, (const guchar *)ird, -1);
	g_checksum_update(ck, (const guchar *)it->m->key, -1);
	/* not the first line ("scenario PATH"): the same file named another
	 * way (relative, absolute) has the same result */
	g_checksum_update(ck, (const guchar *)strchr(it->prog, '\n'), -1);
	key = g_strdup(g_checksum_get_string(ck));
	g_checksum_free(ck);
	return key;
}

/* Load, run on the model (which gives the machine), translate. */
static void prepare(struct item *it, const struct hw_qemu *qemu,
		    double *model_s)
{
	struct hw_names names = { 0 };
	g_autoptr(GError) err = NULL;
	gint64 t0;

	it->sc = scenario_load(it->path, &err);
	if (!it->sc) {
		fprintf(stderr, "iommusim: %s\n", err->message);
		it->bad_input = true;
		return;
	}
	t0 = g_get_monotonic_time();
	it->m = hw_machine_new(it->sc, qemu, &it->rr, &err);
	*model_s += (g_get_monotonic_time() - t0) / 1e6;
	if (!it->m) {
		fprintf(stderr, "iommusim: %s\n", err->message);
		it->bad_input = true;
		return;
	}
	if (it->m->why_not) {
		it->why_not = g_strdup(it->m->why_not);
		return;
	}
	if (model_only(it->rr, &it->why_not, NULL))
		return;
	hw_names_from_run(&names, it->rr);
	it->prog = hw_program_new(it->sc, it->m, &names, &it->why_not);
	hw_names_clear(&names);
}

/*
 * In a boot: scenarios that need fresh groups first (each starts a boot at
 * worst), those that remove or add devices last (each ends its boot).
 * g_ptr_array_sort() is stable.
 */
static int boot_rank(const struct item *it)
{
	if (hw_program_fresh(it->prog))
		return 0;
	return hw_program_changes_topology(it->prog) ? 2 : 1;
}

static gint by_boot_order(gconstpointer a, gconstpointer b)
{
	return boot_rank(*(struct item *const *)a) -
	       boot_rank(*(struct item *const *)b);
}

/* The items the cache cannot answer, by machine (one batch per boot). */
static GHashTable *uncached_by_machine(struct hw_env *env, GPtrArray *items)
{
	GHashTable *batches =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
				      (GDestroyNotify)g_ptr_array_unref);

	for (guint i = 0; i < items->len; i++) {
		struct item *it = items->pdata[i];
		const char *ird, *kdir;
		g_autoptr(GError) err = NULL;
		GPtrArray *b;

		if (!it->prog)
			continue;
		kdir = hw_kernel_for(env, it->m, &ird, &err);
		if (!kdir) {
			fprintf(stderr, "hw: %s\n", err->message);
			continue;
		}
		it->key = result_key(env, it, kdir, ird);
		it->out = hw_cache_get(env, it->key);
		if (it->out) {
			env->cached++;
			continue;
		}
		b = g_hash_table_lookup(batches, it->m->key);
		if (!b) {
			b = g_ptr_array_new();
			g_hash_table_insert(batches, g_strdup(it->m->key), b);
		}
		g_ptr_array_add(b, it);
	}
	return batches;
}

/* Boot @b's items in their order, keeping what completed. */
static void run_boot(struct hw_env *env, GPtrArray *b)
{
	g_autoptr(GPtrArray) progs = g_ptr_array_new();
	g_autoptr(GPtrArray) outs = g_ptr_array_new();

	for (guint i = 0; i < b->len; i++)
		g_ptr_array_add(progs, ((struct item *)b->pdata[i])->prog);
	hw_run_batch(env, ((struct item *)b->pdata[0])->m, progs, outs);
	for (guint i = 0; i < b->len; i++) {
		struct item *it = b->pdata[i];

		it->out = outs->pdata[i];
		if (it->out && hw_ran_to_end(it->out))
			hw_cache_put(env, it->key, it->out);
	}
}

/*
 * Boot what the cache lacks; keep what completed. A machine's batch is
 * one boot in boot order (boot_rank()), but for the scenarios that write
 * a device (hw_program_writes_device()): each of those ends a boot,
 * what it wrote being left in QEMU's device for whatever came after.
 */
static void run_guests(struct hw_env *env, GPtrArray *items)
{
	g_autoptr(GHashTable) batches = uncached_by_machine(env, items);
	GHashTableIter iter;
	gpointer k, v;

	g_hash_table_iter_init(&iter, batches);
	while (g_hash_table_iter_next(&iter, &k, &v)) {
		GPtrArray *b = v;
		g_autoptr(GPtrArray) boot = g_ptr_array_new();

		g_ptr_array_sort(b, by_boot_order);
		for (guint i = 0; i < b->len; i++) {
			struct item *it = b->pdata[i];

			if (!hw_program_writes_device(it->prog))
				g_ptr_array_add(boot, it);
		}
		for (guint i = 0; i < b->len; i++) {
			struct item *it = b->pdata[i];

			if (!hw_program_writes_device(it->prog))
				continue;
			g_ptr_array_add(boot, it);
			run_boot(env, boot);
			g_ptr_array_set_size(boot, 0);
		}
		if (boot->len)
			run_boot(env, boot);
	}
}

static void print_indented(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	printf("  guest output:\n");
	for (char **l = lines; *l; l++) {
		if (**l)
			printf("    %s\n", *l);
	}
}

struct totals {
	int files, runnable, not_runnable, bad;
	int compared, agreed, disagreed, skipped, guest_failed, uncomparable;
};

static void report(struct item *it, struct totals *t, bool verbose)
{
	struct hw_file_report rep = { 0 };
	g_autoptr(GHashTable) ksteps = NULL;

	t->files++;
	if (it->bad_input) {
		t->bad++;
		return;
	}
	if (it->why_not) {
		t->not_runnable++;
		printf("%s: not guest-runnable: %s\n", it->path, it->why_not);
		return;
	}
	t->runnable++;
	if (!it->out) {
		t->guest_failed++;
		printf("%s: no result from the guest\n", it->path);
		return;
	}
	ksteps = hw_parse_output(it->out);
	hw_compare(it->sc, it->m, it->rr, ksteps, &rep);
	t->compared += rep.compared;
	t->agreed += rep.agreed;
	t->disagreed += rep.disagreed;
	t->skipped += rep.skipped;
	t->uncomparable += rep.uncomparable;
	printf("%s: %d steps, %d agree, %d disagree", it->path, rep.compared,
	       rep.agreed, rep.disagreed);
	if (rep.uncomparable)
		printf(", %d not comparable (first: %s)", rep.uncomparable,
		       rep.uncomparable_why->str);
	printf("\n");
	if (rep.uncomparable_why)
		g_string_free(rep.uncomparable_why, TRUE);
	if (rep.first) {
		printf("  first disagreement: %s\n", rep.first->str);
		g_string_free(rep.first, TRUE);
	}
	if (verbose || rep.disagreed)
		print_indented(it->out);
}

/* The summary, and the benchmark figure: seconds per scenario in the
 * guest (boots included) vs on the model, from this one run. */
static void print_totals(const struct totals *t, const struct hw_env *env,
			 double model_s)
{
	printf("total: %d files, %d guest-runnable, %d not guest-runnable, "
	       "%d bad input; %d steps compared, %d agree, %d disagree, "
	       "%d model-only skipped, %d not comparable, %d without guest "
	       "result\n",
	       t->files, t->runnable, t->not_runnable, t->bad, t->compared,
	       t->agreed, t->disagreed, t->skipped, t->uncomparable,
	       t->guest_failed);
	printf("time: model %.3f s (%.5f s per scenario), guest %.1f s in %d "
	       "boots for %d scenarios (%.2f s per scenario; cached: %d)\n",
	       model_s, t->runnable ? model_s / t->runnable : 0.0,
	       env->guest_seconds, env->boots, env->booted_scenarios,
	       env->booted_scenarios
		       ? env->guest_seconds / env->booted_scenarios
		       : 0.0,
	       env->cached);
	printf("qemu: %s (%s)%s\n", env->qemu->version, env->qemu->binary,
	       env->qemu->fallback ? ": FALLBACK, the fetch of 10.0 failed"
				   : "");
	printf("qemu aarch64: %s\n", env->qemu->binary_aarch64
					     ? env->qemu->binary_aarch64
					     : "none (no aarch64 guest)");
}

static void show_item(const struct item *it)
{
	g_autoptr(GPtrArray) argv = NULL;

	printf("== %s\n", it->path);
	if (!it->m || it->why_not) {
		printf("not guest-runnable: %s\n",
		       it->why_not ? it->why_not : "bad input");
		return;
	}
	argv = hw_machine_argv(it->m);
	printf("qemu:");
	for (guint i = 0; i < argv->len; i++)
		printf(" %s", (char *)argv->pdata[i]);
	printf("\nkernel parameters:%s\nkernel variant: %s\n%s",
	       it->m->cmdline->str, it->m->kconfig ? it->m->kconfig : "none",
	       it->prog);
}

static bool any_runnable(GPtrArray *items)
{
	for (guint i = 0; i < items->len; i++) {
		if (((struct item *)items->pdata[i])->prog)
			return true;
	}
	return false;
}

static void item_free(gpointer p)
{
	struct item *it = p;

	if (it->rr)
		run_result_free(it->rr);
	if (it->sc)
		scenario_free(it->sc);
	hw_machine_free(it->m);
	g_free(it->path);
	g_free(it->prog);
	g_free(it->why_not);
	g_free(it->key);
	g_free(it->out);
	g_free(it);
}

int hw_crosscheck(GPtrArray *files, const struct hw_crosscheck_opts *opts)
{
	struct hw_env env = { 0 };
	struct hw_qemu qemu = { 0 };
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(item_free);
	g_autoptr(GError) err = NULL;
	struct totals t = { 0 };
	double model_s = 0;

	hw_qemu_find(&qemu);
	env.qemu = &qemu;
	for (guint i = 0; i < files->len; i++) {
		struct item *it = g_new0(struct item, 1);

		it->path = g_strdup(files->pdata[i]);
		prepare(it, &qemu, &model_s);
		g_ptr_array_add(items, it);
	}
	if (opts->show) {
		printf("QEMU %s: %s%s\n", qemu.version, qemu.binary,
		       qemu.fallback ? " (FALLBACK: the fetch failed)" : "");
		for (guint i = 0; i < items->len; i++) {
			struct item *it = items->pdata[i];

			show_item(it);
			t.bad += it->bad_input;
		}
		hw_qemu_clear(&qemu);
		return t.bad ? 2 : 0; /* bad input, as everywhere */
	}
	env.no_cache = opts->no_cache;
	env.verbose = opts->verbose;
	/* no kernel build when nothing can run in a guest */
	if (any_runnable(items)) {
		if (!hw_env_init(&env, &err)) {
			fprintf(stderr, "hw: %s\n", err->message);
			hw_qemu_clear(&qemu);
			return 1;
		}
		run_guests(&env, items);
	}
	for (guint i = 0; i < items->len; i++)
		report(items->pdata[i], &t, opts->verbose);
	print_totals(&t, &env, model_s);
	hw_qemu_clear(&qemu);
	if (t.bad)
		return 2;
	return t.disagreed || t.guest_failed ? 1 : 0;
}
