// SPDX-License-Identifier: MIT
/*
 * exec.c - `iommusim exec [--trace] SCENARIO -- PROGRAM [ARG...]`: run an
 * unmodified program with libiommusim-preload.so (preload/) serving its
 * /dev/iommu, /dev/vfio and VFIO sysfs from SCENARIO's machine
 * (docs/preload.md). The scenario is validated here (bad input: exit 2
 * naming file:line:col); the shim runs it once when it loads. A
 * statically linked program has no dynamic loader to preload anything
 * into: refused, exit 2. Otherwise the exit status is the program's.
 */
#include <elf.h>
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "run.h"

/* @prog as execvp() would find it, newly allocated, or NULL. */
static char *find_program(const char *prog)
{
	if (strchr(prog, '/'))
		return g_file_test(prog, G_FILE_TEST_IS_EXECUTABLE)
			       ? g_strdup(prog)
			       : NULL;
	return g_find_program_in_path(prog);
}

/* 1: an ELF file without PT_INTERP (static), 0: anything else (a
 * dynamic ELF; a script, whose interpreter is what gets preloaded) */
static int is_static_elf(const char *path)
{
	g_autofree char *buf = NULL;
	gsize len = 0;
	const Elf64_Ehdr *eh;

	if (!g_file_get_contents(path, &buf, &len, NULL) ||
	    len < sizeof(Elf64_Ehdr) || memcmp(buf, ELFMAG, SELFMAG))
		return 0;
	if (buf[EI_CLASS] == ELFCLASS32) {
		const Elf32_Ehdr *e = (const void *)buf;

		for (unsigned int i = 0; i < e->e_phnum; i++) {
			const Elf32_Phdr *ph =
				(const void *)(buf + e->e_phoff +
					       i * e->e_phentsize);
			if ((gsize)((const char *)(ph + 1) - buf) > len)
				return 0;
			if (ph->p_type == PT_INTERP)
				return 0;
		}
		return 1;
	}
	eh = (const void *)buf;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph =
			(const void *)(buf + eh->e_phoff + i * eh->e_phentsize);

		if ((gsize)((const char *)(ph + 1) - buf) > len)
			return 0;
		if (ph->p_type == PT_INTERP)
			return 0;
	}
	return 1;
}

/* The shim: $IOMMUSIM_PRELOAD, the build tree's (next to this binary's
 * directory), or the installed one. */
static char *find_shim(void)
{
	const char *env = g_getenv("IOMMUSIM_PRELOAD");
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *dir = self ? g_path_get_dirname(self) : NULL;
	char *p;

	if (env)
		return g_strdup(env);
	p = g_build_filename(dir ? dir : ".", "..", "preload",
			     "libiommusim-preload.so", NULL);
	if (g_file_test(p, G_FILE_TEST_EXISTS))
		return p;
	g_free(p);
	return g_strdup(IOMMUSIM_PRELOAD_INSTALLED);
}

/* rm -r @path (the shims' shadow trees; symlinks not followed) */
static void remove_tree(const char *path)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(path, name, NULL);

		if (!g_file_test(p, G_FILE_TEST_IS_SYMLINK) &&
		    g_file_test(p, G_FILE_TEST_IS_DIR))
			remove_tree(p);
		else
			g_unlink(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(path);
}

static int check_scenario(const char *path)
{
	struct run_opts opts = { 0 };
	GError *err = NULL;
	struct scenario *sc = scenario_load(path, &err);
	bool ok = sc && scenario_check(sc, &opts, &err);

	if (!ok) {
		fprintf(stderr, "iommusim: %s\n", err->message);
		g_error_free(err);
	}
	scenario_free(sc);
	return ok ? 0 : 2;
}

/*
 * LD_PRELOAD for the program: the shim, then what was there. In the
 * sanitized build the shim is ASan-instrumented and linked against the
 * shared ASan runtime, which must come before every other library
 * (ASan's interceptors and allocator replace libc's from the start): it
 * goes first. The program must then be uninstrumented or built with the
 * shared runtime too (clang's -shared-libasan).
 */
static char *preload_list(const char *shim)
{
	const char *old = g_getenv("LD_PRELOAD");
	g_autofree char *list = old && *old
					? g_strdup_printf("%s:%s", shim, old)
					: g_strdup(shim);

#ifdef IOMMUSIM_ASAN_RUNTIME
	return g_strdup_printf("%s:%s", IOMMUSIM_ASAN_RUNTIME, list);
#else
	return g_steal_pointer(&list);
#endif
}

/* The program's wait status: orphans of the tree reparented here (the
 * model's keeper, preload/fork.c) are reaped on the way */
static int wait_program(pid_t pid, int *status)
{
	pid_t w;

	do
		w = waitpid(-1, status, 0);
	while (w != pid && (w >= 0 || errno == EINTR));
	return w == pid ? 0 : -1;
}

/* Run @argv with the shim; the program's exit status (128 + signal). */
static int run_with_shim(const char *prog, char **argv, const char *scn,
			 const char *shim, bool trace)
{
	g_autofree char *dir = g_dir_make_tmp("iommusim-exec.XXXXXX", NULL);
	g_autofree char *abs = g_canonicalize_filename(scn, NULL);
	g_autofree char *preload = preload_list(shim);
	g_autofree char *self = g_strdup_printf("%d", (int)getpid());
	int status = 0;
	pid_t pid;

	if (!dir) {
		fprintf(stderr, "iommusim exec: cannot make a temporary "
				"directory\n");
		return 2;
	}
	/* every process of the tree stays a descendant of this one, the
	 * model's keeper too: the tracer its clients name under Yama
	 * (preload/rendezvous.c rdv_allow_tracer()) */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	pid = fork();
	if (pid == 0) {
		g_setenv("IOMMUSIM_SCENARIO", abs, TRUE);
		/* the shadow trees, and the tree's one model's rendezvous
		 * (preload/rendezvous.c) */
		g_setenv("IOMMUSIM_PRELOAD_DIR", dir, TRUE);
		g_setenv("IOMMUSIM_EXEC_PID", self, TRUE);
		g_setenv("LD_PRELOAD", preload, TRUE);
		if (trace)
			g_setenv("IOMMUSIM_PRELOAD_TRACE", "1", TRUE);
		execv(prog, argv);
		fprintf(stderr, "iommusim exec: %s: %s\n", prog,
			strerror(errno));
		_exit(127);
	}
	if (pid < 0 || wait_program(pid, &status))
		status = 2 << 8;
	remove_tree(dir);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int cmd_exec(int argc, char **argv)
{
	g_autofree char *prog = NULL, *shim = NULL;
	bool trace = argc > 1 && !strcmp(argv[1], "--trace");
	int i = trace ? 2 : 1;

	if (argc - i < 3 || strcmp(argv[i + 1], "--")) {
		fprintf(stderr, "usage: iommusim exec [--trace] SCENARIO -- "
				"PROGRAM [ARG...]\n");
		return 2;
	}
	if (check_scenario(argv[i]))
		return 2;
	prog = find_program(argv[i + 2]);
	if (!prog) {
		fprintf(stderr, "iommusim exec: %s: no such program\n",
			argv[i + 2]);
		return 2;
	}
	if (is_static_elf(prog)) {
		fprintf(stderr,
			"iommusim exec: %s is statically linked: there is no "
			"dynamic loader to preload the shim into (build it "
			"without -static)\n",
			prog);
		return 2;
	}
	shim = find_shim();
	if (!g_file_test(shim, G_FILE_TEST_EXISTS)) {
		fprintf(stderr,
			"iommusim exec: no shim at %s (set "
			"IOMMUSIM_PRELOAD)\n",
			shim);
		return 2;
	}
	return run_with_shim(prog, argv + i + 2, argv[i], shim, trace);
}
