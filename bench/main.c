// SPDX-License-Identifier: MIT
/*
 * bench/main.c - iommusim-bench [DIR|FILE...]: prints figures, asserts
 * nothing. Speed and memory targets are read off its output (README).
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"

int main(int argc, char **argv)
{
	char *def[] = { "scenarios" };

	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: iommusim-bench [DIR|FILE...]\n"
		       "Prints: scenario steps per second over the corpus; "
		       "time and peak memory\nto build and probe 10^5 "
		       "devices; AMDv1 map/unmap/lookup figures.\n");
		return 0;
	}
	bench_corpus(argc > 1 ? argc - 1 : 1, argc > 1 ? argv + 1 : def);
	bench_topology();
	bench_amdv1();
	return 0;
}
