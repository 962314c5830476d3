/* SPDX-License-Identifier: MIT */
/*
 * A narrow C API over Linux 7.3's generic_pt AMDv1 table compiled for user
 * space (oracle_amdv1.c), kept apart from model/pt's headers because both
 * define struct pt_amdv1.
 */
#ifndef IOMMUSIM_TESTS_PT_ORACLE_API_H
#define IOMMUSIM_TESTS_PT_ORACLE_API_H
#include <stdint.h>
struct oracle;
/* pt_iommu_amdv1_init() with the noiommu / AMD v1 features, 52-bit OA */
struct oracle *oracle_new(unsigned int vasz, unsigned int start_level, int *rc,
			  uint64_t *pgsize);
/* pt_iommu_amdv1_mock_init() as iommufd/selftest.c's
 * mock_domain_alloc_pgtable() calls it: starting level 2, 56-bit VA,
 * 51-bit OA, no features */
struct oracle *oracle_new_mock(int *rc, uint64_t *pgsize);
int oracle_map(struct oracle *o, uint64_t iova, uint64_t pa, uint64_t len,
	       int prot, uint64_t *mapped);
uint64_t oracle_unmap(struct oracle *o, uint64_t iova, uint64_t len);
uint64_t oracle_i2p(struct oracle *o, uint64_t iova);
/* top_of_table: the root (a host address) and its level */
void oracle_top(struct oracle *o, uint64_t **table, unsigned int *level);
void oracle_free(struct oracle *o);
/* table pages allocated and not yet freed */
long oracle_pages(void);
/* the WARN_ONs fired since the last call, and where ("file:line ..."),
 * then reset; PT_WARN_ON is WARN_ON only in the debug build */
long oracle_warns(const char **where);
/* fail the nth next table allocation, 0: off */
void oracle_inject(int nth);

#endif
