/* SPDX-License-Identifier: MIT */
/* bench.h - benchmark entry points; each prints its own figures. */
#ifndef IOMMUSIM_BENCH_H
#define IOMMUSIM_BENCH_H

void bench_corpus(int n, char **paths);
void bench_topology(void);
void bench_amdv1(void);
void bench_memory(void);
/* A "Vm...:" field of /proc/self/status in KiB, -1 if unreadable */
long bench_vm_kib(const char *field);

#endif
