/* SPDX-License-Identifier: MIT */
/*
 * iommufd_test.h - the IOMMUFD_TEST interface (CONFIG_IOMMUFD_TEST) as the
 * model takes it: the IOMMU_TEST_CMD command, its ops, the mock driver's
 * constants and struct iommu_test_cmd, written for this project and
 * layout-compatible with Linux 7.3's drivers/iommu/iommufd/iommufd_test.h
 * (not a uapi header: tests/unit/iommufd/test_uapi_layout.c compiles the
 * kernel's copy from the source tree and compares every field).
 *
 * Self-contained (stdint only), so the guest agent (hw/agent/) can include
 * it beside the kernel's <linux/iommufd.h> without a clash.
 */
#ifndef IOMMUSIM_MODEL_IOMMUFD_TEST_H
#define IOMMUSIM_MODEL_IOMMUFD_TEST_H

#include <stddef.h>
#include <stdint.h>

/* __aligned_u64 */
typedef uint64_t iommufd_test_u64 __attribute__((aligned(8)));

enum {
	IOMMU_TEST_OP_ADD_RESERVED = 1,
	IOMMU_TEST_OP_MOCK_DOMAIN,
	IOMMU_TEST_OP_MD_CHECK_MAP,
	IOMMU_TEST_OP_MD_CHECK_REFS,
	IOMMU_TEST_OP_CREATE_ACCESS,
	IOMMU_TEST_OP_DESTROY_ACCESS_PAGES,
	IOMMU_TEST_OP_ACCESS_PAGES,
	IOMMU_TEST_OP_ACCESS_RW,
	IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT,
	IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE,
	IOMMU_TEST_OP_ACCESS_REPLACE_IOAS,
	IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS,
	IOMMU_TEST_OP_DIRTY,
	IOMMU_TEST_OP_MD_CHECK_IOTLB,
	IOMMU_TEST_OP_TRIGGER_IOPF,
	IOMMU_TEST_OP_DEV_CHECK_CACHE,
	IOMMU_TEST_OP_TRIGGER_VEVENT,
	IOMMU_TEST_OP_PASID_ATTACH,
	IOMMU_TEST_OP_PASID_REPLACE,
	IOMMU_TEST_OP_PASID_DETACH,
	IOMMU_TEST_OP_PASID_CHECK_HWPT,
	IOMMU_TEST_OP_DMABUF_GET,
	IOMMU_TEST_OP_DMABUF_REVOKE,
};

enum {
	MOCK_IOMMUPT_DEFAULT = 0,
	MOCK_IOMMUPT_HUGE,
};

/* true for MOCK_IOMMUPT_DEFAULT */
enum {
	MOCK_APERTURE_START = 1UL << 24,
	MOCK_APERTURE_LAST = (1UL << 31) - 1,
	MOCK_PAGE_SIZE = 2048,
	MOCK_HUGE_PAGE_SIZE = 512 * MOCK_PAGE_SIZE,
};

enum {
	MOCK_FLAGS_ACCESS_WRITE = 1 << 0,
	MOCK_FLAGS_ACCESS_SYZ = 1 << 16,
};

enum {
	MOCK_ACCESS_RW_WRITE = 1 << 0,
	MOCK_ACCESS_RW_SLOW_PATH = 1 << 2,
};

enum {
	MOCK_FLAGS_ACCESS_CREATE_NEEDS_PIN_PAGES = 1 << 0,
};

enum {
	MOCK_FLAGS_DEVICE_NO_DIRTY = 1 << 0,
	MOCK_FLAGS_DEVICE_PASID = 1 << 2,
};

enum {
	MOCK_NESTED_DOMAIN_IOTLB_ID_MAX = 3,
	MOCK_NESTED_DOMAIN_IOTLB_NUM = 4,
};

enum {
	MOCK_DEV_CACHE_ID_MAX = 3,
	MOCK_DEV_CACHE_NUM = 4,
};

#define IOMMU_TEST_PASID_RESERVED 1024

struct iommu_test_cmd {
	uint32_t size;
	uint32_t op;
	uint32_t id;
	uint32_t __reserved;
	union {
		struct {
			iommufd_test_u64 start;
			iommufd_test_u64 length;
		} add_reserved;
		struct {
			uint32_t out_stdev_id;
			uint32_t out_hwpt_id;
			uint32_t out_idev_id;
		} mock_domain;
		struct {
			uint32_t out_stdev_id;
			uint32_t out_hwpt_id;
			uint32_t out_idev_id;
			uint32_t dev_flags;
		} mock_domain_flags;
		struct {
			uint32_t pt_id;
		} mock_domain_replace;
		struct {
			iommufd_test_u64 iova;
			iommufd_test_u64 length;
			iommufd_test_u64 uptr;
		} check_map;
		struct {
			iommufd_test_u64 length;
			iommufd_test_u64 uptr;
			uint32_t refs;
		} check_refs;
		struct {
			uint32_t out_access_fd;
			uint32_t flags;
		} create_access;
		struct {
			uint32_t access_pages_id;
		} destroy_access_pages;
		struct {
			uint32_t flags;
			uint32_t out_access_pages_id;
			iommufd_test_u64 iova;
			iommufd_test_u64 length;
			iommufd_test_u64 uptr;
		} access_pages;
		struct {
			iommufd_test_u64 iova;
			iommufd_test_u64 length;
			iommufd_test_u64 uptr;
			uint32_t flags;
		} access_rw;
		struct {
			uint32_t limit;
		} memory_limit;
		struct {
			uint32_t ioas_id;
		} access_replace_ioas;
		struct {
			uint32_t flags;
			iommufd_test_u64 iova;
			iommufd_test_u64 length;
			iommufd_test_u64 page_size;
			iommufd_test_u64 uptr;
			iommufd_test_u64 out_nr_dirty;
		} dirty;
		struct {
			uint32_t id;
			uint32_t iotlb;
		} check_iotlb;
		struct {
			uint32_t dev_id;
			uint32_t pasid;
			uint32_t grpid;
			uint32_t perm;
			uint64_t addr;
		} trigger_iopf;
		struct {
			uint32_t id;
			uint32_t cache;
		} check_dev_cache;
		struct {
			uint32_t dev_id;
		} trigger_vevent;
		struct {
			uint32_t pasid;
			uint32_t pt_id;
		} pasid_attach;
		struct {
			uint32_t pasid;
			uint32_t pt_id;
		} pasid_replace;
		struct {
			uint32_t pasid;
		} pasid_detach;
		struct {
			uint32_t pasid;
			uint32_t hwpt_id;
		} pasid_check;
		struct {
			uint32_t length;
			uint32_t open_flags;
		} dmabuf_get;
		struct {
			int32_t dmabuf_fd;
			uint32_t revoked;
		} dmabuf_revoke;
	};
	uint32_t last;
};

/*
 * Which union member each op reads and writes, by the field names a
 * caller uses (the scenario language, the guest agent): X(op, key,
 * member, dir) with dir IN, OUT, INOUT (read back as out_<key>) or
 * OUT_FD (an fd the kernel installed in the caller's table: the access's,
 * which later commands name by its number in the head's id). Every op
 * with a union member is listed but DIRTY (the model answers it; the
 * caller's bitmap behind its uptr has no statement form yet);
 * where two ops' members share a name but not a meaning the key differs
 * (create_flags: CREATE_ACCESS's bit 0 is NEEDS_PIN_PAGES, ACCESS_PAGES'
 * and ACCESS_RW's is WRITE).
 */
#define IOMMU_TEST_CMD_FIELDS(X)                                               \
	X(ADD_RESERVED, start, add_reserved.start, IN)                         \
	X(ADD_RESERVED, length, add_reserved.length, IN)                       \
	X(MOCK_DOMAIN, out_stdev_id, mock_domain.out_stdev_id, OUT)            \
	X(MOCK_DOMAIN, out_hwpt_id, mock_domain.out_hwpt_id, OUT)              \
	X(MOCK_DOMAIN, out_idev_id, mock_domain.out_idev_id, OUT)              \
	X(MOCK_DOMAIN_FLAGS, out_stdev_id, mock_domain_flags.out_stdev_id,     \
	  OUT)                                                                 \
	X(MOCK_DOMAIN_FLAGS, out_hwpt_id, mock_domain_flags.out_hwpt_id, OUT)  \
	X(MOCK_DOMAIN_FLAGS, out_idev_id, mock_domain_flags.out_idev_id, OUT)  \
	X(MOCK_DOMAIN_FLAGS, dev_flags, mock_domain_flags.dev_flags, IN)       \
	X(MOCK_DOMAIN_REPLACE, pt_id, mock_domain_replace.pt_id, INOUT)        \
	X(MD_CHECK_MAP, iova, check_map.iova, IN)                              \
	X(MD_CHECK_MAP, length, check_map.length, IN)                          \
	X(MD_CHECK_MAP, uptr, check_map.uptr, IN)                              \
	X(MD_CHECK_REFS, length, check_refs.length, IN)                        \
	X(MD_CHECK_REFS, uptr, check_refs.uptr, IN)                            \
	X(MD_CHECK_REFS, refs, check_refs.refs, IN)                            \
	X(CREATE_ACCESS, out_access_fd, create_access.out_access_fd, OUT_FD)   \
	X(CREATE_ACCESS, create_flags, create_access.flags, IN)                \
	X(ACCESS_PAGES, flags, access_pages.flags, IN)                         \
	X(ACCESS_PAGES, out_access_pages_id, access_pages.out_access_pages_id, \
	  OUT)                                                                 \
	X(ACCESS_PAGES, iova, access_pages.iova, IN)                           \
	X(ACCESS_PAGES, length, access_pages.length, IN)                       \
	X(ACCESS_PAGES, uptr, access_pages.uptr, IN)                           \
	X(DESTROY_ACCESS_PAGES, access_pages_id,                               \
	  destroy_access_pages.access_pages_id, IN)                            \
	X(ACCESS_RW, iova, access_rw.iova, IN)                                 \
	X(ACCESS_RW, length, access_rw.length, IN)                             \
	X(ACCESS_RW, uptr, access_rw.uptr, IN)                                 \
	X(ACCESS_RW, flags, access_rw.flags, IN)                               \
	X(ACCESS_REPLACE_IOAS, ioas_id, access_replace_ioas.ioas_id, IN)       \
	X(SET_TEMP_MEMORY_LIMIT, limit, memory_limit.limit, IN)                \
	X(DEV_CHECK_CACHE, cache_id, check_dev_cache.id, IN)                   \
	X(DEV_CHECK_CACHE, cache, check_dev_cache.cache, IN)                   \
	X(MD_CHECK_IOTLB, iotlb_id, check_iotlb.id, IN)                        \
	X(MD_CHECK_IOTLB, iotlb, check_iotlb.iotlb, IN)                        \
	X(TRIGGER_IOPF, dev_id, trigger_iopf.dev_id, IN)                       \
	X(TRIGGER_IOPF, pasid, trigger_iopf.pasid, IN)                         \
	X(TRIGGER_IOPF, grpid, trigger_iopf.grpid, IN)                         \
	X(TRIGGER_IOPF, perm, trigger_iopf.perm, IN)                           \
	X(TRIGGER_IOPF, addr, trigger_iopf.addr, IN)                           \
	X(PASID_ATTACH, pasid, pasid_attach.pasid, IN)                         \
	X(PASID_ATTACH, pt_id, pasid_attach.pt_id, INOUT)                      \
	X(PASID_REPLACE, pasid, pasid_replace.pasid, IN)                       \
	X(PASID_REPLACE, pt_id, pasid_replace.pt_id, INOUT)                    \
	X(PASID_DETACH, pasid, pasid_detach.pasid, IN)                         \
	X(PASID_CHECK_HWPT, pasid, pasid_check.pasid, IN)                      \
	X(PASID_CHECK_HWPT, hwpt_id, pasid_check.hwpt_id, IN)                  \
	X(TRIGGER_VEVENT, dev_id, trigger_vevent.dev_id, IN)                   \
	X(DMABUF_GET, length, dmabuf_get.length, IN)                           \
	X(DMABUF_GET, open_flags, dmabuf_get.open_flags, IN)                   \
	X(DMABUF_REVOKE, dmabuf_fd, dmabuf_revoke.dmabuf_fd, IN)               \
	X(DMABUF_REVOKE, revoked, dmabuf_revoke.revoked, IN)

/* The ops whose head id is an access's fd (iommufd_access_get(): fget()),
 * not an object id: every access op but CREATE_ACCESS, whose id is the
 * IOAS */
static inline int iommu_test_op_id_is_fd(uint32_t op)
{
	return op == IOMMU_TEST_OP_DESTROY_ACCESS_PAGES ||
	       op == IOMMU_TEST_OP_ACCESS_PAGES ||
	       op == IOMMU_TEST_OP_ACCESS_RW ||
	       op == IOMMU_TEST_OP_ACCESS_REPLACE_IOAS;
}

enum iommu_test_field_dir {
	IOMMU_TEST_IN,
	IOMMU_TEST_OUT,
	IOMMU_TEST_INOUT,
	IOMMU_TEST_OUT_FD,
};

struct iommu_test_field {
	uint32_t op;
	const char *key;
	uint16_t off;
	uint8_t width;
	uint8_t dir;
};

#define IOMMU_TEST_FIELD_ROW(o, k, member, d)                                  \
	{ IOMMU_TEST_OP_##o, #k, offsetof(struct iommu_test_cmd, member),      \
	  sizeof(((struct iommu_test_cmd *)0)->member), IOMMU_TEST_##d },

/* _IO(IOMMUFD_TYPE, IOMMUFD_CMD_BASE + 32): ';' is 0x3b, the base 0x80 */
#define IOMMU_TEST_CMD ((unsigned int)((0x3b << 8) | (0x80 + 32)))

#define MOCK_PASID_WIDTH 20

/* IOMMU_GET_HW_INFO of a mock device (mock_domain_hw_info()) */
#define IOMMU_HW_INFO_TYPE_SELFTEST 0xfeedbeef
#define IOMMU_HW_INFO_SELFTEST_REGVAL 0xdeadbeef

struct iommu_test_hw_info {
	uint32_t flags;
	uint32_t test_reg;
};

/* IOMMU_HWPT_ALLOC user data for the mock driver */
#define IOMMU_HWPT_DATA_SELFTEST 0xdead
#define IOMMU_TEST_IOTLB_DEFAULT 0xbadbeef
#define IOMMU_TEST_DEV_CACHE_DEFAULT 0xbaddad

struct iommu_hwpt_selftest {
	uint32_t iotlb;
	uint32_t pagetable_type;
};

/* IOMMU_HWPT_INVALIDATE of a mock nested HWPT: one IOTLB word, or all */
#define IOMMU_HWPT_INVALIDATE_DATA_SELFTEST 0xdeadbeef
#define IOMMU_HWPT_INVALIDATE_DATA_SELFTEST_INVALID 0xdadbeef
#define IOMMU_TEST_INVALIDATE_FLAG_ALL (1 << 0)

struct iommu_hwpt_invalidate_selftest {
	uint32_t flags;
	uint32_t iotlb_id;
};

/* IOMMU_VIOMMU_ALLOC's type for the mock (mock_get_viommu_size()) */
#define IOMMU_VIOMMU_TYPE_SELFTEST 0xdeadbeef

struct iommu_viommu_selftest {
	uint32_t in_data;
	uint32_t out_data;
	iommufd_test_u64 out_mmap_offset;
	iommufd_test_u64 out_mmap_length;
};

/* IOMMU_HWPT_INVALIDATE of a mock vIOMMU: a vDEVICE's cache words */
#define IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST 0xdeadbeef
#define IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST_INVALID 0xdadbeef

struct iommu_viommu_invalidate_selftest {
	uint32_t flags;
	uint32_t vdev_id;
	uint32_t cache_id;
};

/* IOMMU_TEST_OP_TRIGGER_VEVENT's event (mock_viommu's vEVENTQ type) */
#define IOMMU_VEVENTQ_TYPE_SELFTEST 0xbeefbeef

struct iommu_viommu_event_selftest {
	uint32_t virt_id;
};

#define IOMMU_HW_QUEUE_TYPE_SELFTEST 0xdeadbeef
#define IOMMU_TEST_HW_QUEUE_MAX 2

#endif
