/* SPDX-License-Identifier: MIT */
/*
 * iommu.h - the iommu core model: devices, iommu groups, domains, DMA
 * ownership and attach/detach/replace, as Linux 7.3's
 * drivers/iommu/iommu.c implements them.
 *
 * Sections are named after the file that implements them. Every operation
 * returns 0 or a negative kernel errno; a refusal also records which kernel
 * function refused and on what condition (iommu_model.why), and a WARN_ON
 * the kernel would hit sets iommu_model.warned. The model does no I/O.
 *
 * The semantic profile is chosen once, at iommu_model_new(); the entry
 * points marked "profile" dispatch through it (see profile.h).
 */
#ifndef IOMMUSIM_MODEL_IOMMU_H
#define IOMMUSIM_MODEL_IOMMU_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "fault.h"
#include "object.h"

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint8_t u8;

struct iommu_model;
struct iommu_profile;
struct iommu_profile_resolved;
struct iommu_group;
struct iommu_domain;
struct pt_amdv1;
struct physmem;
struct vfio;

/* include/linux/iommu.h: IOMMU_DOMAIN_* (the __IOMMU_DOMAIN_* bits kept) */
enum {
	__IOMMU_DOMAIN_PAGING = 1u << 0,  /* supports iommu_map/unmap */
	__IOMMU_DOMAIN_DMA_API = 1u << 1, /* used by the DMA API */
	__IOMMU_DOMAIN_PT = 1u << 2,	  /* identity mapped */
	__IOMMU_DOMAIN_DMA_FQ = 1u << 3,  /* flush queue */
	__IOMMU_DOMAIN_NESTED = 1u << 6,  /* user-managed, on a parent */
	IOMMU_DOMAIN_BLOCKED = 0,
	IOMMU_DOMAIN_IDENTITY = __IOMMU_DOMAIN_PT,
	IOMMU_DOMAIN_UNMANAGED = __IOMMU_DOMAIN_PAGING,
	IOMMU_DOMAIN_DMA = __IOMMU_DOMAIN_PAGING | __IOMMU_DOMAIN_DMA_API,
	IOMMU_DOMAIN_DMA_FQ = IOMMU_DOMAIN_DMA | __IOMMU_DOMAIN_DMA_FQ,
	IOMMU_DOMAIN_NESTED = __IOMMU_DOMAIN_NESTED,
};

/* ---- driver.c: the modelled IOMMU drivers (iommu_ops + iommu_device) ---- */

enum iommu_driver_kind {
	IOMMU_DRV_AMD_VI,      /* drivers/iommu/amd */
	IOMMU_DRV_INTEL_VTD,   /* drivers/iommu/intel */
	IOMMU_DRV_ARM_SMMU_V3, /* drivers/iommu/arm/arm-smmu-v3 */
	IOMMU_DRV_TEGRA_SMMU,  /* drivers/iommu/tegra-smmu.c */
	IOMMU_DRV_GENERIC,     /* capabilities from the scenario only */
	IOMMU_DRV_NOIOMMU,     /* iommufd/hwpt_noiommu.c: no device's IOMMU */
	IOMMU_DRV_MOCK,	       /* iommufd/selftest.c mock_ops (IOMMUFD_TEST) */
};

enum blocked_kind {
	BLOCKED_STATIC, /* ops->blocked_domain, a global static */
	BLOCKED_PAGING, /* none: the core allocates an empty paging domain */
};

enum identity_kind {
	IDENTITY_STATIC, /* ops->identity_domain */
	IDENTITY_ALLOC,	 /* ops->domain_alloc_identity */
	IDENTITY_NONE,	 /* neither: IDENTITY requests fail -EOPNOTSUPP */
};

enum device_group_kind {
	GROUP_PCI,	  /* pci_device_group(): topology, aliases, ACS */
	GROUP_PER_DEVICE, /* generic_device_group(): one group each */
	GROUP_STREAM_ID,  /* devices sharing a stream ID share a group */
};

struct iommu_device {
	char *name;
	enum iommu_driver_kind kind;
	bool cap_cache_coherency;	  /* IOMMU_CAP_CACHE_COHERENCY */
	bool cap_enforce_cache_coherency; /* IOMMU_CAP_ENFORCE_CACHE_COHERENCY */
	enum blocked_kind blocked;
	enum identity_kind identity;
	bool paging;   /* domain_alloc_paging(_flags) exists */
	bool np_cache; /* caches non-present entries: iommu_set_dma_strict() */
	/* interrupt remapping on: its IR domain isolates MSIs
	 * (IRQ_DOMAIN_FLAG_ISOLATED_MSI, iommu_group_has_isolated_msi()) */
	bool irq_remap;
	/* amd-vi: EFR.HATS, the host translation levels beyond 4 (amd/
	 * init.c early_amd_iommu_init()); 2 as QEMU 10.0.2's AMD-Vi says */
	unsigned int hats;
	enum device_group_kind device_group;
	/* ops->default_domain is ops->blocked_domain: every group's default
	 * domain is the static blocked one (selftest.c mock_ops) */
	bool default_blocked;
	struct iommu_domain *blocked_domain;  /* BLOCKED_STATIC */
	struct iommu_domain *identity_domain; /* IDENTITY_STATIC */
	/* made by the first insert (most IOMMUs never use them, and each
	 * copy of the machine would make and free them: core/copy.c) */
	GHashTable *stream_groups; /* stream id -> struct iommu_group * */
	GHashTable *stream_owners; /* arm-smmu-v3: stream id -> device */
	/* fault injection: the next fail_attach attach_dev calls fail */
	int fail_attach_skip; /* attach_dev calls to let through first */
	int fail_attach;
	int fail_attach_errno;
	struct device *fail_attach_dev; /* NULL: any device */
	/* domain->ops->attach_dev of a driver modelled above core (the
	 * selftest's mock_domain_nop_attach()): 0 or -errno, after the
	 * domain's owner is checked; NULL for the others */
	int (*attach_dev)(struct iommu_model *m, struct iommu_domain *domain,
			  struct device *dev);
	/* iommu_dev->max_pasids: the PASIDs the IOMMU translates (amd
	 * init.c from EFR.PASmax with GT, intel dmar.c from ecap.PSS with
	 * PASID support, the mock's 1 << MOCK_PASID_WIDTH); 0: none */
	u32 max_pasids;
	/* domain->ops->set_dev_pasid of a driver modelled above core (the
	 * selftest's mock_domain_set_dev_pasid_nop()), after the core's
	 * own checks; NULL for the others */
	int (*set_dev_pasid)(struct iommu_model *m,
			     const struct iommu_domain *domain,
			     struct device *dev, u32 pasid,
			     const struct iommu_domain *old);
};

/* ---- device.c: devices, PCI topology, device drivers ---- */

#include "device.h"

/* ---- resv_regions.c: reserved regions (include/linux/iommu.h) ---- */

enum iommu_resv_type {
	IOMMU_RESV_DIRECT,	     /* firmware's 1:1 map, must stay */
	IOMMU_RESV_DIRECT_RELAXABLE, /* the same, may be dropped for VFIO */
	IOMMU_RESV_RESERVED,	     /* never to be mapped (AMD's HT range) */
	IOMMU_RESV_MSI,		     /* the hardware MSI window */
	IOMMU_RESV_SW_MSI,	     /* where software maps MSI doorbells */
};

struct iommu_resv_region {
	u64 start;
	u64 length;
	int prot; /* IOMMU_READ | IOMMU_WRITE (direct regions) */
	enum iommu_resv_type type;
};

/* a device's regions: its firmware's direct ranges and its driver's own */
#define IOMMU_RESV_MAX (IOMMU_FW_DIRECT_MAX + 4)

/* ---- group.c: iommu groups ---- */

struct iommu_group {
	int id;
	GPtrArray *devices; /* struct device *, list_add_tail order */
	struct iommu_domain *default_domain;
	struct iommu_domain *blocking_domain;
	struct iommu_domain *domain;
	unsigned int owner_cnt;
	const char *owner; /* interned DMA owner cookie, NULL if none */
	/* group->pasid_array[IOMMU_NO_PASID]: an attach handle's domain */
	struct iommu_domain *handle;
	/* group->pasid_array above IOMMU_NO_PASID: struct iommu_pasid_entry
	 * by pasid, NULL while there is none (attach.c) */
	GArray *pasids;
	unsigned int claims; /* caller-side count of owner claims held */
	/* state only the model's profile keeps (profile.h group hooks) */
	void *profile_data;
	/* devices inside a PCI reset (pci_dev_reset_iommu_prepare()): a
	 * domain change is -EBUSY meanwhile, except a must-succeed one */
	unsigned int recovery_cnt;
	/* iommu_group_set_name(): /sys/kernel/iommu_groups/N/name, NULL if
	 * never named (VFIO names its fake noiommu groups) */
	char *name;
	/* iommu_group_get() references besides its devices' (an iommufd
	 * igroup's): the group and its id outlive its last device while one
	 * is held, without domains (iommu_deinit_device()), out of the
	 * machine's list; iommu_group_ref_put() releases it */
	unsigned int refs;
	/* its place in m->groups (creation order: touched.c sorts by it) */
	unsigned long seq;
	bool unlisted; /* iommu_group_free() took it out of m->groups */
};

/* One entry of group->pasid_array above IOMMU_NO_PASID: the domain the
 * group's PASID-capable devices translate @pasid with, and whether an
 * attach handle came with it (iommu_make_pasid_array_entry()) */
struct iommu_pasid_entry {
	u32 pasid;
	struct iommu_domain *domain;
	bool handle;
};

/* ---- domain.c: iommu domains ---- */

/* The model's object types (obj_header.type) */
enum iommu_obj_type {
	IOMMU_OBJ_DOMAIN = 1,
};

/*
 * A domain is an object of the model's domain table (object.h): obj.id is
 * the lowest free id from 1, shown as domain#N, and goes back when the
 * domain is freed (iommu_domain_free() frees it for real). Whoever keeps
 * a domain beyond one call keeps a struct iommu_domain_ref instead of the
 * pointer and looks it up again: a freed domain does not come back, even
 * when a newer domain has taken its id.
 */
struct iommu_domain {
	struct obj_header obj;
	unsigned int type;
	struct iommu_device *owner; /* domain->owner: the ops it came from */
	bool is_static; /* ops->blocked_domain / ops->identity_domain */
	/* a copy's (core/copy.c): its table and label sit in its own
	 * allocation, after the struct (domain.c domain_part_own()) */
	bool one_block;
	char *label;	     /* the scenario's handle name, for traces */
	char idname[16];     /* "domain#N": its name without a label */
	struct pt_amdv1 *pt; /* paging domains: the IO page table */
	/* domain->pgsize_bitmap as iommufd reads it: the table's, unless the
	 * driver declares a smaller granule than the table it is modelled
	 * with (the selftest's 2 KiB mock: iommufd/selftest.c) */
	u64 pgsize_bitmap;
	/* domain->dirty_ops: given at allocation (IOMMU_HWPT_ALLOC_DIRTY_
	 * TRACKING on a driver that tracks dirty: the selftest's mock) */
	bool dirty_ops;
	/* the driver's tracking switch (set_dirty_tracking(): the mock's
	 * MOCK_DIRTY_TRACK) */
	bool dirty_tracking;
	/* the driver's own part of the domain (container_of() in 7.3: the
	 * selftest mock's nested iotlb), g_free()d with it */
	void *priv;
	/* the model's bookkeeping, no kernel field: how many group slots
	 * (domain, handle, default_domain, blocking_domain, a PASID entry)
	 * and devices' attached point here, kept by iommu_domain_slot_set()
	 * so that the caller's free asks it instead of scanning the machine
	 * (iommu_domain_in_use()); the full invariant check recounts it */
	unsigned int holders;
};

/* Every write of a group's domain pointers (domain, handle,
 * default_domain, blocking_domain, a PASID entry's) and of a device's
 * attached goes through here, the model's and a profile's alike, so
 * that domain->holders counts what points at a domain (the full
 * invariant check recounts it). Clear a slot before freeing what it
 * held: the old domain is read. */
static inline void iommu_domain_slot_set(struct iommu_domain **slot,
					 struct iommu_domain *domain)
{
	if (*slot)
		(*slot)->holders--;
	if (domain)
		domain->holders++;
	*slot = domain;
}

struct iommu_domain_ref {
	unsigned int id; /* 0: no domain */
	uint64_t serial;
};

/* ---- model.c: the machine ---- */

struct iommu_model {
	const struct iommu_profile *profile;
	struct iommu_profile_resolved
		*resolved;  /* what the calls dispatch to */
	GPtrArray *iommus;  /* struct iommu_device * */
	GPtrArray *devices; /* struct device *, in declaration order */
	/* name -> the newest device of that name (device_find(): empty
	 * until a search of a wide machine builds it) */
	GHashTable *device_names;
	GPtrArray *root_bus; /* PCI devices on bus 0 */
	GPtrArray *drivers;  /* struct device_driver * */
	/* the machines holding @drivers: a copy shares its original's list
	 * (copy.c) until either registers a driver (driver_register() makes
	 * the list, then the driver, its own first); each driver is held
	 * once per list */
	unsigned int *drivers_holders;
	GPtrArray *groups;	  /* live struct iommu_group *, by creation */
	struct obj_table domains; /* live struct iommu_domain, by id */
	GHashTable *cookies;	  /* interned owner cookies */
	GHashTable *group_ids;	  /* ida: id -> group */
	int group_id_hint;	  /* no id below this one is free */
	bool booted;
	unsigned int def_domain_type; /* iommu_def_domain_type */
	bool dma_strict;	      /* iommu_dma_strict */
	bool cmdline_passthrough_set, cmdline_passthrough;
	bool cmdline_strict_set, cmdline_strict;
	/* iommufd.allow_unsafe_interrupts (iommufd/device.c module param) */
	bool iommufd_allow_unsafe_interrupts;
	int kconfig_default; /* IOMMU_DOMAIN_DMA_FQ, _DMA or _IDENTITY */
	/* CONFIG_DEBUG_GENERIC_PT: every IO page table allocated after it
	 * is set has PT_WARN_ON live (model/pt, struct pt_amdv1_cfg) */
	bool debug_generic_pt;
	struct physmem *physmem; /* what devices DMA to; page tables too */
	struct vfio *vfio;	 /* model/vfio's state, NULL until used */
	/* struct iommufd_ctx *: the open iommufd ctxs, in open order (their
	 * files' holders keep them; copy.c copies them) */
	GPtrArray *ictxs;
	/* iommufd/selftest.c's mock IOMMU and devices, NULL until used */
	struct iommufd_selftest *selftest;
	/* fail-nth: the one knob every allocation site asks (fault.h) */
	struct fault_attr fault;

	/* per-operation report: reset by iommu_model_begin() */
	GString *why;	/* "func: condition" lines behind a refusal */
	GArray *events; /* struct iommu_event: the steps inside (events.c) */
	/* nobody reads why or events (an explorer's steps): iommu_refuse()
	 * and iommu_event() record nothing; results, WARNs and state are
	 * the same */
	bool quiet;
	bool warned; /* a WARN_ON fired */
	/* "func: cond" of WARN_ON_ONCEs that fired; NULL until one does */
	GHashTable *warned_once;
	/* the kernel path knowingly left a change behind without a WARN:
	 * devices and group disagreeing (the 2022 attach loop has no
	 * rollback), or a failure 7.3 does not undo (fail-nth notes it) */
	bool left_inconsistent;
	/* a step with no return of its own (a file's release) reached
	 * undefined behaviour: the caller reports IOMMU_UB for it */
	bool undefined;
	unsigned long group_seq; /* the next group's seq */
	/* what the current step touched (touched.c), NULL when no runner
	 * records it */
	struct iommu_touched *touched;
};

struct iommu_model *iommu_model_new(const struct iommu_profile *profile);
/* The same without its root bus, domain table and physmem: the caller
 * makes them (copy.c copies them). */
struct iommu_model *iommu_model_alloc(const struct iommu_profile *profile);
/* iommu_model_alloc() for a copy of @like: its profile as @like resolved
 * it, its lists sized for @like's */
struct iommu_model *iommu_model_alloc_like(const struct iommu_model *like);
void iommu_model_free(struct iommu_model *m);
/* copy.c: an exact copy between two operations (the same objects, ids,
 * serials, table PAs and bytes: the copy's future is the original's), or
 * NULL while the machine holds state the copy does not cover (the iommufd
 * selftest's mocks, the object kinds iommufd/copy.c names): replay
 * instead. */
struct iommu_model *iommu_model_copy(const struct iommu_model *m);
/* The same in steps, for a caller that holds pointers into the model
 * (a runner's ctxs and files): begin copies the machine, find gives the
 * copy of an object of it (NULL for NULL; a missing one refuses the
 * copy), end gives the copy or NULL with *why (g_free() it) naming what
 * it does not cover. */
struct iommu_copy;
struct iommu_copy *iommu_copy_begin(const struct iommu_model *m);
void *iommu_copy_find(struct iommu_copy *c, const void *old);
bool iommu_copy_refused(const struct iommu_copy *c);
/* the caller's own refusal (what it holds cannot be copied) */
void iommu_copy_refuse(struct iommu_copy *c, const char *why);
struct iommu_model *iommu_copy_end(struct iommu_copy *c, char **why);
void iommu_model_begin(struct iommu_model *m);
const char *iommu_cookie(struct iommu_model *m, const char *name);

/* Record why @func refused (or warned); returns @err for tail calls. */
int iommu_refuse(struct iommu_model *m, int err, const char *func,
		 const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* WARN_ON(cond) as the kernel has it: returns cond, records the warning. */
bool iommu_warn_on(struct iommu_model *m, bool cond, const char *func,
		   const char *what);
#define IOMMU_WARN_ON(m, cond) iommu_warn_on((m), (cond), __func__, #cond)
/* WARN_ON_ONCE(cond): true whenever cond holds, a warning the first time
 * only (kernel/panic.c's once flags, which a guest clears per scenario
 * through debugfs clear_warn_once) */
bool iommu_warn_on_once(struct iommu_model *m, bool cond, const char *func,
			const char *what);
/* The same where the model's C is not the kernel's: the trace names the
 * kernel's function and condition (group->handle is its pasid_array) */
#define IOMMU_WARN_ON_AS(m, cond, kfunc, kcond)                                \
	iommu_warn_on((m), (cond), (kfunc), (kcond))

/* machine description (before boot) */
struct iommu_device *iommu_device_add(struct iommu_model *m, const char *name,
				      enum iommu_driver_kind kind);
/* An IOMMU not in m->iommus: no device of the machine sits behind it
 * unless its caller says so (the selftest's mock IOMMU); freed by
 * iommu_device_free(). */
struct iommu_device *iommu_device_new(const char *name,
				      enum iommu_driver_kind kind);
void iommu_device_free(struct iommu_device *iommu);
/* An IOMMU's stream table (stream_groups, stream_owners), made on first
 * use; lookups and walks take NULL as empty. */
static inline GHashTable *iommu_stream_table(GHashTable **table)
{
	if (!*table)
		*table = g_hash_table_new(g_direct_hash, g_direct_equal);
	return *table;
}
struct device *device_add(struct iommu_model *m, const char *name,
			  enum dev_kind kind, struct device *parent, u8 devfn);
/* @dev's hardware as vfio-pci reads it (struct pci_func_res): QEMU's
 * edu for @model "edu", else its e1000e (PCIe) or e1000 (conventional):
 * the devices the guest harness builds (hw/crosscheck/machine.c) */
void device_describe_pci(struct device *dev, const char *model);
/* The dword at @off of @dev's config space as its description gives it
 * (COMMAND, the BARs and INTERRUPT_LINE aside), where it sits in @m's
 * machine; the bits of it a write can change (QEMU's wmask) */
u32 pci_func_cfg_dword(const struct iommu_model *m, const struct device *dev,
		       unsigned int off);
u32 pci_func_cfg_wmask(const struct device *dev, unsigned int off);
/* The ids a function shows (config space, sysfs `vendor` and `device`):
 * the vendor the scenario gives, else its description's */
uint16_t pci_func_vendor(const struct device *dev);
uint16_t pci_func_device(const struct device *dev);
struct device *device_find(struct iommu_model *m, const char *name);
/* The driver @name, registered (or its flag changed): the machine's own,
 * so the caller may set its other fields. */
struct device_driver *driver_register(struct iommu_model *m, const char *name,
				      bool driver_managed_dma);
/* To read: a copy of the machine may share it (refs). */
struct device_driver *driver_find(struct iommu_model *m, const char *name);
/* A machine lets go of a driver: the last one frees it. */
void driver_put(struct device_driver *drv);
struct iommu_device *iommu_device_find(struct iommu_model *m, const char *name);
void iommu_set_cmdline(struct iommu_model *m, const char *key, bool val);

/* probe.c: boot and the iommu probe */
int iommu_model_boot(struct iommu_model *m);
int iommu_probe_device(struct iommu_model *m, struct device *dev);

/* pci_probe.c: what a PCI scan finds, in which order, bus numbers */
void pci_assign_busses(struct iommu_model *m);
void pci_scan_root_bus(struct iommu_model *m);
GPtrArray *pci_bus_add_order(struct iommu_model *m);
void pci_rescan_bus(struct iommu_model *m, struct device *dev);
/* drivers/pci/probe.c only_one_child(): the bus behind a bridge of
 * @kind is scanned at slot 00 alone (also what a file's static check
 * and the explorer's hotplug places follow) */
bool pci_only_one_child(enum dev_kind kind);
void iommu_release_device(struct iommu_model *m, struct device *dev);

/* pci_group.c */
struct iommu_group *pci_device_group(struct iommu_model *m, struct device *dev);

/* group.c */
struct iommu_group *iommu_group_alloc(struct iommu_model *m);
void iommu_group_free(struct iommu_model *m, struct iommu_group *group);
/* VFIO's fake noiommu group (vfio/group.c vfio_noiommu_group_alloc()) */
int iommu_group_add_device(struct iommu_model *m, struct iommu_group *group,
			   struct device *dev);
void iommu_group_remove_device(struct iommu_model *m, struct device *dev);
struct iommu_group *iommu_group_get(struct device *dev);
/* A reference kept beyond the call (kobject_get() of iommu_group_get()),
 * and its iommu_group_put(): the last one after the last device frees
 * the group and its id (iommu_group_release()). */
void iommu_group_ref_get(struct iommu_group *group);
void iommu_group_ref_put(struct iommu_model *m, struct iommu_group *group);
int iommu_group_device_count(struct iommu_group *group);
struct device *iommu_group_first_dev(struct iommu_group *group);
const char *iommu_group_type_str(struct iommu_group *group);
int iommu_core_domain(struct iommu_model *m, struct device *dev,
		      const char *name, const char *func,
		      struct iommu_domain **out);
struct iommu_domain *iommu_group_core_domain(const struct iommu_group *g,
					     const char *name);

/* domain.c: a domain's lifetime, from its allocation to iommu_domain_free() */
const char *iommu_domain_type_name(unsigned int type);
/* A published domain without a table (static and identity domains, and
 * tests); NULL when no id is left. */
struct iommu_domain *iommu_domain_new(struct iommu_model *m,
				      struct iommu_device *owner,
				      unsigned int type);
/* How traces name @domain: the scenario's handle ($d) once one is bound
 * to it, else domain#N; "none" for NULL. */
const char *iommu_domain_name(const struct iommu_domain *domain);
struct iommu_domain_ref iommu_domain_ref(const struct iommu_domain *domain);
/* The live domain @ref names, or NULL: freed since (use after free),
 * even if its id was reused. */
struct iommu_domain *iommu_domain_lookup(struct iommu_model *m,
					 struct iommu_domain_ref ref);
/* Live domains in id order: first id after @after, 0 at the end. */
struct iommu_domain *iommu_domain_next(struct iommu_model *m,
				       struct iommu_domain *after);
int iommu_paging_domain_alloc(struct iommu_model *m, struct device *dev,
			      struct iommu_domain **out);
int iommu_paging_domain_alloc_flags(struct iommu_model *m, struct device *dev,
				    u32 flags, struct iommu_domain **out);
int iommu_paging_domain_alloc_type(struct iommu_model *m, struct device *dev,
				   unsigned int type,
				   struct iommu_domain **out);
int iommu_alloc_identity_domain(struct iommu_model *m, struct device *dev,
				struct iommu_domain **out);
/* ops->blocked_domain of a BLOCKED_STATIC driver, made on first use;
 * NULL when no domain id is left. */
struct iommu_domain *iommu_static_blocked_domain(struct iommu_model *m,
						 struct iommu_device *iommu);
/* ops->identity_domain / ops->blocked_domain of @iommu's driver ("identity_domain",
 * "blocked_domain"): its static, or NULL (*out) where the driver has
 * none; -ENOMEM when no domain id is left. */
int iommu_ops_static_domain(struct iommu_model *m, struct iommu_device *iommu,
			    const char *name, struct iommu_domain **out);
/* iommu.c: iommu_domain_free(): frees it for real; static domains are
 * never freed. */
void iommu_domain_free(struct iommu_model *m, struct iommu_domain *domain);
bool iommu_domain_in_use(const struct iommu_domain *domain);
/* Whether @domain (a pointer never dereferenced) is still a live domain. */
bool iommu_domain_live(struct iommu_model *m,
		       const struct iommu_domain *domain);
/* The caller's iommu_domain_free(): IOMMU_UB (the kernel does not check)
 * while a group or device still uses it; static domains stay. */
int iommu_domain_free_checked(struct iommu_model *m,
			      struct iommu_domain *domain);
/* Model teardown: every domain left. */
void iommu_domains_release(struct iommu_model *m);

/* attach.c: Linux 7.3 attach paths. The iommu_* entry points below and
 * ownership.c's claim/release are the profile's (profile/dispatch.c);
 * IOMMU_ABSENT (profile.h) where its kernel has no such function. */
int __iommu_attach_device(struct iommu_model *m, struct iommu_domain *domain,
			  struct device *dev);
int __iommu_device_set_domain(struct iommu_model *m, struct iommu_group *group,
			      struct device *dev,
			      struct iommu_domain *new_domain,
			      bool must_succeed);
int __iommu_group_set_domain_internal(struct iommu_model *m,
				      struct iommu_group *group,
				      struct iommu_domain *new_domain,
				      bool must_succeed);
int __iommu_group_set_domain(struct iommu_model *m, struct iommu_group *group,
			     struct iommu_domain *new_domain);
void __iommu_group_set_domain_nofail(struct iommu_model *m,
				     struct iommu_group *group,
				     struct iommu_domain *new_domain);
void __iommu_group_set_core_domain(struct iommu_model *m,
				   struct iommu_group *group);
int __iommu_attach_group(struct iommu_model *m, struct iommu_domain *domain,
			 struct iommu_group *group);
int iommu_attach_device(struct iommu_model *m, struct iommu_domain *domain,
			struct device *dev);
int iommu_detach_device(struct iommu_model *m, struct iommu_domain *domain,
			struct device *dev);
int iommu_attach_group(struct iommu_model *m, struct iommu_domain *domain,
		       struct device *dev);
int iommu_detach_group(struct iommu_model *m, struct iommu_domain *domain,
		       struct device *dev);
int iommu_attach_group_handle(struct iommu_model *m,
			      struct iommu_domain *domain, struct device *dev);
int iommu_detach_group_handle(struct iommu_model *m,
			      struct iommu_domain *domain, struct device *dev);
int iommu_replace_group_handle(struct iommu_model *m,
			       struct iommu_domain *domain, struct device *dev);
/* a NULL attach handle to either: -EINVAL, before anything else */
int iommu_group_handle_null(struct iommu_model *m, const char *func);
/* The PASID API (iommu.c): not a profile's; @handle is whether the
 * caller passes an attach handle (iommufd always does). */
#define IOMMU_NO_PASID 0u
int iommu_attach_device_pasid(struct iommu_model *m,
			      struct iommu_domain *domain, struct device *dev,
			      u32 pasid, bool handle);
int iommu_replace_device_pasid(struct iommu_model *m,
			       struct iommu_domain *domain, struct device *dev,
			       u32 pasid, bool handle);
int iommu_detach_device_pasid(struct iommu_model *m,
			      struct iommu_domain *domain, struct device *dev,
			      u32 pasid);
/* group->pasid_array: the entry at @pasid (> IOMMU_NO_PASID) or NULL;
 * whether nothing is attached at any PASID, IOMMU_NO_PASID's handle
 * included (the ownership checks' xa_empty()) */
struct iommu_pasid_entry *iommu_group_pasid_entry(const struct iommu_group *g,
						  u32 pasid);
bool iommu_group_pasid_array_empty(const struct iommu_group *g);
/* the 2022 series' 1/8 (profile/rfc_2022_v1.c); absent in 7.3 */
int iommu_group_replace_domain(struct iommu_model *m, struct device *dev,
			       struct iommu_domain *old,
			       struct iommu_domain *new_domain);

/* ownership.c: DMA ownership */
int iommu_device_use_default_domain(struct iommu_model *m, struct device *dev);
int iommu_device_unuse_default_domain(struct iommu_model *m,
				      struct device *dev);
/* The same, called directly by a caller rather than a driver bind. */
int iommu_direct_use_default_domain(struct iommu_model *m, struct device *dev);
int iommu_direct_unuse_default_domain(struct iommu_model *m,
				      struct device *dev);
int iommu_group_claim_dma_owner(struct iommu_model *m, struct device *dev,
				const char *owner);
int iommu_group_release_dma_owner(struct iommu_model *m, struct device *dev);
int iommu_device_claim_dma_owner(struct iommu_model *m, struct device *dev,
				 const char *owner);
int iommu_device_release_dma_owner(struct iommu_model *m, struct device *dev);
int iommu_group_dma_owner_claimed(struct iommu_model *m, struct device *dev);

/* pci_reset.c: iommu.c's PCI reset recovery, for ATS-capable devices */
int pci_dev_reset_iommu_prepare(struct iommu_model *m, struct device *dev);
int pci_dev_reset_iommu_done(struct iommu_model *m, struct device *dev);
/* and which reset methods a function got at enumeration */
void pci_init_reset_methods(struct iommu_model *m, struct device *dev);
bool pci_reset_supported(const struct device *dev);

/* resv_regions.c: ops->get_resv_regions(dev) of the modelled drivers
 * (iommu_get_resv_regions(): at most IOMMU_RESV_MAX into @out), the
 * group's merged list (iommu_get_group_resv_regions(): a GArray of
 * struct iommu_resv_region, sorted, the caller frees it) and its sysfs
 * reserved_regions file (newly allocated) */
unsigned int iommu_get_resv_regions(const struct device *dev,
				    struct iommu_resv_region *out);
GArray *iommu_get_group_resv_regions(const struct iommu_group *group);
char *iommu_group_show_resv_regions(const struct iommu_group *group);

/* direct_mappings.c: iommu_create_device_direct_mappings(): @dev's
 * direct regions mapped 1:1 into @domain when it is a DMA-API domain,
 * dev->iommu->require_direct set from an IOMMU_RESV_DIRECT one */
int iommu_create_device_direct_mappings(struct iommu_model *m,
					struct iommu_domain *domain,
					struct device *dev);

/* default_domain.c */
int iommu_setup_default_domain(struct iommu_model *m, struct iommu_group *group,
			       int target_type);
int iommu_group_store_type(struct iommu_model *m, struct device *dev,
			   const char *buf);

/* bind.c: driver core bind/unbind (drivers/base/dd.c, bus.c) */
int device_driver_attach(struct iommu_model *m, struct device *dev,
			 struct device_driver *drv);
int device_driver_detach(struct iommu_model *m, struct device *dev);
/* drivers/base/core.c device_del(): unbind, then the IOMMU release */
int device_del(struct iommu_model *m, struct device *dev);
/* The PCI device whose removal holds pci_rescan_remove_lock while it
 * waits, or NULL: a rescan (drivers/pci/pci-sysfs.c rescan_store(),
 * pciehp's pciehp_configure_device()) waits for it too */
struct device *pci_rescan_remove_holder(struct iommu_model *m);
/* Each of the three: IOMMU_BLOCKS while a task blocked in a driver's
 * remove holds device_lock(dev) (the call queues behind it), or when
 * the remove itself blocks. The driver's remove has returned
 * (vfio_unregister_group_dev()'s wait is over): the blocked task goes on
 * and the queued ones run in turn. */
void device_remove_done(struct iommu_model *m, struct device *dev);
/* The driver @dev's sysfs "driver" link names: NULL from the unbind's
 * driver_sysfs_remove() on, which dd.c __device_release_driver() does
 * before the driver's remove, so while that remove blocks dev->driver is
 * still set (a bind is still -EBUSY, the group's type store -EPERM) and
 * the link is gone. */
struct device_driver *dev_driver_link(const struct device *dev);
/* A software device outside the machine's lists (m->devices, its buses):
 * the selftest's mock devices, on a bus of their own, that no hotplug or
 * machine description sees. device_unregister() takes it out of its
 * group (device_del()) and frees it; device_free() frees one left over. */
struct device *device_create_soft(const char *name, struct iommu_device *iommu);
void device_unregister(struct iommu_model *m, struct device *dev);
void device_free(struct device *dev);
/* The drivers built into the modelled kernel (NULL-terminated), and
 * registering them with their driver_managed_dma facts. */
const char *const *iommu_builtin_drivers(void);
void iommu_register_builtin_drivers(struct iommu_model *m);

/* sysfs.c: /sys as userspace sees it. Store: the bytes written (all of
 * @value, as write(2) returns them) or -errno (-EACCES for a
 * read-only attribute or a @writer without CAP_SYS_ADMIN and
 * CAP_SYS_RAWIO, -ENOENT without an iommu_group link, else
 * iommu_group_store_type()'s); a NULL @writer is root. Show and view:
 * newly allocated text. */
struct process;
int iommu_sysfs_store(struct iommu_model *m, struct device *dev,
		      const char *attr, const char *value,
		      const struct process *writer);
char *iommu_sysfs_show(struct device *dev, const char *attr);
char *iommu_sysfs_view(struct iommu_model *m);
/* The device's directory name under /sys/bus/pci/devices (0000:BB:DD.F),
 * or its name for a platform device; newly allocated. */
char *iommu_dev_sysfs_name(struct device *dev);

/* driver.c: the modelled IOMMU driver's attach_dev */
int iommu_driver_attach_dev(struct iommu_model *m, struct iommu_domain *domain,
			    struct device *dev);
int iommu_driver_probe_device(struct iommu_model *m, struct device *dev);
/* domain->ops->set_dev_pasid: whether @domain's ops have one, and the
 * call (0 or -errno; fault injection as attach_dev's); @domain NULL is
 * the driver's static blocked domain not made yet (iommu->blocked_domain) */
bool iommu_driver_has_set_dev_pasid(const struct iommu_domain *domain);
int iommu_driver_set_dev_pasid(struct iommu_model *m,
			       struct iommu_domain *domain, struct device *dev,
			       u32 pasid, struct iommu_domain *old);
/* the driver's domain_alloc_paging_flags(dev, flags, user_data) on what
 * it accepts (flags: uapi enum iommufd_hwpt_alloc_flags): 0, or
 * -EOPNOTSUPP as it refuses them */
int iommu_driver_paging_flags(struct iommu_model *m, struct device *dev,
			      u32 flags, bool user_data);
void iommu_driver_release_device(struct iommu_model *m, struct device *dev);

/* iommu_map.c: mapping in a paging domain's AMDv1 table */
int iommu_map(struct iommu_model *m, struct iommu_domain *domain, u64 iova,
	      u64 paddr, u64 size, int prot);
u64 iommu_unmap(struct iommu_model *m, struct iommu_domain *domain, u64 iova,
		u64 size);
u64 iommu_iova_to_phys(struct iommu_model *m, struct iommu_domain *domain,
		       u64 iova);
/* generic_pt's pt->ops->map_range() / unmap_range() called directly (no
 * paging check, no rollback: a failed map leaves *mapped bytes mapped);
 * IOMMU_UB for a domain without a table */
int iommu_pt_map_range(struct iommu_model *m, struct iommu_domain *domain,
		       u64 iova, u64 paddr, u64 size, int prot, u64 *mapped);
int iommu_pt_unmap_range(struct iommu_model *m, struct iommu_domain *domain,
			 u64 iova, u64 size, u64 *unmapped);
/* The same for a caller that may pass NULL: 0, or IOMMU_UB (the kernel
 * dereferences it), the result in *unmapped / *phys. */
int iommu_unmap_checked(struct iommu_model *m, struct iommu_domain *domain,
			u64 iova, u64 size, u64 *unmapped);
int iommu_iova_to_phys_checked(struct iommu_model *m,
			       struct iommu_domain *domain, u64 iova,
			       u64 *phys);

/* dma.c: a device's DMA through its attached domain. Returns 0, -errno,
 * IOMMU_DMA_BLOCKED, or an amdv1_hw_fault (pt/amdv1_hw.h), with
 * *fault_iova the first address that failed. */
#define IOMMU_DMA_BLOCKED (-1100)
static inline bool iommu_is_dma_fault(int ret)
{
	return ret <= -1001 && ret >= IOMMU_DMA_BLOCKED;
}
int iommu_dma(struct iommu_model *m, struct device *dev, u64 iova, void *buf,
	      u64 len, bool write, u64 *fault_iova);

/* invariants.c: checks after every step; NULL if all hold, else a
 * newly allocated description of the first violation. */
char *iommu_check_invariants(struct iommu_model *m);
char *iommu_check_contract(struct iommu_model *m);
/* Before an in-kernel call by @api that changes @dev's group's domain or
 * ownership: NULL while the caller may make it, else why not (another
 * subsystem owns the group for user DMA). The kernel does not check. */
char *iommu_check_caller(struct iommu_model *m, struct device *dev,
			 const char *api);

#endif
