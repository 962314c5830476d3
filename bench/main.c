// SPDX-License-Identifier: MIT
/*
 * bench/main.c - iommusim-bench [--only=SECTION] [DIR|FILE...]: prints
 * figures, asserts nothing. Speed and memory targets are read off its
 * output (README, docs/amdv1.md).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

static bool want(const char *only, const char *section)
{
	return !only || !strcmp(only, section);
}

int main(int argc, char **argv)
{
	char *def[] = { "scenarios" };
	const char *only = NULL;

	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: iommusim-bench [--only=corpus|topology|amdv1|"
		       "memory|iommufd|explore|wide] [DIR|FILE...]\n"
		       "Prints: scenario steps per second over the corpus; "
		       "time and peak memory\nto build and probe 10^5 "
		       "devices; AMDv1 map/unmap/lookup figures beside\nLinux "
		       "7.3's own generic_pt code; peak memory of a generated "
		       "10^5-line\nmap/DMA scenario; iommufd: IOAS_MAP + "
		       "UNMAP of 1 GiB as 4 KiB and\n2 MiB pages, bind/attach/"
		       "detach/unbind cycles per second; explore: states/s and "
		       "the\n"
		       "depth reached in 60 s on two groups of two; wide: "
		       "10^4 operations\non machines of 3,000 and 10^5 "
		       "devices through the runner (CPU time, peak RSS).\n");
		return 0;
	}
	if (argc > 1 && !strncmp(argv[1], "--only=", 7)) {
		only = argv[1] + 7;
		argc--;
		argv++;
	}
	if (want(only, "corpus"))
		bench_corpus(argc > 1 ? argc - 1 : 1,
			     argc > 1 ? argv + 1 : def);
	if (want(only, "topology"))
		bench_topology();
	if (want(only, "amdv1"))
		bench_amdv1();
	if (want(only, "memory"))
		bench_memory();
	if (want(only, "iommufd"))
		bench_iommufd();
	if (want(only, "explore"))
		bench_explore();
	if (want(only, "wide"))
		bench_wide();
	return 0;
}
