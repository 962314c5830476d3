/* SPDX-License-Identifier: MIT */
/*
 * hw.h - hw/'s private header: a scenario's machine as a QEMU command line
 * (machine.c), its operations as a guest program (program.c), the agent's
 * answers compared with the model (compare.c), boots and caches (guest.c).
 */
#ifndef IOMMUSIM_HW_HW_H
#define IOMMUSIM_HW_HW_H

#include <glib.h>
#include <stdbool.h>

#include "model/iommu.h"
#include "model/profile.h"
#include "sim/run.h"

/* The profile the guest's kernel is: the model runs under it. */
#define HW_PROFILE (iommu_profile_guest()->name)

/* ---- guest.c: the QEMU the guest runs on ---- */

struct hw_qemu {
	char *binary; /* what hw/qemu/run.sh runs ($IOMMUSIM_QEMU) */
	/* qemu-system-aarch64 of the same version (hw/fetch-qemu.sh
	 * aarch64), NULL when it cannot be fetched: no aarch64 guest */
	char *binary_aarch64;
	char *version; /* "10.0.2": part of every machine key */
	int major;     /* what it can build: xio3130 ACS from 8 */
	bool fallback; /* Debian 12's, because hw/fetch-qemu.sh failed */
};

/* The fetched QEMU 10.0 (hw/fetch-qemu.sh), else, saying so on stderr,
 * the machine's qemu-system-x86_64. */
void hw_qemu_find(struct hw_qemu *q);
void hw_qemu_clear(struct hw_qemu *q);
/* The QEMU the recorded machines (tests/hw/machines.txt) and the unit
 * tests assume: bookworm-backports' 10.0.2. */
extern const struct hw_qemu hw_qemu_10;

/* ---- kvariant.c: the kernel a VFIO/IOMMUFD combination boots ---- */

struct vfio_kconfig;
struct vfio_kconfig_req;
/* hw/kernel/vfio-*.config, sorted, full paths */
GPtrArray *hw_vfio_fragments(void);
/* a fragment's VFIO/IOMMUFD lines as a `kconfig` request; false: none */
bool hw_fragment_request(const char *path, struct vfio_kconfig_req *req);
/* the fragment pinning @k (basename); NULL: the guest's own, or with *why
 * none does */
char *hw_vfio_variant(const struct vfio_kconfig *k, char **why);

/* ---- machine.c: the booted model -> q35 QEMU arguments ---- */

/* The guest's architecture: x86_64 on q35, aarch64 on virt (virt.c). */
enum hw_arch {
	HW_ARCH_X86_64,
	HW_ARCH_AARCH64,
};

struct hw_dev {
	char *name;	       /* the scenario's device name */
	enum dev_kind kind;    /* the model's */
	char *path;	       /* dev.fn hops from bus 0: "1c.0/00.0" */
	char *qemu_model;      /* e1000e, pcie-root-port, ... */
	char *qemu_id;	       /* b<N>: scenario names may hold ':' */
	char *boot_driver;     /* the guest driver bound at boot, or NULL */
	bool conventional_bus; /* its secondary bus is conventional PCI */
	bool multifunction;
	bool hotplug; /* added after boot: absent until its step */
	bool replug;  /* hotplug where a deleted device was: same QEMU dev */
};

struct hw_machine {
	GPtrArray *devs;      /* struct hw_dev *, declaration order */
	enum hw_arch arch;    /* which QEMU, kernel and initramfs */
	char *qemu_machine;   /* -machine */
	char *iommu;	      /* -device for the IOMMU, or NULL */
	bool iommu_last;      /* realize the IOMMU after the devices */
	GPtrArray *qemu_args; /* char *: the PCI devices */
	GString *cmdline;     /* extra kernel parameters */
	char *kconfig; /* variant fragments under hw/kernel/, space-separated,
			* or NULL: the guest's own */
	char *mem;     /* -m when the scenario's memory needs more */
	GHashTable *managed; /* declared driver -> driver_managed_dma */
	char *key;	     /* hash of everything that shapes the boot */
	char *why_not;	     /* not representable in QEMU: why; NULL if it is */
	/* every reason, not only the first (why_not): one a line, for
	 * `run`'s check of a guest=yes claim (hw_guest_claim()) */
	GString *why_all;
};

/* Run @sc on the model (HW_PROFILE) and describe the QEMU machine its
 * booted model is, as @qemu can build it; NULL with @err on bad input. @rr (if not NULL) gets
 * the run, or NULL when the scenario statement already rules the guest
 * out (why_not set, nothing run). */
struct hw_machine *hw_machine_new(const struct scenario *sc,
				  const struct hw_qemu *qemu,
				  struct run_result **rr, GError **err);
void hw_machine_free(struct hw_machine *m);
const struct hw_dev *hw_machine_dev(const struct hw_machine *m,
				    const char *name);
/* A statement that declares a device (before boot, or hotplug after). */
bool stmt_is_device(const struct statement *st);
/* -machine, the IOMMU, the devices: what hw/qemu/run.sh appends. */
GPtrArray *hw_machine_argv(const struct hw_machine *m);
/* The guest driver that plays the scenario's driver @drv on @dev. */
const char *hw_guest_driver(const struct hw_machine *m, const char *dev,
			    const char *drv);
/* @st cannot be built: record why (fmt has one %s, @what). */
void hw_why_not(struct hw_machine *m, const struct statement *st,
		const char *fmt, const char *what);

/* ---- cmdline.c: kernel parameters the scenario's steps imply ---- */

/* After the model run: memmap= (and the RAM, m->mem) for the physical
 * memory a DMA scenario names; for iommufd scenarios the noiommu mode
 * and hugepages= */
void hw_cmdline_memory(struct hw_machine *m, const struct scenario *sc);
void hw_cmdline_iommufd(struct hw_machine *m, const struct scenario *sc);

/* ---- q35.c: the x86_64 guest's machine ---- */

/* The model's AMD-Vi / VT-d (@st declared it) as q35's QEMU device. */
void hw_q35_amd_vi(struct hw_machine *m, const struct hw_qemu *qemu,
		   const struct iommu_device *iommu,
		   const struct statement *st);
void hw_q35_intel_vtd(struct hw_machine *m, const struct iommu_device *iommu);
/* A bus-0 device at @addr that q35 itself has (00.0, 1f.0, 1f.2, 1f.3):
 * true when it plays the scenario's @dev (else why_not, false). */
bool hw_q35_builtin(struct hw_machine *m, const struct statement *st,
		    const struct device *dev, const char *addr);
/* A pci_device with ats=1: QEMU's virtio-rng-pci with ats=on (PCIe
 * behind a port only); its QEMU argument, model in @d->qemu_model */
char *hw_q35_ats_device(struct hw_machine *m, const struct statement *st,
			const struct device *dev, struct hw_dev *d,
			const struct hw_dev *parent);

/* ---- virt.c: the aarch64 guest (QEMU's virt with its SMMUv3) ---- */

/* The model's arm-smmu-v3 (@st declared it) as virt,iommu=smmuv3. */
void hw_virt_smmuv3(struct hw_machine *m, const struct hw_qemu *qemu,
		    const struct statement *st);
/* A root-bus device at @addr that virt itself has (its host bridge at
 * 00.0): true when it plays the scenario's @dev (else why_not, false). */
bool hw_virt_builtin(struct hw_machine *m, const struct statement *st,
		     const struct device *dev, const char *addr);
/* After the devices: the Kconfig the one aarch64 kernel has. */
void hw_virt_config(struct hw_machine *m, const struct iommu_model *model);

/* ---- program.c: operations -> guest program ---- */

/* How the scenario's handles and cookies are spelled in the guest. */
struct hw_names {
	GHashTable *slots;   /* handle name -> "dN" (hw/kmod's domain table) */
	GHashTable *cookies; /* owner cookie -> "N" (N > 0) */
	GHashTable *fdnums;  /* fd handle -> its number in the model's run */
};

/* The numbers the model's run gave its fd handles (hw_names_from_run()
 * in program.c says why), before hw_program_new(); @rr may be NULL. */
void hw_names_from_run(struct hw_names *names, const struct run_result *rr);

/* The program for one scenario (index @idx in its boot), or NULL with
 * *why set when a step cannot run in a guest. */
char *hw_program_new(const struct scenario *sc, const struct hw_machine *m,
		     struct hw_names *names, char **why);
void hw_names_clear(struct hw_names *names);
/* Every step of @sc the guest program cannot hold, one reason a line
 * appended to @why (where hw_program_new() stops at the first). */
void hw_program_reasons(const struct scenario *sc, const struct hw_machine *m,
			GString *why);
/* check_memory @st reads a user buffer's pages: the user_buffer
 * statement, and the offset in it (*off); NULL if not */
const struct statement *hw_buffer_of(const struct scenario *sc,
				     const struct statement *st, guint64 *off);
/* The program must run on groups no earlier scenario of its boot used. */
bool hw_program_fresh(const char *prog);
/* The program removes or adds devices: its boot cannot be reused. */
bool hw_program_changes_topology(const char *prog);
/* the program writes a VFIO device's config space or a BAR: no other
 * scenario of its boot may come after it (crosscheck.c) */
bool hw_program_writes_device(const char *prog);
/* The step runs under HW_PROFILE: no "only=" naming other profiles and
 * not expected "absent" there. */
bool hw_applies(const struct statement *st);
/* The step only shows model state (dump): counted as skipped. */
bool hw_model_display(const struct statement *st);
/* The guest's spelling of an argument value (domains, cookies, drivers). */
char *hw_guest_value(const struct hw_machine *m, struct hw_names *names,
		     const struct statement *st, const struct arg *a);

/* ---- compare.c: agent output vs the model ---- */

struct hw_kstep {
	int line;
	char *ret; /* "0", "-EPERM", "1"; NULL for "unsupported" */
	bool warn;
	GHashTable *fields; /* key -> value, for checks */
};

struct hw_file_report {
	int compared, agreed, disagreed, skipped; /* skipped: model-only */
	int uncomparable; /* ran in both, the guest cannot tell (counted
			   * apart from compared) */
	GString *first;	  /* the first disagreement, model vs kernel */
	GString *uncomparable_why; /* the first such step and why */
};

/* Parse one scenario's agent output: struct hw_kstep * by line. */
GHashTable *hw_parse_output(const char *text);
void hw_compare(const struct scenario *sc, const struct hw_machine *m,
		const struct run_result *rr, GHashTable *ksteps,
		struct hw_file_report *rep);

/* ---- guest.c: kernel, initramfs, boots, result cache ---- */

struct hw_env {
	char *hw_dir; /* the source tree's hw/ */
	const struct hw_qemu *qemu;
	char *cache;	     /* ${IOMMUSIM_CACHE:-~/.cache/iommusim} */
	char *kernel_dir;    /* default kernel, from hw/kernel/build.sh */
	char *initramfs;     /* base.cpio.gz for that kernel */
	GHashTable *kernels; /* variant fragment -> kernel dir, and
			      * kernel dir -> its initramfs */
	bool no_cache;
	bool verbose;
	int boots;
	int booted_scenarios; /* scenarios that ran in those boots */
	int cached;	      /* scenarios answered from the result cache */
	double guest_seconds;
};

bool hw_env_init(struct hw_env *env, GError **err);
/* The kernel for @m (the default one or a Kconfig variant). */
const char *hw_kernel_for(struct hw_env *env, const struct hw_machine *m,
			  const char **initramfs, GError **err);
/* Run @progs (index-aligned with @keys) in as few boots as needed; fills
 * @outs[i] with each scenario's agent output, NULL when none came. */
void hw_run_batch(struct hw_env *env, const struct hw_machine *m,
		  GPtrArray *progs, GPtrArray *outs);
/* the agent ran a scenario to its end: "reset ok" or "reset failed" */
bool hw_section_done(const char *line);
/* a scenario's agent output holds such a line: a result to keep */
bool hw_ran_to_end(const char *text);
char *hw_cache_get(struct hw_env *env, const char *key);
void hw_cache_put(struct hw_env *env, const char *key, const char *text);
/* Run a shell script of hw/ and return its last line of stdout. */
char *hw_script(struct hw_env *env, const char *const *argv, GError **err);

#endif
