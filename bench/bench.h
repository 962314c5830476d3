/* SPDX-License-Identifier: MIT */
/* bench.h - benchmark entry points; each prints its own figures. */
#ifndef IOMMUSIM_BENCH_H
#define IOMMUSIM_BENCH_H

#include <stdint.h>

void bench_corpus(int n, char **paths);
void bench_topology(void);
void bench_amdv1(void);
void bench_memory(void);
void bench_iommufd(void);
void bench_explore(void);
void bench_wide(void);
/* A "Vm...:" field of /proc/self/status in KiB, -1 if unreadable */
long bench_vm_kib(const char *field);

/*
 * One AMDv1 page-table implementation in the noiommu configuration
 * (iommufd's hwpt_noiommu.c: starting level 2, dynamic top, 64-bit VA):
 * the model's (bench_amdv1.c) or Linux 7.3's own (bench_kernel.c).
 */
struct pt_engine {
	const char *name;
	void *(*create)(void);
	int (*map)(void *t, uint64_t iova, uint64_t pa, uint64_t len, int prot,
		   uint64_t *mapped);
	uint64_t (*unmap)(void *t, uint64_t iova, uint64_t len);
	uint64_t (*iova_to_phys)(void *t, uint64_t iova);
	uint64_t (*table_pages)(void *t);
	void (*destroy)(void *t);
};

/* Linux 7.3's generic_pt AMDv1, or NULL when built without its tree */
const struct pt_engine *bench_kernel_engine(void);

#endif
