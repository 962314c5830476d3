// SPDX-License-Identifier: MIT
/*
 * guest.c - kernels, initramfs, boots and the result cache.
 *
 * The shell scripts of hw/ do the work (kernel/build.sh, initramfs/build.sh,
 * qemu/run.sh); this file calls them, batches scenarios whose machines
 * match into one boot, and caches each scenario's agent output under
 * results/<key>, key = sha256(kernel, initramfs, machine, program).
 */
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/wait.h>

#include "hw.h"

#ifndef IOMMUSIM_HW_DIR
#define IOMMUSIM_HW_DIR "hw"
#endif

char *hw_script(struct hw_env *env, const char *const *argv, GError **err)
{
	g_autofree char *out = NULL;
	int status;
	char *nl, *last;

	if (env && env->verbose)
		g_printerr("hw: %s\n", argv[0]);
	if (!g_spawn_sync(NULL, (char **)argv, NULL,
			  G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, &out, NULL,
			  &status, err))
		return NULL;
	if (!g_spawn_check_wait_status(status, err)) {
		g_prefix_error(err, "%s: ", argv[0]);
		return NULL;
	}
	g_strchomp(out);
	nl = strrchr(out, '\n');
	last = g_strdup(nl ? nl + 1 : out);
	return last;
}

static char *hw_dir(void)
{
	return g_strdup(g_getenv("IOMMUSIM_HW_DIR") ?: IOMMUSIM_HW_DIR);
}

const struct hw_qemu hw_qemu_10 = {
	.binary = "qemu-system-x86_64",
	.binary_aarch64 = "qemu-system-aarch64",
	.version = "10.0.2",
	.major = 10,
};

/* "QEMU emulator version 10.0.2 (Debian ...)" -> "10.0.2" */
static char *qemu_version(const char *binary)
{
	const char *argv[] = { binary, "--version", NULL };
	g_autofree char *out = NULL;
	char *v, *end;

	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
			  NULL, &out, NULL, NULL, NULL) ||
	    !(v = strstr(out, "version ")))
		return g_strdup("unknown");
	v += 8;
	end = v + strcspn(v, " \n");
	return g_strndup(v, end - v);
}

/* qemu-system-aarch64 for the aarch64 guests (virt.c): the same
 * version as the x86 one, or none (those scenarios are then not
 * guest-runnable, saying so). */
static void find_aarch64(struct hw_qemu *q, const char *dir)
{
	g_autofree char *script = g_build_filename(dir, "fetch-qemu.sh", NULL);
	const char *argv[] = { script, "aarch64", NULL };
	g_autoptr(GError) err = NULL;
	const char *given = g_getenv("IOMMUSIM_QEMU_AARCH64");
	g_autofree char *version = NULL;

	q->binary_aarch64 =
		given ? g_strdup(given) : hw_script(NULL, argv, &err);
	if (!q->binary_aarch64) {
		g_printerr("hw: WARNING: no qemu-system-aarch64 (%s): the "
			   "arm-smmu-v3 scenarios are not guest-runnable\n",
			   err->message);
		return;
	}
	version = qemu_version(q->binary_aarch64);
	if (strcmp(version, q->version)) {
		g_printerr("hw: WARNING: qemu-system-aarch64 is %s, not %s: "
			   "no aarch64 guest\n",
			   version, q->version);
		g_clear_pointer(&q->binary_aarch64, g_free);
	}
}

void hw_qemu_find(struct hw_qemu *q)
{
	g_autofree char *dir = hw_dir();
	g_autofree char *script = g_build_filename(dir, "fetch-qemu.sh", NULL);
	const char *argv[] = { script, NULL };
	g_autoptr(GError) err = NULL;
	const char *given = g_getenv("IOMMUSIM_QEMU");

	q->binary = given ? g_strdup(given) : hw_script(NULL, argv, &err);
	if (!q->binary) {
		g_printerr("hw: WARNING: no QEMU 10.0 (%s); falling back to "
			   "Debian 12's qemu-system-x86_64, whose AMD-Vi "
			   "translates 48 bits where the model's (10.0.2's) "
			   "translates 64\n",
			   err->message);
		q->binary = g_strdup("qemu-system-x86_64");
		q->fallback = true;
	}
	q->version = qemu_version(q->binary);
	q->major = atoi(q->version);
	find_aarch64(q, dir);
}

void hw_qemu_clear(struct hw_qemu *q)
{
	g_free(q->binary);
	g_free(q->binary_aarch64);
	g_free(q->version);
}

/* hw/kernel/build.sh with @fragments (space-separated names under
 * hw/kernel/, merged in order after iommusim.config), or none; for
 * @arch aarch64 the arm64 kernel (after arm64.config) */
static char *kernel_build(struct hw_env *env, enum hw_arch arch,
			  const char *fragments, GError **err)
{
	g_auto(GStrv) names = g_strsplit(fragments ? fragments : "", " ", -1);
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(argv, g_build_filename(env->hw_dir, "kernel",
					       "build.sh", NULL));
	if (arch == HW_ARCH_AARCH64) {
		g_ptr_array_add(argv, g_strdup("--arch"));
		g_ptr_array_add(argv, g_strdup("arm64"));
	}
	for (char **n = names; *n; n++) {
		if (**n)
			g_ptr_array_add(argv,
					g_build_filename(env->hw_dir, "kernel",
							 *n, NULL));
	}
	g_ptr_array_add(argv, NULL);
	return hw_script(env, (const char *const *)argv->pdata, err);
}

static char *initramfs_build(struct hw_env *env, const char *kdir, GError **err)
{
	g_autofree char *script =
		g_build_filename(env->hw_dir, "initramfs", "build.sh", NULL);
	const char *argv[] = { script, kdir, NULL };

	return hw_script(env, argv, err);
}

bool hw_env_init(struct hw_env *env, GError **err)
{
	const char *c = g_getenv("IOMMUSIM_CACHE");

	env->hw_dir = hw_dir();
	env->cache =
		c ? g_strdup(c)
		  : g_build_filename(g_get_user_cache_dir(), "iommusim", NULL);
	env->kernels =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	env->kernel_dir = kernel_build(env, HW_ARCH_X86_64, NULL, err);
	if (!env->kernel_dir)
		return false;
	env->initramfs = initramfs_build(env, env->kernel_dir, err);
	return env->initramfs != NULL;
}

/* The aarch64 kernel is built when the first aarch64 machine needs it
 * (env->kernels key "arm64:FRAGMENTS"), the default x86 one at init. */
const char *hw_kernel_for(struct hw_env *env, const struct hw_machine *m,
			  const char **initramfs, GError **err)
{
	bool arm = m->arch == HW_ARCH_AARCH64;
	g_autofree char *name = NULL;
	char *kdir, *ird;

	*initramfs = env->initramfs;
	if (!m->kconfig && !arm)
		return env->kernel_dir;
	name = g_strdup_printf("%s%s", arm ? "arm64:" : "",
			       m->kconfig ? m->kconfig : "");
	kdir = g_hash_table_lookup(env->kernels, name);
	if (!kdir) {
		kdir = kernel_build(env, m->arch, m->kconfig, err);
		if (!kdir)
			return NULL;
		g_hash_table_insert(env->kernels, g_strdup(name), kdir);
	}
	*initramfs = g_hash_table_lookup(env->kernels, kdir);
	if (!*initramfs) {
		ird = initramfs_build(env, kdir, err);
		if (!ird)
			return NULL;
		g_hash_table_insert(env->kernels, g_strdup(kdir), ird);
		*initramfs = ird;
	}
	return kdir;
}

static char *cache_path(struct hw_env *env, const char *key)
{
	return g_build_filename(env->cache, "results", key, NULL);
}

bool hw_ran_to_end(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (char **l = lines; *l; l++) {
		if (hw_section_done(*l))
			return true;
	}
	return false;
}

char *hw_cache_get(struct hw_env *env, const char *key)
{
	g_autofree char *path = cache_path(env, key);
	char *text = NULL;

	if (env->no_cache || !g_file_get_contents(path, &text, NULL, NULL))
		return NULL;
	/* an entry the guest did not finish (stored before the agent's
	 * "reset needed" was told apart) is no result */
	if (!hw_ran_to_end(text)) {
		g_free(text);
		return NULL;
	}
	return text;
}

void hw_cache_put(struct hw_env *env, const char *key, const char *text)
{
	g_autofree char *path = cache_path(env, key);
	g_autofree char *dir = g_path_get_dirname(path);

	g_mkdir_with_parents(dir, 0755);
	g_file_set_contents(path, text, -1, NULL);
}

/* Split one boot's output into per-scenario sections, in program order;
 * a section is complete when its "reset" line came. */
/* The agent's last line for a scenario it ran to the end: "reset ok" or
 * "reset failed ..." ("reset needed" is one it did not run: the scenario
 * wants a fresh boot) */
bool hw_section_done(const char *line)
{
	return !strncmp(line, "reset ok", 8) ||
	       !strncmp(line, "reset failed", 12);
}

static GPtrArray *split_sections(const char *text, GPtrArray *complete)
{
	GPtrArray *secs = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GString *cur = NULL;

	for (char **l = lines; *l; l++) {
		if (!strncmp(*l, "scenario ", 9)) {
			if (cur)
				g_ptr_array_add(secs,
						g_string_free(cur, FALSE));
			cur = g_string_new("");
			g_ptr_array_add(complete, GINT_TO_POINTER(0));
		}
		if (!cur)
			continue;
		g_string_append_printf(cur, "%s\n", *l);
		if (hw_section_done(*l))
			complete->pdata[complete->len - 1] = GINT_TO_POINTER(1);
	}
	if (cur)
		g_ptr_array_add(secs, g_string_free(cur, FALSE));
	return secs;
}

static void remove_dir(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(dir, name, NULL);

		g_unlink(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(dir);
}

/* One boot running @progs[idx[0..n)]; returns the agent's output. */
static char *boot_once(struct hw_env *env, const struct hw_machine *m,
		       const char *kdir, const char *ird, GPtrArray *progs,
		       GArray *idx, int *rc)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) qargs = hw_machine_argv(m);
	g_autofree char *dir = g_dir_make_tmp("iommusim-boot-XXXXXX", NULL);
	g_autofree char *prog = g_build_filename(dir, "program.txt", NULL);
	g_autofree char *out = g_build_filename(dir, "out", NULL);
	g_autoptr(GString) text = g_string_new("");
	g_auto(GStrv) envp = g_get_environ();
	char *result = NULL;
	gint64 t0 = g_get_monotonic_time();

	for (guint i = 0; i < idx->len; i++)
		g_string_append(text, progs->pdata[g_array_index(idx, int, i)]);
	g_file_set_contents(prog, text->str, -1, NULL);
	g_ptr_array_add(argv,
			g_build_filename(env->hw_dir, "qemu", "run.sh", NULL));
	g_ptr_array_add(argv, g_strdup(kdir));
	g_ptr_array_add(argv, g_strdup(ird));
	g_ptr_array_add(argv, g_strdup(prog));
	g_ptr_array_add(argv, g_strdup(out));
	for (guint i = 0; i < qargs->len; i++)
		g_ptr_array_add(argv, g_strdup(qargs->pdata[i]));
	g_ptr_array_add(argv, NULL);
	envp = g_environ_setenv(envp, "IOMMUSIM_CMDLINE", m->cmdline->str,
				TRUE);
	envp = g_environ_setenv(envp, "IOMMUSIM_QEMU",
				m->arch == HW_ARCH_AARCH64
					? env->qemu->binary_aarch64
					: env->qemu->binary,
				TRUE);
	if (m->mem)
		envp = g_environ_setenv(envp, "IOMMUSIM_MEM", m->mem, TRUE);
	/* run.sh's exit: the agent's, 124 timeout, 125 no markers */
	g_spawn_sync(NULL, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, NULL,
		     NULL, NULL, NULL, rc, NULL);
	*rc = WIFEXITED(*rc) ? WEXITSTATUS(*rc) : -1;
	env->boots++;
	env->booted_scenarios += idx->len;
	env->guest_seconds += (g_get_monotonic_time() - t0) / 1e6;
	g_file_get_contents(out, &result, NULL, NULL);
	if (env->verbose || !result)
		g_printerr(
			"hw: boot %d (%zu scenarios) exit %d, output in %s\n",
			env->boots, (size_t)idx->len, *rc, dir);
	else
		remove_dir(dir);
	return result;
}

/*
 * Boot until every program has run or failed: when the agent stops early
 * (a scenario could not be undone, exit 3), the rest go to a new boot.
 */
void hw_run_batch(struct hw_env *env, const struct hw_machine *m,
		  GPtrArray *progs, GPtrArray *outs)
{
	GError *err = NULL;
	const char *ird, *kdir = hw_kernel_for(env, m, &ird, &err);
	g_autoptr(GArray) idx = g_array_new(FALSE, FALSE, sizeof(int));

	for (guint i = 0; i < progs->len; i++) {
		g_ptr_array_add(outs, NULL);
		g_array_append_val(idx, i);
	}
	if (!kdir) {
		g_printerr("hw: %s\n", err->message);
		g_error_free(err);
		return;
	}
	bool retried = false;

	while (idx->len) {
		g_autoptr(GPtrArray) complete = g_ptr_array_new();
		g_autoptr(GPtrArray) secs = NULL;
		g_autofree char *text = NULL;
		guint done = 0;
		int rc = 0;

		text = boot_once(env, m, kdir, ird, progs, idx, &rc);
		secs = split_sections(text ? text : "", complete);
		for (guint s = 0; s < secs->len && s < idx->len; s++) {
			if (!complete->pdata[s])
				break;
			outs->pdata[g_array_index(idx, int, s)] =
				g_strdup(secs->pdata[s]);
			done++;
		}
		/* a boot that finished nothing: TCG guests under a loaded
		 * host now and then hang before the kernel prints (seen: a
		 * 300 s timeout after SeaBIOS's "Booting from ROM", the same
		 * batch passing on the next boot), so boot once more; then
		 * give up on its first one, keeping what it printed */
		if (!done && !retried) {
			g_printerr("hw: a boot finished none of its %u "
				   "scenarios (exit %d): booting again\n",
				   idx->len, rc);
			retried = true;
			continue;
		}
		retried = false;
		if (!done) {
			if (secs->len)
				outs->pdata[g_array_index(idx, int, 0)] =
					g_strdup(secs->pdata[0]);
			done = 1;
		}
		g_array_remove_range(idx, 0, done);
	}
}
