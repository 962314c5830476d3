/* SPDX-License-Identifier: MIT */
/*
 * Userspace stand-ins for the little of the kernel API that
 * drivers/iommu/generic_pt uses, so the kernel's own AMDv1 code can be
 * compiled into a test as an oracle for model/pt. Every shim/linux/*.h
 * includes this one file. Physical addresses are host addresses here
 * (virt_to_phys is the identity): user-space pointers fit in 52 bits.
 * CONFIG_DEBUG_GENERIC_PT follows ORACLE_DEBUG: with it, PT_WARN_ON checks
 * are live and a sub-page map tail is defined behaviour.
 */
#ifndef KSHIM_H
#define KSHIM_H
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <assert.h>
typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;
typedef int64_t s64;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef unsigned int gfp_t;
#define GFP_KERNEL 0
#define __GFP_COMP 0
#define __GFP_DMA 0
#define __GFP_DMA32 0
#define __GFP_HIGHMEM 0
#define NUMA_NO_NODE (-1)
#define U64_MAX UINT64_MAX
#define U32_MAX UINT32_MAX
#define UINT_MAX (~0U)
#define ULONG_MAX (~0UL)
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define GENMASK(h, l) (((~0UL) << (l)) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l) (((~0ULL) << (l)) & (~0ULL >> (63 - (h))))
#define __bf_shf(x) (__builtin_ffsll(x) - 1)
#define FIELD_GET(m, v) ((typeof(m))(((v) & (m)) >> __bf_shf(m)))
#define FIELD_PREP(m, v) ((((typeof(m))(v)) << __bf_shf(m)) & (m))
#define READ_ONCE(x) (*(volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))
#define IS_ENABLED(x) (x)
#define CONFIG_GENERIC_ATOMIC64 0
#define CONFIG_SMP 1
#ifdef ORACLE_DEBUG
#define CONFIG_DEBUG_GENERIC_PT 1
#else
#define CONFIG_DEBUG_GENERIC_PT 0
#endif
#define CONFIG_IOMMUFD_DRIVER 0
#define CONFIG_IOMMUFD_TEST 0
#define CONFIG_IOMMU_PT 1
/* a WARN is counted, with where it fired (oracle_warns()) */
void oracle_warned(const char *file, int line);
#define WARN_ON(c)                                                             \
	({                                                                     \
		bool __c = !!(c);                                              \
		if (__c)                                                       \
			oracle_warned(__FILE__, __LINE__);                     \
		__c;                                                           \
	})
#define WARN_ON_ONCE WARN_ON
#define BUILD_BUG() abort()
#define BUILD_BUG_ON(x)
#ifndef static_assert
#define static_assert(...) _Static_assert(__VA_ARGS__, "")
#endif
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#undef __always_inline
#define __always_inline inline __attribute__((always_inline))
#define __maybe_unused __attribute__((unused))
#define container_of(p, t, m) ((t *)((char *)(p)-offsetof(t, m)))
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define EXPORT_SYMBOL_NS_GPL(...)
#define EXPORT_SYMBOL_GPL(...)
#define MODULE_LICENSE(...)
#define MODULE_DESCRIPTION(...)
#define MODULE_IMPORT_NS(...)
#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)
#undef __CONCAT
#define __CONCAT(a, b) a##b
#define CONCATENATE(a, b) __CONCAT(a, b)
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << 12)
#define SZ_512G (1ULL << 39)
#define __sme_set(x) (x)
#define __sme_clr(x) (x)
#define memset_after(obj, v, member)                                           \
	memset((char *)(obj) + offsetof(typeof(*(obj)), member) +              \
		       sizeof((obj)->member),                                  \
	       v,                                                              \
	       sizeof(*(obj)) - offsetof(typeof(*(obj)), member) -             \
		       sizeof((obj)->member))
#define might_sleep_if(x)
static inline unsigned int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}
static inline unsigned int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}
static inline unsigned long __ffs(unsigned long x)
{
	return __builtin_ctzl(x);
}
static inline unsigned long __ffs64(u64 x)
{
	return __builtin_ctzll(x);
}
static inline unsigned long ffz(unsigned long x)
{
	return __builtin_ctzl(~x);
}
static inline unsigned int __fls(unsigned long x)
{
	return 63 - __builtin_clzl(x);
}
#define ilog2(n) ((n) ? 63 - __builtin_clzll(n) : -1)
static inline void memset64(u64 *p, u64 v, size_t n)
{
	while (n--)
		*p++ = v;
}
static inline bool try_cmpxchg64_release(u64 *p, u64 *old, u64 new)
{
	if (*p == *old) {
		*p = new;
		return true;
	}
	*old = *p;
	return false;
}
static inline bool try_cmpxchg_release(u32 *p, u32 *old, u32 new)
{
	if (*p == *old) {
		*p = new;
		return true;
	}
	*old = *p;
	return false;
}
#define try_cmpxchg64 try_cmpxchg64_release
static inline void dma_wmb(void)
{
}
static inline void smp_mb(void)
{
}
#include <stdio.h>
struct list_head {
	struct list_head *next, *prev;
};
#define LIST_HEAD_INIT(n)                                                      \
	{                                                                      \
		&(n), &(n)                                                     \
	}
static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l->prev = l;
}
struct device;
typedef int spinlock_t;
#define spin_lock_irqsave(l, f) ((void)(f))
#define spin_unlock_irqrestore(l, f) ((void)(f))
#define spin_lock_init(l)
/* physical == virtual in the oracle */
#define virt_to_phys(p) ((phys_addr_t)(uintptr_t)(p))
#define __va(pa) ((void *)(uintptr_t)(pa))
#define IS_ERR(p) ((unsigned long)(p) >= (unsigned long)-4095)
#define ERR_PTR(e) ((void *)(long)(e))
#define PTR_ERR(p) ((long)(p))
#endif
