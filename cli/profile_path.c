// SPDX-License-Identifier: MIT
/*
 * profile_path.c - `--profile-path FILE.so` (any command, any number of
 * times): an out-of-tree profile (model/profile_api.h) loaded with
 * dlopen() before the command parses anything, its ABI checked and its
 * profile registered, so scenario files, --profile, diff --profiles,
 * explore --vs and corpus name it like a built-in one. The executable
 * exports its symbols (cli/CMakeLists.txt ENABLE_EXPORTS), so the
 * profile's calls into the library reach the one model this process
 * runs, not a second copy of libiommusim.so.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "model/profile_api.h"

/* dlopen @path and register its profile: 0, or 2 after saying why */
static int load_one(const char *path)
{
	const struct iommusim_profile_module *mod;
	g_autofree char *why = NULL;
	void *h;

	h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
	if (!h) {
		fprintf(stderr,
			"iommusim: --profile-path %s: not a profile: %s\n",
			path, dlerror());
		return 2;
	}
	mod = dlsym(h, IOMMUSIM_PROFILE_MODULE_SYMBOL);
	if (!mod) {
		fprintf(stderr,
			"iommusim: --profile-path %s: not a profile: no %s "
			"symbol (IOMMUSIM_PROFILE_MODULE(), "
			"model/profile_api.h)\n",
			path, IOMMUSIM_PROFILE_MODULE_SYMBOL);
		dlclose(h);
		return 2;
	}
	if (iommusim_profile_module_register(mod, &why)) {
		fprintf(stderr, "iommusim: --profile-path %s: %s\n", path, why);
		dlclose(h);
		return 2;
	}
	return 0; /* the handle stays open: the profile lives in it */
}

int cli_load_profiles(int *argc, char **argv)
{
	int out = 1, i = 1;

	for (; i < *argc && strcmp(argv[i], "--"); i++) {
		const char *path = NULL;

		if (!strcmp(argv[i], "--profile-path")) {
			if (i + 1 == *argc) {
				fprintf(stderr, "iommusim: --profile-path "
						"needs a FILE.so\n");
				return 2;
			}
			path = argv[++i];
		} else if (!strncmp(argv[i], "--profile-path=", 15)) {
			path = argv[i] + 15;
		} else {
			argv[out++] = argv[i];
			continue;
		}
		if (load_one(path))
			return 2;
	}
	while (i < *argc) /* "--" and what follows, as they were */
		argv[out++] = argv[i++];
	argv[out] = NULL;
	*argc = out;
	return 0;
}
